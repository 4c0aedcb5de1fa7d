/* Control registers on SVM (contract 13). SVM has no guest/host masks: the
 * guest's CR0 and CR4 are the VMCB's, and the guest reads exactly those.
 * The CR0, CR3 and CR4 write intercepts (15.9) send MOV to those, CLTS and
 * LMSW here so that core checks them as the processor does: not every
 * engine does (QEMU 7.2's TCG takes NW without CD and reserved CR4 bits,
 * which VMRUN then refuses, 15.5.1;
 * Bochs 2.7's AMD models stop on PG without PE in long mode; see
 * spec/events-design.md "Control registers"). Without decode assists
 * (QEMU TCG) nothing reports the operand, so the instruction is decoded
 * from its bytes (lib/cr_insn.c), also where they exist: one path. */
#include "svm.h"
#include "vmcb.h"
#include "cr_insn.h"
#include "guest_mem.h"
#include "insn_scan.h"
#include "x86.h"

#define LMSW_OPERAND_BYTES 2   /* LMSW m16 (APM vol. 3 "LMSW") */
/* #PF error code bits (SDM vol. 3A 4.7; APM vol. 2 8.4.2) of a CPL-0 data
 * read, the only access LMSW makes: present (a protection fault), and
 * reserved bit set in a paging entry. */
#define PF_ERROR_PRESENT  (1u << 0)
#define PF_ERROR_RESERVED (1u << 3)

/* CR4 bits (APM vol. 2 3.1.3) and the CPUID bits that announce them (APM
 * vol. 3 appendix E; Intel SDM vol. 2A CPUID). VME..OSXMMEXCPT (bits 10:0)
 * exist on every long-mode processor. */
#define CR4_BASE_BITS        0x7FFull
#define CR4_UMIP             (1ull << 11)
#define CR4_FSGSBASE         (1ull << 16)
#define CR4_PCIDE            (1ull << 17)
#define CR4_OSXSAVE          (1ull << 18)
#define CR4_SMEP             (1ull << 20)
#define CR4_SMAP             (1ull << 21)
#define CR4_PKE              (1ull << 22)
#define CPUID_1_ECX_PCID     (1u << 17)
#define CPUID_1_ECX_XSAVE    (1u << 26)
#define CPUID_STRUCT_EXT     0x7u
#define CPUID_7_EBX_FSGSBASE (1u << 0)
#define CPUID_7_EBX_SMEP     (1u << 7)
#define CPUID_7_EBX_SMAP     (1u << 20)
#define CPUID_7_ECX_UMIP     (1u << 2)
#define CPUID_7_ECX_PKU      (1u << 3)

void svm_set_cr(struct vcpu *v, unsigned cr, uint64_t value)
{
	(void)v;
	/* The MOV this stands for flushes the guest's TLB (CR3, and CR0/CR4
	 * paging bits: SDM 4.10.4.1, APM vol. 2 5.5.3); the one ASID's flush
	 * at the next VMRUN does it (15.16.1). */
	VMCB_FIELD(svm_vmcb, uint8_t, VMCB_TLB_CONTROL) = TLB_CONTROL_FLUSH_ALL;
	if (cr == 0) {
		uint64_t old = VMCB_FIELD(svm_vmcb, uint64_t, VMCB_CR0);
		VMCB_FIELD(svm_vmcb, uint64_t, VMCB_CR0) = value;
		/* Paging on or off with EFER.LME: LMA follows (APM vol. 2 14.6.1);
		 * VMRUN takes the VMCB's EFER as it is. */
		uint64_t efer = VMCB_FIELD(svm_vmcb, uint64_t, VMCB_EFER);
		if ((old ^ value) & CR0_PG && efer & EFER_LME)
			VMCB_FIELD(svm_vmcb, uint64_t, VMCB_EFER) =
				value & CR0_PG ? efer | EFER_LMA : efer & ~EFER_LMA;
	} else if (cr == 3) {
		VMCB_FIELD(svm_vmcb, uint64_t, VMCB_CR3) = value;
	} else {
		VMCB_FIELD(svm_vmcb, uint64_t, VMCB_CR4) = value;
	}
}

/* The CR4 bits of the features CPUID announces (the guest's CPUID passes
 * them through, contract 7); the rest are reserved and VMRUN would refuse
 * them (15.5.1). CR4.LA57 stays out: it cannot change in long mode and
 * the reference's stage-2 walk knows four levels only. */
