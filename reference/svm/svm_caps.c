/* The AMD rows of contract section 4 after "svm" (core/arch.c checks
 * that one): SVM not disabled by the firmware, nested paging (AMD APM
 * vol. 2 15.4 "Enabling SVM"). */
#include "svm.h"
#include "svm_cpu.h"
#include "x86.h"

const char *svm_caps_check(bool *nrips)
{
	/* SVMDIS can be cleared until the firmware sets LOCK (15.30.1). */
	uint64_t vm_cr = rdmsr(MSR_VM_CR);
	if (vm_cr & VM_CR_SVMDIS) {
		if (vm_cr & VM_CR_LOCK)
			return "svm disabled by firmware";
		wrmsr(MSR_VM_CR, vm_cr & ~VM_CR_SVMDIS);
	}
	if (cpuid(CPUID_EXT_MAX, 0).eax < CPUID_SVM_FEATURES)
		return "nested paging";
	uint32_t features = cpuid(CPUID_SVM_FEATURES, 0).edx;
	if (!(features & CPUID_8000000A_EDX_NP))
		return "nested paging";
	*nrips = features & CPUID_8000000A_EDX_NRIPS;
	return 0;
}
