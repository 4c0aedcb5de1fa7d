#include "format.h"
#include <stdbool.h>
#include <stdint.h>

static void emit_number(format_sink sink, void *arg, uint64_t v, unsigned base,
			bool negative, unsigned width, char pad)
{
	char digits[24];
	unsigned n = 0;
	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (negative)
		digits[n++] = '-';
	for (unsigned i = n; i < width; i++)
		sink(arg, pad);
	while (n)
		sink(arg, digits[--n]);
}

void vformat(format_sink sink, void *arg, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			sink(arg, *fmt);
			continue;
		}
		fmt++;
		char pad = ' ';
		unsigned width = 0, longs = 0;
		if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (unsigned)(*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z') {
			longs++;
			fmt++;
		}
		switch (*fmt) {
		case 's': {
			const char *s = va_arg(ap, const char *);
			for (s = s ? s : "(null)"; *s; s++)
				sink(arg, *s);
			break;
		}
		case 'c':
			sink(arg, (char)va_arg(ap, int));
			break;
		case 'd':
		case 'i': {
			int64_t v = longs ? va_arg(ap, int64_t) : va_arg(ap, int);
			emit_number(sink, arg, v < 0 ? -(uint64_t)v : (uint64_t)v, 10, v < 0, width, pad);
			break;
		}
		case 'u':
		case 'x': {
			uint64_t v = longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
			emit_number(sink, arg, v, *fmt == 'u' ? 10 : 16, false, width, pad);
			break;
		}
		case 'p':
			sink(arg, '0');
			sink(arg, 'x');
			emit_number(sink, arg, (uintptr_t)va_arg(ap, void *), 16, false, width, pad);
			break;
		case '%':
			sink(arg, '%');
			break;
		default:      /* unknown conversion: show it rather than guess */
			sink(arg, '%');
			if (!*fmt)
				return;
			sink(arg, *fmt);
		}
	}
}

struct buf_sink { char *buf; size_t cap, len; };

static void buf_putc(void *arg, char c)
{
	struct buf_sink *b = arg;
	if (b->len + 1 < b->cap)
		b->buf[b->len++] = c;
}

size_t vformat_buf(char *buf, size_t cap, const char *fmt, va_list ap)
{
	struct buf_sink b = { buf, cap, 0 };
	vformat(buf_putc, &b, fmt, ap);
	if (cap)
		buf[b.len] = 0;
	return b.len;
}

size_t format_buf(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t n = vformat_buf(buf, cap, fmt, ap);
	va_end(ap);
	return n;
}
