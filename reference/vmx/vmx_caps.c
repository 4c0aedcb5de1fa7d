#include "vmx_caps.h"
#include "vmx_msrs.h"
#include "stage2.h"
#include "vmcs_fields.h"
#include "x86.h"

#define CPUID_EXT_MAX          0x80000000u
#define CPUID_PHYS_BITS_MASK   0xFFu          /* CPUID.80000008H:EAX[7:0] */
#define PHYS_BITS_DEFAULT      36u            /* when the leaf is absent (vol. 3 4.1.4) */

int vmx_adjust_controls(uint64_t cap_msr, uint32_t wanted, uint32_t *out)
{
	uint32_t must_be_one = (uint32_t)cap_msr;
	uint32_t may_be_one = (uint32_t)(cap_msr >> 32);
	if (wanted & ~may_be_one)
		return -1;
	*out = (wanted | must_be_one) & may_be_one;
	return 0;
}

static int allowed1(uint64_t cap_msr, uint32_t bit)
{
	return (uint32_t)(cap_msr >> 32) & bit ? 1 : 0;
}

const char *vmx_caps_probe(struct vmx_caps *c)
{
	if (!(cpuid(CPUID_FEATURES, 0).ecx & CPUID_1_ECX_VMX))
		return "vmx";

	uint64_t fc = rdmsr(MSR_IA32_FEATURE_CONTROL);
	if (!(fc & FEATURE_CONTROL_LOCK))
		wrmsr(MSR_IA32_FEATURE_CONTROL, fc | FEATURE_CONTROL_VMX_OUTSIDE_SMX | FEATURE_CONTROL_LOCK);
	else if (!(fc & FEATURE_CONTROL_VMX_OUTSIDE_SMX))
		return "vmx disabled by firmware";

	uint64_t basic = rdmsr(MSR_IA32_VMX_BASIC);
	c->revision = (uint32_t)(basic & VMX_BASIC_REVISION_MASK);
	int true_ctls = (basic & VMX_BASIC_TRUE_CTLS) != 0;
	c->pin = rdmsr(true_ctls ? MSR_IA32_VMX_TRUE_PINBASED_CTLS : MSR_IA32_VMX_PINBASED_CTLS);
	c->proc = rdmsr(true_ctls ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS : MSR_IA32_VMX_PROCBASED_CTLS);
	c->exit = rdmsr(true_ctls ? MSR_IA32_VMX_TRUE_EXIT_CTLS : MSR_IA32_VMX_EXIT_CTLS);
	c->entry = rdmsr(true_ctls ? MSR_IA32_VMX_TRUE_ENTRY_CTLS : MSR_IA32_VMX_ENTRY_CTLS);
	c->misc = rdmsr(MSR_IA32_VMX_MISC);
	c->cr0_fixed0 = rdmsr(MSR_IA32_VMX_CR0_FIXED0);
	c->cr0_fixed1 = rdmsr(MSR_IA32_VMX_CR0_FIXED1);
	c->cr4_fixed0 = rdmsr(MSR_IA32_VMX_CR4_FIXED0);
	c->cr4_fixed1 = rdmsr(MSR_IA32_VMX_CR4_FIXED1);

	/* Each MSR is read only after the bit that says it exists (A.3.3, A.10). */
	if (!allowed1(c->proc, CPU_BASED_ACTIVATE_SECONDARY))
		return "secondary controls";
	c->proc2 = rdmsr(MSR_IA32_VMX_PROCBASED_CTLS2);
	if (!allowed1(c->proc2, SECONDARY_ENABLE_EPT))
		return "ept";
	if (!allowed1(c->proc2, SECONDARY_UNRESTRICTED_GUEST))
		return "unrestricted guest";
	c->ept_vpid = rdmsr(MSR_IA32_VMX_EPT_VPID_CAP);
	if (!(c->ept_vpid & EPT_CAP_WALK_4))
		return "ept 4-level walk";
	if (!(c->ept_vpid & EPT_CAP_WB))
		return "ept write-back";
	if (!(c->ept_vpid & EPT_CAP_2M))
		return "ept 2mb pages";
	if (!allowed1(c->exit, VM_EXIT_HOST_ADDR_SPACE_SIZE) || !allowed1(c->entry, VM_ENTRY_IA32E_MODE_GUEST))
		return "long mode";

	c->phys_addr_bits = PHYS_BITS_DEFAULT;
	if (cpuid(CPUID_EXT_MAX, 0).eax >= CPUID_EXT_ADDR_SIZES)
		c->phys_addr_bits = cpuid(CPUID_EXT_ADDR_SIZES, 0).eax & CPUID_PHYS_BITS_MASK;
	return 0;
}
