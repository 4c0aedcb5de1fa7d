/* Writing JSON: strings escaped so any bytes (a guest's stray output among
 * them) give valid UTF-8 JSON. */
#ifndef HVSPEC_HARNESS_JSON_OUT_H
#define HVSPEC_HARNESS_JSON_OUT_H

#include "util/strbuf.h"

#include <stddef.h>

/* Appends s as a JSON string literal: quotes, escapes for '"', '\\' and
 * control characters, and U+FFFD for each byte that is not valid UTF-8. */
void json_add_string(struct strbuf *sb, const char *s);
void json_add_bytes(struct strbuf *sb, const char *s, size_t len);
/* Appends "name": "value" (with a leading comma unless first). */
void json_add_field_string(struct strbuf *sb, int first, const char *name, const char *value);

#endif
