/* Builds the Linux "zero page" (struct boot_params, Documentation/arch/x86/
 * zero-page.rst and boot.rst "Details of Header Fields") for a validated
 * bzImage, and the e820 map of a guest layout. Pure: writes only its
 * outputs. */
#ifndef HV_BOOT_PARAMS_H
#define HV_BOOT_PARAMS_H
#include <stdint.h>
#include "bzimage.h"
#include "elf_guest.h" /* struct gpa_range, struct guest_layout */

#define BOOT_PARAMS_BYTES 4096
#define BOOT_PARAMS_E820_MAX 128     /* E820_MAX_ENTRIES_ZEROPAGE */

/* e820 types (ACPI 6.4 table 15.1 "Address Range Types"; zero-page.rst). */
#define E820_TYPE_RAM 1
#define E820_TYPE_RESERVED 2

/* The legacy BIOS area below 1 MiB that the map reserves: the EBDA at
 * 639 KiB up to the end of the ROM area (zero-page.rst leaves it to the
 * loader; Linux reserves it in reserve_bios_regions anyway). */
#define E820_LOW_RAM_END 0x9fc00ull
#define E820_HIGH_RAM_BASE 0x100000ull

struct e820_entry {
	uint64_t addr, size;
	uint32_t type;
};

/* RAM [0, 0x9fc00), reserved [0x9fc00, 1 MiB), RAM from 1 MiB to the end
 * of guest RAM less the device windows inside it, then every window as
 * reserved. Returns the entry count, or 0 when max entries are too few or
 * the RAM ends below 1 MiB. */
unsigned e820_from_layout(const struct guest_layout *layout,
			  struct e820_entry *out, unsigned max);

struct boot_params_request {
	const uint8_t *image;        /* the bzImage bzimage_parse accepted */
	const struct bzimage_info *info;
	uint64_t cmdline_gpa;        /* NUL-terminated command line */
	uint64_t cmdline_len;        /* without the NUL */
	uint64_t initrd_gpa, initrd_size; /* size 0: no initrd */
	uint64_t acpi_rsdp_gpa;      /* 0: no ACPI tables (zero-page.rst acpi_rsdp_addr) */
	const struct e820_entry *e820;
	unsigned ne820;
};

/* Fills page (BOOT_PARAMS_BYTES) from r. Returns NULL, or a reason: the
 * command line is too long or above 4 GiB, the initrd passes
 * initrd_addr_max, the map is empty or too long. */
const char *boot_params_build(uint8_t *page, const struct boot_params_request *r);

#endif
