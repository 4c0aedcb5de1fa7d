/* The few C string functions freestanding code may call (and GCC may emit
 * calls to: memcpy, memmove, memset, memcmp). The hypervisor, the firmware
 * and the probes link hv_string.c; hosted builds (harness, unit tests) take
 * libc's, with the same prototypes. */
#ifndef HV_STRING_H
#define HV_STRING_H
#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

#endif
