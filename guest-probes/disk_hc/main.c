/* disk_hc: the block hypercalls DiskInfo, DiskRead and DiskWrite (contract
 * 14) on a disk the harness built with fill "pattern" (abi/disk.h). One
 * line per check, `disk_hc: case=<name> rax=<result> ...`, where `data=ok`
 * or `data=bad at=<offset> got=<byte> want=<byte>` reports what the probe
 * found in its buffer or, read back, on the disk. Modes (cmdline mode=):
 *   all      (default) info, reads (first, last, a 16-sector buffer over
 *            three pages mapped to frames in shuffled order), a read and a
 *            write over the boundary of two 2-MiB pages mapped out of order, writes read
 *            back in the same boot, count 0, and every error with its
 *            buffer and the disk checked unchanged afterwards;
 *   nodisk   every disk hypercall without a disk: HC_ENODEV;
 *   info     DiskInfo only (the disk found among the modules);
 *   write    boot 1 of a two-boot case: writes known bytes to sectors 0,
 *            1 (twice: the last write counts), 5-7 and the last;
 *   write_hlt the same writes, then HLT with interrupts off: the VM ends
 *            with `hlt rip=...` instead of HaltCpu (the write-back is due
 *            on every outcome);
 *   readback boot 2: reads those sectors and sector 3, never written.
 *   write_all every sector, 16 at a time (measuring the write-back).
 */
#include "abi/disk.h"
#include "cmdline.h"
#include "paging64.h"
#include "runtime.h"

#define SECTOR DISK_SECTOR_BYTES
#define MAX_SECTORS HC_DISK_MAX_SECTORS
#define GUEST_RAM_END 0x4000000ull  /* default mem=64M */
#define PAST_RAM_GPA 0x80000000ull  /* 2 GiB: neither RAM nor a window */
#define TOP_PAGE_VA 0xfffffffffffff000ull
#define SENTINEL 0xee

/* Test virtual addresses in PML4 slot 1 (paging64.h). */
#define VA_SHUFFLED (PROBE_MAP_BASE + 0x0000)  /* three pages: C, A, B */
#define VA_NO_PTE (PROBE_MAP_BASE + 0x10000)
#define VA_PARTIAL (PROBE_MAP_BASE + 0x20000)  /* present, then not present */
#define VA_PAST_RAM (PROBE_MAP_BASE + 0x30000)
#define VA_RAM_LAST (PROBE_MAP_BASE + 0x40000) /* last RAM page, then past RAM */
/* Two 2-MiB pages (4.5): the first maps LARGE_HIGH_GPA, the next the lower
 * LARGE_LOW_GPA, so a buffer over their boundary is not contiguous. */
#define VA_LARGE (PROBE_MAP_BASE + 0x40000000ull)
#define LARGE_2M 0x200000ull
#define LARGE_HIGH_GPA 0x2000000ull
#define LARGE_LOW_GPA 0x1800000ull

enum { FRAME_A, FRAME_B, FRAME_C, FRAME_PARTIAL, FRAME_TOP, FRAME_COUNT };
static uint8_t frames[FRAME_COUNT][PAGE_SIZE_4K] __attribute__((aligned(PAGE_SIZE_4K)));
static uint8_t buf[MAX_SECTORS * SECTOR] __attribute__((aligned(PAGE_SIZE_4K)));
static uint8_t check[MAX_SECTORS * SECTOR];

static hc_result disk_info(hc_word sel) { return hypercall3(HC_DISK_INFO, sel, 0, 0); }
static hc_result disk_read_gva(hc_word lba, hc_word n, uint64_t gva)
{
	return hypercall3(HC_DISK_READ, lba, n, gva);
}
static hc_result disk_write_gva(hc_word lba, hc_word n, uint64_t gva)
{
	return hypercall3(HC_DISK_WRITE, lba, n, gva);
}
static uint64_t va(const void *p) { return (uint64_t)(uintptr_t)p; }

