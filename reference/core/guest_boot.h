/* Loads the guest image into guest RAM and prepares its entry state: a
 * Multiboot2 ELF guest (contract section 2) or a Linux bzImage (contract
 * section 16), recognized by content. */
#ifndef HV_GUEST_BOOT_H
#define HV_GUEST_BOOT_H
#include <stdint.h>
#include "arch.h"
#include "vm.h"

/* The Multiboot2 guest's selectors: the reference's own choice (contract 2
 * lets the guest rely on neither the selectors nor GDTR). */
#define MB2_GUEST_CODE_SELECTOR 0x08
#define MB2_GUEST_DATA_SELECTOR 0x10

struct guest_entry {
	struct guest_start start;
	uint64_t rip;      /* start.rip, kept for the log line */
	/* Registers at the first instruction; the others are 0. Multiboot2:
	 * EAX magic, EBX information; Linux: ESI boot_params. */
	uint64_t rax, rbx, rsi;
};

/* The guest module (image, size, its string: the guest's command line)
 * and, for a bzImage guest, the initrd (size 0: none). */
struct guest_modules {
	const void *image;
	uint64_t size;
	const char *cmdline;
	const void *initrd;
	uint64_t initrd_size;
};

/* Returns NULL on success, else the contract's refusal reason. */
const char *guest_boot_load(struct vm *vm, const struct guest_modules *m, struct guest_entry *out);

#endif
