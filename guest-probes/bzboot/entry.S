/* bzboot: the protected-mode kernel's first byte, where a loader following
 * boot.rst's 32-bit boot protocol starts it (contract 16, linux.entry). The
 * image runs wherever it was loaded: every address is taken relative to
 * the EIP found with call/pop, as Linux's own startup_32 does. Until then
 * there is no stack of our own, so, like startup_32, it borrows the zero
 * page's 4-byte scratch field (zero-page.rst: 0x1e4) through ESI. EFLAGS
 * is saved before any instruction that writes flags. */
#include "entry.h"

#define ZP_SCRATCH 0x1e4     /* boot_params.scratch (zero-page.rst) */
#define STACK_BYTES 8192

	.section .text.entry, "ax"
	.code32
	.globl bzboot_start
bzboot_start:
	leal ZP_SCRATCH + 4(%esi), %esp
	pushfl                            /* EFLAGS as the loader left it */
	popl %eax
	call 1f
1:	popl %ecx                         /* ECX = run-time address of 1b */
	movl %eax, (entry_record + ENTRY_EFLAGS - 1b)(%ecx)
	leal (bzboot_start - 1b)(%ecx), %eax
	movl %eax, (entry_record + ENTRY_EIP - 1b)(%ecx)
	movl %esi, (entry_record + ENTRY_ESI - 1b)(%ecx)
	movl %ebx, (entry_record + ENTRY_EBX - 1b)(%ecx)
	movl %ebp, (entry_record + ENTRY_EBP - 1b)(%ecx)
	movl %edi, (entry_record + ENTRY_EDI - 1b)(%ecx)
	movw %cs, (entry_record + ENTRY_CS - 1b)(%ecx)
	movw %ds, (entry_record + ENTRY_DS - 1b)(%ecx)
	movw %es, (entry_record + ENTRY_ES - 1b)(%ecx)
	movw %ss, (entry_record + ENTRY_SS - 1b)(%ecx)
	sgdt (entry_record + ENTRY_GDTR - 1b)(%ecx)

	leal (stack_top - 1b)(%ecx), %esp
	cld
	leal (entry_record - 1b)(%ecx), %eax
	pushl %eax
	call bzboot_main
2:	cli
	hlt
	jmp 2b

	.section .data
	.balign 16
entry_record:
	.fill ENTRY_BYTES, 1, 0
	.balign 16
stack:
	.fill STACK_BYTES, 1, 0
stack_top:
