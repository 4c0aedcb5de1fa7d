/* The MMIO operand forms whose default segment is SS (SDM vol. 1 3.7.4;
 * vol. 2A 2.1.5, Tables 2-1 to 2-3 and their notes) and their neighbours
 * that stay with DS, in 32-bit code, each as a 4-byte load and store of a
 * device register. Each routine loads SS and DS from two of the probe's extra
 * GDT entries (main.c sets their bases per form), runs the one access with
 * nothing else between the SS load and its restore (no stack use), and
 * puts the runtime's flat segments back. ES, FS and GS get a third entry,
 * whose base main.c sets like the wrong one's (the right one's for an ES
 * prefix), so that a decoder that drops a prefix or takes another segment
 * register is seen too.
 *
 * C prototypes (cdecl):
 *   uint32_t stackseg_load_NAME(void);     EAX = the 32-bit load
 *   void stackseg_store_NAME(uint32_t v);  stores v (through ECX) */
#include "../shared/segment_forms.h"

#define JUNK 0x77770777

/* FORM name, ebx, esi, edi, ebp, esp (blank: untouched), prefixes (a
 * quoted list, "" for none), modrm (reg field 0), SIB and displacement */
.macro FORM name, ebx, esi, edi, ebp, esp, prefixes, modrm, tail:vararg
	FORM_BEGIN stackseg_load_\name, \ebx, \esi, \edi, \ebp, \esp, "\prefixes"
	.byte 0x8b, \modrm		/* mov <form>, %eax */
	.ifnb \tail
	.byte \tail
	.endif
	REGS_OUT %ecx, \esp, load

	FORM_BEGIN stackseg_store_\name, \ebx, \esi, \edi, \ebp, \esp, "\prefixes", "mov 4(%esp), %ecx"	/* v, before REGS_IN moves ESP */
	.byte 0x89, (\modrm) | 0x08	/* mov %ecx, <form> */
	.ifnb \tail
	.byte \tail
	.endif
	REGS_OUT %eax, \esp
.endm

	.text
/* The forms' SS selector, read through CS (the runtime's code segment is
 * execute/read) while DS is the form's. */
form_ss_selector:
	.word FORM_SS_SELECTOR

/* 32-bit addressing: every form reaches OFF32 = 0xcafd1008, SCRATCH minus
 * the right segment's base 0x10000. */
/*    name            EBX         ESI         EDI         EBP         ESP         prefixes ModRM SIB/disp */
FORM ebp_disp8,      JUNK,       JUNK,       JUNK,       0xcafd1018, ,           "",      0x45, 0xf0
FORM ebp_disp32,     JUNK,       JUNK,       JUNK,       0xcaed1008, ,           "",      0x85, 0x00, 0x00, 0x10, 0x00
FORM esp_disp8,      JUNK,       JUNK,       JUNK,       JUNK,       0xcafd1000, "",      0x44, 0x24, 0x08
/* [ESP + ESI*4 + 0x10] */
FORM esp_index,      JUNK,       0x00000100, JUNK,       JUNK,       0xcafd0bf8, "",      0x44, 0xb4, 0x10
/* [EBP + EDI*2 - 8] */
FORM ebp_index,      JUNK,       JUNK,       0x00000800, 0xcafd0010, ,           "",      0x44, 0x7d, 0xf8
/* mod 00, SIB base 101: no base, [EBP*2 + disp32] (EBP*2 = -2); an EBP
 * index is no base. EBP taken as a base too, with SS, would give -3. */
FORM ebp_index_no_base, JUNK,    JUNK,       JUNK,       0xffffffff, ,           "",      0x04, 0x6d, 0x0a, 0x10, 0xfd, 0xca
/* mod 00 rm 101: [disp32], DS; EBP (-1) as a base, with SS, would give -3 */
FORM disp32,         JUNK,       JUNK,       JUNK,       0xffffffff, ,           "",      0x05, 0x08, 0x10, 0xfd, 0xca
/* [ESI + EBP*1] */
FORM esi_base_ebp_index, JUNK,   0xcafd0f08, JUNK,       0x00000100, ,           "",      0x04, 0x2e
/* mod 00 [EBX]: no displacement follows */
FORM ebx,            0xcafd1008, JUNK,       JUNK,       JUNK,       ,           "",      0x03
FORM ebx_disp8,      0xcafd1018, JUNK,       JUNK,       JUNK,       ,           "",      0x43, 0xf0
/* [EBX + ESI*2 + 0x10], index 1: without the index the operand starts 2
 * early, scaled by 1 instead 1 early, with EDI (0) in its place 2 early */
FORM ebx_esi2_disp8, 0xcafd0ff6, 0x00000001, 0x00000000, JUNK,       ,           "",      0x44, 0x73, 0x10
/* [ESI + EBX*4 + 2], base 2: without the base 2 early, EDI (0) in its place too */
FORM esi_ebx4_disp8, 0x32bf4401, 0x00000002, 0x00000000, JUNK,       ,           "",      0x44, 0x9e, 0x02
/* [ESI + EDI*2], EDI = ESI + 1: the base register as index too, 2 early */
FORM esi_edi2,       JUNK,       0x43a9b002, 0x43a9b003, JUNK,       ,           "",      0x04, 0x7e
FORM ds_ebp_disp8,   JUNK,       JUNK,       JUNK,       0xcafd1018, ,           "0x3e",  0x45, 0xf0
FORM ss_ebx_disp8,   0xcafd1018, JUNK,       JUNK,       JUNK,       ,           "0x36",  0x43, 0xf0
FORM es_ebx_disp8,   0xcafd1018, JUNK,       JUNK,       JUNK,       ,           "0x26",  0x43, 0xf0

/* 16-bit addressing (prefix 67): every form reaches offset 2, the right
 * segment's base being SCRATCH - 2. A register the form does not use holds
 * what would give offset 0 in its place. */
FORM bp_si,          0xa5a57ffe, 0x5a5a8002, 0x5a5a8000, 0xa5a58000, ,           "0x67",  0x02
FORM bp_di,          0xa5a50000, 0x5a5afffe, 0x5a5a0000, 0xa5a50002, ,           "0x67",  0x03
FORM bp_disp8,       0xa5a50002, JUNK,       JUNK,       0xa5a50004, ,           "0x67",  0x46, 0xfe
FORM bp_disp16,      0xa5a58000, JUNK,       JUNK,       0xa5a58002, ,           "0x67",  0x86, 0x00, 0x80
FORM bx_si,          0xa5a5f000, 0x5a5a1002, 0x5a5a1000, 0xa5a5effe, ,           "0x67",  0x00
/* mod 00 rm 110: [disp16], DS; BP + 2 would give 0 */
FORM disp16,         JUNK,       JUNK,       JUNK,       0xa5a5fffe, ,           "0x67",  0x06, 0x02, 0x00
FORM ds_bp_disp8,    0xa5a50002, JUNK,       JUNK,       0xa5a50004, ,           "0x3e, 0x67", 0x46, 0xfe

	.section .note.GNU-stack, "", @progbits
