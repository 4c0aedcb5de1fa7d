#include "guest_boot.h"
#include "guest_mem.h"
#include "mb2_build.h"
#include "hv_string.h"

#define PAGE_SIZE        4096ull
#define LOW_MEMORY_KIB   640u         /* mem_lower: conventional memory (MB2 3.6.8) */
#define HIGH_MEMORY_BASE 0x100000ull  /* mem_upper counts from 1 MiB */
#define INFO_MAX         4096u
#define MAX_MMAP         8

const char *guest_boot_load(struct vm *vm, const void *image, uint64_t size,
			    const char *cmdline, struct guest_entry *out)
{
	const struct guest_layout layout = { vm->ram_bytes, vm->windows, vm->nwindows };
	int err = elf_guest_parse(image, size, &layout, &vm->elf);
	if (err)
		return elf_guest_strerror(err);
	vm->image = image;   /* segments are paged in lazily (pager.c) */

	struct mb2_mmap_entry map[MAX_MMAP];
	unsigned n = 0;
	map[n++] = (struct mb2_mmap_entry){ 0, vm->ram_bytes, MB2_MEMORY_AVAILABLE, 0 };
	for (unsigned i = 0; i < vm->nwindows && n < MAX_MMAP; i++)
		map[n++] = (struct mb2_mmap_entry){ vm->windows[i].base, vm->windows[i].size, MB2_MEMORY_RESERVED, 0 };

	static uint8_t info[INFO_MAX] __attribute__((aligned(8)));
	struct mb2_builder b;
	mb2_build_begin(&b, info, sizeof info);
	mb2_build_string(&b, MB2_TAG_LOADER_NAME, "hvspec-reference");
	mb2_build_string(&b, MB2_TAG_CMDLINE, cmdline);
	mb2_build_meminfo(&b, LOW_MEMORY_KIB, (uint32_t)((vm->ram_bytes - HIGH_MEMORY_BASE) / 1024));
	mb2_build_mmap(&b, map, n);
	uint32_t info_size = mb2_build_end(&b);
	uint64_t info_gpa = (vm->elf.end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	if (!info_size || !guest_phys_write(vm, info_gpa, info, info_size))
		return "no room for boot information";
	out->rip = vm->elf.entry;
	out->info_gpa = info_gpa;
	return 0;
}
