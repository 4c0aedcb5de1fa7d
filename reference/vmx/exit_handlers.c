/* The VM-exit handlers of the VMX backend: each decodes the VMX exit
 * information and calls the vendor-neutral core (core/vm.h). */
#include "exit_table.h"
#include "console.h"
#include "io_exit.h"
#include "vm_end.h"
#include "vmcs_fields.h"
#include "vmx.h"
#include "vmx_insn.h"
#include "x86.h"

/* Exit qualification for control-register accesses (28.2.1, Table 28-3). */
#define CR_QUAL_NUMBER(q)       ((q) & 0xF)
#define CR_QUAL_ACCESS(q)       (((q) >> 4) & 0x3)
#define CR_QUAL_GPR(q)          (((q) >> 8) & 0xF)
#define CR_QUAL_LMSW_SOURCE(q)  (((q) >> 16) & 0xFFFF)
#define CR_ACCESS_CLTS          2
#define CR_ACCESS_LMSW          3
#define CR_ACCESS_MOV_TO_CR     0
#define CR_ACCESS_MOV_FROM_CR   1
/* Exit qualification for EPT violations (28.2.1, Table 28-7). */
#define EPT_QUAL_WRITE          (1ull << 1)
#define EPT_QUAL_FETCH          (1ull << 2)

enum exit_status vmexit_cpuid(struct vcpu *v, uint64_t q) { (void)q; handle_cpuid(v); return EXIT_RESUME; }
enum exit_status vmexit_vmcall(struct vcpu *v, uint64_t q) { (void)q; handle_hypercall(v); return EXIT_RESUME; }
enum exit_status vmexit_rdmsr(struct vcpu *v, uint64_t q) { (void)q; handle_rdmsr(v); return EXIT_RESUME; }
enum exit_status vmexit_wrmsr(struct vcpu *v, uint64_t q) { (void)q; handle_wrmsr(v); return EXIT_RESUME; }

enum exit_status vmexit_triple_fault(struct vcpu *v, uint64_t q)
{
	(void)q;
	vm_end("triple fault rip=0x%lx", vcpu_rip(v));
}

enum exit_status vmexit_hlt(struct vcpu *v, uint64_t q) { (void)q; handle_hlt(v); return EXIT_RESUME; }

/* Both only hand control back: irq_before_entry delivers at the next entry. */
enum exit_status vmexit_interrupt_window(struct vcpu *v, uint64_t q) { (void)v; (void)q; return EXIT_RESUME; }
enum exit_status vmexit_preemption_timer(struct vcpu *v, uint64_t q) { (void)v; (void)q; return EXIT_RESUME; }

enum exit_status vmexit_io(struct vcpu *v, uint64_t q)
{
	struct io_exit io;
	if (io_exit_decode(q, (uint32_t)vmread(VM_EXIT_INSTRUCTION_INFO), &io))
		return EXIT_UNHANDLED;   /* LCOV_EXCL_LINE: only a reserved size, address-size or segment encoding fails the decode (SDM 28.2.1, 28.2.5): hardware misbehaves */
	handle_io(v, &io);
	return EXIT_RESUME;
}

enum exit_status vmexit_ept_violation(struct vcpu *v, uint64_t q)
{
	enum stage2_access access = q & EPT_QUAL_FETCH ? STAGE2_ACCESS_FETCH
			       : q & EPT_QUAL_WRITE ? STAGE2_ACCESS_WRITE : STAGE2_ACCESS_READ;
	handle_stage2_fault(v, vmread(GUEST_PHYSICAL_ADDRESS), access);
	return EXIT_RESUME;
}

/* LCOV_EXCL_START: only stage2.c writes EPT entries and its unit tests check each against SDM 29.3.3.1; no guest can change them: a misconfiguration exit means the CPU disagrees */
enum exit_status vmexit_ept_misconfig(struct vcpu *v, uint64_t q)
{
	(void)v;
	(void)q;
	vm_end("ept misconfiguration gpa=0x%lx", vmread(GUEST_PHYSICAL_ADDRESS));
}
/* LCOV_EXCL_STOP */

/* MOV to CR0/CR4 touching a masked bit, MOV to/from CR3 where the
 * processor forces CR3 exiting, MOV to/from CR8, CLTS and LMSW where they
 * would change a masked bit (26.1.3): core checks and loads (contract 13). */
enum exit_status vmexit_cr_access(struct vcpu *v, uint64_t q)
{
	uint64_t *reg = &v->regs.gpr[CR_QUAL_GPR(q)];
	unsigned cr = CR_QUAL_NUMBER(q), access = CR_QUAL_ACCESS(q);
	if (access == CR_ACCESS_MOV_FROM_CR && cr == 3) {
		*reg = vmread(GUEST_CR3);
		vcpu_skip_instruction(v);
	} else if (access == CR_ACCESS_MOV_FROM_CR && cr == 8) {
		handle_mov_from_cr8(v, CR_QUAL_GPR(q));
	} else if (access == CR_ACCESS_MOV_TO_CR && cr == 8) {
		handle_mov_to_cr8(v, *reg);
	} else if (access == CR_ACCESS_MOV_TO_CR && (cr == 0 || cr == 3 || cr == 4)) {
		handle_mov_to_cr(v, cr, *reg);
	/* LCOV_EXCL_START: CLTS and LMSW exit only where the CR0 mask holds TS (or PE, MP, EM) (26.1.3); the reference's masks (vmx.c) never do, a variant's may */
	} else if (access == CR_ACCESS_CLTS) {
		handle_clts(v);
	} else if (access == CR_ACCESS_LMSW) {
		handle_lmsw(v, (uint16_t)CR_QUAL_LMSW_SOURCE(q));
	} else {
		return EXIT_UNHANDLED;   /* none left: MOV from CR0/CR4 never exits (25.6.6) */
	}
	/* LCOV_EXCL_STOP */
	return EXIT_RESUME;
}
