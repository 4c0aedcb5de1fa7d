/* MMIO ops (contract 9): one random instruction of the forms the contract
 * says are emulated (MOV 88/89/8A/8B, C6/C7 /0, A0-A3, MOVZX/MOVSX 0F
 * B6/B7/BE/BF) with random operand-size, address-size, segment, REP and
 * REX prefixes in random order, random ModRM/SIB forms (disp8, disp32,
 * SIB with and without base or index, RIP-relative) and random
 * registers, aimed at a random offset of a device window through the
 * identity map or an alias. The register values are solved so the
 * operand lands on the target. Oracle: no exception; a load writes its
 * destination as the processor would (byte/word merge, dword zero-extend,
 * zero/sign extension) with a value the device model allows; nothing else
 * changes; a store updates the model.
 * Excluded (README.md): register operands, LOCK and other opcodes, and
 * operands that cross a window's end (each ends the VM); 16-bit
 * addressing in 32-bit modes (flat segments cannot reach the windows). */
#include "dev_model.h"

#define PREFIX_OPSIZE 0x66u  /* vol. 2A 2.1.1 */
#define PREFIX_ADDRSIZE 0x67u
#define PREFIX_REP 0xf3u
#define PREFIX_FS 0x64u
#define PREFIX_GS 0x65u
#define REX_BASE 0x40u       /* vol. 2A 2.2.1 */
#define REX_W 8u
#define REX_R 4u
#define REX_X 2u
#define REX_B 1u
#define MAX_ATTEMPTS 16
#define DOORBELL_LIMIT 4096u /* largest LENGTH a ring prints (contract 9) */

static const uint8_t segment_prefixes[] = { 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65 };

enum form { F_MOV_STORE, F_MOV_LOAD, F_MOV_IMM, F_MOFFS_LOAD, F_MOFFS_STORE,
	    F_MOVX };

struct mmio_insn {
	uint8_t bytes[16];
	unsigned len;
	enum form form;
	bool store;
	unsigned width;      /* bytes accessed in memory */
	unsigned dest_width; /* loads: bytes of the destination register */
	bool sign_extend;    /* MOVSX */
	unsigned reg;        /* register operand (0-15) */
	bool high_byte;      /* AH/CH/DH/BH (no REX, byte form, reg 4-7) */
	uint64_t imm;        /* C6/C7: the value stored, sign-extended */
	/* addressing */
	unsigned addr_bits;
	int base, index;     /* -1: none */
	unsigned scale;      /* shift */
	bool rip_relative;
	int disp_bytes;      /* 0, 1 or 4 */
	unsigned disp_at;    /* offset of the displacement in bytes[] */
	int64_t disp;
	unsigned moffs_at, moffs_bytes;
	unsigned seg_prefix; /* 0 or the prefix byte */
};

static uint64_t addr_mask(unsigned bits)
{
	return bits == 64 ? ~0ull : (1ull << bits) - 1;
}

static uint64_t seg_base(const struct mmio_insn *m)
{
	if (m->seg_prefix == PREFIX_FS)
		return msr_model_value(MSR_IA32_FS_BASE);
	if (m->seg_prefix == PREFIX_GS)
		return msr_model_value(MSR_IA32_GS_BASE);
	return 0;
}

/* The effective address with the current fuzz_in registers. */
static uint64_t effective_address(const struct mmio_insn *m)
{
	uint64_t ea = (uint64_t)m->disp;
	if (m->moffs_bytes)
		return ea & addr_mask(m->addr_bits);
	if (m->base >= 0)
		ea += m->base == R_SP ? sp_at_insn() : fuzz_in.gpr[m->base];
	if (m->index >= 0)
		ea += (uint64_t)fuzz_in.gpr[m->index] << m->scale;
	if (m->rip_relative)
		ea += (uint64_t)fuzz_slot_va + m->len;
	return ea & addr_mask(m->addr_bits);
}

/* Multiplicative inverse of an odd number modulo 2^64 (Newton). */
static uint64_t inverse_odd(uint64_t a)
{
	uint64_t x = a;
	for (int i = 0; i < 6; i++)
		x *= 2 - a * x;
	return x;
}

static bool disp_fits(const struct mmio_insn *m, int64_t d)
{
	if (m->addr_bits == 32)
		return true; /* wraps in 32 bits */
	return d == (int64_t)(int32_t)d;
}

/* Adjusts a register or the displacement so the operand's linear
 * address is target; false when this encoding cannot reach it. */
