/* hc_halt: HaltCpu ends the VM with the code in RDI (contract 5; KeV
 * hypercall_exit exits with 0xcafe). The code is 0xcafe unless the guest
 * command line says `code=<n>` (decimal or 0x hex, full 64 bits), so cases
 * can check zero and all-ones codes and the report's "no leading zeroes"
 * format. It prints the code it passes before the call. If HaltCpu
 * returns, the probe says so and halts with 0xbad0.
 * With `insn=vmmcall` it makes its hypercalls with AMD's VMMCALL instead
 * of VMCALL (contract 5 accepts both on AMD): first a Print, whose result
 * and single line show that RIP moved past the 3-byte instruction, then
 * the HaltCpu. On Intel, VMMCALL raises #UD. */
#include "cmdline.h"
#include "runtime.h"

#define DEFAULT_CODE 0xcafeu
#define RETURNED_CODE 0xbad0u

static const char vmmcall_text[] = "hc_halt: printed through vmmcall\n";

/* VMMCALL (0F 01 D9, APM vol. 3) with the VMCALL ABI's first arguments. */
static hc_result vmmcall2(hc_word nr, hc_word a1, hc_word a2)
{
	hc_word rax = nr;
	__asm__ volatile("vmmcall" : "+a"(rax) : "D"(a1), "S"(a2) : "memory");
	return (hc_result)rax;
}

static int use_vmmcall(void)
{
	const char *text;
	size_t len;
	if (!cmdline_find(boot_cmdline(), "insn", &text, &len))
		return 0;
	if (len == 7 && memcmp(text, "vmmcall", 7) == 0)
		return 1;
	if (len == 6 && memcmp(text, "vmcall", 6) == 0)
		return 0;
	probe_error("cmdline insn= must be vmcall or vmmcall");
}

void probe_main(void)
{
	uint64_t code = DEFAULT_CODE;
	const char *text;
	size_t len;
	if (cmdline_find(boot_cmdline(), "code", &text, &len) &&
	    !cmdline_u64(boot_cmdline(), "code", &code))
		probe_error("cmdline code= is not a number");
	int vmmcall = use_vmmcall();
	if (vmmcall) {
		hc_result n = vmmcall2(HC_PRINT, (uintptr_t)vmmcall_text,
				       sizeof(vmmcall_text) - 1);
		printf("hc_halt: vmmcall print rax=%ld\n", n);
	}
	printf("hc_halt: halting code=0x%llx\n", (unsigned long long)code);
	hc_result r = vmmcall ? vmmcall2(HC_HALT_CPU, code, 0)
			      : hypercall3(HC_HALT_CPU, code, 0, 0);
	printf("hc_halt: returned rax=0x%lx\n", (unsigned long)r);
	hv_halt(RETURNED_CODE);
}
