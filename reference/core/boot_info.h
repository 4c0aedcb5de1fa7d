/* What the hypervisor's own Multiboot2 loader told it. */
#ifndef HV_BOOT_INFO_H
#define HV_BOOT_INFO_H
#include <stdbool.h>
#include <stdint.h>
#include "mb2.h"

#define BOOT_INFO_MAX_MMAP 32

struct boot_info {
	const char *cmdline;                 /* "" when absent */
	bool has_module;
	uint64_t module_start, module_end;   /* host-physical, [start, end) */
	const char *module_string;
	/* The first module after the guest's that is not the disk: a bzImage
	 * guest's initrd (contract 1); other guests ignore it. */
	bool has_initrd;
	uint64_t initrd_start, initrd_end;   /* host-physical, [start, end) */
	/* The disk (contract section 2): the first module whose string's first
	 * word is `disk`; the guest is the first module that is not the disk. */
	bool has_disk;
	uint64_t disk_start, disk_end;      /* host-physical, [start, end) */
	unsigned nmmap;
	struct mb2_mmap_entry mmap[BOOT_INFO_MAX_MMAP];
	uint64_t info_start, info_end;       /* the information structure itself */
};

/* Returns NULL on success, else what is wrong with the information. */
const char *boot_info_parse(uint32_t magic, uint64_t info_addr, struct boot_info *out);

#endif
