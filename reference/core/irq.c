/* The guest's local APIC and interrupt delivery (contract section 11 as
 * spec/events-design.md proposes it): the x2APIC state machine of
 * lib/x2apic.c driven by the guest's TSC, its MSRs, and the choice before
 * every entry between injecting an interrupt and waiting for the window. */
#include "arch.h"
#include "pc_uart.h"
#include "vm.h"
#include "x86.h"

void irq_init(struct vcpu *v, bool on)
{
	v->apic_on = on;
	x2apic_reset(&v->apic);
}

void irq_before_entry(struct vcpu *v)
{
	pc_uart_poll_host(v);   /* typed input reaches a waiting guest (platform=pc) */
	if (!v->apic_on)
		return;
	x2apic_update(&v->apic, arch->guest_tsc(v));
	int vector = x2apic_pending(&v->apic);
	if (vector >= 0 && arch->interruptible(v)) {
		/* The processor takes it: IRR to ISR (SDM vol. 3A 11.8.4). Any
		 * other pending vector now has a class at or below PPR's. */
		x2apic_accept(&v->apic, (unsigned)vector);
		arch->inject_interrupt(v, (unsigned)vector);
		vector = x2apic_pending(&v->apic);
	}
	arch->interrupt_window(v, vector >= 0);
	uint64_t next = x2apic_next_event(&v->apic);
	arch->timer_deadline(v, next == X2APIC_NO_EVENT ? ARCH_NO_DEADLINE : next);
}

static void gp(struct vcpu *v)
{
	vcpu_inject_exception(v, X86_EXC_GP, true, 0);
}

bool irq_rdmsr(struct vcpu *v, uint32_t msr)
{
	if (!v->apic_on || !x2apic_owns(msr))
		return false;
	uint64_t value;
	if (x2apic_read(&v->apic, msr, arch->guest_tsc(v), &value) != X2APIC_OK) {
		gp(v);
		return true;
	}
	v->regs.gpr[GPR_RAX] = (uint32_t)value;
	v->regs.gpr[GPR_RDX] = value >> 32;
	vcpu_skip_instruction(v);
	return true;
}

bool irq_wrmsr(struct vcpu *v, uint32_t msr, uint64_t value)
{
	if (!v->apic_on || !x2apic_owns(msr))
		return false;
	if (x2apic_write(&v->apic, msr, value, arch->guest_tsc(v)) != X2APIC_OK)
		gp(v);
	else
		vcpu_skip_instruction(v);
	return true;
}
