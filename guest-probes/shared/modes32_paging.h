/* The paging the 32-bit probes (gp_modes32, disk_modes32) test their
 * buffers under: the identity map of guest RAM (identity32.h) plus one
 * page table at VA_TEST whose pages 0 and 1 map frame A and then frame B,
 * which lies below A and not next to it, so a buffer crossing from page 0
 * into page 1 is not contiguous in guest-physical memory; the frames after
 * A and B hold the includer's decoys. For 32-bit paging (SDM vol. 3 4.3)
 * and PAE paging (4.4); the includer adds its own mappings between the
 * build and the enable. */
#ifndef GP_SHARED_MODES32_PAGING_H
#define GP_SHARED_MODES32_PAGING_H
#include "identity32.h"

#define VA_TEST 0x40000000u       /* PDE 256 (32-bit), PDPTE 1 (PAE) */

enum { FRAME_B, FRAME_AFTER_B, FRAME_A, FRAME_AFTER_A, FRAME_COUNT };

/* Every table is 4 KiB and 4-KiB aligned (4.3, 4.4.2), the PDPT 32-byte
 * aligned (4.4.1): each array is a whole number of pages, so the struct's
 * alignment carries over to all of them. */
struct modes32_paging {
	uint8_t frames[FRAME_COUNT][PAGE_SIZE_4K];
	uint32_t pd32[ENTRIES_PER_TABLE_32];
	uint32_t pt32_low[ENTRIES_PER_TABLE_32];
	uint32_t pt32_test[ENTRIES_PER_TABLE_32];
	uint64_t pae_pd0[ENTRIES_PER_TABLE_64];      /* PDPTE 0: the identity map */
	uint64_t pae_pd1[ENTRIES_PER_TABLE_64];      /* PDPTE 1: VA_TEST's 1 GiB */
	uint64_t pae_pt_low[ENTRIES_PER_TABLE_64];
	uint64_t pae_pt_test[ENTRIES_PER_TABLE_64];
	uint64_t pae_pdpt[PAE_PDPTE_COUNT];
} __attribute__((aligned(PAGE_SIZE_4K)));

static inline uint32_t phys32(const void *p)
{
	return (uint32_t)(uintptr_t)p;   /* identity-mapped in every mode */
}

/* 32-bit paging: the identity map of [0, ram_end) and VA_TEST's table. */
static inline void modes32_build_paging32(struct modes32_paging *m, uint32_t ram_end)
{
	identity_map32(m->pd32, m->pt32_low, ram_end);
	m->pt32_test[0] = phys32(m->frames[FRAME_A]) | PTE_P | PTE_RW;
	m->pt32_test[1] = phys32(m->frames[FRAME_B]) | PTE_P | PTE_RW;
	m->pd32[VA_TEST >> PDE_SHIFT_32] = phys32(m->pt32_test) | PTE_P | PTE_RW;
}

/* Turns 32-bit paging on with 4-MiB pages allowed (CR4.PSE). */
static inline void modes32_enable_paging32(struct modes32_paging *m)
{
	paging32_on(phys32(m->pd32));
}

/* PAE paging: PDPTE 0 -> the identity map of [0, ram_end), PDPTE 1 ->
 * pae_pd1, whose entry 0 is VA_TEST's table. */
static inline void modes32_build_pae(struct modes32_paging *m, uint32_t ram_end)
{
	identity_map_pae(m->pae_pd0, m->pae_pt_low, ram_end);
	m->pae_pt_test[0] = phys32(m->frames[FRAME_A]) | PTE_P | PTE_RW;
	m->pae_pt_test[1] = phys32(m->frames[FRAME_B]) | PTE_P | PTE_RW;
	m->pae_pd1[0] = phys32(m->pae_pt_test) | PTE_P | PTE_RW;
	/* PDPTEs have no RW bit: bits 2:1 are reserved (4.4.1). */
	m->pae_pdpt[0] = phys32(m->pae_pd0) | PTE_P;
	m->pae_pdpt[VA_TEST >> PDPTE_SHIFT_PAE] = phys32(m->pae_pd1) | PTE_P;
}

/* Switches to PAE paging, from paging off or 32-bit paging. */
static inline void modes32_enable_pae(struct modes32_paging *m)
{
	pae_on(phys32(m->pae_pdpt));
}

#endif
