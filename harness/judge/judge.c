#include "judge/judge.h"

#include "util/strbuf.h"

#include <stdlib.h>
#include <string.h>

static void add_problem(struct judgement *j, struct strbuf *sb)
{
	j->problems.items = xrealloc(j->problems.items,
				     (j->problems.count + 1) * sizeof(char *));
	j->problems.items[j->problems.count++] = strbuf_detach(sb);
}

static void add_quoted_line(struct strbuf *sb, const struct transcript_line *l)
{
	strbuf_adds(sb, "'");
	strbuf_add_printable(sb, l->text, l->len);
	strbuf_adds(sb, "'");
}

/* 1 match, 0 none; a malformed pattern becomes a problem and counts as no
 * match (the loader rejects those, so this only guards direct callers). */
static int matches(struct pattern_matcher *m, struct judgement *j, const char *text,
		   size_t len, const char *pattern)
{
	char *err = NULL;
	int r = pattern_find(m, text, len, pattern, &err);
	if (r < 0) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "bad pattern '%s': %s", pattern, err);
		add_problem(j, &sb);
		free(err);
		return 0;
	}
	return r;
}

static void judge_report(const struct spec_expect *e, const struct transcript *t,
			 struct pattern_matcher *m, struct judgement *j)
{
	size_t end_count = 0, first = 0, second = 0;
	const size_t prefix_len = strlen(TRANSCRIPT_END_PREFIX);
	for (size_t i = 0; i < t->count; i++) {
		if (!transcript_line_starts(&t->lines[i], TRANSCRIPT_END_PREFIX))
			continue;
		if (end_count == 0)
			first = i;
		else if (end_count == 1)
			second = i;
		end_count++;
	}
	struct strbuf sb = STRBUF_INIT;
	if (end_count == 0) {
		j->verdict = VERDICT_CRASH;
		strbuf_adds(&sb, "no '" TRANSCRIPT_END_PREFIX "' line: the run ended without "
				 "a report");
		add_problem(j, &sb);
		return;
	}
	const struct transcript_line *end = &t->lines[first];
	const char *seen = end->text + prefix_len;
	size_t seen_len = end->len - prefix_len;
	j->report_seen = xmalloc(seen_len + 1);
	memcpy(j->report_seen, seen, seen_len);
	j->report_seen[seen_len] = '\0';

	int ok = e->report_is_pattern
		? matches(m, j, seen, seen_len, e->report)
		: (seen_len == strlen(e->report) && !memcmp(seen, e->report, seen_len));
	if (!ok) {
		strbuf_addf(&sb, "report: expected %s'%s', seen '",
			    e->report_is_pattern ? "a match for pattern " : "", e->report);
		strbuf_add_printable(&sb, seen, seen_len);
		strbuf_adds(&sb, "'");
		add_problem(j, &sb);
	}
	if (end_count > 1) {
		strbuf_addf(&sb, "'" TRANSCRIPT_END_PREFIX "' appears %zu times (lines %zu and "
			    "%zu); a VM ends with exactly one", end_count, first + 1, second + 1);
		add_problem(j, &sb);
	}
	size_t k = first + 1;
	while (k < t->count && !transcript_line_is(&t->lines[k], TRANSCRIPT_POWER_OFF))
		k++;
	if (k == t->count) {
		strbuf_addf(&sb, "no '" TRANSCRIPT_POWER_OFF "' line after the end line (line "
			    "%zu)", first + 1);
		add_problem(j, &sb);
	}
}

/* A seen line is worth showing beside a missing one when they share at
 * least this much of their start (e.g. "hc_print: hello rax="). */
#define CLOSEST_MIN_PREFIX 6

static size_t common_prefix(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t n = 0;
	while (n < alen && n < blen && a[n] == b[n])
		n++;
	return n;
}

/* Names the seen line (from line `from` on) that shares the longest start
 * with `want`, so a failure shows what came instead of the expected line. */
static void add_closest(struct strbuf *sb, const struct transcript *t, size_t from,
			const char *want, size_t want_len)
{
	size_t best = 0, best_i = 0;
	for (size_t i = from; i < t->count; i++) {
		size_t n = common_prefix(want, want_len, t->lines[i].text, t->lines[i].len);
		if (n > best) {
			best = n;
			best_i = i;
		}
	}
	size_t need = want_len < CLOSEST_MIN_PREFIX ? want_len : CLOSEST_MIN_PREFIX;
	if (best == 0 || best < need)
		return;
	strbuf_addf(sb, "; closest seen: line %zu ", best_i + 1);
	add_quoted_line(sb, &t->lines[best_i]);
}

