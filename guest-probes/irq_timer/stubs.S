/* Interrupt entry stubs for vectors 32-255 (64-bit): each 16-byte slot
 * pushes a zero error code and its vector, as the runtime's exception
 * stubs do, and jumps to the runtime's isr_common (isr64.S), which calls
 * interrupt_dispatch (main.c) and returns with IRETQ (SDM vol. 3A 6.14). */
	.text
	.code64
	.balign 16
	.globl irq_stubs
irq_stubs:
	.set vec, 32
	.rept 224
	.balign 16
	pushq $0
	pushq $vec
	jmp isr_common
	.set vec, vec + 1
	.endr
