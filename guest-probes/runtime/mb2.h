/* Reader for the Multiboot2 boot information the hypervisor hands the guest
 * (contract section 2; Multiboot2 specification 3.6). Parsing is defensive:
 * a malformed structure yields an error text naming the problem, never a
 * read past the structure's stated size. */
#ifndef GP_MB2_H
#define GP_MB2_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MB2_BOOTLOADER_MAGIC 0x36d76289u /* EAX at entry, spec 3.3 */

/* Tag types (spec 3.6). */
#define MB2_TAG_END 0u
#define MB2_TAG_CMDLINE 1u
#define MB2_TAG_LOADER_NAME 2u
#define MB2_TAG_BASIC_MEMINFO 4u
#define MB2_TAG_MMAP 6u

/* Memory map entry types (spec 3.6.8). */
#define MB2_MMAP_AVAILABLE 1u
#define MB2_MMAP_RESERVED 2u

#define MB2_TAG_ALIGN 8u          /* tags start 8-byte aligned, spec 3.6 */
#define MB2_INFO_HEADER_SIZE 8u   /* total_size + reserved, spec 3.6.1 */
#define MB2_TAG_HEADER_SIZE 8u    /* type + size, spec 3.6.2 */
#define MB2_MMAP_HEADER_SIZE 16u  /* tag header + entry_size + version */
#define MB2_MMAP_ENTRY_MIN 24u    /* base, length, type, reserved */
#define MB2_INFO_SIZE_LIMIT 0x100000u /* sanity bound for total_size */

struct mb2_mmap_entry {
	uint64_t base;
	uint64_t length;
	uint32_t type;
	uint32_t reserved;
};

struct mb2_tag {
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
	bool have_end_tag;
	uint32_t tag_count;
};

/* Parses the structure at addr into *info; returns false (and sets
 * info->error) on a malformed structure. */
bool mb2_parse(uintptr_t addr, struct mb2_info *info);

/* Calls visit(tag, arg) for each tag up to and including the end tag;
 * stops early on a malformed tag and returns the error text, or NULL. */
const char *mb2_for_each_tag(uintptr_t addr,
			     void (*visit)(const struct mb2_tag *, void *),
			     void *arg);

/* The i-th memory map entry (i < info->mmap_count). */
struct mb2_mmap_entry mb2_mmap_entry(const struct mb2_info *info, uint32_t i);

/* Type of the memory-map entry that contains gpa, 0 if none does. */
uint32_t mb2_mmap_type_at(const struct mb2_info *info, uint64_t gpa);

#endif
