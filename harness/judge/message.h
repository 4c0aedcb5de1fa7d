/* Every word the harness says to a person about a verdict, in one place so
 * the wording is the same in kyua's results, hvrun's output and the JSON
 * results: verdict labels and their meaning, the one-line reasons, the
 * detail lines every case report repeats, the hints (rerun, where the files
 * are) and the closing summary of several cases. */
#ifndef HVSPEC_HARNESS_MESSAGE_H
#define HVSPEC_HARNESS_MESSAGE_H

#include "judge/verdict.h"
#include "util/strbuf.h"

/* What a refused setting or input adds: it never judged anything. */
#define MESSAGE_NOTHING_JUDGED "nothing was judged"

/* "PASS", "FAIL", "CRASH", "TIMEOUT", "ERROR", "SKIP", "NOT RUN": the word
 * that starts a reason (verdict_name in capitals). */
const char *message_label(enum verdict v);
/* What the verdict means, in one clause. */
const char *message_meaning(enum verdict v);

/* Starts a one-line reason: "<LABEL>: ". */
void message_reason_start(struct strbuf *reason, enum verdict v);
/* The one-line reason of a setting or input that was refused before
 * anything ran: "ERROR: <what>; nothing was judged"; malloc'd. */
char *message_refused(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The detail lines of a case report. */
void message_case_header(struct strbuf *d, const char *id, const char *file, int line,
			 const char *behavior);
void message_image(struct strbuf *d, const char *path, const char *sha256);
/* "verdict: <LABEL>: <meaning>\n" */
void message_verdict(struct strbuf *d, enum verdict v);
/* Where the run's files are, or why they are not kept ("files not kept
 * (<why>)"): never a path that will not exist. No newline. */
void message_files(struct strbuf *d, const char *work_dir, const char *not_kept_why);
/* "rerun: <command>\n" (nothing when command is NULL). */
void message_rerun(struct strbuf *d, const char *command);
/* The rerun hint at the end of a one-line reason: " (rerun: <command>)". */
void message_reason_rerun(struct strbuf *reason, const char *command);

/* One case of several: "<id>  ->  <verdict name>  [<earned>/<points> points]". */
void message_case_line(struct strbuf *sb, const char *id, enum verdict v, int earned,
		       int points);
/* The closing line of several cases: "1 passed, 2 failed, 0 crashed, 0 timed
 * out, 0 errors, 0 skipped, 0 not run; 3/9 points". */
void message_summary(struct strbuf *sb, const int counts[VERDICT_COUNT], int points,
		     int max_points);
/* What a run in which every case was skipped says (exit status 77). */
#define MESSAGE_ALL_SKIPPED "every case was skipped: " MESSAGE_NOTHING_JUDGED

#endif
