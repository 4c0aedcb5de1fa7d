/* One function per MMIO instruction form the contract lists (section 9),
 * each built around exactly one access to the register test device.
 *
 * C prototype of every function:
 *   struct mmio_result fn(uint64_t gpa, uint64_t value);
 * gpa (RDI) is the device address the access must reach (SCRATCH for the
 * form tests); value (RSI) is what a store writes or what a load's
 * destination register holds before the load. RAX returns the destination
 * register after a load (0 after a store); RDX returns the instruction's
 * base register after the access, which the access must not change.
 *
 * Encodings are written as mnemonics where GNU as has exactly one choice,
 * and as .byte where the form under test is not the assembler's default;
 * the bytes are in the comment either way (vol. 2, chapter 2 and the MOV,
 * MOVZX, MOVSX pages). */

/* Virtual aliases of the register test device page that main.c maps:
 * RIP_ALIAS lies within +-2 GiB of this code (for RIP-relative operands),
 * TOP_ALIAS is what a sign-extended disp32 0xcafe1000 addresses. */
#define RIP_ALIAS 0x7ffff000
#define SCRATCH_OFFSET 0x8
/* The displacement of a RIP-relative operand is the target minus the
 * address of the next instruction (vol. 2 section 2.2.1.6). Written out as
 * .long: for `number(%rip)` GNU as takes the number as the displacement
 * itself. */
#define RIP_ALIAS_SCRATCH (RIP_ALIAS + SCRATCH_OFFSET)

#define FUNC(name) \
	.globl name; \
	.type name, @function; \
name:

/* Prologue/epilogue of the forms that address through RBX. */
#define RBX_IN push %rbx; mov %rdi, %rbx
#define RBX_OUT mov %rbx, %rdx; pop %rbx; ret

	.text

/* ---- stores (value in RSI) ---- */

FUNC(st_88_cl)			/* 88 0b: mov %cl,(%rbx) */
	RBX_IN
	mov %rsi, %rcx
	mov %cl, (%rbx)
	xor %eax, %eax
	RBX_OUT

FUNC(st_88_ah)			/* 88 23: mov %ah,(%rbx) */
	RBX_IN
	mov %rsi, %rax
	mov %ah, (%rbx)
	xor %eax, %eax
	RBX_OUT

FUNC(st_40_88_sil)		/* 40 88 33: mov %sil,(%rbx); DH (no REX) is 0 */
	RBX_IN
	xor %edx, %edx
	.byte 0x40, 0x88, 0x33
	xor %eax, %eax
	RBX_OUT

FUNC(st_44_88_r10b)		/* 44 88 13: mov %r10b,(%rbx); DL (no REX.R) is 0 */
	RBX_IN
	mov %rsi, %r10
	xor %edx, %edx
	mov %r10b, (%rbx)
	xor %eax, %eax
	RBX_OUT

FUNC(st_66_89_cx)		/* 66 89 0b: mov %cx,(%rbx) */
	RBX_IN
	mov %rsi, %rcx
	mov %cx, (%rbx)
	xor %eax, %eax
	RBX_OUT

FUNC(st_89_ecx)			/* 89 0b: mov %ecx,(%rbx) */
	RBX_IN
	mov %rsi, %rcx
	mov %ecx, (%rbx)
	xor %eax, %eax
	RBX_OUT

FUNC(st_48_89_rcx)		/* 48 89 0b: mov %rcx,(%rbx) */
	RBX_IN
	mov %rsi, %rcx
	mov %rcx, (%rbx)
	xor %eax, %eax
	RBX_OUT

FUNC(st_4c_89_r9)		/* 4c 89 0b: mov %r9,(%rbx) */
	RBX_IN
	mov %rsi, %r9
	xor %ecx, %ecx
	mov %r9, (%rbx)
	xor %eax, %eax
	RBX_OUT

FUNC(st_4d_89_r15_r14)		/* 4d 89 3e: mov %r15,(%r14) */
	push %r14
	push %r15
	mov %rdi, %r14
	mov %rsi, %r15
	mov %r15, (%r14)
	mov %r14, %rdx
	pop %r15
	pop %r14
	xor %eax, %eax
	ret

FUNC(st_c6_imm8)		/* c6 03 5a: movb $0x5a,(%rbx) */
	RBX_IN
	movb $0x5a, (%rbx)
	xor %eax, %eax
	RBX_OUT

