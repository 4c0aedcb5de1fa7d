/* Host exception entry points: normalise the frame (SDM 6.14.2: some
 * vectors push an error code) and report through host_exception(). */
	.text
.macro STUB vector, has_error
	.balign 16
stub_\vector:
	.if \has_error == 0
	pushq $0
	.endif
	movq $\vector, %rdi
	jmp exception_common
.endm

/* Vectors with an error code: 8, 10-14, 17, 21 (SDM Table 6-1). */
STUB 0,0;  STUB 1,0;  STUB 2,0;  STUB 3,0;  STUB 4,0;  STUB 5,0;  STUB 6,0;  STUB 7,0
STUB 8,1;  STUB 9,0;  STUB 10,1; STUB 11,1; STUB 12,1; STUB 13,1; STUB 14,1; STUB 15,0
STUB 16,0; STUB 17,1; STUB 18,0; STUB 19,0; STUB 20,0; STUB 21,1; STUB 22,0; STUB 23,0
STUB 24,0; STUB 25,0; STUB 26,0; STUB 27,0; STUB 28,0; STUB 29,0; STUB 30,0; STUB 31,0

exception_common:
	movq (%rsp), %rsi           /* error code */
	movq 8(%rsp), %rdx          /* RIP */
	andq $-16, %rsp
	call host_exception
1:	cli
	hlt
	jmp 1b

	.section .rodata
	.balign 8
	.globl host_exception_stubs
host_exception_stubs:
.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad stub_\v
.endr
