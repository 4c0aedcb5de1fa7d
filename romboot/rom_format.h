/* Layout of an hvspec boot ROM, shared by the host packer (mkrom) and the
 * loader that runs from the ROM. The ROM ends at 4 GiB: the last 64 KiB
 * hold the loader (reset vector at 0xFFFFFFF0), the 4 KiB below it this
 * header, and the payload (kernel, modules, strings) lies below the header.
 * All addresses in the header are 32-bit linear addresses inside the ROM. */
#ifndef HVROM_FORMAT_H
#define HVROM_FORMAT_H
#include <stdint.h>

#define HVROM_MAGIC          "HVSPROM1"
#define HVROM_VERSION        4u   /* 2: a second boot module; 3: a third; 4: modules on the firmware disk */
#define HVROM_LOADER_SIZE    0x10000u     /* the loader's 64 KiB, ending at 4 GiB */
#define HVROM_LOADER_BASE    0xFFFF0000u
#define HVROM_HEADER_ADDR    0xFFFEF000u  /* one page below the loader */
#define HVROM_HEADER_SIZE    0x1000u
#define HVROM_MAX_SIZE       (2u << 20)   /* Bochs 2.7 refuses larger ROM images */
/* mkrom -L, for QEMU only: its -bios takes any multiple of 64 KiB; 16 MiB
 * (from 0xff000000) stays clear of the local APIC page at 0xfee00000 and
 * holds a Linux bzImage and its initrd (issue 15). */
#define HVROM_MAX_SIZE_LARGE (16u << 20)
/* The kernel's segments load at or above 1 MiB: below lie the loader's own
 * stack and data. The harness checks images against the same bound. */
#define KERNEL_MIN_ADDR      0x100000u

/* The firmware disk (mkrom -d, romboot/ata_pio.c): a flat image Bochs
 * attaches as the ATA primary master. Sector 0 starts with
 * HVROM_DISK_MAGIC; the modules follow from sector 1, each at a sector
 * boundary. Its size is a whole number of cylinders of Bochs' assumed
 * geometry (16 heads, 63 sectors per track), so Bochs takes it without a
 * geometry in its config. */
#define HVROM_DISK_MAGIC        "HVSPDISK"
#define HVROM_DISK_SECTOR       512u
#define HVROM_DISK_CYLINDER     (16u * 63u * HVROM_DISK_SECTOR)
#define HVROM_DISK_FIRST_MODULE_LBA 1u
#define HVROM_MODULES           3u   /* first, second, third module */

/* Firmware options (mkrom -f NAME), each a bit of firmware_options.
 * vmx-locked-off: lock IA32_FEATURE_CONTROL with VMX disabled, as real
 * firmware does when VMX is turned off in its setup (SDM 24.7). */
#define HVROM_FW_VMX_LOCKED_OFF (1u << 0)
#define HVROM_FW_VMX_LOCKED_OFF_NAME "vmx-locked-off"
/* svm-locked-off: set VM_CR.SVMDIS and VM_CR.LOCK, as real firmware does
 * when SVM is turned off in its setup (AMD APM vol. 2, 15.30.1). */
#define HVROM_FW_SVM_LOCKED_OFF (1u << 1)
#define HVROM_FW_SVM_LOCKED_OFF_NAME "svm-locked-off"
#define HVROM_FW_KNOWN (HVROM_FW_VMX_LOCKED_OFF | HVROM_FW_SVM_LOCKED_OFF)

struct hvrom_blob {
	uint32_t addr;  /* linear address of the first byte, 0 when absent */
	uint32_t size;  /* bytes; strings include their NUL */
};

struct hvrom_header {
	char magic[8];
	uint32_t version;
	uint32_t machine_ram_mib;   /* RAM the engine gives the machine */
	uint32_t rom_size;          /* whole ROM, a multiple of 64 KiB */
	uint32_t firmware_options; /* HVROM_FW_* bits: what the firmware does before the kernel */
	struct hvrom_blob kernel;          /* Multiboot2 ELF kernel */
	struct hvrom_blob kernel_cmdline;
	struct hvrom_blob module;          /* first boot module; size 0 = none */
	struct hvrom_blob module_cmdline;
	/* A second boot module (contract 1: further modules are ignored; the
	 * suite passes one to check that they are). size 0 = none. */
	struct hvrom_blob extra_module;
	struct hvrom_blob extra_module_cmdline;
	/* A third boot module, after the second (a Linux guest's disk, after
	 * its initrd: contract 16). size 0 = none. */
	struct hvrom_blob third_module;
	struct hvrom_blob third_module_cmdline;
	/* Modules that do not fit in the ROM (Bochs maps at most 2 MiB; a Linux
	 * guest is 9 MiB) lie on the firmware disk, mkrom -d: bit i of
	 * modules_on_disk set means module i (first, second, third) starts at
	 * sector module_lba[i] of that disk, and its blob's addr is 0. */
	uint32_t modules_on_disk;
	uint32_t module_lba[3];
};

#endif