void svm_cr_limits(struct vcpu *v, uint64_t *cr4_writable, unsigned *phys_addr_bits)
{
	(void)v;
	struct cpuid_regs l1 = cpuid(CPUID_FEATURES, 0);
	uint64_t bits = CR4_BASE_BITS | (l1.ecx & CPUID_1_ECX_PCID ? CR4_PCIDE : 0) |
			(l1.ecx & CPUID_1_ECX_XSAVE ? CR4_OSXSAVE : 0);
	if (cpuid(0, 0).eax >= CPUID_STRUCT_EXT) {
		struct cpuid_regs l7 = cpuid(CPUID_STRUCT_EXT, 0);
		bits |= (l7.ebx & CPUID_7_EBX_FSGSBASE ? CR4_FSGSBASE : 0) |
			(l7.ebx & CPUID_7_EBX_SMEP ? CR4_SMEP : 0) |
			(l7.ebx & CPUID_7_EBX_SMAP ? CR4_SMAP : 0) |
			(l7.ecx & CPUID_7_ECX_UMIP ? CR4_UMIP : 0) |
			(l7.ecx & CPUID_7_ECX_PKU ? CR4_PKE : 0);
	}
	*cr4_writable = bits;
	*phys_addr_bits = svm_phys_addr_bits;
}

/* The 16 bits LMSW loads from memory. The intercept comes before the
 * operand is read (APM vol. 2 15.7.1: instruction intercepts are checked
 * before exceptions of memory accesses), so an operand that does not
 * translate gets the #PF the processor would raise, RIP on the LMSW, CR2
 * the first byte that fails; a non-canonical one #GP(0). False (nothing
 * injected) only where the guest's tables or operand lie outside its RAM. */
static bool lmsw_operand(struct vcpu *v, const struct cr_insn *in, uint64_t next_rip, uint16_t *msw,
			 bool *faulted)
{
	uint64_t linear = svm_segment_base(v, in->mem.segment) + cr_insn_offset(&in->mem, &v->regs, next_rip);
	if (svm_code_bits(v) != 64)
		linear &= 0xFFFFFFFFull;
	struct guest_cpu_state s;
	svm_cpu_state(v, &s);
	struct guest_mem m = guest_mem_of(v->vm);
	uint8_t bytes[LMSW_OPERAND_BYTES];
	int rc = guest_copy_from_virt(&m, &s, linear, bytes, sizeof bytes);
	*faulted = true;
	if (rc == GUEST_XLATE_BAD_RANGE) {
		svm_inject_exception(v, X86_EXC_GP, true, 0);
		return true;
	}
	if (rc == GUEST_XLATE_NOT_PRESENT || rc == GUEST_XLATE_RESERVED) {
		/* the operand may cross a page: which byte's page failed */
		uint64_t gpa, left, fault = linear;
		if (guest_translate(&m, &s, linear, &gpa, &left) == GUEST_XLATE_OK)
			fault = linear + left;
		svm_set_cr2(v, fault);
		svm_inject_exception(v, X86_EXC_PF, true,
				     rc == GUEST_XLATE_RESERVED ? PF_ERROR_PRESENT | PF_ERROR_RESERVED : 0);
		return true;
	}
	*faulted = false;
	if (rc != GUEST_XLATE_OK)
		return false;   /* LCOV_EXCL_LINE: paging structures or operand outside guest RAM */
	*msw = (uint16_t)(bytes[0] | bytes[1] << 8);
	return true;
}

bool svm_cr_write(struct vcpu *v, uint64_t *next_rip)
{
	uint8_t bytes[X86_MAX_INSN_LENGTH];
	unsigned avail = svm_insn_fetch(v, bytes);
	struct cr_insn in;
	if (!cr_insn_decode(bytes, avail, svm_code_bits(v), &in))
		return false;   /* LCOV_EXCL_LINE: unreadable bytes (they just ran) */
	*next_rip = svm_rip(v) + in.length;
	if (in.kind == CR_INSN_CLTS) {
		handle_clts(v);
	} else if (in.kind == CR_INSN_LMSW) {
		uint16_t msw = (uint16_t)v->regs.gpr[in.gpr];
		bool faulted = false;
		if (in.lmsw_memory && !lmsw_operand(v, &in, *next_rip, &msw, &faulted))
			return false;   /* LCOV_EXCL_LINE: only when lmsw_operand fails above (paging structures or operand outside guest RAM) */
		if (!faulted)
			handle_lmsw(v, msw);
	} else if (in.kind == CR_INSN_MOV_FROM_CR && in.cr == 8) {
		handle_mov_from_cr8(v, in.gpr);
	} else if (in.kind == CR_INSN_MOV_FROM_CR) {
		return false;   /* LCOV_EXCL_LINE: only CR8 reads are intercepted */
	} else if (in.cr == 8) {
		handle_mov_to_cr8(v, v->regs.gpr[in.gpr]);
	} else if (in.cr == 0 || in.cr == 3 || in.cr == 4) {
		handle_mov_to_cr(v, in.cr, v->regs.gpr[in.gpr]);
	} else {
		return false;   /* LCOV_EXCL_LINE: only CR0, CR3, CR4 and CR8 writes are intercepted */
	}
	return true;
}
