/* hc_unknown: unknown hypercall numbers return HC_ENOSYS (-38) and the
 * guest goes on (contract 5). Besides small unknown numbers it tries
 * numbers whose low 32 bits are a valid hypercall (0x100000000 would be
 * HaltCpu, 0x100000001 Print if the hypervisor truncated RAX) and the
 * largest values; then it shows it still runs and returns (HaltCpu 0). */
#include "runtime.h"

static const uint64_t unknown_numbers[] = {
	0x77, 0x100, 0x100000000ull, 0x100000001ull,
	0x8000000000000000ull, 0xffffffffffffffffull,
};

static const char bait[] = "hc_unknown: bait printed\n";

void probe_main(void)
{
	for (size_t i = 0; i < sizeof(unknown_numbers) / sizeof(unknown_numbers[0]);
	     i++) {
		uint64_t nr = unknown_numbers[i];
		/* RDI/RSI look like a Print request, so a hypervisor that
		 * ignores the high bits of RAX would print the bait line. */
		hc_result r = hypercall3(nr, (uintptr_t)bait, sizeof(bait) - 1, 0);
		printf("hc_unknown: nr=0x%llx rax=%ld\n", (unsigned long long)nr,
		       r);
	}
	printf("hc_unknown: still running\n");
}
