/* VM-exit dispatch: one table indexed by basic exit reason (ACRN style);
 * every exit is counted; an exit without a handler ends the VM with a
 * FATAL register dump (Jailhouse style). */
#include "vmx.h"
#include "console.h"
#include "format.h"
#include "io_exit.h"
#include "vm_end.h"
#include "vmcs_fields.h"
#include "vmx_insn.h"
#include "x86.h"

/* Exit qualification for control-register accesses (28.2.1, Table 28-3). */
#define CR_QUAL_NUMBER(q)       ((q) & 0xF)
#define CR_QUAL_ACCESS(q)       (((q) >> 4) & 0x3)
#define CR_QUAL_GPR(q)          (((q) >> 8) & 0xF)
#define CR_ACCESS_MOV_TO_CR     0
#define CR_ACCESS_MOV_FROM_CR   1
/* Exit qualification for EPT violations (28.2.1, Table 28-7). */
#define EPT_QUAL_READ           (1ull << 0)
#define EPT_QUAL_WRITE          (1ull << 1)
#define EPT_QUAL_FETCH          (1ull << 2)

struct exit_handler {
	void (*handle)(struct vcpu *v, uint64_t qualification);
	const char *name;
};

static uint64_t exit_counts[EXIT_REASON_COUNT];
static uint64_t exit_total;

static void exit_cpuid(struct vcpu *v, uint64_t q) { (void)q; handle_cpuid(v); }
static void exit_vmcall(struct vcpu *v, uint64_t q) { (void)q; handle_hypercall(v); }
static void exit_rdmsr(struct vcpu *v, uint64_t q) { (void)q; handle_rdmsr(v); }
static void exit_wrmsr(struct vcpu *v, uint64_t q) { (void)q; handle_wrmsr(v); }

static void exit_triple_fault(struct vcpu *v, uint64_t q)
{
	(void)q;
	vm_end("triple fault rip=0x%lx", vcpu_rip(v));
}

/* No interrupt ever reaches this guest, so HLT would sleep forever. */
static void exit_hlt(struct vcpu *v, uint64_t q)
{
	(void)q;
	vm_end("hlt rip=0x%lx", vcpu_rip(v));
}

static void exit_io(struct vcpu *v, uint64_t q)
{
	struct io_exit io;
	if (io_exit_decode(q, (uint32_t)vmread(VM_EXIT_INSTRUCTION_INFO), &io))
		vm_end("unhandled exit reason=%u qual=0x%lx rip=0x%lx", EXIT_IO_INSTRUCTION, q, vcpu_rip(v));
	handle_io(v, &io);
}

static void exit_ept_violation(struct vcpu *v, uint64_t q)
{
	enum ept_access access = q & EPT_QUAL_FETCH ? EPT_ACCESS_FETCH
			       : q & EPT_QUAL_WRITE ? EPT_ACCESS_WRITE : EPT_ACCESS_READ;
	handle_ept_violation(v, vmread(GUEST_PHYSICAL_ADDRESS), access);
}

static void exit_ept_misconfig(struct vcpu *v, uint64_t q)
{
	(void)v;
	(void)q;
	vm_end("ept misconfiguration gpa=0x%lx", vmread(GUEST_PHYSICAL_ADDRESS));
}

/* MOV to CR0/CR4 touching a masked bit, MOV to/from CR3 where the
 * processor forces CR3 exiting. */