/* The literal start of a Lua pattern ("^hc_print: max rax=%d+$" gives
 * "hc_print: max rax="): what a line that nearly matched begins with. */
static size_t pattern_literal_start(const char *pat, char *out, size_t cap)
{
	size_t n = 0;
	const char *p = pat[0] == '^' ? pat + 1 : pat;
	for (; *p && n + 1 < cap; p++) {
		if (*p == '%' && p[1] && !((p[1] >= 'a' && p[1] <= 'z') || (p[1] >= 'A' && p[1] <= 'Z'))) {
			out[n++] = *++p; /* an escaped punctuation character */
			continue;
		}
		if (strchr("^$*+?.([%-", *p))
			break;
		out[n++] = *p;
	}
	/* A quantifier applies to the character before it. */
	if (*p && strchr("*+?-", *p) && n > 0)
		n--;
	out[n] = '\0';
	return n;
}

static void judge_lines(const struct spec_expect *e, const struct transcript *t,
			struct judgement *j)
{
	for (size_t n = 0; n < e->lines.count; n++) {
		const char *want = e->lines.items[n];
		size_t i = 0;
		while (i < t->count && !transcript_line_is(&t->lines[i], want))
			i++;
		if (i == t->count) {
			struct strbuf sb = STRBUF_INIT;
			strbuf_adds(&sb, "missing line '");
			strbuf_add_printable(&sb, want, strlen(want));
			strbuf_adds(&sb, "'");
			add_closest(&sb, t, 0, want, strlen(want));
			add_problem(j, &sb);
		}
	}
}

static void judge_ordered(const struct spec_expect *e, const struct transcript *t,
			  struct pattern_matcher *m, struct judgement *j)
{
	size_t next = 0; /* the next pattern may only match from this line on */
	for (size_t n = 0; n < e->ordered.count; n++) {
		const char *pat = e->ordered.items[n];
		size_t i = next;
		while (i < t->count && !matches(m, j, t->lines[i].text, t->lines[i].len, pat))
			i++;
		if (i < t->count) {
			next = i + 1;
			continue;
		}
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "ordered pattern %zu of %zu '%s' matches no line", n + 1,
			    e->ordered.count, pat);
		if (n > 0) {
			strbuf_addf(&sb, " after line %zu ", next);
			add_quoted_line(&sb, &t->lines[next - 1]);
			strbuf_adds(&sb, " (the match of the pattern before it)");
		}
		char start[256];
		size_t start_len = pattern_literal_start(pat, start, sizeof(start));
		if (start_len >= CLOSEST_MIN_PREFIX)
			add_closest(&sb, t, next, start, start_len);
		add_problem(j, &sb);
		return; /* later patterns have no meaningful starting point */
	}
}

static void judge_forbid(const struct spec_expect *e, const struct transcript *t,
			 struct pattern_matcher *m, struct judgement *j)
{
	for (size_t n = 0; n < e->forbid.count; n++) {
		const char *pat = e->forbid.items[n];
		for (size_t i = 0; i < t->count; i++) {
			if (!matches(m, j, t->lines[i].text, t->lines[i].len, pat))
				continue;
			struct strbuf sb = STRBUF_INIT;
			strbuf_addf(&sb, "forbidden pattern '%s' matches line %zu ", pat, i + 1);
			add_quoted_line(&sb, &t->lines[i]);
			add_problem(j, &sb);
			break;
		}
	}
}

void judge_transcript(const struct spec_expect *expect, const struct transcript *t,
		      struct pattern_matcher *m, struct judgement *j)
{
	memset(j, 0, sizeof(*j));
	j->verdict = VERDICT_PASS;
	judge_report(expect, t, m, j);
	judge_lines(expect, t, j);
	judge_ordered(expect, t, m, j);
	judge_forbid(expect, t, m, j);
	if (j->verdict == VERDICT_PASS && j->problems.count > 0)
		j->verdict = VERDICT_FAIL;
}

void judgement_free(struct judgement *j)
{
	free(j->report_seen);
	for (size_t i = 0; i < j->problems.count; i++)
		free(j->problems.items[i]);
	free(j->problems.items);
	memset(j, 0, sizeof(*j));
}
