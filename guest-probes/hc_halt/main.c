/* hc_halt: HaltCpu ends the VM with the code in RDI (contract 5; KeV
 * hypercall_exit exits with 0xcafe). The code is 0xcafe unless the guest
 * command line says `code=<n>` (decimal or 0x hex, full 64 bits), so cases
 * can check zero and all-ones codes and the report's "no leading zeroes"
 * format. It prints the code it passes before the call. If HaltCpu
 * returns, the probe says so and halts with 0xbad0. */
#include "cmdline.h"
#include "runtime.h"

#define DEFAULT_CODE 0xcafeu
#define RETURNED_CODE 0xbad0u

void probe_main(void)
{
	uint64_t code = DEFAULT_CODE;
	const char *text;
	size_t len;
	if (cmdline_find(boot_cmdline(), "code", &text, &len) &&
	    !cmdline_u64(boot_cmdline(), "code", &code))
		probe_error("cmdline code= is not a number");
	printf("hc_halt: halting code=0x%llx\n", (unsigned long long)code);
	hc_result r = hypercall3(HC_HALT_CPU, code, 0, 0);
	printf("hc_halt: returned rax=0x%lx\n", (unsigned long)r);
	hv_halt(RETURNED_CODE);
}
