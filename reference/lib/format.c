/* The formatter of format.h. No 64-bit division, so 32-bit code needs no
 * libgcc helpers. */
#include "format.h"
#include <stdbool.h>
#include <stdint.h>

struct spec {
	bool zero_pad;
	bool left;
	unsigned width;
};

/* v / 10 with shifts and adds (Hacker's Delight 10-17), exact for every
 * 64-bit value. */
static uint64_t div10(uint64_t v, unsigned *rem)
{
	uint64_t q = (v >> 1) + (v >> 2);
	q += q >> 4;
	q += q >> 8;
	q += q >> 16;
	q += q >> 32;
	q >>= 3;
	uint64_t r = v - ((q << 3) + (q << 1));
	if (r > 9) {
		q += 1;
		r -= 10;
	}
	*rem = (unsigned)r;
	return q;
}

static void put_n(format_sink sink, void *arg, char c, size_t n)
{
	for (; n; n--)
		sink(arg, c);
}

static void put_padded(format_sink sink, void *arg, const struct spec *sp,
		       bool negative, const char *prefix, const char *digits,
		       size_t ndigits)
{
	size_t plen = 0;
	while (prefix[plen])
		plen++;
	size_t body = ndigits + plen + (negative ? 1 : 0);
	size_t pad = sp->width > body ? sp->width - body : 0;

	if (!sp->left && !sp->zero_pad)
		put_n(sink, arg, ' ', pad);
	if (negative)
		sink(arg, '-');
	for (size_t i = 0; i < plen; i++)
		sink(arg, prefix[i]);
	if (!sp->left && sp->zero_pad)
		put_n(sink, arg, '0', pad);
	for (size_t i = ndigits; i > 0; i--)
		sink(arg, digits[i - 1]);
	if (sp->left)
		put_n(sink, arg, ' ', pad);
}

static void put_unsigned(format_sink sink, void *arg, const struct spec *sp,
			 uint64_t v, unsigned base, bool negative,
			 const char *prefix)
{
	char digits[24]; /* least significant first */
	size_t n = 0;

	do {
		unsigned d;
		if (base == 16) {
			d = (unsigned)(v & 0xf);
			v >>= 4;
		} else {
			v = div10(v, &d);
		}
		digits[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
	} while (v);
	put_padded(sink, arg, sp, negative, prefix, digits, n);
}

static void put_string(format_sink sink, void *arg, const struct spec *sp,
		       const char *s)
{
	size_t n = 0;
	if (!s)
		s = "(null)";
	while (s[n])
		n++;
	size_t pad = sp->width > n ? sp->width - n : 0;
	if (!sp->left)
		put_n(sink, arg, ' ', pad);
	for (size_t i = 0; i < n; i++)
		sink(arg, s[i]);
	if (sp->left)
		put_n(sink, arg, ' ', pad);
}

enum length { LEN_INT, LEN_LONG, LEN_LLONG, LEN_SIZE };

static uint64_t take_unsigned(va_list *ap, enum length len)
{
	switch (len) {
	case LEN_LONG:
		return va_arg(*ap, unsigned long);
	case LEN_LLONG:
		return va_arg(*ap, unsigned long long);
	case LEN_SIZE:
		return va_arg(*ap, size_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static int64_t take_signed(va_list *ap, enum length len)
{
	switch (len) {
	case LEN_LONG:
		return va_arg(*ap, long);
	case LEN_LLONG:
		return va_arg(*ap, long long);
	case LEN_SIZE:
		return (int64_t)va_arg(*ap, size_t);
	default:
		return va_arg(*ap, int);
	}
}

void vformat_to(format_sink sink, void *arg, const char *fmt, va_list ap_in)
{
	va_list ap;
	va_copy(ap, ap_in);

	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			sink(arg, *p);
			continue;
		}
		const char *start = p++;
		struct spec sp = { false, false, 0 };
		for (;; p++) {
			if (*p == '0')
				sp.zero_pad = true;
			else if (*p == '-')
				sp.left = true;
			else
				break;
		}
		while (*p >= '0' && *p <= '9')
			sp.width = sp.width * 10 + (unsigned)(*p++ - '0');
		enum length len = LEN_INT;
		if (*p == 'l') {
			len = LEN_LONG;
			if (*++p == 'l') {
				len = LEN_LLONG;
				p++;
			}
		} else if (*p == 'z') {
			len = LEN_SIZE;
			p++;
		}
		switch (*p) {
		case 'd':
		case 'i': {
			int64_t v = take_signed(&ap, len);
			uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
			put_unsigned(sink, arg, &sp, mag, 10, v < 0, "");
			break;
		}
		case 'u':
			put_unsigned(sink, arg, &sp, take_unsigned(&ap, len), 10, false, "");
			break;
		case 'x':
			put_unsigned(sink, arg, &sp, take_unsigned(&ap, len), 16, false, "");
			break;
		case 'p':
			put_unsigned(sink, arg, &sp, (uint64_t)(uintptr_t)va_arg(ap, void *),
				     16, false, "0x");
			break;
		case 'c':
			sink(arg, (char)va_arg(ap, int));
			break;
		case 's':
			put_string(sink, arg, &sp, va_arg(ap, const char *));
			break;
		case '%':
			sink(arg, '%');
			break;
		default:
			/* Unknown or truncated conversion: copy it out. */
			for (const char *q = start; q <= p && *q; q++)
				sink(arg, *q);
			if (!*p)
				p--;
			break;
		}
	}
	va_end(ap);
}

struct buf_sink {
	char *buf;
	size_t room; /* characters that fit, excluding the NUL */
	size_t len;
};

static void buf_put(void *arg, char c)
{
	struct buf_sink *b = arg;
	if (b->len < b->room)
		b->buf[b->len++] = c;
}

size_t vformat(char *buf, size_t cap, const char *fmt, va_list ap)
{
	struct buf_sink b = { buf, cap ? cap - 1 : 0, 0 };
	vformat_to(buf_put, &b, fmt, ap);
	if (cap)
		buf[b.len] = '\0';
	return b.len;
}

size_t format(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t n = vformat(buf, cap, fmt, ap);
	va_end(ap);
	return n;
}
