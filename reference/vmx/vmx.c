/* VMX bring-up and the VMCS of the one guest (SDM 24-26). */
#include "vmx.h"
#include "console.h"
#include "frames.h"
#include "hv_string.h"
#include "host_cpu.h"
#include "vm_end.h"
#include "vmcs_fields.h"
#include "vmx_insn.h"
#include "vmx_msrs.h"
#include "x86.h"

#define VMCS_LINK_POINTER_NONE  ~0ull          /* 26.3.1.5: required when shadowing is off */
#define GUEST_CR0_VISIBLE       (CR0_PE | CR0_ET)
/* The hypervisor's bits, the guest reads its own values from the read
 * shadow (contract 13; Muen does the same): NE is forced by VMX (A.7);
 * CD/NW would turn caches off for the host too, and VM entry never loads
 * them (27.3.2.1), so an emulated MOV could not change them anyway. */
#define GUEST_CR0_MASK          (CR0_NE | CR0_NW | CR0_CD)
#define GUEST_CR4_MASK          CR4_VMXE
#define GUEST_CODE32_AR         0xC09Bu        /* 25.4.1: G, D/B, P, S, type 11 (code RX accessed) */
#define GUEST_DATA32_AR         0xC093u        /* G, D/B, P, S, type 3 (data RW accessed) */
#define GUEST_TSS32_BUSY_AR     0x008Bu        /* P, type 11 (busy 32-bit TSS) */
#define SEGMENT_UNUSABLE        0x10000u       /* AR bit 16 */
#define GUEST_FLAT_LIMIT        0xFFFFFFFFu
#define GUEST_TSS_LIMIT         0xFF
#define GUEST_DR7_INIT          0x400ull       /* DR7 reset value (SDM 18.2.4) */
#define PAT_POWER_ON            0x0007040600070406ull  /* SDM 13.12.4 */
/* Any byte but 0: a VMCS field vmcs_init leaves unwritten then holds garbage
 * on every engine, as it may on a processor (25.11.3). */
#define VMCS_REGION_FILL        0xa5

static uint64_t vmxon_region, vmcs_region;
static struct vmx_caps vmx_caps;   /* read once by vmx_enable */

void vmcs_write(uint64_t field, uint64_t value)
{
	if (vmwrite(field, value))
		/* LCOV_EXCL_START: VMWRITE fails only without a current VMCS or on a field the CPU lacks or keeps read-only (SDM 31.4, errors 12 and 13); the reference writes only fields of the controls vmx_vmcs_init checked: hardware misbehaves */
		vm_end("vm entry failed: vmwrite of field 0x%lx refused, instruction error %lu",
		       field, vmread(VM_INSTRUCTION_ERROR));
		/* LCOV_EXCL_STOP */
}

static uint64_t fixed_bits(uint64_t value, uint64_t fixed0, uint64_t fixed1)
{
	return (value | fixed0) & fixed1;
}

const char *vmx_enable(struct arch_caps *out)
{
	struct vmx_caps *caps = &vmx_caps;
	const char *missing = vmx_caps_probe(caps);
	if (missing)
		return missing;
	out->stage2_format = STAGE2_FORMAT_EPT;
	out->stage2_caps = caps->ept_vpid;
	out->phys_addr_bits = caps->phys_addr_bits;
	write_cr4(fixed_bits(read_cr4() | CR4_VMXE, caps->cr4_fixed0, caps->cr4_fixed1));
	write_cr0(fixed_bits(read_cr0(), caps->cr0_fixed0, caps->cr0_fixed1));
	vmxon_region = frame_alloc();
	vmcs_region = frame_alloc();
	if (!vmxon_region || !vmcs_region)
		vm_end("out of memory");
	*(uint32_t *)vmxon_region = caps->revision;   /* 25.11.5 */
	/* What a VMCS region holds after VMCLEAR is the processor's business
	 * (SDM 25.11.3), and Bochs reads its fields from the region: do not let
	 * a zeroed frame hide a field vmcs_init forgets to write. */
	memset((void *)vmcs_region, VMCS_REGION_FILL, FRAME_SIZE);
	*(uint32_t *)vmcs_region = caps->revision;    /* 25.2 */
	if (vmxon(vmxon_region))
		vm_end("vm entry failed: vmxon refused");   /* LCOV_EXCL_LINE: a fresh aligned region with the CPU's revision, fixed CR bits set, firmware lock checked: hardware misbehaves (SDM 31.3 VMXON) */
	if (vmclear(vmcs_region) || vmptrld(vmcs_region))
		vm_end("vm entry failed: vmclear/vmptrld refused");   /* LCOV_EXCL_LINE: VMfailInvalid on a correct VMCS pointer: hardware misbehaves (SDM 31.3) */
	return 0;
}

static uint32_t controls(uint64_t cap_msr, uint32_t wanted, const char *what)
{
	uint32_t v;
	if (vmx_adjust_controls(cap_msr, wanted, &v))
		vm_end("unsupported: %s", what);
	return v;
}

