/* Host unit tests of reference/lib/stage2.c in the NPT format: AMD nested
 * page tables, which are long-mode page tables (APM vol. 2 5.3-5.4, 15.25).
 *
 * The walk, map, unmap and split logic is the one ept_test.c covers in
 * depth; these cases check what the NPT format changes: the entry
 * encoding, which rights and memory types it can express, the page sizes
 * its caps allow, and the nCR3. Every check also reads the raw entries
 * with this file's own walker, written from APM vol. 2 5.4.1. */
#include <atf-c.h>
#include <stdbool.h>
#include <stdint.h>

#include "stage2_fake_host.h"

/* CPUID.80000001H:EDX bits (APM vol. 3 E.4.2). */
#define CPUID_NX (1ull << 20)
#define CPUID_PAGE1GB (1ull << 26)
#define CAPS_ALL (CPUID_NX | CPUID_PAGE1GB)
#define PHYS_BITS 40u   /* what QEMU's AMD models report */

/* ------------------------------------------------------------------ */
/* An independent reading of long-mode page-table entries (APM vol. 2  */
/* 5.4.1, Figures 5-18..5-25; PAT index 7.8.2; power-on PAT 7.8.1)     */

#define P_PRESENT (1ull << 0)
#define P_RW (1ull << 1)
#define P_US (1ull << 2)
#define P_PWT (1ull << 3)
#define P_PCD (1ull << 4)
#define P_ACCESSED (1ull << 5)
#define P_DIRTY (1ull << 6)
#define P_PS (1ull << 7)          /* PDE/PDPE; bit 7 of a PTE is its PAT bit */
#define P_PTE_PAT (1ull << 7)
#define P_LARGE_PAT (1ull << 12)
#define P_GLOBAL_AVL (0xfull << 8) /* G and bits 11:9 */
#define P_NX (1ull << 63)
#define P_ADDR 0x000ffffffffff000ull

static uint64_t *raw_table(struct fake_host *h, uint64_t hpa)
{
	return fake_virt(h, hpa);
}

static bool raw_is_leaf(uint64_t entry, int level)
{
	return level == 1 || (level <= 3 && (entry & P_PS));
}

/* The power-on PAT: index 0 WB, 1 WT, 2 UC-, 3 UC, and again for 4..7. */
static unsigned raw_memtype(uint64_t entry, int level)
{
	unsigned index = ((entry & P_PWT) ? 1u : 0u) | ((entry & P_PCD) ? 2u : 0u) |
			 ((entry & (level == 1 ? P_PTE_PAT : P_LARGE_PAT)) ? 4u : 0u);
	switch (index & 3u) {
	case 0: return STAGE2_MT_WB;
	case 1: return STAGE2_MT_WT;
	case 3: return STAGE2_MT_UC;
	default: atf_tc_fail("PAT index %u selects UC-, which stage2.c never writes", index);
	}
	return 0;
}

static struct translation raw_walk(struct fake_host *h, const struct stage2 *e, uint64_t gpa)
{
	struct translation t = { .result = STAGE2_ENOENT };
	uint64_t table = stage2_root(e) & P_ADDR;

	for (int level = 4; level >= 1; level--) {
		unsigned shift = 12u + 9u * (unsigned)(level - 1);
		uint64_t entry = raw_table(h, table)[(gpa >> shift) & 511u];

		if (!(entry & P_PRESENT))
			return t;
		if (raw_is_leaf(entry, level)) {
			uint64_t size = 1ull << shift;
			uint64_t addr = level == 1 ? entry & P_ADDR : entry & P_ADDR & ~(size - 1);
			t.result = STAGE2_OK;
			t.size = size;
			t.hpa = addr | (gpa & (size - 1));
			t.perms = R | ((entry & P_RW) ? W : 0u) | ((entry & P_NX) ? 0u : X);
			t.memtype = raw_memtype(entry, level);
			return t;
		}
		table = entry & P_ADDR;
	}
	return t;
}

/* Checks every reachable entry against APM vol. 2 5.4.1 and this module's
 * invariants; returns the number of tables. */
