#include "judge/verdict.h"

#include <string.h>

static const char *const names[VERDICT_COUNT] = {
	[VERDICT_PASS] = "pass",       [VERDICT_FAIL] = "fail",   [VERDICT_CRASH] = "crash",
	[VERDICT_TIMEOUT] = "timeout", [VERDICT_ERROR] = "error", [VERDICT_SKIP] = "skip",
	[VERDICT_NOT_RUN] = "not_run",
};

const char *verdict_name(enum verdict v)
{
	return (unsigned)v < VERDICT_COUNT ? names[v] : "?";
}

bool verdict_from_name(const char *name, enum verdict *v)
{
	for (int i = 0; i < VERDICT_COUNT; i++)
		if (!strcmp(name, names[i])) {
			*v = (enum verdict)i;
			return true;
		}
	return false;
}

bool verdict_is_failure(enum verdict v)
{
	return v == VERDICT_FAIL || v == VERDICT_CRASH || v == VERDICT_TIMEOUT;
}
