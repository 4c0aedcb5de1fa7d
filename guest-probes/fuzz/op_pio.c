/* Port I/O ops (contract 6): IN/OUT of widths 1, 2, 4 in the imm8 and DX
 * forms, and INS/OUTS with and without REP, DF clear or set. Oracles:
 * the 0xBB queue is modelled byte by byte (4096-byte FIFO, drops when
 * full, 0xFF when empty), so every IN from it is checked; unknown ports
 * and port 3 read all-ones, COM1's other registers read 0 and its line
 * status 0x60; IN of 8/16 bits keeps the rest of RAX, IN of 32 bits
 * zeroes bits 63:32 (vol. 1, 3.4.1.1); no other GPR or status flag
 * changes. String forms: RCX/RSI/RDI advance by the elements moved, in
 * the direction DF says, and a buffer reaching a page that is not
 * present, outside RAM or in a device window raises #GP(0) at the
 * instruction with the registers reflecting the elements moved.
 * Excluded (README.md): bytes to COM1's data port other than the safe
 * alphabet; accesses whose bytes straddle a listed port from another
 * port number; faulting string I/O on the queue port. */
#include "fuzz.h"

#define QUEUE_CAPACITY 4096u
#define COM1_LSR_VALUE 0x60u /* the contract's value: the oracle keeps its own */
#define QUEUE_FILL_ONE_IN 16u /* queue-bound REP OUTS that overfill it */

#define PREFIX_OPSIZE 0x66u  /* vol. 2A, 2.1.1 */
#define PREFIX_REP 0xf3u

/* ---- the queue model ---- */
static uint8_t queue[QUEUE_CAPACITY];
static unsigned queue_head, queue_len;

void queue_push(uint8_t b)
{
	if (queue_len == QUEUE_CAPACITY)
		return;
	queue[(queue_head + queue_len++) % QUEUE_CAPACITY] = b;
}

uint8_t queue_pop(void)
{
	if (!queue_len)
		return 0xff;
	uint8_t b = queue[queue_head];
	queue_head = (queue_head + 1) % QUEUE_CAPACITY;
	queue_len--;
	return b;
}

/* Ports whose value a machine could wire to something: resets, power-off,
 * A20, PIC, PIT, keyboard controller, PCI config, debug exits. The
 * contract makes every one of them an unknown port: reads all-ones,
 * writes ignored, and the VM goes on. */
static const uint16_t interesting_ports[] = {
	0x20, 0x21, 0x40, 0x43, 0x60, 0x61, 0x64, 0x70, 0x71, 0x80, 0x92,
	0xa0, 0xe9, 0xf4, 0x402, 0x500, 0x604, 0xb004, 0xcf8, 0xcf9, 0xcfc,
	0x8900, 0xffff,
};

/* The contract's per-port rows, by port number. */
enum port_class { PC_UNKNOWN, PC_QUEUE, PC_LOG, PC_COM1_THR, PC_COM1_LSR,
		  PC_COM1_OTHER };

static enum port_class classify(unsigned port)
{
	if (port == PORT_QUEUE) return PC_QUEUE;
	if (port == PORT_LOG) return PC_LOG;
	if (port == PORT_COM1_THR) return PC_COM1_THR;
	if (port == PORT_COM1_LSR) return PC_COM1_LSR;
	if (port > PORT_COM1_THR && port <= PORT_COM1_LAST) return PC_COM1_OTHER;
	return PC_UNKNOWN;
}

/* True when an access of width w at port p covers a listed port it does
 * not start at (or runs past 0xFFFF): the contract says nothing there. */
static bool straddles(unsigned port, unsigned w)
{
	if (port + w > 0x10000u)
		return true;
	if (classify(port) != PC_UNKNOWN)
		return false; /* a listed port's row covers every width */
	for (unsigned p = port + 1; p < port + w; p++)
		if (classify(p) != PC_UNKNOWN)
			return true;
	return false;
}

static unsigned random_port(bool imm8)
{
	unsigned p;
	switch (rnd(10)) {
	case 0: case 1: case 2: p = PORT_QUEUE; break;
	case 3: p = chance(8) ? PORT_LOG : PORT_QUEUE; break;
	case 4: p = PORT_COM1_THR + 1 + rnd(PORT_COM1_LAST - PORT_COM1_THR); break;
	case 5: p = PORT_COM1_THR; break;
	case 6: case 7:
		p = interesting_ports[rnd(sizeof(interesting_ports) /
					  sizeof(interesting_ports[0]))];
		break;
	default: p = imm8 ? rnd(256) : rnd(0x10000); break;
	}
	if (imm8 && p > 0xff)
		p = rnd(256);
	return p;
}

