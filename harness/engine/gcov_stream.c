#include "engine/gcov_stream.h"

#include "engine/engine.h"
#include "util/fileutil.h"
#include "util/hexdigit.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A whole stream is some 100 KiB of hex; far more is not ours. */
#define GCOV_STREAM_MAX (64u << 20)
#define GCOV_PATH_MAX 1024

struct gcda {
	char *path;
	struct strbuf bytes;
};

bool gcov_stream_present(const char *engine_output)
{
	return engine_log_contains(engine_output, GCOV_STREAM_PREFIX);
}

/* What follows word at the start of p, or NULL if p does not start with it. */
static const char *after_word(const char *p, const char *word)
{
	size_t n = strlen(word);
	return strncmp(p, word, n) ? NULL : p + n;
}


/* A path the stream may name: absolute, no "..", printable. */
static bool path_acceptable(const char *p, size_t n)
{
	if (n == 0 || n >= GCOV_PATH_MAX || p[0] != '/' || n < 6 || strncmp(p + n - 5, ".gcda", 5))
		return false;
	for (size_t i = 0; i < n; i++) {
		if ((unsigned char)p[i] < 0x21 || (unsigned char)p[i] > 0x7e)
			return false;
		if (p[i] == '.' && i + 1 < n && p[i + 1] == '.' && p[i - 1] == '/')
			return false;
	}
	return true;
}

static void free_files(struct gcda *files, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(files[i].path);
		strbuf_release(&files[i].bytes);
	}
	free(files);
}

int gcov_stream_extract(const char *engine_output, const char *dest_dir, struct strbuf *err)
{
	size_t len = 0;
	bool truncated = false;
	char *text = read_file_head(engine_output, GCOV_STREAM_MAX, &len, &truncated);
	if (!text) {
		strbuf_addf(err, "cannot read %s: %s", engine_output, strerror(errno));
		return -1;
	}
	struct gcda *files = NULL;
	size_t count = 0;
	bool open = false, done = false;
	int rc = -1;
	size_t line_no = 0;
	const size_t plen = strlen(GCOV_STREAM_PREFIX);
	char *save = NULL;
	if (truncated) {
		strbuf_addf(err, "%s is larger than %u bytes", engine_output, GCOV_STREAM_MAX);
		goto out;
	}
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		line_no++;
		char *p = strstr(line, GCOV_STREAM_PREFIX);
		if (!p)
			continue; /* the emulator's own output */
		p += plen;
		if (done) {
			strbuf_addf(err, "line %zu: stream data after 'done'", line_no);
			goto out;
		}
		const char *rest;
		if ((rest = after_word(p, GCOV_STREAM_FILE))) {
			if (open) {
				strbuf_addf(err, "line %zu: a new file before the end of %s", line_no,
					    files[count - 1].path);
				goto out;
			}
			const char *path = rest;
			if (!path_acceptable(path, strlen(path))) {
				strbuf_addf(err, "line %zu: unacceptable .gcda path", line_no);
				goto out;
			}
			files = xrealloc(files, (count + 1) * sizeof(*files));
			files[count].path = xstrdup(path);
			files[count].bytes = (struct strbuf)STRBUF_INIT;
			count++;
			open = true;
		} else if ((rest = after_word(p, GCOV_STREAM_DATA))) {
			if (!open) {
				strbuf_addf(err, "line %zu: data outside a file", line_no);
				goto out;
			}
			const char *h = rest;
			size_t n = strlen(h);
			if (n == 0 || n % 2) {
				strbuf_addf(err, "line %zu: odd or empty hex", line_no);
				goto out;
			}
			for (size_t i = 0; i < n; i += 2) {
				int hi = hex_digit_value(h[i]), lo = hex_digit_value(h[i + 1]);
				if (hi < 0 || lo < 0) {
					strbuf_addf(err, "line %zu: bad hex", line_no);
					goto out;
				}
				char byte = (char)(hi << 4 | lo);
				strbuf_add(&files[count - 1].bytes, &byte, 1);
			}
		} else if ((rest = after_word(p, GCOV_STREAM_END))) {
			unsigned long bytes;
			unsigned hash;
			int used = 0;
			if (!open || sscanf(rest, "%lu %8x%n", &bytes, &hash, &used) != 2 || rest[used]) {
				strbuf_addf(err, "line %zu: malformed end", line_no);
				goto out;
			}
			struct gcda *f = &files[count - 1];
			uint32_t h = FNV32_OFFSET;
			for (size_t i = 0; i < f->bytes.len; i++)
				h = fnv1a32_step(h, (uint8_t)f->bytes.data[i]);
			if (bytes != f->bytes.len || hash != h) {
				strbuf_addf(err, "line %zu: %s is corrupt (%zu bytes, hash %08x; the "
						 "hypervisor sent %lu bytes, hash %08x)", line_no, f->path,
					    f->bytes.len, h, bytes, hash);
				goto out;
			}
			open = false;
		} else if ((rest = after_word(p, GCOV_STREAM_DONE))) {
			unsigned long n;
			int used = 0;
			if (open || sscanf(rest, "%lu%n", &n, &used) != 1 || rest[used] || n != count) {
				strbuf_addf(err, "line %zu: 'done' does not match the %zu files sent",
					    line_no, count);
				goto out;
			}
			done = true;
		} else {
			strbuf_addf(err, "line %zu: unknown stream line", line_no);
			goto out;
		}
	}
	if (!done) {
		strbuf_addf(err, "the stream is truncated (%zu file%s, no 'done' line): the run ended "
				 "before the hypervisor finished sending", count, count == 1 ? "" : "s");
		goto out;
	}
	for (size_t i = 0; i < count; i++) {
		char *path = xasprintf("%s%s", dest_dir, files[i].path);
		char *slash = strrchr(path, '/');
		*slash = '\0';
		int made = make_dirs(path);
		*slash = '/';
		if (made != 0 || write_file_atomic(path, files[i].bytes.data ? files[i].bytes.data : "",
						   files[i].bytes.len) != 0) {
			strbuf_addf(err, "cannot write %s: %s", path, strerror(errno));
			free(path);
			goto out;
		}
		free(path);
	}
	rc = (int)count;
out:
	free_files(files, count);
	free(text);
	return rc;
}
