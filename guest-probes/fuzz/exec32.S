/* The 32-bit trampoline of the fuzz probe: exec64.S for 32-bit code (8
 * GPRs of 4 bytes, EFLAGS after them; struct fuzz_regs in fuzz.h). */
#include "fuzz_layout.h"
#define FLAGS_OFFSET (8 * 4)

	.text
	.code32
	.globl fuzz_exec
fuzz_exec:
	pushl %ebx
	pushl %ebp
	pushl %esi
	pushl %edi
	pushfl
	movl %esp, saved_sp
	movl $fuzz_stack_top, %esp   /* see exec64.S */
	pushl fuzz_in+FLAGS_OFFSET
	popfl
	movl fuzz_in+0*4, %eax
	movl fuzz_in+1*4, %ecx
	movl fuzz_in+2*4, %edx
	movl fuzz_in+3*4, %ebx
	movl fuzz_in+5*4, %ebp
	movl fuzz_in+6*4, %esi
	movl fuzz_in+7*4, %edi
	call *fuzz_slot_va
fuzz_exec_back:
	movl %eax, fuzz_out+0*4
	movl %ecx, fuzz_out+1*4
	movl %edx, fuzz_out+2*4
	movl %ebx, fuzz_out+3*4
	movl %ebp, fuzz_out+5*4
	movl %esi, fuzz_out+6*4
	movl %edi, fuzz_out+7*4
	pushfl
	popl fuzz_out+FLAGS_OFFSET
	movl saved_sp, %esp
	popfl
	popl %edi
	popl %esi
	popl %ebp
	popl %ebx
	ret

/* Resume point of an exception in the slot: CALL's return address is
 * still on the stack. */
fuzz_exec_fault:
	leal 4(%esp), %esp   /* LEA: the status flags stay as the fault left them */
	jmp fuzz_exec_back

	.pushsection .fixup_table, "a"
	.balign 4 /* struct fixup_entry is 12 bytes here: no padding */
	.long fuzz_slot, fuzz_slot + FUZZ_SLOT_SIZE - 1, fuzz_exec_fault
	.long FUZZ_SPLIT_VA, FUZZ_SPLIT_END, fuzz_exec_fault
	.popsection

	.bss
	.balign 16
	.globl fuzz_slot
fuzz_slot:	.skip FUZZ_SLOT_SIZE
	.balign 8
	.globl fuzz_in, fuzz_out, fuzz_stack_top
fuzz_in:	.skip FLAGS_OFFSET + 4
fuzz_out:	.skip FLAGS_OFFSET + 4
	.balign 16
fuzz_stack:	.skip 16384 /* also the exception handler's stack */
fuzz_stack_top:
saved_sp:	.skip 4
