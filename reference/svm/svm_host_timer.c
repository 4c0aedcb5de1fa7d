/* The SVM layer's way back to the host at a guest-TSC deadline. SVM has no
 * preemption timer (VMX's, 26.5.1, has no AMD counterpart in APM vol. 2
 * chapter 15), so the host's own local APIC timer (xAPIC registers, SDM
 * vol. 3A 11.4.1 and 11.5.4; AMD's APIC has the same layout) raises a
 * physical interrupt. The INTR intercept (15.21.2) turns it into
 * #VMEXIT(INTR) while the guest runs with RFLAGS.IF = 1 (V_INTR_MASKING
 * stays 0, so the guest's IF gates physical interrupts, 15.21.1); the host
 * then takes it through its own gate and sends EOI. Time is converted from
 * TSC ticks to APIC timer counts with a ratio measured once at start. */
#include "svm.h"
#include "host_cpu.h"
#include "vmcb.h"
#include "x86.h"
#include "x86_insn.h"

#define MSR_IA32_APIC_BASE      0x1Bu            /* SDM vol. 4 Table 2-2 */
#define APIC_BASE_ENABLE        (1ull << 11)     /* EN (11.4.4) */
#define APIC_BASE_X2APIC        (1ull << 10)     /* EXTD: xAPIC registers gone */
#define APIC_BASE_ADDR_MASK     0xFFFFFF000ull   /* bits 35:12 (11.4.4) */
#define CPUID_1_EDX_APIC        (1u << 9)        /* vol. 2A CPUID, Table 3-11 */
/* xAPIC register offsets (11.4.1, Table 11-1). */
#define XAPIC_EOI               0x0B0u
#define XAPIC_SVR               0x0F0u
#define XAPIC_LVT_TIMER         0x320u
#define XAPIC_INITIAL_COUNT     0x380u
#define XAPIC_CURRENT_COUNT     0x390u
#define XAPIC_DIVIDE            0x3E0u
#define XAPIC_SVR_ENABLE        0x100u           /* 11.9 */
#define XAPIC_SPURIOUS_VECTOR   0xFFu
#define XAPIC_DIVIDE_BY_1       0xBu             /* Figure 11-10 */
#define XAPIC_COUNT_MAX         0xFFFFFFFFull
/* The host's timer vector: any vector above the exceptions (6.3.1). */
#define HOST_TIMER_VECTOR       0xF0u
/* Calibration: APIC counts during this many TSC ticks. */
#define CALIBRATION_TICKS       (1ull << 16)

volatile uint32_t *svm_host_apic_eoi;   /* svm_host_timer_isr (svm_timer_isr.S) writes it */
void svm_host_timer_isr(void);

static enum { TIMER_UNTRIED, TIMER_READY, TIMER_NONE } state;
static volatile uint8_t *apic;
static uint64_t counts_per_calibration;

static void apic_write(unsigned reg, uint32_t value)
{
	*(volatile uint32_t *)(apic + reg) = value;
}

static uint32_t apic_read(unsigned reg)
{
	return *(volatile uint32_t *)(apic + reg);
}

static bool timer_init(void)
{
	if (!(cpuid(CPUID_FEATURES, 0).edx & CPUID_1_EDX_APIC))
		return false;   /* LCOV_EXCL_LINE: every engine's AMD model has an APIC (bochs-amd, qemu) */
	uint64_t base = rdmsr(MSR_IA32_APIC_BASE);
	if (!(base & APIC_BASE_ENABLE) || base & APIC_BASE_X2APIC)
		return false;   /* LCOV_EXCL_LINE: the firmware leaves it enabled in xAPIC mode on every engine */
	apic = (volatile uint8_t *)(base & APIC_BASE_ADDR_MASK);   /* identity mapped (boot/entry.S: 4 GiB) */
	svm_host_apic_eoi = (volatile uint32_t *)(apic + XAPIC_EOI);
	host_cpu_set_interrupt_gate(HOST_TIMER_VECTOR, svm_host_timer_isr);
	apic_write(XAPIC_SVR, XAPIC_SVR_ENABLE | XAPIC_SPURIOUS_VECTOR);
	apic_write(XAPIC_DIVIDE, XAPIC_DIVIDE_BY_1);
	apic_write(XAPIC_LVT_TIMER, HOST_TIMER_VECTOR);   /* one-shot, unmasked */
	apic_write(XAPIC_INITIAL_COUNT, (uint32_t)XAPIC_COUNT_MAX);
	uint64_t t0 = read_tsc();
	while (read_tsc() - t0 < CALIBRATION_TICKS)
		__asm__ volatile("pause");
	counts_per_calibration = XAPIC_COUNT_MAX - apic_read(XAPIC_CURRENT_COUNT);
	apic_write(XAPIC_INITIAL_COUNT, 0);
	return counts_per_calibration != 0;
}

void svm_timer_deadline(struct vcpu *v, uint64_t tsc)
{
	if (state == TIMER_UNTRIED) {
		/* At the first entry of a guest with a local APIC: the
		 * calibration's wait falls before the guest's first instruction. */
		state = timer_init() ? TIMER_READY : TIMER_NONE;
		if (state == TIMER_READY)
			VMCB_FIELD(svm_vmcb, uint32_t, VMCB_INTERCEPT_MISC1) |= INTERCEPT_INTR;
	}
	if (state != TIMER_READY)
		return;
	if (tsc == ARCH_NO_DEADLINE) {
		apic_write(XAPIC_INITIAL_COUNT, 0);
		return;
	}
	uint64_t now = svm_guest_tsc(v);
	uint64_t ticks = tsc > now ? tsc - now : 1;
	/* Rounded up: the exit comes at or after the deadline, never before. */
	uint64_t counts = ticks / CALIBRATION_TICKS * counts_per_calibration +
			  ((ticks % CALIBRATION_TICKS) * counts_per_calibration + CALIBRATION_TICKS - 1) / CALIBRATION_TICKS;
	apic_write(XAPIC_INITIAL_COUNT, (uint32_t)(counts > XAPIC_COUNT_MAX ? XAPIC_COUNT_MAX : counts ? counts : 1));
}

/* #VMEXIT(INTR): the interrupt is still pending in the host's APIC (GIF is
 * 0 after #VMEXIT, 15.17); take it now so the next VMRUN does not exit at
 * once for it again. */
void svm_host_interrupt(void)
{
	__asm__ volatile("stgi\n\tsti\n\tnop\n\tcli" ::: "memory");
}