static bool solve(struct mmio_insn *m, uint64_t target)
{
	uint64_t base = seg_base(m);
	uint64_t mask = addr_mask(m->addr_bits);
	uint64_t want = (target - base) & mask;
	/* With a 32-bit address size the segment base is added after the
	 * truncation: the base must sit within 4 GiB below the target. */
	if (m->addr_bits == 32 && FUZZ_WORD_BITS == 64 && target - base > mask)
		return false;
	if (m->moffs_bytes) {
		m->disp = (int64_t)want;
		return true;
	}
	uint64_t residual = (want - effective_address(m)) & mask;
	bool base_free = m->base >= 0 && m->base != R_SP && m->base != m->index;
	bool index_free = m->index >= 0 && m->index != m->base;
	if (base_free) {
		fuzz_in.gpr[m->base] += (unsigned long)residual;
	} else if (index_free && !(residual & ((1ull << m->scale) - 1))) {
		fuzz_in.gpr[m->index] += (unsigned long)(residual >> m->scale);
	} else if (m->index >= 0 && m->index == m->base) {
		uint64_t mul = 1 + (1ull << m->scale);
		if (mul & 1)
			fuzz_in.gpr[m->index] += (unsigned long)(residual * inverse_odd(mul));
		else if (!(residual & 1))
			fuzz_in.gpr[m->index] += (unsigned long)(residual >> 1);
		else
			return false;
	} else if (m->disp_bytes == 4 &&
		   disp_fits(m, (int64_t)((uint64_t)m->disp + residual))) {
		m->disp = (int64_t)((uint64_t)m->disp + residual);
	} else {
		return false;
	}
	return effective_address(m) == want;
}

static void put(struct mmio_insn *m, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		m->bytes[m->len++] = (uint8_t)(v >> (8 * i));
}

/* Encodes prefixes, opcode and operand forms; leaves displacement and
 * immediate bytes as placeholders that finish() fills in. */
static bool encode(struct mmio_insn *m)
{
	bool long_mode = FUZZ_WORD_BITS == 64;
	memset(m, 0, sizeof(*m));
	m->base = m->index = -1;
	m->form = (enum form)rnd(6);
	m->store = m->form == F_MOV_STORE || m->form == F_MOV_IMM ||
		   m->form == F_MOFFS_STORE;
	bool byte_op = chance(3);

	uint8_t prefixes[4];
	unsigned np = 0;
	bool opsize = chance(3), addrsize = long_mode && chance(6);
	if (opsize)
		prefixes[np++] = PREFIX_OPSIZE;
	if (addrsize)
		prefixes[np++] = PREFIX_ADDRSIZE;
	if (chance(4)) {
		m->seg_prefix = segment_prefixes[rnd(sizeof(segment_prefixes))];
		/* A 32-bit code segment is not writable (vol. 3 3.4.5.1); in
		 * 64-bit mode CS/DS/ES/SS overrides are ignored. */
		if (!long_mode && m->store && m->seg_prefix == 0x2e)
			m->seg_prefix = 0x3e;
		prefixes[np++] = (uint8_t)m->seg_prefix;
	}
	if (chance(8))
		prefixes[np++] = PREFIX_REP;
	for (unsigned i = np; i > 1; i--) { /* any order (vol. 2A 2.1.1) */
		unsigned j = rnd(i);
		uint8_t t = prefixes[i - 1];
		prefixes[i - 1] = prefixes[j];
		prefixes[j] = t;
	}
	for (unsigned i = 0; i < np; i++)
		m->bytes[m->len++] = prefixes[i];

	unsigned rex = 0;
	if (long_mode && chance(2))
		rex = REX_BASE | rnd(16);
	if (rex)
		m->bytes[m->len++] = (uint8_t)rex;
	m->addr_bits = long_mode ? (addrsize ? 32 : 64) : 32;
	unsigned opsize_bytes = (rex & REX_W) ? 8 : opsize ? 2 : 4;

	switch (m->form) {
	case F_MOV_STORE: case F_MOV_LOAD:
		m->bytes[m->len++] = (uint8_t)((m->store ? 0x88 : 0x8a) | !byte_op);
		m->width = byte_op ? 1 : opsize_bytes;
		m->dest_width = m->width;
		break;
	case F_MOV_IMM:
		m->bytes[m->len++] = byte_op ? 0xc6 : 0xc7;
		m->width = byte_op ? 1 : opsize_bytes;
		break;
	case F_MOFFS_LOAD: case F_MOFFS_STORE:
		m->bytes[m->len++] = (uint8_t)((m->store ? 0xa2 : 0xa0) | !byte_op);
		m->width = byte_op ? 1 : opsize_bytes;
		m->dest_width = m->width;
		m->reg = R_AX;
		m->moffs_bytes = m->addr_bits / 8;
		m->moffs_at = m->len;
		m->len += m->moffs_bytes;
		return true;
	case F_MOVX: {
		static const uint8_t ops[] = { 0xb6, 0xb7, 0xbe, 0xbf };
		uint8_t op = ops[rnd(4)];
		m->bytes[m->len++] = 0x0f;
		m->bytes[m->len++] = op;
		m->width = (op & 1) ? 2 : 1;
		m->sign_extend = op >= 0xbe;
		m->dest_width = opsize_bytes;
		break;
	}
	default:
		break;
	}

	/* ModRM (vol. 2A 2.1.5): mod 0-2 (3 = register operand: excluded). */
	unsigned mod = rnd(3), rm = rnd(8);
	unsigned reg = m->form == F_MOV_IMM ? 0 : rnd(8);
	m->bytes[m->len++] = (uint8_t)(mod << 6 | reg << 3 | rm);
	m->reg = reg | ((rex & REX_R) ? 8 : 0);
	if (m->form == F_MOV_IMM)
		m->reg = 0;
	bool byte_reg = (m->form == F_MOV_STORE || m->form == F_MOV_LOAD) && byte_op;
	if (byte_reg && !rex && reg >= 4) {
		m->high_byte = true;
		m->reg = reg - 4;
	}
	/* A load must not write RSP (the trampoline's stack). */
	if (!m->store && m->reg == R_SP && !m->high_byte)
		return false;

	if (rm == 4) {
		unsigned scale = rnd(4), index = rnd(8), sbase = rnd(8);
		m->bytes[m->len++] = (uint8_t)(scale << 6 | index << 3 | sbase);
		unsigned full_index = index | ((rex & REX_X) ? 8 : 0);
		if (full_index != R_SP) {
			m->index = (int)full_index;
			m->scale = scale;
		}
		if (sbase == 5 && mod == 0)
			m->disp_bytes = 4; /* no base */
		else
			m->base = (int)(sbase | ((rex & REX_B) ? 8 : 0));
	} else if (rm == 5 && mod == 0) {
		m->disp_bytes = 4;
		m->rip_relative = long_mode;
	} else {
		m->base = (int)(rm | ((rex & REX_B) ? 8 : 0));
	}
	if (mod == 1)
		m->disp_bytes = 1;
	else if (mod == 2)
		m->disp_bytes = 4;
	m->disp_at = m->len;
	if (m->disp_bytes == 1)
		m->disp = (int8_t)rnd(256);
	else if (m->disp_bytes == 4)
		m->disp = (int32_t)(chance(2) ? rnd64() : rnd(256) - 128);
	m->len += (unsigned)m->disp_bytes;

	if (m->form == F_MOV_IMM) {
		unsigned imm_bytes = m->width == 1 ? 1 : m->width == 2 ? 2 : 4;
		uint64_t v = rnd64();
		if (imm_bytes == 4 && m->width == 8)
			m->imm = (uint64_t)(int64_t)(int32_t)v; /* sign-extended */
		else
			m->imm = v & addr_mask(8 * imm_bytes);
		put(m, v, imm_bytes);
	}
	return true;
}

