/* Decoder for the MOV forms a guest uses on device memory.
 * Encodings from SDM vol. 2 chapter 2 (instruction format) and the MOV,
 * MOVZX and MOVSX pages of vol. 2. */
#include <stdbool.h>
#include <stddef.h>

#include "mmio_decode.h"

/* An instruction is at most 15 bytes (vol. 2 section 2.3.11). */
#define INSN_MAX_LENGTH 15u

/* Legacy prefixes (vol. 2 section 2.1.1). */
#define PREFIX_OPERAND_SIZE 0x66
#define PREFIX_ADDRESS_SIZE 0x67
#define PREFIX_SEG_ES 0x26
#define PREFIX_SEG_CS 0x2e
#define PREFIX_SEG_SS 0x36
#define PREFIX_SEG_DS 0x3e
#define PREFIX_SEG_FS 0x64
#define PREFIX_SEG_GS 0x65
#define PREFIX_LOCK 0xf0
#define PREFIX_REPNE 0xf2
#define PREFIX_REP 0xf3

/* REX prefix 0100WRXB, 64-bit mode only (vol. 2 section 2.2.1). */
#define REX_MASK 0xf0
#define REX_BASE 0x40
#define REX_W 0x08
#define REX_R 0x04
#define REX_X 0x02
#define REX_B 0x01

/* Opcodes (vol. 2, MOV / MOVZX / MOVSX). */
#define OP_MOV_RM8_R8 0x88
#define OP_MOV_RM_R 0x89
#define OP_MOV_R8_RM8 0x8a
#define OP_MOV_R_RM 0x8b
#define OP_MOV_AL_MOFFS 0xa0
#define OP_MOV_RAX_MOFFS 0xa1
#define OP_MOV_MOFFS_AL 0xa2
#define OP_MOV_MOFFS_RAX 0xa3
#define OP_MOV_RM8_IMM8 0xc6
#define OP_MOV_RM_IMM 0xc7
#define OP_TWO_BYTE 0x0f
#define OP2_MOVZX_8 0xb6
#define OP2_MOVZX_16 0xb7
#define OP2_MOVSX_8 0xbe
#define OP2_MOVSX_16 0xbf

/* ModRM and SIB fields (vol. 2 section 2.1.5, Tables 2-1..2-3). */
#define MODRM_MOD(b) ((unsigned)(b) >> 6)
#define MODRM_REG(b) (((unsigned)(b) >> 3) & 7u)
#define MODRM_RM(b) ((unsigned)(b) & 7u)
#define MOD_NO_DISP 0u
#define MOD_DISP8 1u
#define MOD_DISP_FULL 2u
#define MOD_REGISTER 3u
#define RM_SIB 4u       /* 32/64-bit addressing: a SIB byte follows */
#define RM_DISP_ONLY 5u /* with mod 00: disp32 (RIP-relative in 64-bit mode) */
#define SIB_BASE_NONE 5u /* with mod 00: no base, disp32 */
#define REG_SP 4u
#define REG_BP 5u
/* 16-bit forms (Table 2-1): rm 010/011 use BP, rm 110 is BP with
 * mod 01/10 and a bare disp16 with mod 00. */
#define RM16_BP_SI 2u
#define RM16_BP_DI 3u
#define RM16_BP 6u
#define RM16_SI 4u    /* rm 100..111: one register, Table 2-1 */
static const unsigned rm16_base[2] = { GPR_RBX, GPR_RBP };   /* rm 000-001, 010-011 */
static const unsigned rm16_single[4] = { GPR_RSI, GPR_RDI, GPR_RBP, GPR_RBX };

/* Without REX, byte-register numbers 4..7 name AH, CH, DH, BH: the high
 * byte of registers 0..3 (vol. 2 section 2.2.1.2). */
#define HIGH_BYTE_FIRST 4u

struct cursor {
	const uint8_t *bytes;
	unsigned avail;
	unsigned pos;
};

