/* The disk image a run attaches (spec/loader.lua field 'disk', contract
 * 14): built from a fill or copied from a file into the run's folder,
 * where the write-back (disk_writeback.h) later finds it. */
#ifndef HVSPEC_HARNESS_DISK_IMAGE_H
#define HVSPEC_HARNESS_DISK_IMAGE_H

#include "util/strbuf.h"

#include <stdbool.h>

/* The image as the run's folder holds it: what the machine booted with. */
#define DISK_IMAGE_FILE "disk.img"
/* The image with the run's write-back applied: what the run leaves. */
#define DISK_IMAGE_OUT_FILE "disk.out.img"

struct boot_disk {
	bool present;
	const char *image;  /* an image file to copy; NULL: build `bytes` of `fill` */
	const char *fill;   /* "zero" or "pattern" (abi/disk.h) */
	long long bytes;
	const char *string; /* the boot module's string ("disk") */
	bool first;         /* the disk module before the guest's */
};

/* The module's string, beside the image: whether the hypervisor sees a
 * disk at all (contract 2). */
#define DISK_STRING_FILE "disk.string"

/* Writes work_dir/DISK_IMAGE_FILE and DISK_STRING_FILE. Returns 0, or -1
 * with the reason in err. */
int disk_image_build(const struct boot_disk *d, const char *work_dir, struct strbuf *err);
/* True when the run in work_dir attached a module the contract calls a
 * disk: its string's first word is `disk`. */
bool disk_image_names_disk(const char *work_dir);

#endif
