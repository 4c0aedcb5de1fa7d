/* LMSW m16 (0F 01 /6) through the memory forms whose default segment is SS
 * (an EBP or ESP base, SIB included; 16-bit [BP+SI] and [BP+disp]) and
 * neighbours that stay with DS ([EBX], a SIB without base even with EBP as
 * index, [BX+SI]), and with DS, SS and ES prefixes (SDM vol. 1 3.7.4; vol. 2A
 * 2.1.5, Tables 2-1 to 2-3 and their notes; vol. 2 LMSW). Every form's
 * offset is LMSW_OFFSET in the segment the processor uses (lmsw_segments.c
 * sets the bases): one routine a form, which loads SS, runs LMSW, reads CR0
 * back and puts the flat segments back, with no stack use in between.
 *
 * C prototype (cdecl): uint32_t lmsw_seg_NAME(void);  EAX = CR0 after LMSW */
#include "../shared/segment_forms.h"
#include "lmsw_segments.h"

#define JUNK 0x77770777

/* LMSW_FORM name, ebx, esi, edi, ebp, esp (blank: untouched), prefixes (a
 * quoted list, "" for none), modrm (reg field 0), SIB and displacement */
.macro LMSW_FORM name, ebx, esi, edi, ebp, esp, prefixes, modrm, tail:vararg
	FORM_BEGIN lmsw_seg_\name, \ebx, \esi, \edi, \ebp, \esp, "\prefixes"
	.byte 0x0f, 0x01, (\modrm) | 0x30	/* lmsw <form> */
	.ifnb \tail
	.byte \tail
	.endif
	mov %cr0, %eax
	REGS_OUT %ecx, \esp, load
.endm

	.text
/* The forms' SS selector, read through CS (the runtime's code segment is
 * execute/read) while DS is the form's. */
form_ss_selector:
	.word FORM_SS_SELECTOR

/* 32-bit addressing: every form reaches LMSW_OFFSET (0x100). */
/*         name            EBX         ESI         EDI         EBP         ESP         prefixes ModRM SIB/disp */
LMSW_FORM ebp_disp8,       JUNK,       JUNK,       JUNK,       0x00000110, ,           "",      0x45, 0xf0
/* [ESP]: SIB base ESP, no index */
LMSW_FORM esp,             JUNK,       JUNK,       JUNK,       JUNK,       0x00000100, "",      0x04, 0x24
LMSW_FORM esp_disp8,       JUNK,       JUNK,       JUNK,       JUNK,       0x000000f8, "",      0x44, 0x24, 0x08
/* [EBP + EDI*2 - 8] */
LMSW_FORM ebp_index,       JUNK,       JUNK,       0x00000080, 0x00000008, ,           "",      0x44, 0x7d, 0xf8
LMSW_FORM ebx,             0x00000100, JUNK,       JUNK,       JUNK,       ,           "",      0x03
/* [EBX - 8]: disp8 F8h is signed */
LMSW_FORM ebx_disp8_neg,   0x00000108, JUNK,       JUNK,       JUNK,       ,           "",      0x43, 0xf8
/* mod 00, SIB base 101: no base, [EBP*2 + disp32]; an EBP index is no base */
LMSW_FORM ebp_index_no_base, JUNK,     JUNK,       JUNK,       0x00000040, ,           "",      0x04, 0x6d, 0x80, 0x00, 0x00, 0x00
/* 16-bit addressing (prefix 67): the registers' upper halves drop out. */
LMSW_FORM bp_si,           JUNK,       0x56780080, JUNK,       0x12340080, ,           "0x67",  0x02
LMSW_FORM bp_disp8,        JUNK,       JUNK,       JUNK,       0x123400f0, ,           "0x67",  0x46, 0x10
LMSW_FORM bx_si,           0x12340080, 0x56780080, JUNK,       JUNK,       ,           "0x67",  0x00
/* [BX + SI - 2]: a 16-bit disp8 (FEh) is signed too */
LMSW_FORM bx_si_disp8_neg, 0x12340080, 0x56780082, JUNK,       JUNK,       ,           "0x67",  0x40, 0xfe
/* mod 10: a 16-bit displacement (0x0010) after [BX+SI] and [BP]. */
LMSW_FORM bx_si_disp16,   0x12340080, 0x56780070, JUNK,       JUNK,       ,           "0x67",  0x80, 0x10, 0x00
LMSW_FORM bp_disp16,      JUNK,       JUNK,       JUNK,       0x123400f0, ,           "0x67",  0x86, 0x10, 0x00
/* Prefixes win: DS on [EBP+0], SS on [EBX], ES on [EBP+0], on [EBX] and
 * on 16-bit [BP+disp8]. */
LMSW_FORM ds_ebp,          JUNK,       JUNK,       JUNK,       0x00000100, ,           "0x3e",  0x45, 0x00
LMSW_FORM ss_ebx,          0x00000100, JUNK,       JUNK,       JUNK,       ,           "0x36",  0x03
LMSW_FORM es_ebp,          JUNK,       JUNK,       JUNK,       0x00000100, ,           "0x26",  0x45, 0x00
LMSW_FORM es_ebx,          0x00000100, JUNK,       JUNK,       JUNK,       ,           "0x26",  0x03
LMSW_FORM es_bp_disp8,     JUNK,       JUNK,       JUNK,       0x123400f0, ,           "0x26, 0x67", 0x46, 0x10

	.section .note.GNU-stack, "", @progbits