/* What boot 1 (and the same-boot write checks) write: unlike the fill. */
static uint8_t written_byte(uint64_t s, unsigned k) { return (uint8_t)(s * 13 + k * 5 + 0x41); }
static uint8_t pattern_byte(uint64_t s, unsigned k) { return disk_pattern_byte(s, k); }
static uint8_t sentinel_byte(uint64_t s, unsigned k) { (void)s; (void)k; return SENTINEL; }

typedef uint8_t (*byte_fn)(uint64_t sector, unsigned k);

static void fill(uint8_t *p, uint64_t lba, uint64_t n, byte_fn f)
{
	for (uint64_t i = 0; i < n * SECTOR; i++)
		p[i] = f(lba + i / SECTOR, (unsigned)(i % SECTOR));
}

/* Prints data=ok, or the first byte that differs from f's. */
static void print_data(const uint8_t *p, uint64_t lba, uint64_t n, byte_fn f)
{
	for (uint64_t i = 0; i < n * SECTOR; i++) {
		uint8_t want = f(lba + i / SECTOR, (unsigned)(i % SECTOR));
		if (p[i] != want) {
			printf(" data=bad at=%lu got=0x%x want=0x%x\n", i, p[i], want);
			return;
		}
	}
	printf(" data=ok\n");
}

static void report(const char *name, hc_result r)
{
	printf("disk_hc: case=%s rax=%ld", name, r);
}

/* The disk's sectors [lba, lba+n) hold f's bytes: read back through a
 * buffer of the probe's own. */
static void print_disk(uint64_t lba, uint64_t n, byte_fn f)
{
	memset(check, 0, sizeof check);
	hc_result back = disk_read_gva(lba, n, va(check));
	if (back != (hc_result)n)
		printf(" readback_rax=%ld\n", back);
	else
		print_data(check, lba, n, f);
}

static void report_disk(const char *name, hc_result r, uint64_t lba, uint64_t n, byte_fn f)
{
	report(name, r);
	print_disk(lba, n, f);
}

static uint64_t sectors;

static void info_cases(void)
{
	hc_result n = disk_info(HC_DISK_INFO_SECTORS);
	printf("disk_hc: sectors=%ld sector_size=%ld\n", n, disk_info(HC_DISK_INFO_SECTOR_SIZE));
	report("info_bad_selector", disk_info(HC_DISK_INFO_COUNT));
	printf("\n");
	report("info_bad_selector_high", disk_info(0x100000000ull));
	printf("\n");
	sectors = n > 0 ? (uint64_t)n : 0;
}

static void read_cases(void)
{
	memset(buf, SENTINEL, sizeof buf);
	report("read_first", disk_read_gva(0, 1, va(buf)));
	print_data(buf, 0, 1, pattern_byte);
	report("read_first_rest_untouched", 0);
	print_data(buf + SECTOR, 1, 1, sentinel_byte);

	memset(buf, SENTINEL, sizeof buf);
	report("read_last", disk_read_gva(sectors - 1, 1, va(buf)));
	print_data(buf, sectors - 1, 1, pattern_byte);

	memset(buf, SENTINEL, sizeof buf);
	report("read_max", disk_read_gva(2, MAX_SECTORS, va(buf)));
	print_data(buf, 2, MAX_SECTORS, pattern_byte);

	/* 16 sectors from the middle of page C over A into B: a hypervisor
	 * that copies linearly from the first frame fills the wrong ones. */
	memset(frames, SENTINEL, sizeof frames);
	map_page_4k(VA_SHUFFLED, va(frames[FRAME_C]));
	map_page_4k(VA_SHUFFLED + PAGE_SIZE_4K, va(frames[FRAME_A]));
	map_page_4k(VA_SHUFFLED + 2 * PAGE_SIZE_4K, va(frames[FRAME_B]));
	uint64_t half = PAGE_SIZE_4K / 2, first = 20;
	report("read_cross_pages", disk_read_gva(first, MAX_SECTORS, VA_SHUFFLED + half));
	/* The frames, as physical memory, in buffer order. */
	memcpy(check, frames[FRAME_C] + half, half);
	memcpy(check + half, frames[FRAME_A], PAGE_SIZE_4K);
	memcpy(check + half + PAGE_SIZE_4K, frames[FRAME_B], MAX_SECTORS * SECTOR - half - PAGE_SIZE_4K);
	print_data(check, first, MAX_SECTORS, pattern_byte);

	memset(buf, SENTINEL, sizeof buf);
	report("read_count_zero", disk_read_gva(0, 0, va(buf)));
	print_data(buf, 0, 1, sentinel_byte);
}

