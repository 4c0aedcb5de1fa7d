/* Finds the Multiboot2 header of a kernel image: shared by the suite's
 * firmware (romboot), which refuses a kernel without one, and the harness,
 * which checks an image once before booting it. Pure. */
#ifndef HV_MB2_HEADER_H
#define HV_MB2_HEADER_H
#include <stdint.h>

/* Offset of the first valid i386 header (magic, architecture 0, checksum
 * summing to zero; Multiboot2 3.1.1-3.1.3) inside the first
 * MB2_SEARCH_BYTES at MB2_HEADER_ALIGN steps, or -1 when there is none. */
int64_t mb2_header_find(const void *image, uint64_t size);

#endif
