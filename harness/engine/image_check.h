/* Checks a hypervisor image once, before any boot, against what the suite's
 * firmware boots (contract section 1): an x86 ELF executable with a
 * Multiboot2 header whose segments load at or above 1 MiB. An image that
 * fails gets one ERROR naming the problem instead of a crash per case. */
#ifndef HVSPEC_HARNESS_IMAGE_CHECK_H
#define HVSPEC_HARNESS_IMAGE_CHECK_H

#include "util/strbuf.h"

/* Returns 0, or -1 with "<path> is not a bootable hypervisor image: <why>"
 * in err. */
int image_check(const char *path, struct strbuf *err);

#endif
