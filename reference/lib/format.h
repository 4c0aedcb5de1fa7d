/* printf-style formatting without libc, for every component that prints:
 * the hypervisor, the probes (32- and 64-bit) and their tests.
 * Conversions: %s %c %d %i %u %x %p %%, the length modifiers l, ll and z,
 * the flags 0 and -, a decimal field width. Hex is lowercase; %p prints 0x
 * and the hex address. An unknown conversion is copied out as written, so a
 * mistake shows in the output instead of being guessed at. */
#ifndef HV_FORMAT_H
#define HV_FORMAT_H
#include <stdarg.h>
#include <stddef.h>

/* Receives the formatted text one character at a time. */
typedef void (*format_sink)(void *arg, char c);

void vformat_to(format_sink sink, void *arg, const char *fmt, va_list ap);

/* Formats into buf (always NUL-terminated when cap > 0) and returns the
 * number of characters stored, excluding the NUL; output that does not fit
 * is cut off. */
size_t vformat(char *buf, size_t cap, const char *fmt, va_list ap);
size_t format(char *buf, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
