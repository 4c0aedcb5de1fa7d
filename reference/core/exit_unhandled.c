/* The one end of an exit the hypervisor does not handle: a FATAL line with
 * everything needed to debug it (Jailhouse style), then the contract's
 * "unhandled exit" outcome. */
#include "arch.h"
#include "console.h"
#include "format.h"
#include "vm_end.h"

void arch_exit_unhandled(struct vcpu *v, unsigned reason, uint64_t qual)
{
	static const char *const names[GPR_COUNT] = {
		"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
		"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15" };
	static char regs[GPR_COUNT * 24];
	unsigned n = 0;
	for (unsigned i = 0; i < GPR_COUNT; i++)
		n += (unsigned)format(regs + n, sizeof regs - n, " %s=0x%lx", names[i], v->regs.gpr[i]);
	struct guest_cpu_state s;
	vcpu_cpu_state(v, &s);
	uint64_t rip = vcpu_rip(v);
	hv_log("FATAL: unhandled exit reason=%u qual=0x%lx rip=0x%lx rflags=0x%lx cr0=0x%lx cr3=0x%lx cr4=0x%lx efer=0x%lx%s",
	       reason, qual, rip, vcpu_rflags(v), s.cr0, s.cr3, s.cr4, s.efer, regs);
	vm_end("unhandled exit reason=%u qual=0x%lx rip=0x%lx", reason, qual, rip);
}
