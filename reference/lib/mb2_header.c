#include "mb2_header.h"
#include "hv_string.h"
#include "mb2.h"

int64_t mb2_header_find(const void *image, uint64_t size)
{
	const uint8_t *bytes = image;
	uint64_t limit = size < MB2_SEARCH_BYTES ? size : MB2_SEARCH_BYTES;
	for (uint64_t off = 0; off + sizeof(struct mb2_header) <= limit; off += MB2_HEADER_ALIGN) {
		struct mb2_header h;
		memcpy(&h, bytes + off, sizeof h);
		if (h.magic == MB2_HEADER_MAGIC && h.architecture == MB2_ARCH_I386 &&
		    (uint32_t)(h.magic + h.architecture + h.header_length + h.checksum) == 0)
			return (int64_t)off;
	}
	return -1;
}