static void host_state(void)
{
	vmcs_write(HOST_CR0, read_cr0());
	vmcs_write(HOST_CR3, read_cr3());
	vmcs_write(HOST_CR4, read_cr4());
	vmcs_write(HOST_CS_SELECTOR, HOST_SEL_CODE);
	vmcs_write(HOST_SS_SELECTOR, HOST_SEL_DATA);
	vmcs_write(HOST_DS_SELECTOR, HOST_SEL_DATA);
	vmcs_write(HOST_ES_SELECTOR, HOST_SEL_DATA);
	vmcs_write(HOST_FS_SELECTOR, 0);
	vmcs_write(HOST_GS_SELECTOR, 0);
	vmcs_write(HOST_TR_SELECTOR, HOST_SEL_TSS);
	vmcs_write(HOST_FS_BASE, 0);
	vmcs_write(HOST_GS_BASE, 0);
	vmcs_write(HOST_TR_BASE, host_tss_base());
	vmcs_write(HOST_GDTR_BASE, host_gdt_base());
	vmcs_write(HOST_IDTR_BASE, host_idt_base());
	vmcs_write(HOST_IA32_SYSENTER_CS, 0);
	vmcs_write(HOST_IA32_SYSENTER_ESP, 0);
	vmcs_write(HOST_IA32_SYSENTER_EIP, 0);
	vmcs_write(HOST_IA32_EFER, rdmsr(MSR_IA32_EFER));
	vmcs_write(HOST_RIP, (uint64_t)vmx_exit);
	/* HOST_RSP is written by vmx_run before every entry. */
}

static void guest_segment(uint64_t sel_field, uint16_t sel, uint32_t ar)
{
	/* Selector, base, limit and AR fields of a segment are laid out at
	 * fixed offsets from the selector's encoding (appendix B). */
	uint64_t index = (sel_field - GUEST_ES_SELECTOR) / 2;
	vmcs_write(sel_field, sel);
	vmcs_write(GUEST_ES_BASE + 2 * index, 0);
	vmcs_write(GUEST_ES_LIMIT + 2 * index, GUEST_FLAT_LIMIT);
	vmcs_write(GUEST_ES_AR + 2 * index, ar);
}

