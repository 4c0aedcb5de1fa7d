/* CR0 ops (contract 2: the guest reads back the CR0 it wrote, bits the
 * hypervisor keeps for itself, CD and NW, included): MOV to CR0 with a
 * random choice of CD, NW, AM, WP, NE and MP toggled, then MOV from CR0.
 * Oracle: the read gives exactly the value written; no other GPR or
 * status flag changes. NW is set only with CD (NW without CD raises #GP,
 * vol. 3 2.5); PE, PG, ET, EM and TS are left alone (they would change
 * the probe's mode or make its next instructions fault). The mode's CR0
 * comes back at its end (cr0_restore). */
#include "fuzz.h"

#define CR0_MP (1ul << 1)
#define CR0_NE (1ul << 5)
#define CR0_AM (1ul << 18)
#define CR0_NW (1ul << 29)
#define CR0_CD (1ul << 30)
#define CR0_TOGGLED (CR0_MP | CR0_NE | CR0_WP | CR0_AM | CR0_NW | CR0_CD)
/* MOV CR0, r / MOV r, CR0 with RAX (vol. 2B, MOV control registers). */
#define MOV_TO_CR0 { 0x0f, 0x22, 0xc0 }
#define MOV_FROM_CR0 { 0x0f, 0x20, 0xc0 }

static unsigned long mode_cr0;

void cr0_remember(void)
{
	mode_cr0 = read_cr0();
}

void cr0_restore(void)
{
	write_cr0(mode_cr0);
}

void op_cr0(void)
{
	unsigned long v = read_cr0() ^ ((unsigned long)rnd64() & CR0_TOGGLED);
	if ((v & CR0_NW) && !(v & CR0_CD))
		v &= ~CR0_NW;
	static const uint8_t to_cr0[] = MOV_TO_CR0, from_cr0[] = MOV_FROM_CR0;
	random_regs();
	fuzz_in.gpr[R_AX] = v;
	int vec = fuzz_run(to_cr0, sizeof(to_cr0));
	if (vec != FAULT_NONE) {
		mismatch("mov cr0, 0x%lx: exception %d at slot+%lu", v, vec, fault_offset());
		return;
	}
	regs_preserved("mov to cr0", 0);
	random_regs();
	vec = fuzz_run(from_cr0, sizeof(from_cr0));
	if (vec != FAULT_NONE) {
		mismatch("mov from cr0: exception %d at slot+%lu", vec, fault_offset());
		return;
	}
	if (fuzz_out.gpr[R_AX] != v)
		mismatch("cr0: wrote 0x%lx, read back 0x%lx", v, fuzz_out.gpr[R_AX]);
	regs_preserved("mov from cr0", 1u << R_AX);
}
