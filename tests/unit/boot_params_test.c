/* Unit tests of boot_params: the e820 map of a guest layout and the zero
 * page, read back at zero-page.rst's offsets written out here. */
#include <atf-c.h>
#include <stdint.h>
#include <string.h>

#include "boot_params.h"

#define MiB (1024ull * 1024)

static uint64_t get(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = n; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

static const struct gpa_range WINDOWS[] = {
	{ 0xcafe0000, 0x1000 },
	{ 0xcafe4000, 0x1000 },
};

ATF_TC_WITHOUT_HEAD(e820_small_ram);
ATF_TC_BODY(e820_small_ram, tc)
{
	const struct guest_layout l = { 256 * MiB, WINDOWS, 2 };
	struct e820_entry m[BOOT_PARAMS_E820_MAX];
	ATF_REQUIRE_EQ(e820_from_layout(&l, m, BOOT_PARAMS_E820_MAX), 5);
	ATF_CHECK(m[0].addr == 0 && m[0].size == 0x9fc00 && m[0].type == E820_TYPE_RAM);
	ATF_CHECK(m[1].addr == 0x9fc00 && m[1].size == 0x60400 && m[1].type == E820_TYPE_RESERVED);
	ATF_CHECK(m[2].addr == 1 * MiB && m[2].size == 255 * MiB && m[2].type == E820_TYPE_RAM);
	ATF_CHECK(m[3].addr == 0xcafe0000 && m[3].size == 0x1000 && m[3].type == E820_TYPE_RESERVED);
	ATF_CHECK(m[4].addr == 0xcafe4000 && m[4].type == E820_TYPE_RESERVED);
}

ATF_TC_WITHOUT_HEAD(e820_windows_inside_ram);
ATF_TC_BODY(e820_windows_inside_ram, tc)
{
	/* 4 GiB of RAM: both windows cut holes, listed in address order even
	 * though the layout names them the other way round. */
	const struct gpa_range w[] = { { 0xcafe4000, 0x1000 }, { 0xcafe0000, 0x1000 } };
	const struct guest_layout l = { 4096 * MiB, w, 2 };
	struct e820_entry m[BOOT_PARAMS_E820_MAX];
	ATF_REQUIRE_EQ(e820_from_layout(&l, m, BOOT_PARAMS_E820_MAX), 7);
	ATF_CHECK(m[2].addr == 1 * MiB && m[2].addr + m[2].size == 0xcafe0000);
	ATF_CHECK(m[3].addr == 0xcafe1000 && m[3].addr + m[3].size == 0xcafe4000);
	ATF_CHECK(m[4].addr == 0xcafe5000 && m[4].addr + m[4].size == 4096 * MiB);
	ATF_CHECK_EQ(m[5].type, E820_TYPE_RESERVED);
	ATF_CHECK_EQ(m[6].type, E820_TYPE_RESERVED);
}

ATF_TC_WITHOUT_HEAD(e820_refusals);
ATF_TC_BODY(e820_refusals, tc)
{
	struct e820_entry m[4];
	const struct guest_layout tiny = { 512 * 1024, WINDOWS, 2 };
	ATF_CHECK_EQ(e820_from_layout(&tiny, m, 4), 0);
	const struct guest_layout l = { 256 * MiB, WINDOWS, 2 };
	ATF_CHECK_EQ(e820_from_layout(&l, m, 4), 0);    /* needs 5 */
}

static uint8_t image[0x1000];
static struct bzimage_info info;

static void setup(void)
{
	memset(image, 0, sizeof image);
	for (unsigned i = 0x1f1; i < 0x26c; i++)
		image[i] = (uint8_t)i;                  /* recognisable header bytes */
	image[0x211] = 0x01 | 0x40 | 0x80;              /* LOADED_HIGH, KEEP_SEGMENTS, CAN_USE_HEAP */
	info = (struct bzimage_info){ .cmdline_size = 2047, .initrd_addr_max = 0x7fffffff,
				      .header_end = 0x26c };
}

static struct boot_params_request request(const struct e820_entry *m, unsigned n)
{
	return (struct boot_params_request){ .image = image, .info = &info,
		.cmdline_gpa = 0x11000, .cmdline_len = 20,
		.initrd_gpa = 0x7000000, .initrd_size = 0x123456, .e820 = m, .ne820 = n };
}

ATF_TC_WITHOUT_HEAD(zero_page_fields);
ATF_TC_BODY(zero_page_fields, tc)
{
	setup();
	const struct guest_layout l = { 256 * MiB, WINDOWS, 2 };
	struct e820_entry m[BOOT_PARAMS_E820_MAX];
	unsigned n = e820_from_layout(&l, m, BOOT_PARAMS_E820_MAX);
	static uint8_t page[BOOT_PARAMS_BYTES];
	memset(page, 0xee, sizeof page);
	struct boot_params_request r = request(m, n);
	ATF_REQUIRE(boot_params_build(page, &r) == NULL);
	ATF_CHECK_EQ(page[0x000], 0);                   /* screen_info zero: no VGA */
	ATF_CHECK_EQ(get(page + 0x202, 4), get(image + 0x202, 4));
	ATF_CHECK_EQ(page[0x26b], image[0x26b]);        /* header copied to its end */
	ATF_CHECK_EQ(page[0x26c], 0);                   /* and not beyond */
	ATF_CHECK_EQ(page[0x210], 0xff);                /* type_of_loader */
	ATF_CHECK_EQ(page[0x211], 0x01);                /* loader-owned bits cleared */
	ATF_CHECK_EQ(get(page + 0x228, 4), 0x11000);    /* cmd_line_ptr */
	ATF_CHECK_EQ(get(page + 0x218, 4), 0x7000000);  /* ramdisk_image */
	ATF_CHECK_EQ(get(page + 0x21c, 4), 0x123456);   /* ramdisk_size */
	ATF_CHECK_EQ(get(page + 0x0c0, 4), 0);
	ATF_CHECK_EQ(page[0x1e8], n);                   /* e820_entries */
	const uint8_t *e2 = page + 0x2d0 + 2 * 20;
	ATF_CHECK_EQ(get(e2, 8), 1 * MiB);
	ATF_CHECK_EQ(get(e2 + 8, 8), 255 * MiB);
	ATF_CHECK_EQ(get(e2 + 16, 4), E820_TYPE_RAM);
	ATF_CHECK_EQ(page[0x2d0 + n * 20], 0);          /* nothing past the map */
	ATF_CHECK_EQ(page[0xfff], 0);
}

ATF_TC_WITHOUT_HEAD(zero_page_refusals);
ATF_TC_BODY(zero_page_refusals, tc)
{
	setup();
	struct e820_entry m[1] = { { 0, 256 * MiB, E820_TYPE_RAM } };
	static uint8_t page[BOOT_PARAMS_BYTES];
	struct boot_params_request r = request(m, 1);
	r.cmdline_len = 2048;
	ATF_CHECK(boot_params_build(page, &r) != NULL);
	r = request(m, 1);
	r.cmdline_gpa = 0x100000000ull;
	ATF_CHECK(boot_params_build(page, &r) != NULL);
	r = request(m, 1);
	r.initrd_gpa = 0x7ffff000;                      /* ends past initrd_addr_max */
	ATF_CHECK(boot_params_build(page, &r) != NULL);
	r = request(m, 1);
	r.initrd_gpa = 0x7ffff000;
	r.initrd_size = 0x1000;                         /* ends exactly at it: fine */
	ATF_CHECK(boot_params_build(page, &r) == NULL);
	r = request(m, 0);
	ATF_CHECK(boot_params_build(page, &r) != NULL);
	r = request(m, BOOT_PARAMS_E820_MAX + 1);
	ATF_CHECK(boot_params_build(page, &r) != NULL);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, e820_small_ram);
	ATF_TP_ADD_TC(tp, e820_windows_inside_ram);
	ATF_TP_ADD_TC(tp, e820_refusals);
	ATF_TP_ADD_TC(tp, zero_page_fields);
	ATF_TP_ADD_TC(tp, zero_page_refusals);
	return 0;
}
