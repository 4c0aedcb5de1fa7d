/* Host-physical 4 KiB frame allocator over the Multiboot2 memory map. */
#ifndef HV_FRAMES_H
#define HV_FRAMES_H
#include <stdint.h>
#include "boot_info.h"

#define FRAME_SIZE 4096ull

void frames_init(const struct boot_info *bi, uint64_t image_start, uint64_t image_end);
uint64_t frame_alloc(void);                      /* zeroed frame, 0 when none left */
void frame_free(uint64_t hpa);
/* `bytes` of contiguous frames aligned to `align` (a power of two), not zeroed; 0 when none. */
uint64_t frames_alloc_contig(uint64_t bytes, uint64_t align);
uint64_t frames_in_use(void);

#endif