FUNC(st_66_c7_imm16)		/* 66 c7 03 34 12: movw $0x1234,(%rbx) */
	RBX_IN
	movw $0x1234, (%rbx)
	xor %eax, %eax
	RBX_OUT

FUNC(st_66_41_c7_imm16_r8)	/* 66 41 c7 00 34 12: movw $0x1234,(%r8) */
	mov %rdi, %r8
	movw $0x1234, (%r8)
	mov %r8, %rdx
	xor %eax, %eax
	ret

FUNC(st_c7_imm32)		/* c7 03 21 43 65 87: movl $0x87654321,(%rbx) */
	RBX_IN
	movl $0x87654321, (%rbx)
	xor %eax, %eax
	RBX_OUT

FUNC(st_48_c7_imm32_neg)	/* 48 c7 03 21 43 65 87: movq $-0x789abcdf,(%rbx) */
	RBX_IN
	movq $-0x789abcdf, (%rbx)
	xor %eax, %eax
	RBX_OUT

FUNC(st_48_c7_imm32_pos)	/* 48 c7 03 78 56 34 12: movq $0x12345678,(%rbx) */
	RBX_IN
	movq $0x12345678, (%rbx)
	xor %eax, %eax
	RBX_OUT

FUNC(st_a2_al)			/* a2 <moffs64>: movabs %al,gpa */
	mov %rsi, %rax
	.byte 0xa2
	.quad 0xcafe1000 + SCRATCH_OFFSET
	xor %eax, %eax
	xor %edx, %edx
	ret

FUNC(st_66_a3_ax)		/* 66 a3 <moffs64>: movabs %ax,gpa */
	mov %rsi, %rax
	.byte 0x66, 0xa3
	.quad 0xcafe1000 + SCRATCH_OFFSET
	xor %eax, %eax
	xor %edx, %edx
	ret

FUNC(st_a3_eax)			/* a3 <moffs64>: movabs %eax,gpa */
	mov %rsi, %rax
	.byte 0xa3
	.quad 0xcafe1000 + SCRATCH_OFFSET
	xor %eax, %eax
	xor %edx, %edx
	ret

FUNC(st_48_a3_rax)		/* 48 a3 <moffs64>: movabs %rax,gpa */
	mov %rsi, %rax
	.byte 0x48, 0xa3
	.quad 0xcafe1000 + SCRATCH_OFFSET
	xor %eax, %eax
	xor %edx, %edx
	ret

FUNC(st_67_a3_eax)		/* 67 a3 <moffs32>: addr32 mov %eax,gpa */
	mov %rsi, %rax
	.byte 0x67, 0xa3
	.long 0xcafe1000 + SCRATCH_OFFSET
	xor %eax, %eax
	xor %edx, %edx
	ret

FUNC(st_c7_rip_imm32)		/* c7 05 <disp32> 21 43 65 87: movl $0x87654321,alias(%rip) */
	.byte 0xc7, 0x05
	.long RIP_ALIAS_SCRATCH - 1f
	.long 0x87654321
1:
	xor %eax, %eax
	xor %edx, %edx
	ret

FUNC(st_65_gs_rsi)		/* 65 48 89 34 25 08 00 00 00: mov %rsi,%gs:0x8 */
	mov %rsi, %gs:SCRATCH_OFFSET
	xor %eax, %eax
	xor %edx, %edx
	ret

/* ---- loads (destination preset from RSI) ---- */

FUNC(ld_8a_cl)			/* 8a 0b: mov (%rbx),%cl */
	RBX_IN
	mov %rsi, %rcx
	mov (%rbx), %cl
	mov %rcx, %rax
	RBX_OUT

FUNC(ld_8a_ah)			/* 8a 23: mov (%rbx),%ah */
	RBX_IN
	mov %rsi, %rax
	mov (%rbx), %ah
	RBX_OUT

FUNC(ld_40_8a_dil)		/* 40 8a 3b: mov (%rbx),%dil; without REX this is BH */
	RBX_IN
	push %rdi
	mov %rsi, %rdi
	.byte 0x40, 0x8a, 0x3b
	mov %rdi, %rax
	pop %rdi
	RBX_OUT

FUNC(ld_44_8a_r11b)		/* 44 8a 1b: mov (%rbx),%r11b; without REX.R this is BL */
	RBX_IN
	mov %rsi, %r11
	mov (%rbx), %r11b
	mov %r11, %rax
	RBX_OUT

