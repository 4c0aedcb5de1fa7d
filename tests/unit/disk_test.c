/* Host atf-c unit test of the disk's backing store (reference/core/disk.c):
 * the module's size check, whole-sector copies that refuse any range not
 * inside the disk (overflow included), and the dirty sectors the
 * write-back walks. */
#include <atf-c.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "disk.h"

/* The one frames.h call disk.c makes: the dirty map's memory. */
uint64_t frames_alloc_contig(uint64_t bytes, uint64_t align)
{
	return (uint64_t)(uintptr_t)aligned_alloc(align, (bytes + align - 1) / align * align);
}

#define SECTORS 130  /* the dirty map spans three 64-bit words */
static uint8_t image[SECTORS * DISK_SECTOR_SIZE];

ATF_TC_WITHOUT_HEAD(bad_sizes_refused);
ATF_TC_BODY(bad_sizes_refused, tc)
{
	ATF_CHECK_STREQ("bad disk image", disk_init(image, 0));
	ATF_CHECK_STREQ("bad disk image", disk_init(image, 1000));
	ATF_CHECK(!disk_present());
	ATF_CHECK(disk_init(NULL, 0) == NULL);   /* no module: no disk, no refusal */
	ATF_CHECK(!disk_present());
	uint8_t b[DISK_SECTOR_SIZE];
	ATF_CHECK(!disk_read(0, 1, b));
	ATF_CHECK(!disk_write(0, 1, b));
}

ATF_TC_WITHOUT_HEAD(copies_and_dirty_sectors);
ATF_TC_BODY(copies_and_dirty_sectors, tc)
{
	for (size_t i = 0; i < sizeof image; i++)
		image[i] = (uint8_t)(i / DISK_SECTOR_SIZE);
	ATF_REQUIRE(disk_init(image, sizeof image) == NULL);
	ATF_CHECK(disk_present());
	ATF_CHECK_EQ(SECTORS, disk_sector_count());
	ATF_CHECK_EQ(SECTORS, disk_next_dirty(0));   /* nothing written yet */

	uint8_t b[2 * DISK_SECTOR_SIZE];
	ATF_REQUIRE(disk_read(SECTORS - 2, 2, b));
	ATF_CHECK_EQ(SECTORS - 2, b[0]);
	ATF_CHECK_EQ(SECTORS - 1, b[DISK_SECTOR_SIZE]);
	ATF_CHECK_EQ(SECTORS, disk_next_dirty(0));   /* reads dirty nothing */

	/* Not inside the disk: nothing copied. */
	memset(b, 0xee, sizeof b);
	ATF_CHECK(!disk_read(SECTORS, 1, b));
	ATF_CHECK(!disk_read(SECTORS - 1, 2, b));
	ATF_CHECK(!disk_read(UINT64_MAX, 2, b));     /* lba + count wraps to 1 */
	ATF_CHECK(!disk_write(2, UINT64_MAX, b));
	ATF_CHECK_EQ(0xee, b[0]);
	ATF_CHECK_EQ(SECTORS, disk_next_dirty(0));

	memset(b, 0x5a, sizeof b);
	ATF_REQUIRE(disk_write(63, 2, b));           /* across a map word */
	ATF_REQUIRE(disk_write(SECTORS - 1, 1, b));
	ATF_CHECK_EQ(0x5a, image[63 * DISK_SECTOR_SIZE]);
	ATF_CHECK_EQ(0x5a, image[65 * DISK_SECTOR_SIZE - 1]);
	ATF_CHECK_EQ(65, image[65 * DISK_SECTOR_SIZE]);
	ATF_CHECK_EQ(63, disk_next_dirty(0));
	ATF_CHECK_EQ(64, disk_next_dirty(64));
	ATF_CHECK_EQ(SECTORS - 1, disk_next_dirty(65));
	ATF_CHECK_EQ(SECTORS, disk_next_dirty(SECTORS));
	ATF_CHECK(disk_sector(64) == image + 64 * DISK_SECTOR_SIZE);
	ATF_CHECK(disk_write(0, 0, b));              /* an empty range is inside */
	ATF_CHECK_EQ(63, disk_next_dirty(0));
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, bad_sizes_refused);
	ATF_TP_ADD_TC(tp, copies_and_dirty_sectors);
	return atf_no_error();
}
