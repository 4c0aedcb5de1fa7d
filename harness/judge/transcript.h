/* A serial transcript split into lines, and the report lines of the
 * contract (spec/contract.md section 3). */
#ifndef HVSPEC_HARNESS_TRANSCRIPT_H
#define HVSPEC_HARNESS_TRANSCRIPT_H

#include <stddef.h>

/* The one line that ends every VM, and the one that must follow it. */
#define TRANSCRIPT_END_PREFIX "[hv] end: "
#define TRANSCRIPT_POWER_OFF "[hv] power off"

struct transcript_line {
	const char *text; /* not NUL-terminated; points into the transcript */
	size_t len;       /* without the newline and a trailing '\r' */
};

struct transcript {
	struct transcript_line *lines;
	size_t count;
};

/* Splits data (which must outlive t) at '\n'; a last line without a
 * newline still counts. */
void transcript_split(const char *data, size_t len, struct transcript *t);
void transcript_free(struct transcript *t);
/* True when the line is exactly s. */
int transcript_line_is(const struct transcript_line *l, const char *s);
/* True when the line starts with prefix. */
int transcript_line_starts(const struct transcript_line *l, const char *prefix);

#endif
