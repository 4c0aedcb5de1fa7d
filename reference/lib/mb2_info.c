/* The Multiboot2 information reader of mb2_info.h. */
#include "mb2_info.h"
#include "hv_string.h"

static uint32_t read_u32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

/* Validates the fixed header; returns an error text or NULL. */
static const char *check_header(uintptr_t addr, uint32_t *total_size)
{
	if (addr == 0)
		return "information address is 0";
	if (addr % MB2_TAG_ALIGN)
		return "information address is not 8-byte aligned";
	*total_size = read_u32((const uint8_t *)addr);
	if (*total_size < MB2_INFO_HEADER_SIZE + MB2_TAG_HEADER_SIZE)
		return "total_size too small for the end tag";
	if (*total_size > MB2_INFO_SIZE_LIMIT)
		return "total_size larger than 1 MiB";
	return NULL;
}

const char *mb2_for_each_tag(uintptr_t addr,
			     void (*visit)(const struct mb2_tag_view *, void *),
			     void *arg)
{
	uint32_t total;
	const char *err = check_header(addr, &total);
	if (err)
		return err;
	const uint8_t *base = (const uint8_t *)addr;
	uint32_t off = MB2_INFO_HEADER_SIZE;

	for (;;) {
		if (total - off < MB2_TAG_HEADER_SIZE)
			return "tags run past total_size without an end tag";
		struct mb2_tag_view tag;
		tag.type = read_u32(base + off);
		tag.size = read_u32(base + off + 4);
		if (tag.size < MB2_TAG_HEADER_SIZE)
			return "tag size smaller than its header";
		if (tag.size > total - off)
			return "tag extends past total_size";
		tag.data = base + off + MB2_TAG_HEADER_SIZE;
		tag.data_size = tag.size - MB2_TAG_HEADER_SIZE;
		visit(&tag, arg);
		if (tag.type == MB2_TAG_END)
			return NULL;
		uint32_t next = (tag.size + MB2_TAG_ALIGN - 1) &
				~(MB2_TAG_ALIGN - 1);
		if (next > total - off)
			return "tag padding extends past total_size";
		off += next;
	}
}

static const char *string_in(const uint8_t *data, uint32_t size)
{
	for (uint32_t i = 0; i < size; i++)
		if (data[i] == '\0')
			return (const char *)data;
	return NULL; /* not NUL-terminated inside the tag */
}

struct parse_state {
	struct mb2_info *info;
	const char *error;
};

static void fail(struct parse_state *st, const char *why)
{
	if (!st->error)
		st->error = why;
}

static void take_tag(const struct mb2_tag_view *tag, void *arg)
{
	struct parse_state *st = arg;
	struct mb2_info *info = st->info;
	info->tag_count++;

	switch (tag->type) {
	case MB2_TAG_END:
		info->have_end_tag = true;
		if (tag->size != MB2_TAG_HEADER_SIZE)
			fail(st, "end tag size is not 8");
		break;
	case MB2_TAG_CMDLINE:
		info->cmdline = string_in(tag->data, tag->data_size);
		if (!info->cmdline)
			fail(st, "command line is not NUL-terminated");
		break;
	case MB2_TAG_LOADER_NAME:
		info->loader_name = string_in(tag->data, tag->data_size);
		if (!info->loader_name)
			fail(st, "loader name is not NUL-terminated");
		break;
	case MB2_TAG_MODULE:
		if (info->have_module)
			break; /* the first module counts */
		if (tag->data_size < 8) {
			fail(st, "module tag too short");
			break;
		}
		info->module_string = string_in(tag->data + 8, tag->data_size - 8);
		if (!info->module_string) {
			fail(st, "module string is not NUL-terminated");
			break;
		}
		info->have_module = true;
		info->module_start = read_u32(tag->data);
		info->module_end = read_u32(tag->data + 4);
		break;
	case MB2_TAG_BASIC_MEMINFO:
		if (tag->data_size < 8) {
			fail(st, "basic meminfo tag too short");
			break;
		}
		info->have_meminfo = true;
		info->mem_lower = read_u32(tag->data);
		info->mem_upper = read_u32(tag->data + 4);
		break;
	case MB2_TAG_MMAP: {
		if (tag->size < MB2_MMAP_HEADER_SIZE) {
			fail(st, "mmap tag too short");
			break;
		}
		uint32_t esize = read_u32(tag->data);
		if (esize < MB2_MMAP_ENTRY_MIN || esize % 8) {
			fail(st, "mmap entry_size is not a multiple of 8 >= 24");
			break;
		}
		uint32_t bytes = tag->size - MB2_MMAP_HEADER_SIZE;
		if (bytes % esize) {
			fail(st, "mmap tag size is not a whole number of entries");
			break;
		}
		info->mmap_entry_size = esize;
		info->mmap_entry_version = read_u32(tag->data + 4);
		info->mmap_count = bytes / esize;
		info->mmap = tag->data + 8;
		break;
	}
	default:
		break;
	}
}

bool mb2_parse(uintptr_t addr, struct mb2_info *info)
{
	memset(info, 0, sizeof(*info));
	struct parse_state st = { info, NULL };
	const char *err = mb2_for_each_tag(addr, take_tag, &st);
	if (!err)
		err = st.error;
	if (!err)
		info->total_size = read_u32((const uint8_t *)addr);
	info->error = err;
	return err == NULL;
}

struct mb2_mmap_entry mb2_mmap_entry(const struct mb2_info *info, uint32_t i)
{
	struct mb2_mmap_entry e;
	memcpy(&e, info->mmap + (size_t)i * info->mmap_entry_size, sizeof(e));
	return e;
}

uint32_t mb2_mmap_type_at(const struct mb2_info *info, uint64_t addr)
{
	for (uint32_t i = 0; i < info->mmap_count; i++) {
		struct mb2_mmap_entry e = mb2_mmap_entry(info, i);
		if (addr >= e.base_addr && addr - e.base_addr < e.length)
			return e.type;
	}
	return 0;
}
