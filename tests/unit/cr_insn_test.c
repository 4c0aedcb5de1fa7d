/* Unit tests of cr_insn: encodings written out from the Intel SDM vol. 2
 * (MOV CR 0F 22 /r, CLTS 0F 06, LMSW 0F 01 /6; 2.1.5 ModRM/SIB, 2.2.1
 * REX and RIP-relative) and AMD APM vol. 3 (LOCK MOV CR0 = MOV CR8). */
#include <atf-c.h>
#include <stdint.h>

#include "cr_insn.h"
#include "io_exit.h"

ATF_TC_WITHOUT_HEAD(mov_to_cr_registers);
ATF_TC_BODY(mov_to_cr_registers, tc)
{
	struct cr_insn in;
	const uint8_t rax_cr0[] = { 0x0F, 0x22, 0xC0 };          /* mov %rax,%cr0 */
	ATF_REQUIRE(cr_insn_decode(rax_cr0, sizeof rax_cr0, 64, &in));
	ATF_CHECK_EQ(in.kind, CR_INSN_MOV_TO_CR);
	ATF_CHECK_EQ(in.cr, 0);
	ATF_CHECK_EQ(in.gpr, GPR_RAX);
	ATF_CHECK_EQ(in.length, 3);
	const uint8_t r15_cr4[] = { 0x41, 0x0F, 0x22, 0xE7 };    /* mov %r15,%cr4 */
	ATF_REQUIRE(cr_insn_decode(r15_cr4, sizeof r15_cr4, 64, &in));
	ATF_CHECK_EQ(in.cr, 4);
	ATF_CHECK_EQ(in.gpr, GPR_R15);
	ATF_CHECK_EQ(in.length, 4);
	const uint8_t esp_cr3[] = { 0x0F, 0x22, 0xDC };          /* mov %esp,%cr3 */
	ATF_REQUIRE(cr_insn_decode(esp_cr3, sizeof esp_cr3, 32, &in));
	ATF_CHECK_EQ(in.cr, 3);
	ATF_CHECK_EQ(in.gpr, GPR_RSP);
	const uint8_t rex_r_cr8[] = { 0x44, 0x0F, 0x22, 0xC0 };  /* mov %rax,%cr8 */
	ATF_REQUIRE(cr_insn_decode(rex_r_cr8, sizeof rex_r_cr8, 64, &in));
	ATF_CHECK_EQ(in.cr, 8);
	const uint8_t lock_cr8[] = { 0xF0, 0x0F, 0x22, 0xC1 };   /* AMD: lock mov %ecx,%cr0 = cr8 */
	ATF_REQUIRE(cr_insn_decode(lock_cr8, sizeof lock_cr8, 32, &in));
	ATF_CHECK_EQ(in.cr, 8);
	ATF_CHECK_EQ(in.gpr, GPR_RCX);
	ATF_CHECK_EQ(in.length, 4);
	const uint8_t cr8_r9[] = { 0x45, 0x0F, 0x20, 0xC1 };     /* mov %cr8,%r9 */
	ATF_REQUIRE(cr_insn_decode(cr8_r9, sizeof cr8_r9, 64, &in));
	ATF_CHECK_EQ(in.kind, CR_INSN_MOV_FROM_CR);
	ATF_CHECK_EQ(in.cr, 8);
	ATF_CHECK_EQ(in.gpr, GPR_R9);
	const uint8_t rex_in_32[] = { 0x41, 0x0F, 0x22, 0xC0 };  /* 32-bit: 41h is INC ECX */
	ATF_CHECK(!cr_insn_decode(rex_in_32, sizeof rex_in_32, 32, &in));
}

ATF_TC_WITHOUT_HEAD(clts_and_lmsw);
ATF_TC_BODY(clts_and_lmsw, tc)
{
	struct cr_insn in;
	const uint8_t clts[] = { 0x0F, 0x06 };
	ATF_REQUIRE(cr_insn_decode(clts, sizeof clts, 64, &in));
	ATF_CHECK_EQ(in.kind, CR_INSN_CLTS);
	ATF_CHECK_EQ(in.length, 2);
	const uint8_t lmsw_ax[] = { 0x0F, 0x01, 0xF0 };          /* lmsw %ax */
	ATF_REQUIRE(cr_insn_decode(lmsw_ax, sizeof lmsw_ax, 64, &in));
	ATF_CHECK_EQ(in.kind, CR_INSN_LMSW);
	ATF_CHECK(!in.lmsw_memory);
	ATF_CHECK_EQ(in.gpr, GPR_RAX);
	ATF_CHECK_EQ(in.length, 3);
	const uint8_t smsw[] = { 0x0F, 0x01, 0xE0 };             /* smsw %eax: /4, not ours */
	ATF_CHECK(!cr_insn_decode(smsw, sizeof smsw, 64, &in));
	const uint8_t truncated[] = { 0x0F, 0x01 };
	ATF_CHECK(!cr_insn_decode(truncated, sizeof truncated, 64, &in));
}

