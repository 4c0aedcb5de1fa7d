/* The vendor layer chosen at boot, and the vcpu_* functions of vm.h that
 * forward to it. */
#include "arch.h"
#include "x86.h"

const struct arch_ops *arch;

/* CPUID.0: "GenuineIntel" / "AuthenticAMD" in EBX, EDX, ECX (SDM vol. 2A
 * CPUID; APM vol. 3 E.3.1). Only AMD's is needed. */
#define CPUID_VENDOR_AMD_EBX 0x68747541u   /* "Auth" */
#define CPUID_VENDOR_AMD_EDX 0x69746E65u   /* "enti" */
#define CPUID_VENDOR_AMD_ECX 0x444D4163u   /* "cAMD" */

static bool vendor_is_amd(void)
{
	struct cpuid_regs r = cpuid(CPUID_VENDOR, 0);
	return r.ebx == CPUID_VENDOR_AMD_EBX && r.edx == CPUID_VENDOR_AMD_EDX &&
	       r.ecx == CPUID_VENDOR_AMD_ECX;
}

static bool has_svm(void)
{
	return cpuid(CPUID_EXT_MAX, 0).eax >= CPUID_EXT_FEATURES &&
	       (cpuid(CPUID_EXT_FEATURES, 0).ecx & CPUID_80000001_ECX_SVM);
}

const char *arch_choose(void)
{
	if (&vmx_arch && cpuid(CPUID_FEATURES, 0).ecx & CPUID_1_ECX_VMX)
		arch = &vmx_arch;
	else if (&svm_arch && has_svm())
		arch = &svm_arch;
	else if (vendor_is_amd() && !has_svm())
		return "svm";
	else
		return "vmx";   /* also an AMD processor with SVM when no svm layer is linked */
	return 0;
}

uint64_t vcpu_rip(struct vcpu *v) { return arch->rip(v); }
void vcpu_set_rip(struct vcpu *v, uint64_t rip) { arch->set_rip(v, rip); }
void vcpu_skip_instruction(struct vcpu *v) { arch->skip_instruction(v); }
uint64_t vcpu_rflags(struct vcpu *v) { return arch->rflags(v); }
void vcpu_cpu_state(struct vcpu *v, struct guest_cpu_state *s) { arch->cpu_state(v, s); }
uint64_t vcpu_segment_base(struct vcpu *v, unsigned segment) { return arch->segment_base(v, segment); }
unsigned vcpu_code_bits(struct vcpu *v) { return arch->code_bits(v); }
uint64_t vcpu_read_field(struct vcpu *v, enum vcpu_msr_field f) { return arch->read_field(v, f); }
void vcpu_write_field(struct vcpu *v, enum vcpu_msr_field f, uint64_t value) { arch->write_field(v, f, value); }
void vcpu_set_cr(struct vcpu *v, unsigned cr, uint64_t value) { arch->set_cr(v, cr, value); }
void vcpu_cr_limits(struct vcpu *v, uint64_t *cr4_writable, unsigned *phys_addr_bits) { arch->cr_limits(v, cr4_writable, phys_addr_bits); }

void vcpu_inject_exception(struct vcpu *v, unsigned vector, bool has_error_code, uint32_t error_code)
{
	arch->inject_exception(v, vector, has_error_code, error_code);
}
