#include "spec/case_select.h"

#include "spec/pattern.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* "^<pattern>$" without doubling anchors the user wrote. */
static char *anchored(const char *p)
{
	size_t n = strlen(p);
	if (p[0] == '^') {
		p++;
		n--;
	}
	/* A final '$' anchors unless escaped as "%$". */
	if (n > 0 && p[n - 1] == '$' && !(n > 1 && p[n - 2] == '%'))
		n--;
	return xasprintf("^%.*s$", (int)n, p);
}

int case_select(const struct spec_set *set, char *const *selectors, size_t n,
		const struct spec_case ***out, size_t *count, struct strbuf *err)
{
	bool *chosen = xcalloc(set->count ? set->count : 1, sizeof(*chosen));
	struct pattern_matcher *m = pattern_matcher_new();
	int rc = 0;
	for (size_t s = 0; s < n && rc == 0; s++) {
		const struct spec_case *exact = spec_find(set, selectors[s]);
		if (exact) {
			chosen[exact - set->cases] = true;
			continue;
		}
		char *pattern = anchored(selectors[s]);
		size_t matched = 0;
		for (size_t i = 0; i < set->count; i++) {
			char *error = NULL;
			const char *id = set->cases[i].id;
			int found = pattern_find(m, id, strlen(id), pattern, &error);
			if (found < 0) {
				strbuf_addf(err, "'%s' is not a valid Lua pattern: %s", selectors[s],
					    error);
				free(error);
				rc = -1;
				break;
			}
			if (found) {
				chosen[i] = true;
				matched++;
			}
		}
		if (rc == 0 && matched == 0) {
			strbuf_addf(err, "'%s' matches no case id (hvrun --list shows them; a "
					 "pattern is a Lua pattern over whole ids, e.g. 'hypercall%%..*')",
				    selectors[s]);
			rc = -1;
		}
		free(pattern);
	}
	pattern_matcher_free(m);
	*out = NULL;
	*count = 0;
	if (rc == 0) {
		*out = xcalloc(set->count ? set->count : 1, sizeof(**out));
		for (size_t i = 0; i < set->count; i++)
			if (chosen[i])
				(*out)[(*count)++] = &set->cases[i];
	}
	free(chosen);
	return rc;
}
