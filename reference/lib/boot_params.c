/* The Linux zero page. Offsets are those of struct boot_params
 * (zero-page.rst's table; arch/x86/include/uapi/asm/bootparam.h) and of the
 * setup header inside it (boot.rst "The Real-Mode Kernel Header"). */
#include <stdbool.h>
#include <stddef.h>
#include "boot_params.h"
#include "hv_string.h"

#define ZP_ACPI_RSDP_ADDR 0x070      /* u64, protocol 2.14 */
#define ZP_EXT_RAMDISK_IMAGE 0x0c0   /* high 32 bits of ramdisk_image */
#define ZP_EXT_RAMDISK_SIZE 0x0c4
#define ZP_EXT_CMD_LINE_PTR 0x0c8
#define ZP_E820_ENTRIES 0x1e8        /* 1 byte */
#define ZP_SETUP_HEADER 0x1f1        /* the header copied from the image */
#define ZP_TYPE_OF_LOADER 0x210
#define ZP_LOADFLAGS 0x211
#define ZP_RAMDISK_IMAGE 0x218
#define ZP_RAMDISK_SIZE 0x21c
#define ZP_CMD_LINE_PTR 0x228
#define ZP_E820_TABLE 0x2d0
#define E820_ENTRY_BYTES 20          /* packed: u64 addr, u64 size, u32 type */

#define LOADER_UNDEFINED 0xff        /* boot.rst type_of_loader: "0xFF undefined" */
#define LOW_MASK 0xffffffffull

static void put(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Windows within [lo, hi) sorted by base, at most max of them. */
static unsigned windows_inside(const struct guest_layout *l, uint64_t lo, uint64_t hi,
			       struct gpa_range *out, unsigned max)
{
	unsigned n = 0;
	for (unsigned i = 0; i < l->nwindows && n < max; i++) {
		struct gpa_range w = l->windows[i];
		if (w.base < lo || w.base >= hi)
			continue;
		unsigned j = n++;
		for (; j > 0 && out[j - 1].base > w.base; j--)
			out[j] = out[j - 1];
		out[j] = w;
	}
	return n;
}

static bool add(struct e820_entry *out, unsigned max, unsigned *n,
		uint64_t addr, uint64_t size, uint32_t type)
{
	if (!size)
		return true;
	if (*n >= max)
		return false;
	out[(*n)++] = (struct e820_entry){ addr, size, type };
	return true;
}

unsigned e820_from_layout(const struct guest_layout *layout,
			  struct e820_entry *out, unsigned max)
{
	if (layout->ram_bytes < E820_HIGH_RAM_BASE)
		return 0;
	struct gpa_range in_ram[BOOT_PARAMS_E820_MAX];
	unsigned nw = windows_inside(layout, E820_HIGH_RAM_BASE, layout->ram_bytes,
				     in_ram, BOOT_PARAMS_E820_MAX);
	unsigned n = 0;
	bool ok = add(out, max, &n, 0, E820_LOW_RAM_END, E820_TYPE_RAM) &&
		  add(out, max, &n, E820_LOW_RAM_END, E820_HIGH_RAM_BASE - E820_LOW_RAM_END,
		      E820_TYPE_RESERVED);
	uint64_t at = E820_HIGH_RAM_BASE;
	for (unsigned i = 0; ok && i < nw; i++) {
		if (in_ram[i].base > at)
			ok = add(out, max, &n, at, in_ram[i].base - at, E820_TYPE_RAM);
		uint64_t end = in_ram[i].base + in_ram[i].size;
		if (end > at)
			at = end;
	}
	if (ok && at < layout->ram_bytes)
		ok = add(out, max, &n, at, layout->ram_bytes - at, E820_TYPE_RAM);
	for (unsigned i = 0; ok && i < layout->nwindows; i++)
		ok = add(out, max, &n, layout->windows[i].base, layout->windows[i].size,
			 E820_TYPE_RESERVED);
	return ok ? n : 0;
}

const char *boot_params_build(uint8_t *page, const struct boot_params_request *r)
{
	const struct bzimage_info *info = r->info;
	if (r->cmdline_len > info->cmdline_size)
		return "command line longer than the kernel's cmdline_size";
	if (r->cmdline_gpa > LOW_MASK || r->cmdline_gpa + r->cmdline_len + 1 > LOW_MASK + 1)
		return "command line above 4 GiB";
	if (r->initrd_size &&
	    (r->initrd_gpa + r->initrd_size < r->initrd_gpa ||
	     r->initrd_gpa + r->initrd_size - 1 > info->initrd_addr_max))
		return "initrd above the kernel's initrd_addr_max";
	if (!r->ne820 || r->ne820 > BOOT_PARAMS_E820_MAX)
		return "e820 map empty or too long";

	memset(page, 0, BOOT_PARAMS_BYTES);
	memcpy(page + ZP_SETUP_HEADER, r->image + ZP_SETUP_HEADER,
	       info->header_end - ZP_SETUP_HEADER);
	page[ZP_TYPE_OF_LOADER] = LOADER_UNDEFINED;
	/* The heap and the segment registers stay as boot.rst's 32-bit
	 * protocol assumes: no real-mode code runs, so clear the loader-set
	 * bits the image may carry. */
	page[ZP_LOADFLAGS] &= (uint8_t)~(BZIMAGE_CAN_USE_HEAP | BZIMAGE_KEEP_SEGMENTS);
	put(page + ZP_CMD_LINE_PTR, r->cmdline_gpa & LOW_MASK, 4);
	put(page + ZP_EXT_CMD_LINE_PTR, r->cmdline_gpa >> 32, 4);
	put(page + ZP_RAMDISK_IMAGE, r->initrd_gpa & LOW_MASK, 4);
	put(page + ZP_RAMDISK_SIZE, r->initrd_size & LOW_MASK, 4);
	put(page + ZP_EXT_RAMDISK_IMAGE, r->initrd_gpa >> 32, 4);
	put(page + ZP_EXT_RAMDISK_SIZE, r->initrd_size >> 32, 4);
	put(page + ZP_ACPI_RSDP_ADDR, r->acpi_rsdp_gpa, 8);
	page[ZP_E820_ENTRIES] = (uint8_t)r->ne820;
	for (unsigned i = 0; i < r->ne820; i++) {
		uint8_t *e = page + ZP_E820_TABLE + i * E820_ENTRY_BYTES;
		put(e, r->e820[i].addr, 8);
		put(e + 8, r->e820[i].size, 8);
		put(e + 16, r->e820[i].type, 4);
	}
	return NULL;
}
