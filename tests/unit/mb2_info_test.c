/* The Multiboot2 information reader (mb2_info.h): a well-formed structure
 * parses to what the builder wrote, and each malformed one is refused with
 * the text that names its problem, never read past total_size. */
#include <atf-c.h>
#include <stdint.h>
#include <string.h>
#include "mb2_build.h"
#include "mb2_info.h"

/* Room for every structure here; 8-byte aligned as 3.6 requires. */
static uint8_t buf[512] __attribute__((aligned(8)));

static void put_u32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

/* Header + one tag of the given type and size (data zeroed) + end tag;
 * returns the offset of the tag. */
static uint32_t one_tag(uint32_t type, uint32_t size)
{
	memset(buf, 0, sizeof buf);
	uint32_t padded = (size + MB2_TAG_ALIGN - 1) & ~(MB2_TAG_ALIGN - 1u);
	put_u32(buf, MB2_INFO_HEADER_SIZE + padded + MB2_TAG_HEADER_SIZE);
	put_u32(buf + 8, type);
	put_u32(buf + 12, size);
	put_u32(buf + 8 + padded, MB2_TAG_END);
	put_u32(buf + 12 + padded, MB2_TAG_HEADER_SIZE);
	return 8;
}

static const char *parse_error(void)
{
	struct mb2_info info;
	bool ok = mb2_parse((uintptr_t)buf, &info);
	ATF_CHECK_EQ(ok, info.error == NULL);
	return info.error;
}

ATF_TC_WITHOUT_HEAD(well_formed);
ATF_TC_BODY(well_formed, tc)
{
	const struct mb2_mmap_entry map[2] = {
		{ 0, 0x9f000, MB2_MEMORY_AVAILABLE, 0 },
		{ 0x100000, 0x3f00000, MB2_MEMORY_AVAILABLE, 0 },
	};
	struct mb2_builder b;
	mb2_build_begin(&b, buf, sizeof buf);
	mb2_build_string(&b, MB2_TAG_CMDLINE, "guest_ram=16M");
	mb2_build_string(&b, MB2_TAG_LOADER_NAME, "romboot");
	mb2_build_meminfo(&b, 636, 64512);
	mb2_build_mmap(&b, map, 2);
	mb2_build_module(&b, 0x200000, 0x201000, "first");
	mb2_build_module(&b, 0x300000, 0x301000, "second");
	uint32_t total = mb2_build_end(&b);
	ATF_REQUIRE(total != 0);

	struct mb2_info info;
	ATF_REQUIRE_MSG(mb2_parse((uintptr_t)buf, &info), "%s", info.error);
	ATF_CHECK_EQ(info.total_size, total);
	ATF_CHECK_STREQ(info.cmdline, "guest_ram=16M");
	ATF_CHECK_STREQ(info.loader_name, "romboot");
	ATF_CHECK(info.have_meminfo);
	ATF_CHECK_EQ(info.mem_lower, 636);
	ATF_CHECK_EQ(info.mem_upper, 64512);
	ATF_CHECK_EQ(info.mmap_count, 2);
	ATF_CHECK_EQ(info.mmap_entry_size, 24);
	ATF_CHECK_EQ(mb2_mmap_entry(&info, 1).base_addr, 0x100000);
	ATF_CHECK_EQ(mb2_mmap_type_at(&info, 0x9efff), MB2_MEMORY_AVAILABLE);
	ATF_CHECK_EQ(mb2_mmap_type_at(&info, 0x9f000), 0);      /* the hole */
	ATF_CHECK_EQ(mb2_mmap_type_at(&info, 0x3ffffff), MB2_MEMORY_AVAILABLE);
	ATF_CHECK_EQ(mb2_mmap_type_at(&info, 0x4000000), 0);
	/* The first module counts; a later one is ignored. */
	ATF_CHECK(info.have_module);
	ATF_CHECK_EQ(info.module_start, 0x200000);
	ATF_CHECK_EQ(info.module_end, 0x201000);
	ATF_CHECK_STREQ(info.module_string, "first");
	ATF_CHECK(info.have_end_tag);
	ATF_CHECK_EQ(info.tag_count, 7);
}

ATF_TC_WITHOUT_HEAD(absent_tags);
ATF_TC_BODY(absent_tags, tc)
{
	one_tag(0x7777, 8);     /* an unknown type is skipped */
	struct mb2_info info;
	ATF_REQUIRE_MSG(mb2_parse((uintptr_t)buf, &info), "%s", info.error);
	ATF_CHECK(info.cmdline == NULL && info.loader_name == NULL && info.mmap == NULL);
	ATF_CHECK(!info.have_meminfo && !info.have_module);
	ATF_CHECK_EQ(info.tag_count, 2);
}

ATF_TC_WITHOUT_HEAD(only_end_tag);
ATF_TC_BODY(only_end_tag, tc)
{
	/* The smallest structure 3.6 allows: the header and the end tag,
	 * total_size exactly 16, the bound bad_header refuses one below. */
	memset(buf, 0, sizeof buf);
	put_u32(buf, MB2_INFO_HEADER_SIZE + MB2_TAG_HEADER_SIZE);
	put_u32(buf + 8, MB2_TAG_END);
	put_u32(buf + 12, MB2_TAG_HEADER_SIZE);
	struct mb2_info info;
	ATF_REQUIRE_MSG(mb2_parse((uintptr_t)buf, &info), "%s", info.error);
	ATF_CHECK(info.have_end_tag);
	ATF_CHECK_EQ(info.tag_count, 1);
	ATF_CHECK(info.cmdline == NULL && info.mmap == NULL && !info.have_module);
}

