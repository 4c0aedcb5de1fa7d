/* Stage-2 paging-structure editing, EPT (SDM vol. 3 section 29.3) and NPT
 * (AMD APM vol. 2 sections 5.3-5.4 and 15.25).
 *
 * Both formats are the same four-level radix tree; only the encoding of
 * an entry differs, and the entry_* / leaf_* / make_* helpers below are
 * the only code that knows it. Levels are numbered as the walk meets
 * them: 4 = PML4, 3 = PDPT, 2 = PD, 1 = PT. Two invariants keep the code
 * short:
 *  - a present non-leaf entry always references a table holding at least
 *    one present entry (unmap frees tables it empties), so "present" at
 *    any level means "something is mapped below";
 *  - every edit that needs frames allocates all of them first and makes
 *    the change visible with one final entry write, so running out of
 *    memory changes nothing. */
#include <stdbool.h>
#include <stddef.h>

#include "stage2.h"

/* Each structure is 4 KiB of 512 eight-byte entries, indexed by 9
 * guest-physical address bits per level, starting at bit 12 (SDM 29.3.2;
 * APM vol. 2 5.3.3). */
#define TABLE_ENTRIES 512u
#define INDEX_BITS 9u
#define PAGE_SHIFT 12u
#define FRAME_SIZE (1ull << PAGE_SHIFT)
#define TOP_LEVEL 4u
/* A 4-level walk translates guest-physical bits 47:0. */
#define GPA_BITS 48u
/* MAXPHYADDR is at most 52 (SDM vol. 3 4.1.4; APM vol. 2 5.1); no
 * x86-64 processor reports fewer than 36 bits. */
#define MIN_PHYS_BITS 36u
#define MAX_PHYS_BITS 52u

/* Both formats: bits 51:12 hold the address of the next table or page,
 * and bit 7 of a PDPTE/PDE marks a 1G/2M page (SDM Tables 29-1..29-6;
 * APM vol. 2 5.4.1, PS). */
#define ENTRY_ADDR_MASK 0x000ffffffffff000ull
#define ENTRY_MAPS_PAGE (1ull << 7)

/* EPT entry bits. An entry is present when any of bits 2:0 is set (29.3.2). */
#define EPTE_RIGHTS 0x7ull
#define EPTE_MEMTYPE_SHIFT 3u            /* leaf bits 5:3 */
#define EPTE_MEMTYPE_MASK (0x7ull << EPTE_MEMTYPE_SHIFT)
/* Leaf bit 6 (ignore PAT) stays clear. */

/* NPT entry bits: a long-mode page-table entry (APM vol. 2 5.4.1). The
 * nested walk counts as a user access (15.25.5), so every entry sets U/S;
 * A, D, G and the PAT bit stay clear. */
#define NPTE_P   (1ull << 0)
#define NPTE_RW  (1ull << 1)
#define NPTE_US  (1ull << 2)
#define NPTE_PWT (1ull << 3)
#define NPTE_PCD (1ull << 4)
#define NPTE_NX  (1ull << 63)
#define NPTE_RIGHTS (NPTE_P | NPTE_RW | NPTE_US | NPTE_NX)

/* EPTP fields (25.6.11): bits 2:0 memory type of the paging structures,
 * bits 5:3 page-walk length minus one. */
#define EPTP_MEMTYPE_WB 6ull
#define EPTP_WALK_LENGTH_SHIFT 3u
#define EPTP_WALK_LENGTH_4 (TOP_LEVEL - 1u)

/* The most frames one edit needs: PDPT, PD and PT for a map into an
 * empty PML4 slot (a split of a 1G page down to 4K needs two). */
#define MAX_NEW_TABLES (TOP_LEVEL - 1u)

typedef volatile uint64_t s2e_t;

struct frame_batch {
	uint64_t hpa[MAX_NEW_TABLES];
	unsigned count;
};

static unsigned level_shift(unsigned level)
{
	return PAGE_SHIFT + INDEX_BITS * (level - 1u);
}

static uint64_t level_size(unsigned level)
{
	return 1ull << level_shift(level);
}

static unsigned level_index(uint64_t gpa, unsigned level)
{
	return (unsigned)(gpa >> level_shift(level)) & (TABLE_ENTRIES - 1u);
}

/* --- the entry encodings ---------------------------------------------- */

