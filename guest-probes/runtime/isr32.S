/* Exception entry stubs for the 32-bit runtime (see isr64.S): the frame is
 * PUSHA's registers, vector, error code, then the CPU's EIP, CS, EFLAGS. */
	.text
	.code32
.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
isr_\v:
.if (\v == 8) || ((\v >= 10) && (\v <= 14)) || (\v == 17) || (\v == 21) || (\v == 29) || (\v == 30)
	pushl $\v
.else
	pushl $0
	pushl $\v
.endif
	jmp isr_common
.endr

isr_common:
	pushal
	cld
	movl %esp, %eax
	pushl %eax
	call exception_dispatch
	addl $4, %esp
	popal
	addl $8, %esp
	iret

	.section .rodata
	.balign 4
	.globl isr_stub_table
isr_stub_table:
.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.long isr_\v
.endr
