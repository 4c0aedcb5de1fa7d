/* The KeV hypercall ABI (contract section 5): VMCALL, RAX = number,
 * arguments RDI, RSI, RDX, R10, R9, R8, result in RAX. */
#ifndef HV_HYPERCALL_H
#define HV_HYPERCALL_H
#include <stdint.h>
#include "guest_paging.h"
#include "guest_regs.h"

enum { HC_HALT_CPU = 0, HC_PRINT = 1, HC_MEM_STATS = 2 };
/* HC_MEM_STATS selectors (RDI); the value comes back in RAX (contract section 5). */
enum {
	HC_STAT_PAGES_POPULATED = 0,  /* guest RAM pages backed by a host frame */
	HC_STAT_FAULTS_SERVED = 1,    /* EPT violations the lazy pager resolved */
	HC_STAT_EPT_TABLE_FRAMES = 2, /* frames holding EPT paging structures */
	HC_STAT_HOST_FRAMES = 3,      /* every host frame the VM holds (RAM, tables, ROM) */
};
#define HC_PRINT_MAX 4096
/* Results are negated Linux errno values, as KeV returns them. */
enum { HC_ENOSYS = -38, HC_EFAULT = -14, HC_E2BIG = -7, HC_EINVAL = -22 };

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