static bool is_npt(const struct stage2 *e)
{
	return e->env.format == STAGE2_FORMAT_NPT;
}

static bool entry_present(const struct stage2 *e, uint64_t entry)
{
	return (entry & (is_npt(e) ? NPTE_P : EPTE_RIGHTS)) != 0;
}

static bool entry_is_leaf(uint64_t entry, unsigned level)
{
	return level == 1u || (entry & ENTRY_MAPS_PAGE) != 0;
}

static uint64_t entry_table(uint64_t entry)
{
	return entry & ENTRY_ADDR_MASK;
}

static uint64_t leaf_hpa(uint64_t entry, unsigned level)
{
	return entry & ENTRY_ADDR_MASK & ~(level_size(level) - 1u);
}

/* The bits of a leaf that carry rights, and their value for perms. */
static uint64_t rights_mask(const struct stage2 *e)
{
	return is_npt(e) ? NPTE_RIGHTS : EPTE_RIGHTS;
}

static uint64_t rights_bits(const struct stage2 *e, unsigned perms)
{
	if (!is_npt(e))
		return perms;
	return NPTE_P | NPTE_US | ((perms & STAGE2_WRITE) ? NPTE_RW : 0) |
	       ((perms & STAGE2_EXEC) ? 0 : NPTE_NX);
}

static unsigned leaf_perms(const struct stage2 *e, uint64_t entry)
{
	if (!is_npt(e))
		return (unsigned)(entry & EPTE_RIGHTS);
	return STAGE2_READ | ((entry & NPTE_RW) ? STAGE2_WRITE : 0u) |
	       ((entry & NPTE_NX) ? 0u : STAGE2_EXEC);
}

/* NPT: the PAT index (PAT, PCD, PWT) of the power-on PAT (APM vol. 2
 * 7.8.1): 0 WB, 1 WT, 3 UC. */
static uint64_t memtype_bits(const struct stage2 *e, unsigned memtype)
{
	if (!is_npt(e))
		return (uint64_t)memtype << EPTE_MEMTYPE_SHIFT;
	if (memtype == STAGE2_MT_WT)
		return NPTE_PWT;
	if (memtype == STAGE2_MT_UC)
		return NPTE_PWT | NPTE_PCD;
	return 0;
}

/* NPT: only the three indexes memtype_bits writes occur. */
static unsigned leaf_memtype(const struct stage2 *e, uint64_t entry)
{
	if (!is_npt(e))
		return (unsigned)((entry & EPTE_MEMTYPE_MASK) >> EPTE_MEMTYPE_SHIFT);
	if (!(entry & NPTE_PWT))
		return STAGE2_MT_WB;
	return (entry & NPTE_PCD) ? STAGE2_MT_UC : STAGE2_MT_WT;
}

static uint64_t make_leaf(const struct stage2 *e, uint64_t hpa, unsigned level, unsigned perms,
			  unsigned memtype)
{
	uint64_t entry = hpa | rights_bits(e, perms) | memtype_bits(e, memtype);

	if (level > 1u)
		entry |= ENTRY_MAPS_PAGE;
	return entry;
}

/* Non-leaf entries grant everything; the leaf alone decides the rights
 * (EPT: R, W, X; NPT: P, R/W, U/S with NX clear). */
static uint64_t make_table_entry(const struct stage2 *e, uint64_t table_hpa)
{
	return table_hpa | (is_npt(e) ? NPTE_P | NPTE_RW | NPTE_US : EPTE_RIGHTS);
}

/* --- frames and tables ------------------------------------------------ */

static s2e_t *table_at(const struct stage2 *e, uint64_t hpa)
{
	return (s2e_t *)e->env.phys_to_virt(e->env.ctx, hpa);
}

/* The compiler barrier orders the stores that filled a new table before
 * the store that makes it reachable; x86 keeps stores in order. */
static void publish(s2e_t *slot, uint64_t entry)
{
	__asm__ volatile("" ::: "memory");
	*slot = entry;
}

static uint64_t phys_limit(const struct stage2 *e)
{
	return 1ull << e->env.phys_addr_bits;
}

static uint64_t gpa_limit(const struct stage2 *e)
{
	uint64_t walk_limit = 1ull << GPA_BITS;
	uint64_t phys = phys_limit(e);

	return phys < walk_limit ? phys : walk_limit;
}

