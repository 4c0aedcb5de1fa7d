/* Guest command line words (see cmdline.h). */
#include "cmdline.h"

bool cmdline_find(const char *cmdline, const char *key, const char **value,
		  size_t *len)
{
	if (!cmdline)
		return false;
	const char *p = cmdline;
	while (*p) {
		while (*p == ' ')
			p++;
		const char *word = p;
		while (*p && *p != ' ')
			p++;
		const char *k = key;
		const char *w = word;
		while (*k && w < p && *w == *k) {
			k++;
			w++;
		}
		if (!*k && w < p && *w == '=') {
			*value = w + 1;
			*len = (size_t)(p - (w + 1));
			return true;
		}
	}
	return false;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool cmdline_u64(const char *cmdline, const char *key, uint64_t *out)
{
	const char *v;
	size_t len;
	if (!cmdline_find(cmdline, key, &v, &len) || len == 0)
		return false;
	unsigned base = 10;
	if (len > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
		base = 16;
		v += 2;
		len -= 2;
	}
	uint64_t n = 0;
	for (size_t i = 0; i < len; i++) {
		int d = digit_value(v[i]);
		if (d < 0 || (unsigned)d >= base)
			return false;
		uint64_t limit = base == 16 ? UINT64_MAX >> 4
					    : UINT64_MAX / 10; /* constant */
		if (n > limit)
			return false;
		n = n * base;
		if (n > UINT64_MAX - (unsigned)d)
			return false;
		n += (unsigned)d;
	}
	*out = n;
	return true;
}

void cmdline_copy(const char *cmdline, const char *key, char *buf, size_t cap)
{
	const char *v;
	size_t len;
	if (!cap)
		return;
	if (!cmdline_find(cmdline, key, &v, &len))
		len = 0;
	if (len > cap - 1)
		len = cap - 1;
	for (size_t i = 0; i < len; i++)
		buf[i] = v[i];
	buf[len] = '\0';
}

bool cmdline_is(const char *cmdline, const char *key, const char *want)
{
	const char *v;
	size_t len;
	if (!cmdline_find(cmdline, key, &v, &len))
		len = 0;
	size_t i = 0;
	for (; i < len; i++)
		if (want[i] != v[i])
			return false;
	return want[i] == '\0';
}
