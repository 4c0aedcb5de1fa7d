#include "engine/image_check.h"

#include "elf_guest.h"
#include "util/fileutil.h"
#include "mb2.h"
#include "mb2_header.h"
#include "rom_format.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The firmware places the kernel in machine RAM below the largest machine
 * a case may ask for (spec/loader.lua MACHINE_MIB_MAX). */
#define IMAGE_RAM_LIMIT (3072ull << 20)

int image_check(const char *path, struct strbuf *err)
{
	if (is_directory(path)) {
		strbuf_addf(err, "%s is a folder, not a hypervisor image", path);
		return -1;
	}
	size_t len = 0;
	bool truncated = false;
	/* A ROM holds at most HVROM_MAX_SIZE: more is refused anyway. */
	char *image = read_file_head(path, HVROM_MAX_SIZE + 1, &len, &truncated);
	if (!image) {
		strbuf_addf(err, "cannot read the hypervisor image %s: %s", path, strerror(errno));
		return -1;
	}
	const char *why = NULL;
	char *owned = NULL;
	struct elf_guest_image img;
	const struct guest_layout layout = { .ram_bytes = IMAGE_RAM_LIMIT };
	if (truncated) {
		why = "it is larger than the 2 MiB a boot ROM can hold";
	} else if (len < 4 || memcmp(image, "\177ELF", 4) != 0) {
		why = "it is not an ELF file (a Multiboot2 kernel is an ELF executable)";
	} else if (mb2_header_find(image, len) < 0) {
		owned = xasprintf("it has no Multiboot2 header (magic %#x, architecture %d, "
				  "valid checksum) in its first %d KiB", MB2_HEADER_MAGIC,
				  MB2_ARCH_I386, MB2_SEARCH_BYTES / 1024);
		why = owned;
	} else {
		int e = elf_guest_parse(image, len, &layout, &img);
		if (e != ELF_GUEST_OK) {
			owned = xasprintf("its ELF headers are refused: %s", elf_guest_strerror(e));
			why = owned;
		} else {
			for (unsigned i = 0; i < img.nseg && !why; i++)
				if (img.seg[i].paddr < KERNEL_MIN_ADDR) {
					owned = xasprintf("a segment loads at 0x%llx, below 1 MiB",
							  (unsigned long long)img.seg[i].paddr);
					why = owned;
				}
		}
	}
	free(image);
	if (!why)
		return 0;
	strbuf_addf(err, "%s is not a bootable hypervisor image: %s", path, why);
	free(owned);
	return -1;
}
