/* The value of one lowercase hex digit, for the streams the harness reads
 * from a machine (coverage, disk write-back): -1 for anything else, upper
 * case included, so a stream has exactly one spelling. */
#ifndef HVSPEC_HARNESS_HEXDIGIT_H
#define HVSPEC_HARNESS_HEXDIGIT_H

static inline int hex_digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

#endif
