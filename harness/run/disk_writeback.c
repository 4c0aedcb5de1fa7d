#include "run/disk_writeback.h"

#include "abi/disk.h"
#include "engine/engine.h"
#include "run/disk_image.h"
#include "util/fileutil.h"
#include "util/hexdigit.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A stream for a whole 1 MiB disk is about 2.1 MiB of text; a larger
 * image may come from hvrun --disk. */
#define WB_STREAM_MAX (256u << 20)
#define WB_IMAGE_MAX (256u << 20)
#define WB_HEX_DIGITS (2 * DISK_SECTOR_BYTES)
#define WB_CHECK_DIGITS 8

struct wb_parse {
	const char *p, *end; /* the rest of the stream */
	unsigned long line;  /* 1-based, of the line being read */
	struct strbuf *err;
};

/* A decimal number ending at a space or the line's end; no sign, no
 * leading zeroes but "0" itself. */
static bool take_decimal(struct wb_parse *s, const char *what, uint64_t *v)
{
	const char *q = s->p;
	uint64_t n = 0;
	while (q < s->end && *q >= '0' && *q <= '9') {
		if (n > (UINT64_MAX - 9) / 10)
			break;
		n = n * 10 + (uint64_t)(*q - '0');
		q++;
	}
	size_t len = (size_t)(q - s->p);
	if (len == 0 || (len > 1 && *s->p == '0') || (q < s->end && *q != ' ' && *q != '\n')) {
		strbuf_addf(s->err, "line %lu: %s is not a decimal number", s->line, what);
		return false;
	}
	*v = n;
	s->p = q;
	return true;
}


/* Exactly `digits` lowercase hex digits into out (digits / 2 bytes, or a
 * 32-bit value when out is NULL). */
static bool take_hex(struct wb_parse *s, const char *what, size_t digits, uint8_t *out,
		     uint32_t *value)
{
	if ((size_t)(s->end - s->p) < digits) {
		strbuf_addf(s->err, "line %lu: %s is cut short", s->line, what);
		return false;
	}
	uint32_t v = 0;
	for (size_t i = 0; i < digits; i++) {
		int d = hex_digit_value(s->p[i]);
		if (d < 0) {
			strbuf_addf(s->err, "line %lu: %s holds '%c', not a lowercase hex digit",
				    s->line, what, s->p[i]);
			return false;
		}
		if (out && i % 2)
			out[i / 2] = (uint8_t)(out[i / 2] | d);
		else if (out)
			out[i / 2] = (uint8_t)(d << 4);
		v = v << 4 | (uint32_t)d;
	}
	if (value)
		*value = v;
	s->p += digits;
	return true;
}

static bool take_text(struct wb_parse *s, const char *text)
{
	size_t n = strlen(text);
	if ((size_t)(s->end - s->p) < n || memcmp(s->p, text, n))
		return false;
	s->p += n;
	return true;
}

static bool take_space(struct wb_parse *s, const char *after)
{
	if (take_text(s, " "))
		return true;
	strbuf_addf(s->err, "line %lu: no space after %s", s->line, after);
	return false;
}

static bool take_line_end(struct wb_parse *s)
{
	if (s->p < s->end && *s->p == '\n') {
		s->p++;
		s->line++;
		return true;
	}
	strbuf_addf(s->err, "line %lu: %s", s->line,
		    s->p == s->end ? "the stream ends inside the line (truncated)"
				   : "unexpected text before the line's end");
	return false;
}

