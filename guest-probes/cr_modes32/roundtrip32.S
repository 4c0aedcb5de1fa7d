/* MOV to CRn and MOV from CRn through each general-purpose register, ESP
 * included (cr_modes32, contract 13). cr<n>_via[reg](value) loads value
 * into reg (ModRM encoding order: EAX ECX EDX EBX ESP EBP ESI EDI), moves
 * it to CRn, zeroes reg, moves CRn back into reg and returns that. ESP is
 * parked in memory meanwhile: nothing may fault in between. */
	.text
.macro ROUNDTRIP cr, reg
cr\cr\()_via_\reg:
	push %ebx
	push %ebp
	push %esi
	push %edi
	mov 20(%esp), %eax
	mov %esp, saved_sp
	mov %eax, %\reg
	mov %\reg, %cr\cr
	mov $0, %\reg
	mov %cr\cr, %\reg
	mov %\reg, result
	mov saved_sp, %esp
	pop %edi
	pop %esi
	pop %ebp
	pop %ebx
	mov result, %eax
	ret
.endm

.macro ROUNDTRIPS cr
	.irp reg, eax, ecx, edx, ebx, esp, ebp, esi, edi
	ROUNDTRIP \cr, \reg
	.endr
	.section .rodata
	.balign 4
	.globl cr\cr\()_via
cr\cr\()_via:
	.irp reg, eax, ecx, edx, ebx, esp, ebp, esi, edi
	.long cr\cr\()_via_\reg
	.endr
	.text
.endm

	ROUNDTRIPS 0
	ROUNDTRIPS 3
	ROUNDTRIPS 4

	.bss
	.balign 4
saved_sp:	.long 0
result:		.long 0
	.section .note.GNU-stack, "", @progbits