/* What the prefixes and the mode make of the instruction. */
struct prefix_state {
	enum mmio_cpu_mode mode;
	unsigned operand_size; /* bytes */
	unsigned address_size; /* bytes */
	uint8_t rex;           /* 0 when no REX is in effect */
	int segment_override;  /* -1: none */
};

static int next_byte(struct cursor *c, uint8_t *b)
{
	if (c->pos >= INSN_MAX_LENGTH)
		return MMIO_DECODE_UNSUPPORTED;
	if (c->pos >= c->avail)
		return MMIO_DECODE_TRUNCATED;
	*b = c->bytes[c->pos++];
	return MMIO_DECODE_OK;
}

/* Little-endian field of n bytes (displacements, immediates, moffs). */
static int next_field(struct cursor *c, unsigned n, uint64_t *value)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++) {
		uint8_t b;
		int err = next_byte(c, &b);

		if (err)
			return err;
		v |= (uint64_t)b << (8u * i);
	}
	*value = v;
	return MMIO_DECODE_OK;
}

static uint64_t width_mask(unsigned width)
{
	return width >= 8u ? ~0ull : (1ull << (8u * width)) - 1u;
}

static uint64_t sign_extend(uint64_t value, unsigned width)
{
	uint64_t sign = 1ull << (8u * width - 1u);

	value &= width_mask(width);
	return (value ^ sign) - sign;
}

static int segment_of_prefix(uint8_t b)
{
	switch (b) {
	case PREFIX_SEG_ES: return SEGMENT_ES;
	case PREFIX_SEG_CS: return SEGMENT_CS;
	case PREFIX_SEG_SS: return SEGMENT_SS;
	case PREFIX_SEG_DS: return SEGMENT_DS;
	case PREFIX_SEG_FS: return SEGMENT_FS;
	case PREFIX_SEG_GS: return SEGMENT_GS;
	default: return -1;
	}
}

/* Consumes prefixes and returns the first opcode byte. A REX counts only
 * right before the opcode; one followed by another prefix is ignored, as
 * the processor does (vol. 2 section 2.2.1). */
static int read_prefixes(struct cursor *c, struct prefix_state *ps, uint8_t *opcode)
{
	bool operand_prefix = false, address_prefix = false;

	ps->rex = 0;
	ps->segment_override = -1;
	for (;;) {
		uint8_t b;
		int err = next_byte(c, &b);

		if (err)
			return err;
		if (ps->mode == MMIO_MODE_64 && (b & REX_MASK) == REX_BASE) {
			ps->rex = b;
			continue;
		}
		if (b == PREFIX_LOCK)
			return MMIO_DECODE_UNSUPPORTED;
		if (b == PREFIX_OPERAND_SIZE)
			operand_prefix = true;
		else if (b == PREFIX_ADDRESS_SIZE)
			address_prefix = true;
		else if (segment_of_prefix(b) >= 0)
			ps->segment_override = segment_of_prefix(b);
		else if (b != PREFIX_REPNE && b != PREFIX_REP) {
			*opcode = b;
			break;
		}
		ps->rex = 0;
	}

	/* Operand and address sizes (vol. 1 section 3.6, Tables 3-3 and 3-4):
	 * REX.W beats 66 in 64-bit mode; 64-bit mode defaults to 32-bit
	 * operands and 64-bit addresses. */
	switch (ps->mode) {
	case MMIO_MODE_16:
		ps->operand_size = operand_prefix ? 4 : 2;
		ps->address_size = address_prefix ? 4 : 2;
		break;
	case MMIO_MODE_32:
		ps->operand_size = operand_prefix ? 2 : 4;
		ps->address_size = address_prefix ? 2 : 4;
		break;
	case MMIO_MODE_64:
		ps->operand_size = (ps->rex & REX_W) ? 8 : operand_prefix ? 2 : 4;
		ps->address_size = address_prefix ? 4 : 8;
		/* ES, CS, SS and DS overrides have no effect in 64-bit mode
		 * (vol. 1 section 3.4.2.1). */
		if (ps->segment_override >= 0 && ps->segment_override < SEGMENT_FS)
			ps->segment_override = -1;
		break;
	}
	return MMIO_DECODE_OK;
}

