/* MSR ops (contract 8): RDMSR and WRMSR of the emulated MSRs, of MSRs a
 * processor or another hypervisor has (VMX capabilities, APIC, TSC,
 * STAR...), and of random indexes, with garbage in the upper halves of
 * RCX, RAX and RDX. Oracles: an emulated MSR reads back what was last
 * written (EDX:EAX, upper halves zeroed), EFER keeps only SCE/LME/NXE
 * with LMA as the mode sets it and a reserved bit raises #GP leaving it
 * unchanged; every other MSR raises #GP(0) with RIP still at the
 * instruction and no register changed.
 * Excluded (README.md): writes that change EFER.LME (they would move the
 * probe out of its paging mode; the processor raises #GP for them with
 * paging on) and non-canonical values for the address MSRs (VM entry
 * would refuse them; the contract does not say what a hypervisor does). */
#include "fuzz.h"

#define MSR_HVSPEC_SCRATCH 0xabcu
#define EFER_WRITABLE (EFER_SCE | EFER_LME | EFER_NXE)
#define CANONICAL_BITS 48 /* 4-level paging, vol. 1 3.3.7.1 */

enum msr_kind { MK_PLAIN, MK_CANONICAL, MK_SELECTOR, MK_EFER };
struct emulated_msr {
	uint32_t index;
	enum msr_kind kind;
	uint64_t value; /* the model */
};

static struct emulated_msr emulated[] = {
	{ MSR_IA32_SYSENTER_CS, MK_SELECTOR, 0 },
	{ MSR_IA32_SYSENTER_ESP, MK_CANONICAL, 0 },
	{ MSR_IA32_SYSENTER_EIP, MK_CANONICAL, 0 },
	{ MSR_IA32_EFER, MK_EFER, 0 },
	{ MSR_IA32_FS_BASE, MK_CANONICAL, 0 },
	{ MSR_IA32_GS_BASE, MK_CANONICAL, 0 },
	{ MSR_IA32_KERNEL_GS_BASE, MK_CANONICAL, 0 },
	{ MSR_HVSPEC_SCRATCH, MK_PLAIN, 0 },
};
#define EMULATED_COUNT (sizeof(emulated) / sizeof(emulated[0]))

/* MSRs real processors have, which the contract makes unknown. */
static const uint32_t other_msrs[] = {
	0x0, 0x1, 0x10, 0x1b, 0x3a, 0x48, 0x49, 0x8b, 0xe7, 0xe8, 0xfe,
	0x173, 0x177, 0x179, 0x17a, 0x1a0, 0x1d9, 0x277, 0x2ff, 0x480, 0x481,
	0x482, 0x485, 0x486, 0x487, 0x488, 0x48b, 0x48c, 0x48d, 0x490, 0x491,
	0x6e0, 0x802, 0x808, 0x830, 0x83f, 0xabb, 0xabd, 0xc0000081,
	0xc0000082, 0xc0000083, 0xc0000084, 0xc0000103, 0xc0000104,
	0xc0010000, 0xc0010114, 0x40000000, 0x40000001, 0x4b564d00,
	0x80000000, 0xffffffff,
};

static struct emulated_msr *find(uint32_t index)
{
	for (unsigned i = 0; i < EMULATED_COUNT; i++)
		if (emulated[i].index == index)
			return &emulated[i];
	return 0;
}

/* The model starts from what the MSRs hold when the mode begins. */
void msr_model_init(void)
{
	for (unsigned i = 0; i < EMULATED_COUNT; i++)
		emulated[i].value = rdmsr(emulated[i].index);
}

static uint64_t lma_now(void)
{
#ifdef __x86_64__
	return EFER_LMA;
#else
	return 0;
#endif
}

static uint64_t canonical(uint64_t v)
{
	unsigned shift = 64 - CANONICAL_BITS;
	return (uint64_t)((int64_t)(v << shift) >> shift);
}

