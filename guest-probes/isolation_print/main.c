/* isolation_print: the Print hypercall (contract 5) given guest page tables
 * that lead out of guest RAM, loop, or buffers at the edges of RAM and of
 * the address space. The hypervisor must answer each with a result and
 * carry on; nothing outside guest RAM may be read or printed. One line per
 * case, `isolation_print: case=<name> rax=<result>`:
 *   leaf_past_ram       PTE -> the first page past RAM           -14
 *   leaf_far_past_ram   PTE -> RAM end + 16 MiB (host memory)    -14
 *   leaf_rom            PTE -> the guest ROM (readable, not RAM)  -14
 *   leaf_testdev        PTE -> the register test device           -14
 *                       (also reads_delta=1: Print read no device register)
 *   leaf_noexec         PTE -> the no-execute page (guest-writable,
 *                       not RAM)                                  -14
 *   leaf_1g_past_ram    1-GiB page at GPA 1 GiB (mem=16M)         -14
 *   pt_outside_ram      PDE -> a page table at an unbacked GPA    -14
 *   pt_testdev          PDE -> a page table in the test device    -14
 *   pdpt_rom            PML4E -> a PDPT in the guest ROM          -14
 *   pdpt_past_ram       PML4E -> a PDPT at the first GPA past RAM -14
 *   pml4_loop           PML4[2] -> the PML4 itself, PML4[3] -> a text page:
 *                       the 4-level walk of (2,2,2,3) ends at the text page,
 *                       which prints; the guest's own read agrees
 *   ram_end_exact       8 bytes ending at the last byte of RAM    8
 *   ram_end_plus_one    9 bytes, the last one past RAM            -14
 *   size_4097           HC_PRINT_MAX + 1                          -7
 *   size_2_63           2^63                                      -7
 *   wrap                gva 2^64-1, size 2 (both pages present)   -22
 * then `isolation_print: survived`. Buffers that must not print hold the
 * word LEAKED. Runs with hv cmdline mem=16M. */
#include "../memlib/memlib.h"
#include "paging64.h"

#define VA_LEAF_PAST_RAM (PROBE_MAP_BASE + 0x0000ull)
#define VA_LEAF_FAR (PROBE_MAP_BASE + 0x1000ull)
#define VA_LEAF_ROM (PROBE_MAP_BASE + 0x2000ull)
#define VA_LEAF_TESTDEV (PROBE_MAP_BASE + 0x3000ull)
#define VA_LEAF_NOEXEC (PROBE_MAP_BASE + 0x4000ull)
#define VA_PT_OUTSIDE (PROBE_MAP_BASE + 0x200000ull)
#define VA_PT_TESTDEV (PROBE_MAP_BASE + 0x400000ull)
#define VA_1G (PROBE_MAP_BASE + 0x40000000ull)
#define GPA_1G 0x40000000ull /* past RAM for mem < 1G */
#define UNBACKED_GPA 0xd0000000ull
#define FAR_PAST_RAM 0x1000000ull

/* PML4 slots (4.5: bits 47:39 of the address) the probe takes over. */
#define SLOT_LOOP 2ull
#define SLOT_TEXT 3ull
#define SLOT_PDPT_ROM 4ull
#define SLOT_PDPT_PAST_RAM 5ull
#define PML4_SHIFT 39
#define PDPT_SHIFT 30
#define PD_SHIFT 21
#define PT_SHIFT 12
#define PTE_ADDR_MASK 0x000ffffffffff000ull /* bits 51:12, 4.5.4 */
#define TOP_PAGE_VA 0xfffffffffffff000ull
#define TEXT_OFFSET 0x100u

static const char loop_text[] = "isolation_print: printed through a looping PML4\n";
static const char leaked[] = "isolation_print: LEAKED\n";
static uint8_t text_page[PAGE_SIZE_4K] __attribute__((aligned(PAGE_SIZE_4K)));
static uint8_t top_frame[PAGE_SIZE_4K] __attribute__((aligned(PAGE_SIZE_4K)));

static uint64_t phys(const void *p)
{
	return (uint64_t)(uintptr_t)p; /* the image is identity-mapped */
}

static void report(const char *name, hc_result r)
{
	printf("isolation_print: case=%s rax=%ld\n", name, r);
}

static uint64_t testdev_reads(void)
{
	return mmio_read64(TESTDEV_BASE + TESTDEV_READS);
}

/* Print through va; for device mappings also how many testdev reads the
 * call caused (the two READS reads themselves account for 1). */
static void print_case(const char *name, uint64_t va, bool count_reads)
{
	uint64_t before = count_reads ? testdev_reads() : 0;
	hc_result r = hv_print_gva(va, 8);
	if (count_reads)
		printf("isolation_print: case=%s rax=%ld reads_delta=%llu\n", name, r,
		       (unsigned long long)(testdev_reads() - before));
	else
		report(name, r);
}

static void leaf_cases(uint64_t ram_end)
{
	set_pt_entry(VA_LEAF_PAST_RAM, PT_LEVEL_PTE, ram_end | PTE_P | PTE_RW);
	print_case("leaf_past_ram", VA_LEAF_PAST_RAM, false);
	set_pt_entry(VA_LEAF_FAR, PT_LEVEL_PTE, (ram_end + FAR_PAST_RAM) | PTE_P | PTE_RW);
	print_case("leaf_far_past_ram", VA_LEAF_FAR, false);
	set_pt_entry(VA_LEAF_ROM, PT_LEVEL_PTE, GUEST_ROM_BASE | PTE_P | PTE_RW);
	print_case("leaf_rom", VA_LEAF_ROM, false);
	set_pt_entry(VA_LEAF_TESTDEV, PT_LEVEL_PTE, TESTDEV_BASE | PTE_P | PTE_RW);
	print_case("leaf_testdev", VA_LEAF_TESTDEV, true);
	memcpy((char *)(uintptr_t)NOEXEC_PAGE_BASE, "LEAKED!\n", 8);
	set_pt_entry(VA_LEAF_NOEXEC, PT_LEVEL_PTE, NOEXEC_PAGE_BASE | PTE_P | PTE_RW);
	print_case("leaf_noexec", VA_LEAF_NOEXEC, false);

	struct cpuid_regs ext = cpuid(CPUID_LEAF_EXT_FEATURES, 0);
	if (!(ext.edx & CPUID_80000001_EDX_PAGE1GB) || ram_end > GPA_1G) {
		printf("isolation_print: case=leaf_1g_past_ram unavailable\n");
		return;
	}
	map_page_1g(VA_1G, GPA_1G);
	print_case("leaf_1g_past_ram", VA_1G, false);
}

static void table_cases(uint64_t ram_end)
{
	set_pt_entry(VA_PT_OUTSIDE, PT_LEVEL_PDE, UNBACKED_GPA | PTE_P | PTE_RW);
	print_case("pt_outside_ram", VA_PT_OUTSIDE, false);
	set_pt_entry(VA_PT_TESTDEV, PT_LEVEL_PDE, TESTDEV_BASE | PTE_P | PTE_RW);
	print_case("pt_testdev", VA_PT_TESTDEV, true);

	uint64_t va_rom = SLOT_PDPT_ROM << PML4_SHIFT;
	set_pt_entry(va_rom, PT_LEVEL_PML4E, GUEST_ROM_BASE | PTE_P | PTE_RW);
	print_case("pdpt_rom", va_rom, false);
	uint64_t va_past = SLOT_PDPT_PAST_RAM << PML4_SHIFT;
	set_pt_entry(va_past, PT_LEVEL_PML4E, ram_end | PTE_P | PTE_RW);
	print_case("pdpt_past_ram", va_past, false);
}

static void loop_case(void)
{
	memcpy(text_page + TEXT_OFFSET, loop_text, sizeof(loop_text) - 1);
	uint64_t pml4 = read_cr3() & PTE_ADDR_MASK;
	uint64_t va = SLOT_LOOP << PML4_SHIFT | SLOT_LOOP << PDPT_SHIFT |
		      SLOT_LOOP << PD_SHIFT | SLOT_TEXT << PT_SHIFT | TEXT_OFFSET;
	set_pt_entry(SLOT_TEXT << PML4_SHIFT, PT_LEVEL_PML4E, phys(text_page) | PTE_P | PTE_RW);
	set_pt_entry(SLOT_LOOP << PML4_SHIFT, PT_LEVEL_PML4E, pml4 | PTE_P | PTE_RW);
	invlpg(va);
	char first = *(volatile char *)(uintptr_t)va;
	report("pml4_loop", hv_print_gva(va, sizeof(loop_text) - 1));
	printf("isolation_print: case=pml4_loop guest_read=%c\n", first);
}

static void edge_cases(uint64_t ram_end)
{
	static const char end_text[] = "RAMEND!\n";
	char *last = (char *)(uintptr_t)(ram_end - 8);
	memcpy(last, end_text, 8);
	report("ram_end_exact", hv_print(last, 8));
	memcpy(last, "LEAKED!\n", 8);
	report("ram_end_plus_one", hv_print(last, 9));

	report("size_4097", hv_print(leaked, HC_PRINT_MAX + 1));
	/* 2^63 is too big (-7), and in 4-level mode it also overflows the
	 * address width (-22) and reaches pages that are not present (-14):
	 * contract 5 fixes no order between errors, so any of the three is
	 * right (the probe's own values, not the shared header's). */
	hc_result huge = hv_print(leaked, 1ull << 63);
	report("size_2_63", huge);
	printf("isolation_print: case=size_2_63 documented_error=%d\n",
	       huge == -7 || huge == -22 || huge == -14);

	memcpy(top_frame + PAGE_SIZE_4K - 1, "L", 1);
	map_page_4k(TOP_PAGE_VA, phys(top_frame));
	report("wrap", hv_print_gva(~0ull, 2));
}

void probe_main(void)
{
	uint64_t ram_end = ram_end_from_mmap();
	leaf_cases(ram_end);
	table_cases(ram_end);
	loop_case();
	edge_cases(ram_end);
	printf("isolation_print: survived\n");
}