static void flush(const struct stage2 *e)
{
	if (e->env.flush)
		e->env.flush(e->env.ctx, stage2_root(e));
}

static void release_batch(struct stage2 *e, struct frame_batch *batch)
{
	while (batch->count > 0u)
		e->env.free_frame(e->env.ctx, batch->hpa[--batch->count]);
}

/* Takes n zeroed frames, all or none. A frame that is misaligned or beyond
 * MAXPHYADDR could not be referenced by an entry: the env is broken. */
static int take_frames(struct stage2 *e, struct frame_batch *batch, unsigned n)
{
	batch->count = 0;
	while (batch->count < n) {
		uint64_t hpa = e->env.alloc_frame(e->env.ctx);

		if (hpa == 0) {
			release_batch(e, batch);
			return STAGE2_ENOMEM;
		}
		batch->hpa[batch->count++] = hpa;
		if ((hpa & (FRAME_SIZE - 1u)) != 0 || hpa >= phys_limit(e)) {
			release_batch(e, batch);
			return STAGE2_EINVAL;
		}
	}
	return STAGE2_OK;
}

/* Frees a table and everything it references. */
static void free_subtree(struct stage2 *e, uint64_t table_hpa, unsigned level)
{
	s2e_t *table = table_at(e, table_hpa);

	for (unsigned i = 0; level > 1u && i < TABLE_ENTRIES; i++) {
		uint64_t entry = table[i];

		if (entry_present(e, entry) && !entry_is_leaf(entry, level))
			free_subtree(e, entry_table(entry), level - 1u);
	}
	e->env.free_frame(e->env.ctx, table_hpa);
	e->table_frames--;
}

static bool table_empty(const struct stage2 *e, uint64_t table_hpa)
{
	s2e_t *table = table_at(e, table_hpa);

	for (unsigned i = 0; i < TABLE_ENTRIES; i++)
		if (entry_present(e, table[i]))
			return false;
	return true;
}

/* --- argument checks -------------------------------------------------- */

static int check_ready(const struct stage2 *e)
{
	return (e != NULL && e->pml4_hpa != 0) ? STAGE2_OK : STAGE2_EINVAL;
}

/* EPT: 2M pages need caps bit 16; 1G pages need bit 17 and, because a
 * split 1G page becomes 2M pages, bit 16 as well. NPT: 2M pages always
 * exist in long mode (PDE.PS, APM vol. 2 5.3.4); 1G pages need Page1GB. */
static int size_to_level(const struct stage2 *e, uint64_t size, unsigned *level)
{
	uint64_t caps = e->env.caps;
	bool has_2m = is_npt(e) || (caps & EPT_CAP_2M);
	bool has_1g = is_npt(e) ? (caps & NPT_CAP_1G) != 0 : has_2m && (caps & EPT_CAP_1G);

	if (size == STAGE2_PAGE_4K)
		*level = 1;
	else if (size == STAGE2_PAGE_2M && has_2m)
		*level = 2;
	else if (size == STAGE2_PAGE_1G && has_1g)
		*level = 3;
	else
		return STAGE2_EINVAL;
	return STAGE2_OK;
}

/* EPT (29.3.3.1): write without read is always a misconfiguration;
 * execute without read is one unless caps bit 0 allows execute-only
 * pages. NPT: a present entry is always readable, so READ is required;
 * leaving EXEC out needs the NX bit (NPT_CAP_NX). */
static int check_perms(const struct stage2 *e, unsigned perms)
{
	const unsigned all = STAGE2_READ | STAGE2_WRITE | STAGE2_EXEC;

	if (perms == 0 || (perms & ~all) != 0)
		return STAGE2_EINVAL;
	if (is_npt(e)) {
		if (!(perms & STAGE2_READ))
			return STAGE2_EPERM;
		if (!(perms & STAGE2_EXEC) && !(e->env.caps & NPT_CAP_NX))
			return STAGE2_EPERM;
		return STAGE2_OK;
	}
	if ((perms & STAGE2_WRITE) && !(perms & STAGE2_READ))
		return STAGE2_EPERM;
	if ((perms & STAGE2_EXEC) && !(perms & STAGE2_READ) &&
	    !(e->env.caps & EPT_CAP_EXEC_ONLY))
		return STAGE2_EPERM;
	return STAGE2_OK;
}

