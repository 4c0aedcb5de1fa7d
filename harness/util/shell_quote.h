/* Quoting for the "rerun" commands the harness prints. */
#ifndef HVSPEC_HARNESS_SHELL_QUOTE_H
#define HVSPEC_HARNESS_SHELL_QUOTE_H

#include "util/strbuf.h"

/* Appends s as one POSIX shell word: as is when it is plainly safe,
 * otherwise in single quotes. */
void shell_quote(struct strbuf *sb, const char *s);

#endif