static void write_cases(void)
{
	fill(buf, 3, 2, written_byte);
	report_disk("write_read_back", disk_write_gva(3, 2, va(buf)), 3, 2, written_byte);
	report_disk("write_neighbours_kept", 0, 2, 1, pattern_byte);
	report_disk("write_neighbours_kept_after", 0, 5, 1, pattern_byte);

	fill(buf, sectors - 1, 1, written_byte);
	report_disk("write_last", disk_write_gva(sectors - 1, 1, va(buf)), sectors - 1, 1,
		    written_byte);

	/* From the shuffled pages: the bytes come from the right frames. */
	uint64_t half = PAGE_SIZE_4K / 2, first = 40;
	fill(check, first, MAX_SECTORS, written_byte);
	memcpy(frames[FRAME_C] + half, check, half);
	memcpy(frames[FRAME_A], check + half, PAGE_SIZE_4K);
	memcpy(frames[FRAME_B], check + half + PAGE_SIZE_4K, MAX_SECTORS * SECTOR - half - PAGE_SIZE_4K);
	report_disk("write_cross_pages", disk_write_gva(first, MAX_SECTORS, VA_SHUFFLED + half),
		    first, MAX_SECTORS, written_byte);

	fill(buf, 8, 1, sentinel_byte);
	report_disk("write_count_zero", disk_write_gva(8, 0, va(buf)), 8, 1, pattern_byte);
}

/* A buffer over the boundary of two 2-MiB pages, starting half a page
 * before it: DiskRead of 16 pattern sectors (from 2), DiskWrite of 12
 * sectors (26..37, which no later case checks). */
static void cross_2m_case(bool write)
{
	uint64_t half = PAGE_SIZE_4K / 2, lba = write ? 26 : 2, n = write ? 12 : MAX_SECTORS;
	uint8_t *tail = (uint8_t *)(uintptr_t)(LARGE_HIGH_GPA + LARGE_2M - half);
	uint8_t *head = (uint8_t *)(uintptr_t)LARGE_LOW_GPA;
	uint8_t *decoy = (uint8_t *)(uintptr_t)(LARGE_HIGH_GPA + LARGE_2M);
	map_page_2m(VA_LARGE, LARGE_HIGH_GPA);
	map_page_2m(VA_LARGE + LARGE_2M, LARGE_LOW_GPA);
	if (write) {
		fill(check, lba, n, written_byte);
		memcpy(tail, check, half);
		memcpy(head, check + half, n * SECTOR - half);
		memset(decoy, SENTINEL, n * SECTOR - half);
		report_disk("write_cross_2m", disk_write_gva(lba, n, VA_LARGE + LARGE_2M - half), lba, n,
			    written_byte);
		return;
	}
	memset(tail, SENTINEL, half);
	memset(head, SENTINEL, n * SECTOR - half);
	report("read_cross_2m", disk_read_gva(lba, n, VA_LARGE + LARGE_2M - half));
	memcpy(check, tail, half);
	memcpy(check + half, head, n * SECTOR - half);
	print_data(check, lba, n, pattern_byte);
}

/* One erroring read: its buffer (at gva, the probe's own bytes at p) keeps
 * the sentinel. */
static void read_error(const char *name, hc_word lba, hc_word n, uint64_t gva, uint8_t *p,
		       uint64_t bytes)
{
	memset(p, SENTINEL, bytes);
	report(name, disk_read_gva(lba, n, gva));
	print_data(p, 0, bytes / SECTOR, sentinel_byte);
}

/* A count of 2^32 + 1 is both too large and past the disk's end: either
 * error is right (contract 14), so the probe says which class it saw. A
 * hypervisor keeping only RSI[31:0] would move one sector. */
