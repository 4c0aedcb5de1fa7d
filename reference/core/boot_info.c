#include "boot_info.h"
#include "hv_string.h"

#define INFO_MAX_SIZE (1u << 20)   /* sanity bound on total_size */

const char *boot_info_parse(uint32_t magic, uint64_t info_addr, struct boot_info *out)
{
	memset(out, 0, sizeof *out);
	out->cmdline = "";
	if (magic != MB2_BOOTLOADER_MAGIC)
		return "not started by a Multiboot2 loader";
	if (!info_addr || info_addr & (MB2_TAG_ALIGN - 1))
		return "misaligned Multiboot2 information";
	const struct mb2_info_header *h = (const void *)info_addr;
	if (h->total_size < sizeof *h + sizeof(struct mb2_tag) || h->total_size > INFO_MAX_SIZE)
		return "bad Multiboot2 information size";
	out->info_start = info_addr;
	out->info_end = info_addr + h->total_size;
	const uint8_t *p = (const uint8_t *)(h + 1), *end = (const uint8_t *)out->info_end;
	while (p + sizeof(struct mb2_tag) <= end) {
		const struct mb2_tag *t = (const void *)p;
		if (t->type == MB2_TAG_END)
			return 0;
		if (t->size < sizeof *t || t->size > (uint64_t)(end - p))
			return "bad Multiboot2 tag size";
		switch (t->type) {
		case MB2_TAG_CMDLINE:
			out->cmdline = (const char *)(t + 1);
			break;
		case MB2_TAG_MODULE: {
			const struct mb2_tag_module *m = (const void *)t;
			if (!out->has_module && t->size >= sizeof *m) {   /* the first module is the guest */
				out->has_module = true;
				out->module_start = m->mod_start;
				out->module_end = m->mod_end;
				out->module_string = m->string;
			}
			break;
		}
		case MB2_TAG_MMAP: {
			const struct mb2_tag_mmap *m = (const void *)t;
			if (t->size < sizeof *m || m->entry_size < sizeof(struct mb2_mmap_entry))
				return "bad Multiboot2 memory map";
			for (const uint8_t *e = (const uint8_t *)(m + 1);
			     e + sizeof(struct mb2_mmap_entry) <= p + t->size && out->nmmap < BOOT_INFO_MAX_MMAP;
			     e += m->entry_size)
				memcpy(&out->mmap[out->nmmap++], e, sizeof(struct mb2_mmap_entry));
			break;
		}
		}
		p += (t->size + MB2_TAG_ALIGN - 1) & ~(MB2_TAG_ALIGN - 1);
	}
	return "Multiboot2 information has no end tag";
}
