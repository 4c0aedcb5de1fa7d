/* Exception entry stubs for the 64-bit runtime: each pushes a zero error
 * code when the CPU pushes none (6.13, table 6-1), then its vector, saves
 * every general-purpose register and calls exception_dispatch() with the
 * frame (struct exception_frame in fault.h). A probe's own interrupt gates
 * (vectors 32-255) push the same two words and jump to isr_common too. */
	.text
	.code64
.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
isr_\v:
.if (\v == 8) || ((\v >= 10) && (\v <= 14)) || (\v == 17) || (\v == 21) || (\v == 29) || (\v == 30)
	pushq $\v
.else
	pushq $0
	pushq $\v
.endif
	jmp isr_common
.endr

	.globl isr_common
isr_common:
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	/* The interrupted code may have run with DF=1 (string I/O probes);
	 * C needs DF=0. IRETQ restores the original RFLAGS. */
	cld
	movq %rsp, %rdi
	call exception_dispatch
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp
	iretq

	.section .rodata
	.balign 8
	.globl isr_stub_table
isr_stub_table:
.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad isr_\v
.endr
