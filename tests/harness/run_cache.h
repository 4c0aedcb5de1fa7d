/* Shares one probe run among the cases that need the same run: runs are
 * kept in a run folder under a key made from their inputs, and a lock
 * makes parallel cases wait for one boot instead of booting twice. */
#ifndef HVSPEC_HARNESS_RUN_CACHE_H
#define HVSPEC_HARNESS_RUN_CACHE_H

#include "boot.h"

#include <stdbool.h>

/* "<probe>.<engine>.<cpu>.<mib>m.<64-bit hash of every input>"; malloc'd. */
char *run_cache_key(const struct boot_request *req);
/* Like boot_run, in run_dir/<key>; *reused tells whether an earlier run
 * was taken. A stored timeout is not reused by a request that allows more
 * time than that run had. */
int run_cache_boot(const struct layout *l, const struct boot_request *req, const char *run_dir,
		   struct boot_result *result, bool *reused, char **work_dir, struct strbuf *err);

#endif