static unsigned random_width(void)
{
	static const unsigned widths[] = { 1, 2, 4 };
	return widths[rnd(3)];
}

/* What an IN of width w from port reads, per the model; false when the
 * contract does not fix it (COM1 wider than a byte, COM1's data port). */
static bool in_value(unsigned port, unsigned w, uint32_t *v)
{
	uint32_t ones = w == 4 ? 0xffffffffu : (1u << (8 * w)) - 1;
	switch (classify(port)) {
	case PC_QUEUE:
		*v = 0;
		for (unsigned i = 0; i < w; i++)
			*v |= (uint32_t)queue_pop() << (8 * i);
		return true;
	case PC_LOG:
	case PC_UNKNOWN:
		*v = ones;
		return true;
	case PC_COM1_LSR:
		*v = COM1_LSR_VALUE;
		return w == 1;
	case PC_COM1_OTHER:
		*v = 0;
		return w == 1;
	default:
		return false;
	}
}

static void out_effect(unsigned port, unsigned w, uint32_t v)
{
	if (classify(port) == PC_QUEUE)
		for (unsigned i = 0; i < w; i++)
			queue_push((uint8_t)(v >> (8 * i)));
}

void op_pio(void)
{
	bool imm8 = chance(2), in = chance(2);
	unsigned w = random_width(), port;
	do
		port = random_port(imm8);
	while (straddles(port, w));
	if (in && port == PORT_COM1_THR && chance(2))
		in = false;

	random_regs();
	uint8_t insn[4];
	unsigned n = 0;
	if (w == 2)
		insn[n++] = PREFIX_OPSIZE;
	/* IN AL,imm8 E4 / IN eAX,imm8 E5 / OUT imm8 E6,E7 / IN AL,DX EC /
	 * IN eAX,DX ED / OUT DX EE,EF (vol. 2A IN, vol. 2B OUT). */
	uint8_t op = imm8 ? (in ? 0xe4 : 0xe6) : (in ? 0xec : 0xee);
	insn[n++] = (uint8_t)(op | (w > 1));
	if (imm8)
		insn[n++] = (uint8_t)port;
	else
		fuzz_in.gpr[R_DX] = (fuzz_in.gpr[R_DX] & ~0xfffful) | port;
	if (!in && port == PORT_COM1_THR)
		fuzz_in.gpr[R_AX] = (fuzz_in.gpr[R_AX] & ~0xfful) |
				    (uint8_t)safe_byte();
	uint32_t outv = (uint32_t)fuzz_in.gpr[R_AX];

	counts.exits_at_least++;
	int vec = fuzz_run(insn, n);
	if (vec != FAULT_NONE) {
		mismatch("%s port=0x%x width=%u form=%s: exception %d at slot+%lu",
			 in ? "in" : "out", port, w, imm8 ? "imm8" : "dx", vec,
			 fault_offset());
		return;
	}
	if (!in) {
		out_effect(port, w, outv);
		regs_preserved("out", 0);
		return;
	}
	uint32_t want;
	bool checked = in_value(port, w, &want);
	unsigned long rax = fuzz_out.gpr[R_AX], old = fuzz_in.gpr[R_AX];
	unsigned long mask = w == 4 ? ~0ul : (1ul << (8 * w)) - 1;
	/* 32-bit results zero-extend into RAX (64-bit mode, vol. 1 3.4.1.1). */
	unsigned long keep = w == 4 ? 0 : ~mask;
	if ((rax & keep) != (old & keep))
		mismatch("in port=0x%x width=%u: rax 0x%llx -> 0x%llx changed bits "
			 "outside the destination", port, w,
			 (unsigned long long)old, (unsigned long long)rax);
	else if (checked && (rax & mask) != want)
		mismatch("in port=0x%x width=%u form=%s: read 0x%lx, expected 0x%x",
			 port, w, imm8 ? "imm8" : "dx", rax & mask, want);
	regs_preserved("in", 1u << R_AX);
}

/* ---- string I/O ---- */

/* A buffer for string I/O and how far it may go: good elements in the
 * direction of travel before a bad page (max_good), or unlimited. */
struct str_buffer {
	unsigned long start;
	unsigned long max_good; /* ~0ul: no bad page within reach */
	bool text;              /* lies in the safe text (or its alias) */
};

/* A good buffer with room for n elements of w bytes. For INS: in the
 * arena (fresh pages the hypervisor populates); for OUTS: the text. */