static uint64_t check_table(struct fake_host *h, const struct stage2 *e, uint64_t hpa, int level)
{
	const uint64_t *t = raw_table(h, hpa);
	uint64_t reserved_hi = ~((1ull << e->env.phys_addr_bits) - 1) & P_ADDR;
	uint64_t tables = 1;
	unsigned present = 0;

	for (unsigned i = 0; i < 512; i++) {
		uint64_t entry = t[i];

		if (!(entry & P_PRESENT)) {
			ATF_REQUIRE_EQ_MSG(entry, 0ull, "level %d entry %u not present but not zero", level, i);
			continue;
		}
		present++;
		/* The nested walk is a user access: U/S must be set at every level. */
		ATF_REQUIRE_MSG(entry & P_US, "level %d entry %u: U/S clear", level, i);
		ATF_REQUIRE_EQ_MSG(entry & reserved_hi, 0ull,
				   "level %d entry %u: address bits beyond MAXPHYADDR", level, i);
		ATF_REQUIRE_EQ_MSG(entry & (P_ACCESSED | P_DIRTY | P_GLOBAL_AVL), 0ull,
				   "level %d entry %u: A, D, G or available bits set", level, i);
		if (entry & P_NX)
			ATF_REQUIRE_MSG(e->env.caps & CPUID_NX,
					"level %d entry %u: NX set though the processor lacks it", level, i);
		if (!raw_is_leaf(entry, level)) {
			ATF_REQUIRE_EQ_MSG(entry & (P_RW | P_NX | P_PWT | P_PCD | P_PS), P_RW,
					   "level %d entry %u: a table entry must grant everything, WB", level, i);
			tables += check_table(h, e, entry & P_ADDR, level - 1);
			continue;
		}
		ATF_REQUIRE_EQ_MSG(entry & (level == 1 ? P_PTE_PAT : P_LARGE_PAT), 0ull,
				   "level %d entry %u: PAT bit set", level, i);
		if (level == 3)
			ATF_REQUIRE_EQ_MSG(entry & 0x3fffe000ull, 0ull, "1G entry %u: bits 29:13 set", i);
		if (level == 2)
			ATF_REQUIRE_EQ_MSG(entry & 0x1fe000ull, 0ull, "2M entry %u: bits 20:13 set", i);
	}
	require_linked_table_used(level, present, hpa);
	return tables;
}

static void check_structures(struct fake_host *h, const struct stage2 *e)
{
	check_structures_with(h, e, check_table);
}

static void expect_at(struct fake_host *h, const struct stage2 *e, uint64_t gpa, struct translation want)
{
	expect_walk(e, gpa, raw_walk(h, e, gpa), want);
}

/* The raw leaf that maps gpa. */
static uint64_t raw_leaf(struct fake_host *h, const struct stage2 *e, uint64_t gpa)
{
	uint64_t table = e->pml4_hpa;

	for (int level = 4;; level--) {
		uint64_t entry = raw_table(h, table)[(gpa >> (12u + 9u * (unsigned)(level - 1))) & 511u];

		ATF_REQUIRE_MSG(entry & P_PRESENT, "gpa %#llx is not mapped", (unsigned long long)gpa);
		if (raw_is_leaf(entry, level))
			return entry;
		table = entry & P_ADDR;
	}
}

static void setup(struct fake_host **h, struct stage2 *e, uint64_t caps)
{
	*h = fake_new();
	struct stage2_env env = fake_env_of(*h, STAGE2_FORMAT_NPT, caps, PHYS_BITS);
	REQUIRE_OK(stage2_init(e, &env));
	check_structures(*h, e);
}

static void teardown(struct fake_host *h, struct stage2 *e)
{
	check_structures(h, e);
	fake_teardown(h, e);
}

/* ------------------------------------------------------------------ */

