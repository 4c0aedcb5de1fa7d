/* The 64-bit image's one mode: 4-level paging as the runtime set it up
 * (first 4 GiB identity-mapped with 2-MiB pages), plus a 4-KiB page
 * table at ALIAS_VA that maps the four device windows again, a text
 * frame, a not-present page, another text frame and the split slot's two
 * frames in reverse order; the last page of
 * the address space maps a text frame (Print's wrap test). */
#include "fuzz.h"
#include "paging64.h"

#define ALIAS_VA ((unsigned long)FUZZ_ALIAS_VA) /* a hole in the identity map, < 2 GiB */
#define ALIAS_TEXT_BELOW 6u    /* PT slots: windows 0-3, text, hole, text */
#define ALIAS_NOT_PRESENT 7u
#define ALIAS_TEXT_ABOVE 8u
#define TOP_PAGE_VA 0xfffffffffffff000ul
#define UNMAPPED_VA 0x100000000ul /* PDPT slot 4: the runtime maps 0-3 */
#define MIB 0x100000ul
#define KIB 0x400ul

static uint64_t alias_pt[ENTRIES_PER_TABLE_64] __attribute__((aligned(PAGE_SIZE_4K)));
/* The split slot's two frames, mapped in reverse order (fuzz_layout.h). */
static uint8_t split_frames[2][PAGE_SIZE_4K] __attribute__((aligned(PAGE_SIZE_4K)));

static unsigned long phys(const void *p)
{
	return (unsigned long)(uintptr_t)p; /* the image is identity-mapped */
}

static void enter_long4(void)
{
	for (unsigned w = 0; w < WINDOW_COUNT; w++) {
		alias_pt[w] = WINDOW_GPA(w) | PTE_P | PTE_RW;
		plan.window_va[w] = WINDOW_GPA(w);
	}
	alias_pt[ALIAS_TEXT_BELOW] = phys(fuzz_text) | PTE_P | PTE_RW;
	alias_pt[ALIAS_TEXT_ABOVE] = phys(fuzz_text + PAGE_SIZE_4K) | PTE_P | PTE_RW;
	alias_pt[FUZZ_SPLIT_SLOT_FIRST] = phys(split_frames[1]) | PTE_P | PTE_RW;
	alias_pt[FUZZ_SPLIT_SLOT_FIRST + 1] = phys(split_frames[0]) | PTE_P | PTE_RW;
	set_pt_entry(ALIAS_VA, PT_LEVEL_PDE, phys(alias_pt) | PTE_P | PTE_RW);
	map_page_4k(TOP_PAGE_VA, phys(fuzz_text + 2 * PAGE_SIZE_4K));
	write_cr3(read_cr3()); /* drop the 2-MiB translation ALIAS_VA had */

	plan.name = "long4";
	plan.addr_bits = 64;
	plan.window_alias_va = ALIAS_VA;
	plan.not_present_va = ALIAS_VA + ALIAS_NOT_PRESENT * PAGE_SIZE_4K;
	plan.unmapped_va = UNMAPPED_VA;
	plan.top_page_mapped = true;
	plan.split_slot = true;
	plan.paging = true;
	plan.ram_end = MIB + (unsigned long)boot_info()->mem_upper * KIB;
}

const struct fuzz_mode fuzz_modes[] = { { "long4", enter_long4 } };
const unsigned fuzz_mode_count = 1;
