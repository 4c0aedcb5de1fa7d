#define _GNU_SOURCE /* vasprintf */
#include "judge/message.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const meanings[VERDICT_COUNT] = {
	[VERDICT_PASS] = "the transcript meets every expectation of the case",
	[VERDICT_FAIL] = "the run ended with a report and broke the spec",
	[VERDICT_CRASH] = "the run ended without an '[hv] end:' report (a reset, triple fault "
			  "or power-off)",
	[VERDICT_TIMEOUT] = "the machine did not power off within its time limit; the emulator "
			    "was killed",
	[VERDICT_ERROR] = "the suite or its set-up is broken; " MESSAGE_NOTHING_JUDGED,
	[VERDICT_SKIP] = "the engine cannot run this case here",
	[VERDICT_NOT_RUN] = "the time budget was spent before the case could start",
};

const char *message_label(enum verdict v)
{
	static char labels[VERDICT_COUNT][16];
	if ((unsigned)v >= VERDICT_COUNT)
		return "?";
	if (!labels[v][0]) {
		const char *name = verdict_name(v);
		size_t i = 0;
		for (; name[i] && i + 1 < sizeof(labels[v]); i++)
			labels[v][i] = name[i] == '_' ? ' ' : (char)toupper((unsigned char)name[i]);
		labels[v][i] = '\0';
	}
	return labels[v];
}

const char *message_meaning(enum verdict v)
{
	return (unsigned)v < VERDICT_COUNT ? meanings[v] : "?";
}

void message_reason_start(struct strbuf *reason, enum verdict v)
{
	strbuf_addf(reason, "%s: ", message_label(v));
}

char *message_refused(const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	message_reason_start(&sb, VERDICT_ERROR);
	va_list ap;
	va_start(ap, fmt);
	char *what = NULL;
	if (vasprintf(&what, fmt, ap) < 0)
		what = NULL;
	va_end(ap);
	strbuf_addf(&sb, "%s; " MESSAGE_NOTHING_JUDGED, what ? what : "(out of memory)");
	free(what);
	return strbuf_detach(&sb);
}

void message_case_header(struct strbuf *d, const char *id, const char *file, int line,
			 const char *behavior)
{
	strbuf_addf(d, "case %s (%s:%d)\n  behavior: %s\n", id, file, line, behavior);
}

void message_image(struct strbuf *d, const char *path, const char *sha256)
{
	strbuf_addf(d, "image: %s (sha256 %s)\n", path, sha256 && *sha256 ? sha256 : "unreadable");
}

void message_verdict(struct strbuf *d, enum verdict v)
{
	strbuf_addf(d, "verdict: %s: %s\n", message_label(v), message_meaning(v));
}

void message_files(struct strbuf *d, const char *work_dir, const char *not_kept_why)
{
	if (not_kept_why)
		strbuf_addf(d, "files not kept (%s)", not_kept_why);
	else
		strbuf_addf(d, "files in %s", work_dir);
}

void message_rerun(struct strbuf *d, const char *command)
{
	if (command)
		strbuf_addf(d, "rerun: %s\n", command);
}

void message_reason_rerun(struct strbuf *reason, const char *command)
{
	if (command)
		strbuf_addf(reason, " (rerun: %s)", command);
}

void message_case_line(struct strbuf *sb, const char *id, enum verdict v, int earned,
		       int points)
{
	strbuf_addf(sb, "%s  ->  %s  [%d/%d points]", id, verdict_name(v), earned, points);
}

void message_summary(struct strbuf *sb, const int counts[VERDICT_COUNT], int points,
		     int max_points)
{
	strbuf_addf(sb, "%d passed, %d failed, %d crashed, %d timed out, %d errors, %d skipped, "
		    "%d not run; %d/%d points",
		    counts[VERDICT_PASS], counts[VERDICT_FAIL], counts[VERDICT_CRASH],
		    counts[VERDICT_TIMEOUT], counts[VERDICT_ERROR], counts[VERDICT_SKIP],
		    counts[VERDICT_NOT_RUN], points, max_points);
}
