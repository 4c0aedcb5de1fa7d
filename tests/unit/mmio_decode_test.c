/* Host unit tests of reference/lib/mmio_decode.c.
 *
 * The encodings below were written by hand from the SDM vol. 2 opcode
 * tables (MOV, MOVZX, MOVSX; ModRM/SIB Tables 2-1..2-3) and checked
 * against GNU as: each case with assembler text assembles, under
 * .code16/.code32/.code64, to exactly these bytes. Cases without text
 * are prefix orders an assembler does not emit. */
#include <atf-c.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "mmio_decode.h"

#define M16 MMIO_MODE_16
#define M32 MMIO_MODE_32
#define M64 MMIO_MODE_64
#define LD MMIO_OP_LOAD
#define ST MMIO_OP_STORE
/* Segment register numbers (SDM vol. 3 section 28.2.5). */
#define ES 0u
#define CS 1u
#define SS 2u
#define DS 3u
#define FS 4u
#define GS 5u

struct decode_case {
	enum mmio_cpu_mode mode;
	const char *text; /* AT&T syntax, or NULL */
	uint8_t bytes[15];
	unsigned len;
	enum mmio_op op;
	unsigned width, reg;
	bool high;
	bool has_imm;
	uint64_t imm;
	unsigned dest;
	bool sx, zx;
	unsigned seg;
	bool rip;
	uint64_t moffs;
};

