/* Judges a serial transcript against a case's expectations. */
#ifndef HVSPEC_HARNESS_JUDGE_H
#define HVSPEC_HARNESS_JUDGE_H

#include "spec/pattern.h"
#include "spec/spec.h"
#include "judge/transcript.h"
#include "judge/verdict.h"

struct judgement {
	/* VERDICT_PASS; VERDICT_FAIL: the run ended with a report, and it
	 * breaks the spec; VERDICT_CRASH: no "[hv] end:" line at all. */
	enum verdict verdict;
	char *report_seen;     /* text after the first "[hv] end: ", or NULL */
	struct spec_list problems; /* one sentence each, most important first */
};

/* Checks every expectation and records each one that is not met. */
void judge_transcript(const struct spec_expect *expect, const struct transcript *t,
		      struct pattern_matcher *m, struct judgement *j);
void judgement_free(struct judgement *j);

#endif