FUNC(ld_66_8b_cx)		/* 66 8b 0b: mov (%rbx),%cx */
	RBX_IN
	mov %rsi, %rcx
	mov (%rbx), %cx
	mov %rcx, %rax
	RBX_OUT

FUNC(ld_8b_ecx)			/* 8b 0b: mov (%rbx),%ecx */
	RBX_IN
	mov %rsi, %rcx
	mov (%rbx), %ecx
	mov %rcx, %rax
	RBX_OUT

FUNC(ld_48_8b_rcx)		/* 48 8b 0b: mov (%rbx),%rcx */
	RBX_IN
	mov %rsi, %rcx
	mov (%rbx), %rcx
	mov %rcx, %rax
	RBX_OUT

FUNC(ld_4c_8b_r12)		/* 4c 8b 23: mov (%rbx),%r12 */
	RBX_IN
	push %r12
	mov %rsi, %r12
	mov (%rbx), %r12
	mov %r12, %rax
	pop %r12
	RBX_OUT

FUNC(ld_44_8b_r13d)		/* 44 8b 2b: mov (%rbx),%r13d */
	RBX_IN
	push %r13
	mov %rsi, %r13
	mov (%rbx), %r13d
	mov %r13, %rax
	pop %r13
	RBX_OUT

FUNC(ld_0f_b6_movzbl)		/* 0f b6 0b: movzbl (%rbx),%ecx */
	RBX_IN
	mov %rsi, %rcx
	movzbl (%rbx), %ecx
	mov %rcx, %rax
	RBX_OUT

FUNC(ld_66_0f_b6_movzbw)	/* 66 0f b6 0b: movzbw (%rbx),%cx */
	RBX_IN
	mov %rsi, %rcx
	movzbw (%rbx), %cx
	mov %rcx, %rax
	RBX_OUT

FUNC(ld_48_0f_b6_movzbq)	/* 48 0f b6 0b: movzbq (%rbx),%rcx */
	RBX_IN
	mov %rsi, %rcx
	movzbq (%rbx), %rcx
	mov %rcx, %rax
	RBX_OUT

FUNC(ld_0f_b7_movzwl)		/* 0f b7 0b: movzwl (%rbx),%ecx */
	RBX_IN
	mov %rsi, %rcx
	movzwl (%rbx), %ecx
	mov %rcx, %rax
	RBX_OUT

FUNC(ld_48_0f_b7_movzwq)	/* 48 0f b7 0b: movzwq (%rbx),%rcx */
	RBX_IN
	mov %rsi, %rcx
	movzwq (%rbx), %rcx
	mov %rcx, %rax
	RBX_OUT

FUNC(ld_0f_be_movsbl)		/* 0f be 0b: movsbl (%rbx),%ecx */
	RBX_IN
	mov %rsi, %rcx
	movsbl (%rbx), %ecx
	mov %rcx, %rax
	RBX_OUT

FUNC(ld_66_0f_be_movsbw)	/* 66 0f be 0b: movsbw (%rbx),%cx */
	RBX_IN
	mov %rsi, %rcx
	movsbw (%rbx), %cx
	mov %rcx, %rax
	RBX_OUT

FUNC(ld_48_0f_be_movsbq)	/* 48 0f be 0b: movsbq (%rbx),%rcx */
	RBX_IN
	mov %rsi, %rcx
	movsbq (%rbx), %rcx
	mov %rcx, %rax
	RBX_OUT

FUNC(ld_0f_bf_movswl)		/* 0f bf 0b: movswl (%rbx),%ecx */
	RBX_IN
	mov %rsi, %rcx
	movswl (%rbx), %ecx
	mov %rcx, %rax
	RBX_OUT

FUNC(ld_48_0f_bf_movswq)	/* 48 0f bf 0b: movswq (%rbx),%rcx */
	RBX_IN
	mov %rsi, %rcx
	movswq (%rbx), %rcx
	mov %rcx, %rax
	RBX_OUT

FUNC(ld_4f_0f_bf_movswq_sib)	/* 4f 0f bf 3c 88: movswq (%r8,%r9,4),%r15 */
	push %r15
	lea -0x10(%rdi), %r8
	mov $4, %r9d
	mov %rsi, %r15
	movswq (%r8,%r9,4), %r15
	mov %r15, %rax
	lea 0x10(%r8), %rdx
	pop %r15
	ret