/* Consumes ModRM, SIB and displacement; sets reg, segment and
 * rip_relative. A register operand (mod 11) touches no memory. */
static int read_memory_operand(struct cursor *c, const struct prefix_state *ps, struct mmio_insn *in)
{
	uint8_t modrm;
	unsigned disp_bytes = 0;
	bool stack_base = false;
	int err = next_byte(c, &modrm);

	if (err)
		return err;
	unsigned mod = MODRM_MOD(modrm), rm = MODRM_RM(modrm);

	if (mod == MOD_REGISTER)
		return MMIO_DECODE_UNSUPPORTED;
	in->reg = MODRM_REG(modrm) | ((ps->rex & REX_R) ? 8u : 0u);

	if (ps->address_size == 2) {
		/* Table 2-1. */
		if (mod == MOD_DISP8)
			disp_bytes = 1;
		else if (mod == MOD_DISP_FULL || rm == RM16_BP)
			disp_bytes = 2;
		stack_base = rm == RM16_BP_SI || rm == RM16_BP_DI || (rm == RM16_BP && mod != MOD_NO_DISP);
		if (rm < RM16_SI) {
			in->base_reg = rm16_base[rm >> 1];
			in->index_reg = (rm & 1u) ? GPR_RDI : GPR_RSI;
		} else if (rm != RM16_BP || mod != MOD_NO_DISP) {
			in->base_reg = rm16_single[rm - RM16_SI];
		}
	} else {
		/* Tables 2-2 and 2-3; REX.B extends the base, which makes r12
		 * and r13 ordinary DS-relative bases. */
		unsigned base = rm;
		bool has_base = true;

		if (rm == RM_SIB) {
			uint8_t sib;

			err = next_byte(c, &sib);
			if (err)
				return err;
			base = sib & 7u;
			unsigned index = ((sib >> 3) & 7u) | ((ps->rex & REX_X) ? 8u : 0u);
			if (index != REG_SP)   /* index 100b without REX.X: none (Table 2-3) */
				in->index_reg = index;
			in->scale = sib >> 6;
			if (base == SIB_BASE_NONE && mod == MOD_NO_DISP) {
				has_base = false;
				disp_bytes = 4;
			}
		} else if (rm == RM_DISP_ONLY && mod == MOD_NO_DISP) {
			has_base = false;
			disp_bytes = 4;
			/* vol. 2 section 2.2.1.6: RIP-relative in 64-bit mode,
			 * whatever the address size and REX.B. */
			in->rip_relative = ps->mode == MMIO_MODE_64;
		}
		if (mod == MOD_DISP8)
			disp_bytes = 1;
		else if (mod == MOD_DISP_FULL)
			disp_bytes = 4;
		stack_base = has_base && !(ps->rex & REX_B) && (base == REG_SP || base == REG_BP);
		if (has_base)
			in->base_reg = base | ((ps->rex & REX_B) ? 8u : 0u);
	}

	uint64_t disp;
	err = next_field(c, disp_bytes, &disp);
	if (err)
		return err;
	in->disp = disp_bytes ? sign_extend(disp, disp_bytes) : 0;
	/* Default segment: SS for rBP/rSP bases, else DS (vol. 1 section 3.7.4). */
	if (ps->segment_override >= 0)
		in->segment = (unsigned)ps->segment_override;
	else
		in->segment = stack_base ? SEGMENT_SS : SEGMENT_DS;
	return MMIO_DECODE_OK;
}

static void set_register(struct mmio_insn *in, const struct prefix_state *ps, unsigned width)
{
	if (width == 1 && ps->rex == 0 && in->reg >= HIGH_BYTE_FIRST) {
		in->reg_high_byte = true;
		in->reg -= HIGH_BYTE_FIRST;
	}
}

