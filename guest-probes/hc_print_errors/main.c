/* hc_print_errors: how Print translates its buffer through the guest's own
 * 4-level page tables, and each error of contract 5. The probe builds test
 * mappings above the identity map and prints one line per case,
 * `hc_print_errors: case=<name> rax=<result>`:
 * EFAULT for a non-present entry at each level (PTE, PDE, PDPTE, PML4E), a
 * PTE pointing past guest RAM, one pointing at a device window and one at
 * the guest ROM (readable, but not guest RAM), a buffer whose second page
 * is past the end of RAM or not present (nothing may be printed); E2BIG for HC_PRINT_MAX+1 and for 2^32+16 (a hypervisor keeping
 * only 32 bits of RSI would print 16 bytes); EINVAL for a buffer wrapping
 * past 2^64 whose pages are all present; 0 for size 0. Successful prints
 * cross a page boundary between two 4-KiB pages mapped to frames in reverse
 * order (the bytes must come from the right frames: decoys sit in the
 * physically adjacent ones), and read through a 2-MiB and a 1-GiB page.
 * Buffers ending exactly at the top of each canonical half (last byte
 * 0x7fffffffffff, and 0xffffffffffffffff) overflow nothing: they print.
 * A not-present entry whose other bits are those of a valid entry (the
 * address of a table, or frame, that maps a readable text; RW, US, A) is
 * still not present at every level: the processor ignores every other bit
 * when P = 0 (SDM vol. 3A 4.5, Tables 4-15 to 4-20), so Print gives EFAULT;
 * the same entry with P = 1 prints first, showing the rest of it is valid. */
#include "paging64.h"
#include "runtime.h"

/* Entry bits of 4-level paging besides P and RW (SDM vol. 3A 4.5, Tables
 * 4-15 to 4-20): user/supervisor, accessed, dirty (leaf only). */
#define PTE_US (1ull << 2)
#define PTE_A (1ull << 5)
#define PTE_D (1ull << 6)

/* Default guest RAM size (contract 1, mem=64M): the case boots without mem=. */
#define GUEST_RAM_END 0x4000000ull
#define PAST_RAM_GPA 0x80000000ull  /* 2 GiB: not RAM, no device window */
#define DEVICE_WINDOW_GPA 0xcafe0000ull /* doorbell window */
#define GUEST_ROM_GPA 0xcafe2000ull /* guest ROM window: readable, not RAM */
#define TOP_PAGE_VA 0xfffffffffffff000ull
/* Last page of the lower canonical half: 4-level linear addresses are 48
 * bits, sign-extended (SDM vol. 1 3.3.7.1; vol. 3A 4.5): it ends at 2^47. */
#define LOW_TOP_PAGE_VA 0x7ffffffff000ull

/* Test virtual addresses, all in PML4 slot 1 except where noted. */
#define VA_FRAME_A (PROBE_MAP_BASE + 0x0000)
#define VA_FRAME_B (PROBE_MAP_BASE + 0x1000)
#define VA_NO_PTE (PROBE_MAP_BASE + 0x2000)
#define VA_PAST_RAM (PROBE_MAP_BASE + 0x3000)
#define VA_WINDOW (PROBE_MAP_BASE + 0x4000)
#define VA_RAM_LAST (PROBE_MAP_BASE + 0x5000)
#define VA_RAM_END (PROBE_MAP_BASE + 0x6000)
#define VA_PARTIAL (PROBE_MAP_BASE + 0x7000)
#define VA_PARTIAL_HOLE (PROBE_MAP_BASE + 0x8000)
#define VA_ROM (PROBE_MAP_BASE + 0x9000)
#define VA_NO_PDE (PROBE_MAP_BASE + 0x200000)
#define VA_2M (PROBE_MAP_BASE + 0x400000)
#define VA_1G (PROBE_MAP_BASE + 0x40000000)
#define VA_NO_PDPTE (PROBE_MAP_BASE + 0x80000000)
#define VA_NO_PML4E 0x10000000000ull /* PML4 slot 2 */
/* One page per level whose entry at that level loses P (p0_cases): PT
 * entry 10; PD entry 3; PDPT entry 3; PML4 slot 3. */
#define VA_P0_PTE (PROBE_MAP_BASE + 0xa000)
#define VA_P0_PDE (PROBE_MAP_BASE + 0x600000)
#define VA_P0_PDPTE (PROBE_MAP_BASE + 0xc0000000)
#define VA_P0_PML4E 0x18000000000ull
/* In the text frame: a text printed while every entry is present, and
 * one that must never be printed. */
#define P0_LEAK_OFFSET 0x800

enum { FRAME_B, FRAME_AFTER_B, FRAME_A, FRAME_AFTER_A, FRAME_PARTIAL,
       FRAME_TOP, FRAME_LOW_TOP, FRAME_P0_TEXT, FRAME_COUNT };
static uint8_t frames[FRAME_COUNT][PAGE_SIZE_4K]
	__attribute__((aligned(PAGE_SIZE_4K)));
