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

static bool memchr_nul(const char *s, uint32_t room)
{
	for (uint32_t i = 0; i < room; i++)
		if (s[i] == 0)
			return true;
	return false;
}

/* The module string's first word is `disk` (words end at a space). */
static bool names_disk(const char *s)
{
	return s[0] == 'd' && s[1] == 'i' && s[2] == 's' && s[3] == 'k' &&
	       (s[4] == 0 || s[4] == ' ');
}

struct module_walk {
	struct boot_info *out;
	const char *error;
};

/* Sorts the module tags into the guest and the disk (mb2_parse checks
 * only the first module tag, so each is checked here). */
static void take_module(const struct mb2_tag_view *tag, void *arg)
{
	struct module_walk *walk = arg;
	struct boot_info *out = walk->out;
	if (tag->type != MB2_TAG_MODULE || walk->error)
		return;
	if (tag->data_size < 8) {
		walk->error = "module tag too short";
		return;
	}
	const char *string = (const char *)tag->data + 8;
	uint32_t room = tag->data_size - 8;
	if (!memchr_nul(string, room)) {
		walk->error = "module string is not NUL-terminated";
		return;
	}
	uint32_t start, end;
	memcpy(&start, tag->data, 4);
	memcpy(&end, tag->data + 4, 4);
	if (!out->has_disk && names_disk(string)) {
		out->has_disk = true;
		out->disk_start = start;
		out->disk_end = end;
	} else if (!out->has_module) {
		out->has_module = true;
		out->module_start = start;
		out->module_end = end;
		out->module_string = string;
	} else if (!out->has_initrd) {
		out->has_initrd = true;
		out->initrd_start = start;
		out->initrd_end = end;
	}
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
	struct module_walk walk = { out, 0 };
	mb2_for_each_tag((uintptr_t)info_addr, take_module, &walk);
	if (walk.error)
		return bad_info(walk.error);
	for (uint32_t i = 0; i < mi.mmap_count && out->nmmap < BOOT_INFO_MAX_MMAP; i++)
		out->mmap[out->nmmap++] = mb2_mmap_entry(&mi, i);
	return 0;
}
