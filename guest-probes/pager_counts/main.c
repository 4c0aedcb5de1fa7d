/* pager_counts: the lazy pager as MemStats (hypercall 2, contract 5 and 10)
 * counts it. Each measurement reads the counters, touches pages of a
 * region of RAM nobody used before (16 MiB and up; the image and the boot
 * information sit near 1 MiB), reads the counters again and prints the
 * differences:
 *   pager_counts: invalid selector=0x<s> rax=<r>     selectors 4 and 2^64-1
 *   pager_counts: at_start pages=<n> image_pages=<m> info_pages=<i>
 *                 within_image=yes                    only the image and the
 *                                                     boot information can
 *                                                     have been touched yet
 *   pager_counts: touch kind=none pages=0 populated=0 faults=0
 *                                                     MemStats itself
 *                                                     populates nothing
 *   pager_counts: touch kind=write pages=64 populated=64 faults=64
 *   pager_counts: touch kind=twice pages=1 populated=1 faults=1
 *                                                     the same page twice
 *   pager_counts: touch kind=read pages=64 populated=64 faults=64 nonzero_pages=0
 *                                                     reads populate too,
 *                                                     and see zeroes
 *   pager_counts: hv_touch pages=1 populated=1 faults=0 bytes=match
 *                                                     a page the hypervisor
 *                                                     fills for the guest
 *                                                     (INS from the FIFO)
 *   pager_counts: footprint n=<N> pages=<total> host_frames=<total>
 *                 pages_delta=<N> ram_frames=<N> tables_delta=<t>
 *                 bound=<b> within_bound=yes          N = 256 and 1024
 * ram_frames is host_frames_delta - tables_delta: contract 5 defines
 * selector 3 as RAM pages + EPT tables + ROM, so it must equal N. The bound
 * is N + ceil(N/512) + 2: a 4-KiB EPT mapping needs one page table per
 * 2 MiB (29.3.2); 2 spares allow for a fresh PD/PDPT. */
#include "../memlib/memlib.h"

#define FRESH_BASE 0x1000000ull /* 16 MiB: untouched RAM with mem >= 32M */
#define REGION_WRITE (FRESH_BASE + 0x000000ull)
#define REGION_TWICE (FRESH_BASE + 0x100000ull)
#define REGION_READ (FRESH_BASE + 0x180000ull)
#define REGION_HV (FRESH_BASE + 0x1ff000ull)
#define REGION_FOOT_256 (FRESH_BASE + 0x200000ull)
#define REGION_FOOT_1024 (FRESH_BASE + 0x400000ull)
#define REGION_END (FRESH_BASE + 0x800000ull)
#define TOUCH_PAGES 64u
#define EPT_PT_SPAN_PAGES 512u /* one EPT page table maps 2 MiB, 29.3.2 */
#define FOOTPRINT_SPARE_TABLES 2u

static const char fifo_text[] = "pager!!\n";

/* Writes one byte per page: the touch itself, nothing else in memory (the
 * loop lives in registers). */
static void touch_write(uint64_t base, unsigned pages)
{
	for (unsigned i = 0; i < pages; i++)
		*(volatile uint8_t *)(uintptr_t)(base + i * PAGE_SIZE_4K + 0x40) = 1;
}

/* Reads every byte of each page; returns how many pages held a non-zero byte. */
static unsigned touch_read(uint64_t base, unsigned pages)
{
	unsigned nonzero = 0;
	for (unsigned i = 0; i < pages; i++)
		nonzero += (unsigned)(PAGE_SIZE_4K -
			first_byte_not((const volatile uint8_t *)(uintptr_t)(base + i * PAGE_SIZE_4K),
				       PAGE_SIZE_4K, 0) != 0);
	return nonzero;
}

static void delta(const struct mem_stats *a, const struct mem_stats *b,
		  struct mem_stats *d)
{
	d->pages = b->pages - a->pages;
	d->faults = b->faults - a->faults;
	d->ept_tables = b->ept_tables - a->ept_tables;
	d->host_frames = b->host_frames - a->host_frames;
}

static void print_touch(const char *kind, unsigned pages, const struct mem_stats *d)
{
	printf("pager_counts: touch kind=%s pages=%u populated=%llu faults=%llu\n",
	       kind, pages, (unsigned long long)d->pages,
	       (unsigned long long)d->faults);
}

static void invalid_selectors(void)
{
	static const hc_word bad[] = { 4, ~(hc_word)0 };
	for (unsigned i = 0; i < 2; i++)
		printf("pager_counts: invalid selector=0x%llx rax=%ld\n",
		       (unsigned long long)bad[i], hv_mem_stats(bad[i]));
}

