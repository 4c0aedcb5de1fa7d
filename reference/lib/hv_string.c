/* The string functions of hv_string.h for freestanding code (hypervisor,
 * ROM loader, probes in 32- and 64-bit mode). */
#include "hv_string.h"
#include <stdint.h>

void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) :: "memory");
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	void *d = dst;
	unsigned long word = (unsigned char)c * (~0ul / 0xff);
	if (!((uintptr_t)dst % sizeof word) && !(n % sizeof word)) {
		/* Whole words: an emulator counts each REP iteration. */
		size_t words = n / sizeof word;
#ifdef __x86_64__
		__asm__ volatile("rep stosq" : "+D"(d), "+c"(words) : "a"(word) : "memory");
#else
		__asm__ volatile("rep stosl" : "+D"(d), "+c"(words) : "a"(word) : "memory");
#endif
		return dst;
	}
	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;
	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}
