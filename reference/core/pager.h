/* The lazy pager: guest RAM gets host frames only when first touched,
 * zero-filled or filled from the guest ELF image (contract section 2). */
#ifndef HV_PAGER_H
#define HV_PAGER_H
#include <stdbool.h>
#include <stdint.h>
#include "arch.h"
#include "vm.h"

#define PAGER_PAGE_SIZE 4096ull

/* Creates the VM's (empty) stage-2 table in the format the vendor layer
 * found. Ends the VM if it cannot be set up. */
void pager_init(struct vm *vm, const struct arch_caps *caps);
bool pager_in_ram(const struct vm *vm, uint64_t gpa);
/* Backs the guest page holding gpa; ends the VM with "out of memory" when
 * no host frame is left. The page must be in RAM and not yet backed. */
void pager_populate(struct vm *vm, uint64_t gpa);

/* Frees every frame the VM holds: RAM pages, the ROM, stage-2 tables and the
 * pager's own bitmap. */
void pager_teardown(struct vm *vm);

#endif
