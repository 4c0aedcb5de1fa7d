/* The vendor hooks of core/vm.h on top of the VMCS. */
#include "vm.h"
#include "vmcs_fields.h"
#include "vmx.h"
#include "vmx_insn.h"
#include "vmx_msrs.h"
#include "x86.h"

uint64_t vmx_rip(struct vcpu *v)
{
	(void)v;
	return vmread(GUEST_RIP);
}

void vmx_skip_instruction(struct vcpu *v)
{
	(void)v;
	vmcs_write(GUEST_RIP, vmread(GUEST_RIP) + vmread(VM_EXIT_INSTRUCTION_LEN));
	/* Blocking by STI or MOV SS covers only the instruction after them:
	 * once that one is done, it is over (25.4.2, Table 25-3). */
	uint64_t blocking = vmread(GUEST_INTERRUPTIBILITY);
	if (blocking & (GUEST_INTR_BLOCKING_STI | GUEST_INTR_BLOCKING_MOV_SS))
		vmcs_write(GUEST_INTERRUPTIBILITY,
			   blocking & ~(uint64_t)(GUEST_INTR_BLOCKING_STI | GUEST_INTR_BLOCKING_MOV_SS));
}

uint64_t vmx_rflags(struct vcpu *v)
{
	(void)v;
	return vmread(GUEST_RFLAGS);
}

/* The guest's view of a masked control register (25.6.6): its own bits
 * where the mask is clear, the read shadow where it is set. */
static uint64_t guest_view(uint64_t real, uint64_t mask, uint64_t shadow)
{
	return (real & ~mask) | (shadow & mask);
}

void vmx_cpu_state(struct vcpu *v, struct guest_cpu_state *s)
{
	(void)v;
	s->cr0 = guest_view(vmread(GUEST_CR0), vmread(CR0_GUEST_HOST_MASK), vmread(CR0_READ_SHADOW));
	s->cr4 = guest_view(vmread(GUEST_CR4), vmread(CR4_GUEST_HOST_MASK), vmread(CR4_READ_SHADOW));
	s->cr3 = vmread(GUEST_CR3);
	s->efer = vmread(GUEST_IA32_EFER);
}

void vmx_inject_exception(struct vcpu *v, unsigned vector, bool has_error_code, uint32_t error_code)
{
	(void)v;
	uint32_t info = vector | INTR_INFO_TYPE_HW_EXCEPTION | INTR_INFO_VALID;
	if (has_error_code) {
		info |= INTR_INFO_DELIVER_ERROR_CODE;
		vmcs_write(VM_ENTRY_EXCEPTION_ERROR_CODE, error_code);
	}
	vmcs_write(VM_ENTRY_INTR_INFO, info);
}

uint64_t vmx_segment_base(struct vcpu *v, unsigned segment)
{
	/* In 64-bit mode only FS and GS have bases (SDM vol. 1 3.4.2.1); in
	 * compatibility mode (IA-32e mode, CS.L = 0) every base applies. */
	if (vmx_code_bits(v) == 64 && segment != SEGMENT_FS && segment != SEGMENT_GS)
		return 0;
	return vmread(GUEST_ES_BASE + 2 * segment);
}

void vmx_set_rip(struct vcpu *v, uint64_t rip)
{
	(void)v;
	vmcs_write(GUEST_RIP, rip);
}

/* CS access rights (25.4.1): bit 13 L (64-bit code), bit 14 D/B. */
#define SEGMENT_AR_L  (1u << 13)
#define SEGMENT_AR_DB (1u << 14)

unsigned vmx_code_bits(struct vcpu *v)
{
	(void)v;
	uint64_t ar = vmread(GUEST_CS_AR);
	if (vmread(VM_ENTRY_CONTROLS) & VM_ENTRY_IA32E_MODE_GUEST && ar & SEGMENT_AR_L)
		return 64;
	if (!(vmread(GUEST_CR0) & CR0_PE))
		return 16;
	return ar & SEGMENT_AR_DB ? 32 : 16;
}

static const uint64_t msr_field[] = {
	[VCPU_EFER] = GUEST_IA32_EFER,
	[VCPU_SYSENTER_CS] = GUEST_SYSENTER_CS,
	[VCPU_SYSENTER_ESP] = GUEST_SYSENTER_ESP,
	[VCPU_SYSENTER_EIP] = GUEST_SYSENTER_EIP,
	[VCPU_FS_BASE] = GUEST_FS_BASE,
	[VCPU_GS_BASE] = GUEST_GS_BASE,
};

/* No VMCS field holds these: the guest's values stay in the processor's
 * MSRs, which VM entries and exits leave alone (SDM vol. 3C 27.3, 28.5)
 * and the hypervisor never uses (no SYSCALL, no SWAPGS). */
static const uint32_t msr_in_processor[] = {
	[VCPU_KERNEL_GS_BASE] = MSR_IA32_KERNEL_GS_BASE,
	[VCPU_STAR] = MSR_IA32_STAR,
	[VCPU_LSTAR] = MSR_IA32_LSTAR,
	[VCPU_CSTAR] = MSR_IA32_CSTAR,
	[VCPU_SFMASK] = MSR_IA32_FMASK,
};

static bool in_processor(enum vcpu_msr_field f)
{
	return (unsigned)f < sizeof msr_in_processor / sizeof msr_in_processor[0] &&
	       msr_in_processor[f];
}

uint64_t vmx_read_field(struct vcpu *v, enum vcpu_msr_field f)
{
	(void)v;
	return in_processor(f) ? rdmsr(msr_in_processor[f]) : vmread(msr_field[f]);
}

void vmx_write_field(struct vcpu *v, enum vcpu_msr_field f, uint64_t value)
{
	(void)v;
	if (in_processor(f))
		wrmsr(msr_in_processor[f], value);
	else
		vmcs_write(msr_field[f], value);
}

void vmx_reset_processor_msrs(void)
{
	for (unsigned f = 0; f < sizeof msr_in_processor / sizeof msr_in_processor[0]; f++)
		if (msr_in_processor[f])
			wrmsr(msr_in_processor[f], 0);
}
