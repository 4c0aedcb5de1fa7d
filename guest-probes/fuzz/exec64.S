/* The 64-bit trampoline of the fuzz probe: loads every GPR but RSP and
 * RFLAGS from fuzz_in, calls the generated instruction at fuzz_slot_va
 * (fuzz_slot, or the split slot across two alias pages: fuzz_layout.h;
 * it ends in RET), stores every GPR and RFLAGS to fuzz_out. An exception
 * anywhere in either slot resumes at fuzz_exec_fault through the
 * runtime's fixup table (fault.h) with the registers as the exception
 * found them. Layout of struct fuzz_regs: fuzz.h. */
#include "fuzz_layout.h"
#define FLAGS_OFFSET (16 * 8)

	.text
	.code64
	.globl fuzz_exec
fuzz_exec:
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	pushfq
	movq %rsp, saved_sp(%rip)
	/* Its own stack, so RSP inside the slot is always the same value
	 * (fuzz_stack_top - 8, after CALL) and operands can be based on it. */
	leaq fuzz_stack_top(%rip), %rsp
	pushq fuzz_in+FLAGS_OFFSET(%rip)
	popfq
	movq fuzz_in+0*8(%rip), %rax
	movq fuzz_in+1*8(%rip), %rcx
	movq fuzz_in+2*8(%rip), %rdx
	movq fuzz_in+3*8(%rip), %rbx
	movq fuzz_in+5*8(%rip), %rbp
	movq fuzz_in+6*8(%rip), %rsi
	movq fuzz_in+7*8(%rip), %rdi
	movq fuzz_in+8*8(%rip), %r8
	movq fuzz_in+9*8(%rip), %r9
	movq fuzz_in+10*8(%rip), %r10
	movq fuzz_in+11*8(%rip), %r11
	movq fuzz_in+12*8(%rip), %r12
	movq fuzz_in+13*8(%rip), %r13
	movq fuzz_in+14*8(%rip), %r14
	movq fuzz_in+15*8(%rip), %r15
	call *fuzz_slot_va(%rip)
fuzz_exec_back:
	movq %rax, fuzz_out+0*8(%rip)
	movq %rcx, fuzz_out+1*8(%rip)
	movq %rdx, fuzz_out+2*8(%rip)
	movq %rbx, fuzz_out+3*8(%rip)
	movq %rbp, fuzz_out+5*8(%rip)
	movq %rsi, fuzz_out+6*8(%rip)
	movq %rdi, fuzz_out+7*8(%rip)
	movq %r8, fuzz_out+8*8(%rip)
	movq %r9, fuzz_out+9*8(%rip)
	movq %r10, fuzz_out+10*8(%rip)
	movq %r11, fuzz_out+11*8(%rip)
	movq %r12, fuzz_out+12*8(%rip)
	movq %r13, fuzz_out+13*8(%rip)
	movq %r14, fuzz_out+14*8(%rip)
	movq %r15, fuzz_out+15*8(%rip)
	pushfq
	popq fuzz_out+FLAGS_OFFSET(%rip)
	movq saved_sp(%rip), %rsp
	popfq
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	ret

/* Resume point of an exception in the slot: CALL's return address is
 * still on the stack. */
fuzz_exec_fault:
	leaq 8(%rsp), %rsp   /* LEA: the status flags stay as the fault left them */
	jmp fuzz_exec_back

	.pushsection .fixup_table, "a"
	.balign 8
	.quad fuzz_slot, fuzz_slot + FUZZ_SLOT_SIZE - 1, fuzz_exec_fault
	.quad FUZZ_SPLIT_VA, FUZZ_SPLIT_END, fuzz_exec_fault
	.popsection

	.bss
	.balign 16
	.globl fuzz_slot
fuzz_slot:	.skip FUZZ_SLOT_SIZE
	.balign 8
	.globl fuzz_in, fuzz_out, fuzz_stack_top
fuzz_in:	.skip FLAGS_OFFSET + 8
fuzz_out:	.skip FLAGS_OFFSET + 8
	.balign 16
fuzz_stack:	.skip 16384 /* also the exception handler's stack */
fuzz_stack_top:
saved_sp:	.skip 8
