#include "run/disk_image.h"

#include "abi/disk.h"
#include "util/fileutil.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Images stay small (spec/loader.lua DISK_BYTES_MAX; the ROM is 2 MiB);
 * a copied file may be larger, and the ROM packer then says it is. */
#define DISK_IMAGE_COPY_MAX (64u << 20)

int disk_image_build(const struct boot_disk *d, const char *work_dir, struct strbuf *err)
{
	char *dest = path_join(work_dir, DISK_IMAGE_FILE);
	char *data = NULL;
	size_t len = 0;
	int rc = -1;
	if (d->image) {
		bool truncated = false;
		data = read_file_head(d->image, DISK_IMAGE_COPY_MAX, &len, &truncated);
		if (!data) {
			strbuf_addf(err, "cannot read the disk image %s: %s", d->image, strerror(errno));
			goto out;
		}
		if (truncated) {
			strbuf_addf(err, "the disk image %s is larger than %u MiB", d->image,
				    DISK_IMAGE_COPY_MAX >> 20);
			goto out;
		}
	} else if (!d->fill) {
		strbuf_adds(err, "no disk image to attach (a disk.from case takes the image its "
			    "first case's run left)");
		goto out;
	} else {
		bool pattern = !strcmp(d->fill, "pattern");
		if (!pattern && strcmp(d->fill, "zero")) {
			strbuf_addf(err, "unknown disk fill '%s'", d->fill);
			goto out;
		}
		len = (size_t)d->bytes;
		data = calloc(1, len ? len : 1);
		if (!data) {
			strbuf_addf(err, "no memory for a disk image of %zu bytes", len);
			goto out;
		}
		for (size_t i = 0; pattern && i < len; i++)
			data[i] = (char)disk_pattern_byte(i / DISK_SECTOR_BYTES,
							  (unsigned)(i % DISK_SECTOR_BYTES));
	}
	if (write_file_atomic(dest, data, len) != 0) {
		strbuf_addf(err, "cannot write %s: %s", dest, strerror(errno));
		goto out;
	}
	free(dest);
	dest = path_join(work_dir, DISK_STRING_FILE);
	if (write_file_atomic(dest, d->string, strlen(d->string)) != 0) {
		strbuf_addf(err, "cannot write %s: %s", dest, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	free(data);
	free(dest);
	return rc;
}

bool disk_image_names_disk(const char *work_dir)
{
	char *path = path_join(work_dir, DISK_STRING_FILE);
	size_t len = 0;
	char *s = read_file(path, 4096, &len);
	free(path);
	bool disk = s && !strncmp(s, "disk", 4) && (s[4] == '\0' || s[4] == ' ');
	free(s);
	return disk;
}
