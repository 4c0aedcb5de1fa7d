/* The guest-register moves both vendor layers' entry stubs make, for
 * assembly: struct guest_regs (guest_regs.h) is gpr[16] indexed by the x86
 * register encoding. RAX and RSP are left to the caller: each vendor keeps
 * them its own way (VMX: RSP in the VMCS; SVM: RAX and RSP in the VMCB). */
#ifndef HV_GUEST_REGS_ASM_H
#define HV_GUEST_REGS_ASM_H

#define GUEST_REG(i) (8 * (i))      /* offset of guest_regs.gpr[i] */

/* Every GPR but RAX and RSP from the guest_regs at \base. */
.macro GUEST_REGS_LOAD base
	movq GUEST_REG(1)(\base), %rcx
	movq GUEST_REG(2)(\base), %rdx
	movq GUEST_REG(3)(\base), %rbx
	movq GUEST_REG(5)(\base), %rbp
	movq GUEST_REG(6)(\base), %rsi
	movq GUEST_REG(7)(\base), %rdi
	movq GUEST_REG(8)(\base), %r8
	movq GUEST_REG(9)(\base), %r9
	movq GUEST_REG(10)(\base), %r10
	movq GUEST_REG(11)(\base), %r11
	movq GUEST_REG(12)(\base), %r12
	movq GUEST_REG(13)(\base), %r13
	movq GUEST_REG(14)(\base), %r14
	movq GUEST_REG(15)(\base), %r15
.endm

/* Every GPR but RAX and RSP into the guest_regs at \base. */
.macro GUEST_REGS_STORE base
	movq %rcx, GUEST_REG(1)(\base)
	movq %rdx, GUEST_REG(2)(\base)
	movq %rbx, GUEST_REG(3)(\base)
	movq %rbp, GUEST_REG(5)(\base)
	movq %rsi, GUEST_REG(6)(\base)
	movq %rdi, GUEST_REG(7)(\base)
	movq %r8, GUEST_REG(8)(\base)
	movq %r9, GUEST_REG(9)(\base)
	movq %r10, GUEST_REG(10)(\base)
	movq %r11, GUEST_REG(11)(\base)
	movq %r12, GUEST_REG(12)(\base)
	movq %r13, GUEST_REG(13)(\base)
	movq %r14, GUEST_REG(14)(\base)
	movq %r15, GUEST_REG(15)(\base)
.endm

#endif
