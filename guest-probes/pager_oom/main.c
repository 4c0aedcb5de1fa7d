/* pager_oom: guest RAM larger than the host can back (contract 10: "When
 * host frames run out the VM ends with `out of memory`"). Run with a guest
 * RAM size (hv cmdline mem=...) above the machine's memory, the probe
 * writes one byte to every page from 4 MiB up to the end of RAM, printing
 *   pager_oom: touched mib=<n>
 * at every multiple of 8 MiB, so the transcript shows the pager worked
 * before it ran dry. A hypervisor that never runs out lets the probe print
 *   pager_oom: touched all mib=<n>
 * and halt with code 0. */
#include "../memlib/memlib.h"

#define TOUCH_START 0x400000ull /* above the image and the boot information */
#define MIB 0x100000ull
#define PROGRESS_MIB 8u

void probe_main(void)
{
	uint64_t ram_end = ram_end_from_mmap();
	uint64_t next_report = PROGRESS_MIB * MIB; /* above TOUCH_START */
	for (uint64_t a = TOUCH_START; a < ram_end; a += PAGE_SIZE_4K) {
		*(volatile uint8_t *)(uintptr_t)a = 1;
		if (a + PAGE_SIZE_4K == next_report) {
			printf("pager_oom: touched mib=%llu\n",
			       (unsigned long long)(next_report / MIB));
			next_report += PROGRESS_MIB * MIB;
		}
	}
	printf("pager_oom: touched all mib=%llu\n", (unsigned long long)(ram_end / MIB));
}
