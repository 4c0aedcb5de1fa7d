/* SVM bring-up and the VMCB of the one guest (AMD APM vol. 2 chapter 15). */
#include "svm.h"
#include "svm_cpu.h"
#include "vmcb.h"
#include "frames.h"
#include "hv_string.h"
#include "vm_end.h"
#include "x86.h"

#define IOPM_BYTES            (12u * 1024)   /* 15.10.1: 12 KiB, 4 KiB aligned */
#define MSRPM_BYTES           (8u * 1024)    /* 15.11: 8 KiB, 4 KiB aligned */
#define MAP_ALIGN             4096u
#define MSR_EFER              0xC0000080u
#define GUEST_ASID            1u             /* 0 belongs to the host (15.16) */
#define GUEST_CR0             (CR0_PE | CR0_ET)   /* contract 2: the guest reads 0x11 */
#define GUEST_CODE32_ATTRIB   0xC9Bu         /* G, D/B, P, S, type 11 (code RX accessed) */
#define GUEST_DATA32_ATTRIB   0xC93u         /* G, D/B, P, S, type 3 (data RW accessed) */
#define GUEST_TSS32_ATTRIB    0x08Bu         /* P, type 11 (busy 32-bit TSS) */
#define GUEST_LDT_ATTRIB      0x082u         /* P, type 2 (LDT) */
#define GUEST_FLAT_LIMIT      0xFFFFFFFFu
#define GUEST_TSS_LIMIT       0xFF
#define GUEST_DR6_INIT        0xFFFF0FF0ull  /* DR6 reset value (APM 13.1.1.3) */
#define GUEST_DR7_INIT        0x400ull       /* DR7 reset value (APM 13.1.1.5) */
#define PAT_POWER_ON          0x0007040600070406ull   /* APM 7.8.2 */

uint8_t *svm_vmcb;
uint64_t svm_host_save_pa;
bool svm_nrips;
unsigned svm_phys_addr_bits;

/* Contiguous frames filled with one byte; ends the VM when none are left. */
static uint64_t alloc_filled(uint64_t bytes, int fill)
{
	uint64_t pa = frames_alloc_contig(bytes, MAP_ALIGN);
	if (!pa)
		vm_end("out of memory");
	memset((void *)pa, fill, bytes);
	return pa;
}

static unsigned phys_addr_bits(void)
{
	if (cpuid(CPUID_EXT_MAX, 0).eax < CPUID_EXT_ADDR_SIZES)
		return PHYS_BITS_DEFAULT;
	return cpuid(CPUID_EXT_ADDR_SIZES, 0).eax & CPUID_PHYS_BITS_MASK;
}

const char *svm_enable(struct arch_caps *caps)
{
	const char *missing = svm_caps_check(&svm_nrips);
	if (missing)
		return missing;
	caps->stage2_format = STAGE2_FORMAT_NPT;
	caps->stage2_caps = cpuid(CPUID_EXT_FEATURES, 0).edx;
	caps->phys_addr_bits = svm_phys_addr_bits = phys_addr_bits();
	/* NXE: the nested walk honors NX only then (15.25.5), and NPF sets
	 * EXITINFO1.ID for instruction fetches only then (QEMU TCG). */
	uint64_t nxe = caps->stage2_caps & NPT_CAP_NX ? EFER_NXE : 0;
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME | nxe);
	/* Allocated before the VM's frames are counted (pager_init). */
	wrmsr(MSR_VM_HSAVE_PA, alloc_filled(FRAME_SIZE, 0));
	svm_host_save_pa = alloc_filled(FRAME_SIZE, 0);
	svm_vmcb = (uint8_t *)alloc_filled(VMCB_SIZE, 0);
	/* Every port and every MSR intercepted (contract sections 6 and 8). */
	VMCB_FIELD(svm_vmcb, uint64_t, VMCB_IOPM_BASE_PA) = alloc_filled(IOPM_BYTES, 0xFF);
	VMCB_FIELD(svm_vmcb, uint64_t, VMCB_MSRPM_BASE_PA) = alloc_filled(MSRPM_BYTES, 0xFF);
	return 0;
}

static void guest_segment(unsigned off, uint16_t selector, uint16_t attrib, uint32_t limit)
{
	VMCB_FIELD(svm_vmcb, uint16_t, off + VMCB_SEG_SELECTOR) = selector;
	VMCB_FIELD(svm_vmcb, uint16_t, off + VMCB_SEG_ATTRIB) = attrib;
	VMCB_FIELD(svm_vmcb, uint32_t, off + VMCB_SEG_LIMIT) = limit;
	VMCB_FIELD(svm_vmcb, uint64_t, off + VMCB_SEG_BASE) = 0;
}

/* Contract 2: 32-bit protected mode with flat segments, paging off,
 * EFLAGS 0x2, CR0 0x11. RAX and RSP are the run loop's (vcpu regs). */
