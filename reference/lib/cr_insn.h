/* Decoding the control-register instructions a hypervisor emulates from
 * their bytes, where the processor reports no operands (SVM without decode
 * assists, e.g. QEMU TCG; AMD APM vol. 2 15.33): MOV to and from CRn
 * (0F 22 /r, 0F 20 /r),
 * CLTS (0F 06), LMSW (0F 01 /6, register or memory operand). Prefixes:
 * legacy ones (66 67 F2 F3, segment overrides; F0 turns CR0 into CR8, APM
 * vol. 3 "MOV CRn"), REX in 64-bit mode. Pure functions, host unit tests:
 * tests/unit/cr_insn_test.c. */
#ifndef HV_CR_INSN_H
#define HV_CR_INSN_H
#include <stdbool.h>
#include <stdint.h>
#include "guest_regs.h"
#include "io_exit.h"

/* Legacy prefixes (SDM vol. 2 2.1.1; AMD APM vol. 3 1.2, Table 1-1), shared
 * with the SVM layer's prefix scan (svm/insn_scan.c). */
#define PREFIX_OPERAND_SIZE 0x66
#define PREFIX_ADDRESS_SIZE 0x67
#define PREFIX_LOCK         0xF0
#define PREFIX_REPNE        0xF2
#define PREFIX_REP          0xF3

/* The segment (enum x86_segment) a segment-override prefix byte names, or
 * -1 when b is none of the six. */
static inline int x86_segment_prefix(uint8_t b)
{
	switch (b) {
	case 0x26: return SEGMENT_ES;
	case 0x2E: return SEGMENT_CS;
	case 0x36: return SEGMENT_SS;
	case 0x3E: return SEGMENT_DS;
	case 0x64: return SEGMENT_FS;
	case 0x65: return SEGMENT_GS;
	}
	return -1;
}

/* The legacy prefixes that are not segment overrides. */
static inline bool x86_other_legacy_prefix(uint8_t b)
{
	return b == PREFIX_OPERAND_SIZE || b == PREFIX_ADDRESS_SIZE || b == PREFIX_LOCK ||
	       b == PREFIX_REPNE || b == PREFIX_REP;
}

enum cr_insn_kind { CR_INSN_MOV_TO_CR, CR_INSN_MOV_FROM_CR, CR_INSN_CLTS, CR_INSN_LMSW };

/* An LMSW memory operand: address = base + index * scale + disp (absent
 * registers count 0; rip_relative adds the next RIP), truncated to
 * addr_bits, in segment (enum x86_segment numbering: 0 ES .. 5 GS). */
struct cr_insn_mem {
	int base, index;            /* GPR index or CR_INSN_NO_REG */
	unsigned scale;             /* 1, 2, 4, 8 */
	int64_t disp;
	bool rip_relative;
	unsigned addr_bits;         /* 16, 32 or 64 */
	unsigned segment;
};
#define CR_INSN_NO_REG (-1)

struct cr_insn {
	enum cr_insn_kind kind;
	unsigned length;            /* bytes, 1..15 */
	unsigned cr;                /* MOV: the control register (REX.R and LOCK included) */
	unsigned gpr;               /* MOV (source or destination), LMSW register form: the GPR index */
	bool lmsw_memory;           /* LMSW: the source is mem (below), else gpr */
	struct cr_insn_mem mem;
};

/* Decodes bytes[0..avail) as code of code_bits (16, 32, 64); false when
 * it is none of the three or truncated. */
bool cr_insn_decode(const uint8_t *bytes, unsigned avail, unsigned code_bits, struct cr_insn *out);

/* The LMSW memory operand's offset in its segment (before the segment
 * base), with next_rip the address of the following instruction. */
uint64_t cr_insn_offset(const struct cr_insn_mem *m, const struct guest_regs *regs, uint64_t next_rip);

#endif
