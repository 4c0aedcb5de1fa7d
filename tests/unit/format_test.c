/* The hypervisor's formatter against the host's printf for the same
 * conversions (the host libc is the independent oracle here). */
#include <atf-c.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "format.h"

#define CHECK_LIKE_PRINTF(...) do { \
	char ours[128], libc[128]; \
	format(ours, sizeof ours, __VA_ARGS__); \
	snprintf(libc, sizeof libc, __VA_ARGS__); \
	ATF_CHECK_STREQ(ours, libc); \
} while (0)

ATF_TC_WITHOUT_HEAD(conversions);
ATF_TC_BODY(conversions, tc)
{
	CHECK_LIKE_PRINTF("%d %d %d", 0, -1, 2147483647);
	CHECK_LIKE_PRINTF("%u %x", 4294967295u, 0xdeadbeefu);
	CHECK_LIKE_PRINTF("%lx %lu %ld", (unsigned long)0xcafe0000ffffULL, 18446744073709551615UL, -9223372036854775807L - 1);
	CHECK_LIKE_PRINTF("%016lx|%8x|%08x|%2x", 0x1234UL, 0xabu, 0xabu, 0x1234u);
	CHECK_LIKE_PRINTF("%s=%c%%", "key", 'v');
	CHECK_LIKE_PRINTF("%zu", (size_t)12345);
}

ATF_TC_WITHOUT_HEAD(truncation);
ATF_TC_BODY(truncation, tc)
{
	char buf[6];
	size_t n = format(buf, sizeof buf, "%s", "hello world");
	ATF_CHECK_EQ(n, 5);
	ATF_CHECK_STREQ(buf, "hello");
	ATF_CHECK_EQ(format(buf, 1, "abc"), 0);
	ATF_CHECK_STREQ(buf, "");
}

ATF_TC_WITHOUT_HEAD(null_string);
ATF_TC_BODY(null_string, tc)
{
	char buf[16];
	const char *volatile nothing = NULL;   /* hidden from the format checker */
	format(buf, sizeof buf, "%s", nothing);
	ATF_CHECK_STREQ(buf, "(null)");
}

ATF_TC_WITHOUT_HEAD(pointer);
ATF_TC_BODY(pointer, tc)
{
	CHECK_LIKE_PRINTF("%p", (void *)0x1234);
	CHECK_LIKE_PRINTF("at %p.", (void *)(uintptr_t)0xffff800000001000ull);
}

/* A conversion the formatter does not know is shown as written, and a lone
 * % at the end of the format stops there without reading past the NUL.
 * The formats are hidden from the compiler format checker on purpose. */
ATF_TC_WITHOUT_HEAD(unknown_conversion);
ATF_TC_BODY(unknown_conversion, tc)
{
	char buf[32];
	const char *volatile unknown = "a%qb%d";
	const char *volatile trailing = "end%";
	format(buf, sizeof buf, unknown, 7);
	ATF_CHECK_STREQ(buf, "a%qb7");
	ATF_CHECK_EQ(format(buf, sizeof buf, trailing, 0), 4);
	ATF_CHECK_STREQ(buf, "end%");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, conversions);
	ATF_TP_ADD_TC(tp, truncation);
	ATF_TP_ADD_TC(tp, null_string);
	ATF_TP_ADD_TC(tp, pointer);
	ATF_TP_ADD_TC(tp, unknown_conversion);
	return atf_no_error();
}
