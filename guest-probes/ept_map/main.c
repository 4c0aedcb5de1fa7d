/* ept_map: the guest memory map (Multiboot2 memory map, contract 2 and 9)
 * against what is really backed.
 *
 * Without `test=` the probe prints the map as it reads it and then uses
 * it:
 *   ept_map: ram start=0x0 end=0x<mem>           union of the type-1 entries
 *   ept_map: type gpa=0x<window address> type=2  each device window's first
 *                                                and last byte is reserved
 *   ept_map: type gpa=0x<mem> type=<t>           the first byte past RAM
 *   ept_map: ends pages=32 readable=yes          the first and last 16 RAM
 *                                                pages read without ending
 *                                                the VM, and fresh ones are 0
 *   ept_map: last_qword gpa=0x<mem-8> value=0x0123456789abcdef
 *                                                the last 8 bytes of RAM keep
 *                                                what was written
 *   ept_map: sweep pages=0x<mem/4K>              (with `sweep=all`) one read
 *                                                of every RAM page
 *   ept_map: done
 * With `test=past_ram` it reads the first byte past RAM as the map states
 * it, from code at BLOB_PAGE: the VM must end with an EPT violation there,
 * which shows the map claims no more than is backed. */
#include "../memlib/memlib.h"

#define END_PAGES 16u /* pages checked at each end of RAM */
#define LAST_QWORD_VALUE 0x0123456789abcdefull

static const uint8_t read_byte_code[] = { 0x8a, 0x07, OPCODE_RET }; /* mov (%rdi),%al */

static const uint64_t window_bytes[] = {
	DOORBELL_BASE, DOORBELL_BASE + DEVICE_WINDOW_SIZE - 1,
	TESTDEV_BASE, TESTDEV_BASE + DEVICE_WINDOW_SIZE - 1,
	GUEST_ROM_BASE, GUEST_ROM_BASE + DEVICE_WINDOW_SIZE - 1,
	NOEXEC_PAGE_BASE, NOEXEC_PAGE_BASE + DEVICE_WINDOW_SIZE - 1,
};

static uint8_t read_byte(uint64_t gpa)
{
	return *(const volatile uint8_t *)(uintptr_t)gpa;
}

/* Reads one byte of each page in [first, first + count pages); returns how
 * many of those bytes were non-zero. */
static unsigned read_pages(uint64_t first, uint64_t count)
{
	unsigned nonzero = 0;
	for (uint64_t p = 0; p < count; p++)
		nonzero += read_byte(first + p * PAGE_SIZE_4K + 0x800) != 0;
	return nonzero;
}

void probe_main(void)
{
	uint64_t ram_end = ram_end_from_mmap();
	if (test_selected("past_ram")) {
		blob_run(read_byte_code, sizeof(read_byte_code), ram_end, 0);
		printf("ept_map: survived read past RAM\n");
		return;
	}
	if (any_test_selected())
		probe_error("unknown test= value");

	printf("ept_map: ram start=0x0 end=0x%llx\n", (unsigned long long)ram_end);
	const struct mb2_info *info = boot_info();
	for (unsigned i = 0; i < sizeof(window_bytes) / sizeof(window_bytes[0]); i++)
		printf("ept_map: type gpa=0x%llx type=%u\n",
		       (unsigned long long)window_bytes[i],
		       mb2_mmap_type_at(info, window_bytes[i]));
	printf("ept_map: type gpa=0x%llx type=%u\n", (unsigned long long)ram_end,
	       mb2_mmap_type_at(info, ram_end));

	/* The low pages hold the image; the top ones are fresh and must read
	 * as zero (no other guest's or host data). */
	read_pages(0, END_PAGES);
	unsigned nonzero = read_pages(ram_end - END_PAGES * PAGE_SIZE_4K, END_PAGES);
	printf("ept_map: ends pages=%u readable=yes fresh_nonzero=%u\n",
	       2 * END_PAGES, nonzero);

	volatile uint64_t *last = (volatile uint64_t *)(uintptr_t)(ram_end - 8);
	*last = LAST_QWORD_VALUE;
	printf("ept_map: last_qword gpa=0x%llx value=0x%llx\n",
	       (unsigned long long)(ram_end - 8), (unsigned long long)*last);

	const char *sweep;
	size_t sweep_len;
	if (cmdline_find(boot_cmdline(), "sweep", &sweep, &sweep_len)) {
		if (sweep_len != 3 || memcmp(sweep, "all", 3) != 0)
			probe_error("sweep= takes only the value all");
		uint64_t pages = ram_end / PAGE_SIZE_4K;
		read_pages(0, pages);
		printf("ept_map: sweep pages=0x%llx\n", (unsigned long long)pages);
	}
	printf("ept_map: done\n");
}
