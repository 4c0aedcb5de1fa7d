/* RDMSR/WRMSR (contract section 8): a documented set is emulated, any
 * other MSR raises #GP(0) in the guest. */
#include "vm.h"
#include "vm_end.h"
#include "x86.h"

#define MSR_SYSENTER_CS     0x174        /* SDM vol. 4 Table 2-2 */
#define MSR_SYSENTER_ESP    0x175
#define MSR_SYSENTER_EIP    0x176
#define MSR_EFER            0xC0000080
#define MSR_FS_BASE         0xC0000100
#define MSR_GS_BASE         0xC0000101
#define MSR_KERNEL_GS_BASE  0xC0000102
#define MSR_STAR            0xC0000081   /* SDM vol. 4 Table 2-2; 5.8.8 SYSCALL/SYSRET */
#define MSR_LSTAR           0xC0000082
#define MSR_CSTAR           0xC0000083
#define MSR_SFMASK          0xC0000084
#define MSR_MCG_CAP         0x179        /* SDM vol. 3B 16.3.1.1, read-only */
#define MSR_MCG_STATUS      0x17A        /* 16.3.1.2: writing non-zero raises #GP */
#define MSR_HVSPEC_SCRATCH  0xABC        /* KeV's test MSR */
#define MSR_MISC_ENABLE     0x1A0        /* SDM vol. 4 Table 2-2, IA32_MISC_ENABLE */
#define MISC_ENABLE_BTS_UNAVAILABLE  (1ull << 11)
#define MISC_ENABLE_PEBS_UNAVAILABLE (1ull << 12)
/* What the guest reads: no branch trace store, no PEBS; XD Bit Disable
 * (bit 34) and Limit CPUID Maxval (bit 22) clear. */
#define MISC_ENABLE_GUEST   (MISC_ENABLE_BTS_UNAVAILABLE | MISC_ENABLE_PEBS_UNAVAILABLE)
#define EFER_WRITABLE       (EFER_SCE | EFER_LME | EFER_NXE)

/* Points at the stored value, or an emulated VMCS field via *field; NULL
 * and field < 0 when the MSR is not emulated. */
static uint64_t *msr_slot(struct vcpu *v, uint32_t msr, int *field)
{
	*field = -1;
	switch (msr) {
	/* hvspec-solution begin: msr */
	case MSR_SYSENTER_CS:    *field = VCPU_SYSENTER_CS; return 0;
	case MSR_SYSENTER_ESP:   *field = VCPU_SYSENTER_ESP; return 0;
	case MSR_SYSENTER_EIP:   *field = VCPU_SYSENTER_EIP; return 0;
	/* hvspec-solution stub: msr
	case MSR_SYSENTER_CS:
	case MSR_SYSENTER_ESP:
	case MSR_SYSENTER_EIP:
		vm_end_not_implemented("msr");
	hvspec-solution end: msr */
	case MSR_EFER:           *field = VCPU_EFER; return 0;
	/* hvspec-solution begin: msr */
	case MSR_FS_BASE:        *field = VCPU_FS_BASE; return 0;
	case MSR_GS_BASE:        *field = VCPU_GS_BASE; return 0;
	case MSR_KERNEL_GS_BASE: *field = VCPU_KERNEL_GS_BASE; return 0;
	case MSR_HVSPEC_SCRATCH: return &v->vm->msr_scratch;
	/* hvspec-solution stub: msr
	case MSR_FS_BASE:
	case MSR_GS_BASE:
	case MSR_KERNEL_GS_BASE:
	case MSR_HVSPEC_SCRATCH:
		(void)v;
		vm_end_not_implemented("msr");
	hvspec-solution end: msr */
	}
	/* platform=pc (contract 15): what a generic 64-bit OS cannot run
	 * without, SYSCALL/SYSRET's MSRs in effect. */
	if (!v->vm->platform_pc)
		return 0;
	switch (msr) {
	case MSR_STAR:           *field = VCPU_STAR; return 0;
	case MSR_LSTAR:          *field = VCPU_LSTAR; return 0;
	case MSR_CSTAR:          *field = VCPU_CSTAR; return 0;
	case MSR_SFMASK:         *field = VCPU_SFMASK; return 0;
	}
	return 0;
}

static void inject_gp(struct vcpu *v)
{
	vcpu_inject_exception(v, X86_EXC_GP, true, 0);
}

/* platform=pc (contract 15): CPUID passes MCE and MCA through, so a
 * generic OS reads the machine-check globals; the guest's processor has no
 * error-reporting banks (MCG_CAP 0: count 0, no MCG_CTL) and no machine
 * check in progress (MCG_STATUS 0), which it may clear again. */
static bool machine_check_msr(struct vcpu *v, uint32_t msr, bool write, uint64_t value)
{
	if (!v->vm->platform_pc || (msr != MSR_MCG_CAP && msr != MSR_MCG_STATUS))
		return false;
	if (write && (msr == MSR_MCG_CAP || value != 0))
		return false;   /* #GP as on the processor */
	if (!write)
		v->regs.gpr[GPR_RAX] = v->regs.gpr[GPR_RDX] = 0;
	vcpu_skip_instruction(v);
	return true;
}

/* platform=pc: a 64-bit Linux on an Intel processor reads IA32_MISC_ENABLE
 * before it has an IDT (arch/x86/kernel/verify_cpu.S clears XD Bit Disable
 * there), so a #GP would be a triple fault. A fixed value; writing it back
 * is accepted, any other write injects #GP(0). */
static bool misc_enable_msr(struct vcpu *v, uint32_t msr, bool write, uint64_t value)
{
	if (!v->vm->platform_pc || msr != MSR_MISC_ENABLE)
		return false;
	if (write && value != MISC_ENABLE_GUEST)
		return false;
	if (!write) {
		v->regs.gpr[GPR_RAX] = (uint32_t)MISC_ENABLE_GUEST;
		v->regs.gpr[GPR_RDX] = MISC_ENABLE_GUEST >> 32;
	}
	vcpu_skip_instruction(v);
	return true;
}

void handle_rdmsr(struct vcpu *v)
{
	if (irq_rdmsr(v, (uint32_t)v->regs.gpr[GPR_RCX]))
		return;   /* the local APIC's (contract section 11) */
	if (machine_check_msr(v, (uint32_t)v->regs.gpr[GPR_RCX], false, 0) ||
	    misc_enable_msr(v, (uint32_t)v->regs.gpr[GPR_RCX], false, 0))
		return;
	int field;
	uint64_t *slot = msr_slot(v, (uint32_t)v->regs.gpr[GPR_RCX], &field);
	if (!slot && field < 0)
		return inject_gp(v);
	uint64_t value = slot ? *slot : vcpu_read_field(v, (enum vcpu_msr_field)field);
	v->regs.gpr[GPR_RAX] = (uint32_t)value;
	v->regs.gpr[GPR_RDX] = value >> 32;
	vcpu_skip_instruction(v);
}

void handle_wrmsr(struct vcpu *v)
{
	uint32_t msr = (uint32_t)v->regs.gpr[GPR_RCX];
	uint64_t value = (v->regs.gpr[GPR_RDX] << 32) | (uint32_t)v->regs.gpr[GPR_RAX];
	if (irq_wrmsr(v, msr, value))
		return;   /* the local APIC's (contract section 11) */
	if (machine_check_msr(v, msr, true, value) || misc_enable_msr(v, msr, true, value))
		return;
	int field;
	uint64_t *slot = msr_slot(v, msr, &field);
	if (!slot && field < 0)
		return inject_gp(v);
	if (msr == MSR_EFER) {
		if (value & ~(EFER_WRITABLE | EFER_LMA))
			return inject_gp(v);
		/* LME may change only while paging is off (SDM 9.8.5). */
		struct guest_cpu_state cpu;
		vcpu_cpu_state(v, &cpu);
		if (cpu.cr0 & CR0_PG && (value ^ cpu.efer) & EFER_LME)
			return inject_gp(v);
		/* LMA belongs to the processor (SDM 2.2.1): keep its current value. */
		value = (value & EFER_WRITABLE) | (cpu.efer & EFER_LMA);
	}
	if (slot)
		*slot = value;
	else
		vcpu_write_field(v, (enum vcpu_msr_field)field, value);
	vcpu_skip_instruction(v);
}