ATF_TC(npt_init_and_ncr3);
ATF_TC_HEAD(npt_init_and_ncr3, tc)
{
	atf_tc_set_md_var(tc, "descr", "an NPT needs none of the EPT caps; its root is the PML4's address with PWT and PCD clear (nCR3, APM 15.25.4); an unknown format is refused");
}
ATF_TC_BODY(npt_init_and_ncr3, tc)
{
	struct fake_host *h = fake_new();
	struct stage2 e;
	struct stage2_env env = fake_env_of(h, (enum stage2_format)7, CAPS_ALL, PHYS_BITS);

	REQUIRE_RESULT(stage2_init(&e, &env), STAGE2_EINVAL);
	env = fake_env_of(h, STAGE2_FORMAT_NPT, CAPS_ALL, 35);
	REQUIRE_RESULT(stage2_init(&e, &env), STAGE2_EINVAL);
	ATF_REQUIRE_EQ(h->allocs, 0u);

	env = fake_env_of(h, STAGE2_FORMAT_NPT, 0, PHYS_BITS);
	REQUIRE_OK(stage2_init(&e, &env));
	ATF_REQUIRE_EQ(stage2_root(&e), e.pml4_hpa);
	ATF_REQUIRE_EQ(stage2_root(&e) & 0xfffull, 0ull);
	fake_teardown(h, &e);
}

ATF_TC(npt_map_walk_unmap);
ATF_TC_HEAD(npt_map_walk_unmap, tc)
{
	atf_tc_set_md_var(tc, "descr", "map, walk and unmap of 4K, 2M and 1G pages in the NPT format: P, R/W and U/S set, tables freed when emptied; 2M always allowed, 1G only with Page1GB");
}
ATF_TC_BODY(npt_map_walk_unmap, tc)
{
	struct fake_host *h;
	struct stage2 e;
	const uint64_t gpa = 0x7654321000ull, hpa = 0x12345000ull;

	setup(&h, &e, 0);
	REQUIRE_OK(stage2_map(&e, gpa, hpa, SZ_4K, R | W | X, STAGE2_MT_WB));
	expect_at(h, &e, gpa + 0xabc, mapped(hpa + 0xabc, SZ_4K, R | W | X, STAGE2_MT_WB));
	expect_at(h, &e, gpa + SZ_4K, unmapped());
	ATF_REQUIRE_EQ(raw_leaf(h, &e, gpa), hpa | P_PRESENT | P_RW | P_US);
	ATF_REQUIRE_EQ(e.table_frames, 4ull);
	REQUIRE_RESULT(stage2_map(&e, gpa, hpa, SZ_4K, R | X, STAGE2_MT_WB), STAGE2_EEXIST);
	check_structures(h, &e);

	/* 2M pages need no cap in long mode; 1G pages need Page1GB. */
	REQUIRE_OK(stage2_map(&e, SZ_1G, 0x40000000ull, SZ_2M, R | W | X, STAGE2_MT_WB));
	expect_at(h, &e, SZ_1G + 0x12345, mapped(0x40012345ull, SZ_2M, R | W | X, STAGE2_MT_WB));
	ATF_REQUIRE_EQ(raw_leaf(h, &e, SZ_1G), 0x40000000ull | P_PS | P_PRESENT | P_RW | P_US);
	REQUIRE_RESULT(stage2_map(&e, 4 * SZ_1G, 0x80000000ull, SZ_1G, R | W | X, STAGE2_MT_WB), STAGE2_EINVAL);

	REQUIRE_OK(stage2_unmap(&e, gpa, SZ_4K));
	REQUIRE_OK(stage2_unmap(&e, SZ_1G, SZ_2M));
	expect_at(h, &e, gpa, unmapped());
	ATF_REQUIRE_EQ(e.table_frames, 1ull);
	teardown(h, &e);

	setup(&h, &e, CPUID_PAGE1GB);
	REQUIRE_OK(stage2_map(&e, 4 * SZ_1G, 0x80000000ull, SZ_1G, R | W | X, STAGE2_MT_WB));
	expect_at(h, &e, 4 * SZ_1G + SZ_2M + 8, mapped(0x80000000ull + SZ_2M + 8, SZ_1G, R | W | X, STAGE2_MT_WB));
	ATF_REQUIRE_EQ(e.table_frames, 2ull);
	teardown(h, &e);
}