/* 88/89/8A/8B. */
static int decode_mov_reg(struct cursor *c, const struct prefix_state *ps, uint8_t opcode,
			  struct mmio_insn *in)
{
	int err = read_memory_operand(c, ps, in);

	if (err)
		return err;
	in->access_width = (opcode == OP_MOV_RM8_R8 || opcode == OP_MOV_R8_RM8) ? 1u : ps->operand_size;
	in->op = (opcode == OP_MOV_R8_RM8 || opcode == OP_MOV_R_RM) ? MMIO_OP_LOAD : MMIO_OP_STORE;
	if (in->op == MMIO_OP_LOAD)
		in->dest_width = in->access_width;
	set_register(in, ps, in->access_width);
	return MMIO_DECODE_OK;
}

/* C6 /0 ib, C7 /0 iw/id (id sign-extended with REX.W). */
static int decode_mov_imm(struct cursor *c, const struct prefix_state *ps, uint8_t opcode,
			  struct mmio_insn *in)
{
	int err = read_memory_operand(c, ps, in);
	uint64_t imm;

	if (err)
		return err;
	/* Only /0 is MOV; REX.R does not extend an opcode extension. */
	if ((in->reg & 7u) != 0)
		return MMIO_DECODE_UNSUPPORTED;
	in->access_width = opcode == OP_MOV_RM8_IMM8 ? 1u : ps->operand_size;
	unsigned imm_bytes = in->access_width > 4u ? 4u : in->access_width;
	err = next_field(c, imm_bytes, &imm);
	if (err)
		return err;
	in->op = MMIO_OP_STORE;
	in->reg = 0;
	in->has_imm = true;
	in->imm = sign_extend(imm, imm_bytes) & width_mask(in->access_width);
	return MMIO_DECODE_OK;
}

/* A0-A3: the address is an address-size field (vol. 2 section 2.2.1.4). */
static int decode_mov_moffs(struct cursor *c, const struct prefix_state *ps, uint8_t opcode,
			    struct mmio_insn *in)
{
	int err = next_field(c, ps->address_size, &in->moffs);

	if (err)
		return err;
	in->disp = in->moffs;   /* the operand's offset, with no base or index */
	in->access_width = (opcode == OP_MOV_AL_MOFFS || opcode == OP_MOV_MOFFS_AL) ? 1u : ps->operand_size;
	in->op = (opcode == OP_MOV_AL_MOFFS || opcode == OP_MOV_RAX_MOFFS) ? MMIO_OP_LOAD : MMIO_OP_STORE;
	if (in->op == MMIO_OP_LOAD)
		in->dest_width = in->access_width;
	in->reg = GPR_RAX;
	in->segment = ps->segment_override >= 0 ? (unsigned)ps->segment_override : SEGMENT_DS;
	return MMIO_DECODE_OK;
}

/* 0F B6/B7/BE/BF: MOVZX/MOVSX r16/32/64, r/m8 or r/m16. */
static int decode_movx(struct cursor *c, const struct prefix_state *ps, struct mmio_insn *in)
{
	uint8_t opcode;
	int err = next_byte(c, &opcode);

	if (err)
		return err;
	if (opcode != OP2_MOVZX_8 && opcode != OP2_MOVZX_16 && opcode != OP2_MOVSX_8 &&
	    opcode != OP2_MOVSX_16)
		return MMIO_DECODE_UNSUPPORTED;
	err = read_memory_operand(c, ps, in);
	if (err)
		return err;
	in->op = MMIO_OP_LOAD;
	in->access_width = (opcode == OP2_MOVZX_8 || opcode == OP2_MOVSX_8) ? 1u : 2u;
	in->dest_width = ps->operand_size;
	in->sign_extend = opcode == OP2_MOVSX_8 || opcode == OP2_MOVSX_16;
	in->zero_extend = !in->sign_extend;
	return MMIO_DECODE_OK;
}

