#include "guest_boot.h"
#include "bzimage.h"
#include "guest_mem.h"
#include "linux_boot.h"
#include "mb2_build.h"
#include "hv_string.h"
#include "acpi_tables.h"
#include "pc_acpi_tables.h"
#include "ranges.h"

#define PAGE_SIZE        4096ull
#define LOW_MEMORY_KIB   640u         /* mem_lower: conventional memory (MB2 3.6.8) */
#define HIGH_MEMORY_BASE 0x100000ull  /* mem_upper counts from 1 MiB */
#define INFO_MAX         4096u
#define MAX_MMAP         8

/* boot.rst "The Real-Mode Kernel Header": boot_flag 0xaa55 at 0x1fe and
 * "HdrS" at 0x202 mark a Linux kernel; an ELF starts with its magic, so
 * the two cannot be confused. */
#define BZ_BOOT_FLAG_OFFSET 0x1fe
#define BZ_HEADER_OFFSET    0x202

static bool is_bzimage(const uint8_t *p, uint64_t size)
{
	return size >= BZ_HEADER_OFFSET + 4 && p[BZ_BOOT_FLAG_OFFSET] == 0x55 &&
	       p[BZ_BOOT_FLAG_OFFSET + 1] == 0xaa && p[BZ_HEADER_OFFSET] == 'H' &&
	       p[BZ_HEADER_OFFSET + 1] == 'd' && p[BZ_HEADER_OFFSET + 2] == 'r' &&
	       p[BZ_HEADER_OFFSET + 3] == 'S';
}

/* Contract 15, "ACPI tables": with platform=pc an ELF guest finds the ACPI
 * tables in the BIOS area too, unless its own segments or the boot
 * information lie there (what it sees then is left open: its bytes win). */
static void elf_guest_acpi_tables(struct vm *vm, uint64_t info_gpa, uint64_t info_size)
{
	if (!vm->platform_pc || ranges_overlap(ACPI_TABLES_GPA, ACPI_TABLES_MAX, info_gpa, info_size))
		return;
	for (unsigned i = 0; i < vm->elf.nseg; i++)
		if (ranges_overlap(ACPI_TABLES_GPA, ACPI_TABLES_MAX, vm->elf.seg[i].paddr, vm->elf.seg[i].memsz))
			return;
	pc_acpi_tables_place(vm);
}

static const char *multiboot2_load(struct vm *vm, const struct guest_modules *m,
				   struct guest_entry *out)
{
	const struct guest_layout layout = { vm->ram_bytes, vm->windows, vm->nwindows };
	int err = elf_guest_parse(m->image, m->size, &layout, &vm->elf);
	if (err)
		return elf_guest_strerror(err);
	vm->image = m->image;   /* segments are paged in lazily (pager.c) */

	struct mb2_mmap_entry map[MAX_MMAP];
	unsigned n = 0;
	map[n++] = (struct mb2_mmap_entry){ 0, vm->ram_bytes, MB2_MEMORY_AVAILABLE, 0 };
	for (unsigned i = 0; i < vm->nwindows && n < MAX_MMAP; i++)
		map[n++] = (struct mb2_mmap_entry){ vm->windows[i].base, vm->windows[i].size, MB2_MEMORY_RESERVED, 0 };

	static uint8_t info[INFO_MAX] __attribute__((aligned(8)));
	struct mb2_builder b;
	mb2_build_begin(&b, info, sizeof info);
	mb2_build_string(&b, MB2_TAG_LOADER_NAME, "hvspec-reference");
	mb2_build_string(&b, MB2_TAG_CMDLINE, m->cmdline);
	mb2_build_meminfo(&b, LOW_MEMORY_KIB, (uint32_t)((vm->ram_bytes - HIGH_MEMORY_BASE) / 1024));
	mb2_build_mmap(&b, map, n);
	uint32_t info_size = mb2_build_end(&b);
	uint64_t info_gpa = (vm->elf.end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	if (!info_size || !guest_phys_write(vm, info_gpa, info, info_size))
		return "no room for boot information";
	elf_guest_acpi_tables(vm, info_gpa, info_size);
	out->start = (struct guest_start){ .rip = vm->elf.entry,
					   .code_selector = MB2_GUEST_CODE_SELECTOR,
					   .data_selector = MB2_GUEST_DATA_SELECTOR };
	out->rax = MB2_BOOTLOADER_MAGIC;
	out->rbx = info_gpa;
	return 0;
}

/* Contract 16: Linux drives the PC devices of section 15, so a bzImage
 * guest without them is refused rather than given them unasked. */
static const char *linux_load(struct vm *vm, const struct guest_modules *m,
			      struct guest_entry *out)
{
	if (!vm->platform_pc)
		return "a bzImage guest needs platform=pc";
	struct linux_entry e;
	const char *why = linux_boot_load(vm, m->image, m->size, m->cmdline, m->initrd,
					  m->initrd_size, &e);
	if (why)
		return why;
	out->start = (struct guest_start){ .rip = e.rip, .code_selector = LINUX_BOOT_CS,
					   .data_selector = LINUX_BOOT_DS,
					   .gdt_base = e.gdt_base, .gdt_limit = e.gdt_limit };
	out->rsi = e.rsi;
	return 0;
}

const char *guest_boot_load(struct vm *vm, const struct guest_modules *m, struct guest_entry *out)
{
	memset(out, 0, sizeof *out);
	const char *why = is_bzimage(m->image, m->size) ? linux_load(vm, m, out)
						      : multiboot2_load(vm, m, out);
	out->rip = out->start.rip;
	return why;
}
