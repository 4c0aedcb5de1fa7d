/* The SVM layer (AMD APM vol. 2 chapter 15): what its files share. Core
 * sees only svm_arch (svm_arch.c, core/arch.h). */
#ifndef HV_SVM_H
#define HV_SVM_H
#include <stdbool.h>
#include <stdint.h>
#include "arch.h"

/* Contract 4's AMD rows in order; NULL, or the missing feature: "svm
 * disabled by firmware", "nested paging" (arch_choose checked "svm"). */
const char *svm_caps_check(bool *nrips);

/* arch_ops members (svm.c: bring-up and the VMCB). */
const char *svm_enable(struct arch_caps *caps);
void svm_guest_init(struct vm *vm, const struct guest_start *start, enum hv_inject inject);
void svm_stage2_flush(uint64_t root);
/* arch_ops members (svm_exit.c: the run loop). */
__attribute__((noreturn)) void svm_run_loop(struct vcpu *v);
void svm_skip_instruction(struct vcpu *v);
const char *svm_exit_name(unsigned code);
/* arch_ops members (vcpu_svm.c: guest state in the VMCB). */
uint64_t svm_rip(struct vcpu *v);
void svm_set_rip(struct vcpu *v, uint64_t rip);
uint64_t svm_rflags(struct vcpu *v);
void svm_cpu_state(struct vcpu *v, struct guest_cpu_state *s);
uint64_t svm_segment_base(struct vcpu *v, unsigned segment);
unsigned svm_code_bits(struct vcpu *v);
uint64_t svm_read_field(struct vcpu *v, enum vcpu_msr_field f);
void svm_write_field(struct vcpu *v, enum vcpu_msr_field f, uint64_t value);
void svm_inject_exception(struct vcpu *v, unsigned vector, bool has_error_code, uint32_t error_code);
/* Exception interception (svm_exceptions.c; arch_ops members of the same names).
 * svm_exit_page_fault: #VMEXIT(#PF), EXITINFO1 the error code. */
void svm_intercept_exception(struct vcpu *v, unsigned vector);
void svm_set_cr2(struct vcpu *v, uint64_t cr2);
void svm_exit_page_fault(struct vcpu *v, uint64_t info1);

/* arch_ops members (svm_events.c: interrupt delivery). */
bool svm_interruptible(struct vcpu *v);
void svm_inject_interrupt(struct vcpu *v, unsigned vector);
void svm_interrupt_window(struct vcpu *v, bool on);
/* #VMEXIT(#DB): true when it ends the layer's own single step (svm_events.c). */
bool svm_step_done(void);
void svm_timer_deadline(struct vcpu *v, uint64_t tsc);   /* svm_host_timer.c */
void svm_host_interrupt(void);                           /* svm_host_timer.c: #VMEXIT(INTR) */
uint64_t svm_guest_tsc(struct vcpu *v);
void svm_advance_tsc(struct vcpu *v, uint64_t ticks);

/* The one VMCB, identity mapped: its address is its physical address. */
extern uint8_t *svm_vmcb;
/* Where VMSAVE keeps the host's FS, GS, TR, LDTR and SYSCALL/SYSENTER
 * MSRs while the guest's are loaded (APM 15.5.2). */
extern uint64_t svm_host_save_pa;
/* CPUID 8000_000Ah EDX.NRIPS: the VMCB's next_rip is valid after
 * instruction intercepts; without it (QEMU TCG) lengths are decoded. */
extern bool svm_nrips;

void svm_run(struct guest_regs *regs, uint64_t vmcb_pa, uint64_t host_save_pa);   /* svm_run.S */

/* svm_insn.c: length of the instruction at the guest's RIP whose opcode
 * (after any legacy and REX prefixes) is opcode[0..n); 0 when the bytes
 * there are something else, SVM_INSN_UNREADABLE when they do not
 * translate through the guest's paging. */
#define SVM_INSN_UNREADABLE (-1)
int svm_insn_length(struct vcpu *v, const uint8_t *opcode, unsigned n);
/* For the INS/OUTS at the guest's RIP: the segment (enum x86_segment) it
 * reads through (its segment-override prefix, else DS) and its address
 * size (16, 32, 64). */
void svm_insn_string_io(struct vcpu *v, unsigned *segment, unsigned *addr_bits);
/* Up to 15 bytes at the guest's CS:RIP into bytes; how many (0: none translate). */
unsigned svm_insn_fetch(struct vcpu *v, uint8_t *bytes);

/* svm_cr.c: control registers (contract 13). arch_ops set_cr, cr_limits;
 * svm_cr_write handles the CR0, CR3, CR4 and CR8 write and CR8 read
 * intercepts and sets
 * next_rip to the address after the instruction; false when it cannot be
 * decoded. */
void svm_set_cr(struct vcpu *v, unsigned cr, uint64_t value);
void svm_cr_limits(struct vcpu *v, uint64_t *cr4_writable, unsigned *phys_addr_bits);
bool svm_cr_write(struct vcpu *v, uint64_t *next_rip);
extern unsigned svm_phys_addr_bits;   /* MAXPHYADDR (svm.c) */

#endif