ATF_TC(npt_permissions);
ATF_TC_HEAD(npt_permissions, tc)
{
	atf_tc_set_md_var(tc, "descr", "NPT rights: R, RW, RX, RWX map onto R/W and NX; write-only, execute-only and write+execute without read are refused with STAGE2_EPERM (NPT cannot express them); leaving out EXEC needs NX");
}
ATF_TC_BODY(npt_permissions, tc)
{
	static const struct {
		unsigned perms;
		uint64_t bits;   /* of the leaf besides the address, P and U/S */
	} ok[] = {
		{ R, P_NX }, { R | W, P_RW | P_NX }, { R | X, 0 }, { R | W | X, P_RW },
	};
	struct fake_host *h;
	struct stage2 e;

	setup(&h, &e, CAPS_ALL);
	for (unsigned i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		uint64_t gpa = (uint64_t)i * SZ_4K, hpa = 0x200000ull + gpa;
		REQUIRE_OK(stage2_map(&e, gpa, hpa, SZ_4K, ok[i].perms, STAGE2_MT_WB));
		ATF_REQUIRE_EQ_MSG(raw_leaf(h, &e, gpa), hpa | P_PRESENT | P_US | ok[i].bits,
				   "perms %u encoded as %#llx", ok[i].perms,
				   (unsigned long long)raw_leaf(h, &e, gpa));
		expect_at(h, &e, gpa, mapped(hpa, SZ_4K, ok[i].perms, STAGE2_MT_WB));
	}
	const uint64_t spare = 0x100000ull;
	REQUIRE_RESULT(stage2_map(&e, spare, spare, SZ_4K, W, STAGE2_MT_WB), STAGE2_EPERM);
	REQUIRE_RESULT(stage2_map(&e, spare, spare, SZ_4K, X, STAGE2_MT_WB), STAGE2_EPERM);
	REQUIRE_RESULT(stage2_map(&e, spare, spare, SZ_4K, W | X, STAGE2_MT_WB), STAGE2_EPERM);
	REQUIRE_RESULT(stage2_map(&e, spare, spare, SZ_4K, 0, STAGE2_MT_WB), STAGE2_EINVAL);
	REQUIRE_RESULT(stage2_map(&e, spare, spare, SZ_4K, 8, STAGE2_MT_WB), STAGE2_EINVAL);
	REQUIRE_RESULT(stage2_protect(&e, 0, SZ_4K, X), STAGE2_EPERM);
	expect_at(h, &e, spare, unmapped());

	/* Removing a right flushes; adding one does not. */
	unsigned flushes = h->flushes;
	REQUIRE_OK(stage2_protect(&e, 3 * SZ_4K, SZ_4K, R | X));
	ATF_REQUIRE_EQ(h->flushes, flushes + 1);
	REQUIRE_OK(stage2_protect(&e, 3 * SZ_4K, SZ_4K, R));
	ATF_REQUIRE_EQ(h->flushes, flushes + 2);
	ATF_REQUIRE_EQ(h->last_root, stage2_root(&e));
	expect_at(h, &e, 3 * SZ_4K, mapped(0x203000ull, SZ_4K, R, STAGE2_MT_WB));
	REQUIRE_OK(stage2_protect(&e, 3 * SZ_4K, SZ_4K, R | W | X));
	ATF_REQUIRE_EQ(h->flushes, flushes + 2);
	ATF_REQUIRE_EQ(raw_leaf(h, &e, 3 * SZ_4K), 0x203000ull | P_PRESENT | P_US | P_RW);
	teardown(h, &e);

	/* Without NX every translation is executable: only RX and RWX fit. */
	setup(&h, &e, CPUID_PAGE1GB);
	REQUIRE_RESULT(stage2_map(&e, 0, 0, SZ_4K, R, STAGE2_MT_WB), STAGE2_EPERM);
	REQUIRE_RESULT(stage2_map(&e, 0, 0, SZ_4K, R | W, STAGE2_MT_WB), STAGE2_EPERM);
	REQUIRE_OK(stage2_map(&e, 0, 0, SZ_4K, R | X, STAGE2_MT_WB));
	REQUIRE_RESULT(stage2_protect(&e, 0, SZ_4K, R), STAGE2_EPERM);
	expect_at(h, &e, 0, mapped(0, SZ_4K, R | X, STAGE2_MT_WB));
	teardown(h, &e);
}

