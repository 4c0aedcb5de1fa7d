/* Unit tests of hypercall: register mapping and Print checks (contract
 * section 5). */
#include <atf-c.h>
#include <stdint.h>

#include "hypercall.h"

#define CR0_PE (1ull << 0)
#define CR0_PG (1ull << 31)
#define CR4_PAE (1ull << 5)
#define EFER_LMA (1ull << 10)

static const struct guest_cpu_state PROT32 = { CR0_PE, 0, 0, 0 };
static const struct guest_cpu_state LONG = { CR0_PE | CR0_PG, 0x1000, CR4_PAE, EFER_LMA };

ATF_TC_WITHOUT_HEAD(abi_values);
ATF_TC_BODY(abi_values, tc)
{
	ATF_CHECK_EQ(HC_HALT_CPU, 0);
	ATF_CHECK_EQ(HC_PRINT, 1);
	ATF_CHECK_EQ(HC_PRINT_MAX, 4096);
	ATF_CHECK_EQ(HC_ENOSYS, -38);
	ATF_CHECK_EQ(HC_EFAULT, -14);
	ATF_CHECK_EQ(HC_E2BIG, -7);
	ATF_CHECK_EQ(HC_EINVAL, -22);
}

ATF_TC_WITHOUT_HEAD(register_mapping);
ATF_TC_BODY(register_mapping, tc)
{
	struct guest_regs r;
	for (unsigned i = 0; i < GPR_COUNT; i++)
		r.gpr[i] = 0x1111111100000000ull * (i + 1) + i;
	struct hypercall hc;
	hypercall_decode(&r, &hc);
	ATF_CHECK_EQ(hc.nr, r.gpr[GPR_RAX]);
	ATF_CHECK_EQ(hc.arg[0], r.gpr[GPR_RDI]);
	ATF_CHECK_EQ(hc.arg[1], r.gpr[GPR_RSI]);
	ATF_CHECK_EQ(hc.arg[2], r.gpr[GPR_RDX]);
	ATF_CHECK_EQ(hc.arg[3], r.gpr[GPR_R10]);
	ATF_CHECK_EQ(hc.arg[4], r.gpr[GPR_R9]);
	ATF_CHECK_EQ(hc.arg[5], r.gpr[GPR_R8]);
	/* The encodings the mapping relies on (SDM vol. 2 2.1.5). */
	ATF_CHECK_EQ(GPR_RAX, 0);
	ATF_CHECK_EQ(GPR_RDX, 2);
	ATF_CHECK_EQ(GPR_RSI, 6);
	ATF_CHECK_EQ(GPR_RDI, 7);
	ATF_CHECK_EQ(GPR_R8, 8);
	ATF_CHECK_EQ(GPR_R10, 10);
}

ATF_TC_WITHOUT_HEAD(print_too_big);
ATF_TC_BODY(print_too_big, tc)
{
	ATF_CHECK_EQ(hypercall_print_check(&LONG, 0x1000, HC_PRINT_MAX + 1), HC_E2BIG);
	ATF_CHECK_EQ(hypercall_print_check(&LONG, 0x1000, UINT64_MAX), HC_E2BIG);
	ATF_CHECK_EQ(hypercall_print_check(&PROT32, 0x1000, HC_PRINT_MAX + 1), HC_E2BIG);
	/* E2BIG is decided first, even for an address that is also bad. */
	ATF_CHECK_EQ(hypercall_print_check(&LONG, 0x0000800000000000ull, 5000), HC_E2BIG);
	ATF_CHECK_EQ(hypercall_print_check(&LONG, 0x1000, HC_PRINT_MAX), 0);
}

ATF_TC_WITHOUT_HEAD(print_bad_range);
ATF_TC_BODY(print_bad_range, tc)
{
	/* 32-bit protected mode: linear addresses end at 4 GiB. */
	ATF_CHECK_EQ(hypercall_print_check(&PROT32, 0xfffffff0, 0x11), HC_EINVAL);
	ATF_CHECK_EQ(hypercall_print_check(&PROT32, 0x100000000ull, 1), HC_EINVAL);
	ATF_CHECK_EQ(hypercall_print_check(&PROT32, 0xfffffff0, 0x10), 0);
	/* Long mode: gva + size wraps, or enters the non-canonical hole. */
	ATF_CHECK_EQ(hypercall_print_check(&LONG, 0xfffffffffffffff0ull, 0x11), HC_EINVAL);
	ATF_CHECK_EQ(hypercall_print_check(&LONG, 0x7ffffffffff0ull, 0x11), HC_EINVAL);
	ATF_CHECK_EQ(hypercall_print_check(&LONG, 0x0000800000000000ull, 1), HC_EINVAL);
	ATF_CHECK_EQ(hypercall_print_check(&LONG, 0xfffffffffffffff0ull, 0x10), 0);
	ATF_CHECK_EQ(hypercall_print_check(&LONG, 0x100000000ull, 0x10), 0);
}

ATF_TC_WITHOUT_HEAD(print_size_zero);
ATF_TC_BODY(print_size_zero, tc)
{
	/* "Print with size 0 returns 0 and prints nothing." */
	ATF_CHECK_EQ(hypercall_print_check(&LONG, 0x0000800000000000ull, 0), 0);
	ATF_CHECK_EQ(hypercall_print_check(&PROT32, UINT64_MAX, 0), 0);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, abi_values);
	ATF_TP_ADD_TC(tp, register_mapping);
	ATF_TP_ADD_TC(tp, print_too_big);
	ATF_TP_ADD_TC(tp, print_bad_range);
	ATF_TP_ADD_TC(tp, print_size_zero);
	return atf_no_error();
}
