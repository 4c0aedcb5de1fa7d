/* HLT (contract sections 3 and 11). Without a local APIC nothing can wake
 * the guest. With one, and RFLAGS.IF = 1, the guest waits: its TSC moves
 * forward to the next timer event (no emulated time is spent waiting), and
 * it resumes after HLT with the interrupt delivered by irq_before_entry.
 * When no interrupt can ever become deliverable the VM ends. */
#include "arch.h"
#include "vm.h"
#include "vm_end.h"
#include "x86.h"

void handle_hlt(struct vcpu *v)
{
	uint64_t rip = vcpu_rip(v);
	if (!v->apic_on || !(vcpu_rflags(v) & RFLAGS_IF))
		vm_end("hlt rip=0x%lx", rip);
	vcpu_skip_instruction(v);   /* also ends an STI shadow: sti; hlt wakes */
	for (bool waited = false;; waited = true) {
		uint64_t now = arch->guest_tsc(v);
		x2apic_update(&v->apic, now);
		if (x2apic_pending(&v->apic) >= 0)
			return;
		/* A timer that fired once without letting anything through never
		 * will: its vector stays pending, and TPR and ISR cannot change
		 * while the guest waits. */
		uint64_t next = x2apic_next_event(&v->apic);
		if (next == X2APIC_NO_EVENT || waited)
			vm_end("hlt rip=0x%lx", rip);
		arch->advance_tsc(v, next > now ? next - now : 1);
	}
}
