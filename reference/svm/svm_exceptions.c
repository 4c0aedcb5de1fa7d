/* Exception interception on SVM (contract section 12): the exception
 * intercept vector (APM vol. 2 15.12), #VMEXIT 40h + vector with
 * EXITINFO1 the #PF error code and EXITINFO2 the faulting address
 * (15.12.15), the guest's CR2 in the VMCB. */
#include "svm.h"
#include "vmcb.h"
#include "x86.h"

void svm_intercept_exception(struct vcpu *v, unsigned vector)
{
	(void)v;
	VMCB_FIELD(svm_vmcb, uint32_t, VMCB_INTERCEPT_EXCEPTIONS) |= 1u << vector;
}

void svm_set_cr2(struct vcpu *v, uint64_t cr2)
{
	(void)v;
	VMCB_FIELD(svm_vmcb, uint64_t, VMCB_CR2) = cr2;
}

/* The event the exit cut short (EXITINTINFO, 15.7.2): type 3 is an
 * exception; 0 (INTR), 2 (NMI) and 4 (INTn) are benign in the double-fault
 * rules (8.2.9). */
void svm_exit_page_fault(struct vcpu *v, uint64_t info1)
{
	uint64_t info = VMCB_FIELD(svm_vmcb, uint64_t, VMCB_EXITINTINFO);
	struct interrupted_event first = {
		.valid = info & EVENT_VALID,
		.hw_exception = (info & EVENT_TYPE_MASK) == EVENT_TYPE_EXCEPTION,
		.vector = info & EVENT_VECTOR_MASK,
	};
	handle_page_fault(v, (uint32_t)info1, VMCB_FIELD(svm_vmcb, uint64_t, VMCB_EXITINFO2), &first);
}
