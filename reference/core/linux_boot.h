/* Loads a Linux bzImage guest, its command line and initrd into guest RAM
 * and prepares the 32-bit boot protocol entry (Documentation/arch/x86/
 * boot.rst "32-bit Boot Protocol"; spec/linux-design.md; contract 16). */
#ifndef HV_LINUX_BOOT_H
#define HV_LINUX_BOOT_H
#include <stdint.h>
#include "vm.h"

/* Guest-physical places of what the loader writes: below the kernel, in
 * RAM the e820 map reports usable, away from the BIOS-area page 0. */
#define LINUX_ZERO_PAGE_GPA 0x10000ull
#define LINUX_CMDLINE_GPA 0x11000ull
#define LINUX_CMDLINE_ROOM 0x1000ull
#define LINUX_GDT_GPA 0x12000ull

/* boot.rst "32-bit Boot Protocol": the GDT selectors the entry needs
 * (__BOOT_CS, __BOOT_DS: GDT entries 2 and 3). */
#define LINUX_BOOT_CS 0x10
#define LINUX_BOOT_DS 0x18

struct linux_entry {
	uint64_t rip;      /* the protected-mode kernel's load address */
	uint64_t rsi;      /* boot_params (zero page) */
	uint64_t gdt_base; /* the GDT holding LINUX_BOOT_CS and LINUX_BOOT_DS */
	uint16_t gdt_limit;
};

/* Returns NULL on success, else a reason naming the problem. */
const char *linux_boot_load(struct vm *vm, const void *image, uint64_t size,
			    const char *cmdline, const void *initrd, uint64_t initrd_size,
			    struct linux_entry *out);

#endif
