/* Guest page-table walks for the three paging modes of SDM vol. 3 chapter 4
 * (5-level paging is not supported: the hypervisor never sets CR4.LA57). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "guest_paging.h"

/* Control register bits (SDM 2.5 "Control Registers"). */
#define CR0_PG (1ull << 31)
#define CR4_PSE (1ull << 4)
#define CR4_PAE (1ull << 5)
/* IA32_EFER bits (SDM 2.2.1 "Extended Feature Enable Register"). */
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)

/* Paging-structure entry bits common to all modes (SDM 4.3, 4.4.2, 4.5). */
#define PTE_PRESENT (1ull << 0)
#define PTE_PS (1ull << 7)
/* Bit 63 (XD) is reserved in PAE-format entries while EFER.NXE = 0
 * (SDM 4.4.2 and 4.5, tables of entry formats). */
#define PTE_XD (1ull << 63)

#define PAGE_4K (1ull << 12)
#define PAGE_4M (1ull << 22)
#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* Physical-address bits of a PAE-format entry, bits (M-1):12, taking the
 * architectural maximum MAXPHYADDR M = 52 (SDM 4.1.4). */
#define PTE_ADDR_MASK 0x000ffffffffff000ull
/* Bits 62:M of every PAE-paging entry are reserved (SDM 4.4.2); 4-level
 * paging ignores bits 62:52 instead (SDM 4.5). */
#define PAE_HIGH_RESERVED 0x7ff0000000000000ull

/* 32-bit paging (SDM 4.3): CR3 bits 31:12 locate the page directory; a 4 MiB
 * PDE gives physical bits 31:22 from its bits 31:22 and bits 39:32 from its
 * bits 20:13 (PSE-36), and bit 21 is reserved. */
#define CR3_32BIT_PD_MASK 0xfffff000ull
#define PTE32_ADDR_MASK 0xfffff000ull
#define PDE32_4M_ADDR_LOW_MASK 0xffc00000ull
#define PDE32_4M_ADDR_HIGH_SHIFT 13
#define PDE32_4M_ADDR_HIGH_MASK 0xffull
#define PDE32_4M_RESERVED (1ull << 21)
#define PD32_SHIFT 22 /* linear bits 31:22 index the page directory */
#define PT32_SHIFT 12 /* linear bits 21:12 index the page table */
#define PT32_INDEX_BITS 10
#define PTE32_SIZE 4

/* PAE paging (SDM 4.4.1): CR3 bits 31:5 locate the 4-entry PDPT, indexed by
 * linear bits 31:30. */
#define CR3_PAE_PDPT_MASK 0xffffffe0ull
#define PDPTE_PAE_SHIFT 30
#define PDPTE_PAE_INDEX_MASK 3ull
/* A PDPTE's reserved bits 2:1, 8:6 and 63:52. Bit 5 (accessed) is reserved
 * too on Intel (SDM Table 4-8), but AMD processors as QEMU emulates them set
 * it when they load the PDPTE: the guest already runs on the entry, so the
 * walker accepts what the processor itself wrote there. */
#define PDPTE_PAE_RESERVED 0xfff00000000001c6ull

/* 4-level paging (SDM 4.5): CR3 bits (M-1):12 locate the PML4; the low bits
 * are flags or the PCID. */
#define CR3_4LEVEL_PML4_MASK PTE_ADDR_MASK

/* PAE-format tables hold 512 8-byte entries, 9 index bits per level. */
#define PAE_INDEX_BITS 9
#define PTE64_SIZE 8
/* Reserved bits of large-page leaves: bits 20:13 of a 2 MiB PDE, bits 29:13
 * of a 1 GiB PDPTE (bit 12 is PAT) (SDM 4.4.2, 4.5). */
#define PDE_2M_RESERVED 0x1fe000ull
#define PDPTE_1G_RESERVED 0x3fffe000ull

/* Linear-address widths: 32 bits outside IA-32e mode; 48 in 4-level paging,
 * where bits 63:47 must be equal (SDM 4.1.1; vol. 1 3.3.7.1 "Canonical
 * Addressing"). */
#define LINEAR32_LIMIT (1ull << 32)
#define CANONICAL_LOW_END (1ull << 47)
#define CANONICAL_HIGH_START 0xffff800000000000ull

/* What an entry's bit 7 means at one level of a PAE-format walk. */
enum ps_meaning {
	PS_MUST_BE_ZERO, /* PML4E: reserved */
	PS_LARGE_PAGE,   /* PDPTE (4-level) / PDE: maps a 1 GiB / 2 MiB page */
	PS_IS_PAT,       /* PTE: always a 4 KiB leaf */
};

struct walk_level {
	unsigned shift; /* lowest linear-address bit this level indexes */
	enum ps_meaning ps;
	uint64_t large_reserved;
};