static const struct decode_case cases[] = {
	/* 64-bit mode: 88/89 stores, every register width and REX use. */
	{ M64, "mov %ecx,(%rax)", { 0x89, 0x08 }, 2, ST, 4, 1, .seg = DS },
	{ M64, "mov %rcx,(%rax)", { 0x48, 0x89, 0x08 }, 3, ST, 8, 1, .seg = DS },
	{ M64, "mov %cx,(%rax)", { 0x66, 0x89, 0x08 }, 3, ST, 2, 1, .seg = DS },
	{ M64, "mov %cl,(%rax)", { 0x88, 0x08 }, 2, ST, 1, 1, .seg = DS },
	{ M64, "mov %ah,(%rbx)", { 0x88, 0x23 }, 2, ST, 1, 0, .high = true, .seg = DS },
	{ M64, "mov %bh,(%rbx)", { 0x88, 0x3b }, 2, ST, 1, 3, .high = true, .seg = DS },
	{ M64, "mov %spl,(%rbx)", { 0x40, 0x88, 0x23 }, 3, ST, 1, 4, .seg = DS },
	{ M64, "mov %dil,(%rbx)", { 0x40, 0x88, 0x3b }, 3, ST, 1, 7, .seg = DS },
	{ M64, "mov %r9b,(%rbx)", { 0x44, 0x88, 0x0b }, 3, ST, 1, 9, .seg = DS },
	{ M64, "mov %r15,(%r14)", { 0x4d, 0x89, 0x3e }, 3, ST, 8, 15, .seg = DS },
	{ M64, "mov %r8w,(%rdi)", { 0x66, 0x44, 0x89, 0x07 }, 4, ST, 2, 8, .seg = DS },
	/* 8A/8B loads. */
	{ M64, "mov (%rax),%edx", { 0x8b, 0x10 }, 2, LD, 4, 2, .dest = 4, .seg = DS },
	{ M64, "mov (%rax),%rdx", { 0x48, 0x8b, 0x10 }, 3, LD, 8, 2, .dest = 8, .seg = DS },
	{ M64, "mov (%rax),%dx", { 0x66, 0x8b, 0x10 }, 3, LD, 2, 2, .dest = 2, .seg = DS },
	{ M64, "mov (%rax),%dh", { 0x8a, 0x30 }, 2, LD, 1, 2, .high = true, .dest = 1, .seg = DS },
	{ M64, "mov (%rax),%sil", { 0x40, 0x8a, 0x30 }, 3, LD, 1, 6, .dest = 1, .seg = DS },
	{ M64, "mov (%r8),%r11d", { 0x45, 0x8b, 0x18 }, 3, LD, 4, 11, .dest = 4, .seg = DS },
	/* C6/C7 immediates. */
	{ M64, "movb $0x12,(%rax)", { 0xc6, 0x00, 0x12 }, 3, ST, 1, 0, .has_imm = true, .imm = 0x12, .seg = DS },
	{ M64, "movw $0x1234,(%rax)", { 0x66, 0xc7, 0x00, 0x34, 0x12 }, 5, ST, 2, 0,
	  .has_imm = true, .imm = 0x1234, .seg = DS },
	{ M64, "movl $0x12345678,(%rax)", { 0xc7, 0x00, 0x78, 0x56, 0x34, 0x12 }, 6, ST, 4, 0,
	  .has_imm = true, .imm = 0x12345678, .seg = DS },
	{ M64, "movl $0xffffffff,(%rax)", { 0xc7, 0x00, 0xff, 0xff, 0xff, 0xff }, 6, ST, 4, 0,
	  .has_imm = true, .imm = 0xffffffffull, .seg = DS },
	{ M64, "movq $-2,(%rax)", { 0x48, 0xc7, 0x00, 0xfe, 0xff, 0xff, 0xff }, 7, ST, 8, 0,
	  .has_imm = true, .imm = 0xfffffffffffffffeull, .seg = DS },
	{ M64, "movq $0x7fffffff,(%rax)", { 0x48, 0xc7, 0x00, 0xff, 0xff, 0xff, 0x7f }, 7, ST, 8, 0,
	  .has_imm = true, .imm = 0x7fffffffull, .seg = DS },
	{ M64, "movb $0x80,0x10(%rbp)", { 0xc6, 0x45, 0x10, 0x80 }, 4, ST, 1, 0,
	  .has_imm = true, .imm = 0x80, .seg = SS },
	{ M64, "movw $0xfffe,(%r9)", { 0x66, 0x41, 0xc7, 0x01, 0xfe, 0xff }, 6, ST, 2, 0,
	  .has_imm = true, .imm = 0xfffe, .seg = DS },
	{ M64, "movl $0x1,0x12345678(%rax,%rbx,8)",
	  { 0xc7, 0x84, 0xd8, 0x78, 0x56, 0x34, 0x12, 0x01, 0x00, 0x00, 0x00 }, 11, ST, 4, 0,
	  .has_imm = true, .imm = 1, .seg = DS },
	{ M64, "movq $-1,%gs:0x12345678(%r12,%r13,2)",
	  { 0x65, 0x4b, 0xc7, 0x84, 0x6c, 0x78, 0x56, 0x34, 0x12, 0xff, 0xff, 0xff, 0xff }, 13, ST, 8, 0,
	  .has_imm = true, .imm = ~0ull, .seg = GS },
	/* ModRM/SIB forms and default segments. */
	{ M64, "mov %eax,(%rsp)", { 0x89, 0x04, 0x24 }, 3, ST, 4, 0, .seg = SS },
	{ M64, "mov %eax,(%r12)", { 0x41, 0x89, 0x04, 0x24 }, 4, ST, 4, 0, .seg = DS },
	{ M64, "mov %eax,0x0(%rbp)", { 0x89, 0x45, 0x00 }, 3, ST, 4, 0, .seg = SS },
	{ M64, "mov %eax,0x0(%r13)", { 0x41, 0x89, 0x45, 0x00 }, 4, ST, 4, 0, .seg = DS },
	{ M64, "mov %eax,0x12345678", { 0x89, 0x04, 0x25, 0x78, 0x56, 0x34, 0x12 }, 7, ST, 4, 0, .seg = DS },
	{ M64, "mov %eax,0x10(%rip)", { 0x89, 0x05, 0x10, 0x00, 0x00, 0x00 }, 6, ST, 4, 0, .seg = DS, .rip = true },
	{ M64, "mov 0x10(%rip),%r10", { 0x4c, 0x8b, 0x15, 0x10, 0x00, 0x00, 0x00 }, 7, LD, 8, 10,
	  .dest = 8, .seg = DS, .rip = true },
	{ M64, "mov %eax,0x10(%eip)", { 0x67, 0x89, 0x05, 0x10, 0x00, 0x00, 0x00 }, 7, ST, 4, 0, .seg = DS, .rip = true },
	{ M64, "mov %eax,0x12345678(%rax,%rcx,4)", { 0x89, 0x84, 0x88, 0x78, 0x56, 0x34, 0x12 }, 7, ST, 4, 0, .seg = DS },
	{ M64, "mov %eax,-0x8(%rbp,%rsi,2)", { 0x89, 0x44, 0x75, 0xf8 }, 4, ST, 4, 0, .seg = SS },
	{ M64, "mov %eax,(%rax,%r12,1)", { 0x42, 0x89, 0x04, 0x20 }, 4, ST, 4, 0, .seg = DS },
	{ M64, "mov %eax,0x0(,%rbp,1)", { 0x89, 0x04, 0x2d, 0x00, 0x00, 0x00, 0x00 }, 7, ST, 4, 0, .seg = DS },
	{ M64, "mov %eax,(%esp)", { 0x67, 0x89, 0x04, 0x24 }, 4, ST, 4, 0, .seg = SS },
	{ M64, "mov %eax,(%ecx)", { 0x67, 0x89, 0x01 }, 3, ST, 4, 0, .seg = DS },
	/* Segment overrides: FS and GS count in 64-bit mode, the others not. */
	{ M64, "mov %eax,%fs:(%rax)", { 0x64, 0x89, 0x00 }, 3, ST, 4, 0, .seg = FS },
	{ M64, "mov %eax,%gs:0x8(%rbp)", { 0x65, 0x89, 0x45, 0x08 }, 4, ST, 4, 0, .seg = GS },
	{ M64, "mov %eax,%es:(%rax)", { 0x26, 0x89, 0x00 }, 3, ST, 4, 0, .seg = DS },
	{ M64, "mov %eax,%ss:(%rax)", { 0x36, 0x89, 0x00 }, 3, ST, 4, 0, .seg = DS },
	{ M64, "mov %eax,%ds:(%rbp)", { 0x3e, 0x89, 0x45, 0x00 }, 4, ST, 4, 0, .seg = SS },
	/* A0-A3 with 8-byte moffs, 4-byte with 67. */
	{ M64, "movabs 0x1122334455667788,%al", { 0xa0, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11 }, 9,
	  LD, 1, 0, .dest = 1, .seg = DS, .moffs = 0x1122334455667788ull },
	{ M64, "movabs 0x1122334455667788,%eax", { 0xa1, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11 }, 9,
	  LD, 4, 0, .dest = 4, .seg = DS, .moffs = 0x1122334455667788ull },
	{ M64, "movabs 0x1122334455667788,%rax",
	  { 0x48, 0xa1, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11 }, 10,
	  LD, 8, 0, .dest = 8, .seg = DS, .moffs = 0x1122334455667788ull },
	{ M64, "movabs %ax,0x1122334455667788",
	  { 0x66, 0xa3, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11 }, 10,
	  ST, 2, 0, .seg = DS, .moffs = 0x1122334455667788ull },
	{ M64, "movabs %al,0x8877665544332211", { 0xa2, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 }, 9,
	  ST, 1, 0, .seg = DS, .moffs = 0x8877665544332211ull },
	{ M64, "movabs %fs:0x1122334455667788,%eax",
	  { 0x64, 0xa1, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11 }, 10,
	  LD, 4, 0, .dest = 4, .seg = FS, .moffs = 0x1122334455667788ull },
	{ M64, "addr32 movabs 0x12345678,%eax", { 0x67, 0xa1, 0x78, 0x56, 0x34, 0x12 }, 6,
	  LD, 4, 0, .dest = 4, .seg = DS, .moffs = 0x12345678 },
	/* 0F B6/B7/BE/BF. */
	{ M64, "movzbl (%rax),%ecx", { 0x0f, 0xb6, 0x08 }, 3, LD, 1, 1, .dest = 4, .zx = true, .seg = DS },
	{ M64, "movzwl (%rax),%ecx", { 0x0f, 0xb7, 0x08 }, 3, LD, 2, 1, .dest = 4, .zx = true, .seg = DS },
	{ M64, "movzbq (%rax),%rcx", { 0x48, 0x0f, 0xb6, 0x08 }, 4, LD, 1, 1, .dest = 8, .zx = true, .seg = DS },
	{ M64, "movzwq (%rax),%rcx", { 0x48, 0x0f, 0xb7, 0x08 }, 4, LD, 2, 1, .dest = 8, .zx = true, .seg = DS },
	{ M64, "movzbw (%rax),%cx", { 0x66, 0x0f, 0xb6, 0x08 }, 4, LD, 1, 1, .dest = 2, .zx = true, .seg = DS },
	{ M64, "movsbl (%rax),%ecx", { 0x0f, 0xbe, 0x08 }, 3, LD, 1, 1, .dest = 4, .sx = true, .seg = DS },
	{ M64, "movswq (%rax),%r8", { 0x4c, 0x0f, 0xbf, 0x00 }, 4, LD, 2, 8, .dest = 8, .sx = true, .seg = DS },
	{ M64, "movsbw (%rax),%cx", { 0x66, 0x0f, 0xbe, 0x08 }, 4, LD, 1, 1, .dest = 2, .sx = true, .seg = DS },
	{ M64, "movsbq -0x1(%rsp),%r15", { 0x4c, 0x0f, 0xbe, 0x7c, 0x24, 0xff }, 6, LD, 1, 15,
	  .dest = 8, .sx = true, .seg = SS },
	/* Prefix order and repeats. */
	{ M64, NULL /* 66 then REX.W: REX.W wins */, { 0x66, 0x48, 0x89, 0x08 }, 4, ST, 8, 1, .seg = DS },
	{ M64, NULL /* REX.W then 66: the REX is ignored */, { 0x48, 0x66, 0x89, 0x08 }, 4, ST, 2, 1, .seg = DS },
	{ M64, NULL /* REX.B then REX.W: only the last counts */, { 0x41, 0x48, 0x89, 0x08 }, 4, ST, 8, 1, .seg = DS },
	{ M64, NULL /* REX.R then 66 then 88: the REX is gone, so CH */, { 0x44, 0x66, 0x88, 0x28 }, 4,
	  ST, 1, 1, .high = true, .seg = DS },
	{ M64, "xrelease mov %ecx,(%rax)", { 0xf3, 0x89, 0x08 }, 3, ST, 4, 1, .seg = DS },
	{ M64, NULL /* F2 ignored */, { 0xf2, 0x88, 0x08 }, 3, ST, 1, 1, .seg = DS },
	{ M64, NULL /* two segment overrides: the last wins */, { 0x64, 0x65, 0x89, 0x00 }, 4, ST, 4, 0, .seg = GS },
	{ M64, NULL /* repeated 66 */, { 0x66, 0x66, 0x66, 0x89, 0x08 }, 5, ST, 2, 1, .seg = DS },
	{ M64, NULL /* 15 bytes: 13 prefixes */,
	  { 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x89, 0x08 }, 15,
	  ST, 2, 1, .seg = DS },

	/* 32-bit mode. */
	{ M32, "mov %ecx,(%eax)", { 0x89, 0x08 }, 2, ST, 4, 1, .seg = DS },
	{ M32, "mov %cx,(%eax)", { 0x66, 0x89, 0x08 }, 3, ST, 2, 1, .seg = DS },
	{ M32, "mov %ah,(%eax)", { 0x88, 0x20 }, 2, ST, 1, 0, .high = true, .seg = DS },
	{ M32, "mov %ecx,0x12345678", { 0x89, 0x0d, 0x78, 0x56, 0x34, 0x12 }, 6, ST, 4, 1, .seg = DS },
	{ M32, "mov %eax,(%esp)", { 0x89, 0x04, 0x24 }, 3, ST, 4, 0, .seg = SS },
	{ M32, "mov %eax,0x8(%ebp)", { 0x89, 0x45, 0x08 }, 3, ST, 4, 0, .seg = SS },
	{ M32, "mov 0x8(%ebp,%edi,4),%esi", { 0x8b, 0x74, 0xbd, 0x08 }, 4, LD, 4, 6, .dest = 4, .seg = SS },
	{ M32, "mov %eax,0x12345678(,%ebx,8)", { 0x89, 0x04, 0xdd, 0x78, 0x56, 0x34, 0x12 }, 7, ST, 4, 0, .seg = DS },
	{ M32, "mov %ecx,(%bx,%si)", { 0x67, 0x89, 0x08 }, 3, ST, 4, 1, .seg = DS },
	{ M32, "mov %ecx,0x1234(%bx,%di)", { 0x67, 0x89, 0x89, 0x34, 0x12 }, 5, ST, 4, 1, .seg = DS },
	{ M32, "mov %ecx,0x12(%bp)", { 0x67, 0x89, 0x4e, 0x12 }, 4, ST, 4, 1, .seg = SS },
	{ M32, "mov %ecx,(%bp,%di)", { 0x67, 0x89, 0x0b }, 3, ST, 4, 1, .seg = SS },
	{ M32, "addr16 mov %ecx,0x1234", { 0x67, 0x89, 0x0e, 0x34, 0x12 }, 5, ST, 4, 1, .seg = DS },
	{ M32, "mov 0x12345678,%eax", { 0xa1, 0x78, 0x56, 0x34, 0x12 }, 5, LD, 4, 0, .dest = 4, .seg = DS,
	  .moffs = 0x12345678 },
	{ M32, "mov %al,0x12345678", { 0xa2, 0x78, 0x56, 0x34, 0x12 }, 5, ST, 1, 0, .seg = DS, .moffs = 0x12345678 },
	{ M32, "addr16 mov 0x1234,%eax", { 0x67, 0xa1, 0x34, 0x12 }, 4, LD, 4, 0, .dest = 4, .seg = DS,
	  .moffs = 0x1234 },
	{ M32, "mov %ax,%es:0x12345678", { 0x26, 0x66, 0xa3, 0x78, 0x56, 0x34, 0x12 }, 7, ST, 2, 0, .seg = ES,
	  .moffs = 0x12345678 },
	{ M32, "movw $0x1234,(%eax)", { 0x66, 0xc7, 0x00, 0x34, 0x12 }, 5, ST, 2, 0, .has_imm = true, .imm = 0x1234, .seg = DS },
	{ M32, "movl $0x80000000,(%eax)", { 0xc7, 0x00, 0x00, 0x00, 0x00, 0x80 }, 6, ST, 4, 0,
	  .has_imm = true, .imm = 0x80000000ull, .seg = DS },
	{ M32, "mov %es:(%eax),%ecx", { 0x26, 0x8b, 0x08 }, 3, LD, 4, 1, .dest = 4, .seg = ES },
	{ M32, "mov %cs:(%eax),%ecx", { 0x2e, 0x8b, 0x08 }, 3, LD, 4, 1, .dest = 4, .seg = CS },
	{ M32, "mov %ss:(%eax),%ecx", { 0x36, 0x8b, 0x08 }, 3, LD, 4, 1, .dest = 4, .seg = SS },
	{ M32, "mov %ds:0x0(%ebp),%ecx", { 0x3e, 0x8b, 0x4d, 0x00 }, 4, LD, 4, 1, .dest = 4, .seg = DS },
	{ M32, "movzbl (%eax),%ecx", { 0x0f, 0xb6, 0x08 }, 3, LD, 1, 1, .dest = 4, .zx = true, .seg = DS },
	{ M32, "movzbw (%eax),%cx", { 0x66, 0x0f, 0xb6, 0x08 }, 4, LD, 1, 1, .dest = 2, .zx = true, .seg = DS },
	{ M32, "movswl (%eax),%ecx", { 0x0f, 0xbf, 0x08 }, 3, LD, 2, 1, .dest = 4, .sx = true, .seg = DS },

	/* 16-bit mode. */
	{ M16, "mov %cx,(%bx,%si)", { 0x89, 0x08 }, 2, ST, 2, 1, .seg = DS },
	{ M16, "mov %ecx,(%bx,%si)", { 0x66, 0x89, 0x08 }, 3, ST, 4, 1, .seg = DS },
	{ M16, "mov %cx,0x1234", { 0x89, 0x0e, 0x34, 0x12 }, 4, ST, 2, 1, .seg = DS },
	{ M16, "mov %cx,0x0(%bp)", { 0x89, 0x4e, 0x00 }, 3, ST, 2, 1, .seg = SS },
	{ M16, "mov %cx,0x1234(%bp,%si)", { 0x89, 0x8a, 0x34, 0x12 }, 4, ST, 2, 1, .seg = SS },
	{ M16, "mov %cx,-0x2(%di)", { 0x89, 0x4d, 0xfe }, 3, ST, 2, 1, .seg = DS },
	{ M16, "mov (%bx),%dl", { 0x8a, 0x17 }, 2, LD, 1, 2, .dest = 1, .seg = DS },
	{ M16, "mov (%bx),%bh", { 0x8a, 0x3f }, 2, LD, 1, 3, .high = true, .dest = 1, .seg = DS },
	{ M16, "mov %cx,(%eax)", { 0x67, 0x89, 0x08 }, 3, ST, 2, 1, .seg = DS },
	{ M16, "mov %cx,(%esp)", { 0x67, 0x89, 0x0c, 0x24 }, 4, ST, 2, 1, .seg = SS },
	{ M16, "mov %ecx,0x12345678(,%eax,4)", { 0x67, 0x66, 0x89, 0x0c, 0x85, 0x78, 0x56, 0x34, 0x12 }, 9,
	  ST, 4, 1, .seg = DS },
	{ M16, "mov 0x1234,%ax", { 0xa1, 0x34, 0x12 }, 3, LD, 2, 0, .dest = 2, .seg = DS, .moffs = 0x1234 },
	{ M16, "addr32 mov 0x12345678,%ax", { 0x67, 0xa1, 0x78, 0x56, 0x34, 0x12 }, 6, LD, 2, 0, .dest = 2,
	  .seg = DS, .moffs = 0x12345678 },
	{ M16, "mov %eax,%gs:0x10", { 0x65, 0x66, 0xa3, 0x10, 0x00 }, 5, ST, 4, 0, .seg = GS, .moffs = 0x10 },
	{ M16, "movw $0x1234,(%bx)", { 0xc7, 0x07, 0x34, 0x12 }, 4, ST, 2, 0, .has_imm = true, .imm = 0x1234, .seg = DS },
	{ M16, "movl $0x12345678,(%bx)", { 0x66, 0xc7, 0x07, 0x78, 0x56, 0x34, 0x12 }, 7, ST, 4, 0,
	  .has_imm = true, .imm = 0x12345678, .seg = DS },
	{ M16, "movb $0x12,(%di)", { 0xc6, 0x05, 0x12 }, 3, ST, 1, 0, .has_imm = true, .imm = 0x12, .seg = DS },
	{ M16, "movzbw (%bx),%ax", { 0x0f, 0xb6, 0x07 }, 3, LD, 1, 0, .dest = 2, .zx = true, .seg = DS },
	{ M16, "movzbl (%bx),%eax", { 0x66, 0x0f, 0xb6, 0x07 }, 4, LD, 1, 0, .dest = 4, .zx = true, .seg = DS },
	{ M16, "movsbw 0x4(%bp,%di),%dx", { 0x0f, 0xbe, 0x53, 0x04 }, 4, LD, 1, 2, .dest = 2, .sx = true, .seg = SS },
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

static const char *mode_name(enum mmio_cpu_mode m)
{
	return m == M16 ? "16" : m == M32 ? "32" : "64";
}

static void check_case(const struct decode_case *c, const struct mmio_insn *d, const char *what)
{
	const char *t = c->text ? c->text : "(prefix case)";

#define FIELD(got, want) \
	ATF_REQUIRE_MSG((got) == (want), "%s [%s-bit] %s: %s = %llu, expected %llu", t, \
			mode_name(c->mode), what, #got, (unsigned long long)(got), (unsigned long long)(want))
	FIELD(d->length, c->len);
	FIELD(d->op, c->op);
	FIELD(d->access_width, c->width);
	FIELD(d->reg, c->reg);
	FIELD(d->reg_high_byte, c->high);
	FIELD(d->has_imm, c->has_imm);
	FIELD(d->imm, c->imm);
	FIELD(d->dest_width, c->dest);
	FIELD(d->sign_extend, c->sx);
	FIELD(d->zero_extend, c->zx);
	FIELD(d->segment, c->seg);
	FIELD(d->rip_relative, c->rip);
	FIELD(d->moffs, c->moffs);
#undef FIELD
}

ATF_TC(encodings);
ATF_TC_HEAD(encodings, tc)
{
	atf_tc_set_md_var(tc, "descr", "every supported form decodes to the expected length and operands");
}
ATF_TC_BODY(encodings, tc)
{
	for (unsigned i = 0; i < NCASES; i++) {
		const struct decode_case *c = &cases[i];
		struct mmio_insn d;
		uint8_t buf[32];

		ATF_REQUIRE_EQ_MSG(mmio_decode(c->bytes, c->len, c->mode, &d), MMIO_DECODE_OK,
				   "case %u (%s)", i, c->text ? c->text : "prefix case");
		check_case(c, &d, "exact bytes");

		/* Bytes after the instruction change nothing. */
		memcpy(buf, c->bytes, c->len);
		for (unsigned k = c->len; k < sizeof(buf); k++)
			buf[k] = (uint8_t)(0x90 + k);
		memset(&d, 0xcc, sizeof(d));
		ATF_REQUIRE_EQ(mmio_decode(buf, sizeof(buf), c->mode, &d), MMIO_DECODE_OK);
		check_case(c, &d, "with trailing bytes");
	}
}

ATF_TC(truncation);
ATF_TC_HEAD(truncation, tc)
{
	atf_tc_set_md_var(tc, "descr", "every proper prefix of a supported instruction is TRUNCATED");
}
ATF_TC_BODY(truncation, tc)
{
	for (unsigned i = 0; i < NCASES; i++) {
		const struct decode_case *c = &cases[i];

		for (unsigned avail = 0; avail < c->len; avail++) {
			struct mmio_insn d, untouched;

			memset(&d, 0x5a, sizeof(d));
			memcpy(&untouched, &d, sizeof(d));
			int r = mmio_decode(c->bytes, avail, c->mode, &d);
			ATF_REQUIRE_MSG(r == MMIO_DECODE_TRUNCATED, "case %u (%s) with %u of %u bytes: %d (%s)",
					i, c->text ? c->text : "prefix case", avail, c->len, r,
					mmio_decode_strerror(r));
			ATF_REQUIRE_MSG(memcmp(&d, &untouched, sizeof(d)) == 0,
					"case %u: output written on TRUNCATED", i);
		}
	}
	ATF_REQUIRE_EQ(mmio_decode(NULL, 0, M64, &(struct mmio_insn){ 0 }), MMIO_DECODE_TRUNCATED);
	ATF_REQUIRE_EQ(mmio_decode(NULL, 15, M64, &(struct mmio_insn){ 0 }), MMIO_DECODE_TRUNCATED);
}

struct refused {
	enum mmio_cpu_mode mode;
	const char *why;
	uint8_t bytes[20];
	unsigned n;
};

static const struct refused refused_cases[] = {
	{ M64, "mov %ecx,%eax (register operand)", { 0x89, 0xc8 }, 2 },
	{ M64, "mov %eax,%ecx via 8B (register operand)", { 0x8b, 0xc8 }, 2 },
	{ M64, "movzbl %al,%ecx (register operand)", { 0x0f, 0xb6, 0xc8 }, 3 },
	{ M64, "mov $1,%eax via C7 (register operand)", { 0xc7, 0xc0, 0x01, 0x00, 0x00, 0x00 }, 6 },
	{ M64, "C6 /1 (not MOV)", { 0xc6, 0x08, 0x12 }, 3 },
	{ M64, "C7 /7 (not MOV)", { 0xc7, 0x38, 0x01, 0x00, 0x00, 0x00 }, 6 },
	{ M64, "lock mov", { 0xf0, 0x89, 0x08 }, 3 },
	{ M64, "add %ecx,(%rax)", { 0x01, 0x08 }, 2 },
	{ M64, "mov %es,(%rax)", { 0x8c, 0x00 }, 2 },
	{ M64, "mov (%rax),%es", { 0x8e, 0x00 }, 2 },
	{ M64, "movsb", { 0xa4 }, 1 },
	{ M64, "incl (%rax)", { 0xff, 0x00 }, 2 },
	{ M64, "syscall", { 0x0f, 0x05 }, 2 },
	{ M64, "cmovz (%rax),%ecx", { 0x0f, 0x44, 0x08 }, 3 },
	{ M64, "movnti %ecx,(%rax)", { 0x0f, 0xc3, 0x08 }, 3 },
	{ M64, "F3 0F B8 (popcnt)", { 0xf3, 0x0f, 0xb8, 0x08 }, 4 },
	{ M32, "dec %eax then mov: 48 is no REX in 32-bit mode", { 0x48, 0x89, 0x08 }, 3 },
	{ M16, "inc %ax: 40 is no REX in 16-bit mode", { 0x40, 0x89, 0x08 }, 3 },
	{ M64, "16 bytes: 14 prefixes + 89 08",
	  { 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x89, 0x08 }, 16 },
	{ M64, "16 bytes: prefixes + movq $imm32,disp32(%rax)",
	  { 0x64, 0x66, 0x67, 0xf3, 0xf2, 0x48, 0xc7, 0x80, 0x00, 0x00, 0x00, 0x10, 0x01, 0x00, 0x00, 0x00 }, 16 },
	{ M64, "15 prefix bytes", { 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
				      0x66, 0x66, 0x89, 0x08 }, 17 },
};

ATF_TC(unsupported);
ATF_TC_HEAD(unsupported, tc)
{
	atf_tc_set_md_var(tc, "descr", "other instructions, register operands and over-long encodings are refused");
}
ATF_TC_BODY(unsupported, tc)
{
	for (unsigned i = 0; i < sizeof(refused_cases) / sizeof(refused_cases[0]); i++) {
		const struct refused *c = &refused_cases[i];
		struct mmio_insn d;
		int r = mmio_decode(c->bytes, c->n, c->mode, &d);

		ATF_REQUIRE_MSG(r == MMIO_DECODE_UNSUPPORTED, "%s: %d (%s)", c->why, r, mmio_decode_strerror(r));
	}
	/* Bad arguments. */
	const uint8_t mov[] = { 0x89, 0x08 };
	struct mmio_insn d;
	ATF_REQUIRE_EQ(mmio_decode(mov, 2, M64, NULL), MMIO_DECODE_UNSUPPORTED);
	ATF_REQUIRE_EQ(mmio_decode(mov, 2, (enum mmio_cpu_mode)7, &d), MMIO_DECODE_UNSUPPORTED);
	ATF_REQUIRE(strcmp(mmio_decode_strerror(MMIO_DECODE_UNSUPPORTED),
			   mmio_decode_strerror(MMIO_DECODE_TRUNCATED)) != 0);
	ATF_REQUIRE(mmio_decode_strerror(12345) != NULL);
}

/* Operand semantics ------------------------------------------------- */

static struct mmio_insn decode_or_fail(enum mmio_cpu_mode mode, const uint8_t *b, unsigned n)
{
	struct mmio_insn d;
	int r = mmio_decode(b, n, mode, &d);

	ATF_REQUIRE_MSG(r == MMIO_DECODE_OK, "decode: %s", mmio_decode_strerror(r));
	return d;
}

#define DECODE(mode, ...) \
	decode_or_fail(mode, (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ }))

ATF_TC(operand_semantics);
ATF_TC_HEAD(operand_semantics, tc)
{
	atf_tc_set_md_var(tc, "descr", "store values and register write-back follow x86 width rules");
}
ATF_TC_BODY(operand_semantics, tc)
{
	struct guest_regs regs;
	struct mmio_insn d;

	for (unsigned i = 0; i < GPR_COUNT; i++)
		regs.gpr[i] = 0x1122334455667788ull + i * 0x0101010101010101ull;

	/* Stores. */
	d = DECODE(M64, 0x88, 0x23); /* mov %ah,(%rbx) */
	ATF_REQUIRE_EQ(mmio_store_value(&d, &regs), 0x77ull);
	d = DECODE(M64, 0x88, 0x0b); /* mov %cl,(%rbx) */
	ATF_REQUIRE_EQ(mmio_store_value(&d, &regs), 0x89ull);
	d = DECODE(M64, 0x66, 0x89, 0x08); /* mov %cx,(%rax) */
	ATF_REQUIRE_EQ(mmio_store_value(&d, &regs), 0x7889ull);
	d = DECODE(M64, 0x89, 0x08); /* mov %ecx,(%rax) */
	ATF_REQUIRE_EQ(mmio_store_value(&d, &regs), 0x56677889ull);
	d = DECODE(M64, 0x4d, 0x89, 0x3e); /* mov %r15,(%r14) */
	ATF_REQUIRE_EQ(mmio_store_value(&d, &regs), 0x2031425364758697ull);
	d = DECODE(M64, 0x48, 0xc7, 0x00, 0xfe, 0xff, 0xff, 0xff); /* movq $-2,(%rax) */
	ATF_REQUIRE_EQ(mmio_store_value(&d, &regs), 0xfffffffffffffffeull);
	d = DECODE(M64, 0x8b, 0x10); /* a load stores nothing */
	ATF_REQUIRE_EQ(mmio_store_value(&d, &regs), 0ull);

	/* Loads: 8- and 16-bit merge, 32-bit zero-extends, 64-bit replaces. */
	regs.gpr[GPR_RDX] = ~0ull;
	d = DECODE(M64, 0x8a, 0x30); /* mov (%rax),%dh */
	mmio_complete_load(&d, &regs, 0xabcdef5aull);
	ATF_REQUIRE_EQ(regs.gpr[GPR_RDX], 0xffffffffffff5affull);
	d = DECODE(M64, 0x40, 0x8a, 0x30); /* mov (%rax),%sil */
	regs.gpr[GPR_RSI] = ~0ull;
	mmio_complete_load(&d, &regs, 0x12);
	ATF_REQUIRE_EQ(regs.gpr[GPR_RSI], 0xffffffffffffff12ull);
	d = DECODE(M64, 0x66, 0x8b, 0x10); /* mov (%rax),%dx */
	mmio_complete_load(&d, &regs, 0x99991234ull);
	ATF_REQUIRE_EQ(regs.gpr[GPR_RDX], 0xffffffffffff1234ull);
	d = DECODE(M64, 0x8b, 0x10); /* mov (%rax),%edx */
	mmio_complete_load(&d, &regs, 0x8765432112345678ull);
	ATF_REQUIRE_EQ(regs.gpr[GPR_RDX], 0x12345678ull);
	d = DECODE(M64, 0x48, 0x8b, 0x10); /* mov (%rax),%rdx */
	mmio_complete_load(&d, &regs, 0x8765432112345678ull);
	ATF_REQUIRE_EQ(regs.gpr[GPR_RDX], 0x8765432112345678ull);

	/* MOVZX / MOVSX. */
	regs.gpr[GPR_RCX] = ~0ull;
	d = DECODE(M64, 0x0f, 0xbe, 0x08); /* movsbl (%rax),%ecx */
	mmio_complete_load(&d, &regs, 0x80);
	ATF_REQUIRE_EQ(regs.gpr[GPR_RCX], 0xffffff80ull);
	d = DECODE(M64, 0x0f, 0xb6, 0x08); /* movzbl (%rax),%ecx */
	mmio_complete_load(&d, &regs, 0x1280);
	ATF_REQUIRE_EQ(regs.gpr[GPR_RCX], 0x80ull);
	regs.gpr[GPR_RCX] = ~0ull;
	d = DECODE(M64, 0x66, 0x0f, 0xbe, 0x08); /* movsbw (%rax),%cx */
	mmio_complete_load(&d, &regs, 0x7f);
	ATF_REQUIRE_EQ(regs.gpr[GPR_RCX], 0xffffffffffff007full);
	d = DECODE(M64, 0x66, 0x0f, 0xb6, 0x08); /* movzbw (%rax),%cx */
	mmio_complete_load(&d, &regs, 0xff);
	ATF_REQUIRE_EQ(regs.gpr[GPR_RCX], 0xffffffffffff00ffull);
	d = DECODE(M64, 0x4c, 0x0f, 0xbf, 0x00); /* movswq (%rax),%r8 */
	mmio_complete_load(&d, &regs, 0x8000);
	ATF_REQUIRE_EQ(regs.gpr[GPR_R8], 0xffffffffffff8000ull);
	d = DECODE(M64, 0x48, 0x0f, 0xb7, 0x08); /* movzwq (%rax),%rcx */
	mmio_complete_load(&d, &regs, 0xffff8000ull);
	ATF_REQUIRE_EQ(regs.gpr[GPR_RCX], 0x8000ull);
	d = DECODE(M64, 0xa0, 1, 2, 3, 4, 5, 6, 7, 8); /* movabs ...,%al */
	regs.gpr[GPR_RAX] = 0;
	mmio_complete_load(&d, &regs, 0x1ff);
	ATF_REQUIRE_EQ(regs.gpr[GPR_RAX], 0xffull);

	/* A store leaves the registers alone. */
	struct guest_regs before = regs;
	d = DECODE(M64, 0x89, 0x08);
	mmio_complete_load(&d, &regs, 0x1234);
	ATF_REQUIRE(memcmp(&before, &regs, sizeof(regs)) == 0);
}

/* Fuzzing ------------------------------------------------------------- */

/* The operand's offset (effective address, SDM vol. 2 2.1.5): the stage-2
 * fault names the faulting page, so the hypervisor computes where the
 * operand starts to see one that runs into a window from below. */
ATF_TC(operand_offset);
ATF_TC_HEAD(operand_offset, tc)
{
	atf_tc_set_md_var(tc, "descr", "base + index * scale + disp, RIP-relative, moffs and 16-bit forms, truncated to the address size");
}
ATF_TC_BODY(operand_offset, tc)
{
	struct guest_regs regs;
	struct mmio_insn d;
	const uint64_t next = 0x401000;

	for (unsigned i = 0; i < GPR_COUNT; i++)
		regs.gpr[i] = 0x1000ull * (i + 1);

	d = DECODE(M64, 0x48, 0x8b, 0x07); /* mov (%rdi),%rax */
	ATF_REQUIRE_EQ(mmio_operand_offset(&d, &regs, next), regs.gpr[GPR_RDI]);
	d = DECODE(M64, 0x8b, 0x44, 0x8b, 0xf0); /* mov -0x10(%rbx,%rcx,4),%eax */
	ATF_REQUIRE_EQ(mmio_operand_offset(&d, &regs, next), regs.gpr[GPR_RBX] + 4 * regs.gpr[GPR_RCX] - 0x10);
	d = DECODE(M64, 0x43, 0x8b, 0x04, 0x2c); /* mov (%r12,%r13),%eax: REX.X and REX.B */
	ATF_REQUIRE_EQ(mmio_operand_offset(&d, &regs, next), regs.gpr[GPR_R12] + regs.gpr[GPR_R13]);
	d = DECODE(M64, 0x8b, 0x04, 0x24); /* mov (%rsp),%eax: index 100b is none */
	ATF_REQUIRE_EQ(mmio_operand_offset(&d, &regs, next), regs.gpr[GPR_RSP]);
	d = DECODE(M64, 0x8b, 0x04, 0x25, 0xfc, 0x3f, 0xfe, 0xca); /* mov 0xcafe3ffc,%eax: SIB, no base */
	ATF_REQUIRE_EQ(mmio_operand_offset(&d, &regs, next), 0xffffffffcafe3ffcull);
	d = DECODE(M64, 0x8b, 0x05, 0x10, 0x00, 0x00, 0x00); /* mov 0x10(%rip),%eax */
	ATF_REQUIRE_EQ(mmio_operand_offset(&d, &regs, next), next + 0x10);
	d = DECODE(M64, 0x48, 0xa1, 0xfc, 0x3f, 0xfe, 0xca, 0, 0, 0, 0); /* movabs 0xcafe3ffc,%rax */
	ATF_REQUIRE_EQ(mmio_operand_offset(&d, &regs, next), 0xcafe3ffcull);
	d = DECODE(M32, 0x8b, 0x47, 0xfc); /* mov -4(%edi),%eax: 32-bit wrap */
	regs.gpr[GPR_RDI] = 0x2;
	ATF_REQUIRE_EQ(mmio_operand_offset(&d, &regs, next), 0xfffffffeull);
	d = DECODE(M16, 0x8b, 0x00); /* mov (%bx,%si),%ax */
	ATF_REQUIRE_EQ(mmio_operand_offset(&d, &regs, next), (regs.gpr[GPR_RBX] + regs.gpr[GPR_RSI]) & 0xffff);
	d = DECODE(M16, 0x8b, 0x46, 0x02); /* mov 2(%bp),%ax */
	ATF_REQUIRE_EQ(mmio_operand_offset(&d, &regs, next), regs.gpr[GPR_RBP] + 2);
	d = DECODE(M16, 0x8b, 0x36, 0x34, 0x12); /* mov 0x1234,%si: mod 00 rm 110 */
	ATF_REQUIRE_EQ(mmio_operand_offset(&d, &regs, next), 0x1234ull);
}

static uint64_t xorshift64(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

/* Invariants every decode must keep, whatever the bytes. */
static void check_fuzz_result(const uint8_t *buf, enum mmio_cpu_mode mode, unsigned avail, int r,
			      const struct mmio_insn *d, unsigned iteration)
{
	ATF_REQUIRE_MSG(r == MMIO_DECODE_OK || r == MMIO_DECODE_UNSUPPORTED || r == MMIO_DECODE_TRUNCATED,
			"iteration %u: result %d", iteration, r);
	if (avail >= 15)
		ATF_REQUIRE_MSG(r != MMIO_DECODE_TRUNCATED, "iteration %u: TRUNCATED with 15 bytes", iteration);
	if (r != MMIO_DECODE_OK)
		return;
	ATF_REQUIRE_MSG(d->length >= 1 && d->length <= 15 && d->length <= avail,
			"iteration %u: length %u of %u", iteration, d->length, avail);
	ATF_REQUIRE_MSG(d->access_width == 1 || d->access_width == 2 || d->access_width == 4 ||
			d->access_width == 8, "iteration %u: width %u", iteration, d->access_width);
	ATF_REQUIRE_MSG(d->reg < 16, "iteration %u: reg %u", iteration, d->reg);
	ATF_REQUIRE_MSG(d->segment <= GS, "iteration %u: segment %u", iteration, d->segment);
	ATF_REQUIRE_MSG(!d->reg_high_byte || (d->reg < 4 && d->access_width == 1),
			"iteration %u: high byte of reg %u", iteration, d->reg);
	if (d->op == MMIO_OP_LOAD)
		ATF_REQUIRE_MSG(d->dest_width >= d->access_width && d->dest_width <= 8 && !d->has_imm,
				"iteration %u: load dest %u width %u", iteration, d->dest_width,
				d->access_width);
	else
		ATF_REQUIRE_MSG(d->op == MMIO_OP_STORE && d->dest_width == 0 && !d->sign_extend &&
				!d->zero_extend, "iteration %u: store fields", iteration);
	ATF_REQUIRE(!(d->sign_extend && d->zero_extend));
	ATF_REQUIRE(d->access_width == 8 || (d->imm >> (8 * d->access_width)) == 0);

	/* Exactly length bytes matter: fewer is TRUNCATED, exactly that many is the same answer. */
	struct mmio_insn again;
	ATF_REQUIRE_EQ_MSG(mmio_decode(buf, d->length, mode, &again), MMIO_DECODE_OK, "iteration %u", iteration);
	ATF_REQUIRE_MSG(memcmp(&again, d, sizeof(again)) == 0, "iteration %u: answer depends on extra bytes",
			iteration);
	ATF_REQUIRE_EQ_MSG(mmio_decode(buf, d->length - 1, mode, &again), MMIO_DECODE_TRUNCATED,
			   "iteration %u", iteration);
}

#define FUZZ_ROUNDS 200000u

ATF_TC(fuzz_random);
ATF_TC_HEAD(fuzz_random, tc)
{
	atf_tc_set_md_var(tc, "descr", "200000 random 15-byte buffers keep the decoder's invariants");
}
ATF_TC_BODY(fuzz_random, tc)
{
	uint64_t seed = 0x2545f4914f6cdd1dull;
	unsigned ok = 0;

	for (unsigned it = 0; it < FUZZ_ROUNDS; it++) {
		uint8_t buf[15];
		struct mmio_insn d;

		for (unsigned k = 0; k < sizeof(buf); k++)
			buf[k] = (uint8_t)xorshift64(&seed);
		enum mmio_cpu_mode mode = (enum mmio_cpu_mode)(xorshift64(&seed) % 3);
		unsigned avail = (it & 1) ? 15 : (unsigned)(xorshift64(&seed) % 16);
		memset(&d, 0, sizeof(d));
		int r = mmio_decode(buf, avail, mode, &d);
		check_fuzz_result(buf, mode, avail, r, &d, it);
		ok += r == MMIO_DECODE_OK;
	}
	/* Random bytes hit a supported opcode now and then (7 of 256 first bytes, plus prefixes). */
	ATF_REQUIRE_MSG(ok > 1000, "only %u random buffers decoded", ok);
}

ATF_TC(fuzz_structured);
ATF_TC_HEAD(fuzz_structured, tc)
{
	atf_tc_set_md_var(tc, "descr", "200000 random prefix/opcode/ModRM mixes keep the invariants");
}
ATF_TC_BODY(fuzz_structured, tc)
{
	static const uint8_t prefixes[] = { 0x66, 0x67, 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0xf2, 0xf3, 0xf0,
					    0x40, 0x41, 0x44, 0x48, 0x4c, 0x4f };
	static const uint8_t opcodes[] = { 0x88, 0x89, 0x8a, 0x8b, 0xc6, 0xc7, 0xa0, 0xa1, 0xa2, 0xa3, 0x0f };
	static const uint8_t second[] = { 0xb6, 0xb7, 0xbe, 0xbf, 0x05, 0xb8 };
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	unsigned ok = 0;

	for (unsigned it = 0; it < FUZZ_ROUNDS; it++) {
		uint8_t buf[15];
		unsigned n = 0;
		unsigned npref = (unsigned)(xorshift64(&seed) % 6);

		for (unsigned k = 0; k < npref; k++)
			buf[n++] = prefixes[xorshift64(&seed) % sizeof(prefixes)];
		buf[n] = opcodes[xorshift64(&seed) % sizeof(opcodes)];
		if (buf[n++] == 0x0f)
			buf[n++] = second[xorshift64(&seed) % sizeof(second)];
		while (n < sizeof(buf))
			buf[n++] = (uint8_t)xorshift64(&seed);

		enum mmio_cpu_mode mode = (enum mmio_cpu_mode)(xorshift64(&seed) % 3);
		struct mmio_insn d;
		memset(&d, 0, sizeof(d));
		int r = mmio_decode(buf, 15, mode, &d);
		check_fuzz_result(buf, mode, 15, r, &d, it);
		ok += r == MMIO_DECODE_OK;
	}
	ATF_REQUIRE_MSG(ok > FUZZ_ROUNDS / 4, "only %u structured buffers decoded", ok);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, encodings);
	ATF_TP_ADD_TC(tp, truncation);
	ATF_TP_ADD_TC(tp, unsupported);
	ATF_TP_ADD_TC(tp, operand_semantics);
	ATF_TP_ADD_TC(tp, operand_offset);
	ATF_TP_ADD_TC(tp, fuzz_random);
	ATF_TP_ADD_TC(tp, fuzz_structured);
	return atf_no_error();
}
