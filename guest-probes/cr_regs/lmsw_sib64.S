/* LMSW m16 through SIB forms of the memory operand (cr_regs, contract
 * {#cr.lmsw}; SDM vol. 2A 2.1.5 Table 2-3 and 2.2.1 for REX.X/REX.B).
 * Each lmsw_sib_<form>(regs) loads all 16 general-purpose registers from
 * regs[16] (ModRM order RAX RCX RDX RBX RSP RBP RSI RDI R8..R15; RSP's
 * slot is not loaded but pushed: the stack word RSP-based forms read),
 * runs its one LMSW and returns with the callee-saved registers restored.
 * lmsw_sib.c chooses the values, so that only the register the encoding
 * names leads to the word that holds the expected MSW. */
	.text
	.code64

.macro LMSW_SIB name, insn
	.globl \name
\name:
	push %rbx
	push %rbp
	push %r12
	push %r13
	push %r14
	push %r15
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
	add $8, %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbp
	pop %rbx
	ret
.endm

	/* base + index*scale + disp8 */
	LMSW_SIB lmsw_sib_base_index_disp8, "lmsw 6(%rax,%rcx,2)"
	/* base + index*scale + disp32 */
	LMSW_SIB lmsw_sib_base_index_disp32, "lmsw 0x120(%rdx,%rbx,8)"
	/* base RSP: SIB byte 24h required */
	LMSW_SIB lmsw_sib_base_rsp, "lmsw 2(%rsp)"
	/* base R12: REX.B and SIB 24h required */
	LMSW_SIB lmsw_sib_base_r12, "lmsw 2(%r12)"
	/* base R13 (SIB base 101b with REX.B and mod 01: R13 + disp8) */
	LMSW_SIB lmsw_sib_base_r13_disp8, "lmsw 0x10(%r13,%rsi,4)"
	/* index R9 (REX.X) */
	LMSW_SIB lmsw_sib_index_r9, "lmsw (%rdi,%r9,8)"
	/* index R12 (index field 100b with REX.X: R12, not "no index") */
	LMSW_SIB lmsw_sib_index_r12, "lmsw 4(%rbx,%r12,2)"
	/* base R8 (REX.B), index R15 (REX.X) */
	LMSW_SIB lmsw_sib_base_r8_index_r15, "lmsw (%r8,%r15,1)"
	/* no base: SIB base 101b with mod 00 is [index*scale + disp32] */
	LMSW_SIB lmsw_sib_no_base, "lmsw lmsw_sib_words+0xf0(,%rcx,4)"
	/* no base with index R10 (REX.X) */
	LMSW_SIB lmsw_sib_no_base_index_r10, "lmsw lmsw_sib_words+0x180(,%r10,2)"
