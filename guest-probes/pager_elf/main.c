/* pager_elf: lazy loading of the guest ELF image (contract 2 and 10). The
 * probe has three extra PT_LOAD segments (link.ld, segments.S, pattern.h)
 * that nobody touches before probe_main; it checks every byte of them and
 * counts, with MemStats, the pages each first touch populates:
 *   pager_elf: data bytes=0x2a00 mismatches=0         file bytes in place
 *   pager_elf: data pages=3 populated=3 faults=3      file-backed pages get
 *                                                     their frames on first
 *                                                     touch, not at boot
 *   pager_elf: partial_page file_bytes=0xa00 bss_bytes=0x600 nonzero=0
 *                                                     the bss tail of the
 *                                                     page where the file
 *                                                     part ends stays zero
 *   pager_elf: bss pages=255 populated=255 nonzero_pages=0
 *                                                     untouched bss costs
 *                                                     nothing until touched,
 *                                                     then reads zero
 *   pager_elf: tail_page bss_bytes=0xa00 beyond_bytes=0x600 nonzero=0
 *   pager_elf: seg_a lead_bytes=0xa00 nonzero=0 bytes=0x1800 mismatches=0
 *                                                     the bytes of seg_a's
 *                                                     first page before it
 *                                                     belong to no segment
 *   pager_elf: shared_page a_bytes=0x200 b_file_bytes=0x400 b_bss_bytes=0xa00
 *              mismatches=0 nonzero=0                 one page filled from
 *                                                     two segments
 *   pager_elf: bss write readback=0x5a
 *   pager_elf: done */
#include "../memlib/memlib.h"
#include "pattern.h"

extern uint8_t pager_data_start[], pager_data_end[], pager_bss_start[],
	pager_bss_end[], seg_a_start[], seg_a_end[], seg_b_start[],
	seg_b_file_end[], seg_b_end[];

static uint64_t addr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static uint64_t page_of(uint64_t a)
{
	return a & ~(uint64_t)(PAGE_SIZE_4K - 1);
}

/* Bytes of [p, p + bytes) that differ from the pattern with this seed. */
static unsigned pattern_mismatches(uint64_t p, uint64_t bytes, uint32_t seed)
{
	const volatile uint32_t *w = (const volatile uint32_t *)(uintptr_t)p;
	unsigned bad = 0;
	for (uint32_t k = 0; k < bytes / 4; k++) {
		uint32_t want = k * (uint32_t)PATTERN_MULTIPLIER + (uint32_t)seed;
		uint32_t got = w[k];
		for (unsigned b = 0; b < 4; b++)
			bad += ((got ^ want) >> (8 * b) & 0xff) != 0;
	}
	return bad;
}

static unsigned nonzero_bytes(uint64_t p, uint64_t bytes)
{
	const volatile uint8_t *b = (const volatile uint8_t *)(uintptr_t)p;
	unsigned n = 0;
	for (uint64_t i = 0; i < bytes; i++)
		n += b[i] != 0;
	return n;
}

static void check_layout(void)
{
	if (addr(pager_data_end) - addr(pager_data_start) != PAGER_DATA_BYTES ||
	    addr(pager_bss_start) != addr(pager_data_end) ||
	    addr(pager_bss_end) - addr(pager_bss_start) != PAGER_BSS_BYTES ||
	    addr(seg_a_end) - addr(seg_a_start) != SEG_A_BYTES ||
	    addr(seg_b_start) != addr(seg_a_end) ||
	    addr(seg_b_file_end) - addr(seg_b_start) != SEG_B_FILE_BYTES ||
	    addr(seg_b_end) - addr(seg_b_file_end) != SEG_B_BSS_BYTES ||
	    page_of(addr(seg_b_end) - 1) != page_of(addr(seg_a_end)))
		probe_error("pager_elf segments are not laid out as link.ld says");
}

static void delta(const struct mem_stats *a, const struct mem_stats *b,
		  struct mem_stats *d)
{
	d->pages = b->pages - a->pages;
	d->faults = b->faults - a->faults;
}

