/* MOV to CRn and MOV from CRn through each general-purpose register, RSP
 * included (cr_regs, contract 13). cr<n>_via[reg](value) loads value into
 * reg (ModRM encoding order: RAX RCX RDX RBX RSP RBP RSI RDI R8..R15),
 * moves it to CRn, zeroes reg, moves CRn back into reg and returns that.
 * RSP is parked in memory meanwhile: nothing may fault in between. */
#include "callee_saved64.h"
	.text
.macro ROUNDTRIP cr, reg
cr\cr\()_via_\reg:
	PUSH_CALLEE_SAVED
	mov %rsp, saved_sp(%rip)
	mov %rdi, %\reg
	mov %\reg, %cr\cr
	mov $0, %\reg
	mov %cr\cr, %\reg
	mov %\reg, result(%rip)
	mov saved_sp(%rip), %rsp
	POP_CALLEE_SAVED
	mov result(%rip), %rax
	ret
.endm

.macro ROUNDTRIPS cr
	.irp reg, rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8, r9, r10, r11, r12, r13, r14, r15
	ROUNDTRIP \cr, \reg
	.endr
	.section .rodata
	.balign 8
	.globl cr\cr\()_via
cr\cr\()_via:
	.irp reg, rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8, r9, r10, r11, r12, r13, r14, r15
	.quad cr\cr\()_via_\reg
	.endr
	.text
.endm

	ROUNDTRIPS 0
	ROUNDTRIPS 3
	ROUNDTRIPS 4
	ROUNDTRIPS 8

	.bss
	.balign 8
saved_sp:	.quad 0
result:		.quad 0
	.section .note.GNU-stack, "", @progbits
