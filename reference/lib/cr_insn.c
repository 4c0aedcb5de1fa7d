/* Decoder of MOV to CRn, CLTS and LMSW (cr_insn.h). ModRM and SIB as in
 * Intel SDM vol. 2 2.1.5 (Tables 2-1 for 16-bit addressing, 2-2, 2-3) and
 * 2.2.1 (REX, RIP-relative addressing); AMD APM vol. 3 1.4-1.5. */
#include "cr_insn.h"

#define MAX_LENGTH      15u          /* SDM vol. 2 2.3.11 */
#define REX_W_R_X_B     0x40         /* 40h-4Fh */
#define REX_R           0x4
#define REX_X           0x2
#define REX_B           0x1
#define OPCODE_ESCAPE   0x0F
#define OPCODE_MOV_TO_CR 0x22
#define OPCODE_MOV_FROM_CR 0x20
#define OPCODE_CLTS     0x06
#define OPCODE_GROUP7   0x01
#define GROUP7_LMSW     6            /* 0F 01 /6 */
#define MOD(m)          ((m) >> 6)
#define REG(m)          (((m) >> 3) & 7)
#define RM(m)           ((m) & 7)
#define MOD_REGISTER    3
#define RM_SIB          4
#define RM_DISP32       5            /* mod 00: no base (RIP-relative in 64-bit mode) */
#define SIB_NO_INDEX    4
#define CR8_BY_LOCK     8            /* AMD: LOCK MOV CR0 is MOV CR8 */

struct cursor {
	const uint8_t *bytes;
	unsigned avail, at;
};

static bool next(struct cursor *c, uint8_t *b)
{
	if (c->at >= c->avail || c->at >= MAX_LENGTH)
		return false;
	*b = c->bytes[c->at++];
	return true;
}

static bool next_disp(struct cursor *c, unsigned n, int64_t *disp)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++) {
		uint8_t b;
		if (!next(c, &b))
			return false;
		v |= (uint64_t)b << (8 * i);
	}
	*disp = n == 1 ? (int8_t)v : n == 2 ? (int16_t)v : (int32_t)v;
	return true;
}

/* 16-bit addressing (Table 2-1): r/m 0-7 is BX+SI, BX+DI, BP+SI, BP+DI, SI,
 * DI, BP, BX; r/m 6 with mod 00 is a disp16 alone. BP addresses the stack. */
#define RM16_DISP16 6
static const int8_t rm16_base[8] = { GPR_RBX, GPR_RBX, GPR_RBP, GPR_RBP,
				     CR_INSN_NO_REG, CR_INSN_NO_REG, GPR_RBP, GPR_RBX };
static const int8_t rm16_index[8] = { GPR_RSI, GPR_RDI, GPR_RSI, GPR_RDI,
				      GPR_RSI, GPR_RDI, CR_INSN_NO_REG, CR_INSN_NO_REG };

static bool memory_operand16(struct cursor *c, uint8_t modrm, int segment, struct cr_insn_mem *m)
{
	unsigned mod = MOD(modrm), rm = RM(modrm);
	m->base = rm16_base[rm];
	m->index = rm16_index[rm];
	m->scale = 1;
	m->disp = 0;
	m->rip_relative = false;
	if (mod == 0 && rm == RM16_DISP16) {
		m->base = CR_INSN_NO_REG;
		if (!next_disp(c, 2, &m->disp))
			return false;
	}
	if (mod == 1 && !next_disp(c, 1, &m->disp))
		return false;
	if (mod == 2 && !next_disp(c, 2, &m->disp))
		return false;
	m->segment = segment >= 0 ? (unsigned)segment : m->base == GPR_RBP ? SEGMENT_SS : SEGMENT_DS;
	return true;
}

