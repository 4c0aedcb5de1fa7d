/* The KeV hypercall ABI (contract section 5): VMCALL, RAX = number,
 * arguments RDI, RSI, RDX, R10, R9, R8, result in RAX. */
#ifndef HV_HYPERCALL_H
#define HV_HYPERCALL_H
#include <stdint.h>
#include "guest_paging.h"
#include "guest_regs.h"
#include "abi/hypercall.h"  /* numbers, selectors, results, HC_PRINT_MAX */

#define HC_NARGS 6
struct hypercall {
	uint64_t nr;
	uint64_t arg[HC_NARGS]; /* RDI, RSI, RDX, R10, R9, R8 */
};

void hypercall_decode(const struct guest_regs *r, struct hypercall *out);

/* Validates a Print request before any byte is copied: HC_E2BIG when size
 * > HC_PRINT_MAX, HC_EINVAL when [gva, gva + size) fails
 * guest_range_valid() in the guest's current mode; 0 when OK (size 0 is
 * always OK). */
int64_t hypercall_print_check(const struct guest_cpu_state *s, uint64_t gva, uint64_t size);

#endif
