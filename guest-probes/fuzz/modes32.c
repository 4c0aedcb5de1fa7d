/* The 32-bit image's modes, in order: paging off; 32-bit paging (4-MiB
 * pages for the first GiB and the device windows, 4-KiB page tables for
 * the alias and the top page); PAE (2-MiB pages likewise). In both paging
 * modes a 4-KiB table at ALIAS_VA maps the four device windows again, a
 * text frame, a not-present page, another text frame and the split slot's
 * two frames in reverse order; the last page
 * of the 4-GiB space maps a text frame (Print's wrap test); 0x80000000
 * is unmapped. */
#include "fuzz.h"
#include "../shared/identity32.h"

#define ALIAS_VA ((uint32_t)FUZZ_ALIAS_VA)
#define ALIAS_TEXT_BELOW 6u
#define ALIAS_NOT_PRESENT 7u
#define ALIAS_TEXT_ABOVE 8u
#define UNMAPPED_VA 0x80000000u
#define IDENTITY_END 0x40000000u  /* the first GiB: all of guest RAM */
#define PT_SHIFT 12
#define MIB 0x100000u
#define KIB 0x400u

static uint32_t pd32[ENTRIES_PER_TABLE_32] __attribute__((aligned(PAGE_SIZE_4K)));
static uint32_t alias_pt32[ENTRIES_PER_TABLE_32] __attribute__((aligned(PAGE_SIZE_4K)));
static uint32_t top_pt32[ENTRIES_PER_TABLE_32] __attribute__((aligned(PAGE_SIZE_4K)));
/* The split slot's two frames, mapped in reverse order (fuzz_layout.h). */
static uint8_t split_frames[2][PAGE_SIZE_4K] __attribute__((aligned(PAGE_SIZE_4K)));

static uint64_t pdpt[PAE_PDPTE_COUNT] __attribute__((aligned(32)));
static uint64_t pae_pd[PAE_PDPTE_COUNT][ENTRIES_PER_TABLE_64] __attribute__((aligned(PAGE_SIZE_4K)));
static uint64_t alias_pt_pae[ENTRIES_PER_TABLE_64] __attribute__((aligned(PAGE_SIZE_4K)));
static uint64_t top_pt_pae[ENTRIES_PER_TABLE_64] __attribute__((aligned(PAGE_SIZE_4K)));

static uint32_t phys(const void *p)
{
	return (uint32_t)(uintptr_t)p; /* identity-mapped in every mode */
}

static void common_plan(const char *name, bool paged)
{
	plan.name = name;
	plan.addr_bits = 32;
	for (unsigned w = 0; w < WINDOW_COUNT; w++)
		plan.window_va[w] = (unsigned long)WINDOW_GPA(w);
	plan.window_alias_va = paged ? ALIAS_VA : 0;
	plan.not_present_va = paged ? ALIAS_VA + ALIAS_NOT_PRESENT * PAGE_SIZE_4K : 0;
	plan.unmapped_va = paged ? UNMAPPED_VA : 0;
	plan.top_page_mapped = paged;
	plan.split_slot = paged;
	plan.paging = paged;
	plan.ram_end = MIB + boot_info()->mem_upper * KIB;
}

static void enter_off(void)
{
	common_plan("off", false);
}

/* Entries of an alias table: windows, text, hole, text (any entry size). */
#define FILL_ALIAS(pt)                                                        \
	do {                                                                  \
		for (unsigned w = 0; w < WINDOW_COUNT; w++)                   \
			(pt)[w] = (uint32_t)WINDOW_GPA(w) | PTE_P | PTE_RW;   \
		(pt)[ALIAS_TEXT_BELOW] = phys(fuzz_text) | PTE_P | PTE_RW;    \
		(pt)[ALIAS_TEXT_ABOVE] =                                      \
			phys(fuzz_text + PAGE_SIZE_4K) | PTE_P | PTE_RW;      \
		(pt)[FUZZ_SPLIT_SLOT_FIRST] =                                 \
			phys(split_frames[1]) | PTE_P | PTE_RW;               \
		(pt)[FUZZ_SPLIT_SLOT_FIRST + 1] =                             \
			phys(split_frames[0]) | PTE_P | PTE_RW;               \
	} while (0)

static void enter_pse32(void)
{
	for (uint32_t i = 0; i < (IDENTITY_END >> PDE_SHIFT_32); i++)
		pd32[i] = (i << PDE_SHIFT_32) | PTE_P | PTE_RW | PTE_PS;
	uint32_t windows = (uint32_t)WINDOW_GPA(0) >> PDE_SHIFT_32;
	pd32[windows] = (windows << PDE_SHIFT_32) | PTE_P | PTE_RW | PTE_PS;
	FILL_ALIAS(alias_pt32);
	pd32[ALIAS_VA >> PDE_SHIFT_32] = phys(alias_pt32) | PTE_P | PTE_RW;
	top_pt32[ENTRIES_PER_TABLE_32 - 1] =
		phys(fuzz_text + 2 * PAGE_SIZE_4K) | PTE_P | PTE_RW;
	pd32[ENTRIES_PER_TABLE_32 - 1] = phys(top_pt32) | PTE_P | PTE_RW;

	paging32_on(phys(pd32));
	common_plan("pse32", true);
}

static void enter_pae(void)
{
	for (uint32_t i = 0; i < ENTRIES_PER_TABLE_64; i++)
		pae_pd[0][i] = ((uint64_t)i << PDE_SHIFT_PAE) | PTE_P | PTE_RW | PTE_PS;
	FILL_ALIAS(alias_pt_pae);
	pae_pd[1][0] = phys(alias_pt_pae) | PTE_P | PTE_RW;
	uint32_t windows = (uint32_t)WINDOW_GPA(0) >> PDE_SHIFT_PAE;
	pae_pd[3][windows & (ENTRIES_PER_TABLE_64 - 1)] =
		((uint64_t)windows << PDE_SHIFT_PAE) | PTE_P | PTE_RW | PTE_PS;
	top_pt_pae[ENTRIES_PER_TABLE_64 - 1] =
		phys(fuzz_text + 2 * PAGE_SIZE_4K) | PTE_P | PTE_RW;
	pae_pd[3][ENTRIES_PER_TABLE_64 - 1] = phys(top_pt_pae) | PTE_P | PTE_RW;
	/* PDPTEs have no RW bit: bits 2:1 are reserved (4.4.1). Slot 2
	 * (0x80000000) stays not present. */
	pdpt[0] = phys(pae_pd[0]) | PTE_P;
	pdpt[1] = phys(pae_pd[1]) | PTE_P;
	pdpt[3] = phys(pae_pd[3]) | PTE_P;

	pae_on(phys(pdpt));
	common_plan("pae", true);
}

const struct fuzz_mode fuzz_modes[] = {
	{ "off", enter_off }, { "pse32", enter_pse32 }, { "pae", enter_pae },
};
const unsigned fuzz_mode_count = sizeof(fuzz_modes) / sizeof(fuzz_modes[0]);
