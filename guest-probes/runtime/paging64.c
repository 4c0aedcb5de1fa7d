/* 4-level page-table editing for probes (see paging64.h). */
#include "paging64.h"
#include "console.h"
#include "cpu.h"
#include "hypercall.h"
#include "hv_string.h"
#include "runtime_layout.h"
#include "x86.h"

#define POOL_TABLES 16
#define PT_INDEX_BITS 9   /* 512 entries per table, 4.5 */
#define PT_INDEX_MASK 0x1ffu
#define PAGE_SHIFT 12     /* 4-KiB pages, 4.5 */
#define PTE_ADDR_MASK 0x000ffffffffff000ull /* bits 51:12, 4.5.4 */

static uint64_t pool[POOL_TABLES][ENTRIES_PER_TABLE_64]
	__attribute__((aligned(PAGE_SIZE_4K)));
static unsigned pool_used;

static void mapping_error(const char *what, uint64_t va)
{
	printf("runtime: error %s va=0x%llx\n", what, (unsigned long long)va);
	hv_halt(HALT_PROBE_ERROR);
}

static unsigned index_at(uint64_t va, unsigned level)
{
	return (unsigned)(va >> (PAGE_SHIFT + PT_INDEX_BITS * (level - 1))) &
	       PT_INDEX_MASK;
}

volatile uint64_t *pt_entry(uint64_t va, enum pt_level level)
{
	volatile uint64_t *table =
		(volatile uint64_t *)(uintptr_t)(read_cr3() & PTE_ADDR_MASK);

	for (unsigned l = PT_LEVEL_PML4E; l > (unsigned)level; l--) {
		volatile uint64_t *e = &table[index_at(va, l)];
		if (!(*e & PTE_P)) {
			if (pool_used == POOL_TABLES)
				mapping_error("page-table pool exhausted", va);
			uint64_t *fresh = pool[pool_used++];
			memset(fresh, 0, PAGE_SIZE_4K);
			*e = (uint64_t)(uintptr_t)fresh | PTE_P | PTE_RW;
		} else if (l != PT_LEVEL_PML4E && (*e & PTE_PS)) {
			mapping_error("large page in the way of a mapping", va);
		}
		table = (volatile uint64_t *)(uintptr_t)(*e & PTE_ADDR_MASK);
	}
	return &table[index_at(va, level)];
}

void set_pt_entry(uint64_t va, enum pt_level level, uint64_t value)
{
	*pt_entry(va, level) = value;
	invlpg((unsigned long)va);
}

static void map_page(uint64_t va, uint64_t pa, uint64_t size,
		     enum pt_level level, uint64_t extra)
{
	if ((va | pa) & (size - 1))
		mapping_error("unaligned mapping", va);
	set_pt_entry(va, level, pa | PTE_P | PTE_RW | extra);
}

void map_page_4k(uint64_t va, uint64_t pa)
{
	map_page(va, pa, PAGE_SIZE_4K, PT_LEVEL_PTE, 0);
}

void map_page_2m(uint64_t va, uint64_t pa)
{
	map_page(va, pa, PAGE_SIZE_2M, PT_LEVEL_PDE, PTE_PS);
}

void map_page_1g(uint64_t va, uint64_t pa)
{
	map_page(va, pa, PAGE_SIZE_1G, PT_LEVEL_PDPTE, PTE_PS);
}
