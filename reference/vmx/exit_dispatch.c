/* VM-exit dispatch: one table indexed by basic exit reason (ACRN style);
 * every exit is counted; an exit without a handler ends the VM with a
 * FATAL register dump (Jailhouse style). */
#include "exit_table.h"
#include "vmx.h"
#include "console.h"
#include "format.h"
#include "vm_end.h"
#include "vmcs_fields.h"
#include "vmx_insn.h"
#include "x86.h"

static uint64_t exit_counts[EXIT_REASON_COUNT];
static uint64_t exit_total;

void arch_log_exit_counts(void)
{
	static char line[512];
	unsigned n = (unsigned)format(line, sizeof line, "exits: total=%lu", exit_total);
	for (unsigned r = 0; r < EXIT_REASON_COUNT; r++) {
		if (!exit_counts[r])
			continue;
		const char *name = exit_reason_name(r);
		if (name)
			n += (unsigned)format(line + n, sizeof line - n, " %s=%lu", name, exit_counts[r]);
		else
			n += (unsigned)format(line + n, sizeof line - n, " reason%u=%lu", r, exit_counts[r]);
	}
	hv_log("%s", line);
}

/* One FATAL line with everything needed to debug the exit (Jailhouse style). */
static __attribute__((noreturn)) void fatal_unhandled(struct vcpu *v, unsigned reason, uint64_t q)
{
	static const char *const names[GPR_COUNT] = {
		"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
		"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15" };
	static char regs[GPR_COUNT * 24];
	unsigned n = 0;
	for (unsigned i = 0; i < GPR_COUNT; i++)
		n += (unsigned)format(regs + n, sizeof regs - n, " %s=0x%lx", names[i], v->regs.gpr[i]);
	uint64_t rip = vcpu_rip(v);
	hv_log("FATAL: unhandled exit reason=%u qual=0x%lx rip=0x%lx rflags=0x%lx cr0=0x%lx cr3=0x%lx cr4=0x%lx efer=0x%lx%s",
	       reason, q, rip, vmread(GUEST_RFLAGS), vmread(GUEST_CR0), vmread(GUEST_CR3),
	       vmread(GUEST_CR4), vmread(GUEST_IA32_EFER), regs);
	vm_end("unhandled exit reason=%u qual=0x%lx rip=0x%lx", reason, q, rip);
}

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
		exit_total++;
		if (basic < EXIT_REASON_COUNT)
			exit_counts[basic]++;
		if (reason & EXIT_REASON_ENTRY_FAILURE)
			vm_end("vm entry failed: reason=%u qual=0x%lx", basic, q);
		if (basic >= EXIT_REASON_COUNT || !exit_table[basic].handle)
			fatal_unhandled(v, basic, q);
		exit_table[basic].handle(v, q);
	}
}
