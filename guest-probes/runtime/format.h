/* A small printf-style formatter for freestanding code (32- and 64-bit).
 * Conversions: %s %c %d %i %u %x %p %%, with the length modifiers l, ll
 * and z, the flags 0 and -, and a decimal field width. Hex is lowercase and
 * %p prints 0x followed by the hex address. An unknown conversion is copied
 * out verbatim so a mistake shows in the transcript. */
#ifndef GP_FORMAT_H
#define GP_FORMAT_H
#include <stdarg.h>
#include <stddef.h>

/* Formats into buf (always NUL-terminated when cap > 0) and returns the
 * number of characters stored, excluding the NUL; output that does not fit
 * is cut off. */
size_t vformat(char *buf, size_t cap, const char *fmt, va_list ap);
size_t format(char *buf, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
