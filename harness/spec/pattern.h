/* Lua pattern matching (string.find semantics) for the judge: the spec
 * tables are written in Lua, so their patterns mean what Lua says. */
#ifndef HVSPEC_HARNESS_PATTERN_H
#define HVSPEC_HARNESS_PATTERN_H

#include <stddef.h>

struct pattern_matcher;

/* Never NULL: without a Lua state the harness cannot judge anything. */
struct pattern_matcher *pattern_matcher_new(void);
/* 1 when pattern matches somewhere in subject, 0 when not, -1 when the
 * pattern is malformed (Lua's message in *error, malloc'd). */
int pattern_find(struct pattern_matcher *m, const char *subject, size_t len,
		 const char *pattern, char **error);
void pattern_matcher_free(struct pattern_matcher *m);

#endif
