#include "linux_boot.h"
#include "boot_params.h"
#include "bzimage.h"
#include "guest_mem.h"
#include "hv_string.h"
#include "pc_acpi_tables.h"

#define PAGE_MASK 0xfffull
#define DEFAULT_LOAD_ADDRESS 0x100000ull  /* boot.rst: code32_start's default */

/* Flat 4 GiB descriptors, base 0, limit 0xfffff with G = 1, P = 1, DPL 0,
 * S = 1 (SDM vol. 3A 3.4.5 "Segment Descriptors", 3.4.5.1 types):
 * D = 1 32-bit code, type 0xb execute/read accessed; B = 1 data, type 0x3
 * read/write accessed. Accessed already set: the processor need not write
 * the descriptor when the kernel loads the selector. */
#define GDT_FLAT_CODE32 0x00cf9b000000ffffull
#define GDT_FLAT_DATA32 0x00cf93000000ffffull
#define GDT_ENTRY_BYTES 8u

/* The GDT boot.rst's 32-bit protocol asks for: entries 0 and 1 unused,
 * __BOOT_CS at 0x10, __BOOT_DS at 0x18. */
static const uint64_t boot_gdt[] = { 0, 0, GDT_FLAT_CODE32, GDT_FLAT_DATA32 };
_Static_assert(LINUX_BOOT_CS == 2 * GDT_ENTRY_BYTES && LINUX_BOOT_DS == 3 * GDT_ENTRY_BYTES,
	       "boot_gdt's entries match the boot selectors");

/* Where the protected-mode kernel goes (contract 16, linux.load): its
 * preferred address when its init_size bytes fit there, else the first
 * multiple of kernel_alignment (a power of two, bzimage.c) from 1 MiB up,
 * where a relocatable kernel runs as it is (boot.rst, "kernel_alignment").
 * The caller checks that init_size fits there. */
static uint64_t load_address(const struct bzimage_info *info, uint64_t ram_bytes)
{
	uint64_t a = info->pref_address;
	if (info->relocatable && a >= DEFAULT_LOAD_ADDRESS && a <= ram_bytes &&
	    info->init_size <= ram_bytes - a)
		return a;
	uint64_t align = info->kernel_alignment;
	return (DEFAULT_LOAD_ADDRESS + align - 1) & ~(align - 1);
}

const char *linux_boot_load(struct vm *vm, const void *image, uint64_t size,
			    const char *cmdline, const void *initrd, uint64_t initrd_size,
			    struct linux_entry *out)
{
	struct bzimage_info info;
	if (vm->ram_bytes <= DEFAULT_LOAD_ADDRESS)
		return "guest RAM too small for Linux";
	int err = bzimage_parse(image, size, vm->ram_bytes - DEFAULT_LOAD_ADDRESS, &info);
	if (err)
		return bzimage_strerror(err);
	uint64_t load = load_address(&info, vm->ram_bytes);
	if (load > vm->ram_bytes || info.init_size > vm->ram_bytes - load)
		return bzimage_strerror(BZIMAGE_TOO_LARGE);
	uint64_t kernel_end = load + info.init_size;

	uint64_t initrd_gpa = 0;
	if (initrd_size) {
		uint64_t top = vm->ram_bytes;
		if (top > (uint64_t)info.initrd_addr_max + 1)
			top = (uint64_t)info.initrd_addr_max + 1;
		if (initrd_size > top || ((top - initrd_size) & ~PAGE_MASK) < kernel_end)
			return "no room for the initrd above the kernel";
		initrd_gpa = (top - initrd_size) & ~PAGE_MASK;
	}

	const struct guest_layout layout = { vm->ram_bytes, vm->windows, vm->nwindows };
	struct e820_entry map[BOOT_PARAMS_E820_MAX];
	unsigned nmap = e820_from_layout(&layout, map, BOOT_PARAMS_E820_MAX);
	uint64_t cmdline_len = strlen(cmdline);
	if (cmdline_len >= LINUX_CMDLINE_ROOM)
		return "command line too long";

	static uint8_t zero_page[BOOT_PARAMS_BYTES] __attribute__((aligned(8)));
	const struct boot_params_request req = {
		.image = image, .info = &info,
		.cmdline_gpa = LINUX_CMDLINE_GPA, .cmdline_len = cmdline_len,
		.initrd_gpa = initrd_gpa, .initrd_size = initrd_size,
		.acpi_rsdp_gpa = pc_acpi_tables_place(vm),
		.e820 = map, .ne820 = nmap,
	};
	const char *why = boot_params_build(zero_page, &req);
	if (why)
		return why;

	const uint8_t *bytes = image;
	if (!guest_phys_write(vm, load, bytes + info.kernel_offset, info.kernel_bytes) ||
	    !guest_phys_write(vm, LINUX_CMDLINE_GPA, cmdline, cmdline_len + 1) ||
	    !guest_phys_write(vm, LINUX_ZERO_PAGE_GPA, zero_page, sizeof zero_page) ||
	    !guest_phys_write(vm, LINUX_GDT_GPA, boot_gdt, sizeof boot_gdt) ||
	    (initrd_size && !guest_phys_write(vm, initrd_gpa, initrd, initrd_size)))
		return "no room for the kernel in guest RAM";
	out->rip = load;
	out->rsi = LINUX_ZERO_PAGE_GPA;
	out->gdt_base = LINUX_GDT_GPA;
	out->gdt_limit = sizeof boot_gdt - 1;
	return NULL;
}