static void high_bits_case(const char *name, bool write)
{
	fill(buf, 0, 1, write ? written_byte : sentinel_byte);
	hc_result r = write ? disk_write_gva(9, 0x100000001ull, va(buf))
			    : disk_read_gva(0, 0x100000001ull, va(buf));
	printf("disk_hc: case=%s too_large_or_past_end=%d", name, r == HC_E2BIG || r == HC_ERANGE);
	if (write)
		print_disk(9, 1, pattern_byte);
	else
		print_data(buf, 0, 1, sentinel_byte);
}

/* One erroring write of sectors [lba, lba+n) (those on the disk are read
 * back: still the fill). */
static void write_error(const char *name, hc_word lba, hc_word n, uint64_t gva, uint64_t check_lba,
			uint64_t check_n)
{
	fill(buf, 0, MAX_SECTORS, written_byte);
	report_disk(name, disk_write_gva(lba, n, gva), check_lba, check_n, pattern_byte);
}

static void error_cases(void)
{
	/* Sectors not on the disk, count too large. */
	read_error("read_erange_first", sectors, 1, va(buf), buf, SECTOR);
	read_error("read_erange_past_end", sectors - 1, 2, va(buf), buf, 2 * SECTOR);
	read_error("read_erange_overflow", ~0ull, 2, va(buf), buf, 2 * SECTOR);
	read_error("read_e2big", 0, MAX_SECTORS + 1, va(buf), buf, sizeof buf);
	high_bits_case("read_e2big_high_bits", false);
	write_error("write_erange_first", sectors, 1, va(buf), sectors - 2, 1);
	write_error("write_erange_past_end", sectors - 1, 2, va(buf), sectors - 2, 1);
	write_error("write_erange_overflow", ~0ull, 2, va(buf), 0, 1);
	write_error("write_e2big", 9, MAX_SECTORS + 1, va(buf), 9, MAX_SECTORS);
	high_bits_case("write_e2big_high_bits", true);

	/* Buffers that do not translate or lie outside guest RAM. */
	read_error("read_efault_not_present", 0, 1, VA_NO_PTE, buf, 0);
	write_error("write_efault_not_present", 9, 1, VA_NO_PTE, 9, 1);

	map_page_4k(VA_PARTIAL, va(frames[FRAME_PARTIAL]));
	uint64_t tail = PAGE_SIZE_4K - SECTOR;  /* one sector in the present page */
	read_error("read_efault_second_page", 0, 2, VA_PARTIAL + tail, frames[FRAME_PARTIAL] + tail,
		   SECTOR);
	memcpy(frames[FRAME_PARTIAL] + tail, buf, SECTOR);
	write_error("write_efault_second_page", 9, 2, VA_PARTIAL + tail, 9, 2);

	set_pt_entry(VA_PAST_RAM, PT_LEVEL_PTE, PAST_RAM_GPA | PTE_P | PTE_RW);
	read_error("read_efault_outside_ram", 0, 1, VA_PAST_RAM, buf, 0);
	write_error("write_efault_outside_ram", 9, 1, VA_PAST_RAM, 9, 1);

	/* The last page of RAM, then the first past it. */
	uint8_t *last = (uint8_t *)(uintptr_t)(GUEST_RAM_END - PAGE_SIZE_4K);
	map_page_4k(VA_RAM_LAST, GUEST_RAM_END - PAGE_SIZE_4K);
	set_pt_entry(VA_RAM_LAST + PAGE_SIZE_4K, PT_LEVEL_PTE, GUEST_RAM_END | PTE_P | PTE_RW);
	read_error("read_efault_ram_end", 0, 2, VA_RAM_LAST + tail, last + tail, SECTOR);
	write_error("write_efault_ram_end", 9, 2, VA_RAM_LAST + tail, 9, 2);

	/* The top page and page 0 are both present: only the wrap past
	 * 2^64 is wrong. */
	map_page_4k(TOP_PAGE_VA, va(frames[FRAME_TOP]));
	read_error("read_einval_wrap", 0, 2, TOP_PAGE_VA + tail, frames[FRAME_TOP] + tail, SECTOR);
	write_error("write_einval_wrap", 9, 2, TOP_PAGE_VA + tail, 9, 2);
}

