/* The Multiboot2 information builder: layout per the Multiboot2
 * specification (3.6), checked by walking the result independently. */
#include <atf-c.h>
#include <stdint.h>
#include <string.h>
#include "mb2_build.h"

static uint32_t u32_at(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }

ATF_TC_WITHOUT_HEAD(tags_and_sizes);
ATF_TC_BODY(tags_and_sizes, tc)
{
	static uint8_t buf[512] __attribute__((aligned(8)));
	struct mb2_builder b;
	const struct mb2_mmap_entry map[2] = { { 0, 0x4000000, 1, 0 }, { 0xcafe0000, 0x1000, 2, 0 } };
	mb2_build_begin(&b, buf, sizeof buf);
	mb2_build_string(&b, 1, "abc");          /* 8 + 4 = 12 -> padded to 16 */
	mb2_build_meminfo(&b, 640, 64512);       /* 16 */
	mb2_build_mmap(&b, map, 2);              /* 16 + 48 = 64 */
	uint32_t total = mb2_build_end(&b);      /* + header 8 + end tag 8 */
	ATF_REQUIRE_EQ(total, 8 + 16 + 16 + 64 + 8);
	ATF_CHECK_EQ(u32_at(buf), total);
	ATF_CHECK_EQ(u32_at(buf + 4), 0);
	ATF_CHECK_EQ(u32_at(buf + 8), 1);
	ATF_CHECK_EQ(u32_at(buf + 12), 12);
	ATF_CHECK_STREQ((const char *)buf + 16, "abc");
	ATF_CHECK_EQ(u32_at(buf + 24), 4);
	ATF_CHECK_EQ(u32_at(buf + 32), 640);
	ATF_CHECK_EQ(u32_at(buf + 36), 64512);
	ATF_CHECK_EQ(u32_at(buf + 40), 6);
	ATF_CHECK_EQ(u32_at(buf + 44), 64);
	ATF_CHECK_EQ(u32_at(buf + 48), 24);      /* entry_size */
	ATF_CHECK_EQ(u32_at(buf + 56 + 24 + 16), 2);   /* second entry's type */
	ATF_CHECK_EQ(u32_at(buf + 104), 0);      /* end tag */
	ATF_CHECK_EQ(u32_at(buf + 108), 8);
}

ATF_TC_WITHOUT_HEAD(module_tag);
ATF_TC_BODY(module_tag, tc)
{
	static uint8_t buf[128] __attribute__((aligned(8)));
	struct mb2_builder b;
	mb2_build_begin(&b, buf, sizeof buf);
	mb2_build_module(&b, 0x200000, 0x201234, "probe x=1");
	ATF_REQUIRE(mb2_build_end(&b) != 0);
	ATF_CHECK_EQ(u32_at(buf + 8), 3);
	ATF_CHECK_EQ(u32_at(buf + 12), 16 + 10);
	ATF_CHECK_EQ(u32_at(buf + 16), 0x200000);
	ATF_CHECK_EQ(u32_at(buf + 20), 0x201234);
	ATF_CHECK_STREQ((const char *)buf + 24, "probe x=1");
}

ATF_TC_WITHOUT_HEAD(overflow_is_sticky);
ATF_TC_BODY(overflow_is_sticky, tc)
{
	uint8_t buf[32] __attribute__((aligned(8)));
	struct mb2_builder b;
	mb2_build_begin(&b, buf, sizeof buf);
	mb2_build_string(&b, 1, "a string longer than the buffer can hold");
	mb2_build_meminfo(&b, 1, 2);
	ATF_CHECK_EQ(mb2_build_end(&b), 0);
	mb2_build_begin(&b, buf, 4);     /* not even room for the header */
	ATF_CHECK_EQ(mb2_build_end(&b), 0);
	mb2_build_begin(&b, buf, 16);    /* header + end tag exactly */
	ATF_CHECK_EQ(mb2_build_end(&b), 16);
}

/* A module or memory map tag that does not fit writes nothing past the
 * buffer and makes the whole structure fail. */
ATF_TC_WITHOUT_HEAD(tags_that_do_not_fit);
ATF_TC_BODY(tags_that_do_not_fit, tc)
{
	static uint8_t buf[64] __attribute__((aligned(8)));
	const struct mb2_mmap_entry map[2] = { { 0, 0x4000000, 1, 0 }, { 0x4000000, 0x1000, 2, 0 } };
	struct mb2_builder b;

	memset(buf, 0xee, sizeof buf);
	mb2_build_begin(&b, buf, 32);    /* header 8: 24 left, a module needs 16 + 18 */
	mb2_build_module(&b, 0x1000, 0x2000, "a module command line");
	ATF_CHECK(b.overflow);
	ATF_CHECK_EQ(b.used, 8);
	ATF_CHECK_EQ(mb2_build_end(&b), 0);
	for (unsigned i = 8; i < sizeof buf; i++)
		ATF_REQUIRE_EQ_MSG(buf[i], 0xee, "byte %u written after the overflow", i);

	memset(buf, 0xee, sizeof buf);
	mb2_build_begin(&b, buf, 56);    /* header 8: 48 left, two entries need 16 + 48 */
	mb2_build_mmap(&b, map, 2);
	ATF_CHECK(b.overflow);
	ATF_CHECK_EQ(b.used, 8);
	mb2_build_meminfo(&b, 1, 2);     /* would fit, but the overflow is sticky */
	ATF_CHECK_EQ(b.used, 8);
	ATF_CHECK_EQ(mb2_build_end(&b), 0);
	for (unsigned i = 8; i < sizeof buf; i++)
		ATF_REQUIRE_EQ_MSG(buf[i], 0xee, "byte %u written after the overflow", i);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, tags_and_sizes);
	ATF_TP_ADD_TC(tp, module_tag);
	ATF_TP_ADD_TC(tp, overflow_is_sticky);
	ATF_TP_ADD_TC(tp, tags_that_do_not_fit);
	return atf_no_error();
}