static void guest_state(const struct guest_start *start)
{
	guest_segment(GUEST_CS_SELECTOR, start->code_selector, GUEST_CODE32_AR);
	guest_segment(GUEST_ES_SELECTOR, start->data_selector, GUEST_DATA32_AR);
	guest_segment(GUEST_SS_SELECTOR, start->data_selector, GUEST_DATA32_AR);
	guest_segment(GUEST_DS_SELECTOR, start->data_selector, GUEST_DATA32_AR);
	guest_segment(GUEST_FS_SELECTOR, start->data_selector, GUEST_DATA32_AR);
	guest_segment(GUEST_GS_SELECTOR, start->data_selector, GUEST_DATA32_AR);
	vmcs_write(GUEST_LDTR_SELECTOR, 0);
	vmcs_write(GUEST_LDTR_BASE, 0);
	vmcs_write(GUEST_LDTR_LIMIT, 0);
	vmcs_write(GUEST_LDTR_AR, SEGMENT_UNUSABLE);
	vmcs_write(GUEST_TR_SELECTOR, 0);
	vmcs_write(GUEST_TR_BASE, 0);
	vmcs_write(GUEST_TR_LIMIT, GUEST_TSS_LIMIT);
	vmcs_write(GUEST_TR_AR, GUEST_TSS32_BUSY_AR);
	vmcs_write(GUEST_GDTR_BASE, start->gdt_base);
	vmcs_write(GUEST_GDTR_LIMIT, start->gdt_limit);
	vmcs_write(GUEST_IDTR_BASE, 0);
	vmcs_write(GUEST_IDTR_LIMIT, 0);

	vmcs_write(GUEST_CR3, 0);
	vmcs_write(GUEST_DR7, GUEST_DR7_INIT);
	vmcs_write(GUEST_RSP, 0);
	vmcs_write(GUEST_RIP, start->rip);
	vmcs_write(GUEST_RFLAGS, RFLAGS_FIXED1);
	vmcs_write(GUEST_IA32_EFER, 0);
	vmcs_write(GUEST_IA32_DEBUGCTL, 0);
	vmcs_write(GUEST_SYSENTER_CS, 0);
	vmcs_write(GUEST_SYSENTER_ESP, 0);
	vmcs_write(GUEST_SYSENTER_EIP, 0);
	vmcs_write(GUEST_INTERRUPTIBILITY, 0);
	vmcs_write(GUEST_ACTIVITY_STATE, 0);
	vmcs_write(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmcs_write(VMCS_LINK_POINTER, VMCS_LINK_POINTER_NONE);
}

static void vmcs_init(const struct vmx_caps *caps, struct vm *vm, const struct guest_start *start)
{
	vmcs_write(PIN_BASED_VM_EXEC_CONTROL, controls(caps->pin, 0, "pin-based controls"));
	/* Every I/O and every MSR access exits (no bitmaps); HLT exits; MOV
	 * CR8 exits (the guest's TPR is core's, contract 13). */
	vmcs_write(CPU_BASED_VM_EXEC_CONTROL,
		   controls(caps->proc, CPU_BASED_HLT_EXITING | CPU_BASED_UNCOND_IO_EXITING |
					CPU_BASED_CR8_LOAD_EXITING | CPU_BASED_CR8_STORE_EXITING |
					CPU_BASED_ACTIVATE_SECONDARY, "processor-based controls"));
	/* CPUID passes RDTSCP and INVPCID through (contract 7), and with
	 * "enable RDTSCP" or "enable INVPCID" 0 the instruction raises #UD in
	 * the guest (SDM 26.3): Linux's rdtsc_ordered and its first TLB flush.
	 * Set wherever the processor allows them. */
	uint32_t passed = (uint32_t)(caps->proc2 >> 32) &
			  (SECONDARY_ENABLE_RDTSCP | SECONDARY_ENABLE_INVPCID);
	vmcs_write(SECONDARY_VM_EXEC_CONTROL,
		   controls(caps->proc2, SECONDARY_ENABLE_EPT | SECONDARY_UNRESTRICTED_GUEST | passed,
			    "ept"));
	vmcs_write(VM_EXIT_CONTROLS,
		   controls(caps->exit, VM_EXIT_HOST_ADDR_SPACE_SIZE | VM_EXIT_SAVE_IA32_EFER |
					VM_EXIT_LOAD_IA32_EFER, "vm-exit controls"));
	vmcs_write(VM_ENTRY_CONTROLS, controls(caps->entry, VM_ENTRY_LOAD_IA32_EFER, "vm-entry controls"));
	vmcs_write(EXCEPTION_BITMAP, 0);
	vmcs_write(CR3_TARGET_COUNT, 0);
	vmcs_write(VM_EXIT_MSR_STORE_COUNT, 0);
	vmcs_write(VM_EXIT_MSR_LOAD_COUNT, 0);
	vmcs_write(VM_ENTRY_MSR_LOAD_COUNT, 0);
	vmcs_write(VM_ENTRY_INTR_INFO, 0);
	vmcs_write(EPT_POINTER, stage2_root(&vm->stage2));

	/* Unrestricted guest lets CR0.PE/PG be 0 (25.6.2); other fixed bits hold. */
	uint64_t cr0_fixed0 = caps->cr0_fixed0 & ~(CR0_PE | CR0_PG);
	vmcs_write(GUEST_CR0, fixed_bits(GUEST_CR0_VISIBLE, cr0_fixed0, caps->cr0_fixed1));
	vmcs_write(CR0_GUEST_HOST_MASK, GUEST_CR0_MASK);
	vmcs_write(CR0_READ_SHADOW, GUEST_CR0_VISIBLE);
	vmcs_write(GUEST_CR4, fixed_bits(0, caps->cr4_fixed0, caps->cr4_fixed1));
	vmcs_write(CR4_GUEST_HOST_MASK, GUEST_CR4_MASK);
	vmcs_write(CR4_READ_SHADOW, 0);
	host_state();
	guest_state(start);
}

/* Self-test faults (contract section 1): break the VMCS on purpose so the
 * suite can check how a failed VM entry is reported. */
#define CR3_TARGET_COUNT_TOO_BIG 5   /* more than the 4 the SDM allows (26.2.1.1) */

static void vmcs_break(enum hv_inject what)
{
	if (what == HV_INJECT_BAD_GUEST_STATE)
		vmcs_write(GUEST_RFLAGS, 0);   /* RFLAGS bit 1 must be 1 (26.3.1.4) */
	else if (what == HV_INJECT_BAD_CONTROLS)
		vmcs_write(CR3_TARGET_COUNT, CR3_TARGET_COUNT_TOO_BIG);
}

void vmx_guest_init(struct vm *vm, const struct guest_start *start, enum hv_inject inject)
{
	vmcs_init(&vmx_caps, vm, start);
	vmx_reset_processor_msrs();
	vmcs_break(inject);
}

const struct vmx_caps *vmx_current_caps(void)
{
	return &vmx_caps;
}

void vmx_stage2_flush(uint64_t eptp)
{
	/* The flush type the CPU offers (A.10); without INVEPT nothing is cached to flush. */
	if (!(vmx_caps.ept_vpid & EPT_CAP_INVEPT))
		return;
	invept(vmx_caps.ept_vpid & EPT_CAP_INVEPT_SINGLE ? INVEPT_SINGLE_CONTEXT : INVEPT_ALL_CONTEXTS, eptp);
}
