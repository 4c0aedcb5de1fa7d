/* The VM-exit table and the handlers it names (exit_handlers.c). */
#ifndef HV_EXIT_TABLE_H
#define HV_EXIT_TABLE_H
#include <stdint.h>
#include "arch.h"
#include "vm.h"
#include "vmcs_fields.h"

struct exit_handler {
	enum exit_status (*handle)(struct vcpu *v, uint64_t qualification);
	const char *name;
};

extern const struct exit_handler exit_table[EXIT_REASON_COUNT];
/* The table's name for a reason, or NULL when it has none. */
const char *exit_reason_name(unsigned reason);

enum exit_status vmexit_exception(struct vcpu *v, uint64_t q);   /* vmx_exceptions.c */
enum exit_status vmexit_triple_fault(struct vcpu *v, uint64_t q);
enum exit_status vmexit_cpuid(struct vcpu *v, uint64_t q);
enum exit_status vmexit_hlt(struct vcpu *v, uint64_t q);
enum exit_status vmexit_interrupt_window(struct vcpu *v, uint64_t q);
enum exit_status vmexit_preemption_timer(struct vcpu *v, uint64_t q);
enum exit_status vmexit_vmcall(struct vcpu *v, uint64_t q);
enum exit_status vmexit_cr_access(struct vcpu *v, uint64_t q);
enum exit_status vmexit_io(struct vcpu *v, uint64_t q);
enum exit_status vmexit_rdmsr(struct vcpu *v, uint64_t q);
enum exit_status vmexit_wrmsr(struct vcpu *v, uint64_t q);
enum exit_status vmexit_ept_violation(struct vcpu *v, uint64_t q);
enum exit_status vmexit_ept_misconfig(struct vcpu *v, uint64_t q);

#endif