/* Writes the solved displacement or moffs into the bytes. */
static void finish(struct mmio_insn *m)
{
	unsigned at = m->moffs_bytes ? m->moffs_at : m->disp_at;
	unsigned n = m->moffs_bytes ? m->moffs_bytes : (unsigned)m->disp_bytes;
	for (unsigned i = 0; i < n; i++)
		m->bytes[at + i] = (uint8_t)((uint64_t)m->disp >> (8 * i));
}

/* The register operand's value as a store sends it. */
static uint64_t store_value(const struct mmio_insn *m)
{
	if (m->form == F_MOV_IMM)
		return m->imm;
	uint64_t r = m->reg == R_SP ? sp_at_insn() : fuzz_in.gpr[m->reg];
	if (m->high_byte)
		r >>= 8;
	return r & addr_mask(8 * m->width);
}

/* What the destination register holds after a load of value. */
static unsigned long load_result(const struct mmio_insn *m, uint64_t value)
{
	unsigned long old = fuzz_in.gpr[m->reg];
	if (m->high_byte)
		return (old & ~0xff00ul) | (unsigned long)(value & 0xff) << 8;
	uint64_t v = value;
	if (m->form == F_MOVX && m->sign_extend)
		v = m->width == 1 ? (uint64_t)(int64_t)(int8_t)v
				  : (uint64_t)(int64_t)(int16_t)v;
	switch (m->dest_width) {
	case 1: return (old & ~0xfful) | (unsigned long)(v & 0xff);
	case 2: return (old & ~0xfffful) | (unsigned long)(v & 0xffff);
	case 4: return (unsigned long)(uint32_t)v; /* zero-extends (vol. 1 3.4.1.1) */
	default: return (unsigned long)v;
	}
}

/* A value for a store to the doorbell's BUFFER or LENGTH that leads to a
 * ring worth making; other targets get random data. */
