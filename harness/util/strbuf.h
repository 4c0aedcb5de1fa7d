/* A growable, always NUL-terminated byte string for building messages. */
#ifndef HVSPEC_HARNESS_STRBUF_H
#define HVSPEC_HARNESS_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *data; /* NULL until the first append; see strbuf_str() */
	size_t len;
	size_t cap;
};

#define STRBUF_INIT { NULL, 0, 0 }

void strbuf_add(struct strbuf *sb, const char *bytes, size_t len);
void strbuf_adds(struct strbuf *sb, const char *s);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Appends bytes with control characters shown as \xNN, so that a guest's
 * stray output cannot garble a failure message. */
void strbuf_add_printable(struct strbuf *sb, const char *bytes, size_t len);
/* The contents; "" for an empty buffer. */
const char *strbuf_str(const struct strbuf *sb);
/* Hands the contents to the caller (never NULL) and empties the buffer. */
char *strbuf_detach(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);

/* Allocation helpers that end the program on exhaustion: a host test tool
 * has nothing useful to do without memory. */
void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
