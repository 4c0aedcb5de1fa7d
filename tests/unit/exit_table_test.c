/* The VM-exit table: the reasons the contract handles map to their own
 * handler, every other reason has none (so it ends in the FATAL report). */
#include <atf-c.h>
#include <string.h>
#include "exit_table.h"

/* Stand-ins for the handlers: the table only stores their addresses. */
#define STUB(name) enum exit_status name(struct vcpu *v, uint64_t q) { (void)v; (void)q; return EXIT_RESUME; }
STUB(vmexit_triple_fault) STUB(vmexit_cpuid) STUB(vmexit_hlt) STUB(vmexit_vmcall)
STUB(vmexit_cr_access) STUB(vmexit_io) STUB(vmexit_rdmsr) STUB(vmexit_wrmsr)
STUB(vmexit_ept_violation) STUB(vmexit_ept_misconfig)
STUB(vmexit_interrupt_window) STUB(vmexit_preemption_timer) STUB(vmexit_exception)

static const struct { unsigned reason; enum exit_status (*handler)(struct vcpu *, uint64_t); } handled[] = {
	{ 2, vmexit_triple_fault }, { 10, vmexit_cpuid }, { 12, vmexit_hlt },
	{ 18, vmexit_vmcall }, { 28, vmexit_cr_access }, { 30, vmexit_io },
	{ 31, vmexit_rdmsr }, { 32, vmexit_wrmsr }, { 48, vmexit_ept_violation },
	{ 49, vmexit_ept_misconfig }, { 7, vmexit_interrupt_window }, { 52, vmexit_preemption_timer },
	{ 0, vmexit_exception },
};
#define NHANDLED (sizeof handled / sizeof handled[0])

ATF_TC_WITHOUT_HEAD(handled_reasons);
ATF_TC_BODY(handled_reasons, tc)
{
	/* Reason numbers from SDM vol. 3 appendix C, written out independently. */
	for (unsigned i = 0; i < NHANDLED; i++) {
		ATF_CHECK_MSG(exit_table[handled[i].reason].handle == handled[i].handler,
			      "reason %u has the wrong handler", handled[i].reason);
		ATF_CHECK(exit_reason_name(handled[i].reason) != NULL);
	}
}

ATF_TC_WITHOUT_HEAD(other_reasons_unhandled);
ATF_TC_BODY(other_reasons_unhandled, tc)
{
	unsigned with_handler = 0;
	for (unsigned r = 0; r < EXIT_REASON_COUNT; r++)
		if (exit_table[r].handle)
			with_handler++;
	ATF_CHECK_EQ(with_handler, NHANDLED);
	/* VMX instructions in the guest (VMXON 27, VMLAUNCH 20) and INVD (13) must not be handled. */
	ATF_CHECK(exit_table[27].handle == NULL);
	ATF_CHECK(exit_table[20].handle == NULL);
	ATF_CHECK(exit_table[13].handle == NULL);
	ATF_CHECK(exit_reason_name(EXIT_REASON_COUNT) == NULL);
	ATF_CHECK(exit_reason_name(~0u) == NULL);
}

ATF_TC_WITHOUT_HEAD(names_unique);
ATF_TC_BODY(names_unique, tc)
{
	for (unsigned a = 0; a < EXIT_REASON_COUNT; a++)
		for (unsigned b = a + 1; b < EXIT_REASON_COUNT; b++)
			if (exit_reason_name(a) && exit_reason_name(b))
				ATF_CHECK_MSG(strcmp(exit_reason_name(a), exit_reason_name(b)) != 0,
					      "reasons %u and %u share a name", a, b);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, handled_reasons);
	ATF_TP_ADD_TC(tp, other_reasons_unhandled);
	ATF_TP_ADD_TC(tp, names_unique);
	return atf_no_error();
}
