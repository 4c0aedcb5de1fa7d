/* The guest's disk: the Multiboot2 module whose string's first word is
 * `disk` (contract section 2), used in place as the backing store of the
 * block hypercalls and the virtio block device (contract section 14). The
 * sectors the guest writes are remembered for the write-back at the end of
 * the VM. */
#ifndef HV_DISK_H
#define HV_DISK_H
#include <stdbool.h>
#include <stdint.h>

#define DISK_SECTOR_SIZE 512u

bool disk_present(void);
uint64_t disk_sector_count(void);
/* Host-memory copies of whole sectors; false (nothing copied) when [lba, lba+count) is
   not inside the disk or overflows. disk_write marks the sectors dirty for write-back. */
bool disk_read(uint64_t lba, uint64_t count, void *dst);
bool disk_write(uint64_t lba, uint64_t count, const void *src);

/* Takes the disk module [start, end) (host-physical, identity mapped);
 * NULL when there is none. Returns NULL, or the refusal reason ("bad disk
 * image") when its size is not a non-zero multiple of DISK_SECTOR_SIZE,
 * or "out of memory" when the dirty-sector map does not fit. Called once,
 * before the VM's frames are counted. */
const char *disk_init(const void *start, uint64_t bytes);

/* The next dirty sector at or after lba, or disk_sector_count() when none. */
uint64_t disk_next_dirty(uint64_t lba);
/* The sector's bytes in the backing store (lba < disk_sector_count()). */
const uint8_t *disk_sector(uint64_t lba);

#endif