/* EPT (29.3.7): UC, WC, WT, WP, WB; 2, 3 and 7 are reserved (29.3.3.1).
 * NPT: the types of the power-on PAT (memtype_bits). */
static bool memtype_valid(const struct stage2 *e, unsigned memtype)
{
	if (is_npt(e))
		return memtype == STAGE2_MT_UC || memtype == STAGE2_MT_WT || memtype == STAGE2_MT_WB;
	return memtype == STAGE2_MT_UC || memtype == STAGE2_MT_WC || memtype == STAGE2_MT_WT ||
	       memtype == STAGE2_MT_WP || memtype == STAGE2_MT_WB;
}

static bool range_fits(uint64_t addr, uint64_t size, uint64_t limit)
{
	return addr < limit && size <= limit - addr;
}

static int check_gpa_range(const struct stage2 *e, uint64_t gpa, uint64_t size, unsigned *level)
{
	int err = size_to_level(e, size, level);

	if (err)
		return err;
	if ((gpa & (size - 1u)) != 0)
		return STAGE2_EALIGN;
	if (!range_fits(gpa, size, gpa_limit(e)))
		return STAGE2_ERANGE;
	return STAGE2_OK;
}

/* Every edit and map: a ready table and a well-formed range. */
static int check_ready_range(const struct stage2 *e, uint64_t gpa, uint64_t size, unsigned *level)
{
	int err = check_ready(e);

	return err ? err : check_gpa_range(e, gpa, size, level);
}

/* --- public interface ------------------------------------------------- */

int stage2_init(struct stage2 *e, const struct stage2_env *env)
{
	struct frame_batch batch;
	int err;

	if (e == NULL)
		return STAGE2_EINVAL;
	e->pml4_hpa = 0;
	e->table_frames = 0;
	if (env == NULL)
		return STAGE2_EINVAL;
	if (env->format != STAGE2_FORMAT_EPT && env->format != STAGE2_FORMAT_NPT)
		return STAGE2_EINVAL;
	if (env->alloc_frame == NULL || env->free_frame == NULL || env->phys_to_virt == NULL)
		return STAGE2_EINVAL;
	if (env->format == STAGE2_FORMAT_EPT &&
	    (!(env->caps & EPT_CAP_WALK_4) || !(env->caps & EPT_CAP_WB)))
		return STAGE2_EINVAL;
	if (env->phys_addr_bits < MIN_PHYS_BITS || env->phys_addr_bits > MAX_PHYS_BITS)
		return STAGE2_EINVAL;
	e->env = *env;
	err = take_frames(e, &batch, 1);
	if (err)
		return err;
	e->pml4_hpa = batch.hpa[0];
	e->table_frames = 1;
	return STAGE2_OK;
}

uint64_t stage2_root(const struct stage2 *e)
{
	if (is_npt(e))
		return e->pml4_hpa;   /* PWT, PCD clear: write-back tables */
	return e->pml4_hpa | EPTP_MEMTYPE_WB |
	       ((uint64_t)EPTP_WALK_LENGTH_4 << EPTP_WALK_LENGTH_SHIFT);
}

/* Links tables for levels level-1 .. target below an empty slot and puts
 * the leaf in the last one; the slot write makes it all visible. */
static int map_below(struct stage2 *e, s2e_t *slot, unsigned level, unsigned target,
		     uint64_t gpa, uint64_t leaf)
{
	struct frame_batch batch;
	unsigned need = level - target;
	int err = take_frames(e, &batch, need);

	if (err)
		return err;
	for (unsigned i = 0; i < need; i++) {
		unsigned table_level = level - 1u - i;
		s2e_t *table = table_at(e, batch.hpa[i]);

		table[level_index(gpa, table_level)] =
			(i + 1u < need) ? make_table_entry(e, batch.hpa[i + 1u]) : leaf;
	}
	publish(slot, make_table_entry(e, batch.hpa[0]));
	e->table_frames += need;
	return STAGE2_OK;
}

