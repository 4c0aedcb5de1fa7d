/* VM entry and exit (SDM 27 and 28). vmx_run(regs, launched) loads the
 * guest GPRs, executes VMLAUNCH or VMRESUME, and returns 0 when the guest
 * exits, or VMX_FAIL_INVALID (1) / VMX_FAIL_VALID (2) when entry fails.
 * On exit the processor loads HOST_RSP, which points at the saved regs
 * pointer, and jumps to vmx_exit. Guest RSP lives in the VMCS. */
#define HOST_RSP 0x6C14
#define R(i) (8 * (i))      /* guest_regs.gpr[i], x86 register encoding */

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
	movq R(1)(%rax), %rcx
	movq R(2)(%rax), %rdx
	movq R(3)(%rax), %rbx
	movq R(5)(%rax), %rbp
	movq R(6)(%rax), %rsi
	movq R(7)(%rax), %rdi
	movq R(8)(%rax), %r8
	movq R(9)(%rax), %r9
	movq R(10)(%rax), %r10
	movq R(11)(%rax), %r11
	movq R(12)(%rax), %r12
	movq R(13)(%rax), %r13
	movq R(14)(%rax), %r14
	movq R(15)(%rax), %r15
	jnz 1f                          /* flags from testl: mov does not change them */
	movq R(0)(%rax), %rax
	vmlaunch
	jmp entry_failed
1:	movq R(0)(%rax), %rax
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
	movq %rcx, R(1)(%rax)
	movq %rdx, R(2)(%rax)
	movq %rbx, R(3)(%rax)
	movq %rbp, R(5)(%rax)
	movq %rsi, R(6)(%rax)
	movq %rdi, R(7)(%rax)
	movq %r8, R(8)(%rax)
	movq %r9, R(9)(%rax)
	movq %r10, R(10)(%rax)
	movq %r11, R(11)(%rax)
	movq %r12, R(12)(%rax)
	movq %r13, R(13)(%rax)
	movq %r14, R(14)(%rax)
	movq %r15, R(15)(%rax)
	popq R(0)(%rax)
	xorl %eax, %eax
	jmp restore_host
