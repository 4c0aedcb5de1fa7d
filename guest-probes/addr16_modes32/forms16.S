/* The 16-bit addressing forms of SDM vol. 2A Table 2-1 in 32-bit code (an
 * address-size prefix 67), each as a load and a store of a device register
 * through FS (prefix 64). Every form's effective address is 2: the upper
 * halves of the registers it uses are set, and some sums pass 0xffff, so
 * only 16-bit arithmetic with wrap-around gives 2 (vol. 1 3.7.5). In the
 * two-register forms each register the form does not use holds what gives
 * offset 0 in place of its base or index (BX for BP, DI for SI, ...): a
 * decoder that picks the wrong one starts the operand 2 bytes early, across
 * the ID/SCRATCH edge, and reports a crossing access. Other unused
 * registers hold JUNK.
 *
 * C prototypes (cdecl):
 *   uint32_t addr16_load_NAME(void);     EAX = the 32-bit load
 *   void addr16_store_NAME(uint32_t v);  stores v (through ECX) */

#define JUNK 0x77770777

/* Saves the callee-saved registers (cdecl) and loads the form's. */
.macro REGS_IN ebx, esi, edi, ebp
	push %ebp
	push %ebx
	push %esi
	push %edi
	mov $\ebx, %ebx
	mov $\esi, %esi
	mov $\edi, %edi
	mov $\ebp, %ebp
.endm

.macro REGS_OUT
	pop %edi
	pop %esi
	pop %ebx
	pop %ebp
	ret
.endm

/* FORM name, ebx, esi, edi, ebp, modrm (reg field 0), displacement bytes */
.macro FORM name, ebx, esi, edi, ebp, modrm, disp:vararg
	.globl addr16_load_\name
	.type addr16_load_\name, @function
addr16_load_\name:
	REGS_IN \ebx, \esi, \edi, \ebp
	.byte 0x64, 0x67, 0x8b, \modrm	/* mov %fs:<form>, %eax */
	.ifnb \disp
	.byte \disp
	.endif
	REGS_OUT

	.globl addr16_store_\name
	.type addr16_store_\name, @function
addr16_store_\name:
	mov 4(%esp), %ecx		/* v, before REGS_IN moves ESP */
	REGS_IN \ebx, \esi, \edi, \ebp
	.byte 0x64, 0x67, 0x89, (\modrm) | 0x08	/* mov %ecx, %fs:<form> */
	.ifnb \disp
	.byte \disp
	.endif
	REGS_OUT
.endm

	.text
/*    name          EBX         ESI         EDI         EBP         ModRM  disp */
FORM bx_si,        0xa5a5f000, 0x5a5a1002, 0x5a5a1000, 0xa5a5effe, 0x00
FORM bx_di,        0xa5a50001, 0x5a5affff, 0x5a5a0001, 0xa5a5ffff, 0x01
FORM bp_si,        0xa5a57ffe, 0x5a5a8002, 0x5a5a8000, 0xa5a58000, 0x02
FORM bp_di,        0xa5a50000, 0x5a5afffe, 0x5a5a0000, 0xa5a50002, 0x03
FORM si,           JUNK,       0x5a5a0002, JUNK,       JUNK,       0x04
FORM di,           JUNK,       JUNK,       0x5a5a0002, JUNK,       0x05
/* mod 00 rm 110 is [disp16], not [BP]: BP + 2 would wrap to 0 */
FORM disp16,       JUNK,       JUNK,       JUNK,       0xa5a5fffe, 0x06, 0x02, 0x00
FORM bx,           0xa5a50002, JUNK,       JUNK,       JUNK,       0x07
FORM bx_si_disp8,  0xa5a50001, 0x5a5a0003, JUNK,       JUNK,       0x40, 0xfe
FORM si_disp8,     JUNK,       0x5a5a0003, JUNK,       JUNK,       0x44, 0xff
FORM bp_disp8,     JUNK,       JUNK,       JUNK,       0xa5a50004, 0x46, 0xfe
FORM bp_di_disp16, JUNK,       JUNK,       0x5a5a7000, 0xa5a51000, 0x83, 0x02, 0x80
FORM di_disp16,    JUNK,       JUNK,       0x5a5a0001, JUNK,       0x85, 0x01, 0x00
FORM bp_disp16,    JUNK,       JUNK,       JUNK,       0xa5a58000, 0x86, 0x02, 0x80
FORM bx_disp16,    0xa5a5fff0, JUNK,       JUNK,       JUNK,       0x87, 0x12, 0x00

	.section .note.GNU-stack, "", @progbits