static const struct walk_level PAE_LEVELS[] = {
	{ 21, PS_LARGE_PAGE, PDE_2M_RESERVED },
	{ 12, PS_IS_PAT, 0 },
};

static const struct walk_level LEVELS_4[] = {
	{ 39, PS_MUST_BE_ZERO, 0 },
	{ 30, PS_LARGE_PAGE, PDPTE_1G_RESERVED },
	{ 21, PS_LARGE_PAGE, PDE_2M_RESERVED },
	{ 12, PS_IS_PAT, 0 },
};

enum guest_paging_mode guest_paging_mode(const struct guest_cpu_state *s)
{
	if (!(s->cr0 & CR0_PG))
		return GUEST_PAGING_OFF;
	if (!(s->cr4 & CR4_PAE))
		return GUEST_PAGING_32BIT;
	if (!(s->efer & EFER_LMA))
		return GUEST_PAGING_PAE;
	return GUEST_PAGING_4LEVEL;
}

bool guest_range_valid(const struct guest_cpu_state *s, uint64_t gva, uint64_t size)
{
	if (size == 0)
		return true;
	if (guest_paging_mode(s) != GUEST_PAGING_4LEVEL)
		return gva < LINEAR32_LIMIT && size <= LINEAR32_LIMIT - gva;
	if (gva < CANONICAL_LOW_END)
		return size <= CANONICAL_LOW_END - gva;
	if (gva >= CANONICAL_HIGH_START)
		return size - 1 <= UINT64_MAX - gva; /* may end exactly at 2^64 */
	return false;
}

static bool read_u32(const struct guest_mem *m, uint64_t gpa, uint64_t *entry)
{
	uint32_t v;
	if (!m->read(m->ctx, gpa, &v, sizeof(v)))
		return false;
	*entry = v;
	return true;
}

static bool read_u64(const struct guest_mem *m, uint64_t gpa, uint64_t *entry)
{
	uint64_t v;
	if (!m->read(m->ctx, gpa, &v, sizeof(v)))
		return false;
	*entry = v;
	return true;
}

static int leaf(uint64_t base, uint64_t page, uint64_t gva, uint64_t *gpa,
		uint64_t *bytes_left)
{
	uint64_t offset = gva & (page - 1);
	*gpa = base + offset;
	*bytes_left = page - offset;
	return GUEST_XLATE_OK;
}

static int walk_32bit(const struct guest_mem *m, const struct guest_cpu_state *s,
		      uint64_t gva, uint64_t *gpa, uint64_t *bytes_left)
{
	uint64_t pde, pte;
	uint64_t pd = s->cr3 & CR3_32BIT_PD_MASK;
	if (!read_u32(m, pd + (gva >> PD32_SHIFT) * PTE32_SIZE, &pde))
		return GUEST_XLATE_BAD_TABLE;
	if (!(pde & PTE_PRESENT))
		return GUEST_XLATE_NOT_PRESENT;
	/* Without CR4.PSE the PS bit is ignored (SDM 4.3). */
	if ((pde & PTE_PS) && (s->cr4 & CR4_PSE)) {
		if (pde & PDE32_4M_RESERVED)
			return GUEST_XLATE_RESERVED;
		uint64_t high = (pde >> PDE32_4M_ADDR_HIGH_SHIFT) & PDE32_4M_ADDR_HIGH_MASK;
		uint64_t base = (pde & PDE32_4M_ADDR_LOW_MASK) | high << 32;
		return leaf(base, PAGE_4M, gva, gpa, bytes_left);
	}
	uint64_t pt = pde & PTE32_ADDR_MASK;
	uint64_t index = (gva >> PT32_SHIFT) & ((1u << PT32_INDEX_BITS) - 1);
	if (!read_u32(m, pt + index * PTE32_SIZE, &pte))
		return GUEST_XLATE_BAD_TABLE;
	if (!(pte & PTE_PRESENT))
		return GUEST_XLATE_NOT_PRESENT;
	return leaf(pte & PTE32_ADDR_MASK, PAGE_4K, gva, gpa, bytes_left);
}

/* Walks PAE-format tables (8-byte entries) starting at table. */
static int walk_levels(const struct guest_mem *m, uint64_t table,
		       const struct walk_level *levels, unsigned nlevels,
		       uint64_t reserved, uint64_t gva, uint64_t *gpa,
		       uint64_t *bytes_left)
{
	for (unsigned i = 0; i < nlevels; i++) {
		const struct walk_level *l = &levels[i];
		uint64_t index = (gva >> l->shift) & ((1u << PAE_INDEX_BITS) - 1);
		uint64_t e;
		if (!read_u64(m, table + index * PTE64_SIZE, &e))
			return GUEST_XLATE_BAD_TABLE;
		if (!(e & PTE_PRESENT))
			return GUEST_XLATE_NOT_PRESENT;
		if (e & reserved)
			return GUEST_XLATE_RESERVED;
		uint64_t page = 1ull << l->shift;
		if (l->ps == PS_IS_PAT)
			return leaf(e & PTE_ADDR_MASK, page, gva, gpa, bytes_left);
		if (e & PTE_PS) {
			if (l->ps == PS_MUST_BE_ZERO || (e & l->large_reserved))
				return GUEST_XLATE_RESERVED;
			return leaf(e & PTE_ADDR_MASK & ~(page - 1), page, gva, gpa,
				    bytes_left);
		}
		table = e & PTE_ADDR_MASK;
	}
	return GUEST_XLATE_NOT_PRESENT; /* unreachable: the last level is a leaf */
}

