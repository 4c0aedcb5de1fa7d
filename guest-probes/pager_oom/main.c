/* pager_oom: guest RAM larger than the host can back (contract 10: "When
 * host frames run out the VM ends with `out of memory`"). Run with a guest
 * RAM size (hv cmdline mem=...) above the machine's memory, the probe
 * writes one byte to every page from 4 MiB up to the end of RAM, printing
 *   pager_oom: touched mib=<n>
 * at every multiple of 8 MiB, so the transcript shows the pager worked
 * before it ran dry. A hypervisor that never runs out lets the probe print
 *   pager_oom: touched all mib=<n>
 * and halt with code 0.
 *
 * With `dense=<pages>` on the guest command line the probe instead makes
 * the host run out while the pager also needs a new EPT page table: it
 * touches <pages> pages from 4 MiB up, then the first page of every later
 * 2 MiB region (each needs a fresh page frame and a fresh EPT page table,
 * one per 512 pages, SDM 29.3.2), printing
 *   pager_oom: dense pages=<n>
 *   pager_oom: regions from=0x<gpa> count=<n>
 * before each phase, then the remaining pages as above. Where the frames
 * run out depends on the memory the hypervisor keeps for itself, so the
 * spec runs several <pages> (and both parities: frame then table, or the
 * other way round) and judges only that teardown frees everything. It
 * calls no MemStats, so the pager cases need only the pager itself. */
#include "../memlib/memlib.h"

#define TOUCH_START 0x400000ull /* above the image and the boot information */
#define MIB 0x100000ull
#define PROGRESS_MIB 8u
#define EPT_PT_SPAN 0x200000ull /* one EPT page table maps 2 MiB (SDM 29.3.2) */

static void touch(uint64_t gpa)
{
	*(volatile uint8_t *)(uintptr_t)gpa = 1;
}

/* The first page of every 2 MiB region from `from` to ram_end. */
static void touch_regions(uint64_t from, uint64_t ram_end)
{
	printf("pager_oom: regions from=0x%llx count=%llu\n", (unsigned long long)from,
	       (unsigned long long)((ram_end - from) / EPT_PT_SPAN));
	for (uint64_t a = from; a < ram_end; a += EPT_PT_SPAN)
		touch(a);
}

void probe_main(void)
{
	uint64_t ram_end = ram_end_from_mmap();
	uint64_t dense;
	if (cmdline_u64(boot_cmdline(), "dense", &dense)) {
		uint64_t dense_end = TOUCH_START + dense * PAGE_SIZE_4K;
		uint64_t regions = (dense_end + EPT_PT_SPAN - 1) & ~(EPT_PT_SPAN - 1);
		if (regions >= ram_end)
			probe_error("dense= leaves no 2 MiB region to open");
		printf("pager_oom: dense pages=%llu\n", (unsigned long long)dense);
		for (uint64_t a = TOUCH_START; a < dense_end; a += PAGE_SIZE_4K)
			touch(a);
		touch_regions(regions, ram_end);
	}
	uint64_t next_report = PROGRESS_MIB * MIB; /* above TOUCH_START */
	for (uint64_t a = TOUCH_START; a < ram_end; a += PAGE_SIZE_4K) {
		touch(a);
		if (a + PAGE_SIZE_4K == next_report) {
			printf("pager_oom: touched mib=%llu\n",
			       (unsigned long long)(next_report / MIB));
			next_report += PROGRESS_MIB * MIB;
		}
	}
	printf("pager_oom: touched all mib=%llu\n", (unsigned long long)(ram_end / MIB));
}
