/* Backing store of the guest's disk: the disk module itself, written in
 * place, plus one dirty bit per sector for the write-back. */
#include "disk.h"
#include "frames.h"
#include "hv_string.h"

static uint8_t *disk_bytes;      /* NULL: no disk */
static uint64_t disk_sectors;
static uint64_t *dirty_map;      /* one bit per sector */

const char *disk_init(const void *start, uint64_t bytes)
{
	if (!start)
		return 0;
	if (bytes == 0 || bytes % DISK_SECTOR_SIZE)
		return "bad disk image";
	uint64_t sectors = bytes / DISK_SECTOR_SIZE;
	uint64_t map_bytes = (sectors + 63) / 64 * sizeof(uint64_t);
	uint64_t map = frames_alloc_contig(map_bytes, FRAME_SIZE);
	if (!map)
		return "out of memory";
	memset((void *)map, 0, map_bytes);
	dirty_map = (uint64_t *)map;
	disk_bytes = (uint8_t *)start;
	disk_sectors = sectors;
	return 0;
}

bool disk_present(void) { return disk_bytes != 0; }

uint64_t disk_sector_count(void) { return disk_sectors; }

/* [lba, lba+count) lies inside the disk (count 0 included), no overflow. */
static bool in_disk(uint64_t lba, uint64_t count)
{
	return disk_bytes && lba <= disk_sectors && count <= disk_sectors - lba;
}

bool disk_read(uint64_t lba, uint64_t count, void *dst)
{
	if (!in_disk(lba, count))
		return false;
	memcpy(dst, disk_bytes + lba * DISK_SECTOR_SIZE, count * DISK_SECTOR_SIZE);
	return true;
}

bool disk_write(uint64_t lba, uint64_t count, const void *src)
{
	if (!in_disk(lba, count))
		return false;
	memcpy(disk_bytes + lba * DISK_SECTOR_SIZE, src, count * DISK_SECTOR_SIZE);
	for (uint64_t s = lba; s < lba + count; s++)
		dirty_map[s / 64] |= 1ull << (s % 64);
	return true;
}

uint64_t disk_next_dirty(uint64_t lba)
{
	while (lba < disk_sectors) {
		uint64_t word = dirty_map[lba / 64] >> (lba % 64);
		if (word)
			return lba + (uint64_t)__builtin_ctzll(word) < disk_sectors
				? lba + (uint64_t)__builtin_ctzll(word) : disk_sectors;
		lba = (lba / 64 + 1) * 64;
	}
	return disk_sectors;
}

const uint8_t *disk_sector(uint64_t lba)
{
	return disk_bytes + lba * DISK_SECTOR_SIZE;
}
