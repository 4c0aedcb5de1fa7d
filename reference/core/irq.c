/* Interrupt delivery (contract sections 11 and 15): the guest's local APIC
 * (the x2APIC state machine of lib/x2apic.c driven by the guest's TSC, its
 * MSRs) or, with platform=pc, the 8259A pair fed by the 8254
 * (core/pc_pic.c, core/pc_pit.c); and the choice before every entry
 * between injecting an interrupt and waiting for the window. */
#include "arch.h"
#include "pc_pic.h"
#include "pc_pit.h"
#include "pc_uart.h"
#include "vm.h"
#include "x86.h"

void irq_init(struct vcpu *v, bool on)
{
	v->apic_on = on;
	x2apic_reset(&v->apic);
}

bool irq_has_controller(struct vcpu *v)
{
	return v->apic_on || v->vm->platform_pc;
}

int irq_pending(struct vcpu *v)
{
	if (v->apic_on) {
		x2apic_update(&v->apic, arch->guest_tsc(v));
		return x2apic_pending(&v->apic);
	}
	pc_pit_update(v);
	return pc_pic_pending(v->vm);
}

uint64_t irq_next_event(struct vcpu *v)
{
	if (!v->apic_on)
		return pc_pit_next_event(v);
	uint64_t next = x2apic_next_event(&v->apic);
	return next == X2APIC_NO_EVENT ? ARCH_NO_DEADLINE : next;
}

/* The processor takes vector: the controller moves it to in-service (SDM
 * vol. 3A 11.8.4; the 8259A's INTA) and names the vector it delivers. */
static int accept(struct vcpu *v, int vector)
{
	if (!v->apic_on)
		return pc_pic_acknowledge(v->vm);
	x2apic_accept(&v->apic, (unsigned)vector);
	return vector;
}

void irq_before_entry(struct vcpu *v)
{
	pc_uart_poll_host(v);   /* typed input reaches a waiting guest (platform=pc) */
	if (!irq_has_controller(v))
		return;
	int vector = irq_pending(v);
	if (vector >= 0 && arch->interruptible(v)) {
		arch->inject_interrupt(v, (unsigned)accept(v, vector));
		/* Any other pending vector now waits behind the one in service. */
		vector = v->apic_on ? x2apic_pending(&v->apic) : pc_pic_pending(v->vm);
	}
	arch->interrupt_window(v, vector >= 0);
	arch->timer_deadline(v, irq_next_event(v));
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