static void exit_cr_access(struct vcpu *v, uint64_t q)
{
	uint64_t *reg = &v->regs.gpr[CR_QUAL_GPR(q)];
	unsigned cr = CR_QUAL_NUMBER(q), access = CR_QUAL_ACCESS(q);
	if (access == CR_ACCESS_MOV_FROM_CR && cr == 3) {
		*reg = vmread(GUEST_CR3);
	} else if (access == CR_ACCESS_MOV_TO_CR && cr == 3) {
		vmcs_write(GUEST_CR3, *reg);
	} else if (access == CR_ACCESS_MOV_TO_CR && cr == 0) {
		uint64_t old = vmread(GUEST_CR0), mask = vmread(CR0_GUEST_HOST_MASK);
		uint64_t value = (*reg & ~mask) | (old & mask);
		vmcs_write(CR0_READ_SHADOW, *reg);
		vmcs_write(GUEST_CR0, value);
		/* Paging turned on or off with EFER.LME: LMA follows (SDM 9.8.5). */
		uint64_t efer = vmread(GUEST_IA32_EFER);
		if ((old ^ value) & CR0_PG && efer & EFER_LME)
			vmcs_write(GUEST_IA32_EFER, value & CR0_PG ? efer | EFER_LMA : efer & ~EFER_LMA);
	} else if (access == CR_ACCESS_MOV_TO_CR && cr == 4) {
		uint64_t mask = vmread(CR4_GUEST_HOST_MASK);
		vmcs_write(CR4_READ_SHADOW, *reg & mask);
		vmcs_write(GUEST_CR4, (*reg & ~mask) | (vmread(GUEST_CR4) & mask));
	} else {
		vm_end("unhandled exit reason=%u qual=0x%lx rip=0x%lx", EXIT_CR_ACCESS, q, vcpu_rip(v));
	}
	vcpu_skip_instruction(v);
}

static const struct exit_handler exit_table[EXIT_REASON_COUNT] = {
	[EXIT_EXCEPTION_NMI]  = { 0, "exception" },
	[EXIT_EXTERNAL_INTERRUPT] = { 0, "external-interrupt" },
	[EXIT_TRIPLE_FAULT]   = { exit_triple_fault, "triple-fault" },
	[EXIT_CPUID]          = { exit_cpuid, "cpuid" },
	[EXIT_HLT]            = { exit_hlt, "hlt" },
	[EXIT_VMCALL]         = { exit_vmcall, "vmcall" },
	[EXIT_CR_ACCESS]      = { exit_cr_access, "cr-access" },
	[EXIT_IO_INSTRUCTION] = { exit_io, "io" },
	[EXIT_RDMSR]          = { exit_rdmsr, "rdmsr" },
	[EXIT_WRMSR]          = { exit_wrmsr, "wrmsr" },
	[EXIT_EPT_VIOLATION]  = { exit_ept_violation, "ept-violation" },
	[EXIT_EPT_MISCONFIG]  = { exit_ept_misconfig, "ept-misconfig" },
};

static const char *exit_name(unsigned reason)
{
	return reason < EXIT_REASON_COUNT && exit_table[reason].name ? exit_table[reason].name : 0;
}

void arch_log_exit_counts(void)
{
	static char line[512];
	unsigned n = (unsigned)format_buf(line, sizeof line, "exits: total=%lu", exit_total);
	for (unsigned r = 0; r < EXIT_REASON_COUNT; r++) {
		if (!exit_counts[r])
			continue;
		const char *name = exit_name(r);
		if (name)
			n += (unsigned)format_buf(line + n, sizeof line - n, " %s=%lu", name, exit_counts[r]);
		else
			n += (unsigned)format_buf(line + n, sizeof line - n, " reason%u=%lu", r, exit_counts[r]);
	}
	hv_log("%s", line);
}

static __attribute__((noreturn)) void fatal_unhandled(struct vcpu *v, unsigned reason, uint64_t q)
{
	static const char *const names[GPR_COUNT] = {
		"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
		"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15" };
	uint64_t rip = vcpu_rip(v);
	hv_log("FATAL: unhandled exit reason=%u qual=0x%lx rip=0x%lx rflags=0x%lx",
	       reason, q, rip, vmread(GUEST_RFLAGS));
	for (unsigned i = 0; i < GPR_COUNT; i += 4)
		hv_log("FATAL: %s=0x%lx %s=0x%lx %s=0x%lx %s=0x%lx",
		       names[i], v->regs.gpr[i], names[i + 1], v->regs.gpr[i + 1],
		       names[i + 2], v->regs.gpr[i + 2], names[i + 3], v->regs.gpr[i + 3]);
	hv_log("FATAL: cr0=0x%lx cr3=0x%lx cr4=0x%lx efer=0x%lx",
	       vmread(GUEST_CR0), vmread(GUEST_CR3), vmread(GUEST_CR4), vmread(GUEST_IA32_EFER));
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
		if (rc)
			vm_end("vm entry failed: no current vmcs");
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
