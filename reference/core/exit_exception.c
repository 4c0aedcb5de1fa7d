/* Guest exceptions the hypervisor intercepts (contract section 12): with
 * intercept=pf every guest #PF exits (JOS VMM lab 4 style); it is counted
 * and delivered back as the processor would have delivered it, so the
 * guest's own handler runs unchanged: the same error code, CR2 = the
 * faulting linear address, and the double-fault rules applied when the #PF
 * came while the processor delivered another event (SDM vol. 3A 6.15
 * Table 6-5, AMD APM vol. 2 8.2.9). */
#include "arch.h"
#include "console.h"
#include "vm_end.h"
#include "x86.h"

/* Exception vectors by class (SDM vol. 3A 6.15 Table 6-4; APM vol. 2
 * 8.2.9 names the same contributory set). */
#define X86_EXC_DE 0    /* divide error */
#define X86_EXC_TS 10   /* invalid TSS */
#define X86_EXC_NP 11   /* segment not present */
#define X86_EXC_SS 12   /* stack fault */
#define X86_EXC_CP 21   /* control protection (Intel) */
#define X86_EXC_VE 20   /* virtualization exception (Intel): page-fault class */

enum exception_class { CLASS_BENIGN, CLASS_CONTRIBUTORY, CLASS_PAGE_FAULT, CLASS_DOUBLE_FAULT };

static bool intercepting;
static uint64_t page_faults;

static enum exception_class class_of(const struct interrupted_event *e)
{
	if (!e || !e->valid || !e->hw_exception)
		return CLASS_BENIGN;   /* interrupts, NMI and INTn are benign (Table 6-4) */
	switch (e->vector) {
	case X86_EXC_DE: case X86_EXC_TS: case X86_EXC_NP: case X86_EXC_SS:
	case X86_EXC_GP: case X86_EXC_CP:
		return CLASS_CONTRIBUTORY;
	case X86_EXC_PF: case X86_EXC_VE:
		return CLASS_PAGE_FAULT;
	case X86_EXC_DF:
		return CLASS_DOUBLE_FAULT;
	}
	return CLASS_BENIGN;
}

void exceptions_init(struct vcpu *v, bool intercept_pf)
{
	intercepting = intercept_pf;
	if (intercept_pf)
		arch->intercept_exception(v, X86_EXC_PF);
}

void handle_page_fault(struct vcpu *v, uint32_t error_code, uint64_t address,
		       const struct interrupted_event *interrupted)
{
	page_faults++;
	/* The #PF loads CR2 also when it turns into #DF (SDM vol. 3A 4.7). */
	arch->set_cr2(v, address);
	switch (class_of(interrupted)) {
	case CLASS_DOUBLE_FAULT:   /* a #PF while delivering #DF: shutdown */
		vm_end("triple fault rip=0x%lx", vcpu_rip(v));
	case CLASS_PAGE_FAULT:     /* a #PF while delivering a #PF: #DF, error code 0 */
		vcpu_inject_exception(v, X86_EXC_DF, true, 0);
		return;
	case CLASS_CONTRIBUTORY:   /* handled serially: the #PF replaces the first event */
	case CLASS_BENIGN:
		vcpu_inject_exception(v, X86_EXC_PF, true, error_code);
		return;
	}
}

void exceptions_log(void)
{
	if (intercepting)
		hv_log("page faults intercepted: %lu", page_faults);
}
