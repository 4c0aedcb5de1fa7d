/* One trip into the guest (AMD APM vol. 2 15.5, 15.6):
 * svm_run(regs, vmcb_pa, host_save_pa) loads the guest's GPRs from regs,
 * executes VMRUN and, after the #VMEXIT, stores them back. RAX and RSP
 * live in the VMCB. VMRUN and #VMEXIT switch only part of the state:
 * FS, GS, TR, LDTR and the SYSCALL/SYSENTER MSRs are moved by VMLOAD and
 * VMSAVE (15.5.2), so the host's copy is saved around the guest's. */
#define R(i) (8 * (i))      /* guest_regs.gpr[i], x86 register encoding */

	.text
	.globl svm_run
svm_run:
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	pushq %rdi                      /* 16(%rsp): regs */
	pushq %rdx                      /* 8(%rsp): host save area */
	pushq %rsi                      /* 0(%rsp): VMCB */
	clgi                            /* no interrupt between here and VMRUN (15.17) */
	movq %rdx, %rax
	vmsave %rax
	movq %rsi, %rax
	vmload %rax
	movq %rdi, %rax
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
	movq 0(%rsp), %rax
	vmrun %rax
	/* #VMEXIT: RAX and RSP are the host's again, the rest the guest's. */
	movq 16(%rsp), %rax
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
	movq 0(%rsp), %rax
	vmsave %rax
	movq 8(%rsp), %rax
	vmload %rax
	stgi
	addq $24, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	ret
