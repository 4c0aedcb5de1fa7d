/* CPUID ops (contract 7): random leaves and subleaves, biased to the
 * basic, extended and hypervisor ranges. Oracles: leaf 1 ECX.VMX = 0 and
 * ECX bit 31 = 1; leaf 0x40000000 = { 0x40000000, "hvspecrefvmm" };
 * 0x40000001-0x4FFFFFFF all zero; a leaf/subleaf seen before reads the
 * same again (a small cache); RAX-RDX's upper halves are zero in 64-bit
 * mode and no other GPR or status flag changes. */
#include "fuzz.h"

#define HV_LEAF_BASE 0x40000000u
#define HV_LEAF_LAST 0x4fffffffu
#define CACHE_SLOTS 128u

struct cached {
	bool used;
	uint32_t leaf, subleaf;
	uint32_t r[4];
};
static struct cached cache[CACHE_SLOTS];

static uint32_t max_basic, max_ext;

static uint32_t random_leaf(void)
{
	if (!max_basic) {
		max_basic = cpuid(0, 0).eax;
		max_ext = cpuid(CPUID_LEAF_EXT_MAX, 0).eax;
	}
	switch (rnd(10)) {
	case 0: case 1: case 2: return rnd(max_basic + 3);
	case 3: case 4: return CPUID_LEAF_EXT_MAX + rnd(max_ext - CPUID_LEAF_EXT_MAX + 3);
	case 5: {
		/* The range's edges and just outside it. */
		static const uint32_t edges[] = { HV_LEAF_BASE - 1, HV_LEAF_BASE + 1,
						  HV_LEAF_LAST, HV_LEAF_LAST + 1 };
		return chance(2) ? edges[rnd(4)] : HV_LEAF_BASE + rnd(0x20);
	}
	case 6: return HV_LEAF_BASE + (uint32_t)rnd64() % (HV_LEAF_LAST - HV_LEAF_BASE + 1);
	case 7: return chance(2) ? CPUID_LEAF_FEATURES : HV_LEAF_BASE;
	default: return (uint32_t)rnd64();
	}
}

/* "hvspecrefvmm" as EBX, ECX, EDX (little endian, 4 bytes each). */
static uint32_t le32(const char *s)
{
	return (uint32_t)(uint8_t)s[0] | (uint32_t)(uint8_t)s[1] << 8 |
	       (uint32_t)(uint8_t)s[2] << 16 | (uint32_t)(uint8_t)s[3] << 24;
}

void op_cpuid(void)
{
	uint32_t leaf = random_leaf();
	uint32_t subleaf = chance(2) ? rnd(8) : (uint32_t)rnd64();
	random_regs();
	fuzz_in.gpr[R_AX] = (fuzz_in.gpr[R_AX] & ~0xfffffffful) | leaf;
	fuzz_in.gpr[R_CX] = (fuzz_in.gpr[R_CX] & ~0xfffffffful) | subleaf;
	static const uint8_t insn[] = { 0x0f, 0xa2 }; /* CPUID, vol. 2A */
	counts.exits_at_least++;
	int vec = fuzz_run(insn, sizeof(insn));
	if (vec != FAULT_NONE) {
		mismatch("cpuid 0x%x/0x%x: exception %d at slot+%lu", leaf, subleaf,
			 vec, fault_offset());
		return;
	}
	static const unsigned out_reg[4] = { R_AX, R_BX, R_CX, R_DX };
	uint32_t r[4];
	for (unsigned i = 0; i < 4; i++) {
		unsigned long v = fuzz_out.gpr[out_reg[i]];
		r[i] = (uint32_t)v;
		if (v != r[i])
			mismatch("cpuid 0x%x/0x%x: upper half of register %u set (0x%llx)",
				 leaf, subleaf, out_reg[i], (unsigned long long)v);
	}
	regs_preserved("cpuid", (1u << R_AX) | (1u << R_BX) | (1u << R_CX) |
					(1u << R_DX));

	if (leaf == CPUID_LEAF_FEATURES &&
	    ((r[2] & CPUID_1_ECX_VMX) || !(r[2] & CPUID_1_ECX_HYPERVISOR)))
		mismatch("cpuid 1: ecx=0x%x (VMX must read 0, bit 31 must read 1)", r[2]);
	if (leaf == HV_LEAF_BASE) {
		static const char sig[] = "hvspecrefvmm";
		if (r[0] != HV_LEAF_BASE || r[1] != le32(sig) || r[2] != le32(sig + 4) ||
		    r[3] != le32(sig + 8))
			mismatch("cpuid 0x40000000: 0x%x 0x%x 0x%x 0x%x", r[0], r[1],
				 r[2], r[3]);
	} else if (leaf > HV_LEAF_BASE && leaf <= HV_LEAF_LAST &&
		   (r[0] | r[1] | r[2] | r[3])) {
		mismatch("cpuid 0x%x/0x%x: 0x%x 0x%x 0x%x 0x%x, expected zeros", leaf,
			 subleaf, r[0], r[1], r[2], r[3]);
	}

	/* Stability: the same leaf/subleaf reads the same. */
	struct cached *c = &cache[(leaf * 31u + subleaf) % CACHE_SLOTS];
	if (c->used && c->leaf == leaf && c->subleaf == subleaf) {
		for (unsigned i = 0; i < 4; i++)
			if (c->r[i] != r[i]) {
				mismatch("cpuid 0x%x/0x%x: register %u read 0x%x, "
					 "earlier 0x%x", leaf, subleaf, i, r[i], c->r[i]);
				break;
			}
	} else {
		c->used = true;
		c->leaf = leaf;
		c->subleaf = subleaf;
		for (unsigned i = 0; i < 4; i++)
			c->r[i] = r[i];
	}
}