FUNC(ld_a0_al)			/* a0 <moffs64>: movabs gpa,%al */
	mov %rsi, %rax
	.byte 0xa0
	.quad 0xcafe1000 + SCRATCH_OFFSET
	xor %edx, %edx
	ret

FUNC(ld_66_a1_ax)		/* 66 a1 <moffs64>: movabs gpa,%ax */
	mov %rsi, %rax
	.byte 0x66, 0xa1
	.quad 0xcafe1000 + SCRATCH_OFFSET
	xor %edx, %edx
	ret

FUNC(ld_a1_eax)			/* a1 <moffs64>: movabs gpa,%eax */
	mov %rsi, %rax
	.byte 0xa1
	.quad 0xcafe1000 + SCRATCH_OFFSET
	xor %edx, %edx
	ret

FUNC(ld_48_a1_rax)		/* 48 a1 <moffs64>: movabs gpa,%rax */
	mov %rsi, %rax
	.byte 0x48, 0xa1
	.quad 0xcafe1000 + SCRATCH_OFFSET
	xor %edx, %edx
	ret

FUNC(ld_67_a0_al)		/* 67 a0 <moffs32>: addr32 mov gpa,%al */
	mov %rsi, %rax
	.byte 0x67, 0xa0
	.long 0xcafe1000 + SCRATCH_OFFSET
	xor %edx, %edx
	ret

/* ---- addressing forms (64-bit loads into RAX, preset from RSI) ---- */

FUNC(am_disp8)			/* 48 8b 43 08: mov 0x8(%rbx),%rax */
	RBX_IN
	lea -8(%rbx), %rbx
	mov %rsi, %rax
	mov 8(%rbx), %rax
	lea 8(%rbx), %rbx
	RBX_OUT

FUNC(am_disp8_negative)		/* 48 8b 43 f0: mov -0x10(%rbx),%rax */
	RBX_IN
	lea 0x10(%rbx), %rbx
	mov %rsi, %rax
	mov -0x10(%rbx), %rax
	lea -0x10(%rbx), %rbx
	RBX_OUT

FUNC(am_disp32)			/* 48 8b 83 08 01 00 00: mov 0x108(%rbx),%rax */
	RBX_IN
	lea -0x108(%rbx), %rbx
	mov %rsi, %rax
	mov 0x108(%rbx), %rax
	lea 0x108(%rbx), %rbx
	RBX_OUT

FUNC(am_sib_scale8)		/* 48 8b 04 cb: mov (%rbx,%rcx,8),%rax */
	RBX_IN
	lea -8(%rbx), %rbx
	mov $1, %ecx
	mov %rsi, %rax
	mov (%rbx,%rcx,8), %rax
	lea 8(%rbx), %rbx
	RBX_OUT

FUNC(am_sib_scale2_disp8)	/* 48 8b 44 4b 08: mov 0x8(%rbx,%rcx,2),%rax */
	RBX_IN
	lea -0x20(%rbx), %rbx
	mov $12, %ecx
	mov %rsi, %rax
	mov 8(%rbx,%rcx,2), %rax
	lea 0x20(%rbx), %rbx
	RBX_OUT

FUNC(am_sib_no_base)		/* 48 8b 04 8d 00 00 00 00: mov 0x0(,%rcx,4),%rax */
	mov %rdi, %rcx
	shr $2, %rcx
	mov %rsi, %rax
	mov 0(,%rcx,4), %rax
	lea (,%rcx,4), %rdx
	ret

FUNC(am_abs_disp32)		/* 48 8b 04 25 08 10 fe ca: mov 0xffffffffcafe1008,%rax */
	mov %rsi, %rax
	.byte 0x48, 0x8b, 0x04, 0x25
	.long 0xcafe1000 + SCRATCH_OFFSET
	xor %edx, %edx
	ret

FUNC(am_67_abs_disp32)		/* 67 48 8b 04 25 08 10 fe ca: addr32 mov 0xcafe1008,%rax */
	mov %rsi, %rax
	.byte 0x67, 0x48, 0x8b, 0x04, 0x25
	.long 0xcafe1000 + SCRATCH_OFFSET
	xor %edx, %edx
	ret

FUNC(am_rex_b_x)		/* 4b 8b 04 48: mov (%r8,%r9,2),%rax */
	lea -0x10(%rdi), %r8
	mov $8, %r9d
	mov %rsi, %rax
	mov (%r8,%r9,2), %rax
	lea 0x10(%r8), %rdx
	ret

