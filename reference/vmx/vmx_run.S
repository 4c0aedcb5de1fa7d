/* VM entry and exit (SDM 27 and 28). vmx_run(regs, launched) loads the
 * guest GPRs, executes VMLAUNCH or VMRESUME, and returns 0 when the guest
 * exits, or VMX_FAIL_INVALID (1) / VMX_FAIL_VALID (2) when entry fails.
 * On exit the processor loads HOST_RSP, which points at the saved regs
 * pointer, and jumps to vmx_exit. Guest RSP lives in the VMCS. */
#define HOST_RSP 0x6C14
#include "guest_regs_asm.h"

	.text
	.globl vmx_run
vmx_run:
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	pushq %rdi                      /* regs, found again at exit */
	movq $HOST_RSP, %rax
	vmwrite %rsp, %rax
	jbe entry_failed
	movq %rdi, %rax
	testl %esi, %esi
	GUEST_REGS_LOAD %rax
	jnz 1f                          /* flags from testl: mov does not change them */
	movq GUEST_REG(0)(%rax), %rax
	vmlaunch
	jmp entry_failed
1:	movq GUEST_REG(0)(%rax), %rax
	vmresume
entry_failed:
	/* CF=1: VMfailInvalid; ZF=1: VMfailValid (SDM 31.2). */
	movl $1, %eax
	movl $2, %ecx
	cmovzl %ecx, %eax
restore_host:                           /* the regs pointer, then callee-saved registers */
	popq %rdi
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	ret

	.globl vmx_exit
vmx_exit:
	pushq %rax
	movq 8(%rsp), %rax              /* regs */
	GUEST_REGS_STORE %rax
	popq GUEST_REG(0)(%rax)
	xorl %eax, %eax
	jmp restore_host
