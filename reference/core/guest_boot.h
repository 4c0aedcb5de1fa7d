/* Loads the guest image into guest RAM and prepares its Multiboot2 entry
 * state (contract section 2). */
#ifndef HV_GUEST_BOOT_H
#define HV_GUEST_BOOT_H
#include <stdint.h>
#include "vm.h"

struct guest_entry {
	uint64_t rip;      /* e_entry */
	uint64_t info_gpa; /* EBX */
};

/* Returns NULL on success, else the contract's refusal reason. */
const char *guest_boot_load(struct vm *vm, const void *image, uint64_t size,
			    const char *cmdline, struct guest_entry *out);

#endif