FUNC(am_r12_base)		/* 49 8b 04 24: mov (%r12),%rax (SIB needed) */
	push %r12
	mov %rdi, %r12
	mov %rsi, %rax
	mov (%r12), %rax
	mov %r12, %rdx
	pop %r12
	ret

FUNC(am_r13_base)		/* 49 8b 45 00: mov 0x0(%r13),%rax (disp8 needed) */
	push %r13
	mov %rdi, %r13
	mov %rsi, %rax
	mov (%r13), %rax
	mov %r13, %rdx
	pop %r13
	ret

FUNC(am_rbp_base)		/* 48 8b 45 08: mov 0x8(%rbp),%rax (SS default) */
	push %rbp
	lea -8(%rdi), %rbp
	mov %rsi, %rax
	mov 8(%rbp), %rax
	lea 8(%rbp), %rdx
	pop %rbp
	ret

FUNC(am_rsp_base)		/* 48 8b 44 24 08: mov 0x8(%rsp),%rax (SS default) */
	mov %rsp, %r11
	lea -8(%rdi), %rsp
	mov %rsi, %rax
	mov 8(%rsp), %rax
	lea 8(%rsp), %rdx
	mov %r11, %rsp
	ret

FUNC(am_rip_relative)		/* 48 8b 05 <disp32>: mov alias(%rip),%rax */
	mov %rsi, %rax
	.byte 0x48, 0x8b, 0x05
	.long RIP_ALIAS_SCRATCH - 1f
1:
	xor %edx, %edx
	ret

FUNC(am_fs_override)		/* 64 48 8b 04 25 08 00 00 00: mov %fs:0x8,%rax */
	mov %rsi, %rax
	mov %fs:SCRATCH_OFFSET, %rax
	xor %edx, %edx
	ret

FUNC(am_fs_base_reg)		/* 64 48 8b 03: mov %fs:(%rbx),%rax */
	RBX_IN
	mov $SCRATCH_OFFSET, %ebx
	mov %rsi, %rax
	mov %fs:(%rbx), %rax
	mov %rdi, %rbx
	RBX_OUT

FUNC(am_es_override)		/* 26 48 8b 03: es mov (%rbx),%rax (ignored in 64-bit mode) */
	RBX_IN
	mov %rsi, %rax
	.byte 0x26, 0x48, 0x8b, 0x03
	RBX_OUT

FUNC(am_rep_prefix)		/* f3 48 8b 03: rep mov (%rbx),%rax (REP ignored) */
	RBX_IN
	mov %rsi, %rax
	.byte 0xf3, 0x48, 0x8b, 0x03
	RBX_OUT

FUNC(am_66_rex_w)		/* 66 48 8b 03: REX.W overrides 66: 64-bit load */
	RBX_IN
	mov %rsi, %rax
	.byte 0x66, 0x48, 0x8b, 0x03
	RBX_OUT

FUNC(am_rex_before_66)		/* 48 66 8b 03: a REX not right before the opcode is ignored: 16-bit load */
	RBX_IN
	mov %rsi, %rax
	.byte 0x48, 0x66, 0x8b, 0x03
	RBX_OUT

/* ---- plain accesses of each width, for the width/offset sweeps ---- */

FUNC(ld_width1)			/* 8a 07: mov (%rdi),%al */
	xor %eax, %eax
	mov (%rdi), %al
	ret
FUNC(ld_width2)			/* 66 8b 07: mov (%rdi),%ax */
	xor %eax, %eax
	mov (%rdi), %ax
	ret
FUNC(ld_width4)			/* 8b 07: mov (%rdi),%eax */
	mov (%rdi), %eax
	ret
FUNC(ld_width8)			/* 48 8b 07: mov (%rdi),%rax */
	mov (%rdi), %rax
	ret
FUNC(st_width1)			/* 40 88 37: mov %sil,(%rdi) */
	mov %sil, (%rdi)
	ret
FUNC(st_width2)			/* 66 89 37: mov %si,(%rdi) */
	mov %si, (%rdi)
	ret
FUNC(st_width4)			/* 89 37: mov %esi,(%rdi) */
	mov %esi, (%rdi)
	ret
FUNC(st_width8)			/* 48 89 37: mov %rsi,(%rdi) */
	mov %rsi, (%rdi)
	ret

	.section .note.GNU-stack, "", @progbits
