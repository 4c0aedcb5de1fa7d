#include "frames.h"
#include "hv_string.h"

#define MANAGED_BYTES (4ull << 30)            /* identity map covers the first 4 GiB */
#define NFRAMES (MANAGED_BYTES / FRAME_SIZE)
#define LOW_MEMORY_END 0x100000ull            /* never hand out the first MiB */

static uint64_t used_bitmap[NFRAMES / 64];   /* 1 = not available */
static uint64_t in_use, hint;

static int is_used(uint64_t f) { return (used_bitmap[f / 64] >> (f % 64)) & 1; }
static void set_used(uint64_t f) { used_bitmap[f / 64] |= 1ull << (f % 64); }
static void set_free(uint64_t f) { used_bitmap[f / 64] &= ~(1ull << (f % 64)); }

static void mark_range(uint64_t start, uint64_t end, int used)
{
	if (end > MANAGED_BYTES)
		end = MANAGED_BYTES;
	for (uint64_t f = start / FRAME_SIZE; f * FRAME_SIZE < end; f++) {
		if (used)
			set_used(f);
		else
			set_free(f);
	}
}

void frames_init(const struct boot_info *bi, uint64_t image_start, uint64_t image_end)
{
	memset(used_bitmap, 0xff, sizeof used_bitmap);
	for (unsigned i = 0; i < bi->nmmap; i++) {
		const struct mb2_mmap_entry *e = &bi->mmap[i];
		if (e->type != MB2_MEMORY_AVAILABLE)
			continue;
		uint64_t start = (e->base_addr + FRAME_SIZE - 1) & ~(FRAME_SIZE - 1);
		uint64_t end = (e->base_addr + e->length) & ~(FRAME_SIZE - 1);
		if (end > start)
			mark_range(start, end, 0);
	}
	/* An available range may overlap a reserved one in a sloppy map: reserved wins. */
	for (unsigned i = 0; i < bi->nmmap; i++) {
		const struct mb2_mmap_entry *e = &bi->mmap[i];
		if (e->type != MB2_MEMORY_AVAILABLE)
			mark_range(e->base_addr & ~(FRAME_SIZE - 1), e->base_addr + e->length, 1);
	}
	mark_range(0, LOW_MEMORY_END, 1);
	mark_range(image_start, image_end, 1);
	mark_range(bi->info_start, bi->info_end, 1);
	if (bi->has_module)
		mark_range(bi->module_start, bi->module_end, 1);
	if (bi->has_disk)
		mark_range(bi->disk_start, bi->disk_end, 1);
	if (bi->has_initrd)
		mark_range(bi->initrd_start, bi->initrd_end, 1);
	in_use = 0;
	hint = 0;
}

uint64_t frame_alloc(void)
{
	for (uint64_t n = 0; n < NFRAMES / 64; n++) {
		uint64_t w = (hint + n) % (NFRAMES / 64);
		if (used_bitmap[w] == ~0ull)
			continue;
		uint64_t f = w * 64 + (uint64_t)__builtin_ctzll(~used_bitmap[w]);
		set_used(f);
		in_use++;
		hint = w;
		memset((void *)(f * FRAME_SIZE), 0, FRAME_SIZE);
		return f * FRAME_SIZE;
	}
	return 0;
}

void frame_free(uint64_t hpa)
{
	uint64_t f = hpa / FRAME_SIZE;
	if (f < NFRAMES && is_used(f)) {
		set_free(f);
		in_use--;
	}
}

uint64_t frames_alloc_contig(uint64_t bytes, uint64_t align)
{
	uint64_t n = (bytes + FRAME_SIZE - 1) / FRAME_SIZE;
	uint64_t step = align > FRAME_SIZE ? align / FRAME_SIZE : 1;
	for (uint64_t f = 0; f + n <= NFRAMES;) {
		uint64_t i = 0;
		while (i < n && !is_used(f + i))
			i++;
		if (i < n) {    /* restart at the next aligned frame past the used one */
			f = (f + i + step) / step * step;
			continue;
		}
		for (i = 0; i < n; i++)
			set_used(f + i);
		in_use += n;
		return f * FRAME_SIZE;
	}
	return 0;
}

uint64_t frames_in_use(void) { return in_use; }