ATF_TC_WITHOUT_HEAD(lmsw_memory_operands);
ATF_TC_BODY(lmsw_memory_operands, tc)
{
	struct cr_insn in;
	struct guest_regs r = { { 0 } };
	r.gpr[GPR_RBX] = 0x1000;
	r.gpr[GPR_RSI] = 0x10;
	r.gpr[GPR_RBP] = 0x2000;
	const uint8_t rip_rel[] = { 0x0F, 0x01, 0x35, 0x10, 0x00, 0x00, 0x00 };   /* lmsw 0x10(%rip) */
	ATF_REQUIRE(cr_insn_decode(rip_rel, sizeof rip_rel, 64, &in));
	ATF_CHECK(in.lmsw_memory);
	ATF_CHECK_EQ(in.length, 7);
	ATF_CHECK_EQ(cr_insn_offset(&in.mem, &r, 0x5007), 0x5017ull);
	const uint8_t sib[] = { 0x0F, 0x01, 0x74, 0xB3, 0xF8 };  /* lmsw -8(%rbx,%rsi,4) */
	ATF_REQUIRE(cr_insn_decode(sib, sizeof sib, 64, &in));
	ATF_CHECK_EQ(in.length, 5);
	ATF_CHECK_EQ(cr_insn_offset(&in.mem, &r, 0), 0x1000ull + 0x40 - 8);
	ATF_CHECK_EQ(in.mem.segment, SEGMENT_DS);
	const uint8_t ebp[] = { 0x0F, 0x01, 0x75, 0x04 };        /* 32-bit: lmsw 4(%ebp), SS */
	ATF_REQUIRE(cr_insn_decode(ebp, sizeof ebp, 32, &in));
	ATF_CHECK_EQ(in.mem.segment, SEGMENT_SS);
	ATF_CHECK_EQ(cr_insn_offset(&in.mem, &r, 0), 0x2004ull);
	const uint8_t fs_abs[] = { 0x64, 0x0F, 0x01, 0x35, 0x00, 0x30, 0x00, 0x00 };   /* lmsw %fs:0x3000 */
	ATF_REQUIRE(cr_insn_decode(fs_abs, sizeof fs_abs, 32, &in));
	ATF_CHECK_EQ(in.mem.segment, SEGMENT_FS);
	ATF_CHECK_EQ(cr_insn_offset(&in.mem, &r, 0), 0x3000ull);
	/* 16-bit addressing (SDM vol. 2A Table 2-1): offsets wrap at 64 KiB. */
	struct guest_regs r16 = { { 0 } };
	r16.gpr[GPR_RBX] = 0x12345;
	r16.gpr[GPR_RBP] = 0x10;
	r16.gpr[GPR_RSI] = 0xFFFF;
	const uint8_t bx[] = { 0x67, 0x0F, 0x01, 0x37 };         /* 32-bit code: addr16 lmsw (%bx) */
	ATF_REQUIRE(cr_insn_decode(bx, sizeof bx, 32, &in));
	ATF_CHECK_EQ(in.length, 4);
	ATF_CHECK(in.lmsw_memory);
	ATF_CHECK_EQ(in.mem.addr_bits, 16);
	ATF_CHECK_EQ(in.mem.segment, SEGMENT_DS);
	ATF_CHECK_EQ(cr_insn_offset(&in.mem, &r16, 0), 0x2345ull);
	const uint8_t bp_si[] = { 0x67, 0x0F, 0x01, 0x72, 0xFE }; /* addr16 lmsw -2(%bp,%si): SS, wraps */
	ATF_REQUIRE(cr_insn_decode(bp_si, sizeof bp_si, 32, &in));
	ATF_CHECK_EQ(in.length, 5);
	ATF_CHECK_EQ(in.mem.segment, SEGMENT_SS);
	ATF_CHECK_EQ(cr_insn_offset(&in.mem, &r16, 0), 0xDull);
	const uint8_t disp16[] = { 0x0F, 0x01, 0x36, 0x34, 0x92 }; /* 16-bit code: lmsw 0x9234 */
	ATF_REQUIRE(cr_insn_decode(disp16, sizeof disp16, 16, &in));
	ATF_CHECK_EQ(in.length, 5);
	ATF_CHECK_EQ(cr_insn_offset(&in.mem, &r16, 0), 0x9234ull);
	const uint8_t di_disp16[] = { 0x0F, 0x01, 0xB5, 0x00, 0x80 }; /* 16-bit code: lmsw -0x8000(%di) */
	ATF_REQUIRE(cr_insn_decode(di_disp16, sizeof di_disp16, 16, &in));
	ATF_CHECK_EQ(cr_insn_offset(&in.mem, &r16, 0), 0x8000ull);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, mov_to_cr_registers);
	ATF_TP_ADD_TC(tp, clts_and_lmsw);
	ATF_TP_ADD_TC(tp, lmsw_memory_operands);
	return atf_no_error();
}
