/* perf_mem: a benchmark, not a pass/fail test. Measures with RDTSC (under
 * Bochs the TSC advances with emulated instructions, so the figures count
 * emulated work rather than wall time):
 *   perf: lazy_page_ticks=<n> mmio_read_ticks=<n> host_frames=<n> pages=<n>
 *     lazy_page_ticks  mean ticks of a write to a fresh page (EPT violation,
 *                      frame allocation, zeroing, mapping, re-execution),
 *                      over LAZY_PAGES pages
 *     mmio_read_ticks  mean ticks of an 8-byte read of the test device's ID
 *                      register, over MMIO_READS reads
 *     host_frames, pages  MemStats selectors 3 and 0 afterwards
 *   perf: resident_page_ticks=<n> ram_read_ticks=<n>
 *     the same loops on pages already backed and on RAM, for comparison */
#include "../memlib/memlib.h"

#define LAZY_PAGES 512u
#define MMIO_READS 1000u
#define FRESH_BASE 0x1000000ull /* 16 MiB: untouched RAM */

static uint64_t touch_pages(void)
{
	uint64_t t0 = rdtsc();
	for (unsigned i = 0; i < LAZY_PAGES; i++)
		*(volatile uint8_t *)(uintptr_t)(FRESH_BASE + i * PAGE_SIZE_4K) = 1;
	return rdtsc() - t0;
}

static uint64_t read_many(uint64_t gpa)
{
	uint64_t t0 = rdtsc();
	for (unsigned i = 0; i < MMIO_READS; i++)
		(void)mmio_read64(gpa);
	return rdtsc() - t0;
}

void probe_main(void)
{
	if (ram_end_from_mmap() < FRESH_BASE + LAZY_PAGES * PAGE_SIZE_4K)
		probe_error("needs guest RAM of at least 18 MiB");
	uint64_t lazy = touch_pages();
	uint64_t resident = touch_pages();
	uint64_t mmio = read_many(TESTDEV_BASE + TESTDEV_ID);
	uint64_t ram = read_many(FRESH_BASE);
	struct mem_stats s;
	mem_stats_read(&s);
	printf("perf: lazy_page_ticks=%llu mmio_read_ticks=%llu host_frames=%llu pages=%llu\n",
	       (unsigned long long)(lazy / LAZY_PAGES),
	       (unsigned long long)(mmio / MMIO_READS),
	       (unsigned long long)s.host_frames, (unsigned long long)s.pages);
	printf("perf: resident_page_ticks=%llu ram_read_ticks=%llu\n",
	       (unsigned long long)(resident / LAZY_PAGES),
	       (unsigned long long)(ram / MMIO_READS));
}
