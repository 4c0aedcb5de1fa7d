/* The fake host of the stage-2 unit tests (stage2_fake_host.h). */
#include "stage2_fake_host.h"

#include <stdlib.h>
#include <string.h>

uint64_t fake_alloc(void *ctx)
{
	struct fake_host *h = ctx;

	if (h->allocs_left == 0)
		return 0;
	if (h->allocs_left > 0)
		h->allocs_left--;
	ATF_REQUIRE_MSG(h->next < FAKE_FRAMES, "fake host ran out of frame slots");
	unsigned char *p = aligned_alloc(SZ_4K, 2 * SZ_4K);
	ATF_REQUIRE(p != NULL);
	memset(p, 0, SZ_4K);
	memset(p + SZ_4K, FAKE_GUARD, SZ_4K);
	unsigned i = h->next++;
	h->frame[i] = p;
	h->live[i] = true;
	h->allocs++;
	h->live_count++;
	return FAKE_HPA_BASE + (uint64_t)i * SZ_4K;
}

static unsigned fake_index(const struct fake_host *h, uint64_t hpa)
{
	ATF_REQUIRE_MSG(hpa >= FAKE_HPA_BASE && (hpa - FAKE_HPA_BASE) % SZ_4K == 0 &&
			(hpa - FAKE_HPA_BASE) / SZ_4K < h->next,
			"hpa %#llx is not a frame the fake host handed out", (unsigned long long)hpa);
	unsigned i = (unsigned)((hpa - FAKE_HPA_BASE) / SZ_4K);
	ATF_REQUIRE_MSG(h->live[i], "frame %#llx used after it was freed", (unsigned long long)hpa);
	return i;
}

/* The guard after frame i is whole. */
static void check_guard(const struct fake_host *h, unsigned i)
{
	const unsigned char *guard = (const unsigned char *)h->frame[i] + SZ_4K;

	for (unsigned k = 0; k < SZ_4K; k++)
		ATF_REQUIRE_MSG(guard[k] == FAKE_GUARD, "byte %u past the end of frame %#llx was written",
				k, (unsigned long long)(FAKE_HPA_BASE + (uint64_t)i * SZ_4K));
}

void fake_free(void *ctx, uint64_t hpa)
{
	struct fake_host *h = ctx;
	unsigned i = fake_index(h, hpa);

	check_guard(h, i);
	memset(h->frame[i], FAKE_POISON, SZ_4K);
	free(h->frame[i]);
	h->frame[i] = NULL;
	h->live[i] = false;
	h->frees++;
	h->live_count--;
	h->flushes_at_last_free = h->flushes;
}

void *fake_virt(void *ctx, uint64_t hpa)
{
	struct fake_host *h = ctx;

	return h->frame[fake_index(h, hpa)];
}

static void fake_flush(void *ctx, uint64_t root)
{
	struct fake_host *h = ctx;

	h->flushes++;
	h->last_root = root;
}

struct fake_host *fake_new(void)
{
	struct fake_host *h = calloc(1, sizeof(*h));

	ATF_REQUIRE(h != NULL);
	h->allocs_left = -1;
	return h;
}

void fake_delete(struct fake_host *h)
{
	for (unsigned i = 0; i < h->next; i++)
		if (h->live[i]) {
			check_guard(h, i);
			free(h->frame[i]);
		}
	free(h);
}

struct stage2_env fake_env_of(struct fake_host *h, enum stage2_format format, uint64_t caps,
			      unsigned phys_bits)
{
	struct stage2_env env = {
		.ctx = h,
		.format = format,
		.alloc_frame = fake_alloc,
		.free_frame = fake_free,
		.phys_to_virt = fake_virt,
		.flush = fake_flush,
		.caps = caps,
		.phys_addr_bits = phys_bits,
	};
	return env;
}

struct translation mapped(uint64_t hpa, uint64_t size, unsigned perms, unsigned memtype)
{
	struct translation t = { STAGE2_OK, hpa, size, perms, memtype };
	return t;
}

struct translation unmapped(void)
{
	struct translation t = { .result = STAGE2_ENOENT };
	return t;
}

void expect_walk(const struct stage2 *e, uint64_t gpa, struct translation raw,
		 struct translation want)
{
	struct stage2_mapping m;
	int got = stage2_walk(e, gpa, &m);

	ATF_REQUIRE_MSG(got == want.result, "walk(%#llx) = %d (%s), expected %d",
			(unsigned long long)gpa, got, stage2_strerror(got), want.result);
	ATF_REQUIRE_EQ_MSG(raw.result, want.result, "raw walk of %#llx", (unsigned long long)gpa);
	if (want.result != STAGE2_OK)
		return;
	ATF_REQUIRE_MSG(m.hpa == want.hpa && raw.hpa == want.hpa,
			"gpa %#llx -> hpa %#llx (raw %#llx), expected %#llx", (unsigned long long)gpa,
			(unsigned long long)m.hpa, (unsigned long long)raw.hpa,
			(unsigned long long)want.hpa);
	ATF_REQUIRE_MSG(m.page_size == want.size && raw.size == want.size,
			"gpa %#llx page size %#llx (raw %#llx), expected %#llx", (unsigned long long)gpa,
			(unsigned long long)m.page_size, (unsigned long long)raw.size,
			(unsigned long long)want.size);
	ATF_REQUIRE_MSG(m.perms == want.perms && raw.perms == want.perms,
			"gpa %#llx perms %u (raw %u), expected %u", (unsigned long long)gpa, m.perms,
			raw.perms, want.perms);
	ATF_REQUIRE_MSG(m.memtype == want.memtype && raw.memtype == want.memtype,
			"gpa %#llx memtype %u (raw %u), expected %u", (unsigned long long)gpa, m.memtype,
			raw.memtype, want.memtype);
}

void fake_teardown(struct fake_host *h, struct stage2 *e)
{
	stage2_destroy(e);
	ATF_REQUIRE_EQ_MSG(h->allocs, h->frees, "allocs %u frees %u after stage2_destroy", h->allocs,
			   h->frees);
	ATF_REQUIRE_EQ(h->live_count, 0u);
	fake_delete(h);
}

void require_linked_table_used(int level, unsigned present, uint64_t table_hpa)
{
	if (level < 4)
		ATF_REQUIRE_MSG(present > 0, "level %d table %#llx is empty but still linked",
				level, (unsigned long long)table_hpa);
}

void check_structures_with(struct fake_host *h, const struct stage2 *e, raw_table_check check)
{
	uint64_t tables = check(h, e, e->pml4_hpa, 4);

	ATF_REQUIRE_EQ_MSG(tables, e->table_frames, "reachable tables %llu, table_frames %llu",
			   (unsigned long long)tables, (unsigned long long)e->table_frames);
	ATF_REQUIRE_EQ_MSG((uint64_t)h->live_count, e->table_frames, "live frames %u",
			   h->live_count);
}
