/* LMSW m16 through SIB, ModRM-only, RIP-relative and 32-bit-address
 * memory operands in 64-bit mode (contract {#cr.lmsw}; SDM vol. 2A 2.1.5
 * Tables 2-2 and 2-3, 2.2.1; vol. 2 LMSW). A hypervisor that
 * emulates LMSW must find the operand as the processor does. For each
 * form (lmsw_mem64.S) every word of lmsw_mem_words holds DECOY_MSW but the
 * one the encoding names, which holds LMSW_RIGHT_MSW; the registers a wrong
 * decoder would take instead (RAX for R8 and back, RSP for R12 and back,
 * RBP for R13, RCX for R9, "no index" for R12, a base for "no base",
 * R10 for RDX and R11) point at decoy words or, as an index, at other
 * decoy words; a negative disp8 read unsigned (256 more) reaches a decoy
 * word too. Prints `cr: lmsw_mem form=<name> loaded=<CR0> next=<1 when
 * the guest went on at the instruction after the LMSW>`, CR0 restored
 * after each. */
#include <stdint.h>
#include "runtime.h"
#include "cpu.h"
#include "lmsw_mem.h"

#define CR0_MP_EM_TS 0xeul         /* CR0 bits 1-3 (SDM vol. 3A 2.5) */
#define DECOY_MSW 0x4u             /* EM */
#define DECOY_QWORD 0x0004000400040004ull   /* four DECOY_MSW words */
#define WORDS 0x200u
#define DEFAULT_OFFSET 0x100u      /* where every register not named points */
#define NO_WORD 0xffffffffu        /* the right word is on the stack or in the code */
#define REG_RSP 4                  /* its slot is the stack qword instead */
#define SETTINGS 6
#define ABOVE_4G 0x100000000ull    /* bit 32: dropped by 32-bit addressing */

/* Named by the no-base forms (lmsw_mem64.S). */
uint16_t lmsw_mem_words[WORDS] __attribute__((aligned(16)));

struct reg_setting {
	int8_t reg;                /* ModRM number, -1 ends the list */
	uint8_t pointer;           /* value is an offset into lmsw_mem_words */
	uint64_t value;
};

struct mem_form {
	const char *name;
	uint64_t (*run)(const uint64_t *regs);
	uint32_t right;            /* byte offset of the word the encoding names */
	struct reg_setting set[SETTINGS];
};

#define PTR(r, off) { (r), 1, (off) }
#define NUM(r, v)   { (r), 0, (v) }
#define END         { -1, 0, 0 }
enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15 };

