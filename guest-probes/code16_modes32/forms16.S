/* The MMIO forms of code16_modes32, run from a 16-bit code segment (CS.D =
 * 0: 16-bit default operand and address sizes, 66 and 67 switch to 32; SDM
 * vol. 1 3.6, vol. 2A 2.1.5 Table 2-1), and the 32-bit trampoline that
 * far-calls them.
 *
 * Each form is one MMIO instruction, then `mov $NEXT_MARK, %edx` and a
 * 32-bit far return. A hypervisor that advances RIP too far skips part of
 * the marker (EDX keeps its preset, or other bytes run); one that advances
 * it too little runs the last bytes of the immediate, displacement or moffs,
 * which are 0F 0B (UD2) wherever the form allows. The code32_* forms, in
 * the same region, run 66-prefixed forms from a 32-bit segment (CS.D = 1,
 * same base), where 66 selects 16-bit operands instead.
 *
 * Segments while a form runs: DS = the window (base = the register test
 * device, 16-bit offsets: ID at 0, SCRATCH at 8, the ROM at 0x1000), FS =
 * the far segment (set by main.c; base such that FS:0x0b0f0008 = SCRATCH),
 * CS = the 16-bit (or 32-bit) segment whose base is code16_base.
 *
 * C prototype (cdecl):
 *   void code16_call(struct code16_regs *r, uint32_t selector, uint32_t entry);
 * loads EAX, ECX, EDX, EBX, ESI, EDI, EBP from r, far-calls selector:entry
 * with DS = the window, and writes the seven registers back into r. */
#include "runtime_layout.h"

#define WINDOW_SELECTOR (RUNTIME_GDT_ENTRIES * 8 + 8)   /* as in main.c */
#define NEXT_MARK 0x600dc0de                            /* as in main.c */

/* struct code16_regs */
#define R_EAX 0
#define R_ECX 4
#define R_EDX 8
#define R_EBX 12
#define R_ESI 16
#define R_EDI 20
#define R_EBP 24

	.text
	.code32
	.globl code16_call
	.type code16_call, @function
code16_call:
	push %ebp
	push %ebx
	push %esi
	push %edi
	push %ds
	mov 24(%esp), %eax		/* r */
	mov 32(%esp), %ecx		/* entry */
	push %eax
	pushl 32(%esp)			/* selector (ESP moved by 4) */
	push %ecx			/* the far pointer selector:entry at (%esp) */
	pushl $WINDOW_SELECTOR
	mov R_ECX(%eax), %ecx
	mov R_EDX(%eax), %edx
	mov R_EBX(%eax), %ebx
	mov R_ESI(%eax), %esi
	mov R_EDI(%eax), %edi
	mov R_EBP(%eax), %ebp
	mov R_EAX(%eax), %eax
	pop %ds
	lcall *(%esp)
	add $8, %esp
	xchg %eax, (%esp)		/* EAX = r; the form's EAX on the stack */
	mov %ecx, %ss:R_ECX(%eax)	/* DS is still the window: SS is flat */
	mov %edx, %ss:R_EDX(%eax)
	mov %ebx, %ss:R_EBX(%eax)
	mov %esi, %ss:R_ESI(%eax)
	mov %edi, %ss:R_EDI(%eax)
	mov %ebp, %ss:R_EBP(%eax)
	pop %ecx
	mov %ecx, %ss:R_EAX(%eax)
	pop %ds
	pop %edi
	pop %esi
	pop %ebx
	pop %ebp
	ret

/* FORM name, instruction bytes: code16_NAME, an offset in the 16-bit
 * segment (code16_NAME - code16_base is the far call's entry). */
.macro FORM name, bytes:vararg
	.globl code16_\name
code16_\name:
	.byte \bytes
	movl $NEXT_MARK, %edx
	lretl
.endm

/* The 32-bit-address forms: FS:[EBX + FAR_DISP] with EBX = 0xffffff08 (main.c)
 * is FS:0x0b0f0008; the displacement's last two bytes are 0F 0B. */
#define FAR_DISP 0x00, 0x01, 0x0f, 0x0b
#define FAR_MOFFS 0x08, 0x00, 0x0f, 0x0b

	.section .text.code16, "ax", @progbits
	.code16
	.globl code16_base
