/* The architecture interface: everything core/ needs from a virtualization
 * vendor layer (vmx/ for Intel VMX, svm/ for AMD SVM). core/ includes no
 * vendor header; a vendor layer includes this one and fills one const
 * struct arch_ops. One image carries every linked layer and arch_choose
 * picks one from CPUID at boot. */
#ifndef HV_ARCH_H
#define HV_ARCH_H
#include <stdbool.h>
#include <stdint.h>
#include "hv_options.h"
#include "stage2.h"
#include "vm.h"
#include "x86_segment.h"

/* The CPUID bits that choose the vendor layer. */
#define CPUID_VENDOR              0x0u          /* EBX, EDX, ECX: the vendor string */
#define CPUID_EXT_MAX             0x80000000u   /* EAX: highest extended leaf */
#define CPUID_EXT_FEATURES        0x80000001u
#define CPUID_80000001_ECX_SVM    (1u << 2)     /* AMD APM vol. 3 E.4.2 (Intel: reserved, 0) */

/* What a vendor layer found when it turned virtualization on: what core
 * needs to build the VM's stage-2 tables (stage2.h). */
struct arch_caps {
	enum stage2_format stage2_format;   /* STAGE2_FORMAT_EPT or STAGE2_FORMAT_NPT */
	uint64_t stage2_caps;               /* stage2_env.caps for that format (stage2.h) */
	unsigned phys_addr_bits;            /* MAXPHYADDR, CPUID.80000008H:EAX[7:0] */
};

/* The guest's first instruction and segments (contract section 2 for a
 * Multiboot2 guest, 16 for Linux): 32-bit protected mode, paging off,
 * RFLAGS 0x2; CS a flat 32-bit execute/read code segment and DS, ES, FS,
 * GS, SS flat 32-bit read/write data segments with these selectors; GDTR
 * as given (a Linux guest's selectors must index a GDT in guest RAM). */
struct guest_start {
	uint64_t rip;
	uint16_t code_selector, data_selector;
	uint64_t gdt_base;
	uint16_t gdt_limit;
};

/* One vendor layer. Every member is required. The vcpu_* functions of
 * vm.h call the chosen layer's members of the same name. */
struct arch_ops {
	const char *name;   /* "vmx", "svm": the vendor feature this layer drives */

	/* Checks the processor against contract section 4 in the contract's
	 * order and turns the extension on. Returns NULL, or the text the run
	 * ends with after "unsupported: " (e.g. "ept", "svm disabled by firmware"). */
	const char *(*enable)(struct arch_caps *caps);
	/* Builds the VMCS/VMCB of the guest: its entry state as start says
	 * (protected mode, paging off, flat segments), stage-2 root
	 * stage2_root(&vm->stage2), the intercepts the contract needs; then
	 * breaks it as the self-test option asks (HV_INJECT_NONE: untouched). */
	void (*guest_init)(struct vm *vm, const struct guest_start *start, enum hv_inject inject);
	/* Enters the guest and dispatches every exit: counts it
	 * (arch_count_exit), calls core's handle_* functions, and on an exit it
	 * does not handle calls arch_exit_unhandled. Never returns: the VM ends
	 * through vm_end. */
	__attribute__((noreturn)) void (*run)(struct vcpu *v);

	/* Guest register and control state (v->regs holds the GPRs; rip and
	 * rflags live in the VMCS/VMCB). */
	uint64_t (*rip)(struct vcpu *v);
	void (*set_rip)(struct vcpu *v, uint64_t rip);
	void (*skip_instruction)(struct vcpu *v);   /* past the instruction that exited */
	uint64_t (*rflags)(struct vcpu *v);
	void (*cpu_state)(struct vcpu *v, struct guest_cpu_state *s);   /* CR0/3/4, EFER as the guest sees them */
	uint64_t (*segment_base)(struct vcpu *v, unsigned segment);   /* 0 ES .. 5 GS (SEGMENT_*); 0 where 64-bit mode has none */
	unsigned (*code_bits)(struct vcpu *v);                         /* 16, 32 or 64 */
	uint64_t (*read_field)(struct vcpu *v, enum vcpu_msr_field f);
	void (*write_field)(struct vcpu *v, enum vcpu_msr_field f, uint64_t value);
	/* Control registers (contract 13, core/exit_cr.c): set_cr loads CR0, CR3
	 * or CR4 as the guest wrote it (core checked it): the guest reads it back,
	 * the layer keeps its own bits, EFER.LMA follows CR0.PG. cr_limits: the
	 * CR4 bits the guest may set, and MAXPHYADDR. */
	void (*set_cr)(struct vcpu *v, unsigned cr, uint64_t value);
	void (*cr_limits)(struct vcpu *v, uint64_t *cr4_writable, unsigned *phys_addr_bits);
	/* Delivers a hardware exception at the next entry. */
	void (*inject_exception)(struct vcpu *v, unsigned vector, bool has_error_code, uint32_t error_code);
	/* Exception interception (contract section 12, core/exit_exception.c):
	 * from now on guest exception vector exits (with intercept=pf: #PF,
	 * every error code); the layer hands such exits to core. */
	void (*intercept_exception)(struct vcpu *v, unsigned vector);
	/* The CR2 the guest has at the next entry (an intercepted #PF did not
	 * load it: SDM 27.1, APM vol. 2 15.12.15). */
	void (*set_cr2)(struct vcpu *v, uint64_t cr2);

