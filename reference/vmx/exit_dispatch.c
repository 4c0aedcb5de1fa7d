/* VM-exit dispatch: one table indexed by basic exit reason (ACRN style);
 * every exit is counted (core/exit_accounting.c); an exit without a
 * handler, or whose handler returns EXIT_UNHANDLED, ends the VM through
 * core's one FATAL path, arch_exit_unhandled (Jailhouse style). */
#include "exit_table.h"
#include "vmx.h"
#include "vm_end.h"
#include "vmcs_fields.h"
#include "vmx_insn.h"
#include "x86.h"

/* The "IA-32e mode guest" entry control must equal EFER.LMA at every entry
 * (26.3.1.1); the guest changes LMA itself when it turns paging on. */
static void sync_ia32e_mode(void)
{
	uint64_t entry = vmread(VM_ENTRY_CONTROLS);
	bool lma = vmread(GUEST_IA32_EFER) & EFER_LMA;
	bool ia32e = entry & VM_ENTRY_IA32E_MODE_GUEST;
	if (lma != ia32e)
		vmcs_write(VM_ENTRY_CONTROLS, lma ? entry | VM_ENTRY_IA32E_MODE_GUEST
						  : entry & ~(uint64_t)VM_ENTRY_IA32E_MODE_GUEST);
}

void vmx_run_loop(struct vcpu *v)
{
	int launched = 0;
	for (;;) {
		irq_before_entry(v);
		vmcs_write(GUEST_RSP, v->regs.gpr[GPR_RSP]);
		sync_ia32e_mode();
		int rc = vmx_run(&v->regs, launched);
		if (rc == VMX_FAIL_VALID)
			vm_end("vm entry failed: instruction error %lu", vmread(VM_INSTRUCTION_ERROR));
		if (rc)   /* VMfailInvalid, after vmx_enable's VMPTRLD succeeded (SDM 31.2) */
			vm_end("vm entry failed: no current vmcs");   /* LCOV_EXCL_LINE: the CPU lost the current VMCS: hardware misbehaves */
		launched = 1;
		v->regs.gpr[GPR_RSP] = vmread(GUEST_RSP);
		uint32_t reason = (uint32_t)vmread(VM_EXIT_REASON);
		unsigned basic = reason & EXIT_REASON_BASIC_MASK;
		uint64_t q = vmread(EXIT_QUALIFICATION);
		arch_count_exit(basic);
		if (reason & EXIT_REASON_ENTRY_FAILURE)
			vm_end("vm entry failed: reason=%u qual=0x%lx", basic, q);
		vmx_requeue_vectoring();
		if (basic >= EXIT_REASON_COUNT || !exit_table[basic].handle ||
		    exit_table[basic].handle(v, q) == EXIT_UNHANDLED)
			arch_exit_unhandled(v, basic, q);
	}
}