static char big_buffer[2 * PAGE_SIZE_4K];

static const char cross_first[] = "hc_print_errors: cross first=frameA ";
static const char cross_second[] = "second=frameB\n";
static const char decoy[] = "second=WRONG-FRAME\n";
static const char partial[] = "hc_print_errors: PARTIAL-PRINT-LEAKED ";
static const char straddle[] = "hc_print_errors: STRADDLE-PRINT-LEAKED ";
static const char via_2m[] = "hc_print_errors: via 2m page\n";
static const char via_1g[] = "hc_print_errors: via 1g page\n";
static const char wrap_text[] = "hc_print_errors: WRAP-PRINT-LEAKED\n";
static const char low_top[] = "hc_print_errors: ends at canonical low top\n";
static const char high_top[] = "hc_print_errors: ends at canonical high top\n";
static const char p0_present[] = "hc_print_errors: p0 walk while present\n";
static const char p0_leak[] = "hc_print_errors: NOTPRESENT-LEAKED\n";

static uint64_t phys(const void *p)
{
	return (uint64_t)(uintptr_t)p; /* the image is identity-mapped */
}

static void report(const char *name, hc_result r)
{
	printf("hc_print_errors: case=%s rax=%ld\n", name, r);
}

/* Places text so that it ends exactly at the end of the page at page. */
static uint64_t put_at_page_end(uint8_t *page, const char *text, size_t len)
{
	memcpy(page + PAGE_SIZE_4K - len, text, len);
	return PAGE_SIZE_4K - len;
}

static void not_present_cases(void)
{
	/* A PT exists for the slot-1 region once VA_FRAME_A is mapped; its
	 * entry for VA_NO_PTE stays 0. */
	report("not_present_pte", hv_print_gva(VA_NO_PTE, 8));
	report("not_present_pde", hv_print_gva(VA_NO_PDE, 8));
	report("not_present_pdpte", hv_print_gva(VA_NO_PDPTE, 8));
	report("not_present_pml4e", hv_print_gva(VA_NO_PML4E, 8));
}

/* Maps va to the text frame, Prints through it while present, then clears
 * P alone in the entry at level (adding US and A, and D in a PTE: bits a
 * present entry may hold) and Prints again: HC_EFAULT, nothing printed. */
static void p0_case(const char *name, uint64_t va, enum pt_level level)
{
	map_page_4k(va, phys(frames[FRAME_P0_TEXT]));
	printf("hc_print_errors: case=%s_while_present rax=%ld\n", name,
	       hv_print_gva(va, sizeof(p0_present) - 1));
	volatile uint64_t *e = pt_entry(va, level);
	uint64_t extra = PTE_US | PTE_A | (level == PT_LEVEL_PTE ? PTE_D : 0);
	set_pt_entry(va, level, (*e & ~PTE_P) | extra);
	report(name, hv_print_gva(va + P0_LEAK_OFFSET, sizeof(p0_leak) - 1));
}

static void p0_cases(void)
{
	memcpy(frames[FRAME_P0_TEXT], p0_present, sizeof(p0_present) - 1);
	memcpy(frames[FRAME_P0_TEXT] + P0_LEAK_OFFSET, p0_leak,
	       sizeof(p0_leak) - 1);
	p0_case("p0_pte", VA_P0_PTE, PT_LEVEL_PTE);
	p0_case("p0_pde", VA_P0_PDE, PT_LEVEL_PDE);
	p0_case("p0_pdpte", VA_P0_PDPTE, PT_LEVEL_PDPTE);
	p0_case("p0_pml4e", VA_P0_PML4E, PT_LEVEL_PML4E);
}

static void outside_ram_cases(void)
{
	set_pt_entry(VA_PAST_RAM, PT_LEVEL_PTE, PAST_RAM_GPA | PTE_P | PTE_RW);
	report("outside_ram", hv_print_gva(VA_PAST_RAM, 8));

	set_pt_entry(VA_WINDOW, PT_LEVEL_PTE,
		     DEVICE_WINDOW_GPA | PTE_P | PTE_RW);
	report("device_window", hv_print_gva(VA_WINDOW, 8));

	set_pt_entry(VA_ROM, PT_LEVEL_PTE, GUEST_ROM_GPA | PTE_P | PTE_RW);
	report("guest_rom", hv_print_gva(VA_ROM, 16));

	/* Last RAM page, then the first page past RAM. */
	uint8_t *last = (uint8_t *)(uintptr_t)(GUEST_RAM_END - PAGE_SIZE_4K);
	uint64_t off = put_at_page_end(last, straddle, sizeof(straddle) - 1);
	map_page_4k(VA_RAM_LAST, GUEST_RAM_END - PAGE_SIZE_4K);
	set_pt_entry(VA_RAM_END, PT_LEVEL_PTE, GUEST_RAM_END | PTE_P | PTE_RW);
	report("straddle_ram_end",
	       hv_print_gva(VA_RAM_LAST + off, sizeof(straddle) - 1 + 8));

	/* Present page, then a non-present one: all or nothing. */
	off = put_at_page_end(frames[FRAME_PARTIAL], partial,
			      sizeof(partial) - 1);
	map_page_4k(VA_PARTIAL, phys(frames[FRAME_PARTIAL]));
	report("partial_not_present",
	       hv_print_gva(VA_PARTIAL + off, sizeof(partial) - 1 + 8));
}

