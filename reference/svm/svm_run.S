/* One trip into the guest (AMD APM vol. 2 15.5, 15.6):
 * svm_run(regs, vmcb_pa, host_save_pa) loads the guest's GPRs from regs,
 * executes VMRUN and, after the #VMEXIT, stores them back. RAX and RSP
 * live in the VMCB. VMRUN and #VMEXIT switch only part of the state:
 * FS, GS, TR, LDTR and the SYSCALL/SYSENTER MSRs are moved by VMLOAD and
 * VMSAVE (15.5.2), so the host's copy is saved around the guest's. */
#include "guest_regs_asm.h"

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
	GUEST_REGS_LOAD %rax
	movq 0(%rsp), %rax
	vmrun %rax
	/* #VMEXIT: RAX and RSP are the host's again, the rest the guest's. */
	movq 16(%rsp), %rax
	GUEST_REGS_STORE %rax
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
