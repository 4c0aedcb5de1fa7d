/* The few C string functions shared code may call. Hosted builds take them
 * from libc; the hypervisor and probes supply their own (same prototypes). */
#ifndef HV_STRING_H
#define HV_STRING_H
#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

#endif
