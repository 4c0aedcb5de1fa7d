/* Interrupt delivery on SVM (core/arch.h members; contract section 11 as
 * spec/events-design.md proposes it): EVENTINJ (APM vol. 2 15.20), the
 * interrupt window as a virtual interrupt that is intercepted before the
 * guest takes it (V_IRQ with V_IGN_TPR and the VINTR intercept, 15.21.4),
 * the interrupt shadow (15.21.5) and the VMCB's TSC offset. */
#include "svm.h"
#include "vmcb.h"
#include "x86.h"
#include "x86_insn.h"

bool svm_interruptible(struct vcpu *v)
{
	(void)v;
	return VMCB_FIELD(svm_vmcb, uint64_t, VMCB_RFLAGS) & RFLAGS_IF &&
	       !(VMCB_FIELD(svm_vmcb, uint64_t, VMCB_INTERRUPT_SHADOW) & INTERRUPT_SHADOW_ACTIVE) &&
	       !(VMCB_FIELD(svm_vmcb, uint64_t, VMCB_EVENTINJ) & EVENT_VALID);
}

void svm_inject_interrupt(struct vcpu *v, unsigned vector)
{
	(void)v;
	VMCB_FIELD(svm_vmcb, uint64_t, VMCB_EVENTINJ) = (vector & EVENT_VECTOR_MASK) | EVENT_TYPE_INTR | EVENT_VALID;
}

/* The window opens when the instruction in an STI or MOV SS shadow is
 * done. V_IRQ should wait for that (15.21.4), but the engines disagree:
 * QEMU 7.2's TCG takes the VINTR intercept before that instruction runs
 * and reports the shadow gone, Bochs 2.7 never takes it once the shadow
 * ends (measured with irq_timer's STI; store to a fresh page). So inside a
 * shadow the layer single-steps that one instruction instead: RFLAGS.TF
 * with the #DB intercept, its trap exits right after it (the guest's TF,
 * DR6 and #DB intercept are put back then). */
static struct {
	bool active;
	uint64_t tf, dr6;
} step;

static bool in_shadow(void)
{
	return VMCB_FIELD(svm_vmcb, uint64_t, VMCB_INTERRUPT_SHADOW) & INTERRUPT_SHADOW_ACTIVE;
}

static void step_start(void)
{
	if (step.active)
		return;
	step.active = true;
	step.tf = VMCB_FIELD(svm_vmcb, uint64_t, VMCB_RFLAGS) & RFLAGS_TF;
	step.dr6 = VMCB_FIELD(svm_vmcb, uint64_t, VMCB_DR6);
	VMCB_FIELD(svm_vmcb, uint64_t, VMCB_RFLAGS) |= RFLAGS_TF;
	VMCB_FIELD(svm_vmcb, uint32_t, VMCB_INTERCEPT_EXCEPTIONS) |= 1u << X86_EXC_DB;
}

bool svm_step_done(void)
{
	if (!step.active)
		return false;   /* LCOV_EXCL_LINE: #DB is intercepted only while stepping */
	step.active = false;
	VMCB_FIELD(svm_vmcb, uint64_t, VMCB_RFLAGS) = (VMCB_FIELD(svm_vmcb, uint64_t, VMCB_RFLAGS) & ~RFLAGS_TF) | step.tf;
	VMCB_FIELD(svm_vmcb, uint64_t, VMCB_DR6) = step.dr6;
	VMCB_FIELD(svm_vmcb, uint32_t, VMCB_INTERCEPT_EXCEPTIONS) &= ~(1u << X86_EXC_DB);
	return true;
}

void svm_interrupt_window(struct vcpu *v, bool on)
{
	(void)v;
	const uint64_t vintr = VINTR_V_IRQ | VINTR_V_INTR_PRIO_MAX | VINTR_V_IGN_TPR;
	/* An event injected at this entry (a re-injected exception) is
	 * delivered first and ends the shadow: stepping then would push the
	 * layer's TF into the guest's exception frame (measured on QEMU with
	 * exc_pf mode=timer, spec/events-design.md), so V_IRQ waits instead. */
	bool injecting = VMCB_FIELD(svm_vmcb, uint64_t, VMCB_EVENTINJ) & EVENT_VALID;
	bool shadow_step = on && in_shadow() && !injecting &&
			   VMCB_FIELD(svm_vmcb, uint64_t, VMCB_RFLAGS) & RFLAGS_IF;
	if (shadow_step)
		step_start();
	if (on && !shadow_step) {
		VMCB_FIELD(svm_vmcb, uint64_t, VMCB_VINTR) |= vintr;
		VMCB_FIELD(svm_vmcb, uint32_t, VMCB_INTERCEPT_MISC1) |= INTERCEPT_VINTR;
	} else {
		VMCB_FIELD(svm_vmcb, uint64_t, VMCB_VINTR) &= ~vintr;
		VMCB_FIELD(svm_vmcb, uint32_t, VMCB_INTERCEPT_MISC1) &= ~INTERCEPT_VINTR;
	}
}

uint64_t svm_guest_tsc(struct vcpu *v)
{
	(void)v;
	return read_tsc() + VMCB_FIELD(svm_vmcb, uint64_t, VMCB_TSC_OFFSET);
}

void svm_advance_tsc(struct vcpu *v, uint64_t ticks)
{
	(void)v;
	VMCB_FIELD(svm_vmcb, uint64_t, VMCB_TSC_OFFSET) += ticks;
}
