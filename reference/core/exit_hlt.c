/* HLT (contract sections 3, 11 and 15). Without an interrupt controller
 * (the local APIC of apic=x2apic, the 8259A pair of platform=pc) nothing
 * can wake the guest. With one, and RFLAGS.IF = 1, the guest waits: its
 * TSC moves forward to the next timer event (no emulated time is spent
 * waiting), and it resumes after HLT with the interrupt delivered by
 * irq_before_entry. When no interrupt can ever become deliverable the VM
 * ends. */
#include "arch.h"
#include "vm.h"
#include "vm_end.h"
#include "x86.h"

void handle_hlt(struct vcpu *v)
{
	uint64_t rip = vcpu_rip(v);
	if (!irq_has_controller(v) || !(vcpu_rflags(v) & RFLAGS_IF))
		vm_end("hlt rip=0x%lx", rip);
	vcpu_skip_instruction(v);   /* also ends an STI shadow: sti; hlt wakes */
	for (bool waited = false;; waited = true) {
		if (irq_pending(v) >= 0)
			return;
		/* A timer that fired once without letting anything through never
		 * will: its vector (its IRR bit) stays pending, and the masks and
		 * what is in service cannot change while the guest waits. */
		uint64_t next = irq_next_event(v);
		uint64_t now = arch->guest_tsc(v);
		if (next == ARCH_NO_DEADLINE || waited)
			vm_end("hlt rip=0x%lx", rip);
		arch->advance_tsc(v, next > now ? next - now : 1);
	}
}
