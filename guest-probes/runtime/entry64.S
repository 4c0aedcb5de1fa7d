/* Entry of a 64-bit probe. The hypervisor starts it at e_entry in 32-bit
 * protected mode with paging off (contract section 2). This code records the
 * initial state, identity-maps the first 4 GiB with 2-MiB pages, loads its
 * own GDT, enables PAE, sets EFER.LME with WRMSR, enables paging and jumps
 * to 64-bit code (9.8.5, "Initializing IA-32e Mode"), then calls
 * runtime_start() on the boot stack. */
#include "runtime_layout.h"
#include "x86.h"
#include "record_boot_state.inc"

#define IDENTITY_PD_COUNT 4 /* 4 page directories x 1 GiB = 4 GiB */
#define IDENTITY_PDE_COUNT (IDENTITY_PD_COUNT * 512) /* 4.5.4 */
#define TABLE_BYTES 4096    /* one paging structure, 4.5 */

	.section .text.entry, "ax"
	.code32
	.globl _start
_start:
	RECORD_BOOT_STATE

	/* Zero the PML4 and the PDPT, then link PML4[0] -> PDPT and
	 * PDPT[0..3] -> the four page directories. */
	movl $identity_pml4, %edi
	xorl %eax, %eax
	movl $(2 * TABLE_BYTES / 4), %ecx
	rep stosl
	movl $(identity_pdpt + (PTE_P | PTE_RW)), identity_pml4
	movl $identity_pdpt, %edi
	movl $(identity_pds + (PTE_P | PTE_RW)), %eax
	movl $IDENTITY_PD_COUNT, %ecx
2:	movl %eax, (%edi)
	movl $0, 4(%edi)
	addl $TABLE_BYTES, %eax
	addl $8, %edi
	loop 2b

	/* Every PDE maps the 2-MiB page at its own address. */
	movl $identity_pds, %edi
	movl $(PTE_P | PTE_RW | PTE_PS), %eax
	movl $IDENTITY_PDE_COUNT, %ecx
3:	movl %eax, (%edi)
	movl $0, 4(%edi)
	addl $PAGE_SIZE_2M, %eax
	addl $8, %edi
	loop 3b

	lgdt runtime_gdt_register
	ljmp $RUNTIME_CODE32_SELECTOR, $4f
4:	movl $RUNTIME_DATA_SELECTOR, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %fs
	movl %eax, %gs
	movl %eax, %ss

	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $identity_pml4, %eax
	movl %eax, %cr3

	movl $MSR_IA32_EFER, %ecx
	rdmsr
	movl %eax, boot_efer_lo
	movl %edx, boot_efer_hi
	orl $EFER_LME, %eax
	wrmsr

	movl %cr0, %eax
	orl $CR0_PG, %eax
	movl %eax, %cr0
	ljmp $RUNTIME_CODE_SELECTOR, $long_mode

	.code64
long_mode:
	movl $RUNTIME_DATA_SELECTOR, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %fs
	movl %eax, %gs
	movl %eax, %ss
	movq $boot_stack_top, %rsp
	xorl %ebp, %ebp
	call runtime_start
5:	cli
	hlt
	jmp 5b

	.section .data
	.balign 16
runtime_gdt:
	.quad 0
	.quad SEG_CODE64  /* RUNTIME_CODE_SELECTOR */
	.quad SEG_DATA32  /* RUNTIME_DATA_SELECTOR */
	.quad SEG_CODE32  /* RUNTIME_CODE32_SELECTOR */
runtime_gdt_end:
	.balign 8
	.short 0
runtime_gdt_register:
	.short runtime_gdt_end - runtime_gdt - 1
	.quad runtime_gdt

	.section .bss
	.balign 4096
	.globl identity_pml4
identity_pml4:	.skip TABLE_BYTES
identity_pdpt:	.skip TABLE_BYTES
identity_pds:	.skip IDENTITY_PD_COUNT * TABLE_BYTES
	.balign 16
boot_stack:	.skip RUNTIME_STACK_SIZE
boot_stack_top:
