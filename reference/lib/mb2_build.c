#include "mb2_build.h"
#include "hv_string.h"

static uint32_t align_tag(uint32_t n)
{
	return (n + MB2_TAG_ALIGN - 1) & ~(MB2_TAG_ALIGN - 1);
}

/* Reserves an aligned tag of `size` bytes, or NULL (and sets overflow). */
static uint8_t *tag_alloc(struct mb2_builder *b, uint32_t type, uint32_t size)
{
	uint32_t need = align_tag(size);
	if (b->overflow || need < size || b->cap - b->used < need) {
		b->overflow = true;
		return 0;
	}
	uint8_t *p = b->buf + b->used;
	memset(p, 0, need);
	struct mb2_tag t = { type, size };
	memcpy(p, &t, sizeof t);
	b->used += need;
	return p;
}

void mb2_build_begin(struct mb2_builder *b, void *buf, uint32_t cap)
{
	b->buf = buf;
	b->cap = cap;
	b->used = 0;
	b->overflow = cap < sizeof(struct mb2_info_header);
	if (!b->overflow) {
		memset(buf, 0, sizeof(struct mb2_info_header));
		b->used = sizeof(struct mb2_info_header);
	}
}

void mb2_build_string(struct mb2_builder *b, uint32_t type, const char *s)
{
	uint32_t len = (uint32_t)strlen(s) + 1;
	uint8_t *p = tag_alloc(b, type, sizeof(struct mb2_tag) + len);
	if (p)
		memcpy(p + sizeof(struct mb2_tag), s, len);
}

void mb2_build_module(struct mb2_builder *b, uint32_t start, uint32_t end, const char *s)
{
	uint32_t len = (uint32_t)strlen(s) + 1;
	uint8_t *p = tag_alloc(b, MB2_TAG_MODULE, sizeof(struct mb2_tag_module) + len);
	if (!p)
		return;
	struct mb2_tag_module m = { MB2_TAG_MODULE, sizeof(struct mb2_tag_module) + len, start, end };
	memcpy(p, &m, sizeof m);
	memcpy(p + sizeof m, s, len);
}

void mb2_build_meminfo(struct mb2_builder *b, uint32_t lower_kib, uint32_t upper_kib)
{
	struct mb2_tag_basic_meminfo m = { MB2_TAG_BASIC_MEMINFO, sizeof m, lower_kib, upper_kib };
	uint8_t *p = tag_alloc(b, MB2_TAG_BASIC_MEMINFO, sizeof m);
	if (p)
		memcpy(p, &m, sizeof m);
}

void mb2_build_mmap(struct mb2_builder *b, const struct mb2_mmap_entry *e, unsigned n)
{
	uint32_t size = sizeof(struct mb2_tag_mmap) + n * (uint32_t)sizeof *e;
	uint8_t *p = tag_alloc(b, MB2_TAG_MMAP, size);
	if (!p)
		return;
	struct mb2_tag_mmap m = { MB2_TAG_MMAP, size, sizeof *e, 0 };
	memcpy(p, &m, sizeof m);
	memcpy(p + sizeof m, e, n * sizeof *e);
}

uint32_t mb2_build_end(struct mb2_builder *b)
{
	tag_alloc(b, MB2_TAG_END, sizeof(struct mb2_tag));
	if (b->overflow)
		return 0;
	struct mb2_info_header h = { b->used, 0 };
	memcpy(b->buf, &h, sizeof h);
	return b->used;
}
