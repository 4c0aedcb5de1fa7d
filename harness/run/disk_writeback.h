/* The disk's write-back (contract 14, abi/disk.h): the stream a run's
 * hypervisor sent on COM2 at the end of the VM, checked and applied to a
 * copy of the image the run booted with. A truncated or corrupt stream is
 * refused as a whole, with the reason: a write is never silently lost. */
#ifndef HVSPEC_HARNESS_DISK_WRITEBACK_H
#define HVSPEC_HARNESS_DISK_WRITEBACK_H

#include "util/strbuf.h"

#include <stdbool.h>

/* Reads work_dir/ENGINE_COM2_FILE and writes work_dir/DISK_IMAGE_OUT_FILE:
 * work_dir/DISK_IMAGE_FILE with every sector of the stream replaced. When
 * COM2 stayed empty, the copy is unchanged if !required, else that is the
 * error. Returns the number of sectors written back, or -1 with the
 * reason in err (no copy is left then). */
long disk_writeback_apply(const char *work_dir, bool required, struct strbuf *err);

#endif
