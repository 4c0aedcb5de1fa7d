/* The one verdict type of the harness (as in the Xen Test Framework): what
 * the judge, a case run, a batch, kyua's result, hvrun's lines and exit
 * status and the JSON results all speak. Each verdict means one thing. */
#ifndef HVSPEC_HARNESS_VERDICT_H
#define HVSPEC_HARNESS_VERDICT_H

#include <stdbool.h>

enum verdict {
	VERDICT_PASS,    /* the transcript meets every expectation of the case */
	VERDICT_FAIL,    /* the hypervisor reported ("[hv] end:") and breaks the contract */
	VERDICT_CRASH,   /* no end report: the machine reset, triple-faulted or powered
			  * off without an "[hv] end:" line */
	VERDICT_TIMEOUT, /* the run hit its time limit */
	VERDICT_ERROR,   /* the suite or its set-up is broken: nothing was judged */
	VERDICT_SKIP,    /* the engine cannot run this case here */
	VERDICT_NOT_RUN, /* a batch's time budget was spent before the case started */
};
#define VERDICT_COUNT 7

/* "pass", "fail", "crash", "timeout", "error", "skip", "not_run": the names
 * of hvrun's lines and of the JSON results; "?" for a value out of range. */
const char *verdict_name(enum verdict v);
/* The verdict named so; false when no verdict has that name. */
bool verdict_from_name(const char *name, enum verdict *v);
/* The hypervisor was judged and broke the contract: FAIL, CRASH, TIMEOUT. */
bool verdict_is_failure(enum verdict v);

#endif
