/* SHA-256 (FIPS 180-4), so every result can name the exact bytes it judged
 * and shared runs are keyed by content, never by path. */
#ifndef HVSPEC_HARNESS_SHA256_H
#define HVSPEC_HARNESS_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_BYTES 32
#define SHA256_HEX_LEN (2 * SHA256_DIGEST_BYTES)

struct sha256 {
	uint32_t h[8];
	uint64_t total;       /* bytes hashed so far */
	unsigned char block[64];
	size_t used;          /* bytes waiting in block */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
void sha256_final(struct sha256 *s, unsigned char digest[SHA256_DIGEST_BYTES]);
/* Lower-case hex of the digest, NUL-terminated (SHA256_HEX_LEN + 1 bytes). */
void sha256_hex(const unsigned char digest[SHA256_DIGEST_BYTES], char hex[SHA256_HEX_LEN + 1]);
/* Hashes a whole file into hex. Returns 0, or -1 with errno set (a path
 * that is not a regular file gives EISDIR or EINVAL). */
int sha256_file(const char *path, char hex[SHA256_HEX_LEN + 1]);

#endif
