/* Edits the 64-bit runtime's 4-level page tables (4.5) so probes can build
 * the mappings they test: 4-KiB, 2-MiB and 1-GiB pages, non-present entries
 * and entries pointing anywhere. The runtime identity-maps the first 4 GiB
 * with 2-MiB pages (PML4 slot 0); probes should place test mappings in
 * other PML4 slots. New paging structures come from a small static pool. */
#ifndef GP_PAGING64_H
#define GP_PAGING64_H
#include <stdint.h>

/* Paging levels, named by the table whose entry they select (4.5). */
enum pt_level { PT_LEVEL_PTE = 1, PT_LEVEL_PDE, PT_LEVEL_PDPTE, PT_LEVEL_PML4E };

/* Start of the canonical address range above the identity map that probes
 * may use for test mappings: PML4 slot 1 (512 GiB). */
#define PROBE_MAP_BASE 0x8000000000ull

/* Returns the entry for va at the given level, creating the paging
 * structures above it (present, writable) as needed. A large page in the
 * way is a probe bug: it prints a runtime error and halts. */
volatile uint64_t *pt_entry(uint64_t va, enum pt_level level);

/* Maps va to pa with a present, writable page of the given size and
 * flushes the TLB entry for va. va and pa must be aligned to the size. */
void map_page_4k(uint64_t va, uint64_t pa);
void map_page_2m(uint64_t va, uint64_t pa);
void map_page_1g(uint64_t va, uint64_t pa);

/* Writes a raw value into the entry for va at level and flushes va. */
void set_pt_entry(uint64_t va, enum pt_level level, uint64_t value);

#endif