static void size_cases(void)
{
	memset(big_buffer, 'E', sizeof(big_buffer));
	report("e2big", hv_print(big_buffer, HC_PRINT_MAX + 1));
	/* 2^32 + 16 bytes from big_buffer also run past the pages the probe
	 * maps, so HC_EFAULT applies as much as HC_E2BIG: the contract fixes no
	 * order between errors that hold at once. A hypervisor that reads only
	 * RSI[31:0] sees 16 and prints (forbidden EEEE...). */
	hc_result high = hv_print(big_buffer, 0x100000000ull + 16);
	report("e2big_high_bits", high);
	printf("hc_print_errors: case=e2big_high_bits documented_error=%d\n",
	       high == -7 || high == -14);
	report("size_zero", hv_print(big_buffer, 0));
	report("size_zero_unmapped", hv_print_gva(VA_NO_PML4E, 0));

	/* The top page and page 0 (identity map) are both present, so the
	 * only fault in gva + size is the wrap past 2^64. */
	uint64_t off = put_at_page_end(frames[FRAME_TOP], wrap_text,
				       sizeof(wrap_text) - 1);
	map_page_4k(TOP_PAGE_VA, phys(frames[FRAME_TOP]));
	report("einval_wrap",
	       hv_print_gva(TOP_PAGE_VA + off, sizeof(wrap_text) - 1 + 16));
}

static void translation_cases(void)
{
	/* Frame A (higher) then frame B (lower): a hypervisor that walks
	 * only the first page and reads on linearly would print the decoy
	 * at the start of the frame after A. */
	uint64_t off = put_at_page_end(frames[FRAME_A], cross_first,
				       sizeof(cross_first) - 1);
	memcpy(frames[FRAME_B], cross_second, sizeof(cross_second) - 1);
	memcpy(frames[FRAME_AFTER_A], decoy, sizeof(decoy) - 1);
	memcpy(frames[FRAME_AFTER_B], decoy, sizeof(decoy) - 1);
	map_page_4k(VA_FRAME_A, phys(frames[FRAME_A]));
	map_page_4k(VA_FRAME_B, phys(frames[FRAME_B]));
	report("cross_page",
	       hv_print_gva(VA_FRAME_A + off, sizeof(cross_first) - 1 +
						sizeof(cross_second) - 1));

	uint64_t base2m = phys(via_2m) & ~(uint64_t)(PAGE_SIZE_2M - 1);
	map_page_2m(VA_2M, base2m);
	report("page_2m",
	       hv_print_gva(VA_2M + (phys(via_2m) - base2m), sizeof(via_2m) - 1));

	struct cpuid_regs ext = cpuid(CPUID_LEAF_EXT_FEATURES, 0);
	if (!(ext.edx & CPUID_80000001_EDX_PAGE1GB)) {
		printf("hc_print_errors: page1gb unsupported\n");
		return;
	}
	map_page_1g(VA_1G, 0);
	report("page_1g", hv_print_gva(VA_1G + phys(via_1g), sizeof(via_1g) - 1));
}

/* Each text ends with the last byte of its half (gva + size = 2^47, and
 * 2^64): inside the address width, so Print prints it; so does a 1-byte
 * Print of that last byte (the text's newline). */
static void canonical_top_cases(void)
{
	uint64_t off = put_at_page_end(frames[FRAME_LOW_TOP], low_top,
				       sizeof(low_top) - 1);
	map_page_4k(LOW_TOP_PAGE_VA, phys(frames[FRAME_LOW_TOP]));
	report("low_top_end",
	       hv_print_gva(LOW_TOP_PAGE_VA + off, sizeof(low_top) - 1));
	report("low_top_last_byte",
	       hv_print_gva(LOW_TOP_PAGE_VA + PAGE_SIZE_4K - 1, 1));

	off = put_at_page_end(frames[FRAME_TOP], high_top, sizeof(high_top) - 1);
	map_page_4k(TOP_PAGE_VA, phys(frames[FRAME_TOP]));
	report("high_top_end",
	       hv_print_gva(TOP_PAGE_VA + off, sizeof(high_top) - 1));
	report("high_top_last_byte",
	       hv_print_gva(TOP_PAGE_VA + PAGE_SIZE_4K - 1, 1));
}

void probe_main(void)
{
	translation_cases();
	not_present_cases();
	p0_cases();
	outside_ram_cases();
	size_cases();
	canonical_top_cases();
}
