/* Probe output through the Print hypercall. Evidence lines follow the style
 * `topic: key=value ...`, one fact per line, hex in lowercase with 0x. */
#ifndef GP_CONSOLE_H
#define GP_CONSOLE_H
#include <stddef.h>

/* Longest line printf emits in one Print; longer output is cut off. */
#define CONSOLE_LINE_MAX 512u

/* Formats (see format.h) and sends the result with one Print hypercall.
 * Returns the Print result: bytes printed or a negative HC_E* error. */
long printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints a NUL-terminated string as is. */
long print_str(const char *s);

#endif
