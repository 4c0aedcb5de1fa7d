/* The host a stage-2 unit test gives reference/lib/stage2.c: a fake host
 * memory that hands out made-up host-physical addresses, counts every
 * allocation, free and flush, fails allocations on demand and traps use of
 * freed frames and writes past a frame's end; and the comparison of stage2_walk with a test's own
 * reading of the raw entries (ept_test.c: SDM; stage2_npt_test.c: APM). */
#ifndef STAGE2_FAKE_HOST_H
#define STAGE2_FAKE_HOST_H
#include <atf-c.h>
#include <stdbool.h>
#include <stdint.h>

#include "stage2.h"

#define SZ_4K 0x1000ull
#define SZ_2M 0x200000ull
#define SZ_1G 0x40000000ull

#define R STAGE2_READ
#define W STAGE2_WRITE
#define X STAGE2_EXEC

#define FAKE_FRAMES 4096u
#define FAKE_HPA_BASE 0x10000000ull /* below 2^36, so every MAXPHYADDR fits */
#define FAKE_POISON 0xa5
/* Every frame is followed by a guard of this byte, checked when the frame
 * is freed: a table writer that runs one entry past its 512 is caught. */
#define FAKE_GUARD 0x5a

struct fake_host {
	void *frame[FAKE_FRAMES];
	bool live[FAKE_FRAMES];
	unsigned next;          /* slots are never reused: stale hpas stay detectable */
	unsigned allocs, frees, live_count;
	int allocs_left;        /* negative: unlimited */
	unsigned flushes;
	uint64_t last_root;
	unsigned flushes_at_last_free;
};

struct fake_host *fake_new(void);
void fake_delete(struct fake_host *h);
uint64_t fake_alloc(void *ctx);
void fake_free(void *ctx, uint64_t hpa);
void *fake_virt(void *ctx, uint64_t hpa);
/* An env of the given format on this host, flush counting. */
struct stage2_env fake_env_of(struct fake_host *h, enum stage2_format format, uint64_t caps,
			      unsigned phys_bits);

#define REQUIRE_RESULT(expr, want)                                               \
	do {                                                                     \
		int got_ = (expr);                                               \
		ATF_REQUIRE_MSG(got_ == (want), "%s returned %d (%s), expected %d (%s)", \
				#expr, got_, stage2_strerror(got_), (want),         \
				stage2_strerror(want));                             \
	} while (0)
#define REQUIRE_OK(expr) REQUIRE_RESULT(expr, STAGE2_OK)

/* What one address translates to. */
struct translation {
	int result; /* STAGE2_OK or STAGE2_ENOENT */
	uint64_t hpa, size;
	unsigned perms, memtype;
};

struct translation mapped(uint64_t hpa, uint64_t size, unsigned perms, unsigned memtype);
struct translation unmapped(void);

/* stage2_walk(e, gpa) and the test's raw reading agree with want. */
void expect_walk(const struct stage2 *e, uint64_t gpa, struct translation raw,
		 struct translation want);

/* A test's check of one raw table at level (4 = PML4) and everything below
 * it; returns the number of tables. */
typedef uint64_t (*raw_table_check)(struct fake_host *h, const struct stage2 *e, uint64_t table_hpa,
				    int level);

/* Below the PML4, a linked table holds at least one present entry. */
void require_linked_table_used(int level, unsigned present, uint64_t table_hpa);

/* Tables reachable (by check) == table_frames == frames the host holds. */
void check_structures_with(struct fake_host *h, const struct stage2 *e, raw_table_check check);

/* Destroys e and checks every frame went back; frees h. */
void fake_teardown(struct fake_host *h, struct stage2 *e);

#endif