static struct str_buffer good_buffer(bool ins, unsigned n, unsigned w,
				     bool back)
{
	struct str_buffer b = { 0, ~0ul, !ins };
	unsigned long bytes = (unsigned long)n * w;
	unsigned long base, room;
	if (ins) {
		base = ARENA_GPA;
		room = (unsigned long)ARENA_PAGES * PAGE_SIZE_4K;
	} else {
		base = (unsigned long)(uintptr_t)fuzz_text;
		room = sizeof(fuzz_text);
	}
	unsigned long off = bytes + w <= room ? rnd((uint32_t)(room - bytes - w + 1)) : 0;
	/* Backward: the first element is the highest. */
	b.start = back ? base + off + bytes - (bytes ? w : 0) : base + off;
	if (back && !bytes)
		b.start = base + off;
	return b;
}

/* A buffer that reaches a bad page: forward from just below a boundary
 * (RAM's end, a not-present page) or backward from just above one (the
 * page above not_present_va maps text), or inside a device window. */
static struct str_buffer bad_buffer(unsigned w, bool back)
{
	struct str_buffer b = { 0, 0, false };
	unsigned choice = rnd(3);
	if (back) {
		if (choice != 2 && plan.not_present_va) {
			unsigned long d = rnd(PAGE_SIZE_4K - w + 1);
			b.start = plan.not_present_va + PAGE_SIZE_4K + d;
			b.max_good = d / w + 1;
			b.text = true;
			return b;
		}
	} else if (choice == 0 || (choice == 1 && plan.not_present_va)) {
		unsigned long boundary = choice == 0 ? plan.ram_end : plan.not_present_va;
		unsigned long off = 1 + rnd(64);
		b.start = boundary - off;
		b.max_good = off / w;
		b.text = choice == 1;
		return b;
	}
	b.start = plan.window_va[rnd(WINDOW_COUNT)] + rnd(WINDOW_SIZE / 2);
	b.max_good = 0;
	return b;
}

/* Ports string I/O may use, and which of them may fault (not the queue:
 * whether a faulting element left the queue is not observable). */
static unsigned string_port(bool ins, bool may_fault)
{
	switch (rnd(6)) {
	case 0: case 1:
		if (!may_fault)
			return PORT_QUEUE;
		/* fall through */
	case 2:
		return interesting_ports[rnd(sizeof(interesting_ports) /
					     sizeof(interesting_ports[0]))];
	case 3:
		return ins ? PORT_COM1_THR + 1 + rnd(PORT_COM1_LAST - PORT_COM1_THR) : PORT_COM1_THR;
	case 4:
		return chance(4) ? PORT_LOG : 0x100 + rnd(0x200);
	default:
		return rnd(0x10000);
	}
}

/* The byte every byte of an INS element reads from a stateless port;
 * false when the contract does not fix it (COM1 wider than a byte). */
static bool ins_fill(unsigned port, unsigned w, uint8_t *b)
{
	switch (classify(port)) {
	case PC_LOG: case PC_UNKNOWN: *b = 0xff; return true;
	case PC_COM1_LSR: *b = COM1_LSR_VALUE; return w == 1;
	case PC_COM1_OTHER: *b = 0; return w == 1;
	default: return false;
	}
}

