/* The interrupt gates' entry stubs for vectors 32-255: the same 16-byte
 * slots as irq_timer's (one copy, included, not duplicated). */
#include "../irq_timer/stubs.S"

/* mode=vector0's gate 0: the master's vector base 0 makes IRQ 0 arrive as
 * vector 0, the #DE slot. This stub pushes VECTOR0_MARK (256, no real
 * vector: main.c) in place of 0, so exception_dispatch hands the frame to
 * interrupt_dispatch instead of reporting a divide error. */
	.text
	.code64
	.globl vector0_stub
vector0_stub:
	pushq $0
	pushq $256
	jmp isr_common
