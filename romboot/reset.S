/* First instructions after power-on: from real mode at the reset vector to
 * flat 32-bit protected mode, then into the C loader. No BIOS runs. */
#define START16_OFFSET   0xFE00       /* 0xFFFFFE00 - CS base 0xFFFF0000 after reset (SDM 10.1.4) */
#define LOADER_STACK_TOP 0x00090000   /* conventional RAM below the EBDA */
#define SEL_CODE32 0x08
#define SEL_DATA32 0x10
#define CR0_PE 0x1                    /* SDM 2.5 */

	.section .text.start16, "ax"
	.code16
	.globl start16
start16:
	cli
	cld
	/* 0x66 prefix: load a 32-bit GDT base. The descriptor is addressed
	 * CS-relative: loader.ld puts this section at CS offset START16_OFFSET. */
	lgdtl %cs:(gdt_ptr - start16 + START16_OFFSET)
	movl %cr0, %eax
	orl $CR0_PE, %eax
	movl %eax, %cr0
	ljmpl $SEL_CODE32, $start32

	.code32
start32:
	movw $SEL_DATA32, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %fs
	movw %ax, %gs
	movw %ax, %ss
	movl $LOADER_STACK_TOP, %esp
	call loader_main
1:	cli
	hlt
	jmp 1b

	.balign 8
gdt:
	.quad 0
	.quad 0x00cf9b000000ffff   /* flat 32-bit code, execute/read (SDM 3.4.5) */
	.quad 0x00cf93000000ffff   /* flat 32-bit data, read/write (SDM 3.4.5) */
gdt_end:
gdt_ptr:
	.word gdt_end - gdt - 1
	.long gdt

	/* The reset vector (SDM 10.1.4): 16 bytes at 0xFFFFFFF0. */
	.section .text.reset, "ax"
	.code16
	.globl reset_vector
reset_vector:
	jmp start16
	.balign 16, 0xf4
