/* SHA-256 against the FIPS 180-2 example vectors and coreutils' sha256sum. */
#include "util/sha256.h"
#include "util/strbuf.h"

#include <atf-c.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void hex_of(const void *data, size_t len, char hex[SHA256_HEX_LEN + 1])
{
	struct sha256 s;
	unsigned char d[SHA256_DIGEST_BYTES];
	sha256_init(&s);
	sha256_update(&s, data, len);
	sha256_final(&s, d);
	sha256_hex(d, hex);
}

ATF_TC_WITHOUT_HEAD(fips_vectors);
ATF_TC_BODY(fips_vectors, tc)
{
	char hex[SHA256_HEX_LEN + 1];
	hex_of("", 0, hex);
	ATF_CHECK_STREQ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", hex);
	hex_of("abc", 3, hex);
	ATF_CHECK_STREQ("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", hex);
	/* 56 bytes: the padding needs a second block. */
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	hex_of(two, strlen(two), hex);
	ATF_CHECK_STREQ("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", hex);
}

/* One million 'a's fed in uneven pieces: block boundaries fall inside
 * updates. */
ATF_TC_WITHOUT_HEAD(million_a_in_pieces);
ATF_TC_BODY(million_a_in_pieces, tc)
{
	static char a[1000000];
	memset(a, 'a', sizeof(a));
	struct sha256 s;
	sha256_init(&s);
	size_t done = 0, step = 1;
	while (done < sizeof(a)) {
		size_t n = step < sizeof(a) - done ? step : sizeof(a) - done;
		sha256_update(&s, a + done, n);
		done += n;
		step = step * 7 % 997 + 1;
	}
	unsigned char d[SHA256_DIGEST_BYTES];
	char hex[SHA256_HEX_LEN + 1];
	sha256_final(&s, d);
	sha256_hex(d, hex);
	ATF_CHECK_STREQ("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", hex);
}

ATF_TC_WITHOUT_HEAD(file_matches_sha256sum);
ATF_TC_BODY(file_matches_sha256sum, tc)
{
	FILE *f = fopen("data.bin", "wb");
	ATF_REQUIRE(f != NULL);
	for (int i = 0; i < 200000; i++)
		fputc((i * 31 + i / 7) & 0xff, f);
	fclose(f);
	char hex[SHA256_HEX_LEN + 1];
	ATF_REQUIRE(sha256_file("data.bin", hex) == 0);
	ATF_REQUIRE(system("sha256sum data.bin > sum.txt") == 0);
	char line[128] = "";
	f = fopen("sum.txt", "r");
	ATF_REQUIRE(f != NULL && fgets(line, sizeof(line), f) != NULL);
	fclose(f);
	line[SHA256_HEX_LEN] = '\0';
	ATF_CHECK_STREQ(line, hex);
}

ATF_TC_WITHOUT_HEAD(file_refuses_non_files);
ATF_TC_BODY(file_refuses_non_files, tc)
{
	char hex[SHA256_HEX_LEN + 1];
	ATF_CHECK(sha256_file(".", hex) == -1 && errno == EISDIR);
	ATF_CHECK(sha256_file("missing", hex) == -1 && errno == ENOENT);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, fips_vectors);
	ATF_TP_ADD_TC(tp, million_a_in_pieces);
	ATF_TP_ADD_TC(tp, file_matches_sha256sum);
	ATF_TP_ADD_TC(tp, file_refuses_non_files);
	return atf_no_error();
}
