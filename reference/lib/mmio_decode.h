/* Decoding the guest instruction behind an EPT violation in a device
 * window: its length (to advance RIP) and what it moves where.
 *
 * Only the MOV family a driver uses for device registers is accepted:
 *   88 89 8A 8B        MOV between a register and memory
 *   C6 /0, C7 /0       MOV immediate to memory
 *   A0 A1 A2 A3        MOV between AL/rAX and an absolute address (moffs)
 *   0F B6 B7 BE BF     MOVZX, MOVSX from memory
 * with prefixes 66, 67, 26 2E 36 3E 64 65, REX (64-bit mode), and F2/F3,
 * which are ignored (F3 on a MOV store is the XRELEASE hint; neither
 * changes these instructions). F0 (LOCK) is refused: LOCK MOV raises #UD
 * before any memory access, so it cannot be what faulted. */
#ifndef HV_MMIO_DECODE_H
#define HV_MMIO_DECODE_H
#include <stdbool.h>
#include <stdint.h>

#include "guest_regs.h"
#include "x86_segment.h"

enum mmio_op { MMIO_OP_LOAD /* memory -> register */, MMIO_OP_STORE /* register or immediate -> memory */ };

#define MMIO_NO_REG 0xffu /* base_reg, index_reg: no register */

struct mmio_insn {
	unsigned length;            /* bytes, 1..15 */
	enum mmio_op op;
	unsigned access_width;      /* bytes touched in memory: 1, 2, 4, 8 */
	unsigned reg;               /* GPR index (guest_regs encoding) of the register operand;
				     * for AH/CH/DH/BH the register holding the byte (AH -> GPR_RAX) */
	bool reg_high_byte;         /* AH/CH/DH/BH: no REX, ModRM.reg 4..7, width 1 */
	bool has_imm; uint64_t imm; /* MOV imm to memory (already sign-extended to access width) */
	unsigned dest_width;        /* LOAD: register width written (MOVZX/MOVSX widen; 32-bit
				     * writes zero the upper half); 0 for STORE */
	bool sign_extend;           /* MOVSX */
	bool zero_extend;           /* MOVZX */
	unsigned segment;           /* SEGMENT_* (x86_segment.h); default DS (SS for rBP/rSP bases); in 64-bit mode
				     * ES/CS/SS/DS overrides are ignored, FS/GS kept */
	bool rip_relative;
	uint64_t moffs;             /* A0-A3 absolute address */
	/* The memory operand's offset in its segment (vol. 2 section 2.1.5):
	 * base + index * scale + disp, in address_size bytes; MMIO_NO_REG for
	 * an absent base or index. A0-A3: disp = moffs; RIP-relative: RIP + disp. */
	unsigned address_size;      /* bytes: 2, 4, 8 */
	unsigned base_reg, index_reg, scale;
	uint64_t disp;              /* sign-extended to 64 bits */
};

/* The code segment's default sizes: 16 = real mode or a 16-bit segment,
 * 32 = CS.D set, 64 = 64-bit mode (CS.L with EFER.LMA). */
enum mmio_cpu_mode { MMIO_MODE_16, MMIO_MODE_32, MMIO_MODE_64 };

enum {
	MMIO_DECODE_OK = 0,
	MMIO_DECODE_UNSUPPORTED = -1, /* not a supported memory MOV, longer than 15 bytes, or bad arguments */
	MMIO_DECODE_TRUNCATED = -2    /* need more bytes than avail */
};

/* Decodes the instruction at bytes[0..avail). avail may exceed 15; a
 * TRUNCATED answer means the caller should fetch the following bytes
 * (e.g. the next page) and call again. *out is written only on success. */
int mmio_decode(const uint8_t *bytes, unsigned avail, enum mmio_cpu_mode mode, struct mmio_insn *out);

/* A short English text for a mmio_decode result. */
const char *mmio_decode_strerror(int err);

/* STORE: the access_width bytes to write (immediate or register, AH..BH
 * shifted down), zero above access_width. 0 for a LOAD. */
uint64_t mmio_store_value(const struct mmio_insn *insn, const struct guest_regs *regs);

/* LOAD: puts the access_width bytes read from the device into the
 * destination register as the instruction would: sign or zero extension
 * to dest_width, 8- and 16-bit writes keep the other bits, 32-bit writes
 * clear bits 63:32 (SDM vol. 1 section 3.4.1.1). Nothing for a STORE.
 * A load into RSP changes regs->gpr[GPR_RSP]: the caller copies it to
 * the VMCS. */
void mmio_complete_load(const struct mmio_insn *insn, struct guest_regs *regs, uint64_t data);

/* The memory operand's offset in its segment (effective address, truncated
 * to the address size); next_rip is the address after the instruction. */
uint64_t mmio_operand_offset(const struct mmio_insn *insn, const struct guest_regs *regs,
			     uint64_t next_rip);

#endif
