/* The CR4 bits of features CPUID announces (contract 13, cr.cr4-features),
 * in 64-bit mode: for each, what the guest's own CPUID says and what a MOV
 * to CR4 that sets the bit does. A bit whose feature the guest's CPUID
 * announces can be set and reads back; one it does not announce is
 * reserved, so setting it raises #GP(0) at the MOV and changes nothing
 * (SDM vol. 3A 2.5, vol. 2 "MOV--Move to/from Control Registers"; AMD APM
 * vol. 2 3.1.3). The probe prints both sides; the case compares them. Each
 * bit is cleared again at once. Safe with the runtime's page tables: they
 * map supervisor pages only, so SMEP, SMAP and PKE change no access the
 * probe makes, and UMIP affects ring 3 only. One line per feature
 * `cr: cr4_feature name=<n> bit=<b> announced=<0|1> not_announced=<0|1>
 * accepted=<0|1> gp0_at_mov=<0|1> bit_reads=<0|1> other_bits_same=<0|1>
 * restored=<0|1> before=0x.. after=0x.. vector=<v|none> error=0x..`. */
#ifndef GP_CR_REGS_CR4_FEATURES_H
#define GP_CR_REGS_CR4_FEATURES_H
#include "../shared/cr_checks.h"

#define CPUID_LEAF_STRUCT_EXT 0x7u       /* structured extended features, subleaf 0 */

enum cpuid_reg { CPUID_EBX, CPUID_ECX };

struct cr4_feature {
	const char *name;
	unsigned cr4_bit;       /* SDM vol. 3A 2.5, Figure 2-7 */
	unsigned leaf;          /* CPUID leaf announcing the feature (vol. 2A CPUID) */
	enum cpuid_reg reg;
	unsigned cpuid_bit;
};

static const struct cr4_feature cr4_features[] = {
	{ "umip", 11, CPUID_LEAF_STRUCT_EXT, CPUID_ECX, 2 },
	{ "fsgsbase", 16, CPUID_LEAF_STRUCT_EXT, CPUID_EBX, 0 },
	{ "pcide", 17, CPUID_LEAF_FEATURES, CPUID_ECX, 17 },   /* PCID */
	{ "osxsave", 18, CPUID_LEAF_FEATURES, CPUID_ECX, 26 }, /* XSAVE */
	{ "smep", 20, CPUID_LEAF_STRUCT_EXT, CPUID_EBX, 7 },
	{ "smap", 21, CPUID_LEAF_STRUCT_EXT, CPUID_EBX, 20 },
	{ "pke", 22, CPUID_LEAF_STRUCT_EXT, CPUID_ECX, 3 },     /* PKU */
};

static int cr4_feature_announced(const struct cr4_feature *f)
{
	if (cpuid(CPUID_LEAF_VENDOR, 0).eax < f->leaf)
		return 0;       /* the leaf is beyond the highest: nothing there */
	struct cpuid_regs r = cpuid(f->leaf, 0);
	uint32_t word = f->reg == CPUID_EBX ? r.ebx : r.ecx;
	return (word >> f->cpuid_bit) & 1;
}

static void cr4_feature_bits(void)
{
	for (unsigned i = 0; i < sizeof cr4_features / sizeof cr4_features[0]; i++) {
		const struct cr4_feature *f = &cr4_features[i];
		unsigned long bit = CRB(f->cr4_bit), before = read_cr4();
		int announced = cr4_feature_announced(f);
		int vector = write_cr4_caught(before | bit);
		unsigned long error = last_fault.error_code, offset = last_fault.offset;
		unsigned long after = read_cr4();
		if (vector == FAULT_NONE)
			write_cr4(before);
		int gp0 = vector == CR_VECTOR_GP && error == 0 && offset == 0;
		printf("cr: cr4_feature name=%s bit=%u announced=%d not_announced=%d accepted=%d gp0_at_mov=%d bit_reads=%d other_bits_same=%d restored=%d before=0x%lx after=0x%lx",
		       f->name, f->cr4_bit, announced, !announced, vector == FAULT_NONE, gp0,
		       (after & bit) != 0, ((after ^ before) & ~bit) == 0, read_cr4() == before,
		       before, after);
		if (vector == FAULT_NONE)
			printf(" vector=none\n");
		else
			printf(" vector=%d error=0x%lx rip_offset=%lu\n", vector, error, offset);
	}
}

#endif
