/* The lazy pager: guest RAM gets host frames only when first touched,
 * zero-filled or filled from the guest ELF image (contract section 2). */
#ifndef HV_PAGER_H
#define HV_PAGER_H
#include <stdbool.h>
#include <stdint.h>
#include "vm.h"

#define PAGER_PAGE_SIZE 4096ull

/* Creates the VM's (empty) EPT. Ends the VM if EPT cannot be set up. */
void pager_init(struct vm *vm, uint64_t ept_caps, unsigned phys_addr_bits);
bool pager_in_ram(const struct vm *vm, uint64_t gpa);
/* Backs the guest page holding gpa; ends the VM with "out of memory" when
 * no host frame is left. The page must be in RAM and not yet backed. */
void pager_populate(struct vm *vm, uint64_t gpa);

/* Frees every frame the VM holds: RAM pages, the ROM, EPT tables and the
 * pager's own bitmap. */
void pager_teardown(struct vm *vm);

#endif