static uint64_t doorbell_value(unsigned off)
{
	uint64_t text = (uint64_t)(uintptr_t)fuzz_text;
	if ((off & ~7u) == 0) {
		switch (rnd(7)) {
		case 0: case 1: return text + rnd(sizeof(fuzz_text) - 64);
		case 2: return plan.ram_end - rnd(32); /* rings cross RAM's end */
		case 3: return WINDOW_GPA(rnd(WINDOW_COUNT)) + rnd(WINDOW_SIZE);
		case 4: return ~0ull - rnd(64); /* buffer + length wraps */
		case 5: return text; /* room for LENGTH 4096 */
		default: return rnd64();
		}
	}
	switch (rnd(8)) {
	case 0: return 4097 + rnd(100);
	case 1: return rnd64();
	case 2: return (1ull << (32 + rnd(32))) | rnd(48); /* small low half */
	case 3: return chance(2) ? DOORBELL_LIMIT : DOORBELL_LIMIT + 1;
	default: return rnd(48);
	}
}

static void print_insn_mismatch(const struct mmio_insn *m, unsigned window,
				unsigned off, const char *what)
{
	char hex[40];
	size_t n = 0;
	for (unsigned i = 0; i < m->len && n + 3 < sizeof(hex); i++)
		n += format(hex + n, sizeof(hex) - n, "%02x", m->bytes[i]);
	mismatch("mmio bytes=%s window=%u offset=0x%x width=%u: %s", hex, window,
		 off, m->width, what);
}

void op_mmio(void)
{
	struct mmio_insn m;
	unsigned window = 0, off = 0;
	bool ready = false;
	for (int attempt = 0; attempt < MAX_ATTEMPTS && !ready; attempt++) {
		random_regs();
		if (!encode(&m))
			continue;
		fuzz_choose_slot(m.len); /* RIP-relative operands depend on it */
		unsigned pick = rnd(10);
		window = pick < 4 ? WINDOW_TESTDEV : pick < 6 ? WINDOW_DOORBELL
			 : pick < 8 ? WINDOW_NOEXEC : WINDOW_ROM;
		switch (rnd(10)) {
		case 0: off = WINDOW_SIZE - m.width - rnd(8); break;
		case 1: case 2: case 3: off = rnd(WINDOW_SIZE - m.width + 1); break;
		default: off = rnd(0x28); break;
		}
		if (off + m.width > WINDOW_SIZE)
			off = WINDOW_SIZE - m.width;
		uint64_t va = plan.window_va[window] + off;
		if (plan.window_alias_va && chance(2))
			va = plan.window_alias_va + window * WINDOW_SIZE + off;
		/* Store data for the doorbell, unless the data register also
		 * addresses the operand. */
		if (m.store && window == WINDOW_DOORBELL && m.form != F_MOV_IMM &&
		    !m.high_byte && (int)m.reg != m.base && (int)m.reg != m.index &&
		    m.reg != R_SP)
			fuzz_in.gpr[m.reg] = (unsigned long)(doorbell_value(off) >> (8 * (off % 8)));
		if (!solve(&m, va))
			continue;
		finish(&m);
		if (m.store && !dev_write_safe(window, off, m.width, store_value(&m)))
			continue;
		ready = true;
	}
	if (!ready)
		return; /* counted as issued; rare */

	uint64_t wrote = m.store ? store_value(&m) : 0;
	if (window == WINDOW_TESTDEV || window == WINDOW_DOORBELL)
		counts.exits_at_least++;
	int vec = fuzz_run(m.bytes, m.len);
	if (vec != FAULT_NONE) {
		char what[60];
		format(what, sizeof(what), "exception %d error=0x%lx at slot+%lu", vec,
		       last_fault.error_code, fault_offset());
		print_insn_mismatch(&m, window, off, what);
		/* The model no longer knows the device: resynchronise. */
		dev_model_sync();
		return;
	}
	if (m.store) {
		if (dev_write(window, off, m.width, wrote))
			dev_check_status();
		regs_preserved("mmio store", 0);
		return;
	}
	uint64_t cand[4];
	unsigned n = dev_read(window, off, m.width, cand);
	unsigned long got = fuzz_out.gpr[m.reg];
	bool ok = n == 0;
	for (unsigned i = 0; i < n; i++)
		ok |= got == load_result(&m, cand[i]);
	if (!ok) {
		char what[90];
		format(what, sizeof(what), "reg %u = 0x%llx, expected 0x%llx", m.reg,
		       (unsigned long long)got,
		       (unsigned long long)load_result(&m, cand[0]));
		print_insn_mismatch(&m, window, off, what);
	}
	regs_preserved("mmio load", 1u << m.reg);
}
