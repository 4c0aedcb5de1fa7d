/* Control-register writes a vendor layer hands to core (contract 13): MOV
 * to CR0/CR3/CR4, CLTS and LMSW the processor did not finish itself
 * because they touched a bit the hypervisor keeps (VMX guest/host masks,
 * SVM CR0 write intercept). Core checks them as the processor would
 * (lib/cr_rules.c): a refused write injects #GP(0) with RIP left at the
 * instruction; an accepted one goes to the layer, which keeps its own
 * bits, and RIP moves past the instruction. CR8 is core's own: the local
 * APIC's TPR[7:4] with apic=x2apic, else a 4-bit register of the vCPU. */
#include "arch.h"
#include "cr_rules.h"
#include "vm.h"
#include "x2apic.h"
#include "x86.h"

#define CR8_TPR_SHIFT 4   /* CR8[3:0] = TPR[7:4] (SDM 11.8.6.1) */

static void context_of(struct vcpu *v, struct cr_context *c)
{
	struct guest_cpu_state s;
	vcpu_cpu_state(v, &s);
	c->cr0 = s.cr0;
	c->cr4 = s.cr4;
	c->efer = s.efer;
	c->code64 = vcpu_code_bits(v) == 64;
	vcpu_cr_limits(v, &c->cr4_writable, &c->phys_addr_bits);
}

/* Loads an accepted value, or injects #GP(0) (SDM vol. 2 MOV CR). */
static void finish(struct vcpu *v, bool ok, unsigned cr, uint64_t value)
{
	if (!ok) {
		vcpu_inject_exception(v, X86_EXC_GP, true, 0);
		return;
	}
	vcpu_set_cr(v, cr, value);
	vcpu_skip_instruction(v);
}

void handle_mov_to_cr(struct vcpu *v, unsigned cr, uint64_t reg)
{
	struct cr_context c;
	context_of(v, &c);
	uint64_t value = cr_operand(&c, reg);
	if (cr == 0)
		finish(v, cr0_write_ok(&c, value), 0, cr0_stored(value));
	else if (cr == 4)
		finish(v, cr4_write_ok(&c, value), 4, value);
	else
		finish(v, cr3_write_ok(&c, value), 3, cr3_stored(&c, value));
}

void handle_clts(struct vcpu *v)
{
	struct guest_cpu_state s;
	vcpu_cpu_state(v, &s);
	finish(v, true, 0, cr0_after_clts(s.cr0));
}

void handle_lmsw(struct vcpu *v, uint16_t msw)
{
	struct guest_cpu_state s;
	vcpu_cpu_state(v, &s);
	finish(v, true, 0, cr0_after_lmsw(s.cr0, msw));
}

void handle_mov_to_cr8(struct vcpu *v, uint64_t reg)
{
	if (reg & ~CR8_TPR_BITS) {
		vcpu_inject_exception(v, X86_EXC_GP, true, 0);
		return;
	}
	if (v->apic_on) {
		irq_wrmsr(v, X2APIC_MSR_TPR, reg << CR8_TPR_SHIFT);   /* moves RIP on */
		return;
	}
	v->cr8 = (uint8_t)reg;
	vcpu_skip_instruction(v);
}

void handle_mov_from_cr8(struct vcpu *v, unsigned gpr)
{
	uint64_t value = v->cr8;
	if (v->apic_on) {
		uint64_t tpr = 0;
		x2apic_read(&v->apic, X2APIC_MSR_TPR, arch->guest_tsc(v), &tpr);
		value = (tpr >> CR8_TPR_SHIFT) & CR8_TPR_BITS;
	}
	v->regs.gpr[gpr] = value;
	vcpu_skip_instruction(v);
}