static void at_start(const struct mem_stats *s)
{
	uint64_t image_pages = ((uint64_t)(uintptr_t)__image_end -
				(uint64_t)(uintptr_t)__image_start) / PAGE_SIZE_4K;
	uint64_t info = boot_ebx;
	uint64_t info_pages = (info + boot_info()->total_size + PAGE_SIZE_4K - 1) / PAGE_SIZE_4K -
			      info / PAGE_SIZE_4K;
	printf("pager_counts: at_start pages=%llu image_pages=%llu info_pages=%llu within_image=%s\n",
	       (unsigned long long)s->pages, (unsigned long long)image_pages,
	       (unsigned long long)info_pages,
	       s->pages <= image_pages + info_pages ? "yes" : "no");
}

static void touch_cases(void)
{
	struct mem_stats a, b, d;

	mem_stats_read(&a);
	mem_stats_read(&b);
	delta(&a, &b, &d);
	print_touch("none", 0, &d);

	mem_stats_read(&a);
	touch_write(REGION_WRITE, TOUCH_PAGES);
	mem_stats_read(&b);
	delta(&a, &b, &d);
	print_touch("write", TOUCH_PAGES, &d);

	mem_stats_read(&a);
	volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)REGION_TWICE;
	p[0x10] = 1;
	(void)p[0xf00];
	p[0x800] = 2;
	mem_stats_read(&b);
	delta(&a, &b, &d);
	print_touch("twice", 1, &d);

	mem_stats_read(&a);
	unsigned nonzero = touch_read(REGION_READ, TOUCH_PAGES);
	mem_stats_read(&b);
	delta(&a, &b, &d);
	printf("pager_counts: touch kind=read pages=%u populated=%llu faults=%llu nonzero_pages=%u\n",
	       TOUCH_PAGES, (unsigned long long)d.pages,
	       (unsigned long long)d.faults, nonzero);
}

/* INS writes guest memory from the hypervisor (contract 6 and 10): the
 * page gets a frame without an EPT violation of the guest. */
static void hv_touch_case(void)
{
	for (size_t i = 0; i < sizeof(fifo_text) - 1; i++)
		outb(PORT_QUEUE, (uint8_t)fifo_text[i]);
	struct mem_stats a, b, d;
	struct string_io s = { REGION_HV + 0x100, sizeof(fifo_text) - 1 };
	mem_stats_read(&a);
	ins_string(1, PORT_QUEUE, true, false, &s);
	mem_stats_read(&b);
	delta(&a, &b, &d);
	const volatile char *got = (const volatile char *)(uintptr_t)(REGION_HV + 0x100);
	bool same = true;
	for (size_t i = 0; i < sizeof(fifo_text) - 1; i++)
		same = same && got[i] == fifo_text[i];
	printf("pager_counts: hv_touch pages=1 populated=%llu faults=%llu bytes=%s\n",
	       (unsigned long long)d.pages, (unsigned long long)d.faults,
	       same ? "match" : "differ");
}

static void footprint(unsigned n, uint64_t base)
{
	struct mem_stats a, b, d;
	mem_stats_read(&a);
	touch_write(base, n);
	mem_stats_read(&b);
	delta(&a, &b, &d);
	uint64_t bound = n + (n + EPT_PT_SPAN_PAGES - 1) / EPT_PT_SPAN_PAGES +
			 FOOTPRINT_SPARE_TABLES;
	printf("pager_counts: footprint n=%u pages=%llu host_frames=%llu\n", n,
	       (unsigned long long)b.pages, (unsigned long long)b.host_frames);
	printf("pager_counts: footprint n=%u pages_delta=%llu ram_frames=%lld tables_delta=%llu bound=%llu within_bound=%s\n",
	       n, (unsigned long long)d.pages,
	       (long long)(d.host_frames - d.ept_tables),
	       (unsigned long long)d.ept_tables, (unsigned long long)bound,
	       d.host_frames <= bound ? "yes" : "no");
}

void probe_main(void)
{
	struct mem_stats start;
	mem_stats_read(&start);
	if (ram_end_from_mmap() < REGION_END)
		probe_error("needs guest RAM of at least 24 MiB");
	at_start(&start);
	invalid_selectors();
	touch_cases();
	hv_touch_case();
	footprint(256, REGION_FOOT_256);
	footprint(1024, REGION_FOOT_1024);
	printf("pager_counts: done\n");
}
