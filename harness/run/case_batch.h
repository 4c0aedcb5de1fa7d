/* Runs many spec cases with parallel workers and a wall-time budget: what
 * `hvrun --results` and the graders use. Each case runs in a worker process
 * of its own, so a harness crash in one case cannot take the others along. */
#ifndef HVSPEC_HARNESS_CASE_BATCH_H
#define HVSPEC_HARNESS_CASE_BATCH_H

#include "run/case_run.h"
#include "util/layout.h"
#include "spec/spec.h"

#include <stddef.h>

#define BATCH_JOBS_MAX 64

struct batch_options {
	const char *engine;      /* NULL: ENGINE_DEFAULT */
	const char *run_dir;     /* where cases share runs (required) */
	const char *records_dir; /* where workers leave their results (required) */
	const char *hvrun;       /* for the rerun commands */
	int jobs;                /* parallel workers, 1..BATCH_JOBS_MAX */
	int run_timeout;         /* > 0: caps every boot's time limit */
	int budget_s;            /* > 0: no case starts after this many seconds */
	const char *files_not_kept; /* see struct case_options */
	const char *vmx_ept_cpu;    /* see struct case_options */
	/* Called in the parent as each case ends (may be NULL). */
	void (*on_done)(const struct spec_case *c, const struct case_report *r,
			enum verdict verdict, void *arg);
	void *arg;
};

struct batch_entry {
	const struct spec_case *c;
	/* case_run's verdict, or VERDICT_NOT_RUN (the budget was spent),
	 * or VERDICT_ERROR (the worker ended without a result). */
	enum verdict verdict;
	struct case_report r;    /* reason, details, seconds, image */
	char *rerun;
};

/* Runs the cases in order of the array (up to jobs at a time). Returns 0
 * when every case has an entry, or the number of the signal that stopped
 * the batch (every worker and its emulator are gone by then). */
int case_batch_run(const struct layout *l, const struct spec_case *const *cases, size_t count,
		   const struct batch_options *o, struct batch_entry *entries);
void batch_entry_free(struct batch_entry *e);

#endif
