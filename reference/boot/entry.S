/* Multiboot2 entry of the hypervisor: 32-bit protected mode, paging off
 * (Multiboot2 spec 3.3). Checks for long mode, identity-maps the first
 * 4 GiB with 2 MiB pages, enters 64-bit mode and calls hv_main(magic, info).
 * The Multiboot2 header: reference/lib/mb2_image_header.S. */
#include "abi/ports.h"   /* COM1, the UART bits, BOCHS_SHUTDOWN_PORT */
#define CR0_PE      (1 << 0)    /* SDM 2.5 */
#define CR0_NE      (1 << 5)    /* SDM 2.5; VMX requires it (SDM 24.8, A.7) */
#define CR0_NW      (1 << 29)   /* SDM 2.5 */
#define CR0_CD      (1 << 30)
#define CR0_PG      (1 << 31)
#define CR4_PAE     (1 << 5)    /* SDM 2.5 */
#define MSR_EFER    0xC0000080  /* SDM 2.2.1 */
#define EFER_LME    (1 << 8)
#define EFER_NXE    (1 << 11)
#define PTE_P       (1 << 0)    /* SDM 4.5, Tables 4-14..4-18 */
#define PTE_W       (1 << 1)
#define PTE_PS      (1 << 7)
#define CPUID_EXT_MAX      0x80000000
#define CPUID_EXT_FEATURES 0x80000001
#define CPUID_EXT_LM (1 << 29)  /* CPUID.80000001H:EDX[29] */
#define SEL_CODE64 0x08
#define SEL_DATA   0x10
#define BOOT_STACK_SIZE 0x4000

	.section .text.entry32, "ax"
	.code32
	.globl _start
_start:
	cli
	cld
	movl $boot_stack_top, %esp
	movl %eax, %edi                 /* kept for hv_main(magic, ...) */
	movl %ebx, %esi                 /* ... and (..., info) */

	movl $CPUID_EXT_MAX, %eax
	cpuid
	cmpl $CPUID_EXT_FEATURES, %eax
	jb 1f                           /* the leaf is absent: no long mode */
	movl $CPUID_EXT_FEATURES, %eax
	cpuid
	testl $CPUID_EXT_LM, %edx
	jnz have_long_mode
1:	movl $msg_no_long_mode, %esi
	jmp fail32

have_long_mode:
	/* PML4[0] -> PDPT; PDPT[0..3] -> PD0..3; each PD maps 1 GiB with 2 MiB pages. */
	movl $boot_pdpt + (PTE_P | PTE_W), boot_pml4
	xorl %ecx, %ecx
2:	movl %ecx, %eax
	shll $12, %eax
	addl $boot_pd + (PTE_P | PTE_W), %eax
	movl %eax, boot_pdpt(, %ecx, 8)
	incl %ecx
	cmpl $4, %ecx
	jb 2b
	xorl %ecx, %ecx
3:	movl %ecx, %eax
	shll $21, %eax
	orl $(PTE_P | PTE_W | PTE_PS), %eax
	movl %eax, boot_pd(, %ecx, 8)
	movl %ecx, %eax
	shrl $11, %eax                  /* high dword: bits 32+ of the 2 MiB frame */
	movl %eax, boot_pd + 4(, %ecx, 8)
	incl %ecx
	cmpl $2048, %ecx
	jb 3b

	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $boot_pml4, %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	wrmsr
	/* Caches on: the reset value of CR0 has CD and NW set (SDM 10.1.1), and
	 * firmware like our ROM loader may not clear them. */
	movl %cr0, %eax
	andl $~(CR0_CD | CR0_NW), %eax
	orl $(CR0_PG | CR0_PE | CR0_NE), %eax
	movl %eax, %cr0
	lgdt gdt64_ptr
	ljmp $SEL_CODE64, $entry64

/* Prints "[hv] end: unsupported: <esi>" and "[hv] power off" on COM1, then stops. */
fail32:
	pushl %esi
	movl $msg_end_unsupported, %esi
	call puts32
	popl %esi
	call puts32
	movl $msg_power_off, %esi
	call puts32
	/* Power off only once the UART has sent the last byte: the machine
	 * stops at once and would cut the line short. */
	movw $PORT_COM1_LSR, %dx
8:	inb %dx, %al
	testb $UART_LSR_TEMT, %al
	jz 8b
	movl $msg_shutdown, %esi
	movw $BOCHS_SHUTDOWN_PORT, %dx
4:	lodsb
	testb %al, %al
	jz 5f
	outb %al, %dx
	jmp 4b
5:	cli
	hlt
	jmp 5b

puts32:
	lodsb
	testb %al, %al
	jz 6f
	movb %al, %ah
	movw $PORT_COM1_LSR, %dx
7:	inb %dx, %al                    /* wait for THR empty */
	testb $UART_LSR_THRE, %al
	jz 7b
	movb %ah, %al
	movw $PORT_COM1_THR, %dx
	outb %al, %dx
	jmp puts32
6:	ret

	.code64
entry64:
	movw $SEL_DATA, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorw %ax, %ax
	movw %ax, %fs
	movw %ax, %gs
	movq $boot_stack_top, %rsp
	xorl %ebp, %ebp
	/* edi = magic, esi = info, both zero-extended by the 32-bit moves */
	call hv_main
7:	cli
	hlt
	jmp 7b

	.section .rodata
msg_no_long_mode:    .asciz "long mode\n"
msg_end_unsupported: .asciz "[hv] end: unsupported: "
msg_power_off:       .asciz "[hv] power off\n"
msg_shutdown:        .asciz "Shutdown"
	.balign 8
gdt64:
	.quad 0
	.quad 0x00af9b000000ffff    /* 64-bit code, SDM 3.4.5 (L=1, D=0) */
	.quad 0x00cf93000000ffff    /* data */
gdt64_end:
gdt64_ptr:
	.word gdt64_end - gdt64 - 1
	.quad gdt64

	.section .bss
	.balign 4096
boot_pml4:  .skip 4096
boot_pdpt:  .skip 4096
boot_pd:    .skip 4 * 4096
	.globl boot_stack_top
	.balign 16
boot_stack: .skip BOOT_STACK_SIZE
boot_stack_top:
