/* Host unit tests of reference/lib/stage2.c in the EPT format.
 *
 * Paging-structure frames come from the fake host of stage2_fake_host.h
 * (made-up host-physical addresses; every allocation, free and flush
 * counted; allocations failed on demand; freed frames trapped).
 * Besides stage2_walk, every check also reads the raw entries with this
 * file's own walker, written from SDM vol. 3 section 29.3.2, so a wrong
 * entry encoding cannot hide behind a matching wrong decoder. */
#include <atf-c.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stage2_fake_host.h"

/* IA32_VMX_EPT_VPID_CAP bits, SDM vol. 3 appendix A.10. */
#define CAP_EXEC_ONLY (1ull << 0)
#define CAP_WALK_4 (1ull << 6)
#define CAP_WB (1ull << 14)
#define CAP_2M (1ull << 16)
#define CAP_1G (1ull << 17)
#define CAPS_MIN (CAP_WALK_4 | CAP_WB)
#define CAPS_ALL (CAPS_MIN | CAP_EXEC_ONLY | CAP_2M | CAP_1G)

static struct stage2_env fake_env(struct fake_host *h, uint64_t caps, unsigned phys_bits)
{
	return fake_env_of(h, STAGE2_FORMAT_EPT, caps, phys_bits);
}

/* ------------------------------------------------------------------ */
/* An independent reading of the raw structures (SDM 29.3.2, Tables    */
/* 29-1..29-6, misconfigurations 29.3.3.1)                             */

#define E_RIGHTS 0x7ull
#define E_MEMTYPE(e) (((e) >> 3) & 7u)
#define E_IGNORE_PAT (1ull << 6)
#define E_PAGE (1ull << 7)


static uint64_t *raw_table(struct fake_host *h, uint64_t hpa)
{
	return fake_virt(h, hpa);
}

static struct translation raw_walk(struct fake_host *h, const struct stage2 *e, uint64_t gpa)
{
	struct translation t = { .result = STAGE2_ENOENT };
	uint64_t table = e->pml4_hpa;

	for (int level = 4; level >= 1; level--) {
		unsigned shift = 12u + 9u * (unsigned)(level - 1);
		uint64_t entry = raw_table(h, table)[(gpa >> shift) & 511u];

		if ((entry & E_RIGHTS) == 0)
			return t;
		if (level == 1 || (level <= 3 && (entry & E_PAGE))) {
			uint64_t size = 1ull << shift;
			t.result = STAGE2_OK;
			t.size = size;
			t.hpa = (entry & 0x000ffffffffff000ull & ~(size - 1)) | (gpa & (size - 1));
			t.perms = (unsigned)(entry & E_RIGHTS);
			t.memtype = (unsigned)E_MEMTYPE(entry);
			return t;
		}
		table = entry & 0x000ffffffffff000ull;
	}
	return t;
}

/* Checks every reachable entry for the SDM's misconfigurations and this
 * module's documented invariants; returns the number of tables. */
static uint64_t check_table(struct fake_host *h, const struct stage2 *e, uint64_t hpa, int level)
{
	const uint64_t *t = raw_table(h, hpa);
	uint64_t reserved_hi = ~((1ull << e->env.phys_addr_bits) - 1) & 0x000fffffffffffffull;
	uint64_t tables = 1;
	unsigned present = 0;

	for (unsigned i = 0; i < 512; i++) {
		uint64_t entry = t[i];
		unsigned rights = (unsigned)(entry & E_RIGHTS);

		if (rights == 0) {
			ATF_REQUIRE_EQ_MSG(entry, 0ull, "level %d entry %u not present but not zero", level, i);
			continue;
		}
		present++;
		ATF_REQUIRE_MSG(!((rights & W) && !(rights & R)),
				"level %d entry %u: write without read (29.3.3.1)", level, i);
		ATF_REQUIRE_MSG(!((rights & X) && !(rights & R) &&
				  !(e->env.caps & CAP_EXEC_ONLY)),
				"level %d entry %u: execute-only without caps bit 0", level, i);
		ATF_REQUIRE_EQ_MSG(entry & reserved_hi, 0ull,
				   "level %d entry %u: address bits beyond MAXPHYADDR", level, i);
		bool leaf = level == 1 || (level <= 3 && (entry & E_PAGE));
		if (!leaf) {
			ATF_REQUIRE_EQ_MSG(entry & 0xf8ull, 0ull,
					   "level %d entry %u: reserved bits 7:3 set", level, i);
			tables += check_table(h, e, entry & 0x000ffffffffff000ull, level - 1);
			continue;
		}
		unsigned mt = (unsigned)E_MEMTYPE(entry);
		ATF_REQUIRE_MSG(mt == 0 || mt == 1 || mt == 4 || mt == 5 || mt == 6,
				"level %d entry %u: reserved memory type %u (29.3.3.1)", level, i, mt);
		ATF_REQUIRE_EQ_MSG(entry & E_IGNORE_PAT, 0ull, "level %d entry %u: ignore-PAT set", level, i);
		if (level == 3)
			ATF_REQUIRE_EQ_MSG(entry & 0x3ffff000ull, 0ull, "1G entry %u: bits 29:12 set", i);
		if (level == 2)
			ATF_REQUIRE_EQ_MSG(entry & 0x1ff000ull, 0ull, "2M entry %u: bits 20:12 set", i);
	}
	require_linked_table_used(level, present, hpa);
	return tables;
}

/* Tables reachable == table_frames == frames the fake host holds. */
static void check_structures(struct fake_host *h, const struct stage2 *e)
{
	check_structures_with(h, e, check_table);
}

/* stage2_walk and the raw walker agree, and give the expected answer. */
static void expect_at(struct fake_host *h, const struct stage2 *e, uint64_t gpa, struct translation want)
{
	expect_walk(e, gpa, raw_walk(h, e, gpa), want);
}

static void setup(struct fake_host **h, struct stage2 *e, uint64_t caps, unsigned phys_bits)
{
	*h = fake_new();
	struct stage2_env env = fake_env(*h, caps, phys_bits);
	REQUIRE_OK(stage2_init(e, &env));
	check_structures(*h, e);
}

static void teardown(struct fake_host *h, struct stage2 *e)
{
	check_structures(h, e);
	fake_teardown(h, e);
}

static uint64_t xorshift64(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

/* ------------------------------------------------------------------ */

ATF_TC(init_and_eptp);
ATF_TC_HEAD(init_and_eptp, tc)
{
	atf_tc_set_md_var(tc, "descr", "stage2_init checks its env; the EPTP follows SDM 25.6.11");
}
ATF_TC_BODY(init_and_eptp, tc)
{
	struct fake_host *h = fake_new();
	struct stage2 e;
	struct stage2_env env = fake_env(h, CAPS_ALL, 39);

	REQUIRE_RESULT(stage2_init(&e, NULL), STAGE2_EINVAL);
	REQUIRE_RESULT(stage2_init(NULL, &env), STAGE2_EINVAL);
	env.alloc_frame = NULL;
	REQUIRE_RESULT(stage2_init(&e, &env), STAGE2_EINVAL);
	env = fake_env(h, CAPS_ALL, 39);
	env.free_frame = NULL;
	REQUIRE_RESULT(stage2_init(&e, &env), STAGE2_EINVAL);
	env = fake_env(h, CAPS_ALL, 39);
	env.phys_to_virt = NULL;
	REQUIRE_RESULT(stage2_init(&e, &env), STAGE2_EINVAL);
	env = fake_env(h, CAPS_ALL & ~CAP_WALK_4, 39);
	REQUIRE_RESULT(stage2_init(&e, &env), STAGE2_EINVAL);
	env = fake_env(h, CAPS_ALL & ~CAP_WB, 39);
	REQUIRE_RESULT(stage2_init(&e, &env), STAGE2_EINVAL);
	env = fake_env(h, CAPS_ALL, 35);
	REQUIRE_RESULT(stage2_init(&e, &env), STAGE2_EINVAL);
	env = fake_env(h, CAPS_ALL, 53);
	REQUIRE_RESULT(stage2_init(&e, &env), STAGE2_EINVAL);
	ATF_REQUIRE_EQ(h->allocs, 0u);

	/* A failed init leaves the struct unusable rather than half set up. */
	struct stage2_mapping m;
	REQUIRE_RESULT(stage2_map(&e, 0, 0, SZ_4K, R, STAGE2_MT_WB), STAGE2_EINVAL);
	REQUIRE_RESULT(stage2_walk(&e, 0, &m), STAGE2_EINVAL);

	h->allocs_left = 0;
	env = fake_env(h, CAPS_ALL, 39);
	REQUIRE_RESULT(stage2_init(&e, &env), STAGE2_ENOMEM);
	ATF_REQUIRE_EQ(h->live_count, 0u);
	h->allocs_left = -1;

	REQUIRE_OK(stage2_init(&e, &env));
	ATF_REQUIRE_EQ(e.table_frames, 1ull);
	uint64_t eptp = stage2_root(&e);
	ATF_REQUIRE_EQ_MSG(eptp & 7u, 6ull, "EPTP bits 2:0 must be WB (6)");
	ATF_REQUIRE_EQ_MSG((eptp >> 3) & 7u, 3ull, "EPTP bits 5:3 must be walk length 4 minus 1");
	ATF_REQUIRE_EQ_MSG(eptp & 0xfc0ull, 0ull, "EPTP bits 11:6 must be clear (no A/D, reserved)");
	ATF_REQUIRE_EQ(eptp & ~0xfffull, e.pml4_hpa);
	REQUIRE_RESULT(stage2_walk(&e, 0, NULL), STAGE2_EINVAL);
	teardown(h, &e);
	/* Destroying twice is harmless. */
	stage2_destroy(&e);
}

static uint64_t misaligned_alloc(void *ctx)
{
	unsigned *calls = ctx;
	(*calls)++;
	return 0x10000008ull;
}

static void counting_free(void *ctx, uint64_t hpa)
{
	unsigned *calls = ctx;
	ATF_REQUIRE_EQ(hpa, 0x10000008ull);
	(*calls)++;
}

static void *never_virt(void *ctx, uint64_t hpa)
{
	(void)ctx;
	(void)hpa;
	atf_tc_fail("phys_to_virt called for a frame that was refused");
	return NULL;
}

ATF_TC(init_refuses_bad_frame);
ATF_TC_HEAD(init_refuses_bad_frame, tc)
{
	atf_tc_set_md_var(tc, "descr", "a misaligned frame from the env is refused and given back");
}
ATF_TC_BODY(init_refuses_bad_frame, tc)
{
	unsigned calls = 0;
	struct stage2 e;
	struct stage2_env env = {
		.ctx = &calls, .alloc_frame = misaligned_alloc, .free_frame = counting_free,
		.phys_to_virt = never_virt, .caps = CAPS_ALL, .phys_addr_bits = 39,
	};

	REQUIRE_RESULT(stage2_init(&e, &env), STAGE2_EINVAL);
	ATF_REQUIRE_EQ(calls, 2u);
}

ATF_TC(simple);
ATF_TC_HEAD(simple, tc)
{
	atf_tc_set_md_var(tc, "descr", "map, duplicate map, alignment, absent unmap (KeV ept::simple)");
}
ATF_TC_BODY(simple, tc)
{
	struct fake_host *h;
	struct stage2 e;
	const uint64_t gpa = 0x7654321000ull, hpa = 0x12345000ull;

	setup(&h, &e, CAPS_ALL, 39);
	expect_at(h, &e, gpa, unmapped());
	REQUIRE_OK(stage2_map(&e, gpa, hpa, SZ_4K, R | W | X, STAGE2_MT_WB));
	expect_at(h, &e, gpa, mapped(hpa, SZ_4K, R | W | X, STAGE2_MT_WB));
	expect_at(h, &e, gpa + 0xabc, mapped(hpa + 0xabc, SZ_4K, R | W | X, STAGE2_MT_WB));
	expect_at(h, &e, gpa + SZ_4K, unmapped());
	expect_at(h, &e, gpa - SZ_4K, unmapped());
	/* A 4K mapping needs a PDPT, a PD and a PT under the PML4. */
	ATF_REQUIRE_EQ(e.table_frames, 4ull);
	ATF_REQUIRE_EQ(h->flushes, 0u);

	REQUIRE_RESULT(stage2_map(&e, gpa, hpa + SZ_4K, SZ_4K, R, STAGE2_MT_UC), STAGE2_EEXIST);
	REQUIRE_RESULT(stage2_map(&e, gpa, hpa, SZ_4K, R | W | X, STAGE2_MT_WB), STAGE2_EEXIST);
	expect_at(h, &e, gpa, mapped(hpa, SZ_4K, R | W | X, STAGE2_MT_WB));

	REQUIRE_RESULT(stage2_map(&e, gpa + 0x800, hpa, SZ_4K, R, STAGE2_MT_WB), STAGE2_EALIGN);
	REQUIRE_RESULT(stage2_map(&e, gpa + SZ_4K, hpa + 1, SZ_4K, R, STAGE2_MT_WB), STAGE2_EALIGN);
	REQUIRE_RESULT(stage2_map(&e, SZ_4K, 0, SZ_2M, R, STAGE2_MT_WB), STAGE2_EALIGN);
	REQUIRE_RESULT(stage2_map(&e, 0, SZ_4K, SZ_2M, R, STAGE2_MT_WB), STAGE2_EALIGN);
	REQUIRE_RESULT(stage2_map(&e, SZ_2M, 0, SZ_1G, R, STAGE2_MT_WB), STAGE2_EALIGN);
	REQUIRE_RESULT(stage2_unmap(&e, gpa + 1, SZ_4K), STAGE2_EALIGN);
	REQUIRE_RESULT(stage2_protect(&e, gpa + 1, SZ_4K, R), STAGE2_EALIGN);

	REQUIRE_RESULT(stage2_unmap(&e, gpa + SZ_4K, SZ_4K), STAGE2_ENOENT);
	REQUIRE_RESULT(stage2_unmap(&e, 0, SZ_4K), STAGE2_ENOENT);
	REQUIRE_RESULT(stage2_protect(&e, 0, SZ_4K, R), STAGE2_ENOENT);
	REQUIRE_RESULT(stage2_unmap(&e, 0, SZ_1G), STAGE2_ENOENT);
	ATF_REQUIRE_EQ(h->flushes, 0u);
	check_structures(h, &e);

	REQUIRE_OK(stage2_unmap(&e, gpa, SZ_4K));
	expect_at(h, &e, gpa, unmapped());
	REQUIRE_RESULT(stage2_unmap(&e, gpa, SZ_4K), STAGE2_ENOENT);
	/* Emptied tables are freed. */
	ATF_REQUIRE_EQ(e.table_frames, 1ull);
	REQUIRE_OK(stage2_map(&e, gpa, hpa + SZ_4K, SZ_4K, R, STAGE2_MT_UC));
	expect_at(h, &e, gpa, mapped(hpa + SZ_4K, SZ_4K, R, STAGE2_MT_UC));
	teardown(h, &e);
}

ATF_TC(bad_arguments);
ATF_TC_HEAD(bad_arguments, tc)
{
	atf_tc_set_md_var(tc, "descr", "address ranges, sizes and memory types");
}
ATF_TC_BODY(bad_arguments, tc)
{
	struct fake_host *h;
	struct stage2 e;
	struct stage2_mapping m;

	/* MAXPHYADDR 39 limits both gpa and hpa. */
	setup(&h, &e, CAPS_ALL, 39);
	const uint64_t top39 = 1ull << 39;
	REQUIRE_RESULT(stage2_map(&e, top39, 0, SZ_4K, R, STAGE2_MT_WB), STAGE2_ERANGE);
	REQUIRE_RESULT(stage2_map(&e, 0, top39, SZ_4K, R, STAGE2_MT_WB), STAGE2_ERANGE);
	REQUIRE_RESULT(stage2_map(&e, 0, top39 - SZ_4K + SZ_1G, SZ_1G, R, STAGE2_MT_WB), STAGE2_EALIGN);
	REQUIRE_RESULT(stage2_map(&e, top39, 0, SZ_1G, R, STAGE2_MT_WB), STAGE2_ERANGE);
	REQUIRE_RESULT(stage2_map(&e, ~0ull & ~(SZ_4K - 1), 0, SZ_4K, R, STAGE2_MT_WB), STAGE2_ERANGE);
	REQUIRE_RESULT(stage2_map(&e, 0, ~0ull & ~(SZ_4K - 1), SZ_4K, R, STAGE2_MT_WB), STAGE2_ERANGE);
	REQUIRE_RESULT(stage2_unmap(&e, top39, SZ_4K), STAGE2_ERANGE);
	REQUIRE_RESULT(stage2_protect(&e, top39, SZ_4K, R), STAGE2_ERANGE);
	REQUIRE_RESULT(stage2_walk(&e, top39, &m), STAGE2_ERANGE);
	REQUIRE_OK(stage2_map(&e, top39 - SZ_4K, top39 - SZ_4K, SZ_4K, R, STAGE2_MT_WB));
	expect_at(h, &e, top39 - 1, mapped(top39 - 1, SZ_4K, R, STAGE2_MT_WB));
	REQUIRE_OK(stage2_map(&e, top39 - 2 * SZ_1G, top39 - SZ_1G, SZ_1G, R, STAGE2_MT_WB));

	/* Sizes: only the three page sizes. */
	REQUIRE_RESULT(stage2_map(&e, 0, 0, 0, R, STAGE2_MT_WB), STAGE2_EINVAL);
	REQUIRE_RESULT(stage2_map(&e, 0, 0, 2 * SZ_4K, R, STAGE2_MT_WB), STAGE2_EINVAL);
	REQUIRE_RESULT(stage2_map(&e, 0, 0, 512ull * SZ_1G, R, STAGE2_MT_WB), STAGE2_EINVAL);
	REQUIRE_RESULT(stage2_unmap(&e, 0, 3), STAGE2_EINVAL);
	REQUIRE_RESULT(stage2_protect(&e, 0, 0, R), STAGE2_EINVAL);

	/* Memory types: 29.3.7 defines 0, 1, 4, 5, 6; the rest are reserved. */
	const unsigned bad_mt[] = { 2, 3, 7, 8, 0x40, ~0u };
	for (unsigned i = 0; i < sizeof(bad_mt) / sizeof(bad_mt[0]); i++)
		REQUIRE_RESULT(stage2_map(&e, 0, 0, SZ_4K, R, bad_mt[i]), STAGE2_EINVAL);
	const unsigned good_mt[] = { 0, 1, 4, 5, 6 };
	for (unsigned i = 0; i < sizeof(good_mt) / sizeof(good_mt[0]); i++) {
		REQUIRE_OK(stage2_map(&e, i * SZ_4K, (i + 16) * SZ_4K, SZ_4K, R, good_mt[i]));
		expect_at(h, &e, i * SZ_4K, mapped((i + 16) * SZ_4K, SZ_4K, R, good_mt[i]));
	}
	teardown(h, &e);

	/* With MAXPHYADDR 52 the 4-level walk's 48 bits are the gpa limit. */
	setup(&h, &e, CAPS_ALL, 52);
	const uint64_t top48 = 1ull << 48;
	REQUIRE_RESULT(stage2_map(&e, top48, 0, SZ_4K, R, STAGE2_MT_WB), STAGE2_ERANGE);
	REQUIRE_RESULT(stage2_walk(&e, top48, &m), STAGE2_ERANGE);
	REQUIRE_OK(stage2_map(&e, top48 - SZ_4K, top48, SZ_4K, R, STAGE2_MT_WB));
	expect_at(h, &e, top48 - SZ_4K, mapped(top48, SZ_4K, R, STAGE2_MT_WB));
	REQUIRE_OK(stage2_map(&e, top48 - 2 * SZ_1G, (1ull << 52) - SZ_1G, SZ_1G, R, STAGE2_MT_WB));
	expect_at(h, &e, top48 - SZ_1G - 1, mapped((1ull << 52) - 1, SZ_1G, R, STAGE2_MT_WB));
	REQUIRE_RESULT(stage2_map(&e, 0, 1ull << 52, SZ_4K, R, STAGE2_MT_WB), STAGE2_ERANGE);
	teardown(h, &e);
}

ATF_TC(permissions);
ATF_TC_HEAD(permissions, tc)
{
	atf_tc_set_md_var(tc, "descr", "all 7 R/W/X combinations, with and without execute-only caps");
}
ATF_TC_BODY(permissions, tc)
{
	/* 29.3.3.1: write without read is a misconfiguration; execute-only is
	 * one unless IA32_VMX_EPT_VPID_CAP bit 0 is set. */
	static const struct {
		unsigned perms;
		int without_xo, with_xo;
	} rules[] = {
		{ R, STAGE2_OK, STAGE2_OK },
		{ W, STAGE2_EPERM, STAGE2_EPERM },
		{ R | W, STAGE2_OK, STAGE2_OK },
		{ X, STAGE2_EPERM, STAGE2_OK },
		{ R | X, STAGE2_OK, STAGE2_OK },
		{ W | X, STAGE2_EPERM, STAGE2_EPERM },
		{ R | W | X, STAGE2_OK, STAGE2_OK },
	};

	for (int xo = 0; xo < 2; xo++) {
		struct fake_host *h;
		struct stage2 e;
		uint64_t caps = xo ? CAPS_ALL : (CAPS_ALL & ~CAP_EXEC_ONLY);

		setup(&h, &e, caps, 39);
		REQUIRE_RESULT(stage2_map(&e, 0, 0, SZ_4K, 0, STAGE2_MT_WB), STAGE2_EINVAL);
		REQUIRE_RESULT(stage2_map(&e, 0, 0, SZ_4K, 8, STAGE2_MT_WB), STAGE2_EINVAL);
		REQUIRE_RESULT(stage2_map(&e, 0, 0, SZ_4K, R | 8, STAGE2_MT_WB), STAGE2_EINVAL);
		for (unsigned i = 0; i < 7; i++) {
			uint64_t gpa = (uint64_t)(i + 1) * SZ_2M; /* one PT each */
			int want = xo ? rules[i].with_xo : rules[i].without_xo;

			REQUIRE_RESULT(stage2_map(&e, gpa, gpa, SZ_4K, rules[i].perms, STAGE2_MT_WB), want);
			expect_at(h, &e, gpa, want == STAGE2_OK
				  ? mapped(gpa, SZ_4K, rules[i].perms, STAGE2_MT_WB) : unmapped());
			/* Large pages follow the same rules. */
			uint64_t big = (uint64_t)(i + 1) * SZ_1G;
			REQUIRE_RESULT(stage2_map(&e, big, big, SZ_2M, rules[i].perms, STAGE2_MT_WB), want);
		}
		/* Re-protecting follows the same rules and leaves a refused page as it was. */
		const uint64_t page = 0x100 * SZ_4K;
		REQUIRE_OK(stage2_map(&e, page, page, SZ_4K, R | W | X, STAGE2_MT_WT));
		for (unsigned i = 0; i < 7; i++) {
			int want = xo ? rules[i].with_xo : rules[i].without_xo;
			unsigned before = raw_walk(h, &e, page).perms;

			REQUIRE_RESULT(stage2_protect(&e, page, SZ_4K, rules[i].perms), want);
			expect_at(h, &e, page, mapped(page, SZ_4K, want == STAGE2_OK ? rules[i].perms : before,
						      STAGE2_MT_WT));
		}
		REQUIRE_RESULT(stage2_protect(&e, page, SZ_4K, 0), STAGE2_EINVAL);
		teardown(h, &e);
	}
}

/* Five pages: a base and four others, each differing from it in exactly
 * one level's index (PML4, PDPT, PD, PT); offsets inside each page are
 * checked on every walk. */
#define FIVE 5
static const uint64_t five_gpa[FIVE] = {
	(3ull << 39) | (5ull << 30) | (7ull << 21) | (9ull << 12),
	(4ull << 39) | (5ull << 30) | (7ull << 21) | (9ull << 12),
	(3ull << 39) | (6ull << 30) | (7ull << 21) | (9ull << 12),
	(3ull << 39) | (5ull << 30) | (8ull << 21) | (9ull << 12),
	(3ull << 39) | (5ull << 30) | (7ull << 21) | (10ull << 12),
};
static const unsigned five_perms[FIVE] = { R, R | W, R | X, R | W | X, R };
static const unsigned five_mt[FIVE] = { STAGE2_MT_WB, STAGE2_MT_UC, STAGE2_MT_WT, STAGE2_MT_WC, STAGE2_MT_WP };
static const uint64_t five_offsets[] = { 0, 0x1, 0x7f8, 0xfff };

static uint64_t five_hpa(unsigned i)
{
	return 0x40000000ull + (uint64_t)(i * 17 + 3) * SZ_4K;
}

static unsigned count_distinct(const uint64_t *v, unsigned n)
{
	unsigned distinct = 0;
	for (unsigned i = 0; i < n; i++) {
		bool seen = false;
		for (unsigned j = 0; j < i; j++)
			seen |= v[j] == v[i];
		distinct += !seen;
	}
	return distinct;
}

/* One PML4 plus one PDPT per distinct gpa[47:39], one PD per distinct
 * gpa[47:30], one PT per distinct gpa[47:21] among the mapped pages. */
static uint64_t expected_tables(const bool *is_mapped)
{
	uint64_t pdpt[FIVE], pd[FIVE], pt[FIVE];
	unsigned n = 0;

	for (unsigned i = 0; i < FIVE; i++) {
		if (!is_mapped[i])
			continue;
		pdpt[n] = five_gpa[i] >> 39;
		pd[n] = five_gpa[i] >> 30;
		pt[n] = five_gpa[i] >> 21;
		n++;
	}
	return 1u + count_distinct(pdpt, n) + count_distinct(pd, n) + count_distinct(pt, n);
}

static void check_five(struct fake_host *h, const struct stage2 *e, const bool *is_mapped)
{
	for (unsigned i = 0; i < FIVE; i++)
		for (unsigned k = 0; k < sizeof(five_offsets) / sizeof(five_offsets[0]); k++)
			expect_at(h, e, five_gpa[i] + five_offsets[k],
				  is_mapped[i] ? mapped(five_hpa(i) + five_offsets[k], SZ_4K,
							five_perms[i], five_mt[i])
					       : unmapped());
	check_structures(h, e);
	ATF_REQUIRE_EQ(e->table_frames, expected_tables(is_mapped));
}

static void five_op(struct fake_host *h, struct stage2 *e, bool *is_mapped, unsigned i)
{
	unsigned invepts = h->flushes;

	if (is_mapped[i]) {
		REQUIRE_OK(stage2_unmap(e, five_gpa[i], SZ_4K));
		ATF_REQUIRE_EQ(h->flushes, invepts + 1);
	} else {
		REQUIRE_OK(stage2_map(e, five_gpa[i], five_hpa(i), SZ_4K, five_perms[i], five_mt[i]));
		ATF_REQUIRE_EQ(h->flushes, invepts);
	}
	is_mapped[i] = !is_mapped[i];
	check_five(h, e, is_mapped);
}

static bool next_permutation(unsigned *p, unsigned n)
{
	int i = (int)n - 2;
	while (i >= 0 && p[i] >= p[i + 1])
		i--;
	if (i < 0)
		return false;
	int j = (int)n - 1;
	while (p[j] <= p[i])
		j--;
	unsigned t = p[i]; p[i] = p[j]; p[j] = t;
	for (unsigned a = (unsigned)i + 1, b = n - 1; a < b; a++, b--) {
		t = p[a]; p[a] = p[b]; p[b] = t;
	}
	return true;
}

ATF_TC(complicate);
ATF_TC_HEAD(complicate, tc)
{
	atf_tc_set_md_var(tc, "descr", "mappings differing in one level's index never disturb each other "
			  "(KeV ept::complicate), every map order and several unmap orders");
}
ATF_TC_BODY(complicate, tc)
{
	unsigned order[FIVE] = { 0, 1, 2, 3, 4 };
	unsigned rounds = 0;

	do {
		for (unsigned variant = 0; variant < 3; variant++) {
			struct fake_host *h;
			struct stage2 e;
			bool is_mapped[FIVE] = { false };

			setup(&h, &e, CAPS_ALL, 46);
			for (unsigned k = 0; k < FIVE; k++)
				five_op(h, &e, is_mapped, order[k]);
			for (unsigned k = 0; k < FIVE; k++) {
				/* same order, reverse order, rotated order */
				unsigned pos = variant == 0 ? k : variant == 1 ? FIVE - 1 - k
										: (k + 2) % FIVE;
				five_op(h, &e, is_mapped, order[pos]);
			}
			ATF_REQUIRE_EQ(e.table_frames, 1ull);
			teardown(h, &e);
		}
		rounds++;
	} while (next_permutation(order, FIVE));
	ATF_REQUIRE_EQ(rounds, 120u);

	/* Random interleavings of maps and unmaps. */
	struct fake_host *h;
	struct stage2 e;
	bool is_mapped[FIVE] = { false };
	uint64_t seed = 0x9e3779b97f4a7c15ull;

	setup(&h, &e, CAPS_ALL, 46);
	for (unsigned step = 0; step < 2000; step++)
		five_op(h, &e, is_mapped, (unsigned)(xorshift64(&seed) % FIVE));
	teardown(h, &e);
}

ATF_TC(huge_pages);
ATF_TC_HEAD(huge_pages, tc)
{
	atf_tc_set_md_var(tc, "descr", "2M and 1G pages: map, walk inside, overlap refusal, caps");
}
ATF_TC_BODY(huge_pages, tc)
{
	struct fake_host *h;
	struct stage2 e;
	const uint64_t g2 = 0x40200000ull, h2 = 0x7fe00000ull;
	const uint64_t g1 = 0x8000000000ull, h1 = 0x140000000ull;
	const uint64_t inside[] = { 0, SZ_4K, 0x12345, SZ_2M - 1 };

	setup(&h, &e, CAPS_ALL, 40);
	REQUIRE_OK(stage2_map(&e, g2, h2, SZ_2M, R | W, STAGE2_MT_WB));
	/* PML4 + PDPT + PD: a 2M page needs no PT. */
	ATF_REQUIRE_EQ(e.table_frames, 3ull);
	for (unsigned i = 0; i < 4; i++)
		expect_at(h, &e, g2 + inside[i], mapped(h2 + inside[i], SZ_2M, R | W, STAGE2_MT_WB));
	expect_at(h, &e, g2 - 1, unmapped());
	expect_at(h, &e, g2 + SZ_2M, unmapped());

	REQUIRE_OK(stage2_map(&e, g1, h1, SZ_1G, R | X, STAGE2_MT_UC));
	ATF_REQUIRE_EQ(e.table_frames, 4ull);
	const uint64_t inside1[] = { 0, SZ_4K, SZ_2M, 0x2345678, SZ_1G - 1 };
	for (unsigned i = 0; i < 5; i++)
		expect_at(h, &e, g1 + inside1[i], mapped(h1 + inside1[i], SZ_1G, R | X, STAGE2_MT_UC));
	expect_at(h, &e, g1 + SZ_1G, unmapped());

	/* Overlaps in both directions. */
	REQUIRE_RESULT(stage2_map(&e, g2 + 5 * SZ_4K, 0, SZ_4K, R, STAGE2_MT_WB), STAGE2_EEXIST);
	REQUIRE_RESULT(stage2_map(&e, g2 & ~(SZ_1G - 1), 0, SZ_1G, R, STAGE2_MT_WB), STAGE2_EEXIST);
	REQUIRE_RESULT(stage2_map(&e, g1 + 7 * SZ_2M, 0, SZ_2M, R, STAGE2_MT_WB), STAGE2_EEXIST);
	REQUIRE_RESULT(stage2_map(&e, g1 + 7 * SZ_2M + SZ_4K, 0, SZ_4K, R, STAGE2_MT_WB), STAGE2_EEXIST);
	REQUIRE_RESULT(stage2_map(&e, g1, h1, SZ_1G, R | X, STAGE2_MT_UC), STAGE2_EEXIST);
	const uint64_t g4 = 0x20000000ull + 3 * SZ_2M + 9 * SZ_4K;
	REQUIRE_OK(stage2_map(&e, g4, 0x5000, SZ_4K, R, STAGE2_MT_WB));
	REQUIRE_RESULT(stage2_map(&e, g4 & ~(SZ_2M - 1), 0, SZ_2M, R, STAGE2_MT_WB), STAGE2_EEXIST);
	REQUIRE_RESULT(stage2_map(&e, g4 & ~(SZ_1G - 1), 0, SZ_1G, R, STAGE2_MT_WB), STAGE2_EEXIST);
	expect_at(h, &e, g4, mapped(0x5000, SZ_4K, R, STAGE2_MT_WB));
	expect_at(h, &e, g4 & ~(SZ_2M - 1), unmapped());
	ATF_REQUIRE_EQ(h->flushes, 0u);

	/* Whole-page protect and unmap change the page in place. */
	unsigned frames = (unsigned)e.table_frames;
	REQUIRE_OK(stage2_protect(&e, g2, SZ_2M, R));
	ATF_REQUIRE_EQ(e.table_frames, (uint64_t)frames);
	ATF_REQUIRE_EQ(h->flushes, 1u);
	expect_at(h, &e, g2 + 0x12345, mapped(h2 + 0x12345, SZ_2M, R, STAGE2_MT_WB));
	REQUIRE_OK(stage2_unmap(&e, g1, SZ_1G));
	ATF_REQUIRE_EQ(h->flushes, 2u);
	expect_at(h, &e, g1 + 0x2345678, unmapped());
	teardown(h, &e);

	/* Page sizes the processor lacks. */
	const struct {
		uint64_t caps;
		bool has_2m, has_1g;
	} caps_cases[] = {
		{ CAPS_MIN, false, false },
		{ CAPS_MIN | CAP_2M, true, false },
		/* 1G without 2M: a 1G page could not be split, so it is refused. */
		{ CAPS_MIN | CAP_1G, false, false },
		{ CAPS_MIN | CAP_2M | CAP_1G, true, true },
	};
	for (unsigned i = 0; i < 4; i++) {
		setup(&h, &e, caps_cases[i].caps, 40);
		REQUIRE_RESULT(stage2_map(&e, g2, h2, SZ_2M, R, STAGE2_MT_WB),
			       caps_cases[i].has_2m ? STAGE2_OK : STAGE2_EINVAL);
		REQUIRE_RESULT(stage2_map(&e, g1, h1, SZ_1G, R, STAGE2_MT_WB),
			       caps_cases[i].has_1g ? STAGE2_OK : STAGE2_EINVAL);
		REQUIRE_RESULT(stage2_unmap(&e, g1, SZ_1G), caps_cases[i].has_1g ? STAGE2_OK : STAGE2_EINVAL);
		REQUIRE_OK(stage2_map(&e, 0, 0, SZ_4K, R, STAGE2_MT_WB));
		teardown(h, &e);
	}
}

/* Every 4K page of [gpa, gpa + size) except `hole` keeps base + offset. */
static void expect_split_region(struct fake_host *h, const struct stage2 *e, uint64_t gpa,
				uint64_t hpa, uint64_t hole, unsigned perms, unsigned memtype,
				unsigned hole_perms, bool hole_mapped)
{
	for (uint64_t off = 0; off < SZ_2M; off += SZ_4K) {
		if (gpa + off == hole)
			expect_at(h, e, gpa + off + 0x10, hole_mapped ?
				  mapped(hpa + off + 0x10, SZ_4K, hole_perms, memtype) : unmapped());
		else
			expect_at(h, e, gpa + off + 0x10, mapped(hpa + off + 0x10, SZ_4K, perms, memtype));
	}
}

ATF_TC(split_2m);
ATF_TC_HEAD(split_2m, tc)
{
	atf_tc_set_md_var(tc, "descr", "unmap and protect of a 4K part of a 2M page split it");
}
ATF_TC_BODY(split_2m, tc)
{
	struct fake_host *h;
	struct stage2 e;
	const uint64_t g = 0x3fe00000ull, hp = 0x55400000ull;
	const uint64_t hole = g + 37 * SZ_4K;

	setup(&h, &e, CAPS_ALL, 39);
	REQUIRE_OK(stage2_map(&e, g, hp, SZ_2M, R | W | X, STAGE2_MT_WT));
	uint64_t frames = e.table_frames;

	REQUIRE_OK(stage2_unmap(&e, hole, SZ_4K));
	ATF_REQUIRE_EQ(h->flushes, 1u);
	ATF_REQUIRE_EQ(h->last_root, stage2_root(&e));
	ATF_REQUIRE_EQ(e.table_frames, frames + 1);
	expect_split_region(h, &e, g, hp, hole, R | W | X, STAGE2_MT_WT, 0, false);
	check_structures(h, &e);

	/* The split PT answers like any other: map into the hole, protect parts. */
	REQUIRE_OK(stage2_map(&e, hole, hp + 37 * SZ_4K, SZ_4K, R, STAGE2_MT_WT));
	ATF_REQUIRE_EQ(h->flushes, 1u);
	expect_split_region(h, &e, g, hp, hole, R | W | X, STAGE2_MT_WT, R, true);

	/* Protect of the whole 2M range over the PT changes every page. */
	REQUIRE_OK(stage2_protect(&e, g, SZ_2M, R | X));
	ATF_REQUIRE_EQ(h->flushes, 2u); /* rights were removed from most pages */
	expect_split_region(h, &e, g, hp, hole, R | X, STAGE2_MT_WT, R | X, true);
	/* Unmap of the whole 2M range removes every 4K page and frees the PT. */
	REQUIRE_OK(stage2_unmap(&e, g, SZ_2M));
	ATF_REQUIRE_EQ(h->flushes, 3u);
	ATF_REQUIRE_EQ(h->flushes_at_last_free, 3u); /* the PT was freed after the flush */
	expect_at(h, &e, hole, unmapped());
	expect_at(h, &e, g, unmapped());
	ATF_REQUIRE_EQ(e.table_frames, 1ull);

	/* Protect inside a 2M page splits it too. */
	REQUIRE_OK(stage2_map(&e, g, hp, SZ_2M, R | W, STAGE2_MT_WB));
	frames = e.table_frames;
	REQUIRE_OK(stage2_protect(&e, hole, SZ_4K, R));
	ATF_REQUIRE_EQ(h->flushes, 4u);
	ATF_REQUIRE_EQ(e.table_frames, frames + 1);
	expect_split_region(h, &e, g, hp, hole, R | W, STAGE2_MT_WB, R, true);
	/* Adding rights back needs no INVEPT (SDM 29.4.3.3). */
	REQUIRE_OK(stage2_protect(&e, hole, SZ_4K, R | W));
	ATF_REQUIRE_EQ(h->flushes, 4u);
	expect_split_region(h, &e, g, hp, hole, R | W, STAGE2_MT_WB, R | W, true);
	teardown(h, &e);

	/* Protect with the rights a large page already has is a no-op. */
	setup(&h, &e, CAPS_ALL, 39);
	REQUIRE_OK(stage2_map(&e, g, hp, SZ_2M, R | W, STAGE2_MT_WB));
	frames = e.table_frames;
	REQUIRE_OK(stage2_protect(&e, hole, SZ_4K, R | W));
	ATF_REQUIRE_EQ(e.table_frames, frames);
	ATF_REQUIRE_EQ(h->flushes, 0u);
	expect_at(h, &e, hole, mapped(hp + 37 * SZ_4K, SZ_2M, R | W, STAGE2_MT_WB));
	teardown(h, &e);
}

ATF_TC(split_1g);
ATF_TC_HEAD(split_1g, tc)
{
	atf_tc_set_md_var(tc, "descr", "a 4K unmap inside a 1G page splits it into 2M pages and one "
			  "4K table; emptying that table frees it");
}
ATF_TC_BODY(split_1g, tc)
{
	struct fake_host *h;
	struct stage2 e;
	const uint64_t g = 0x3c0000000ull, hp = 0x240000000ull;
	const uint64_t region = g + 5 * SZ_2M, hole = region + 37 * SZ_4K;

	setup(&h, &e, CAPS_ALL, 40);
	REQUIRE_OK(stage2_map(&e, g, hp, SZ_1G, R | W, STAGE2_MT_WP));
	uint64_t frames = e.table_frames;

	REQUIRE_OK(stage2_unmap(&e, hole, SZ_4K));
	ATF_REQUIRE_EQ(h->flushes, 1u);
	ATF_REQUIRE_EQ(e.table_frames, frames + 2); /* one PD, one PT */
	for (uint64_t j = 0; j < 512; j++) {
		if (j == 5)
			continue;
		expect_at(h, &e, g + j * SZ_2M + 0x1234,
			  mapped(hp + j * SZ_2M + 0x1234, SZ_2M, R | W, STAGE2_MT_WP));
	}
	expect_split_region(h, &e, region, hp + 5 * SZ_2M, hole, R | W, STAGE2_MT_WP, 0, false);
	check_structures(h, &e);

	/* Unmapping the other 511 pages of the region frees its PT. */
	for (uint64_t off = 0; off < SZ_2M; off += SZ_4K)
		if (region + off != hole)
			REQUIRE_OK(stage2_unmap(&e, region + off, SZ_4K));
	ATF_REQUIRE_EQ(e.table_frames, frames + 1);
	expect_at(h, &e, region, unmapped());
	expect_at(h, &e, region + SZ_2M, mapped(hp + 6 * SZ_2M, SZ_2M, R | W, STAGE2_MT_WP));
	check_structures(h, &e);
	teardown(h, &e);

	/* Protect inside a 1G page. */
	setup(&h, &e, CAPS_ALL, 40);
	REQUIRE_OK(stage2_map(&e, g, hp, SZ_1G, R | W | X, STAGE2_MT_WB));
	REQUIRE_OK(stage2_protect(&e, hole, SZ_4K, R));
	ATF_REQUIRE_EQ(h->flushes, 1u);
	expect_split_region(h, &e, region, hp + 5 * SZ_2M, hole, R | W | X, STAGE2_MT_WB, R, true);
	expect_at(h, &e, g, mapped(hp, SZ_2M, R | W | X, STAGE2_MT_WB));
	/* Protect of a 2M part of the (now split) 1G range changes that 2M page in place. */
	uint64_t before = e.table_frames;
	REQUIRE_OK(stage2_protect(&e, g + 9 * SZ_2M, SZ_2M, R | X));
	ATF_REQUIRE_EQ(e.table_frames, before);
	expect_at(h, &e, g + 9 * SZ_2M + 5, mapped(hp + 9 * SZ_2M + 5, SZ_2M, R | X, STAGE2_MT_WB));
	expect_at(h, &e, g + 10 * SZ_2M, mapped(hp + 10 * SZ_2M, SZ_2M, R | W | X, STAGE2_MT_WB));
	/* Protect of the whole 1G range reaches every 2M page and every 4K page below. */
	unsigned invepts = h->flushes;
	REQUIRE_OK(stage2_protect(&e, g, SZ_1G, R));
	ATF_REQUIRE_EQ(h->flushes, invepts + 1);
	ATF_REQUIRE_EQ(e.table_frames, before);
	expect_split_region(h, &e, region, hp + 5 * SZ_2M, hole, R, STAGE2_MT_WB, R, true);
	for (uint64_t j = 0; j < 512; j++)
		if (j != 5)
			expect_at(h, &e, g + j * SZ_2M + 0x99, mapped(hp + j * SZ_2M + 0x99, SZ_2M, R, STAGE2_MT_WB));
	/* Unmap of a 2M part of a fresh 1G page splits only one level. */
	REQUIRE_OK(stage2_map(&e, g + SZ_1G, hp + SZ_1G, SZ_1G, R, STAGE2_MT_WB));
	before = e.table_frames;
	REQUIRE_OK(stage2_unmap(&e, g + SZ_1G + 3 * SZ_2M, SZ_2M));
	ATF_REQUIRE_EQ(e.table_frames, before + 1);
	expect_at(h, &e, g + SZ_1G + 3 * SZ_2M, unmapped());
	expect_at(h, &e, g + SZ_1G + 4 * SZ_2M, mapped(hp + SZ_1G + 4 * SZ_2M, SZ_2M, R, STAGE2_MT_WB));
	teardown(h, &e);
}

/* ENOMEM injection ------------------------------------------------- */

struct nomem_case {
	const char *name;
	void (*prepare)(struct stage2 *e);
	int (*op)(struct stage2 *e);
	unsigned frames_needed; /* from the structure the operation must build */
	uint64_t probe_base;    /* walks over 4K steps and 2M steps around it */
};

#define NM_G1 0x4c0000000ull
#define NM_H1 0x300000000ull

static void prep_nothing(struct stage2 *e) { (void)e; }
static void prep_neighbour(struct stage2 *e)
{
	REQUIRE_OK(stage2_map(e, NM_G1 + SZ_2M + 3 * SZ_4K, 0x9000, SZ_4K, R, STAGE2_MT_WB));
}
static void prep_1g(struct stage2 *e) { REQUIRE_OK(stage2_map(e, NM_G1, NM_H1, SZ_1G, R | W, STAGE2_MT_WB)); }
static void prep_2m(struct stage2 *e) { REQUIRE_OK(stage2_map(e, NM_G1, NM_H1, SZ_2M, R | W, STAGE2_MT_WB)); }

static int op_map_4k(struct stage2 *e) { return stage2_map(e, NM_G1 + 5 * SZ_4K, 0x7000, SZ_4K, R, STAGE2_MT_WB); }
static int op_map_2m(struct stage2 *e) { return stage2_map(e, NM_G1, NM_H1, SZ_2M, R, STAGE2_MT_WB); }
static int op_unmap_4k(struct stage2 *e) { return stage2_unmap(e, NM_G1 + 5 * SZ_4K, SZ_4K); }
static int op_protect_4k(struct stage2 *e) { return stage2_protect(e, NM_G1 + 5 * SZ_4K, SZ_4K, R); }
static int op_unmap_2m(struct stage2 *e) { return stage2_unmap(e, NM_G1, SZ_2M); }

static const struct nomem_case nomem_cases[] = {
	{ "map 4K into an empty PML4 slot", prep_nothing, op_map_4k, 3, NM_G1 },
	{ "map 4K beside an existing PD", prep_neighbour, op_map_4k, 1, NM_G1 },
	{ "map 2M into an empty PML4 slot", prep_nothing, op_map_2m, 2, NM_G1 },
	{ "unmap 4K inside 1G", prep_1g, op_unmap_4k, 2, NM_G1 },
	{ "protect 4K inside 1G", prep_1g, op_protect_4k, 2, NM_G1 },
	{ "unmap 2M inside 1G", prep_1g, op_unmap_2m, 1, NM_G1 },
	{ "unmap 4K inside 2M", prep_2m, op_unmap_4k, 1, NM_G1 },
	{ "protect 4K inside 2M", prep_2m, op_protect_4k, 1, NM_G1 },
};

static bool same_translation(const struct translation *a, const struct translation *b)
{
	return a->result == b->result && a->hpa == b->hpa && a->size == b->size &&
	       a->perms == b->perms && a->memtype == b->memtype;
}

#define NM_PROBES 1024u
static void nomem_snapshot(struct fake_host *h, const struct stage2 *e, uint64_t base,
			   struct translation *out)
{
	for (unsigned i = 0; i < NM_PROBES / 2; i++) {
		out[i] = raw_walk(h, e, base + i * SZ_4K + 8);
		out[NM_PROBES / 2 + i] = raw_walk(h, e, base + i * SZ_2M + 8);
	}
}

ATF_TC(enomem);
ATF_TC_HEAD(enomem, tc)
{
	atf_tc_set_md_var(tc, "descr", "allocation failing after N frames leaves every translation "
			  "and the frame count unchanged");
}
ATF_TC_BODY(enomem, tc)
{
	static struct translation before[NM_PROBES], after[NM_PROBES];

	for (unsigned c = 0; c < sizeof(nomem_cases) / sizeof(nomem_cases[0]); c++) {
		const struct nomem_case *nc = &nomem_cases[c];

		for (unsigned n = 0;; n++) {
			struct fake_host *h;
			struct stage2 e;

			setup(&h, &e, CAPS_ALL, 40);
			nc->prepare(&e);
			nomem_snapshot(h, &e, nc->probe_base, before);
			uint64_t frames = e.table_frames;
			unsigned invepts = h->flushes, allocs = h->allocs;

			h->allocs_left = (int)n;
			int err = nc->op(&e);
			h->allocs_left = -1;
			if (err == STAGE2_OK) {
				ATF_REQUIRE_EQ_MSG(n, nc->frames_needed, "%s succeeded with %u frames",
						   nc->name, n);
				ATF_REQUIRE_EQ(h->allocs - allocs, nc->frames_needed);
				teardown(h, &e);
				break;
			}
			ATF_REQUIRE_MSG(err == STAGE2_ENOMEM, "%s with %u frames: %s", nc->name, n,
					stage2_strerror(err));
			ATF_REQUIRE_MSG(n < nc->frames_needed, "%s failed with %u frames", nc->name, n);
			nomem_snapshot(h, &e, nc->probe_base, after);
			for (unsigned i = 0; i < NM_PROBES; i++)
				ATF_REQUIRE_MSG(same_translation(&before[i], &after[i]),
						"%s with %u frames changed probe %u", nc->name, n, i);
			ATF_REQUIRE_EQ(e.table_frames, frames);
			ATF_REQUIRE_EQ_MSG(h->flushes, invepts, "%s: INVEPT after a failed edit", nc->name);
			/* teardown checks structure, no leak, balanced destroy */
			teardown(h, &e);
		}
	}
}

ATF_TC(invept_and_teardown);
ATF_TC_HEAD(invept_and_teardown, tc)
{
	atf_tc_set_md_var(tc, "descr", "INVEPT after removals and reductions only; destroy balances");
}
ATF_TC_BODY(invept_and_teardown, tc)
{
	struct fake_host *h;
	struct stage2 e;
	uint64_t seed = 12345;

	setup(&h, &e, CAPS_ALL, 40);
	/* Many mappings of all sizes, then destroy without unmapping. */
	for (unsigned i = 0; i < 300; i++) {
		uint64_t r = xorshift64(&seed);
		uint64_t size = (r & 3) == 0 ? SZ_1G : (r & 3) == 1 ? SZ_2M : SZ_4K;
		uint64_t gpa = (xorshift64(&seed) % (1ull << 40)) & ~(size - 1);
		int err = stage2_map(&e, gpa, gpa & ((1ull << 36) - 1), size, R | W, STAGE2_MT_WB);

		ATF_REQUIRE_MSG(err == STAGE2_OK || err == STAGE2_EEXIST, "map: %s", stage2_strerror(err));
		if ((r >> 8) % 3 == 0) {
			struct stage2_mapping m;
			int want = stage2_walk(&e, gpa, &m) == STAGE2_OK ? STAGE2_OK : STAGE2_ENOENT;
			REQUIRE_RESULT(stage2_unmap(&e, gpa, SZ_4K), want);
		}
	}
	check_structures(h, &e);
	ATF_REQUIRE(e.table_frames > 10);
	unsigned before = h->flushes;
	stage2_destroy(&e);
	ATF_REQUIRE_EQ(h->flushes, before + 1);
	ATF_REQUIRE_EQ(h->allocs, h->frees);
	ATF_REQUIRE_EQ(h->flushes_at_last_free, before + 1);
	fake_delete(h);

	/* Per-operation INVEPT accounting with the EPTP of this structure. */
	setup(&h, &e, CAPS_ALL, 40);
	REQUIRE_OK(stage2_map(&e, 0x1000, 0x1000, SZ_4K, R | W | X, STAGE2_MT_WB));
	REQUIRE_OK(stage2_map(&e, SZ_2M, SZ_2M, SZ_2M, R | W | X, STAGE2_MT_WB));
	REQUIRE_OK(stage2_map(&e, SZ_1G, SZ_1G, SZ_1G, R | W | X, STAGE2_MT_WB));
	ATF_REQUIRE_EQ(h->flushes, 0u);
	REQUIRE_OK(stage2_protect(&e, 0x1000, SZ_4K, R | W | X));
	ATF_REQUIRE_EQ(h->flushes, 0u);
	REQUIRE_OK(stage2_protect(&e, 0x1000, SZ_4K, R | X));
	ATF_REQUIRE_EQ(h->flushes, 1u);
	ATF_REQUIRE_EQ(h->last_root, stage2_root(&e));
	REQUIRE_OK(stage2_protect(&e, 0x1000, SZ_4K, R | W | X));
	ATF_REQUIRE_EQ(h->flushes, 1u);
	REQUIRE_OK(stage2_protect(&e, SZ_2M, SZ_2M, R));
	ATF_REQUIRE_EQ(h->flushes, 2u);
	REQUIRE_OK(stage2_unmap(&e, SZ_1G + SZ_4K, SZ_4K));
	ATF_REQUIRE_EQ(h->flushes, 3u);
	/* Emptying the PT, PD and PDPT of 0x1000: they are freed after the flush. */
	REQUIRE_OK(stage2_unmap(&e, SZ_2M, SZ_2M));
	REQUIRE_OK(stage2_unmap(&e, SZ_1G, SZ_2M));
	for (uint64_t off = SZ_2M; off < SZ_1G; off += SZ_2M)
		REQUIRE_OK(stage2_unmap(&e, SZ_1G + off, SZ_2M));
	unsigned frees = h->frees;
	before = h->flushes;
	REQUIRE_OK(stage2_unmap(&e, 0x1000, SZ_4K));
	ATF_REQUIRE_EQ(h->flushes, before + 1);
	ATF_REQUIRE_EQ(h->frees, frees + 3);
	ATF_REQUIRE_EQ(h->flushes_at_last_free, before + 1);
	ATF_REQUIRE_EQ(e.table_frames, 1ull);
	teardown(h, &e);

	/* invept may be NULL. */
	h = fake_new();
	struct stage2_env env = fake_env(h, CAPS_ALL, 40);
	env.flush = NULL;
	REQUIRE_OK(stage2_init(&e, &env));
	REQUIRE_OK(stage2_map(&e, 0, 0, SZ_2M, R, STAGE2_MT_WB));
	REQUIRE_OK(stage2_unmap(&e, SZ_4K, SZ_4K));
	REQUIRE_OK(stage2_protect(&e, 0, SZ_4K, R | W));
	teardown(h, &e);
}

ATF_TC(protect_sparse_table);
ATF_TC_HEAD(protect_sparse_table, tc)
{
	atf_tc_set_md_var(tc, "descr", "a protect of a whole 2M range over a page table that maps only "
			  "some 4K pages changes those pages and leaves the holes unmapped");
}
ATF_TC_BODY(protect_sparse_table, tc)
{
	struct fake_host *h;
	struct stage2 e;
	const uint64_t g = 0x40000000ull, hp = 0x20000000ull;
	const uint64_t second = g + 300 * SZ_4K;

	setup(&h, &e, CAPS_ALL, 39);
	REQUIRE_OK(stage2_map(&e, g, hp, SZ_4K, R | W | X, STAGE2_MT_WB));
	REQUIRE_OK(stage2_map(&e, second, hp + SZ_4K, SZ_4K, R | W, STAGE2_MT_UC));
	uint64_t frames = e.table_frames;

	REQUIRE_OK(stage2_protect(&e, g, SZ_2M, R));
	ATF_REQUIRE_EQ(e.table_frames, frames);   /* edited in place, no split */
	ATF_REQUIRE_EQ(h->flushes, 1u);           /* rights were removed */
	expect_at(h, &e, g, mapped(hp, SZ_4K, R, STAGE2_MT_WB));
	expect_at(h, &e, second, mapped(hp + SZ_4K, SZ_4K, R, STAGE2_MT_UC));
	expect_at(h, &e, g + SZ_4K, unmapped());
	expect_at(h, &e, second - SZ_4K, unmapped());
	expect_at(h, &e, g + SZ_2M - SZ_4K, unmapped());
	check_structures(h, &e);
	teardown(h, &e);
}

ATF_TC(strerror);
ATF_TC_HEAD(strerror, tc)
{
	atf_tc_set_md_var(tc, "descr", "every error has its own text");
}
ATF_TC_BODY(strerror, tc)
{
	const int codes[] = { STAGE2_OK, STAGE2_EEXIST, STAGE2_EALIGN, STAGE2_ENOENT, STAGE2_ERANGE,
			      STAGE2_EPERM, STAGE2_ENOMEM, STAGE2_EINVAL };
	const char *unknown = stage2_strerror(-100);

	ATF_REQUIRE(unknown != NULL);
	for (unsigned i = 0; i < 8; i++) {
		ATF_REQUIRE(stage2_strerror(codes[i]) != NULL);
		ATF_REQUIRE(strcmp(stage2_strerror(codes[i]), unknown) != 0);
		for (unsigned j = 0; j < i; j++)
			ATF_REQUIRE(strcmp(stage2_strerror(codes[i]), stage2_strerror(codes[j])) != 0);
	}
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, init_and_eptp);
	ATF_TP_ADD_TC(tp, init_refuses_bad_frame);
	ATF_TP_ADD_TC(tp, simple);
	ATF_TP_ADD_TC(tp, bad_arguments);
	ATF_TP_ADD_TC(tp, permissions);
	ATF_TP_ADD_TC(tp, complicate);
	ATF_TP_ADD_TC(tp, huge_pages);
	ATF_TP_ADD_TC(tp, split_2m);
	ATF_TP_ADD_TC(tp, split_1g);
	ATF_TP_ADD_TC(tp, enomem);
	ATF_TP_ADD_TC(tp, invept_and_teardown);
	ATF_TP_ADD_TC(tp, protect_sparse_table);
	ATF_TP_ADD_TC(tp, strerror);
	return atf_no_error();
}