/* The memory operand after its ModRM byte (mod != 3). */
static bool memory_operand(struct cursor *c, uint8_t modrm, unsigned rex, unsigned code_bits,
			   bool addr_prefix, int segment, struct cr_insn_mem *m)
{
	m->addr_bits = code_bits == 64 ? (addr_prefix ? 32 : 64)
		     : code_bits == 32 ? (addr_prefix ? 16 : 32) : (addr_prefix ? 32 : 16);
	if (m->addr_bits == 16)
		return memory_operand16(c, modrm, segment, m);
	m->base = m->index = CR_INSN_NO_REG;
	m->scale = 1;
	m->disp = 0;
	m->rip_relative = false;
	unsigned mod = MOD(modrm), rm = RM(modrm);
	if (rm == RM_SIB) {
		uint8_t sib;
		if (!next(c, &sib))
			return false;
		unsigned index = REG(sib) | (rex & REX_X ? 8u : 0u);
		if (index != SIB_NO_INDEX)
			m->index = (int)index;
		m->scale = 1u << MOD(sib);
		if (RM(sib) == RM_DISP32 && mod == 0) {
			if (!next_disp(c, 4, &m->disp))
				return false;
		} else {
			m->base = (int)(RM(sib) | (rex & REX_B ? 8u : 0u));
		}
	} else if (rm == RM_DISP32 && mod == 0) {
		m->rip_relative = code_bits == 64;
		if (!next_disp(c, 4, &m->disp))
			return false;
	} else {
		m->base = (int)(rm | (rex & REX_B ? 8u : 0u));
	}
	if (mod == 1 && !next_disp(c, 1, &m->disp))
		return false;
	if (mod == 2 && !next_disp(c, 4, &m->disp))
		return false;
	/* rBP and rSP bases address the stack (SDM vol. 1 3.7.4). */
	bool stack = m->base == GPR_RSP || m->base == GPR_RBP;
	m->segment = segment >= 0 ? (unsigned)segment : stack ? SEGMENT_SS : SEGMENT_DS;
	return true;
}

bool cr_insn_decode(const uint8_t *bytes, unsigned avail, unsigned code_bits, struct cr_insn *out)
{
	struct cursor c = { bytes, avail, 0 };
	uint8_t b;
	int segment = -1;
	bool lock = false, addr_prefix = false;
	unsigned rex = 0;
	for (;;) {
		if (!next(&c, &b))
			return false;
		int s = x86_segment_prefix(b);
		if (s >= 0)
			segment = s;
		else if (x86_other_legacy_prefix(b)) {
			lock |= b == PREFIX_LOCK;
			addr_prefix |= b == PREFIX_ADDRESS_SIZE;
		} else
			break;
	}
	if (code_bits == 64 && (b & 0xF0) == REX_W_R_X_B) {
		rex = b;
		if (!next(&c, &b))
			return false;
	}
	if (b != OPCODE_ESCAPE || !next(&c, &b))
		return false;
	struct cr_insn in = { 0 };
	uint8_t modrm;
	if (b == OPCODE_CLTS) {
		in.kind = CR_INSN_CLTS;
	} else if (b == OPCODE_MOV_TO_CR || b == OPCODE_MOV_FROM_CR) {
		/* The mod field is ignored: the operand is always a register. */
		if (!next(&c, &modrm))
			return false;
		in.kind = b == OPCODE_MOV_TO_CR ? CR_INSN_MOV_TO_CR : CR_INSN_MOV_FROM_CR;
		in.cr = REG(modrm) | (rex & REX_R ? 8u : 0u);
		if (lock && in.cr == 0)
			in.cr = CR8_BY_LOCK;
		in.gpr = RM(modrm) | (rex & REX_B ? 8u : 0u);
	} else if (b == OPCODE_GROUP7) {
		if (!next(&c, &modrm) || REG(modrm) != GROUP7_LMSW)
			return false;
		in.kind = CR_INSN_LMSW;
		if (MOD(modrm) == MOD_REGISTER)
			in.gpr = RM(modrm) | (rex & REX_B ? 8u : 0u);
		else {
			in.lmsw_memory = true;
			if (!memory_operand(&c, modrm, rex, code_bits, addr_prefix, segment, &in.mem))
				return false;
		}
	} else {
		return false;
	}
	in.length = c.at;
	*out = in;
	return true;
}

uint64_t cr_insn_offset(const struct cr_insn_mem *m, const struct guest_regs *regs, uint64_t next_rip)
{
	uint64_t a = (uint64_t)m->disp;
	if (m->rip_relative)
		a += next_rip;
	if (m->base != CR_INSN_NO_REG)
		a += regs->gpr[m->base];
	if (m->index != CR_INSN_NO_REG)
		a += regs->gpr[m->index] * m->scale;
	if (m->addr_bits == 16)
		return a & 0xFFFFull;   /* the offset wraps at 64 KiB */
	return m->addr_bits == 64 ? a : a & 0xFFFFFFFFull;
}
