/* The results file of a batch of cases (schema "hvspec-run-2"): what
 * graders and CI read instead of kyua's database. Version 2: the outcomes
 * "crash" and "timeout" (both were "fail" in version 1). */
#ifndef HVSPEC_HARNESS_BATCH_JSON_H
#define HVSPEC_HARNESS_BATCH_JSON_H

#include "run/case_batch.h"

#define BATCH_JSON_SCHEMA "hvspec-run-2"

struct batch_summary {
	const char *image_path;
	const char *image_sha256;
	const char *engine;
	int budget_s;      /* 0: none */
	int run_timeout;   /* 0: none */
	double seconds;
};

/* malloc'd JSON text, ending in a newline. */
char *batch_results_json(const struct batch_summary *s, const struct batch_entry *entries,
			 size_t count);

#endif
