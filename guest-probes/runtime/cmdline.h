/* Reads `key=value` words from the guest command line (the Multiboot2
 * command-line tag), so one probe can serve several spec cases. */
#ifndef GP_CMDLINE_H
#define GP_CMDLINE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Finds the word `key=...` in the space-separated cmdline; sets *value and
 * *len to the text after '='. False when absent (or cmdline is NULL). */
bool cmdline_find(const char *cmdline, const char *key, const char **value,
		  size_t *len);

/* Like cmdline_find, then parses the value as a decimal or 0x-prefixed hex
 * 64-bit number. False when absent, empty, malformed or out of range. */
bool cmdline_u64(const char *cmdline, const char *key, uint64_t *out);

/* Copies the value of `key=...` into buf, NUL-terminated and cut to cap - 1
 * bytes; an absent key gives "". */
void cmdline_copy(const char *cmdline, const char *key, char *buf, size_t cap);

/* True when the value of `key=...` is exactly want; an absent key has the
 * value "" (so want "" matches it). */
bool cmdline_is(const char *cmdline, const char *key, const char *want);

#endif
