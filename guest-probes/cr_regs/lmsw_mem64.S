/* LMSW m16 through the 64-bit memory-operand forms (cr_regs, contract
 * {#cr.lmsw}; SDM vol. 2A 2.1.5 Tables 2-2 and 2-3, 2.2.1 for REX.X,
 * REX.B and RIP-relative addressing). Each lmsw_mem_<form>(regs) loads
 * all 16 general-purpose registers from regs[16] (ModRM order RAX RCX RDX
 * RBX RSP RBP RSI RDI R8..R15; RSP's slot is not loaded but pushed: the
 * stack word RSP-based forms read), runs its one LMSW and returns
 * LMSW_NEXT_MARK, which only the instruction right after the LMSW puts in RAX:
 * its immediate bytes are NOPs, so a guest resumed a byte late skips it.
 * lmsw_mem.c chooses the values, so that only the register the encoding
 * names leads to the word that holds the expected MSW. */
#include "callee_saved64.h"
#include "lmsw_mem.h"
	.set RIGHT_MSW, LMSW_RIGHT_MSW   /* for the macro arguments, which cpp leaves alone */
	.text
	.code64

.macro LMSW_MEM name, insn, data=
	.globl \name
\name:
	PUSH_CALLEE_SAVED
	pushq 32(%rdi)
	mov 0(%rdi), %rax
	mov 8(%rdi), %rcx
	mov 16(%rdi), %rdx
	mov 24(%rdi), %rbx
	mov 40(%rdi), %rbp
	mov 48(%rdi), %rsi
	mov 64(%rdi), %r8
	mov 72(%rdi), %r9
	mov 80(%rdi), %r10
	mov 88(%rdi), %r11
	mov 96(%rdi), %r12
	mov 104(%rdi), %r13
	mov 112(%rdi), %r14
	mov 120(%rdi), %r15
	mov 56(%rdi), %rdi
	\insn
	movl $LMSW_NEXT_MARK, %eax
	add $8, %rsp
	POP_CALLEE_SAVED
	ret
	\data
.endm

	/* SIB: base + index*scale + disp8 */
	LMSW_MEM lmsw_mem_base_index_disp8, "lmsw 6(%rax,%rcx,2)"
	/* SIB: base + index*scale + disp32 */
	LMSW_MEM lmsw_mem_base_index_disp32, "lmsw 0x120(%rdx,%rbx,8)"
	/* SIB: base RSP (SIB byte 24h required) */
	LMSW_MEM lmsw_mem_base_rsp, "lmsw 2(%rsp)"
	/* SIB: base R12 (REX.B and SIB 24h required) */
	LMSW_MEM lmsw_mem_base_r12, "lmsw 2(%r12)"
	/* SIB: base R13 (base 101b with REX.B and mod 01: R13 + disp8) */
	LMSW_MEM lmsw_mem_base_r13_disp8, "lmsw 0x10(%r13,%rsi,4)"
	/* SIB: index R9 (REX.X) */
	LMSW_MEM lmsw_mem_index_r9, "lmsw (%rdi,%r9,8)"
	/* SIB: index R12 (index 100b with REX.X: R12, not "no index") */
	LMSW_MEM lmsw_mem_index_r12, "lmsw 4(%rbx,%r12,2)"
	/* SIB: base R8 (REX.B), index R15 (REX.X) */
	LMSW_MEM lmsw_mem_base_r8_index_r15, "lmsw (%r8,%r15,1)"
	/* SIB: base 101b with mod 00 is no base, [index*scale + disp32] */
	LMSW_MEM lmsw_mem_no_base, "lmsw lmsw_mem_words+0xf0(,%rcx,4)"
	/* SIB: no base with index R10 (REX.X) */
	LMSW_MEM lmsw_mem_no_base_index_r10, "lmsw lmsw_mem_words+0x180(,%r10,2)"
	/* No SIB: base + disp32 (mod 10) */
	LMSW_MEM lmsw_mem_modrm_disp32, "lmsw 0x150(%rsi)"
	/* No SIB: base R10 (REX.B) + disp8 */
	LMSW_MEM lmsw_mem_modrm_r10, "lmsw 2(%r10)"
	/* No SIB: mod 00 r/m 101b is RIP + disp32 in 64-bit mode. The word
	 * follows the routine, so the disp32 is fixed here (0x14): read as the
	 * operand, its low bytes give a different MSW. */
	LMSW_MEM lmsw_mem_rip_relative, "lmsw 1f(%rip)", "1: .word RIGHT_MSW"
	/* 67h: 32-bit addressing, the offset truncated to 32 bits */
	LMSW_MEM lmsw_mem_addr32, "addr32 lmsw 6(%eax,%ecx,2)"
	/* disp8 is signed: F8h is -8, 80h -128, FCh -4 (SDM vol. 2A 2.1.5) */
	LMSW_MEM lmsw_mem_modrm_disp8_neg, "lmsw -8(%rax)"
	LMSW_MEM lmsw_mem_modrm_rbp_disp8_min, "lmsw -0x80(%rbp)"
	LMSW_MEM lmsw_mem_base_index_disp8_neg, "lmsw -4(%rax,%rcx,2)"
