/* hc_preserve: a hypercall preserves every register but RAX and advances
 * RIP past VMCALL (contract 5). Loads each of RBX..R15 (including the unused
 * argument registers RDX, R10, R9, R8, and RBP) with a distinct 64-bit
 * pattern, sets RFLAGS to a pattern with CF, PF, AF, ZF, SF, DF and OF,
 * executes VMCALL and prints every register that changed. Done for a
 * successful Print, an unknown hypercall and a Print that fails (E2BIG). */
#include "gpr_set.h"
#include "runtime.h"

/* Arithmetic flags plus DF (2.3 and vol. 1 section 3.4.3); IF and TF stay
 * clear. */
#define RFLAGS_PATTERN (EFLAGS_FIXED1 | EFLAGS_CF | 0x4u /* PF */ | \
			0x10u /* AF */ | EFLAGS_ZF | 0x80u /* SF */ | \
			EFLAGS_DF | EFLAGS_OF)
#define UNKNOWN_HYPERCALL 0x77u

static const char *const names[GPR_SET_GPRS] = {
	"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "r8",
	"r9",  "r10", "r11", "r12", "r13", "r14", "r15", "rsp",
};

static const char message[] = "hc_preserve: printed by the probed Print\n";

static uint64_t pattern(unsigned i)
{
	return 0x8000000000000000ull | ((uint64_t)(i + 1) << 48) |
	       (0x11111111ull * (i + 1));
}

static void run(const char *call, uint64_t nr, uint64_t rdi, uint64_t rsi)
{
	struct gpr_set in, out;
	uint64_t *in_regs = (uint64_t *)&in;
	for (unsigned i = 0; i < GPR_SET_GPRS; i++)
		in_regs[i] = pattern(i);
	in.rax = nr;
	in.rdi = rdi;
	in.rsi = rsi;
	in.rflags = RFLAGS_PATTERN;

	uint64_t rsp_before;
	vmcall_with_registers(&in, &out, &rsp_before);
	in.rsp = rsp_before;

	const uint64_t *out_regs = (const uint64_t *)&out;
	unsigned changed = 0;
	for (unsigned i = 1; i < GPR_SET_GPRS; i++) {
		if (in_regs[i] == out_regs[i])
			continue;
		changed++;
		printf("hc_preserve: call=%s changed reg=%s before=0x%llx "
		       "after=0x%llx\n",
		       call, names[i], (unsigned long long)in_regs[i],
		       (unsigned long long)out_regs[i]);
	}
	printf("hc_preserve: call=%s rax=%lld changed_count=%u\n", call,
	       (long long)out.rax, changed);
	printf("hc_preserve: call=%s rflags before=0x%llx after=0x%llx\n",
	       call, (unsigned long long)in.rflags,
	       (unsigned long long)out.rflags);
}

void probe_main(void)
{
	run("print", HC_PRINT, (uintptr_t)message, sizeof(message) - 1);
	run("unknown", UNKNOWN_HYPERCALL, (uintptr_t)message,
	    sizeof(message) - 1);
	run("print_e2big", HC_PRINT, (uintptr_t)message, HC_PRINT_MAX + 1);
}
