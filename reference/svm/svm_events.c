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

void svm_interrupt_window(struct vcpu *v, bool on)
{
	(void)v;
	const uint64_t vintr = VINTR_V_IRQ | VINTR_V_INTR_PRIO_MAX | VINTR_V_IGN_TPR;
	if (on) {
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
