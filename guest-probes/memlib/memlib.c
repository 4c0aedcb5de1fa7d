/* Shared helpers of the memory-virtualization probes (see memlib.h). */
#include "memlib.h"

void mem_stats_read(struct mem_stats *out)
{
	out->pages = (uint64_t)hv_mem_stats(HC_STAT_PAGES_POPULATED);
	out->faults = (uint64_t)hv_mem_stats(HC_STAT_FAULTS_SERVED);
	out->ept_tables = (uint64_t)hv_mem_stats(HC_STAT_EPT_TABLE_FRAMES);
	out->host_frames = (uint64_t)hv_mem_stats(HC_STAT_HOST_FRAMES);
}

uint64_t ram_end_from_mmap(void)
{
	const struct mb2_info *info = boot_info();
	if (info->error)
		probe_error("boot information malformed");
	if (!info->mmap)
		probe_error("boot information has no memory map");

	/* Type-1 entries in any order: grow [0, end) while an entry starts
	 * inside or right at its end; any entry left over is a gap. */
	uint64_t end = 0;
	uint32_t available = 0, used = 0;
	for (uint32_t i = 0; i < info->mmap_count; i++)
		if (mb2_mmap_entry(info, i).type == MB2_MEMORY_AVAILABLE)
			available++;
	for (bool grew = true; grew;) {
		grew = false;
		used = 0;
		for (uint32_t i = 0; i < info->mmap_count; i++) {
			struct mb2_mmap_entry e = mb2_mmap_entry(info, i);
			if (e.type != MB2_MEMORY_AVAILABLE)
				continue;
			if (e.base_addr > end)
				continue;
			used++;
			if (e.base_addr + e.length > end) {
				end = e.base_addr + e.length;
				grew = true;
			}
		}
	}
	if (available == 0 || end == 0)
		probe_error("memory map has no available RAM at 0");
	if (used != available)
		probe_error("memory map RAM is not one range starting at 0");
	return end;
}

bool test_selected(const char *name)
{
	const char *value;
	size_t len;
	if (!cmdline_find(boot_cmdline(), "test", &value, &len))
		return false;
	size_t n = strlen(name);
	return len == n && memcmp(value, name, n) == 0;
}

bool any_test_selected(void)
{
	const char *value;
	size_t len;
	return cmdline_find(boot_cmdline(), "test", &value, &len);
}

void blob_place(const uint8_t *code, size_t len)
{
	const struct mb2_info *info = boot_info();
	uint64_t image_end = (uint64_t)(uintptr_t)__image_end;
	uint64_t info_end = (uint64_t)boot_ebx + info->total_size;
	if (len > PAGE_SIZE_4K || image_end > BLOB_PAGE || info_end > BLOB_PAGE ||
	    ram_end_from_mmap() < BLOB_PAGE + PAGE_SIZE_4K)
		probe_error("blob page overlaps the image, the boot information "
			    "or lies past RAM");

	volatile uint8_t *page = (volatile uint8_t *)(uintptr_t)BLOB_PAGE;
	for (size_t i = 0; i < PAGE_SIZE_4K; i++)
		page[i] = i < len ? code[i] : OPCODE_INT3;
}

uint64_t blob_run(const uint8_t *code, size_t len, uint64_t rdi, uint64_t rsi)
{
	blob_place(code, len);
	uint64_t (*fn)(uint64_t, uint64_t) =
		(uint64_t(*)(uint64_t, uint64_t))(uintptr_t)BLOB_PAGE;
	return fn(rdi, rsi);
}

size_t first_byte_not(const volatile uint8_t *p, size_t n, uint8_t value)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != value)
			return i;
	return n;
}
