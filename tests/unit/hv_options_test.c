/* The hypervisor's own command line (contract section 1). */
#include <atf-c.h>
#include <string.h>
#include "hv_options.h"

static int parse(const char *cmdline, struct hv_options *o, char *bad)
{
	return hv_options_parse(cmdline, o, bad, 64);
}

ATF_TC_WITHOUT_HEAD(default_ram);
ATF_TC_BODY(default_ram, tc)
{
	struct hv_options o;
	char bad[64];
	ATF_REQUIRE_EQ(parse("", &o, bad), 0);
	ATF_CHECK_EQ(o.guest_ram, 64ull << 20);
	ATF_REQUIRE_EQ(parse("   ", &o, bad), 0);
	ATF_CHECK_EQ(o.guest_ram, 64ull << 20);
}

ATF_TC_WITHOUT_HEAD(mem_suffixes);
ATF_TC_BODY(mem_suffixes, tc)
{
	struct hv_options o;
	char bad[64];
	ATF_REQUIRE_EQ(parse("mem=16M", &o, bad), 0);
	ATF_CHECK_EQ(o.guest_ram, 16ull << 20);
	ATF_REQUIRE_EQ(parse("mem=1G", &o, bad), 0);
	ATF_CHECK_EQ(o.guest_ram, 1ull << 30);
	ATF_REQUIRE_EQ(parse("mem=8192k", &o, bad), 0);
	ATF_CHECK_EQ(o.guest_ram, 8ull << 20);
	ATF_REQUIRE_EQ(parse("mem=4194304", &o, bad), 0);
	ATF_CHECK_EQ(o.guest_ram, 4ull << 20);
	ATF_REQUIRE_EQ(parse(" mem=8M  mem=32M ", &o, bad), 0);   /* the last one wins */
	ATF_CHECK_EQ(o.guest_ram, 32ull << 20);
}

ATF_TC_WITHOUT_HEAD(refusals_name_the_option);
ATF_TC_BODY(refusals_name_the_option, tc)
{
	static const char *const bad_lines[][2] = {
		{ "mem=3M", "mem=3M" },             /* not a multiple of 2 MiB */
		{ "mem=2M", "mem=2M" },             /* below 4 MiB */
		{ "mem=2G", "mem=2G" },             /* above 1 GiB */
		{ "mem=", "mem=" },
		{ "mem=12Q", "mem=12Q" },
		{ "mem=99999999999999999999M", "mem=99999999999999999999M" },
		{ "mem=16M bogus=1", "bogus=1" },
		{ "MEM=16M", "MEM=16M" },
	};
	for (unsigned i = 0; i < sizeof bad_lines / sizeof bad_lines[0]; i++) {
		struct hv_options o;
		char bad[64] = "";
		ATF_CHECK_EQ_MSG(parse(bad_lines[i][0], &o, bad), -1, "accepted '%s'", bad_lines[i][0]);
		ATF_CHECK_STREQ(bad, bad_lines[i][1]);
	}
}

ATF_TC_WITHOUT_HEAD(inject_options);
ATF_TC_BODY(inject_options, tc)
{
	struct hv_options o;
	char bad[64];
	ATF_REQUIRE_EQ(parse("mem=8M", &o, bad), 0);
	ATF_CHECK_EQ(o.inject, HV_INJECT_NONE);
	ATF_REQUIRE_EQ(parse("inject=bad-guest-state mem=8M", &o, bad), 0);
	ATF_CHECK_EQ(o.inject, HV_INJECT_BAD_GUEST_STATE);
	ATF_CHECK_EQ(o.guest_ram, 8ull << 20);
	ATF_REQUIRE_EQ(parse("inject=bad-controls", &o, bad), 0);
	ATF_CHECK_EQ(o.inject, HV_INJECT_BAD_CONTROLS);
	ATF_CHECK_EQ(parse("inject=bad-controlsX", &o, bad), -1);
	ATF_CHECK_STREQ(bad, "inject=bad-controlsX");
}

ATF_TC_WITHOUT_HEAD(apic_option);
ATF_TC_BODY(apic_option, tc)
{
	struct hv_options o;
	char bad[64];
	ATF_REQUIRE_EQ(parse("mem=8M", &o, bad), 0);
	ATF_CHECK(!o.apic);
	ATF_REQUIRE_EQ(parse("apic=x2apic mem=8M", &o, bad), 0);
	ATF_CHECK(o.apic);
	ATF_REQUIRE_EQ(parse("apic=x2apic apic=none", &o, bad), 0);
	ATF_CHECK(!o.apic);
	ATF_CHECK_EQ(parse("apic=xapic", &o, bad), -1);
	ATF_CHECK_STREQ(bad, "apic=xapic");
	ATF_CHECK_EQ(parse("apic", &o, bad), -1);
}

ATF_TC_WITHOUT_HEAD(platform_option);
ATF_TC_BODY(platform_option, tc)
{
	struct hv_options o;
	char bad[64];
	ATF_REQUIRE_EQ(parse("mem=8M", &o, bad), 0);
	ATF_CHECK(!o.platform_pc);
	ATF_REQUIRE_EQ(parse("platform=pc mem=8M", &o, bad), 0);
	ATF_CHECK(o.platform_pc);
	ATF_REQUIRE_EQ(parse("platform=pc platform=none apic=x2apic", &o, bad), 0);
	ATF_CHECK(!o.platform_pc);
	/* One interrupt controller: the 8259A pair or the x2APIC. */
	ATF_CHECK_EQ(parse("platform=pc apic=x2apic", &o, bad), -1);
	ATF_CHECK_STREQ(bad, "platform=pc");
	ATF_CHECK_EQ(parse("apic=x2apic mem=8M platform=pc", &o, bad), -1);
	ATF_CHECK_STREQ(bad, "platform=pc");
	ATF_CHECK_EQ(parse("platform=isa", &o, bad), -1);
	ATF_CHECK_STREQ(bad, "platform=isa");
}

ATF_TC_WITHOUT_HEAD(intercept_option);
ATF_TC_BODY(intercept_option, tc)
{
	struct hv_options o;
	char bad[64];
	ATF_REQUIRE_EQ(parse("mem=8M", &o, bad), 0);
	ATF_CHECK(!o.intercept_pf);
	ATF_REQUIRE_EQ(parse("intercept=pf apic=x2apic", &o, bad), 0);
	ATF_CHECK(o.intercept_pf);
	ATF_REQUIRE_EQ(parse("intercept=pf intercept=none", &o, bad), 0);
	ATF_CHECK(!o.intercept_pf);
	ATF_CHECK_EQ(parse("intercept=gp", &o, bad), -1);
	ATF_CHECK_STREQ(bad, "intercept=gp");
	ATF_CHECK_EQ(parse("intercept=", &o, bad), -1);
}

ATF_TC_WITHOUT_HEAD(long_option_truncated);
ATF_TC_BODY(long_option_truncated, tc)
{
	struct hv_options o;
	char bad[8];
	ATF_REQUIRE_EQ(hv_options_parse("averyveryverylongoption", &o, bad, sizeof bad), -1);
	ATF_CHECK_STREQ(bad, "averyve");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, default_ram);
	ATF_TP_ADD_TC(tp, mem_suffixes);
	ATF_TP_ADD_TC(tp, refusals_name_the_option);
	ATF_TP_ADD_TC(tp, inject_options);
	ATF_TP_ADD_TC(tp, apic_option);
	ATF_TP_ADD_TC(tp, platform_option);
	ATF_TP_ADD_TC(tp, intercept_option);
	ATF_TP_ADD_TC(tp, long_option_truncated);
	return atf_no_error();
}
