/* Reader of a Multiboot2 boot information structure (Multiboot2
 * specification 3.6): the hypervisor reads the one its loader built, the
 * probes the one the hypervisor built (contract section 2). Defensive: a
 * malformed structure yields an error text naming the problem, never a
 * read past the structure's stated size. Pure; needs only memcpy/memset. */
#ifndef HV_MB2_INFO_H
#define HV_MB2_INFO_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "mb2.h"

/* One tag as the walker hands it out. */
struct mb2_tag_view {
	uint32_t type;
	uint32_t size;
	const uint8_t *data; /* the bytes after the 8-byte tag header */
	uint32_t data_size;
};

struct mb2_info {
	const char *error; /* NULL when the structure parsed cleanly */
	uint32_t total_size;
	const char *cmdline;     /* NULL if the tag is absent */
	const char *loader_name; /* NULL if the tag is absent */
	bool have_meminfo;
	uint32_t mem_lower, mem_upper;
	const uint8_t *mmap; /* first entry, NULL if the tag is absent */
	uint32_t mmap_entry_size, mmap_entry_version, mmap_count;
	bool have_module; /* the first module tag */
	uint32_t module_start, module_end;
	const char *module_string;
	bool have_end_tag;
	uint32_t tag_count;
};

/* Parses the structure at addr into *info; returns false (and sets
 * info->error) on a malformed structure. */
bool mb2_parse(uintptr_t addr, struct mb2_info *info);

/* Calls visit(tag, arg) for each tag up to and including the end tag;
 * stops early on a malformed tag and returns the error text, or NULL. */
const char *mb2_for_each_tag(uintptr_t addr,
			     void (*visit)(const struct mb2_tag_view *, void *),
			     void *arg);

/* The i-th memory map entry (i < info->mmap_count). */
struct mb2_mmap_entry mb2_mmap_entry(const struct mb2_info *info, uint32_t i);

/* Type of the memory-map entry that contains addr, 0 if none does. */
uint32_t mb2_mmap_type_at(const struct mb2_info *info, uint64_t addr);

#endif
