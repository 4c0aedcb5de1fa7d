/* Shares one probe run among the cases that need the same run: runs are
 * kept in a run folder under a key made from the content of every input,
 * and a lock makes parallel cases wait for one boot instead of booting
 * twice. */
#ifndef HVSPEC_HARNESS_RUN_CACHE_H
#define HVSPEC_HARNESS_RUN_CACHE_H

#include "run/boot.h"

#include <stdbool.h>

/* How many hex digits of the inputs' SHA-256 the key keeps: 128 bits. */
#define RUN_CACHE_KEY_HASH_HEX 32

/* "<probe>.<engine>.<cpu>.<mib>m.<hash>", where the hash covers the bytes
 * of the hypervisor image, the probe image and the firmware loader, both
 * command lines, the engine, the cpu profile and the memory size: a
 * different image at the same path never reuses a run. Returns 0 with a
 * malloc'd *key, or -1 with the reason in err (an input cannot be read). */
int run_cache_key(const struct layout *l, const struct boot_request *req, char **key,
		  struct strbuf *err);
/* True when two requests boot the same run (one boot serves both): the
 * inputs the key covers are equal, files compared by path. What conformance
 * uses to know which cases may wait for one another's boot. */
bool run_cache_same_run(const struct layout *l, const struct boot_request *a,
			const struct boot_request *b);
/* Like boot_run, in run_dir/<key>; *reused tells whether an earlier run
 * was taken. A stored timeout is not reused by a request that allows more
 * time than that run had. */
int run_cache_boot(const struct layout *l, const struct boot_request *req, const char *run_dir,
		   struct boot_result *result, bool *reused, char **work_dir, struct strbuf *err);

#endif