static void guest_state(const struct guest_start *start)
{
	guest_segment(VMCB_CS, start->code_selector, GUEST_CODE32_ATTRIB, GUEST_FLAT_LIMIT);
	guest_segment(VMCB_ES, start->data_selector, GUEST_DATA32_ATTRIB, GUEST_FLAT_LIMIT);
	guest_segment(VMCB_SS, start->data_selector, GUEST_DATA32_ATTRIB, GUEST_FLAT_LIMIT);
	guest_segment(VMCB_DS, start->data_selector, GUEST_DATA32_ATTRIB, GUEST_FLAT_LIMIT);
	guest_segment(VMCB_FS, start->data_selector, GUEST_DATA32_ATTRIB, GUEST_FLAT_LIMIT);
	guest_segment(VMCB_GS, start->data_selector, GUEST_DATA32_ATTRIB, GUEST_FLAT_LIMIT);
	guest_segment(VMCB_LDTR, 0, GUEST_LDT_ATTRIB, 0);
	guest_segment(VMCB_TR, 0, GUEST_TSS32_ATTRIB, GUEST_TSS_LIMIT);
	guest_segment(VMCB_GDTR, 0, 0, start->gdt_limit);
	VMCB_FIELD(svm_vmcb, uint64_t, VMCB_GDTR + VMCB_SEG_BASE) = start->gdt_base;
	guest_segment(VMCB_IDTR, 0, 0, 0);
	VMCB_FIELD(svm_vmcb, uint8_t, VMCB_CPL) = 0;
	/* EFER.SVME stays set for VMRUN (15.5.1); the guest reads it clear. */
	VMCB_FIELD(svm_vmcb, uint64_t, VMCB_EFER) = EFER_SVME;
	VMCB_FIELD(svm_vmcb, uint64_t, VMCB_CR0) = GUEST_CR0;
	VMCB_FIELD(svm_vmcb, uint64_t, VMCB_CR3) = 0;
	VMCB_FIELD(svm_vmcb, uint64_t, VMCB_CR4) = 0;
	VMCB_FIELD(svm_vmcb, uint64_t, VMCB_DR6) = GUEST_DR6_INIT;
	VMCB_FIELD(svm_vmcb, uint64_t, VMCB_DR7) = GUEST_DR7_INIT;
	VMCB_FIELD(svm_vmcb, uint64_t, VMCB_RFLAGS) = RFLAGS_FIXED1;
	VMCB_FIELD(svm_vmcb, uint64_t, VMCB_RIP) = start->rip;
	VMCB_FIELD(svm_vmcb, uint64_t, VMCB_G_PAT) = PAT_POWER_ON;
}

/* Self-test faults (contract section 1): VMRUN must refuse the VMCB. */
static void break_vmcb(enum hv_inject what)
{
	if (what == HV_INJECT_BAD_GUEST_STATE)   /* guest EFER.SVME clear (15.5.1) */
		VMCB_FIELD(svm_vmcb, uint64_t, VMCB_EFER) &= ~EFER_SVME;
	else if (what == HV_INJECT_BAD_CONTROLS)   /* ASID 0 (15.5.1) */
		VMCB_FIELD(svm_vmcb, uint32_t, VMCB_GUEST_ASID) = 0;
}

void svm_guest_init(struct vm *vm, const struct guest_start *start, enum hv_inject inject)
{
	/* #UD: VMCALL; #DF: a triple fault Bochs 2.7 does not report as SHUTDOWN (svm_exit.c). */
	VMCB_FIELD(svm_vmcb, uint32_t, VMCB_INTERCEPT_EXCEPTIONS) = 1u << X86_EXC_UD | 1u << X86_EXC_DF;
	/* INVD and XSETBV would reach the host's caches and XCR0: they end the
	 * VM (unhandled, as under VMX); the SVM instructions raise #UD, as on
	 * a processor with EFER.SVME clear. */
	VMCB_FIELD(svm_vmcb, uint32_t, VMCB_INTERCEPT_MISC1) =
		INTERCEPT_CPUID | INTERCEPT_INVD | INTERCEPT_HLT | INTERCEPT_INVLPGA |
		INTERCEPT_IOIO_PROT | INTERCEPT_MSR_PROT | INTERCEPT_SHUTDOWN;
	VMCB_FIELD(svm_vmcb, uint32_t, VMCB_INTERCEPT_MISC2) =
		INTERCEPT_VMRUN | INTERCEPT_VMMCALL | INTERCEPT_VMLOAD | INTERCEPT_VMSAVE |
		INTERCEPT_STGI | INTERCEPT_CLGI | INTERCEPT_SKINIT | INTERCEPT_XSETBV;
	/* Core checks every CR0, CR3 and CR4 write and owns CR8 (contract 13,
	 * svm_cr.c): with V_INTR_MASKING 0 the guest's CR8 would be the host's TPR. */
	VMCB_FIELD(svm_vmcb, uint32_t, VMCB_INTERCEPT_CR) =
		INTERCEPT_CR0_WRITE | INTERCEPT_CR3_WRITE | INTERCEPT_CR4_WRITE |
		INTERCEPT_CR8_READ | INTERCEPT_CR8_WRITE;
	VMCB_FIELD(svm_vmcb, uint32_t, VMCB_GUEST_ASID) = GUEST_ASID;
	VMCB_FIELD(svm_vmcb, uint8_t, VMCB_TLB_CONTROL) = TLB_CONTROL_FLUSH_ALL;
	VMCB_FIELD(svm_vmcb, uint64_t, VMCB_NP_CONTROL) = NP_ENABLE;
	VMCB_FIELD(svm_vmcb, uint64_t, VMCB_N_CR3) = stage2_root(&vm->stage2);
	VMCB_FIELD(svm_vmcb, uint32_t, VMCB_CLEAN_BITS) = 0;
	guest_state(start);
	break_vmcb(inject);
}

/* The one guest has the one ASID: flushing everything costs nothing more. */
void svm_stage2_flush(uint64_t root)
{
	(void)root;
	VMCB_FIELD(svm_vmcb, uint8_t, VMCB_TLB_CONTROL) = TLB_CONTROL_FLUSH_ALL;
}