int stage2_map(struct stage2 *e, uint64_t gpa, uint64_t hpa, uint64_t size,
	       unsigned perms, unsigned memtype)
{
	unsigned target;
	int err = check_ready_range(e, gpa, size, &target);

	if (err)
		return err;
	err = check_perms(e, perms);
	if (err)
		return err;
	if (!memtype_valid(e, memtype))
		return STAGE2_EINVAL;
	if ((hpa & (size - 1u)) != 0)
		return STAGE2_EALIGN;
	if (!range_fits(hpa, size, phys_limit(e)))
		return STAGE2_ERANGE;

	uint64_t leaf = make_leaf(e, hpa, target, perms, memtype);
	s2e_t *table = table_at(e, e->pml4_hpa);

	for (unsigned level = TOP_LEVEL;; level--) {
		s2e_t *slot = &table[level_index(gpa, level)];
		uint64_t entry = *slot;

		if (level == target) {
			if (entry_present(e, entry))
				return STAGE2_EEXIST;
			publish(slot, leaf);
			return STAGE2_OK;
		}
		if (!entry_present(e, entry))
			return map_below(e, slot, level, target, gpa, leaf);
		if (entry_is_leaf(entry, level))
			return STAGE2_EEXIST;
		table = table_at(e, entry_table(entry));
	}
}

/* What an unmap or protect does to one present leaf, and what it left to
 * do after the flush. */
struct edit {
	bool unmap;
	unsigned perms;             /* protect: the new rights */
	bool needs_flush;
	uint64_t detached_table;    /* unmap of a table entry: subtree to free */
	unsigned detached_level;
	uint64_t emptied[MAX_NEW_TABLES]; /* tables pruned on the way up */
	unsigned emptied_count;
};

static uint64_t edit_leaf(const struct stage2 *e, struct edit *ed, uint64_t entry)
{
	if (ed->unmap) {
		ed->needs_flush = true;
		return 0;
	}
	if (leaf_perms(e, entry) & ~ed->perms)
		ed->needs_flush = true;
	return (entry & ~rights_mask(e)) | rights_bits(e, ed->perms);
}

static void protect_subtree(struct stage2 *e, struct edit *ed, uint64_t table_hpa, unsigned level)
{
	s2e_t *table = table_at(e, table_hpa);

	for (unsigned i = 0; i < TABLE_ENTRIES; i++) {
		uint64_t entry = table[i];

		if (!entry_present(e, entry))
			continue;
		if (entry_is_leaf(entry, level))
			table[i] = edit_leaf(e, ed, entry);
		else
			protect_subtree(e, ed, entry_table(entry), level - 1u);
	}
}

/* Replaces the page mapped by *slot (at level) with tables down to target
 * that keep every other part's translation, rights and memory type, with
 * the edit applied to the target-level entry for gpa. */
static int split_and_edit(struct stage2 *e, struct edit *ed, s2e_t *slot, unsigned level,
			  unsigned target, uint64_t gpa)
{
	struct frame_batch batch;
	unsigned need = level - target;
	uint64_t page = *slot;
	int err = take_frames(e, &batch, need);

	if (err)
		return err;
	for (unsigned i = 0; i < need; i++) {
		unsigned child_level = level - 1u - i;
		uint64_t child_size = level_size(child_level);
		uint64_t base = leaf_hpa(page, child_level + 1u);
		unsigned perms = leaf_perms(e, page);
		unsigned memtype = leaf_memtype(e, page);
		s2e_t *table = table_at(e, batch.hpa[i]);
		unsigned hit = level_index(gpa, child_level);

		for (unsigned j = 0; j < TABLE_ENTRIES; j++)
			table[j] = make_leaf(e, base + j * child_size, child_level, perms, memtype);
		page = table[hit];
		if (child_level == target)
			table[hit] = edit_leaf(e, ed, page);
		else
			table[hit] = make_table_entry(e, batch.hpa[i + 1u]);
	}
	publish(slot, make_table_entry(e, batch.hpa[0]));
	e->table_frames += need;
	return STAGE2_OK;
}

