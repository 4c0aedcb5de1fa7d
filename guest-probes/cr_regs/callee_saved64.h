/* GAS macros for cr_regs' .S files: save and restore the registers the
 * SysV x86-64 ABI makes callee-saved (RBX, RBP, R12-R15), which these
 * routines load with test values. */
#ifndef CR_REGS_CALLEE_SAVED64_H
#define CR_REGS_CALLEE_SAVED64_H
.macro PUSH_CALLEE_SAVED
	push %rbx
	push %rbp
	push %r12
	push %r13
	push %r14
	push %r15
.endm
.macro POP_CALLEE_SAVED
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbp
	pop %rbx
.endm
#endif
