/* Interrupt delivery on VMX (core/arch.h members; contract section 11 as
 * spec/events-design.md proposes it): event injection through the VM-entry
 * interruption-information field (27.6), interrupt-window exiting, the
 * guest interruptibility state, the VMX-preemption timer (26.5.1) and TSC
 * offsetting. The controls are turned on the first time core needs them,
 * so a guest without a local APIC runs with the VMCS it always had. */
#include "vmx.h"
#include "vmcs_fields.h"
#include "vmx_insn.h"
#include "vmx_msrs.h"
#include "x86.h"
#include "x86_insn.h"

#define PREEMPTION_TIMER_MAX 0xFFFFFFFFull   /* a 32-bit field (B.3.3) */

static bool allowed1(uint64_t cap_msr, uint32_t bit)
{
	return (uint32_t)(cap_msr >> 32) & bit;
}

static void set_control(uint64_t field, uint32_t bit, bool on)
{
	uint64_t old = vmread(field);
	uint64_t value = on ? old | bit : old & ~(uint64_t)bit;
	if (value != old)
		vmcs_write(field, value);
}

bool vmx_interruptible(struct vcpu *v)
{
	(void)v;
	return vmread(GUEST_RFLAGS) & RFLAGS_IF &&
	       !(vmread(GUEST_INTERRUPTIBILITY) & (GUEST_INTR_BLOCKING_STI | GUEST_INTR_BLOCKING_MOV_SS)) &&
	       !(vmread(VM_ENTRY_INTR_INFO) & INTR_INFO_VALID);
}

void vmx_inject_interrupt(struct vcpu *v, unsigned vector)
{
	(void)v;
	vmcs_write(VM_ENTRY_INTR_INFO, (vector & 0xFFu) | INTR_INFO_TYPE_EXT_INTR | INTR_INFO_VALID);
}

void vmx_interrupt_window(struct vcpu *v, bool on)
{
	(void)v;
	if (on && !allowed1(vmx_current_caps()->proc, CPU_BASED_INTR_WINDOW_EXITING))
		return;   /* LCOV_EXCL_LINE: every Bochs VMX model offers it (measured, spec/events-design.md) */
	set_control(CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_INTR_WINDOW_EXITING, on);
}

static bool tsc_offsetting(void)
{
	return vmread(CPU_BASED_VM_EXEC_CONTROL) & CPU_BASED_USE_TSC_OFFSETTING;
}

uint64_t vmx_guest_tsc(struct vcpu *v)
{
	(void)v;
	/* With offsetting on and RDTSC exiting off, the guest reads TSC + offset. */
	return read_tsc() + (tsc_offsetting() ? vmread(TSC_OFFSET) : 0);
}

void vmx_advance_tsc(struct vcpu *v, uint64_t ticks)
{
	(void)v;
	if (!tsc_offsetting()) {
		vmcs_write(TSC_OFFSET, 0);
		set_control(CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_USE_TSC_OFFSETTING, true);
	}
	vmcs_write(TSC_OFFSET, vmread(TSC_OFFSET) + ticks);
}

/* The timer counts only while the guest runs, once every 2^rate TSC ticks
 * (IA32_VMX_MISC[4:0]); the guest's TSC also moves while the host works,
 * so an exit at 0 comes at or after the deadline, never before. Once on it
 * stays on with the largest value when no deadline is wanted: Bochs 2.7
 * keeps exiting with reason 52 at every entry when the control is cleared
 * after the timer expired (measured, spec/events-design.md). */
void vmx_timer_deadline(struct vcpu *v, uint64_t tsc)
{
	const struct vmx_caps *caps = vmx_current_caps();
	bool on = vmread(PIN_BASED_VM_EXEC_CONTROL) & PIN_BASED_PREEMPTION_TIMER;
	if (!on) {
		if (tsc == ARCH_NO_DEADLINE || !allowed1(caps->pin, PIN_BASED_PREEMPTION_TIMER))
			return;
		set_control(PIN_BASED_VM_EXEC_CONTROL, PIN_BASED_PREEMPTION_TIMER, true);
	}
	uint64_t value = PREEMPTION_TIMER_MAX;
	if (tsc != ARCH_NO_DEADLINE) {
		uint64_t now = vmx_guest_tsc(v);
		value = tsc > now ? (tsc - now) >> (caps->misc & VMX_MISC_PREEMPTION_RATE) : 0;
		if (value > PREEMPTION_TIMER_MAX)
			value = PREEMPTION_TIMER_MAX;
	}
	vmcs_write(VMX_PREEMPTION_TIMER_VALUE, value);
}

void vmx_requeue_vectoring(void)
{
	uint64_t info = vmread(IDT_VECTORING_INFO);
	if (!(info & INTR_INFO_VALID))
		return;
	uint64_t type = info & INTR_INFO_TYPE_MASK;
	if (info & INTR_INFO_DELIVER_ERROR_CODE)
		vmcs_write(VM_ENTRY_EXCEPTION_ERROR_CODE, vmread(IDT_VECTORING_ERROR_CODE));
	if (type == INTR_INFO_TYPE_SOFT_INTR || type == INTR_INFO_TYPE_PRIV_SOFT_EXC ||
	    type == INTR_INFO_TYPE_SOFT_EXC)
		vmcs_write(VM_ENTRY_INSTRUCTION_LEN, vmread(VM_EXIT_INSTRUCTION_LEN));
	vmcs_write(VM_ENTRY_INTR_INFO, info & ~(uint64_t)IDT_VECTORING_UNDEFINED);
}