/* Checks the whole stream and applies its sectors to image (sectors long). */
static long apply_stream(struct wb_parse *s, uint8_t *image, uint64_t sectors)
{
	uint64_t n;
	if (!take_text(s, DISK_WB_PREFIX DISK_WB_BEGIN)) {
		strbuf_addf(s->err, "line 1: does not start with '%s%s'", DISK_WB_PREFIX,
			    DISK_WB_BEGIN);
		return -1;
	}
	if (!take_decimal(s, "the sector count", &n) || !take_line_end(s))
		return -1;
	if (n != sectors) {
		strbuf_addf(s->err, "line 1: begin says %" PRIu64 " sectors, the image has %" PRIu64,
			    n, sectors);
		return -1;
	}
	uint32_t stream_hash = DISK_FNV32_OFFSET;
	long records = 0;
	uint64_t next_lba = 0;
	for (;;) {
		if (s->p == s->end) {
			strbuf_addf(s->err, "truncated: no end line after %ld sector line%s", records,
				    records == 1 ? "" : "s");
			return -1;
		}
		if (take_text(s, DISK_WB_PREFIX DISK_WB_END))
			break;
		if (!take_text(s, DISK_WB_PREFIX DISK_WB_SECTOR)) {
			strbuf_addf(s->err, "line %lu: neither a '%s%s' nor an '%s%s' line", s->line,
				    DISK_WB_PREFIX, DISK_WB_SECTOR, DISK_WB_PREFIX, DISK_WB_END);
			return -1;
		}
		uint64_t lba;
		uint8_t record[8 + DISK_SECTOR_BYTES];
		uint32_t check;
		if (!take_decimal(s, "the sector number", &lba) || !take_space(s, "the sector number"))
			return -1;
		if (lba >= sectors || lba < next_lba) {
			strbuf_addf(s->err, "line %lu: sector %" PRIu64 " %s", s->line, lba,
				    lba >= sectors ? "is not on the disk"
						   : "comes after a higher or equal sector");
			return -1;
		}
		if (!take_hex(s, "the sector's bytes", WB_HEX_DIGITS, record + 8, NULL) ||
		    !take_space(s, "the sector's bytes") ||
		    !take_hex(s, "the check", WB_CHECK_DIGITS, NULL, &check) || !take_line_end(s))
			return -1;
		for (unsigned i = 0; i < 8; i++)
			record[i] = (uint8_t)(lba >> (8 * i));
		uint32_t want = disk_fnv1a32(DISK_FNV32_OFFSET, record, sizeof(record));
		if (check != want) {
			strbuf_addf(s->err, "line %lu: sector %" PRIu64 " is corrupt: check %08" PRIx32
				    ", its bytes give %08" PRIx32, s->line - 1, lba, check, want);
			return -1;
		}
		stream_hash = disk_fnv1a32(stream_hash, record, sizeof(record));
		memcpy(image + lba * DISK_SECTOR_BYTES, record + 8, DISK_SECTOR_BYTES);
		next_lba = lba + 1;
		records++;
	}
	uint32_t check;
	if (!take_decimal(s, "the record count", &n) || !take_space(s, "the record count") ||
	    !take_hex(s, "the stream check", WB_CHECK_DIGITS, NULL, &check) || !take_line_end(s))
		return -1;
	if (n != (uint64_t)records) {
		strbuf_addf(s->err, "end line says %" PRIu64 " sector lines, the stream has %ld", n,
			    records);
		return -1;
	}
	if (check != stream_hash) {
		strbuf_addf(s->err, "end line's stream check %08" PRIx32 " does not match the "
			    "sector lines' %08" PRIx32, check, stream_hash);
		return -1;
	}
	if (s->p != s->end) {
		strbuf_addf(s->err, "line %lu: more output after the end line", s->line);
		return -1;
	}
	return records;
}

long disk_writeback_apply(const char *work_dir, bool required, struct strbuf *err)
{
	char *in_path = path_join(work_dir, DISK_IMAGE_FILE);
	char *out_path = path_join(work_dir, DISK_IMAGE_OUT_FILE);
	char *com2_path = path_join(work_dir, ENGINE_COM2_FILE);
	size_t image_len = 0, stream_len = 0;
	bool image_cut = false, stream_cut = false;
	char *image = read_file_head(in_path, WB_IMAGE_MAX, &image_len, &image_cut);
	char *stream = read_file_head(com2_path, WB_STREAM_MAX, &stream_len, &stream_cut);
	long rc = -1;
	if (!image || image_cut) {
		strbuf_addf(err, "cannot read the disk image %s: %s", in_path,
			    image_cut ? "too large" : strerror(errno));
	} else if (stream_cut) {
		strbuf_addf(err, "%s is larger than %u MiB", com2_path, WB_STREAM_MAX >> 20);
	} else if (!stream || stream_len == 0) {
		/* An image of a bad size is refused (contract 2): no disk. */
		if (required && image_len && image_len % DISK_SECTOR_BYTES == 0)
			strbuf_addf(err, "the hypervisor sent no write-back on COM2 (%s is %s)",
				    com2_path, stream ? "empty" : "missing");
		else
			rc = 0;
	} else if (image_len % DISK_SECTOR_BYTES) {
		strbuf_addf(err, "a write-back came for an image of %zu bytes, not a multiple of %u",
			    image_len, DISK_SECTOR_BYTES);
	} else {
		struct wb_parse s = { stream, stream + stream_len, 1, err };
		rc = apply_stream(&s, (uint8_t *)image, image_len / DISK_SECTOR_BYTES);
	}
	if (rc >= 0 && write_file_atomic(out_path, image, image_len) != 0) {
		strbuf_addf(err, "cannot write %s: %s", out_path, strerror(errno));
		rc = -1;
	}
	/* Replaced by a rename, never removed first: a cached run is collected
	 * again each time a case reuses it, while another case's second boot may
	 * be reading this image (it vanished under one in a --jobs 2 suite run). */
	if (rc < 0)
		unlink(out_path);
	free(image);
	free(stream);
	free(in_path);
	free(out_path);
	free(com2_path);
	return rc;
}
