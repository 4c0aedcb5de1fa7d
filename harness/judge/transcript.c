#include "judge/transcript.h"

#include "util/strbuf.h"

#include <stdlib.h>
#include <string.h>

void transcript_split(const char *data, size_t len, struct transcript *t)
{
	size_t cap = 16;
	t->lines = xmalloc(cap * sizeof(*t->lines));
	t->count = 0;
	size_t start = 0;
	while (start < len) {
		const char *nl = memchr(data + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - data) : len;
		size_t n = end - start;
		if (n > 0 && data[start + n - 1] == '\r')
			n--;
		if (t->count == cap) {
			cap *= 2;
			t->lines = xrealloc(t->lines, cap * sizeof(*t->lines));
		}
		t->lines[t->count].text = data + start;
		t->lines[t->count].len = n;
		t->count++;
		start = end + 1;
	}
}

void transcript_free(struct transcript *t)
{
	free(t->lines);
	t->lines = NULL;
	t->count = 0;
}

int transcript_line_is(const struct transcript_line *l, const char *s)
{
	size_t n = strlen(s);
	return l->len == n && memcmp(l->text, s, n) == 0;
}

int transcript_line_starts(const struct transcript_line *l, const char *prefix)
{
	size_t n = strlen(prefix);
	return l->len >= n && memcmp(l->text, prefix, n) == 0;
}