void op_string_pio(void)
{
	bool ins = chance(2), rep = !chance(4), back = chance(3);
	bool faulting = chance(4);
	unsigned w = random_width();
	unsigned long n;
	if (!rep)
		n = 1;
	else if (chance(8))
		n = 0;
	else
		n = chance(16) ? 1 + rnd(600) : 1 + rnd(24);

	unsigned port;
	do
		port = string_port(ins, faulting);
	while (straddles(port, w) || (ins && port == PORT_COM1_THR) ||
	       (port == PORT_LOG && n > 4));

	/* Now and then fill the queue past its capacity (the pushes beyond
	 * 4096 bytes are dropped; later INs check which survived). */
	if (!faulting && !ins && rep && classify(port) == PC_QUEUE && chance(QUEUE_FILL_ONE_IN)) {
		w = 4;
		n = QUEUE_CAPACITY / 4 + rnd(64);
	}
	struct str_buffer b = faulting ? bad_buffer(w, back)
				       : good_buffer(ins, (unsigned)n, w, back);
	if (faulting && !ins && classify(port) == PC_COM1_THR && !b.text)
		port = 0x100 + rnd(0x200); /* only text may reach the console */
	if (!faulting && !ins && classify(port) == PC_COM1_THR)
		b.text = true;

	random_regs();
	unsigned long rcx_in = rep ? n : fuzz_in.gpr[R_CX];
	fuzz_in.gpr[R_CX] = rcx_in;
	fuzz_in.gpr[R_DX] = (fuzz_in.gpr[R_DX] & ~0xfffful) | port;
	unsigned areg = ins ? R_DI : R_SI;
	fuzz_in.gpr[areg] = b.start;
	fuzz_in.flags = (fuzz_in.flags & ~EFLAGS_DF) | (back ? EFLAGS_DF : 0);

	uint8_t insn[3];
	unsigned len = 0;
	if (w == 2)
		insn[len++] = PREFIX_OPSIZE;
	if (rep)
		insn[len++] = PREFIX_REP;
	/* INSB 6C, INSW/D 6D, OUTSB 6E, OUTSW/D 6F (vol. 2A INS, 2B OUTS). */
	insn[len++] = (uint8_t)((ins ? 0x6c : 0x6e) | (w > 1));

	/* INS into the arena: the elements' pages are the hypervisor's
	 * first touch; drop model bytes the queue will hand out. */
	counts.exits_at_least += n ? 1 : 0;
	int vec = fuzz_run(insn, len);
	const char *name = ins ? "ins" : "outs";

	unsigned long expected_moves = n;
	bool fault_expected = faulting && b.max_good < n;
	if (fault_expected) {
		if (vec != VEC_GP || last_fault.error_code != 0 || fault_offset() != 0) {
			mismatch("%s port=0x%x width=%u rep=%d df=%d count=%lu buffer=0x%lx: "
				 "exception %d error=0x%lx at slot+%lu, expected #GP(0) at slot+0",
				 name, port, w, rep, back, n, b.start, vec,
				 last_fault.error_code, fault_offset());
			return;
		}
		counts.faults++;
	} else if (vec != FAULT_NONE) {
		mismatch("%s port=0x%x width=%u rep=%d df=%d count=%lu buffer=0x%lx: "
			 "exception %d at slot+%lu", name, port, w, rep, back, n,
			 b.start, vec, fault_offset());
		return;
	}

	/* Elements moved, from RCX (REP) or the address register. */
	unsigned long moved;
	long step = back ? -(long)w : (long)w;
	if (rep)
		moved = rcx_in - fuzz_out.gpr[R_CX];
	else
		moved = fuzz_out.gpr[areg] != b.start;
	if (fault_expected ? moved > b.max_good : moved != expected_moves)
		mismatch("%s port=0x%x width=%u rep=%d df=%d count=%lu buffer=0x%lx: "
			 "moved %lu elements (rcx 0x%lx -> 0x%lx), expected %s%lu",
			 name, port, w, rep, back, n, b.start, moved, rcx_in,
			 fuzz_out.gpr[R_CX], fault_expected ? "at most " : "",
			 fault_expected ? b.max_good : expected_moves);
	else if (fuzz_out.gpr[areg] != b.start + (unsigned long)(step * (long)moved))
		mismatch("%s width=%u df=%d: %s 0x%lx -> 0x%lx after %lu elements",
			 name, w, back, ins ? "rdi" : "rsi", b.start,
			 fuzz_out.gpr[areg], moved);
	if (moved > n)
		moved = n;
	uint32_t changed = (1u << areg) | (rep ? 1u << R_CX : 0);
	regs_preserved(name, changed);

	/* The data. */
	unsigned bad_data = 0;
	for (unsigned long e = 0; e < moved; e++) {
		unsigned long addr = b.start + (unsigned long)(step * (long)e);
		if (!ins) {
			if (classify(port) == PC_QUEUE)
				for (unsigned i = 0; i < w; i++)
					queue_push(((volatile uint8_t *)addr)[i]);
			continue;
		}
		if (!faulting)
			arena_touch(addr, w, false);
		uint8_t fill = 0;
		bool queue_port = classify(port) == PC_QUEUE;
		bool known = queue_port || ins_fill(port, w, &fill);
		for (unsigned i = 0; i < w; i++) {
			uint8_t want = queue_port ? queue_pop() : fill;
			uint8_t got = ((volatile uint8_t *)addr)[i];
			if (known && got != want && !bad_data++)
				mismatch("ins port=0x%x width=%u element=%lu byte=%u: "
					 "memory 0x%x, expected 0x%x", port, w, e, i,
					 got, want);
		}
	}
	/* INS may have written into the text (through its alias): restore
	 * it so later prints stay in the safe alphabet. */
	if (ins && b.text)
		fill_text();
}