int mmio_decode(const uint8_t *bytes, unsigned avail, enum mmio_cpu_mode mode, struct mmio_insn *out)
{
	struct cursor c = { .bytes = bytes, .avail = bytes != NULL ? avail : 0, .pos = 0 };
	struct prefix_state ps = { .mode = mode };
	struct mmio_insn in = { .op = MMIO_OP_LOAD, .base_reg = MMIO_NO_REG, .index_reg = MMIO_NO_REG };
	uint8_t opcode;
	int err;

	if (out == NULL || (mode != MMIO_MODE_16 && mode != MMIO_MODE_32 && mode != MMIO_MODE_64))
		return MMIO_DECODE_UNSUPPORTED;
	err = read_prefixes(&c, &ps, &opcode);
	if (err)
		return err;
	in.address_size = ps.address_size;
	switch (opcode) {
	case OP_MOV_RM8_R8:
	case OP_MOV_RM_R:
	case OP_MOV_R8_RM8:
	case OP_MOV_R_RM:
		err = decode_mov_reg(&c, &ps, opcode, &in);
		break;
	case OP_MOV_RM8_IMM8:
	case OP_MOV_RM_IMM:
		err = decode_mov_imm(&c, &ps, opcode, &in);
		break;
	case OP_MOV_AL_MOFFS:
	case OP_MOV_RAX_MOFFS:
	case OP_MOV_MOFFS_AL:
	case OP_MOV_MOFFS_RAX:
		err = decode_mov_moffs(&c, &ps, opcode, &in);
		break;
	case OP_TWO_BYTE:
		err = decode_movx(&c, &ps, &in);
		break;
	default:
		err = MMIO_DECODE_UNSUPPORTED;
		break;
	}
	if (err)
		return err;
	in.length = c.pos;
	*out = in;
	return MMIO_DECODE_OK;
}

const char *mmio_decode_strerror(int err)
{
	switch (err) {
	case MMIO_DECODE_OK: return "success";
	case MMIO_DECODE_UNSUPPORTED: return "not a supported MOV to or from memory";
	case MMIO_DECODE_TRUNCATED: return "instruction continues beyond the bytes given";
	default: return "unknown decode error";
	}
}

uint64_t mmio_store_value(const struct mmio_insn *insn, const struct guest_regs *regs)
{
	uint64_t value;

	if (insn->op != MMIO_OP_STORE)
		return 0;
	if (insn->has_imm)
		value = insn->imm;
	else if (insn->reg < GPR_COUNT)
		value = regs->gpr[insn->reg] >> (insn->reg_high_byte ? 8u : 0u);
	else
		return 0;
	return value & width_mask(insn->access_width);
}

void mmio_complete_load(const struct mmio_insn *insn, struct guest_regs *regs, uint64_t data)
{
	if (insn->op != MMIO_OP_LOAD || insn->reg >= GPR_COUNT || insn->access_width == 0 ||
	    insn->access_width > 8u)
		return;
	uint64_t value = insn->sign_extend ? sign_extend(data, insn->access_width)
					   : data & width_mask(insn->access_width);
	uint64_t *r = &regs->gpr[insn->reg];

	switch (insn->dest_width) {
	case 1:
		if (insn->reg_high_byte)
			*r = (*r & ~0xff00ull) | ((value & 0xffu) << 8);
		else
			*r = (*r & ~0xffull) | (value & 0xffu);
		break;
	case 2:
		*r = (*r & ~0xffffull) | (value & 0xffffu);
		break;
	case 4:
		*r = value & 0xffffffffull;
		break;
	case 8:
		*r = value;
		break;
	default:
		break;
	}
}

uint64_t mmio_operand_offset(const struct mmio_insn *insn, const struct guest_regs *regs,
			     uint64_t next_rip)
{
	uint64_t offset;

	if (insn->rip_relative) {
		offset = next_rip + insn->disp;
	} else {
		offset = insn->disp;
		if (insn->base_reg != MMIO_NO_REG)
			offset += regs->gpr[insn->base_reg];
		if (insn->index_reg != MMIO_NO_REG)
			offset += regs->gpr[insn->index_reg] << insn->scale;
	}
	return offset & width_mask(insn->address_size);
}