code16_base:
/* Loads (main.c presets SCRATCH and EAX). */
FORM ld_8b_bx_si_disp8,       0x8b, 0x40, 0xfe
FORM ld_8b_bx_disp16,         0x8b, 0x87, 0x0f, 0x0b
FORM ld_66_8b_bx,             0x66, 0x8b, 0x07
FORM ld_67_8b_ebx_disp32,     0x64, 0x67, 0x8b, 0x83, FAR_DISP
FORM ld_66_67_8b_ebx_disp32,  0x66, 0x64, 0x67, 0x8b, 0x83, FAR_DISP
FORM ld_a1_moffs16,           0xa1, 0x08, 0x00
FORM ld_66_a1_moffs16,        0x66, 0xa1, 0x08, 0x00
FORM ld_67_a1_moffs32,        0x64, 0x67, 0xa1, FAR_MOFFS
FORM ld_66_67_a1_moffs32,     0x66, 0x64, 0x67, 0xa1, FAR_MOFFS
FORM ld_8a_ah_bx_disp8,       0x8a, 0x67, 0x01
FORM ld_3e_8a_ah_bx_disp8,    0x3e, 0x8a, 0x67, 0x01
FORM movzx_b6_ax,             0x0f, 0xb6, 0x07
FORM movsx_be_ax,             0x0f, 0xbe, 0x07
FORM movzx_b7_ax,             0x0f, 0xb7, 0x07
FORM movsx_bf_ax,             0x0f, 0xbf, 0x07
FORM movsx_66_be_eax,         0x66, 0x0f, 0xbe, 0x07
FORM movzx_66_b7_eax,         0x66, 0x0f, 0xb7, 0x07
FORM movsx_66_bf_eax,         0x66, 0x0f, 0xbf, 0x07
FORM movsx_67_be_ax,          0x64, 0x67, 0x0f, 0xbe, 0x83, FAR_DISP
FORM rom_8b_disp16,           0x8b, 0x06, 0x10, 0x10
FORM rom_66_8b_disp16,        0x66, 0x8b, 0x06, 0x00, 0x10
FORM rom_movsx_be_ax,         0x0f, 0xbe, 0x06, 0x90, 0x10
/* Stores (main.c presets SCRATCH, ECX and EAX). */
FORM st_89_bx_di_disp8,       0x89, 0x49, 0xfe
FORM st_66_89_bx,             0x66, 0x89, 0x0f
FORM st_67_89_ebx_disp32,     0x64, 0x67, 0x89, 0x8b, FAR_DISP
FORM st_66_67_89_ebx_disp32,  0x66, 0x64, 0x67, 0x89, 0x8b, FAR_DISP
FORM st_88_ch,                0x88, 0x2f
FORM st_3e_88_ch,             0x3e, 0x88, 0x2f
FORM st_c7_imm16,             0xc7, 0x07, 0x34, 0x12
FORM st_66_c7_imm32,          0x66, 0xc7, 0x07, 0x78, 0x56, 0x0f, 0x0b
FORM st_c7_disp16_imm16,      0xc7, 0x87, 0x0f, 0x0b, 0x34, 0x12
FORM st_67_c7_disp32_imm16,   0x64, 0x67, 0xc7, 0x83, FAR_DISP, 0x34, 0x12
FORM st_66_67_c7_disp32_imm32, 0x66, 0x64, 0x67, 0xc7, 0x83, FAR_DISP, 0x78, 0x56, 0x0f, 0x0b
FORM st_a3_moffs16,           0xa3, 0x08, 0x00
FORM st_66_a3_moffs16,        0x66, 0xa3, 0x08, 0x00
FORM st_67_a3_moffs32,        0x64, 0x67, 0xa3, FAR_MOFFS
FORM st_66_67_a3_moffs32,     0x66, 0x64, 0x67, 0xa3, FAR_MOFFS
FORM rom_st_66_c7_imm32,      0x66, 0xc7, 0x06, 0x20, 0x10, 0x78, 0x56, 0x0f, 0x0b


/* FORM32 name, instruction bytes: the same from 32-bit code. */
.macro FORM32 name, bytes:vararg
	.globl code16_\name
code16_\name:
	.byte \bytes
	movl $NEXT_MARK, %edx
	lret
.endm

	.code32
/* EBX = 8 (main.c): [EBX] is SCRATCH; 66 makes the operand 16 bits and the
 * C7 immediate 2 bytes. */
FORM32 code32_ld_66_8b_ebx,       0x66, 0x8b, 0x03
FORM32 code32_ld_66_a1_moffs32,   0x66, 0xa1, 0x08, 0x00, 0x00, 0x00
FORM32 code32_movzx_66_b6_ebx,    0x66, 0x0f, 0xb6, 0x03
FORM32 code32_movsx_66_be_ebx,    0x66, 0x0f, 0xbe, 0x03
FORM32 code32_st_66_89_ebx,       0x66, 0x89, 0x0b
FORM32 code32_st_66_c7_ebx_imm16, 0x66, 0xc7, 0x03, 0x34, 0x12
FORM32 code32_st_66_a3_moffs32,   0x66, 0xa3, 0x08, 0x00, 0x00, 0x00

	.section .note.GNU-stack, "", @progbits