static void data_segment(void)
{
	struct mem_stats a, b, d;
	uint64_t start = addr(pager_data_start), file_end = addr(pager_data_end);
	uint64_t pages = (page_of(file_end - 1) - start) / PAGE_SIZE_4K + 1;

	mem_stats_read(&a);
	unsigned bad = pattern_mismatches(start, PAGER_DATA_BYTES, PAGER_DATA_SEED);
	mem_stats_read(&b);
	delta(&a, &b, &d);
	printf("pager_elf: data bytes=0x%x mismatches=%u\n", PAGER_DATA_BYTES, bad);
	printf("pager_elf: data pages=%llu populated=%llu faults=%llu\n",
	       (unsigned long long)pages, (unsigned long long)d.pages,
	       (unsigned long long)d.faults);

	uint64_t partial_end = page_of(file_end) + PAGE_SIZE_4K;
	printf("pager_elf: partial_page file_bytes=0x%llx bss_bytes=0x%llx nonzero=%u\n",
	       (unsigned long long)(file_end - page_of(file_end)),
	       (unsigned long long)(partial_end - file_end),
	       nonzero_bytes(file_end, partial_end - file_end));
}

static void bss(void)
{
	struct mem_stats a, b, d;
	uint64_t first = page_of(addr(pager_bss_start)) + PAGE_SIZE_4K;
	uint64_t tail = page_of(addr(pager_bss_end));
	uint64_t pages = (tail - first) / PAGE_SIZE_4K;
	unsigned nonzero_pages = 0;

	mem_stats_read(&a);
	for (uint64_t p = first; p < tail; p += PAGE_SIZE_4K)
		nonzero_pages += nonzero_bytes(p, PAGE_SIZE_4K) != 0;
	mem_stats_read(&b);
	delta(&a, &b, &d);
	printf("pager_elf: bss pages=%llu populated=%llu nonzero_pages=%u\n",
	       (unsigned long long)pages, (unsigned long long)d.pages, nonzero_pages);

	printf("pager_elf: tail_page bss_bytes=0x%llx beyond_bytes=0x%llx nonzero=%u\n",
	       (unsigned long long)(addr(pager_bss_end) - tail),
	       (unsigned long long)(tail + PAGE_SIZE_4K - addr(pager_bss_end)),
	       nonzero_bytes(tail, PAGE_SIZE_4K));

	volatile uint8_t *mid = (volatile uint8_t *)(uintptr_t)(first + 0x1234);
	*mid = 0x5a;
	printf("pager_elf: bss write readback=0x%x\n", *mid);
}

static void shared_page(void)
{
	uint64_t a = addr(seg_a_start), b = addr(seg_b_start);
	printf("pager_elf: seg_a lead_bytes=0x%llx nonzero=%u bytes=0x%x mismatches=%u\n",
	       (unsigned long long)(a - page_of(a)), nonzero_bytes(page_of(a), a - page_of(a)),
	       SEG_A_BYTES, pattern_mismatches(a, SEG_A_BYTES, SEG_A_SEED));

	uint64_t shared = page_of(b);
	printf("pager_elf: shared_page a_bytes=0x%llx b_file_bytes=0x%x b_bss_bytes=0x%x mismatches=%u nonzero=%u\n",
	       (unsigned long long)(b - shared), SEG_B_FILE_BYTES, SEG_B_BSS_BYTES,
	       pattern_mismatches(shared, b - shared,
				  SEG_A_SEED + (uint32_t)((shared - a) / 4) * PATTERN_MULTIPLIER) +
		       pattern_mismatches(b, SEG_B_FILE_BYTES, SEG_B_SEED),
	       nonzero_bytes(addr(seg_b_file_end), SEG_B_BSS_BYTES));
}

void probe_main(void)
{
	check_layout();
	data_segment();
	bss();
	shared_page();
	printf("pager_elf: done\n");
}