	/* Interrupt delivery (contract section 11, spec/events-design.md).
	 * Core's irq_before_entry calls these before every entry; a layer
	 * whose guest never gets an interrupt source still fills them. */
	/* Whether the guest can take an external interrupt at the next entry:
	 * RFLAGS.IF is 1, no blocking by STI or by MOV SS, and no event is
	 * already queued for that entry (an exception, or a delivery an exit
	 * cut short, which the layer re-injects itself). */
	bool (*interruptible)(struct vcpu *v);
	/* Delivers external interrupt vector at the next entry; only called
	 * when interruptible. */
	void (*inject_interrupt)(struct vcpu *v, unsigned vector);
	/* on: exit at the first instruction boundary where the guest can take
	 * an interrupt (the interrupt window); off: no such exit. */
	void (*interrupt_window)(struct vcpu *v, bool on);
	/* Regain control once the guest's TSC reaches tsc, even from a guest
	 * that takes no other exit (ARCH_NO_DEADLINE: no such exit needed). */
	void (*timer_deadline)(struct vcpu *v, uint64_t tsc);
	/* The guest's TSC now, and moving it forward (time passing while the
	 * guest waits in HLT, without spending it). */
	uint64_t (*guest_tsc)(struct vcpu *v);
	void (*advance_tsc)(struct vcpu *v, uint64_t ticks);

	/* Invalidates the processor's cached stage-2 translations of the table
	 * rooted at root (stage2_root: an EPTP or an nCR3). */
	void (*stage2_flush)(uint64_t root);
	/* The accounting name of an exit reason ("cpuid", "io"...), NULL for none. */
	const char *(*exit_name)(unsigned reason);
};

/* timer_deadline: no deadline. */
#define ARCH_NO_DEADLINE UINT64_MAX

/* The layers the build linked: undefined (address NULL) when absent. */
extern const struct arch_ops vmx_arch __attribute__((weak));
extern const struct arch_ops svm_arch __attribute__((weak));

/* The layer chosen at boot (NULL before arch_choose succeeds). */
extern const struct arch_ops *arch;

/* Picks the layer from CPUID: VMX if CPUID.1:ECX.VMX, else SVM if
 * CPUID.80000001H:ECX.SVM (and svm_arch is linked). Returns NULL, or the
 * feature the run ends "unsupported: " with: "svm" on an AuthenticAMD
 * processor without SVM, "vmx" otherwise. */
const char *arch_choose(void);

/* Exit accounting ("[hv] exits: total=N name=N ...", contract section 3):
 * the dispatcher counts every exit; vm_end logs the line. Reasons at or
 * above ARCH_EXIT_REASONS count in the total only. */
#define ARCH_EXIT_REASONS 0x404u   /* SVM exit codes reach 0x403 (APM vol. 2 appendix C); VMX's are below 80 */
void arch_count_exit(unsigned reason);
void arch_log_exit_counts(void);

/* What a vendor layer's exit handler tells its dispatcher. A handler
 * either resumes the guest, ends the VM itself with one of the contract's
 * documented outcomes (halted, hlt, triple fault, ept violation, mmio...),
 * or says it cannot handle the exit: then the dispatcher, and only it,
 * ends the VM through arch_exit_unhandled. Core's handle_* functions
 * handle every exit they are given, so they return nothing. */
enum exit_status {
	EXIT_RESUME,
	EXIT_UNHANDLED,
};

/* The one end for an exit the hypervisor does not handle: a FATAL line
 * with the guest's registers, then "unhandled exit reason=..." (contract
 * section 3). Only a vendor dispatcher calls it. */
__attribute__((noreturn)) void arch_exit_unhandled(struct vcpu *v, unsigned reason, uint64_t qual);

#endif
