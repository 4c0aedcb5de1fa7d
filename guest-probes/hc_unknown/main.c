/* hc_unknown: unknown hypercall numbers return HC_ENOSYS (-38) and the
 * guest goes on (contract 5). Besides small unknown numbers it tries
 * numbers whose low 32 bits are a valid hypercall (0x100000000 would be
 * HaltCpu, 0x100000001 Print if the hypervisor truncated RAX) and the
 * largest values. Then UD2 with a Print request in the registers: an
 * invalid opcode that is no hypercall must raise #UD in the guest, RIP at
 * it, also on AMD where the hypervisor intercepts #UD to find VMCALL
 * (contract 5). Last it shows it still runs and returns (HaltCpu 0). */
#include "runtime.h"

static const uint64_t unknown_numbers[] = {
	0x77, 0x100, 0x100000000ull, 0x100000001ull,
	0x8000000000000000ull, 0xffffffffffffffffull,
};

static const char bait[] = "hc_unknown: bait printed\n";
static const char ud2_bait[] = "hc_unknown: ud2 bait printed\n";

/* UD2 (0F 0B) with RAX = Print, so a hypervisor that takes every #UD for
 * a hypercall prints the bait instead of delivering #UD. */
static void ud2_is_no_hypercall(void)
{
	hc_word rax = HC_PRINT;
	fault_reset();
	__asm__ volatile("1: ud2\n2:\n\t" FIXUP_ENTRY(1b, 2b, 2b)
			 : "+a"(rax)
			 : "D"(ud2_bait),
			   "S"(sizeof(ud2_bait) - 1)
			 : "memory");
	printf("hc_unknown: ud2 vector=%d rip_offset=%lu\n", last_fault.vector,
	       last_fault.offset);
}

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
	ud2_is_no_hypercall();
	printf("hc_unknown: still running\n");
}
