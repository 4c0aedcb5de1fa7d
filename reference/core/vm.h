/* The one VM and its one vCPU: the vendor-neutral state. */
#ifndef HV_VM_H
#define HV_VM_H
#include <stdbool.h>
#include <stdint.h>
#include "stage2.h"
#include "elf_guest.h"
#include "guest_paging.h"
#include "guest_regs.h"
#include "io_queue.h"
#include "x2apic.h"
#include "i8259.h"
#include "i8254.h"

struct pager_stats {
	uint64_t pages_populated;   /* guest RAM pages that have a host frame */
	uint64_t faults_served;     /* stage-2 faults the pager resolved */
};

struct vm {
	uint64_t ram_bytes;                 /* guest RAM is [0, ram_bytes) */
	struct stage2 stage2;              /* guest-physical -> host-physical (stage2.h) */
	const uint8_t *image;               /* the guest ELF, kept for lazy loading */
	struct elf_guest_image elf;         /* its load plan */
	struct pager_stats pager;
	uint64_t frames_baseline;           /* allocator's frames in use before the VM took any */
	uint64_t *populated;                /* bitmap of guest pages with a frame, for teardown */
	uint64_t rom_hpa, noexec_hpa;       /* frames of the two mapped windows */
	const struct gpa_range *windows;    /* device windows (contract section 2) */
	unsigned nwindows;
	struct io_queue queue;              /* port 0xBB */
	uint64_t msr_scratch;               /* MSR 0xABC */
	bool platform_pc;                   /* platform=pc: the devices of contract section 15 */
	struct pc_acpi_pm1 {                /* ACPI PM1 registers (core/pc_acpi.c) */
		uint16_t en;                /* PM1a_EN as written (its defined bits) */
		uint16_t cnt;               /* PM1a_CNT: BM_RLD and SLP_TYP as written */
	} pm1;
	/* platform=pc: the 8259A pair and the 8254 (core/pc_pic.c, core/pc_pit.c) */
	struct i8259_pair pic;
	struct i8254 pit;
	uint64_t pit_irq_checked;           /* 8254 input clock up to which IRQ 0 edges were raised */
	uint8_t port61;                     /* port 0x61 bits 3:0 as written */
};

struct vcpu {
	struct guest_regs regs;
	struct vm *vm;
	bool apic_on;          /* apic=x2apic (contract section 1) */
	struct x2apic apic;    /* its local APIC (contract section 11) */
	uint8_t cr8;           /* CR8 without the local APIC (contract 13) */
};

/* Guest state access: each calls the vendor layer chosen at boot (arch.h). */
uint64_t vcpu_rip(struct vcpu *v);
void vcpu_skip_instruction(struct vcpu *v);        /* past the instruction that exited */
uint64_t vcpu_rflags(struct vcpu *v);
void vcpu_cpu_state(struct vcpu *v, struct guest_cpu_state *s);   /* as the guest sees them */
void vcpu_inject_exception(struct vcpu *v, unsigned vector, bool has_error_code, uint32_t error_code);
uint64_t vcpu_segment_base(struct vcpu *v, unsigned segment);     /* 0 ES, 1 CS, 2 SS, 3 DS, 4 FS, 5 GS */
void vcpu_set_rip(struct vcpu *v, uint64_t rip);
/* Default operand/address size of the code segment: 16, 32 or 64. */
unsigned vcpu_code_bits(struct vcpu *v);

/* The guest's MSRs a vendor layer keeps in effect: the processor uses
 * them while the guest runs (SYSENTER, FS/GS-relative accesses, SWAPGS,
 * SYSCALL/SYSRET). */
enum vcpu_msr_field { VCPU_EFER, VCPU_SYSENTER_CS, VCPU_SYSENTER_ESP, VCPU_SYSENTER_EIP,
		      VCPU_FS_BASE, VCPU_GS_BASE, VCPU_KERNEL_GS_BASE,
		      VCPU_STAR, VCPU_LSTAR, VCPU_CSTAR, VCPU_SFMASK };
