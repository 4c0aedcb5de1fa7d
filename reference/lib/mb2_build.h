/* Builds a Multiboot2 boot information structure in a caller's buffer.
 * Used by the ROM loader (for the hypervisor) and the hypervisor (for its
 * guest), so both boot their kernel the same way. */
#ifndef HV_MB2_BUILD_H
#define HV_MB2_BUILD_H
#include <stdbool.h>
#include <stdint.h>
#include "mb2.h"

struct mb2_builder {
	uint8_t *buf;
	uint32_t cap, used;
	bool overflow;     /* sticky: some tag did not fit */
};

void mb2_build_begin(struct mb2_builder *b, void *buf, uint32_t cap);
void mb2_build_string(struct mb2_builder *b, uint32_t type, const char *s);
void mb2_build_module(struct mb2_builder *b, uint32_t start, uint32_t end, const char *s);
void mb2_build_meminfo(struct mb2_builder *b, uint32_t lower_kib, uint32_t upper_kib);
void mb2_build_mmap(struct mb2_builder *b, const struct mb2_mmap_entry *e, unsigned n);
/* Adds the end tag and the total size; returns the size, or 0 on overflow. */
uint32_t mb2_build_end(struct mb2_builder *b);

#endif