ATF_TC_WITHOUT_HEAD(bad_header);
ATF_TC_BODY(bad_header, tc)
{
	struct mb2_info info;
	ATF_CHECK(!mb2_parse(0, &info));
	ATF_CHECK_STREQ(info.error, "information address is 0");
	one_tag(0x7777, 8);
	ATF_CHECK(!mb2_parse((uintptr_t)buf + 4, &info));
	ATF_CHECK_STREQ(info.error, "information address is not 8-byte aligned");
	put_u32(buf, MB2_INFO_HEADER_SIZE + MB2_TAG_HEADER_SIZE - 1);
	ATF_CHECK_STREQ(parse_error(), "total_size too small for the end tag");
	put_u32(buf, MB2_INFO_SIZE_LIMIT + 1);
	ATF_CHECK_STREQ(parse_error(), "total_size larger than 1 MiB");
}

ATF_TC_WITHOUT_HEAD(bad_tag_framing);
ATF_TC_BODY(bad_tag_framing, tc)
{
	/* total_size ends before the end tag: the walk must stop there. */
	one_tag(0x7777, 8);
	put_u32(buf, 8 + 8 + 4);
	ATF_CHECK_STREQ(parse_error(), "tags run past total_size without an end tag");
	one_tag(0x7777, 7);
	ATF_CHECK_STREQ(parse_error(), "tag size smaller than its header");
	one_tag(0x7777, 8);
	put_u32(buf + 12, 64);
	ATF_CHECK_STREQ(parse_error(), "tag extends past total_size");
	/* A 12-byte tag that fits, whose padding to 16 does not. */
	one_tag(0x7777, 12);
	put_u32(buf, 8 + 12 + 2);
	ATF_CHECK_STREQ(parse_error(), "tag padding extends past total_size");
	one_tag(0x7777, 8);
	put_u32(buf + 20, 16);    /* end tag of size 16, inside total_size */
	put_u32(buf, 8 + 8 + 16);
	ATF_CHECK_STREQ(parse_error(), "end tag size is not 8");
}

ATF_TC_WITHOUT_HEAD(bad_strings);
ATF_TC_BODY(bad_strings, tc)
{
	one_tag(MB2_TAG_CMDLINE, 12);
	memset(buf + 16, 'x', 4);
	ATF_CHECK_STREQ(parse_error(), "command line is not NUL-terminated");
	one_tag(MB2_TAG_LOADER_NAME, 12);
	memset(buf + 16, 'x', 4);
	ATF_CHECK_STREQ(parse_error(), "loader name is not NUL-terminated");
	one_tag(MB2_TAG_MODULE, 8 + 7);
	ATF_CHECK_STREQ(parse_error(), "module tag too short");
	one_tag(MB2_TAG_MODULE, 8 + 8 + 3);
	memset(buf + 24, 'x', 3);
	ATF_CHECK_STREQ(parse_error(), "module string is not NUL-terminated");
	one_tag(MB2_TAG_BASIC_MEMINFO, 8 + 7);
	ATF_CHECK_STREQ(parse_error(), "basic meminfo tag too short");
}

ATF_TC_WITHOUT_HEAD(bad_mmap);
ATF_TC_BODY(bad_mmap, tc)
{
	one_tag(MB2_TAG_MMAP, MB2_MMAP_HEADER_SIZE - 1);
	ATF_CHECK_STREQ(parse_error(), "mmap tag too short");
	one_tag(MB2_TAG_MMAP, MB2_MMAP_HEADER_SIZE + 24);
	put_u32(buf + 16, 16);
	ATF_CHECK_STREQ(parse_error(), "mmap entry_size is not a multiple of 8 >= 24");
	put_u32(buf + 16, 28);
	ATF_CHECK_STREQ(parse_error(), "mmap entry_size is not a multiple of 8 >= 24");
	one_tag(MB2_TAG_MMAP, MB2_MMAP_HEADER_SIZE + 24 + 8);
	put_u32(buf + 16, 24);
	ATF_CHECK_STREQ(parse_error(), "mmap tag size is not a whole number of entries");
	/* entry_size 32: one entry of which the reader uses the first 24 bytes. */
	one_tag(MB2_TAG_MMAP, MB2_MMAP_HEADER_SIZE + 32);
	put_u32(buf + 16, 32);
	put_u32(buf + 24 + 8, 0x1000);     /* length */
	put_u32(buf + 24 + 16, MB2_MEMORY_RESERVED);
	struct mb2_info info;
	ATF_REQUIRE_MSG(mb2_parse((uintptr_t)buf, &info), "%s", info.error);
	ATF_CHECK_EQ(info.mmap_count, 1);
	ATF_CHECK_EQ(mb2_mmap_type_at(&info, 0xfff), MB2_MEMORY_RESERVED);
	ATF_CHECK_EQ(mb2_mmap_type_at(&info, 0x1000), 0);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, well_formed);
	ATF_TP_ADD_TC(tp, absent_tags);
	ATF_TP_ADD_TC(tp, only_end_tag);
	ATF_TP_ADD_TC(tp, bad_header);
	ATF_TP_ADD_TC(tp, bad_tag_framing);
	ATF_TP_ADD_TC(tp, bad_strings);
	ATF_TP_ADD_TC(tp, bad_mmap);
	return atf_no_error();
}
