/* Entry of a 32-bit (ELF32) probe: records the initial state like
 * entry64.S, loads its own flat GDT and a stack, and calls runtime_start()
 * in 32-bit protected mode with paging off. It never touches EFER. */
#include "runtime_layout.h"
#include "x86.h"
#include "record_boot_state.inc"

	.section .text.entry, "ax"
	.code32
	.globl _start
_start:
	RECORD_BOOT_STATE

	lgdt runtime_gdt_register
	ljmp $RUNTIME_CODE_SELECTOR, $2f
2:	movl $RUNTIME_DATA_SELECTOR, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %fs
	movl %eax, %gs
	movl %eax, %ss
	xorl %ebp, %ebp
	call runtime_start
3:	cli
	hlt
	jmp 3b

	.section .data
	.balign 8
runtime_gdt:
	.quad 0
	.quad SEG_CODE32  /* RUNTIME_CODE_SELECTOR */
	.quad SEG_DATA32  /* RUNTIME_DATA_SELECTOR */
runtime_gdt_end:
	.balign 4
	.short 0
runtime_gdt_register:
	.short runtime_gdt_end - runtime_gdt - 1
	.long runtime_gdt

	.section .bss
	.balign 16
boot_stack:	.skip RUNTIME_STACK_SIZE
boot_stack_top:
