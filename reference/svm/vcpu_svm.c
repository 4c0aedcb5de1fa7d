/* Guest state for core (arch_ops members) on top of the VMCB. */
#include "svm.h"
#include "svm_cpu.h"
#include "vmcb.h"
#include "x86.h"

uint64_t svm_rip(struct vcpu *v)
{
	(void)v;
	return VMCB_FIELD(svm_vmcb, uint64_t, VMCB_RIP);
}

void svm_set_rip(struct vcpu *v, uint64_t rip)
{
	(void)v;
	VMCB_FIELD(svm_vmcb, uint64_t, VMCB_RIP) = rip;
}

uint64_t svm_rflags(struct vcpu *v)
{
	(void)v;
	return VMCB_FIELD(svm_vmcb, uint64_t, VMCB_RFLAGS);
}

/* The guest reads EFER.SVME clear: it is set only for VMRUN's sake. */
static uint64_t guest_efer(void)
{
	return VMCB_FIELD(svm_vmcb, uint64_t, VMCB_EFER) & ~EFER_SVME;
}

void svm_cpu_state(struct vcpu *v, struct guest_cpu_state *s)
{
	(void)v;
	s->cr0 = VMCB_FIELD(svm_vmcb, uint64_t, VMCB_CR0);
	s->cr3 = VMCB_FIELD(svm_vmcb, uint64_t, VMCB_CR3);
	s->cr4 = VMCB_FIELD(svm_vmcb, uint64_t, VMCB_CR4);
	s->efer = guest_efer();
}

void svm_inject_exception(struct vcpu *v, unsigned vector, bool has_error_code, uint32_t error_code)
{
	(void)v;
	uint64_t event = (vector & EVENT_VECTOR_MASK) | EVENT_TYPE_EXCEPTION | EVENT_VALID;
	if (has_error_code)
		event |= EVENT_ERROR_VALID | (uint64_t)error_code << EVENT_ERROR_SHIFT;
	VMCB_FIELD(svm_vmcb, uint64_t, VMCB_EVENTINJ) = event;
}

static bool long_mode(void)
{
	return VMCB_FIELD(svm_vmcb, uint64_t, VMCB_EFER) & EFER_LMA;
}

/* 0 ES, 1 CS, 2 SS, 3 DS, 4 FS, 5 GS: the VMCB keeps them in this order. */
static unsigned segment_offset(unsigned segment)
{
	return VMCB_ES + segment * VMCB_SEG_SIZE;
}

uint64_t svm_segment_base(struct vcpu *v, unsigned segment)
{
	/* In 64-bit mode only FS and GS have bases (APM vol. 2 4.5.3); in
	 * compatibility mode (long mode, CS.L = 0) every base applies. */
	if (svm_code_bits(v) == 64 && segment != SEGMENT_FS && segment != SEGMENT_GS)
		return 0;
	return VMCB_FIELD(svm_vmcb, uint64_t, segment_offset(segment) + VMCB_SEG_BASE);
}

unsigned svm_code_bits(struct vcpu *v)
{
	(void)v;
	uint16_t attrib = VMCB_FIELD(svm_vmcb, uint16_t, VMCB_CS + VMCB_SEG_ATTRIB);
	if (long_mode() && attrib & SEG_ATTRIB_L)
		return 64;
	if (!(VMCB_FIELD(svm_vmcb, uint64_t, VMCB_CR0) & CR0_PE))
		return 16;
	return attrib & SEG_ATTRIB_DB ? 32 : 16;
}

static const unsigned msr_field[] = {
	[VCPU_EFER] = VMCB_EFER,
	[VCPU_SYSENTER_CS] = VMCB_SYSENTER_CS,
	[VCPU_SYSENTER_ESP] = VMCB_SYSENTER_ESP,
	[VCPU_SYSENTER_EIP] = VMCB_SYSENTER_EIP,
	[VCPU_FS_BASE] = VMCB_FS + VMCB_SEG_BASE,
	[VCPU_GS_BASE] = VMCB_GS + VMCB_SEG_BASE,
	[VCPU_KERNEL_GS_BASE] = VMCB_KERNEL_GS_BASE,
	[VCPU_STAR] = VMCB_STAR,
	[VCPU_LSTAR] = VMCB_LSTAR,
	[VCPU_CSTAR] = VMCB_CSTAR,
	[VCPU_SFMASK] = VMCB_SFMASK,
};

uint64_t svm_read_field(struct vcpu *v, enum vcpu_msr_field f)
{
	(void)v;
	if (f == VCPU_EFER)
		return guest_efer();
	return VMCB_FIELD(svm_vmcb, uint64_t, msr_field[f]);
}

void svm_write_field(struct vcpu *v, enum vcpu_msr_field f, uint64_t value)
{
	(void)v;
	if (f == VCPU_EFER)
		value |= EFER_SVME;
	VMCB_FIELD(svm_vmcb, uint64_t, msr_field[f]) = value;
}
