/* The coverage stream decoder: whole streams become .gcda files with their
 * exact bytes; truncated or corrupt ones are refused with the reason. The
 * hashes are the published FNV-1a 32 test vectors ("a", "foobar"). */
#include "util/fileutil.h"
#include "engine/gcov_stream.h"
#include "util/strbuf.h"

#include <atf-c.h>

#include <stdlib.h>
#include <string.h>

static void write_text(const char *path, const char *text)
{
	ATF_REQUIRE(write_file_atomic(path, text, strlen(text)) == 0);
}

static char *extract_error(const char *stream)
{
	write_text("engine.out", stream);
	struct strbuf err = STRBUF_INIT;
	int n = gcov_stream_extract("engine.out", "out", &err);
	ATF_CHECK_EQ(-1, n);
	return strbuf_detach(&err);
}

#define FILE_A "hvspec-gcov: file /b/reference/core/a.c.gcda\n"
#define DATA_A "hvspec-gcov: data 61\nhvspec-gcov: end 1 e40c292c\n"
#define FILE_F "hvspec-gcov: file /b/reference/lib/f.c.gcda\n"
#define DATA_F "hvspec-gcov: data 666f6f\nhvspec-gcov: data 626172\nhvspec-gcov: end 6 bf9cf968\n"

ATF_TC_WITHOUT_HEAD(whole_stream_becomes_files);
ATF_TC_BODY(whole_stream_becomes_files, tc)
{
	/* The emulator's own lines around and between the stream's. */
	write_text("engine.out", "Bochs x86 Emulator 2.7\n" FILE_A DATA_A
				 "00000000000i[SER ] noise\n" FILE_F DATA_F
				 "hvspec-gcov: done 2\nBochs is exiting\n");
	ATF_CHECK(gcov_stream_present("engine.out"));
	struct strbuf err = STRBUF_INIT;
	ATF_REQUIRE_EQ_MSG(2, gcov_stream_extract("engine.out", "out", &err), "%s",
			   strbuf_str(&err));
	size_t len;
	char *a = read_file("out/b/reference/core/a.c.gcda", 100, &len);
	ATF_REQUIRE(a != NULL);
	ATF_CHECK_EQ(1, len);
	ATF_CHECK_STREQ("a", a);
	char *f = read_file("out/b/reference/lib/f.c.gcda", 100, &len);
	ATF_REQUIRE(f != NULL);
	ATF_CHECK_STREQ("foobar", f);
	free(a);
	free(f);
	write_text("plain.out", "Bochs x86 Emulator 2.7\n");
	ATF_CHECK(!gcov_stream_present("plain.out"));
}

ATF_TC_WITHOUT_HEAD(broken_streams_refused);
ATF_TC_BODY(broken_streams_refused, tc)
{
	struct {
		const char *stream;
		const char *reason;
	} bad[] = {
		{ FILE_A DATA_A FILE_F "hvspec-gcov: data 666f6f\n", "the stream is truncated" },
		{ FILE_A DATA_A, "the stream is truncated (1 file, no 'done' line)" },
		{ FILE_A "hvspec-gcov: data 62\nhvspec-gcov: end 1 e40c292c\nhvspec-gcov: done 1\n",
		  "/b/reference/core/a.c.gcda is corrupt" },
		{ FILE_A "hvspec-gcov: data 6\nhvspec-gcov: end 1 e40c292c\nhvspec-gcov: done 1\n",
		  "odd or empty hex" },
		{ FILE_A "hvspec-gcov: data 6g\n", "bad hex" },
		{ "hvspec-gcov: data 61\n", "data outside a file" },
		{ "hvspec-gcov: file /b/../etc/passwd.gcda\nhvspec-gcov: done 0\n",
		  "unacceptable .gcda path" },
		{ "hvspec-gcov: file relative.gcda\n", "unacceptable .gcda path" },
		{ FILE_A DATA_A "hvspec-gcov: done 2\n", "'done' does not match the 1 files sent" },
		{ FILE_A FILE_F, "a new file before the end of" },
		{ FILE_A DATA_A "hvspec-gcov: done 1\n" FILE_F, "stream data after 'done'" },
		{ FILE_A DATA_A "hvspec-gcov: what 1\n", "unknown stream line" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *why = extract_error(bad[i].stream);
		ATF_CHECK_MSG(strstr(why, bad[i].reason) != NULL, "stream %zu: '%s' lacks '%s'", i,
			      why, bad[i].reason);
		free(why);
	}
	ATF_CHECK(!is_directory("out")); /* nothing written for a refused stream */
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, whole_stream_becomes_files);
	ATF_TP_ADD_TC(tp, broken_streams_refused);
	return atf_no_error();
}
