/* Host tests of the probes' command-line reader
 * (guest-probes/runtime/cmdline.c). */
#include <atf-c.h>
#include "cmdline.h"

ATF_TC_WITHOUT_HEAD(find_words);
ATF_TC_BODY(find_words, tc)
{
	const char *v;
	size_t len;
	ATF_CHECK(cmdline_find("a=1  mode=write_hlt b=2", "mode", &v, &len));
	ATF_CHECK_EQ(len, 9);
	ATF_CHECK(!cmdline_find("xmode=1", "mode", &v, &len));
	ATF_CHECK(!cmdline_find(NULL, "mode", &v, &len));
}

ATF_TC_WITHOUT_HEAD(numbers);
ATF_TC_BODY(numbers, tc)
{
	uint64_t n;
	ATF_CHECK(cmdline_u64("seed=0x10 n=42", "seed", &n) && n == 16);
	ATF_CHECK(cmdline_u64("n=18446744073709551615", "n", &n) && n == UINT64_MAX);
	ATF_CHECK(!cmdline_u64("n=18446744073709551616", "n", &n));
	ATF_CHECK(!cmdline_u64("n=12x", "n", &n));
	ATF_CHECK(!cmdline_u64("n=", "n", &n));
}

ATF_TC_WITHOUT_HEAD(copy_cuts);
ATF_TC_BODY(copy_cuts, tc)
{
	char buf[4];
	cmdline_copy("mode=abcdef", "mode", buf, sizeof buf);
	ATF_CHECK_STREQ(buf, "abc");
	cmdline_copy("other=1", "mode", buf, sizeof buf);
	ATF_CHECK_STREQ(buf, "");
}

ATF_TC_WITHOUT_HEAD(is_whole_value);
ATF_TC_BODY(is_whole_value, tc)
{
	ATF_CHECK(cmdline_is("x=1 mode=write", "mode", "write"));
	ATF_CHECK(!cmdline_is("mode=write_hlt", "mode", "write"));   /* a prefix is not the value */
	ATF_CHECK(!cmdline_is("mode=wr", "mode", "write"));
	ATF_CHECK(cmdline_is("x=1", "mode", ""));                    /* absent is "" */
	ATF_CHECK(cmdline_is("mode=", "mode", ""));
	ATF_CHECK(!cmdline_is("x=1", "mode", "all"));
	ATF_CHECK(cmdline_is(NULL, "mode", ""));
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, find_words);
	ATF_TP_ADD_TC(tp, numbers);
	ATF_TP_ADD_TC(tp, copy_cuts);
	ATF_TP_ADD_TC(tp, is_whole_value);
	return atf_no_error();
}
