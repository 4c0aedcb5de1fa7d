/* The VMX layer: bring-up, VMCS, run loop, and the guest-state accessors
 * that fill vmx_arch (core/arch.h). */
#ifndef HV_VMX_H
#define HV_VMX_H
#include <stdint.h>
#include "arch.h"
#include "vm.h"
#include "vmx_caps.h"
#include "hv_options.h"

/* arch_ops.enable: turns VMX on; NULL or the name of the missing feature. */
const char *vmx_enable(struct arch_caps *caps);
/* arch_ops.guest_init: builds the VMCS for the guest's entry state and
 * breaks it as the self-test option asks. Ends the VM on failure. */
void vmx_guest_init(struct vm *vm, const struct guest_start *start, enum hv_inject inject);
/* The guest MSRs that live in the processor (vcpu_vmx.c) get their
 * power-up value 0 (SDM vol. 4 Table 2-2) before the guest's first entry. */
void vmx_reset_processor_msrs(void);
/* arch_ops.run: runs the vCPU until the VM ends (never returns). */
__attribute__((noreturn)) void vmx_run_loop(struct vcpu *v);
/* arch_ops.stage2_flush: INVEPT of the type the CPU offers (A.10). */
void vmx_stage2_flush(uint64_t eptp);

/* arch_ops guest-state members (vcpu_vmx.c). */
uint64_t vmx_rip(struct vcpu *v);
void vmx_set_rip(struct vcpu *v, uint64_t rip);
void vmx_skip_instruction(struct vcpu *v);
uint64_t vmx_rflags(struct vcpu *v);
void vmx_cpu_state(struct vcpu *v, struct guest_cpu_state *s);
uint64_t vmx_segment_base(struct vcpu *v, unsigned segment);
unsigned vmx_code_bits(struct vcpu *v);
uint64_t vmx_read_field(struct vcpu *v, enum vcpu_msr_field f);
void vmx_write_field(struct vcpu *v, enum vcpu_msr_field f, uint64_t value);
void vmx_set_cr(struct vcpu *v, unsigned cr, uint64_t value);
void vmx_cr_limits(struct vcpu *v, uint64_t *cr4_writable, unsigned *phys_addr_bits);
void vmx_inject_exception(struct vcpu *v, unsigned vector, bool has_error_code, uint32_t error_code);
/* Exception interception (vmx_exceptions.c; arch_ops members of the same names). */
void vmx_intercept_exception(struct vcpu *v, unsigned vector);
void vmx_set_cr2(struct vcpu *v, uint64_t cr2);

/* Interrupt delivery (vmx_events.c; arch_ops members of the same names). */
bool vmx_interruptible(struct vcpu *v);
void vmx_inject_interrupt(struct vcpu *v, unsigned vector);
void vmx_interrupt_window(struct vcpu *v, bool on);
void vmx_timer_deadline(struct vcpu *v, uint64_t tsc);
uint64_t vmx_guest_tsc(struct vcpu *v);
void vmx_advance_tsc(struct vcpu *v, uint64_t ticks);
/* After every exit: an event whose delivery the exit cut short is queued
 * again for the next entry (27.6.1.1, 25.9.3). */
void vmx_requeue_vectoring(void);

/* What vmx_enable read from the capability MSRs. */
const struct vmx_caps *vmx_current_caps(void);

int vmx_run(struct guest_regs *regs, int launched);   /* vmx_run.S */
void vmx_exit(void);                                  /* vmx_run.S: HOST_RIP */

/* VMCS access that ends the VM when the processor refuses a write. */
void vmcs_write(uint64_t field, uint64_t value);

#endif
