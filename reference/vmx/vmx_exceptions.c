/* Exception interception on VMX (contract section 12): the exception
 * bitmap (SDM 25.6.3), exit reason 0 with the VM-exit interruption
 * information (28.2.2), and the guest's CR2, which VMX does not switch:
 * the guest runs with the processor's own CR2, and the host never faults. */
#include "exit_table.h"
#include "vmx.h"
#include "vmcs_fields.h"
#include "vmx_insn.h"
#include "x86.h"

#define INTR_INFO_VECTOR_MASK 0xFFu   /* interruption information bits 7:0 (Table 25-19) */

void vmx_intercept_exception(struct vcpu *v, unsigned vector)
{
	(void)v;
	/* With mask 0 and match 0 every #PF error code matches, so bit 14
	 * alone decides: every #PF exits (25.2). */
	if (vector == X86_EXC_PF) {
		vmcs_write(PAGE_FAULT_ERROR_CODE_MASK, 0);
		vmcs_write(PAGE_FAULT_ERROR_CODE_MATCH, 0);
	}
	vmcs_write(EXCEPTION_BITMAP, vmread(EXCEPTION_BITMAP) | 1u << vector);
}

void vmx_set_cr2(struct vcpu *v, uint64_t cr2)
{
	(void)v;
	__asm__ volatile("mov %0, %%cr2" : : "r"(cr2));
}

/* The event an exit cut short (IDT-vectoring information, 27.2.4): types 3
 * (hardware exception) and 6 (INT3, INTO) are exceptions; 0 (external
 * interrupt), 2 (NMI), 4 (INTn) and 5 (INT1) are benign in Table 6-4. */
static struct interrupted_event vectoring_event(void)
{
	uint64_t info = vmread(IDT_VECTORING_INFO);
	uint64_t type = info & INTR_INFO_TYPE_MASK;
	return (struct interrupted_event){
		.valid = info & INTR_INFO_VALID,
		.hw_exception = type == INTR_INFO_TYPE_HW_EXCEPTION || type == INTR_INFO_TYPE_SOFT_EXC,
		.vector = info & INTR_INFO_VECTOR_MASK,
	};
}

/* Exit reason 0: only the intercepted #PF comes here; the qualification
 * is its linear address (28.2.1). */
enum exit_status vmexit_exception(struct vcpu *v, uint64_t q)
{
	uint64_t info = vmread(VM_EXIT_INTR_INFO);
	if ((info & INTR_INFO_VECTOR_MASK) != X86_EXC_PF ||
	    (info & INTR_INFO_TYPE_MASK) != INTR_INFO_TYPE_HW_EXCEPTION)
		return EXIT_UNHANDLED;   /* LCOV_EXCL_LINE: no other vector is in the bitmap, and NMIs do not exit (pin-based control 3 off) */
	struct interrupted_event first = vectoring_event();
	handle_page_fault(v, (uint32_t)vmread(VM_EXIT_INTR_ERROR_CODE), q, &first);
	return EXIT_RESUME;
}