static const struct mem_form forms[] = {
	/* 6 + RAX + RCX*2; R8 (a REX.B wrongly added) points at a decoy, R9 (REX.X) as index too */
	{ "base_index_disp8", lmsw_mem_base_index_disp8, 0x30,
	  { PTR(RAX, 0x20), NUM(RCX, 5), NUM(R9, 7), END } },
	/* 0x120 + RDX + RBX*8 */
	{ "base_index_disp32", lmsw_mem_base_index_disp32, 0x148,
	  { PTR(RDX, 0x8), NUM(RBX, 4), NUM(R11, 2), END } },
	/* 2 + RSP: the stack qword holds LMSW_RIGHT_MSW in bits 31:16; R12 points at decoys */
	{ "base_rsp", lmsw_mem_base_rsp, NO_WORD,
	  { NUM(RSP, (DECOY_QWORD & ~0xffff0000ull) | (uint64_t)LMSW_RIGHT_MSW << 16), END } },
	/* 2 + R12; the stack holds decoys only */
	{ "base_r12", lmsw_mem_base_r12, 0x50, { PTR(R12, 0x4e), END } },
	/* 0x10 + R13 + RSI*4; RBP points at decoys, R14 (REX.X) as index too */
	{ "base_r13_disp8", lmsw_mem_base_r13_disp8, 0x7c,
	  { PTR(R13, 0x60), NUM(RSI, 3), NUM(R14, 1), END } },
	/* RDI + R9*8; RCX (REX.X lost) as index reaches a decoy */
	{ "index_r9", lmsw_mem_index_r9, 0x90, { PTR(RDI, 0x80), NUM(R9, 2), NUM(RCX, 5), END } },
	/* 4 + RBX + R12*2; without the index the word at 0xb4 is a decoy */
	{ "index_r12", lmsw_mem_index_r12, 0xc0, { PTR(RBX, 0xb0), NUM(R12, 6), END } },
	/* R8 + R15; RAX points at decoys, RDI (REX.X lost) as index too */
	{ "base_r8_index_r15", lmsw_mem_base_r8_index_r15, 0xe0,
	  { PTR(R8, 0xd0), NUM(R15, 0x10), NUM(RDI, 0x20), END } },
	/* lmsw_mem_words + 0xf0 + RCX*4; RBP or R13 taken as a base add 0x10 or 0x20 */
	{ "no_base", lmsw_mem_no_base, 0xf8, { NUM(RCX, 2), NUM(RBP, 0x10), NUM(R13, 0x20), END } },
	/* lmsw_mem_words + 0x180 + R10*2; RDX (REX.X lost) as index reaches a decoy */
	{ "no_base_index_r10", lmsw_mem_no_base_index_r10, 0x186,
	  { NUM(R10, 3), NUM(RDX, 5), NUM(RBP, 0x10), NUM(R13, 0x20), END } },
	/* 0x150 + RSI, no SIB; R14 (a REX.B wrongly added) points at decoys */
	{ "modrm_disp32", lmsw_mem_modrm_disp32, 0x1d0, { PTR(RSI, 0x80), END } },
	/* 2 + R10, no SIB; RDX (REX.B lost) and R11 (bit 0 wrongly set) point at decoys */
	{ "modrm_r10", lmsw_mem_modrm_r10, 0x1e0, { PTR(R10, 0x1de), END } },
	/* next RIP + 0x14, a word in the code (lmsw_mem64.S); RBP or R13 taken as a base reach decoys */
	{ "rip_relative", lmsw_mem_rip_relative, NO_WORD, { PTR(RBP, 0), PTR(R13, 0x20), END } },
	/* 6 + EAX + ECX*2 in 32 bits: bit 32 of RAX and RCX drops out (a 64-bit
	 * sum is above 4 GiB, where the probe maps nothing: #PF) */
	{ "addr32", lmsw_mem_addr32, 0x1f0,
	  { PTR(RAX, ABOVE_4G + 0x1e0), NUM(RCX, ABOVE_4G + 5), END } },
	/* RAX - 8 (disp8 F8h); RAX + 248, the unsigned reading, is a decoy */
	{ "modrm_disp8_neg", lmsw_mem_modrm_disp8_neg, 0x200, { PTR(RAX, 0x208), END } },
	/* RBP - 128 (disp8 80h, the most negative); RBP + 128 is a decoy */
	{ "modrm_rbp_disp8_min", lmsw_mem_modrm_rbp_disp8_min, 0x280, { PTR(RBP, 0x300), END } },
	/* RAX + RCX*2 - 4 (disp8 FCh); RAX + RCX*2 + 252 is a decoy */
	{ "base_index_disp8_neg", lmsw_mem_base_index_disp8_neg, 0x2a8,
	  { PTR(RAX, 0x2a0), NUM(RCX, 6), NUM(R9, 7), END } },
};

void lmsw_mem(void)
{
	uint64_t area = (uint64_t)(uintptr_t)lmsw_mem_words;
	unsigned long base = read_cr0() & ~CR0_MP_EM_TS;
	for (unsigned f = 0; f < sizeof forms / sizeof forms[0]; f++) {
		const struct mem_form *form = &forms[f];
		uint64_t regs[16];
		for (unsigned r = 0; r < 16; r++)
			regs[r] = r == REG_RSP ? DECOY_QWORD : area + DEFAULT_OFFSET;
		for (const struct reg_setting *s = form->set; s->reg >= 0; s++)
			regs[s->reg] = s->pointer ? area + s->value : s->value;
		for (unsigned w = 0; w < WORDS; w++)
			lmsw_mem_words[w] = DECOY_MSW;
		if (form->right != NO_WORD)
			lmsw_mem_words[form->right / 2] = LMSW_RIGHT_MSW;
		write_cr0(base);
		uint64_t mark = form->run(regs);
		unsigned long loaded = read_cr0();
		write_cr0(base);
		printf("cr: lmsw_mem form=%s loaded=0x%lx next=%u\n", form->name, loaded,
		       mark == LMSW_NEXT_MARK);
	}
}