ATF_TC(npt_memtypes);
ATF_TC_HEAD(npt_memtypes, tc)
{
	atf_tc_set_md_var(tc, "descr", "NPT memory types are PAT indexes of the power-on PAT: WB 0, WT 1 (PWT), UC 3 (PWT, PCD); WC and WP, which that PAT lacks, are refused");
}
ATF_TC_BODY(npt_memtypes, tc)
{
	static const struct {
		unsigned memtype;
		uint64_t bits;
	} ok[] = {
		{ STAGE2_MT_WB, 0 }, { STAGE2_MT_WT, P_PWT }, { STAGE2_MT_UC, P_PWT | P_PCD },
	};
	struct fake_host *h;
	struct stage2 e;

	setup(&h, &e, CAPS_ALL);
	for (unsigned i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		uint64_t gpa = (uint64_t)i * SZ_2M;
		REQUIRE_OK(stage2_map(&e, gpa, gpa, SZ_2M, R | W | X, ok[i].memtype));
		ATF_REQUIRE_EQ(raw_leaf(h, &e, gpa), gpa | P_PS | P_PRESENT | P_RW | P_US | ok[i].bits);
		expect_at(h, &e, gpa + SZ_4K, mapped(gpa + SZ_4K, SZ_2M, R | W | X, ok[i].memtype));
	}
	REQUIRE_RESULT(stage2_map(&e, SZ_1G, 0, SZ_4K, R, STAGE2_MT_WC), STAGE2_EINVAL);
	REQUIRE_RESULT(stage2_map(&e, SZ_1G, 0, SZ_4K, R, STAGE2_MT_WP), STAGE2_EINVAL);
	REQUIRE_RESULT(stage2_map(&e, SZ_1G, 0, SZ_4K, R, 2), STAGE2_EINVAL);
	expect_at(h, &e, SZ_1G, unmapped());
	teardown(h, &e);
}

ATF_TC(npt_split);
ATF_TC_HEAD(npt_split, tc)
{
	atf_tc_set_md_var(tc, "descr", "protecting or unmapping part of a 1G NPT page splits it: the rest keeps its translation, rights and memory type in the NPT encoding, one flush");
}
ATF_TC_BODY(npt_split, tc)
{
	struct fake_host *h;
	struct stage2 e;
	const uint64_t gpa = 3 * SZ_1G, hpa = 0x80000000ull;
	const uint64_t page = gpa + 5 * SZ_2M + 7 * SZ_4K;

	setup(&h, &e, CAPS_ALL);
	REQUIRE_OK(stage2_map(&e, gpa, hpa, SZ_1G, R | W | X, STAGE2_MT_WT));
	unsigned flushes = h->flushes;
	REQUIRE_OK(stage2_protect(&e, page, SZ_4K, R));
	ATF_REQUIRE_EQ(h->flushes, flushes + 1);
	/* PML4, PDPT, and the PD and PT of the split. */
	ATF_REQUIRE_EQ(e.table_frames, 4ull);
	expect_at(h, &e, page + 1, mapped(hpa + (page - gpa) + 1, SZ_4K, R, STAGE2_MT_WT));
	expect_at(h, &e, page + SZ_4K, mapped(hpa + (page - gpa) + SZ_4K, SZ_4K, R | W | X, STAGE2_MT_WT));
	expect_at(h, &e, gpa + SZ_2M, mapped(hpa + SZ_2M, SZ_2M, R | W | X, STAGE2_MT_WT));
	ATF_REQUIRE_EQ(raw_leaf(h, &e, page), (hpa + (page - gpa)) | P_PRESENT | P_US | P_NX | P_PWT);
	check_structures(h, &e);

	REQUIRE_OK(stage2_unmap(&e, gpa + 9 * SZ_2M, SZ_2M));
	expect_at(h, &e, gpa + 9 * SZ_2M, unmapped());
	expect_at(h, &e, gpa + 10 * SZ_2M, mapped(hpa + 10 * SZ_2M, SZ_2M, R | W | X, STAGE2_MT_WT));
	teardown(h, &e);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, npt_init_and_ncr3);
	ATF_TP_ADD_TC(tp, npt_map_walk_unmap);
	ATF_TP_ADD_TC(tp, npt_permissions);
	ATF_TP_ADD_TC(tp, npt_memtypes);
	ATF_TP_ADD_TC(tp, npt_split);
	return 0;
}