/* A value to write, and whether the write must raise #GP. */
static uint64_t write_value(const struct emulated_msr *m, bool *gp)
{
	*gp = false;
	uint64_t v = rnd64();
	switch (m->kind) {
	case MK_PLAIN: return chance(4) ? (uint64_t)rnd(256) : v;
	case MK_CANONICAL: return canonical(chance(4) ? v & 0xffff : v);
	case MK_SELECTOR: return (uint32_t)v;
	case MK_EFER: {
		uint64_t w = (m->value & EFER_LME) | (v & (EFER_SCE | EFER_NXE));
		if (chance(4))
			w |= v & EFER_LMA; /* read-only: the write leaves it */
		if (chance(6)) {
			uint64_t reserved = ~(uint64_t)(EFER_WRITABLE | EFER_LMA);
			uint64_t bit = 1ull << rnd(64);
			while (!(bit & reserved))
				bit = 1ull << rnd(64);
			w |= bit;
			*gp = true;
		}
		/* Opt-in (efer_lme=1): flip LME with paging on. The processor raises
		 * #GP (SDM vol. 3, "Initializing IA-32e Mode": LME changes only with paging off); the contract
		 * does not say so yet, hence off by default (README.md). */
		if (fuzz_efer_lme_flips && plan.paging && chance(8)) {
			w ^= EFER_LME;
			*gp = true;
		}
		return w;
	}
	}
	return v;
}

static uint64_t efer_read_value(uint64_t stored)
{
	return (stored & EFER_WRITABLE) | lma_now();
}

static uint32_t random_index(void)
{
	switch (rnd(10)) {
	case 0: case 1: case 2: case 3:
		return emulated[rnd(EMULATED_COUNT)].index;
	case 4: case 5: case 6:
		return other_msrs[rnd(sizeof(other_msrs) / sizeof(other_msrs[0]))];
	default:
		return (uint32_t)rnd64();
	}
}

void op_msr(void)
{
	uint32_t index = random_index();
	struct emulated_msr *m = find(index);
	bool write = chance(2), gp = !m;
	uint64_t value = 0;
	random_regs();
	/* Only ECX selects the MSR; RCX's upper half is noise. */
	fuzz_in.gpr[R_CX] = (fuzz_in.gpr[R_CX] & ~0xfffffffful) | index;
	if (write && m) {
		value = write_value(m, &gp);
		fuzz_in.gpr[R_AX] = (fuzz_in.gpr[R_AX] & ~0xfffffffful) | (uint32_t)value;
		fuzz_in.gpr[R_DX] = (fuzz_in.gpr[R_DX] & ~0xfffffffful) |
				    (uint32_t)(value >> 32);
	}
	/* WRMSR 0F 30, RDMSR 0F 32 (vol. 2B). */
	const uint8_t insn[2] = { 0x0f, write ? 0x30 : 0x32 };
	int vec = fuzz_run(insn, 2);
	const char *name = write ? "wrmsr" : "rdmsr";
	if (gp) {
		if (vec != VEC_GP || last_fault.error_code || fault_offset()) {
			mismatch("%s 0x%x value=0x%llx: exception %d error=0x%lx at "
				 "slot+%lu, expected #GP(0) at slot+0", name, index,
				 (unsigned long long)value, vec, last_fault.error_code,
				 fault_offset());
			return;
		}
		counts.faults++;
		regs_preserved(name, 0);
		return;
	}
	if (vec != FAULT_NONE) {
		mismatch("%s 0x%x value=0x%llx: exception %d error=0x%lx at slot+%lu",
			 name, index, (unsigned long long)value, vec,
			 last_fault.error_code, fault_offset());
		return;
	}
	if (write) {
		m->value = m->kind == MK_EFER ? efer_read_value(value) : value;
		regs_preserved(name, 0);
		return;
	}
	uint64_t want = m->kind == MK_EFER ? efer_read_value(m->value) : m->value;
	unsigned long rax = fuzz_out.gpr[R_AX], rdx = fuzz_out.gpr[R_DX];
	/* RDMSR writes EAX and EDX; in 64-bit mode it zeroes bits 63:32. */
	if (rax != (unsigned long)(uint32_t)want ||
	    rdx != (unsigned long)(uint32_t)(want >> 32))
		mismatch("rdmsr 0x%x: rdx:rax=0x%llx:0x%llx, expected 0x%llx", index,
			 (unsigned long long)rdx, (unsigned long long)rax,
			 (unsigned long long)want);
	regs_preserved(name, (1u << R_AX) | (1u << R_DX));
}

uint64_t msr_model_value(uint32_t index)
{
	struct emulated_msr *m = find(index);
	return m ? m->value : 0;
}