uint64_t vcpu_read_field(struct vcpu *v, enum vcpu_msr_field f);
void vcpu_write_field(struct vcpu *v, enum vcpu_msr_field f, uint64_t value);
/* Control registers (core/exit_cr.c): loads a checked CR0, CR3 or CR4 as
 * the guest sees it; the CR4 bits the guest may set, and MAXPHYADDR. */
void vcpu_set_cr(struct vcpu *v, unsigned cr, uint64_t value);
void vcpu_cr_limits(struct vcpu *v, uint64_t *cr4_writable, unsigned *phys_addr_bits);

/* Exit handlers of the core (one file each). */
void handle_hypercall(struct vcpu *v);
void handle_cpuid(struct vcpu *v);
void handle_rdmsr(struct vcpu *v);
void handle_wrmsr(struct vcpu *v);
struct io_exit;
void handle_io(struct vcpu *v, const struct io_exit *io);
/* Stage-2 fault: EPT violation or NPT fault (guest-physical gpa, the access as the contract names it). */
enum stage2_access { STAGE2_ACCESS_READ, STAGE2_ACCESS_WRITE, STAGE2_ACCESS_FETCH };
void handle_stage2_fault(struct vcpu *v, uint64_t gpa, enum stage2_access access);
/* HLT (contract sections 3 and 11): waits for an interrupt, or ends the VM
 * with "hlt rip=" when none can ever come. */
void handle_hlt(struct vcpu *v);
/* MOV to CR0/CR3/CR4 (reg: the source register, all 64 bits), CLTS, LMSW
 * (msw: its source operand) the processor left to the hypervisor (contract
 * 13): #GP(0) where the processor would raise it, else loaded, RIP past. */
void handle_mov_to_cr(struct vcpu *v, unsigned cr, uint64_t reg);
void handle_clts(struct vcpu *v);
void handle_lmsw(struct vcpu *v, uint16_t msw);
/* MOV to CR8 (reg: the source register) and MOV from CR8 into gpr, 64-bit
 * mode: the TPR with a local APIC, else the vCPU's own cr8 (contract 13). */
void handle_mov_to_cr8(struct vcpu *v, uint64_t reg);
void handle_mov_from_cr8(struct vcpu *v, unsigned gpr);

/* Exceptions (core/exit_exception.c, contract section 12). An event whose
 * delivery an exit interrupted (VMX IDT-vectoring information, SDM
 * 27.2.4; SVM EXITINTINFO, APM vol. 2 15.7.2), as the double-fault rules
 * need it (SDM vol. 3A 6.15 Table 6-5, APM vol. 2 8.2.9). */
struct interrupted_event {
	bool valid;
	bool hw_exception;   /* a processor exception; else an interrupt, NMI or INTn */
	unsigned vector;
};
/* exceptions_init: turns #PF interception on (intercept=pf), after the
 * layer's guest_init. handle_page_fault: an intercepted guest #PF at
 * linear address, with its error code and the event it interrupted (NULL
 * or !valid: none); delivers what the processor would have delivered.
 * exceptions_log: the report line, at the end of the VM. */
void exceptions_init(struct vcpu *v, bool intercept_pf);
void handle_page_fault(struct vcpu *v, uint32_t error_code, uint64_t address,
		       const struct interrupted_event *interrupted);
void exceptions_log(void);

/* Interrupts (core/irq.c, contract section 11). irq_init gives the vCPU
 * its local APIC when on. A vendor run loop calls irq_before_entry before
 * every entry: it brings the timer up to the guest's TSC, injects the
 * interrupt the guest can take or asks for the interrupt window, and sets
 * the next timer deadline. irq_rdmsr/irq_wrmsr handle the APIC's MSRs and
 * return false for any other. */
void irq_init(struct vcpu *v, bool on);
void irq_before_entry(struct vcpu *v);
/* For HLT: whether the guest has an interrupt controller at all; the vector
 * it would take now (-1: none), its sources brought up to the guest TSC;
 * the guest TSC of the next timer event (ARCH_NO_DEADLINE: none). */
bool irq_has_controller(struct vcpu *v);
int irq_pending(struct vcpu *v);
uint64_t irq_next_event(struct vcpu *v);
bool irq_rdmsr(struct vcpu *v, uint32_t msr);
bool irq_wrmsr(struct vcpu *v, uint32_t msr, uint64_t value);

#endif
