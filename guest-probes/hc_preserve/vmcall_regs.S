/* vmcall_with_registers(in, out, rsp_before): see gpr_set.h. Stores go to
 * static scratch first, RIP-relative, so no register is needed as a base
 * pointer right after VMCALL. */
#include "gpr_set.h"

	.text
	.code64
	.globl vmcall_with_registers
vmcall_with_registers:
	pushfq
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	pushq %rsi		/* out */
	pushq %rdx		/* rsp_before */

	movq %rsp, rsp_at_vmcall(%rip)
	pushq GPR_SET_RFLAGS(%rdi)
	popfq
	movq GPR_SET_RAX(%rdi), %rax
	movq GPR_SET_RBX(%rdi), %rbx
	movq GPR_SET_RCX(%rdi), %rcx
	movq GPR_SET_RDX(%rdi), %rdx
	movq GPR_SET_RSI(%rdi), %rsi
	movq GPR_SET_RBP(%rdi), %rbp
	movq GPR_SET_R8(%rdi), %r8
	movq GPR_SET_R9(%rdi), %r9
	movq GPR_SET_R10(%rdi), %r10
	movq GPR_SET_R11(%rdi), %r11
	movq GPR_SET_R12(%rdi), %r12
	movq GPR_SET_R13(%rdi), %r13
	movq GPR_SET_R14(%rdi), %r14
	movq GPR_SET_R15(%rdi), %r15
	movq GPR_SET_RDI(%rdi), %rdi
	vmcall
	movq %rax, scratch + GPR_SET_RAX(%rip)
	movq %rbx, scratch + GPR_SET_RBX(%rip)
	movq %rcx, scratch + GPR_SET_RCX(%rip)
	movq %rdx, scratch + GPR_SET_RDX(%rip)
	movq %rsi, scratch + GPR_SET_RSI(%rip)
	movq %rdi, scratch + GPR_SET_RDI(%rip)
	movq %rbp, scratch + GPR_SET_RBP(%rip)
	movq %r8, scratch + GPR_SET_R8(%rip)
	movq %r9, scratch + GPR_SET_R9(%rip)
	movq %r10, scratch + GPR_SET_R10(%rip)
	movq %r11, scratch + GPR_SET_R11(%rip)
	movq %r12, scratch + GPR_SET_R12(%rip)
	movq %r13, scratch + GPR_SET_R13(%rip)
	movq %r14, scratch + GPR_SET_R14(%rip)
	movq %r15, scratch + GPR_SET_R15(%rip)
	movq %rsp, scratch + GPR_SET_RSP(%rip)
	pushfq
	popq scratch + GPR_SET_RFLAGS(%rip)
	cld

	popq %rdx
	movq rsp_at_vmcall(%rip), %rax
	movq %rax, (%rdx)
	popq %rdi		/* out */
	leaq scratch(%rip), %rsi
	movl $(GPR_SET_SIZE / 8), %ecx
	rep movsq
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	popfq
	ret

	.bss
	.balign 8
scratch:	.skip GPR_SET_SIZE
rsp_at_vmcall:	.skip 8
