/* The freestanding string functions of reference/lib/hv_string.c, against
 * the C standard's definitions (C11 7.24) and libc as the oracle. The
 * module's symbols carry an hv_test_ prefix here (tests/unit/hv_string.mk). */
#include <atf-c.h>
#include <stdint.h>
#include <string.h>

void *hv_test_memcpy(void *dst, const void *src, size_t n);
void *hv_test_memset(void *dst, int c, size_t n);
void *hv_test_memmove(void *dst, const void *src, size_t n);
int hv_test_memcmp(const void *a, const void *b, size_t n);
size_t hv_test_strlen(const char *s);

#define GUARD 0x5a
#define BUF 96

static void fill_pattern(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 7 + 1);
}

ATF_TC_WITHOUT_HEAD(memcpy_copies_only_n);
ATF_TC_BODY(memcpy_copies_only_n, tc)
{
	uint8_t src[BUF], dst[BUF];
	fill_pattern(src, sizeof src);
	for (size_t n = 0; n < 40; n++) {
		memset(dst, GUARD, sizeof dst);
		ATF_REQUIRE(hv_test_memcpy(dst + 3, src, n) == dst + 3);
		ATF_REQUIRE_EQ(memcmp(dst + 3, src, n), 0);
		for (size_t i = 0; i < sizeof dst; i++)
			if (i < 3 || i >= 3 + n)
				ATF_REQUIRE_EQ_MSG(dst[i], GUARD, "n=%zu: byte %zu outside the copy changed", n, i);
	}
}

/* Both paths: whole aligned words (rep stosq) and bytes (an unaligned
 * start or a length that is not a multiple of the word). */
ATF_TC_WITHOUT_HEAD(memset_words_and_bytes);
ATF_TC_BODY(memset_words_and_bytes, tc)
{
	static uint64_t store[BUF / 8];
	uint8_t *buf = (uint8_t *)store;
	const struct { size_t off, n; int c; } runs[] = {
		{ 0, 64, 0x11 },      /* aligned, whole words */
		{ 8, 8, 0x1ff },      /* one word; c converts to unsigned char 0xff */
		{ 0, 13, 0x22 },      /* aligned start, odd length */
		{ 5, 16, 0x33 },      /* unaligned start */
		{ 3, 0, 0x44 },       /* nothing */
	};
	for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
		memset(buf, GUARD, BUF);
		ATF_REQUIRE(hv_test_memset(buf + runs[r].off, runs[r].c, runs[r].n) == buf + runs[r].off);
		for (size_t i = 0; i < BUF; i++) {
			int inside = i >= runs[r].off && i < runs[r].off + runs[r].n;
			ATF_REQUIRE_EQ_MSG(buf[i], inside ? (uint8_t)runs[r].c : GUARD,
					   "run %zu: byte %zu", r, i);
		}
	}
}

/* Overlap in both directions and none; libc's memmove is the oracle. */
ATF_TC_WITHOUT_HEAD(memmove_overlaps);
ATF_TC_BODY(memmove_overlaps, tc)
{
	const struct { size_t dst, src, n; } moves[] = {
		{ 10, 0, 40 },   /* destination above the source, overlapping: copied backwards */
		{ 0, 10, 40 },   /* destination below, overlapping */
		{ 50, 0, 40 },   /* apart */
		{ 20, 20, 30 },  /* onto itself */
		{ 1, 0, 1 },     /* adjacent, one byte */
	};
	for (size_t m = 0; m < sizeof moves / sizeof moves[0]; m++) {
		uint8_t ours[BUF], want[BUF];
		fill_pattern(ours, BUF);
		fill_pattern(want, BUF);
		memmove(want + moves[m].dst, want + moves[m].src, moves[m].n);
		ATF_REQUIRE(hv_test_memmove(ours + moves[m].dst, ours + moves[m].src, moves[m].n) ==
			    ours + moves[m].dst);
		ATF_REQUIRE_EQ_MSG(memcmp(ours, want, BUF), 0, "move %zu differs from libc's", m);
	}
}

ATF_TC_WITHOUT_HEAD(memcmp_order);
ATF_TC_BODY(memcmp_order, tc)
{
	const uint8_t a[] = { 1, 2, 3, 0x80 }, b[] = { 1, 2, 3, 0x01 }, c[] = { 1, 9, 0, 0 };
	ATF_CHECK_EQ(hv_test_memcmp(a, a, sizeof a), 0);
	ATF_CHECK_EQ(hv_test_memcmp(a, b, 3), 0);
	ATF_CHECK(hv_test_memcmp(a, b, 4) > 0);   /* bytes compare as unsigned char */
	ATF_CHECK(hv_test_memcmp(b, a, 4) < 0);
	ATF_CHECK(hv_test_memcmp(a, c, 4) < 0);   /* the first difference decides */
	ATF_CHECK_EQ(hv_test_memcmp(a, c, 0), 0);
}

ATF_TC_WITHOUT_HEAD(strlen_counts_to_nul);
ATF_TC_BODY(strlen_counts_to_nul, tc)
{
	const char s[] = "hvspec\0after";
	ATF_CHECK_EQ(hv_test_strlen(""), 0);
	ATF_CHECK_EQ(hv_test_strlen(s), 6);
	ATF_CHECK_EQ(hv_test_strlen(s + 7), 5);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, memcpy_copies_only_n);
	ATF_TP_ADD_TC(tp, memset_words_and_bytes);
	ATF_TP_ADD_TC(tp, memmove_overlaps);
	ATF_TP_ADD_TC(tp, memcmp_order);
	ATF_TP_ADD_TC(tp, strlen_counts_to_nul);
	return atf_no_error();
}
