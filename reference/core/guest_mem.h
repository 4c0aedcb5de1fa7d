/* Reading and writing guest-physical and guest-virtual memory on the
 * guest's behalf, through the VM's EPT (never outside guest RAM). */
#ifndef HV_GUEST_MEM_H
#define HV_GUEST_MEM_H
#include <stdbool.h>
#include <stdint.h>
#include "vm.h"

bool guest_phys_in_ram(const struct vm *vm, uint64_t gpa, uint64_t len);
bool guest_phys_read(void *vm, uint64_t gpa, void *buf, uint64_t len);
bool guest_phys_write(void *vm, uint64_t gpa, const void *buf, uint64_t len);
/* A guest_mem for the paging walker of lib/guest_paging. */
struct guest_mem guest_mem_of(struct vm *vm);

#endif
