/* One memory-operand form at a time under segments of its own (32-bit
 * probes, paging off: stackseg_modes32, cr_modes32). Three GDT entries
 * follow the runtime's: the form's SS, its DS, and one for ES, FS and GS;
 * the probe sets their bases per form (a segment load reads the descriptor
 * again, SDM vol. 3A 3.4.3). The assembly macros save the caller's
 * registers, load DS/ES/FS/GS and the form's registers (REGS_IN), and put
 * everything back, SS first (REGS_OUT); in between the form's routine loads
 * SS and runs its one instruction, with no stack use (FORM_BEGIN). */
#ifndef GP_SHARED_SEGMENT_FORMS_H
#define GP_SHARED_SEGMENT_FORMS_H
#include "runtime_layout.h"

#define FORM_SS_SELECTOR (RUNTIME_GDT_ENTRIES * 8)
#define FORM_DS_SELECTOR (RUNTIME_GDT_ENTRIES * 8 + 8)
#define FORM_OTHER_SELECTOR (RUNTIME_GDT_ENTRIES * 8 + 16)
#define FORM_GDT_ENTRIES (RUNTIME_GDT_ENTRIES + 3)

#ifdef __ASSEMBLER__
#define PUSHAL_EAX 28   /* EAX's slot in the PUSHAL frame (vol. 2B PUSHA) */

/* Saves the registers, DS, ES, FS and GS, loads those segment registers
 * and the form's registers; ESP too when the form uses it as a base (the
 * caller's ESP waits in EDX). EAX holds 0, what a decoder taking it for
 * the base or index register would add (register number 0). */
.macro REGS_IN ebx, esi, edi, ebp, esp
	pushal
	push %ds
	push %es
	push %fs
	push %gs
	mov $FORM_OTHER_SELECTOR, %eax
	mov %eax, %es
	mov %eax, %fs
	mov %eax, %gs
	mov $FORM_DS_SELECTOR, %eax
	mov %eax, %ds
	mov $\ebx, %ebx
	mov $\esi, %esi
	mov $\edi, %edi
	mov $\ebp, %ebp
	.ifnb \esp
	mov %esp, %edx
	mov $\esp, %esp
	.endif
	xor %eax, %eax
.endm

/* The start of a form's routine: the global symbol, \first (one instruction
 * or blank) while the caller's stack is there, REGS_IN, SS loaded from the
 * word form_ss_selector (the includer's, in .text: the runtime's code
 * segment is execute/read, DS is the form's), then the form's prefixes (a
 * quoted list, "" for none); the instruction follows. */
.macro FORM_BEGIN symbol, ebx, esi, edi, ebp, esp, prefixes, first
	.globl \symbol
	.type \symbol, @function
\symbol:
	.ifnb \first
	\first
	.endif
	REGS_IN \ebx, \esi, \edi, \ebp, \esp
	mov %cs:form_ss_selector, %ss		/* no interrupt before the next instruction */
	.ifnb \prefixes
	.byte \prefixes
	.endif
.endm

/* Puts SS back first (through \scratch), then ESP, the other segment
 * registers and the general ones; with \load, EAX replaces the saved one
 * (the routine's result). */
.macro REGS_OUT scratch, esp, load
	mov $RUNTIME_DATA_SELECTOR, \scratch
	mov \scratch, %ss
	.ifnb \esp
	mov %edx, %esp
	.endif
	pop %gs
	pop %fs
	pop %es
	pop %ds
	.ifnb \load
	mov %eax, PUSHAL_EAX(%esp)
	.endif
	popal
	ret
.endm
#endif

#endif
