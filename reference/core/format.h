/* printf-style formatting into a character sink (no libc). */
#ifndef HV_FORMAT_H
#define HV_FORMAT_H
#include <stdarg.h>
#include <stddef.h>

typedef void (*format_sink)(void *arg, char c);
/* Supports %s %c %d %i %u %x %p with l/ll/z, a width and the 0 flag. */
void vformat(format_sink sink, void *arg, const char *fmt, va_list ap);
/* Formats into buf (always NUL-terminated); returns the length written. */
size_t vformat_buf(char *buf, size_t cap, const char *fmt, va_list ap);
size_t format_buf(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
