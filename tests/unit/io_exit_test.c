/* Unit tests of io_exit: qualifications are assembled from the bit layout
 * of SDM vol. 3 Table 28-5 and Table 28-8, written out here. */
#include <atf-c.h>
#include <stdint.h>
#include <string.h>

#include "io_exit.h"

static uint64_t qualification(unsigned size_enc, bool in, bool string, bool rep,
			      bool imm, uint16_t port)
{
	return size_enc | (uint64_t)in << 3 | (uint64_t)string << 4 |
	       (uint64_t)rep << 5 | (uint64_t)imm << 6 | (uint64_t)port << 16;
}

static uint32_t insn_info(unsigned addr_size_enc, unsigned segment)
{
	return addr_size_enc << 7 | segment << 15;
}

ATF_TC_WITHOUT_HEAD(every_combination);
ATF_TC_BODY(every_combination, tc)
{
	const int width_of[8] = { 1, 2, -1, 4, -1, -1, -1, -1 };
	uint16_t port = 0x1;
	for (unsigned size = 0; size < 8; size++)
	for (unsigned bits = 0; bits < 16; bits++) {
		bool in = bits & 1, string = bits & 2, rep = bits & 4, imm = bits & 8;
		port = (uint16_t)(port * 5 + 0x3b1); /* vary every port bit */
		uint64_t q = qualification(size, in, string, rep, imm, port);
		struct io_exit io;
		memset(&io, 0xa5, sizeof(io));
		int rc = io_exit_decode(q, insn_info(1, 3), &io);
		if (width_of[size] < 0) {
			ATF_CHECK_EQ_MSG(rc, -1, "size encoding %u accepted", size);
			continue;
		}
		ATF_REQUIRE_EQ_MSG(rc, 0, "qualification 0x%llx", (unsigned long long)q);
		ATF_CHECK_EQ(io.width, width_of[size]);
		ATF_CHECK_EQ(io.port, port);
		ATF_CHECK_EQ(io.in, in);
		ATF_CHECK_EQ(io.string, string);
		ATF_CHECK_EQ(io.rep, rep);
		ATF_CHECK_EQ(io.imm_operand, imm);
		if (string) {
			ATF_CHECK_EQ(io.addr_bits, 32);
			ATF_CHECK_EQ(io.segment, in ? SEGMENT_ES : SEGMENT_DS);
		} else {
			ATF_CHECK_EQ(io.addr_bits, 0);
			ATF_CHECK_EQ(io.segment, 0);
		}
	}
}

ATF_TC_WITHOUT_HEAD(port_extremes);
ATF_TC_BODY(port_extremes, tc)
{
	struct io_exit io;
	ATF_REQUIRE_EQ(io_exit_decode(qualification(0, true, false, false, false, 0xffff), 0, &io), 0);
	ATF_CHECK_EQ(io.port, 0xffff);
	/* Bits 15:7 and 63:32 are not part of any field. */
	uint64_t q = qualification(3, false, false, false, true, 0xbb) | 0xff80 |
		     0xffffffff00000000ull;
	ATF_REQUIRE_EQ(io_exit_decode(q, 0, &io), 0);
	ATF_CHECK_EQ(io.port, 0xbb);
	ATF_CHECK_EQ(io.width, 4);
	ATF_CHECK(!io.in);
	ATF_CHECK(io.imm_operand);
}

ATF_TC_WITHOUT_HEAD(string_address_size);
ATF_TC_BODY(string_address_size, tc)
{
	const int bits_of[8] = { 16, 32, 64, -1, -1, -1, -1, -1 };
	for (unsigned in = 0; in < 2; in++)
	for (unsigned asz = 0; asz < 8; asz++) {
		struct io_exit io;
		uint64_t q = qualification(0, in, true, true, false, 0x3f8);
		int rc = io_exit_decode(q, insn_info(asz, 0), &io);
		if (bits_of[asz] < 0) {
			ATF_CHECK_EQ_MSG(rc, -1, "address size %u accepted", asz);
		} else {
			ATF_CHECK_EQ(rc, 0);
			ATF_CHECK_EQ(io.addr_bits, bits_of[asz]);
		}
	}
	/* Non-string exits ignore the instruction information. */
	struct io_exit io;
	ATF_CHECK_EQ(io_exit_decode(qualification(1, true, false, false, false, 0x60),
				    0xffffffffu, &io), 0);
	ATF_CHECK_EQ(io.addr_bits, 0);
}

ATF_TC_WITHOUT_HEAD(string_segment);
ATF_TC_BODY(string_segment, tc)
{
	/* Table 28-8: 0 ES, 1 CS, 2 SS, 3 DS, 4 FS, 5 GS; 6 and 7 undefined. */
	for (unsigned seg = 0; seg < 8; seg++) {
		struct io_exit io;
		uint64_t outs = qualification(0, false, true, false, false, 0x3f8);
		int rc = io_exit_decode(outs, insn_info(2, seg), &io);
		if (seg > 5) {
			ATF_CHECK_EQ_MSG(rc, -1, "OUTS segment %u accepted", seg);
		} else {
			ATF_CHECK_EQ(rc, 0);
			ATF_CHECK_EQ(io.segment, seg);
		}
		/* INS always stores through ES; the field is undefined. */
		uint64_t ins = qualification(0, true, true, false, false, 0x3f8);
		ATF_CHECK_EQ(io_exit_decode(ins, insn_info(2, seg), &io), 0);
		ATF_CHECK_EQ(io.segment, SEGMENT_ES);
	}
	ATF_CHECK_EQ(SEGMENT_ES, 0);
	ATF_CHECK_EQ(SEGMENT_CS, 1);
	ATF_CHECK_EQ(SEGMENT_SS, 2);
	ATF_CHECK_EQ(SEGMENT_DS, 3);
	ATF_CHECK_EQ(SEGMENT_FS, 4);
	ATF_CHECK_EQ(SEGMENT_GS, 5);
}

ATF_TC_WITHOUT_HEAD(reserved_zeroes_output);
ATF_TC_BODY(reserved_zeroes_output, tc)
{
	struct io_exit io, zero;
	memset(&io, 0xa5, sizeof(io));
	memset(&zero, 0, sizeof(zero));
	ATF_CHECK_EQ(io_exit_decode(qualification(2, true, false, false, false, 0x80), 0, &io), -1);
	ATF_CHECK(memcmp(&io, &zero, sizeof(io)) == 0);
}

ATF_TC_WITHOUT_HEAD(kev_names);
ATF_TC_BODY(kev_names, tc)
{
	/* Contract section 6, logging port 0x3. */
	const struct { unsigned size_enc; bool in; const char *name; } cases[] = {
		{ 0, true, "InbAl" }, { 1, true, "InwAx" }, { 3, true, "IndEax" },
		{ 0, false, "OutbAl" }, { 1, false, "OutwAx" }, { 3, false, "OutdEax" },
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct io_exit io;
		ATF_REQUIRE_EQ(io_exit_decode(qualification(cases[i].size_enc, cases[i].in,
							    false, false, true, 3), 0, &io), 0);
		ATF_CHECK_STREQ(io_exit_kev_name(&io), cases[i].name);
	}
	struct io_exit bad = { .width = 3 };
	ATF_CHECK(io_exit_kev_name(&bad) == NULL);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, every_combination);
	ATF_TP_ADD_TC(tp, port_extremes);
	ATF_TP_ADD_TC(tp, string_address_size);
	ATF_TP_ADD_TC(tp, string_segment);
	ATF_TP_ADD_TC(tp, reserved_zeroes_output);
	ATF_TP_ADD_TC(tp, kev_names);
	return atf_no_error();
}
