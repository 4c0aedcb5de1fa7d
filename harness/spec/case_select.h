/* Picks spec cases by exact id or by a Lua pattern over whole ids: the
 * CASES= of `make run` and the arguments of `hvrun`. */
#ifndef HVSPEC_HARNESS_CASE_SELECT_H
#define HVSPEC_HARNESS_CASE_SELECT_H

#include "spec/spec.h"
#include "util/strbuf.h"

#include <stddef.h>

/* Fills *out (malloc'd, in spec order, each case once) with the cases the
 * selectors name. Returns 0, or -1 with the reason in err: a malformed
 * pattern, or a selector that matches no case. */
int case_select(const struct spec_set *set, char *const *selectors, size_t n,
		const struct spec_case ***out, size_t *count, struct strbuf *err);

#endif
