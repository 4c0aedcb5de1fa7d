/* The VMX backend: bring-up, VMCS, run loop. */
#ifndef HV_VMX_H
#define HV_VMX_H
#include <stdint.h>
#include "vm.h"
#include "vmx_caps.h"
#include "hv_options.h"

/* Turns VMX on; returns NULL or the name of the missing feature. */
const char *vmx_enable(struct vmx_caps *caps);
/* Builds the VMCS for the guest's Multiboot2 entry state. Ends the VM on failure. */
void vmx_vmcs_init(const struct vmx_caps *caps, struct vm *vm, uint64_t entry);
/* Breaks the VMCS as the self-test option asks (no-op for NONE). */
void vmx_vmcs_break(enum hv_inject what);
/* Runs the vCPU until the VM ends (never returns). */
__attribute__((noreturn)) void vmx_run_loop(struct vcpu *v);

int vmx_run(struct guest_regs *regs, int launched);   /* vmx_run.S */
void vmx_exit(void);                                  /* vmx_run.S: HOST_RIP */

/* VMCS access that ends the VM when the processor refuses a write. */
void vmcs_write(uint64_t field, uint64_t value);

#endif