static void nodisk_cases(void)
{
	memset(buf, SENTINEL, sizeof buf);
	report("nodisk_info_sectors", disk_info(HC_DISK_INFO_SECTORS));
	printf("\n");
	report("nodisk_info_sector_size", disk_info(HC_DISK_INFO_SECTOR_SIZE));
	printf("\n");
	report("nodisk_read", disk_read_gva(0, 1, va(buf)));
	print_data(buf, 0, 1, sentinel_byte);
	report("nodisk_write", disk_write_gva(0, 1, va(buf)));
	printf("\n");
}

/* Boot 1 and boot 2 of the write-back case. */
static const struct { uint64_t lba, n; } boot_writes[] = { { 0, 2 }, { 5, 3 } };

static void write_boot(void)
{
	fill(buf, 1, 1, sentinel_byte);  /* overwritten below: the last write counts */
	report("boot1_write_early", disk_write_gva(1, 1, va(buf)));
	printf("\n");
	for (unsigned i = 0; i < sizeof boot_writes / sizeof boot_writes[0]; i++) {
		fill(buf, boot_writes[i].lba, boot_writes[i].n, written_byte);
		report("boot1_write", disk_write_gva(boot_writes[i].lba, boot_writes[i].n, va(buf)));
		printf(" lba=%lu\n", boot_writes[i].lba);
	}
	fill(buf, sectors - 1, 1, written_byte);
	report("boot1_write_last", disk_write_gva(sectors - 1, 1, va(buf)));
	printf("\n");
}

static void readback_boot(void)
{
	for (unsigned i = 0; i < sizeof boot_writes / sizeof boot_writes[0]; i++) {
		report("boot2_read", 0);
		printf(" lba=%lu", boot_writes[i].lba);
		memset(buf, 0, sizeof buf);
		hc_result r = disk_read_gva(boot_writes[i].lba, boot_writes[i].n, va(buf));
		if (r != (hc_result)boot_writes[i].n)
			printf(" readback_rax=%ld\n", r);
		else
			print_data(buf, boot_writes[i].lba, boot_writes[i].n, written_byte);
	}
	report_disk("boot2_read_last", 0, sectors - 1, 1, written_byte);
	report_disk("boot2_unwritten_kept", 0, 3, 2, pattern_byte);
}

/* Every sector written (16 at a time): the largest write-back stream, for
 * measuring it. */
static void write_all(void)
{
	uint64_t bad = 0;
	for (uint64_t lba = 0; lba < sectors; lba += MAX_SECTORS) {
		uint64_t n = sectors - lba < MAX_SECTORS ? sectors - lba : MAX_SECTORS;
		fill(buf, lba, n, written_byte);
		if (disk_write_gva(lba, n, va(buf)) != (hc_result)n)
			bad++;
	}
	printf("disk_hc: write_all sectors=%lu failed_calls=%lu\n", sectors, bad);
}

/* No mode= (or an empty one) means all. */
static bool mode_is(const char *want)
{
	if (cmdline_is(boot_cmdline(), "mode", ""))
		return !memcmp(want, "all", 4);
	return cmdline_is(boot_cmdline(), "mode", want);
}

void probe_main(void)
{
	if (mode_is("nodisk")) {
		nodisk_cases();
		return;
	}
	info_cases();
	if (sectors < 64) {
		printf("disk_hc: the disk needs at least 64 sectors, DiskInfo says %ld\n", (long)sectors);
		return;
	}
	if (mode_is("all")) {
		read_cases();
		cross_2m_case(false);
		write_cases();
		cross_2m_case(true);
		error_cases();
	} else if (mode_is("write")) {
		write_boot();
	} else if (mode_is("write_hlt")) {
		write_boot();
		printf("disk_hc: done\n");
		__asm__ volatile("cli; hlt");
	} else if (mode_is("readback")) {
		readback_boot();
	} else if (mode_is("write_all")) {
		write_all();
	}
	printf("disk_hc: done\n");
}
