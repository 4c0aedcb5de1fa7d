/* Runs one spec case: boot (or reuse a shared run), judge, explain. */
#ifndef HVSPEC_HARNESS_CASE_RUN_H
#define HVSPEC_HARNESS_CASE_RUN_H

#include "layout.h"
#include "spec.h"

#include <stddef.h>

/* How many transcript lines a failure message repeats. */
#define CASE_TAIL_LINES 10

enum case_outcome {
	CASE_PASS,
	CASE_FAIL,  /* judged failure, or a broken run (crash, timeout, no start) */
	CASE_SKIP,  /* the engine cannot run this case here */
	CASE_ERROR, /* the run could not be set up (missing image, mkrom, ...) */
};

struct case_options {
	const char *engine;   /* NULL: ENGINE_DEFAULT */
	const char *run_dir;  /* NULL: boot in work_dir, sharing nothing */
	const char *work_dir; /* the run's files when there is no run_dir */
	const char *rerun;    /* shell command that reruns the case by hand */
};

struct case_report {
	enum case_outcome outcome;
	char *reason;          /* one line: what went wrong, for the test result */
	char *details;         /* several lines: expected vs seen, engine
				* diagnostics, the transcript's last lines, rerun */
	char *transcript;      /* NULL when nothing ran */
	size_t transcript_len;
	char *work_dir;        /* the run's files; NULL when nothing ran */
};

void case_run(const struct layout *l, const struct spec_case *c, const struct case_options *o,
	      struct case_report *r);
void case_report_free(struct case_report *r);

#endif
