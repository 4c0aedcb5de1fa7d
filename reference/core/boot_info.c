#include "boot_info.h"
#include "hv_string.h"
#include "mb2_info.h"

/* "bad Multiboot2 information: <what the reader found>", for the refusal. */
static const char *bad_info(const char *what)
{
	static char text[128];
	static const char prefix[] = "bad Multiboot2 information: ";
	size_t n = sizeof prefix - 1, len = strlen(what);
	if (len > sizeof text - n - 1)
		len = sizeof text - n - 1;
	memcpy(text, prefix, n);
	memcpy(text + n, what, len);
	text[n + len] = 0;
	return text;
}

const char *boot_info_parse(uint32_t magic, uint64_t info_addr, struct boot_info *out)
{
	memset(out, 0, sizeof *out);
	out->cmdline = "";
	if (magic != MB2_BOOTLOADER_MAGIC)
		return "not started by a Multiboot2 loader";
	struct mb2_info mi;
	if (!mb2_parse((uintptr_t)info_addr, &mi))
		return bad_info(mi.error);
	out->info_start = info_addr;
	out->info_end = info_addr + mi.total_size;
	if (mi.cmdline)
		out->cmdline = mi.cmdline;
	if (mi.have_module) {   /* the first module is the guest */
		out->has_module = true;
		out->module_start = mi.module_start;
		out->module_end = mi.module_end;
		out->module_string = mi.module_string;
	}
	for (uint32_t i = 0; i < mi.mmap_count && out->nmmap < BOOT_INFO_MAX_MMAP; i++)
		out->mmap[out->nmmap++] = mb2_mmap_entry(&mi, i);
	return 0;
}
