/* The identity map of guest RAM that the 32-bit probes (gp_modes32,
 * disk_modes32) build before turning paging on, so their code, data and
 * page tables stay where they are: the first 4 MiB (or 2 MiB) through a
 * table of 4-KiB pages, the rest of RAM through large pages. ram_end: the end
 * of guest RAM, a multiple of 4 MiB; the includer adds its test mappings
 * afterwards. Also the switches into 32-bit and PAE paging (the fuzz probe
 * uses them with its own tables). */
#ifndef GP_SHARED_IDENTITY32_H
#define GP_SHARED_IDENTITY32_H
#include "runtime.h"

#define PDE_SHIFT_32 22           /* 32-bit paging: 4 MiB per PDE, SDM vol. 3 4.3 */
#define PDE_SHIFT_PAE 21          /* PAE: 2 MiB per PDE, 4.4.2 */
#define PDPTE_SHIFT_PAE 30        /* PAE: 1 GiB per PDPTE, 4.4.1 */

/* 32-bit paging (4.3): pd[0] -> pt_low, then 4-MiB pages (CR4.PSE). */
static inline void identity_map32(uint32_t *pd, uint32_t *pt_low, uint32_t ram_end)
{
	for (uint32_t i = 0; i < ENTRIES_PER_TABLE_32; i++)
		pt_low[i] = (i * PAGE_SIZE_4K) | PTE_P | PTE_RW;
	pd[0] = (uint32_t)(uintptr_t)pt_low | PTE_P | PTE_RW;
	for (uint32_t i = 1; i < (ram_end >> PDE_SHIFT_32); i++)
		pd[i] = (i << PDE_SHIFT_32) | PTE_P | PTE_RW | PTE_PS;
}

/* PAE paging (4.4), the page directory of PDPT entry 0: pd0[0] -> pt_low,
 * then 2-MiB pages. */
static inline void identity_map_pae(uint64_t *pd0, uint64_t *pt_low, uint32_t ram_end)
{
	for (uint32_t i = 0; i < ENTRIES_PER_TABLE_64; i++)
		pt_low[i] = (uint64_t)(i * PAGE_SIZE_4K) | PTE_P | PTE_RW;
	pd0[0] = (uint32_t)(uintptr_t)pt_low | PTE_P | PTE_RW;
	for (uint32_t i = 1; i < (ram_end >> PDE_SHIFT_PAE); i++)
		pd0[i] = (uint64_t)(i << PDE_SHIFT_PAE) | PTE_P | PTE_RW | PTE_PS;
}

/* Turns 32-bit paging on (4.3) with 4-MiB pages allowed (CR4.PSE), the
 * page directory at pd_phys. */
static inline void paging32_on(uint32_t pd_phys)
{
	write_cr3(pd_phys);
	write_cr4(read_cr4() | CR4_PSE);
	write_cr0(read_cr0() | CR0_PG);
}

/* Switches to PAE paging (4.4), from paging off or 32-bit paging, the PDPT
 * at pdpt_phys. */
static inline void pae_on(uint32_t pdpt_phys)
{
	/* Paging must be off while CR4.PAE changes (4.1.2). */
	write_cr0(read_cr0() & ~CR0_PG);
	write_cr4((read_cr4() & ~CR4_PSE) | CR4_PAE);
	write_cr3(pdpt_phys);
	write_cr0(read_cr0() | CR0_PG);
}

#endif
