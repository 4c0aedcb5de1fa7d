/* Interrupt entry stubs for vectors 32-255 (64-bit): each 16-byte slot
 * pushes its vector and jumps to irq_common, which saves every
 * general-purpose register, calls irq_dispatch(frame) (struct irq_frame in main.c)
 * and returns with IRETQ (SDM vol. 3A 6.14). */
	.text
	.code64
	.balign 16
	.globl irq_stubs
irq_stubs:
	.set vec, 32
	.rept 224
	.balign 16
	pushq $vec
	jmp irq_common
	.set vec, vec + 1
	.endr

irq_common:
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
	cld
	movq %rsp, %rdi
	call irq_dispatch
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
	addq $8, %rsp
	iretq
