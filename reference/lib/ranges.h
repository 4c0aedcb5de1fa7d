/* Half-open address ranges [base, base + size). */
#ifndef HVSPEC_RANGES_H
#define HVSPEC_RANGES_H

#include <stdbool.h>
#include <stdint.h>

/* Overflow-safe test whether [a, a + alen) and [b, b + blen) intersect;
 * an empty range meets nothing. */
static inline bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	if (alen == 0 || blen == 0)
		return false;
	return a >= b ? a - b < blen : b - a < alen;
}

#endif