static int walk_pae(const struct guest_mem *m, const struct guest_cpu_state *s,
		    uint64_t gva, uint64_t *gpa, uint64_t *bytes_left)
{
	uint64_t pdpte;
	uint64_t pdpt = s->cr3 & CR3_PAE_PDPT_MASK;
	uint64_t index = (gva >> PDPTE_PAE_SHIFT) & PDPTE_PAE_INDEX_MASK;
	/* Hardware caches the PDPTEs at MOV CR3; reading them from memory
	 * matches it unless the guest edited the PDPT without reloading CR3. */
	if (!read_u64(m, pdpt + index * PTE64_SIZE, &pdpte))
		return GUEST_XLATE_BAD_TABLE;
	if (!(pdpte & PTE_PRESENT))
		return GUEST_XLATE_NOT_PRESENT;
	if (pdpte & PDPTE_PAE_RESERVED)
		return GUEST_XLATE_RESERVED;
	uint64_t reserved = PAE_HIGH_RESERVED | (s->efer & EFER_NXE ? 0 : PTE_XD);
	return walk_levels(m, pdpte & PTE_ADDR_MASK, PAE_LEVELS, NELEMS(PAE_LEVELS),
			   reserved, gva, gpa, bytes_left);
}

int guest_translate(const struct guest_mem *m, const struct guest_cpu_state *s,
		    uint64_t gva, uint64_t *gpa, uint64_t *bytes_left)
{
	enum guest_paging_mode mode = guest_paging_mode(s);
	if (!guest_range_valid(s, gva, 1))
		return GUEST_XLATE_BAD_RANGE;
	switch (mode) {
	case GUEST_PAGING_OFF:
		return leaf(gva & ~(PAGE_4K - 1), PAGE_4K, gva, gpa, bytes_left);
	case GUEST_PAGING_32BIT:
		return walk_32bit(m, s, gva, gpa, bytes_left);
	case GUEST_PAGING_PAE:
		return walk_pae(m, s, gva, gpa, bytes_left);
	case GUEST_PAGING_4LEVEL:
		break;
	}
	uint64_t reserved = s->efer & EFER_NXE ? 0 : PTE_XD;
	return walk_levels(m, s->cr3 & CR3_4LEVEL_PML4_MASK, LEVELS_4, NELEMS(LEVELS_4),
			   reserved, gva, gpa, bytes_left);
}

/* What copy_pages does with each translated piece. */
enum copy_op { COPY_CHECK, COPY_READ, COPY_WRITE };

static int copy_pages(const struct guest_mem *m, guest_phys_write_fn write,
		      const struct guest_cpu_state *s, uint64_t gva, uint8_t *buf,
		      uint64_t len, enum copy_op op)
{
	if (!guest_range_valid(s, gva, len))
		return GUEST_XLATE_BAD_RANGE;
	while (len > 0) {
		uint64_t gpa, left;
		int err = guest_translate(m, s, gva, &gpa, &left);
		if (err != GUEST_XLATE_OK)
			return err;
		uint64_t chunk = len < left ? len : left;
		if (op == COPY_READ && !m->read(m->ctx, gpa, buf, chunk))
			return GUEST_COPY_OUTSIDE_RAM;
		if (op == COPY_WRITE && !write(m->ctx, gpa, buf, chunk))
			return GUEST_COPY_OUTSIDE_RAM;
		gva += chunk;
		buf += chunk;
		len -= chunk;
	}
	return GUEST_XLATE_OK;
}

int guest_copy_from_virt(const struct guest_mem *m, const struct guest_cpu_state *s,
			 uint64_t gva, void *buf, uint64_t len)
{
	return copy_pages(m, NULL, s, gva, buf, len, COPY_READ);
}

int guest_copy_to_virt(const struct guest_mem_rw *m, const struct guest_cpu_state *s,
		       uint64_t gva, const void *buf, uint64_t len)
{
	/* COPY_CHECK and COPY_WRITE never store through buf. */
	uint8_t *src = (uint8_t *)(uintptr_t)buf;
	int err = copy_pages(&m->mem, m->write, s, gva, src, len, COPY_CHECK);
	if (err != GUEST_XLATE_OK)
		return err;
	return copy_pages(&m->mem, m->write, s, gva, src, len, COPY_WRITE);
}
