/* Multiboot2 constants (Multiboot2 specification 1.0, sections 3.1 and 3.6),
 * shared by the ROM loader and the hypervisor's guest-boot code. */
#ifndef HV_MB2_H
#define HV_MB2_H
#include <stdint.h>

#define MB2_HEADER_MAGIC        0xE85250D6u
#define MB2_BOOTLOADER_MAGIC    0x36d76289u
#define MB2_ARCH_I386           0u
#define MB2_SEARCH_BYTES        32768u   /* the header lies in the first 32 KiB */
#define MB2_HEADER_ALIGN        8u
#define MB2_TAG_ALIGN           8u

enum mb2_tag_type {
	MB2_TAG_END = 0,
	MB2_TAG_CMDLINE = 1,
	MB2_TAG_LOADER_NAME = 2,
	MB2_TAG_MODULE = 3,
	MB2_TAG_BASIC_MEMINFO = 4,
	MB2_TAG_MMAP = 6,
};

enum mb2_memory_type {
	MB2_MEMORY_AVAILABLE = 1,
	MB2_MEMORY_RESERVED = 2,
};

struct mb2_header {
	uint32_t magic, architecture, header_length, checksum;
};

struct mb2_info_header { uint32_t total_size, reserved; };
struct mb2_tag { uint32_t type, size; };
struct mb2_tag_module { uint32_t type, size, mod_start, mod_end; char string[]; };
struct mb2_tag_basic_meminfo { uint32_t type, size, mem_lower, mem_upper; };
struct mb2_tag_mmap { uint32_t type, size, entry_size, entry_version; };
struct mb2_mmap_entry { uint64_t base_addr, length; uint32_t type, reserved; };

#endif
