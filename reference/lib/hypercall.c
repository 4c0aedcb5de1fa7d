/* Hypercall register decoding and Print argument checks. */
#include <stdint.h>
#include "hypercall.h"

/* The argument registers in ABI order (contract section 5). */
static const enum gpr_index HC_ARG_REGS[HC_NARGS] = {
	GPR_RDI, GPR_RSI, GPR_RDX, GPR_R10, GPR_R9, GPR_R8,
};

void hypercall_decode(const struct guest_regs *r, struct hypercall *out)
{
	out->nr = r->gpr[GPR_RAX];
	for (unsigned i = 0; i < HC_NARGS; i++)
		out->arg[i] = r->gpr[HC_ARG_REGS[i]];
}

int64_t hypercall_print_check(const struct guest_cpu_state *s, uint64_t gva, uint64_t size)
{
	if (size > HC_PRINT_MAX)
		return HC_E2BIG;
	if (!guest_range_valid(s, gva, size))
		return HC_EINVAL;
	return 0;
}
