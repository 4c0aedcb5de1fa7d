/* Multiboot2 constants and layouts (Multiboot2 specification 1.0, sections
 * 3.1 to 3.6): the one definition the firmware, the hypervisor, the probes
 * and the harness share. The constants are plain integers, so assembly can
 * include this file too. */
#ifndef HV_MB2_H
#define HV_MB2_H

#define MB2_HEADER_MAGIC        0xE85250D6 /* 3.1.1 */
#define MB2_BOOTLOADER_MAGIC    0x36d76289 /* EAX at entry, 3.2 */
#define MB2_ARCH_I386           0          /* 32-bit protected mode, 3.1.1 */
#define MB2_HEADER_TAG_END      0          /* 3.1.3 */
#define MB2_SEARCH_BYTES        32768      /* the header lies in the first 32 KiB, 3.1.1 */
#define MB2_HEADER_ALIGN        8          /* 3.1.1 */
#define MB2_TAG_ALIGN           8          /* tags start 8-byte aligned, 3.6 */

/* Boot information tag types (3.6). */
#define MB2_TAG_END             0
#define MB2_TAG_CMDLINE         1
#define MB2_TAG_LOADER_NAME     2
#define MB2_TAG_MODULE          3
#define MB2_TAG_BASIC_MEMINFO   4
#define MB2_TAG_MMAP            6

/* Memory map entry types (3.6.8). */
#define MB2_MEMORY_AVAILABLE    1
#define MB2_MEMORY_RESERVED     2

#define MB2_INFO_HEADER_SIZE    8  /* total_size + reserved, 3.6.1 */
#define MB2_TAG_HEADER_SIZE     8  /* type + size, 3.6.2 */
#define MB2_MMAP_HEADER_SIZE    16 /* tag header + entry_size + entry_version, 3.6.8 */
#define MB2_MMAP_ENTRY_MIN      24 /* base_addr, length, type, reserved */
#define MB2_INFO_SIZE_LIMIT     0x100000 /* our sanity bound on total_size */

#ifndef __ASSEMBLER__
#include <stdint.h>

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

#endif