static int edit_range(struct stage2 *e, uint64_t gpa, uint64_t size, struct edit *ed)
{
	s2e_t *slots[TOP_LEVEL + 1u];
	uint64_t tables[TOP_LEVEL + 1u];
	unsigned target, level;
	int err = check_ready_range(e, gpa, size, &target);

	if (err)
		return err;

	tables[TOP_LEVEL] = e->pml4_hpa;
	for (level = TOP_LEVEL;; level--) {
		slots[level] = &table_at(e, tables[level])[level_index(gpa, level)];
		uint64_t entry = *slots[level];

		if (!entry_present(e, entry))
			return STAGE2_ENOENT;
		if (level == target)
			break;
		if (entry_is_leaf(entry, level)) {
			/* Rights already as asked: nothing to split. */
			if (!ed->unmap && leaf_perms(e, entry) == ed->perms)
				return STAGE2_OK;
			err = split_and_edit(e, ed, slots[level], level, target, gpa);
			if (err)
				return err;
			flush(e); /* the entry's address changed (29.4.3.3) */
			return STAGE2_OK;
		}
		tables[level - 1u] = entry_table(entry);
	}

	uint64_t entry = *slots[target];

	if (entry_is_leaf(entry, target)) {
		publish(slots[target], edit_leaf(e, ed, entry));
	} else if (!ed->unmap) {
		protect_subtree(e, ed, entry_table(entry), target - 1u);
	} else {
		publish(slots[target], 0);
		ed->needs_flush = true;
		ed->detached_table = entry_table(entry);
		ed->detached_level = target - 1u;
	}
	if (ed->unmap) {
		for (level = target; level < TOP_LEVEL && table_empty(e, tables[level]); level++) {
			publish(slots[level + 1u], 0);
			ed->emptied[ed->emptied_count++] = tables[level];
		}
	}
	if (ed->needs_flush)
		flush(e);
	/* Frames go back only after the flush: until then the processor may
	 * still hold them in its paging-structure caches (29.4.3.3). */
	if (ed->detached_table)
		free_subtree(e, ed->detached_table, ed->detached_level);
	for (unsigned i = 0; i < ed->emptied_count; i++) {
		e->env.free_frame(e->env.ctx, ed->emptied[i]);
		e->table_frames--;
	}
	return STAGE2_OK;
}

int stage2_unmap(struct stage2 *e, uint64_t gpa, uint64_t size)
{
	struct edit ed = { .unmap = true };

	return edit_range(e, gpa, size, &ed);
}

int stage2_protect(struct stage2 *e, uint64_t gpa, uint64_t size, unsigned perms)
{
	struct edit ed = { .unmap = false, .perms = perms };
	int err = check_ready(e);

	if (err)
		return err;
	err = check_perms(e, perms);
	if (err)
		return err;
	return edit_range(e, gpa, size, &ed);
}

int stage2_walk(const struct stage2 *e, uint64_t gpa, struct stage2_mapping *out)
{
	int err = check_ready(e);

	if (err)
		return err;
	if (out == NULL)
		return STAGE2_EINVAL;
	if (gpa >= gpa_limit(e))
		return STAGE2_ERANGE;

	s2e_t *table = table_at(e, e->pml4_hpa);

	for (unsigned level = TOP_LEVEL;; level--) {
		uint64_t entry = table[level_index(gpa, level)];

		if (!entry_present(e, entry))
			return STAGE2_ENOENT;
		if (entry_is_leaf(entry, level)) {
			uint64_t size = level_size(level);

			out->hpa = leaf_hpa(entry, level) | (gpa & (size - 1u));
			out->page_size = size;
			out->perms = leaf_perms(e, entry);
			out->memtype = leaf_memtype(e, entry);
			return STAGE2_OK;
		}
		table = table_at(e, entry_table(entry));
	}
}

void stage2_destroy(struct stage2 *e)
{
	if (check_ready(e) != STAGE2_OK)
		return;
	flush(e);
	free_subtree(e, e->pml4_hpa, TOP_LEVEL);
	e->pml4_hpa = 0;
}

const char *stage2_strerror(int err)
{
	switch (err) {
	case STAGE2_OK: return "success";
	case STAGE2_EEXIST: return "range already mapped";
	case STAGE2_EALIGN: return "address not aligned to the page size";
	case STAGE2_ENOENT: return "nothing mapped in range";
	case STAGE2_ERANGE: return "address beyond the guest-physical or physical address width";
	case STAGE2_EPERM: return "access rights the format cannot express (EPT: write without read, or execute without read where execute-only is not offered; NPT: anything without read, or no-execute without NX)";
	case STAGE2_ENOMEM: return "out of memory for paging structures";
	case STAGE2_EINVAL: return "invalid page size, memory type or argument";
	default: return "unknown stage-2 error";
	}
}
