/* Host tests of the disk write-back (disk_writeback.h): a whole stream is
 * applied to a copy of the image; a truncated or corrupt one is refused
 * with a reason and leaves no copy. No emulator is started. */
#include "run/disk_writeback.h"
#include "abi/disk.h"
#include "engine/engine.h"
#include "run/disk_image.h"
#include "util/fileutil.h"
#include "util/strbuf.h"

#include <atf-c.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SECTORS 4

/* A 4-sector image of zeroes and the stream that writes `fill` into the
 * listed sectors (in the order given), with correct checks. */
static void write_image(void)
{
	static char zeroes[SECTORS * DISK_SECTOR_BYTES];
	ATF_REQUIRE(write_file_atomic(DISK_IMAGE_FILE, zeroes, sizeof zeroes) == 0);
	ATF_REQUIRE(write_file_atomic(DISK_STRING_FILE, "disk", 4) == 0);
}

static void add_record(struct strbuf *sb, uint64_t lba, uint8_t fill, uint32_t *stream)
{
	uint8_t rec[8 + DISK_SECTOR_BYTES];
	for (unsigned i = 0; i < 8; i++)
		rec[i] = (uint8_t)(lba >> (8 * i));
	memset(rec + 8, fill, DISK_SECTOR_BYTES);
	*stream = disk_fnv1a32(*stream, rec, sizeof rec);
	strbuf_addf(sb, DISK_WB_PREFIX DISK_WB_SECTOR "%llu ", (unsigned long long)lba);
	for (unsigned i = 0; i < DISK_SECTOR_BYTES; i++)
		strbuf_addf(sb, "%02x", fill);
	strbuf_addf(sb, " %08x\n", disk_fnv1a32(DISK_FNV32_OFFSET, rec, sizeof rec));
}

static char *good_stream(void)
{
	struct strbuf sb = STRBUF_INIT;
	uint32_t h = DISK_FNV32_OFFSET;
	strbuf_addf(&sb, DISK_WB_PREFIX DISK_WB_BEGIN "%d\n", SECTORS);
	add_record(&sb, 1, 0xab, &h);
	add_record(&sb, 3, 0xcd, &h);
	strbuf_addf(&sb, DISK_WB_PREFIX DISK_WB_END "2 %08x\n", h);
	return strbuf_detach(&sb);
}

/* Applies text as the run's COM2 output; returns the result, err holds the reason. */
static long apply(const char *text, bool required, struct strbuf *err)
{
	write_image();
	ATF_REQUIRE(write_file_atomic(ENGINE_COM2_FILE, text, strlen(text)) == 0);
	return disk_writeback_apply(".", required, err);
}

static void check_refused(const char *text, const char *reason)
{
	struct strbuf err = STRBUF_INIT;
	ATF_CHECK_EQ_MSG(-1, apply(text, true, &err), "stream accepted; wanted: %s", reason);
	ATF_CHECK_MSG(strstr(strbuf_str(&err), reason) != NULL, "reason '%s', wanted '%s'",
		      strbuf_str(&err), reason);
	ATF_CHECK(!is_regular_file(DISK_IMAGE_OUT_FILE));
	strbuf_release(&err);
}

/* Replaces the first occurrence of from in s (same length) with to. */
static char *with(const char *s, const char *from, const char *to)
{
	char *copy = strdup(s);
	char *p = strstr(copy, from);
	ATF_REQUIRE(p && strlen(from) == strlen(to));
	memcpy(p, to, strlen(to));
	return copy;
}

ATF_TC_WITHOUT_HEAD(whole_stream_applied);
ATF_TC_BODY(whole_stream_applied, tc)
{
	char *s = good_stream();
	struct strbuf err = STRBUF_INIT;
	ATF_REQUIRE_EQ_MSG(2, apply(s, true, &err), "%s", strbuf_str(&err));
	size_t len = 0;
	char *out = read_file(DISK_IMAGE_OUT_FILE, 1 << 20, &len);
	ATF_REQUIRE(out && len == SECTORS * DISK_SECTOR_BYTES);
	ATF_CHECK_EQ(0, (uint8_t)out[0]);
	ATF_CHECK_EQ(0xab, (uint8_t)out[DISK_SECTOR_BYTES]);
	ATF_CHECK_EQ(0xab, (uint8_t)out[2 * DISK_SECTOR_BYTES - 1]);
	ATF_CHECK_EQ(0, (uint8_t)out[2 * DISK_SECTOR_BYTES]);
	ATF_CHECK_EQ(0xcd, (uint8_t)out[3 * DISK_SECTOR_BYTES]);
	free(out);
	free(s);
	strbuf_release(&err);
}

ATF_TC_WITHOUT_HEAD(empty_stream);
ATF_TC_BODY(empty_stream, tc)
{
	struct strbuf err = STRBUF_INIT;
	ATF_CHECK_EQ(0, apply("", false, &err));   /* a refused run: the copy is unchanged */
	ATF_CHECK(is_regular_file(DISK_IMAGE_OUT_FILE));
	check_refused("", "sent no write-back on COM2");
	strbuf_release(&err);
}

ATF_TC_WITHOUT_HEAD(truncated_streams_refused);
ATF_TC_BODY(truncated_streams_refused, tc)
{
	char *s = good_stream();
	char *end = strstr(s, DISK_WB_PREFIX DISK_WB_END);
	*end = '\0';
	check_refused(s, "truncated: no end line after 2 sector lines");
	end[-100] = '\0';   /* inside the second sector line */
	check_refused(s, "line 3:");
	free(s);
}

ATF_TC_WITHOUT_HEAD(corrupt_streams_refused);
ATF_TC_BODY(corrupt_streams_refused, tc)
{
	char *s = good_stream();
	char *bad = with(s, "abababab", "abababac");
	check_refused(bad, "sector 1 is corrupt");
	free(bad);
	bad = with(s, "end 2", "end 3");
	check_refused(bad, "end line says 3 sector lines, the stream has 2");
	free(bad);
	bad = with(s, "sector 3 ", "sector 9 ");
	check_refused(bad, "sector 9 is not on the disk");
	free(bad);
	bad = with(s, "sector 3 ", "sector 1 ");
	check_refused(bad, "comes after a higher or equal sector");
	free(bad);
	bad = with(s, "begin 4", "begin 5");
	check_refused(bad, "begin says 5 sectors, the image has 4");
	free(bad);
	bad = with(s, "cdcdcdcd", "CDCDCDCD");
	check_refused(bad, "not a lowercase hex digit");
	free(bad);

	/* Every record right, the stream check wrong: a record dropped
	 * along with its count would show there. */
	struct strbuf sb = STRBUF_INIT;
	uint32_t h = DISK_FNV32_OFFSET, other = DISK_FNV32_OFFSET;
	strbuf_addf(&sb, DISK_WB_PREFIX DISK_WB_BEGIN "%d\n", SECTORS);
	add_record(&sb, 1, 0xab, &h);
	strbuf_addf(&sb, DISK_WB_PREFIX DISK_WB_END "1 %08x\n", other);
	check_refused(strbuf_str(&sb), "stream check");
	strbuf_release(&sb);

	char *more = xasprintf("%sguest text\n", s);
	check_refused(more, "more output after the end line");
	free(more);
	free(s);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, whole_stream_applied);
	ATF_TP_ADD_TC(tp, empty_stream);
	ATF_TP_ADD_TC(tp, truncated_streams_refused);
	ATF_TP_ADD_TC(tp, corrupt_streams_refused);
	return atf_no_error();
}
