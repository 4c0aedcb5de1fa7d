/* CPUID (contract section 7): hide VMX and SVM, announce the hypervisor. */
#include "vm.h"
#include "arch.h"
#include "x86.h"
#include "vm_end.h"

#define CPUID_HV_BASE      0x40000000u   /* hypervisor leaves (vol. 2A Table 3-8 reserves them) */
#define CPUID_HV_LAST      0x4FFFFFFFu
#define CPUID_HV_MAX_LEAF  CPUID_HV_BASE
#define CPUID_HV_SIGNATURE "hvspecrefvmm"
#define CPUID_SVM_LEAF     0x8000000Au   /* SVM revision and features (AMD APM vol. 3 E.4.10) */
#define CPUID_1_EDX_APIC          (1u << 9)      /* on-chip APIC (vol. 2A CPUID, Table 3-11) */
#define CPUID_1_ECX_X2APIC        (1u << 21)     /* x2APIC (Table 3-10) */
#define CPUID_1_ECX_TSC_DEADLINE  (1u << 24)     /* TSC-deadline timer (Table 3-10) */
#define CPUID_1_EBX_APIC_ID       0xFF000000u    /* initial APIC ID, EBX[31:24] */

/* hvspec-solution begin: cpuid */
static uint32_t sig_word(unsigned i)
{
	const char *s = CPUID_HV_SIGNATURE;
	return (uint32_t)s[4 * i] | (uint32_t)s[4 * i + 1] << 8 |
	       (uint32_t)s[4 * i + 2] << 16 | (uint32_t)s[4 * i + 3] << 24;
}

void handle_cpuid(struct vcpu *v)
{
	uint32_t leaf = (uint32_t)v->regs.gpr[GPR_RAX], subleaf = (uint32_t)v->regs.gpr[GPR_RCX];
	struct cpuid_regs r = { 0, 0, 0, 0 };
	if (leaf == CPUID_HV_BASE) {
		r = (struct cpuid_regs){ CPUID_HV_MAX_LEAF, sig_word(0), sig_word(1), sig_word(2) };
	} else if (leaf > CPUID_HV_BASE && leaf <= CPUID_HV_LAST) {
		/* all zero */
	} else {
		r = cpuid(leaf, subleaf);
		/* The guest sees no SVM: its feature leaf reads zero (contract 7). */
		if (leaf == CPUID_SVM_LEAF && cpuid(CPUID_EXT_FEATURES, 0).ecx & CPUID_80000001_ECX_SVM)
			r = (struct cpuid_regs){ 0, 0, 0, 0 };
		else if (leaf == CPUID_FEATURES)
			r.ecx = (r.ecx & ~CPUID_1_ECX_VMX) | CPUID_1_ECX_HYPERVISOR;
		else if (leaf == CPUID_EXT_FEATURES)
			r.ecx &= ~CPUID_80000001_ECX_SVM;
	}
	if (leaf == CPUID_FEATURES && v->apic_on) {
		/* Exactly the local APIC of contract section 11: present,
		 * x2APIC, TSC-deadline timer, initial APIC ID 0. */
		r.edx |= CPUID_1_EDX_APIC;
		r.ecx |= CPUID_1_ECX_X2APIC | CPUID_1_ECX_TSC_DEADLINE;
		r.ebx &= ~CPUID_1_EBX_APIC_ID;
	}
	v->regs.gpr[GPR_RAX] = r.eax;
	v->regs.gpr[GPR_RBX] = r.ebx;
	v->regs.gpr[GPR_RCX] = r.ecx;
	v->regs.gpr[GPR_RDX] = r.edx;
	vcpu_skip_instruction(v);
}
/* hvspec-solution stub: cpuid
void handle_cpuid(struct vcpu *v)
{
	(void)v;
	vm_end_not_implemented("cpuid");
}
hvspec-solution end: cpuid */
