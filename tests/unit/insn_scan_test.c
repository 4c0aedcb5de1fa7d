/* Unit tests of insn_scan: instruction bytes written out from AMD APM
 * vol. 3 (1.2 prefixes, opcodes of CPUID, RDMSR, VMMCALL, OUTS) and the
 * Intel SDM (VMCALL). */
#include <atf-c.h>
#include <stdint.h>

#include "insn_scan.h"
#include "io_exit.h"

static const uint8_t CPUID[] = { 0x0F, 0xA2 };
static const uint8_t VMCALL[] = { 0x0F, 0x01, 0xC1 };
static const uint8_t VMMCALL[] = { 0x0F, 0x01, 0xD9 };

ATF_TC_WITHOUT_HEAD(bare_opcodes);
ATF_TC_BODY(bare_opcodes, tc)
{
	const uint8_t cpuid[] = { 0x0F, 0xA2, 0x90 };
	const uint8_t vmcall[] = { 0x0F, 0x01, 0xC1, 0xCC };
	ATF_CHECK_EQ(insn_length_of(cpuid, sizeof cpuid, 32, CPUID, sizeof CPUID), 2);
	ATF_CHECK_EQ(insn_length_of(vmcall, sizeof vmcall, 64, VMCALL, sizeof VMCALL), 3);
	ATF_CHECK_EQ(insn_length_of(vmcall, sizeof vmcall, 16, VMCALL, sizeof VMCALL), 3);
}

ATF_TC_WITHOUT_HEAD(other_instruction_is_no_match);
ATF_TC_BODY(other_instruction_is_no_match, tc)
{
	const uint8_t vmmcall[] = { 0x0F, 0x01, 0xD9 };
	const uint8_t ud2[] = { 0x0F, 0x0B };
	ATF_CHECK_EQ(insn_length_of(vmmcall, sizeof vmmcall, 64, VMCALL, sizeof VMCALL), 0);
	ATF_CHECK_EQ(insn_length_of(vmmcall, sizeof vmmcall, 64, VMMCALL, sizeof VMMCALL), 3);
	ATF_CHECK_EQ(insn_length_of(ud2, sizeof ud2, 64, VMCALL, sizeof VMCALL), 0);
}

ATF_TC_WITHOUT_HEAD(truncated_bytes_are_no_match);
ATF_TC_BODY(truncated_bytes_are_no_match, tc)
{
	const uint8_t half[] = { 0x0F, 0x01 };
	ATF_CHECK_EQ(insn_length_of(half, sizeof half, 64, VMCALL, sizeof VMCALL), 0);
	ATF_CHECK_EQ(insn_length_of(half, 0, 64, VMCALL, sizeof VMCALL), 0);
}

ATF_TC_WITHOUT_HEAD(prefixes_count);
ATF_TC_BODY(prefixes_count, tc)
{
	const uint8_t rdmsr[] = { 0x66, 0x2E, 0x0F, 0x32 };
	const uint8_t rdmsr_op[] = { 0x0F, 0x32 };
	ATF_CHECK_EQ(insn_length_of(rdmsr, sizeof rdmsr, 32, rdmsr_op, sizeof rdmsr_op), 4);
	/* 48h is REX.W in 64-bit mode, DEC EAX elsewhere. */
	const uint8_t rex_cpuid[] = { 0x48, 0x0F, 0xA2 };
	ATF_CHECK_EQ(insn_length_of(rex_cpuid, sizeof rex_cpuid, 64, CPUID, sizeof CPUID), 3);
	ATF_CHECK_EQ(insn_length_of(rex_cpuid, sizeof rex_cpuid, 32, CPUID, sizeof CPUID), 0);
}

ATF_TC_WITHOUT_HEAD(longer_than_15_bytes_is_no_match);
ATF_TC_BODY(longer_than_15_bytes_is_no_match, tc)
{
	uint8_t bytes[20];
	for (unsigned i = 0; i < 14; i++)
		bytes[i] = 0x66;
	bytes[14] = 0x0F;
	bytes[15] = 0xA2;
	ATF_CHECK_EQ(insn_length_of(bytes, 16, 32, CPUID, sizeof CPUID), 0);
}

ATF_TC_WITHOUT_HEAD(string_io_segment_and_address_size);
ATF_TC_BODY(string_io_segment_and_address_size, tc)
{
	struct insn_prefixes p;
	const uint8_t outsb[] = { 0xF3, 0x6E };
	insn_scan_prefixes(outsb, sizeof outsb, 64, &p);
	ATF_CHECK_EQ(p.length, 1);
	ATF_CHECK_EQ(p.segment, SEGMENT_DS);
	ATF_CHECK(!p.address_size);
	const uint8_t fs_gs_outsb[] = { 0x64, 0xF3, 0x65, 0x67, 0x6E };
	insn_scan_prefixes(fs_gs_outsb, sizeof fs_gs_outsb, 64, &p);
	ATF_CHECK_EQ(p.length, 4);
	ATF_CHECK_EQ(p.segment, SEGMENT_GS);
	ATF_CHECK(p.address_size);
	ATF_CHECK_EQ(insn_address_bits(64, false), 64);
	ATF_CHECK_EQ(insn_address_bits(64, true), 32);
	ATF_CHECK_EQ(insn_address_bits(32, true), 16);
	ATF_CHECK_EQ(insn_address_bits(16, true), 32);
	ATF_CHECK_EQ(insn_address_bits(16, false), 16);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, bare_opcodes);
	ATF_TP_ADD_TC(tp, other_instruction_is_no_match);
	ATF_TP_ADD_TC(tp, truncated_bytes_are_no_match);
	ATF_TP_ADD_TC(tp, prefixes_count);
	ATF_TP_ADD_TC(tp, longer_than_15_bytes_is_no_match);
	ATF_TP_ADD_TC(tp, string_io_segment_and_address_size);
	return atf_no_error();
}
