/* irq_timer: the virtual x2APIC and interrupt delivery of contract section
 * 11 (proposal: spec/events-design.md), run with the hypervisor option
 * apic=x2apic. The probe keeps its own IDT of 256 gates (the runtime's 32
 * exception gates copied, stubs.S for vectors 32-255) and its own APIC
 * facts (SDM vol. 3A chapter 11), never the hypervisor's headers.
 * Exercised: CPUID leaf 1 bits; IA32_APIC_BASE, version, ID, LDR; a
 * one-shot timer firing while IF=0 (pending in IRR, delivered only after
 * the instruction that follows STI, also when that instruction exits);
 * ISR and EOI; a periodic timer waking
 * HLT three times; an LVT timer rewrite that keeps the mode leaving a
 * one-shot counting and a TSC deadline armed, a mode change disarming the
 * deadline; STI;HLT waking with the return RIP after HLT and the TSC
 * past the expiry; the TSC-deadline mode; a guest spinning with IF=1 and no
 * exit interrupted by the timer; TPR holding back a self IPI until it is
 * lowered (delivered right after that WRMSR); two pending vectors taken
 * highest first, the lower one held until EOI; nesting of a higher class in
 * a handler, an equal class held until its EOI; a timer expiring in a run
 * of MOV SS; store pairs, never taken inside a MOV SS shadow; #GP for the
 * register rules.
 * Lines: `irq: <what> ...`. Guest command line mode=hlt-if0 / hlt-idle /
 * hlt-masked / hlt-tpr: one HLT that nothing can ever wake (the VM must end
 * `hlt`);
 * mode=none, for a hypervisor without apic=x2apic: the APIC's MSRs fault. */
#include "cmdline.h"
#include "runtime.h"
#include "../shared/irq_gates.h"

/* x2APIC MSRs (SDM vol. 3A 11.12.1.2, Table 11-6; vol. 4 Table 2-2). */
#define APIC_BASE        0x1Bu
#define TSC_DEADLINE     0x6E0u
#define X2_ID            0x802u
#define X2_VERSION       0x803u
#define X2_TPR           0x808u
#define X2_PPR           0x80Au
#define X2_EOI           0x80Bu
#define X2_LDR           0x80Du
#define X2_SVR           0x80Fu
#define X2_ISR(n)        (0x810u + (n))
#define X2_TMR(n)        (0x818u + (n))
#define X2_IRR(n)        (0x820u + (n))
#define X2_ESR           0x828u
#define X2_ICR           0x830u
#define X2_LVT_TIMER     0x832u
#define X2_LVT_LINT0     0x835u
#define X2_LVT_LINT1     0x836u
#define X2_LVT_ERROR     0x837u
#define X2_INITIAL_COUNT 0x838u
#define X2_CURRENT_COUNT 0x839u
#define X2_DIVIDE        0x83Eu
#define X2_SELF_IPI      0x83Fu
#define SVR_ENABLE       0x100u           /* 11.9 */
#define LVT_MASKED       (1u << 16)       /* 11.5.1 */
/* Unmasked LVT values with every writable bit of Figure 11-8 in use: LINT
 * trigger mode (15), polarity (13), delivery mode ExtINT (10:8) and a vector;
 * the error entry a vector only. */
#define LVT_LINT0_UNMASKED 0x0A7F1u
#define LVT_LINT1_UNMASKED 0x0A741u
#define LVT_ERROR_UNMASKED 0x00033u
#define LVT_PERIODIC     (1u << 17)
#define LVT_TSC_DEADLINE (2u << 17)
#define DIVIDE_BY_1      0xBu             /* Figure 11-10 */
#define DIVIDE_BY_16     0x3u
/* CPUID leaf 1 (vol. 2A CPUID, Tables 3-10 and 3-11). */
#define CPUID1_EDX_APIC         (1u << 9)
#define CPUID1_ECX_X2APIC       (1u << 21)
#define CPUID1_ECX_TSC_DEADLINE (1u << 24)

#define LOG_MAX 8
static volatile unsigned taken;                    /* interrupts taken so far */
static volatile uint64_t log_vector[LOG_MAX], log_rip[LOG_MAX], log_tsc[LOG_MAX];
static volatile bool auto_eoi;
static volatile uint64_t nest_vector;              /* its handler runs nest_in_handler */
static volatile unsigned nest_higher, nest_equal_waited;
static void nest_in_handler(void);


void interrupt_dispatch(struct exception_frame *f)
{
	unsigned n = taken;
	if (n < LOG_MAX) {
		log_vector[n] = f->vector;
		log_rip[n] = f->ip;
		log_tsc[n] = read_tsc();
	}
	taken = n + 1;
	if (nest_vector && f->vector == nest_vector) {
		nest_vector = 0;
		nest_in_handler();
		return;
	}
	if (auto_eoi)
		wrmsr(X2_EOI, 0);
}

static void reset_log(bool eoi)
{
	taken = 0;
	auto_eoi = eoi;
}

static void cli(void) { __asm__ volatile("cli" ::: "memory"); }

/* Each asm label exists once: these functions are never inlined. */
extern const char after_sti_nop[], after_sti_hlt[], after_tpr_write[], after_sti_store[];
extern const char movss_block[], movss_block_end[];

__attribute__((noinline)) static void sti_nop_cli(void)
{
	__asm__ volatile("sti\n\tnop\n\t.globl after_sti_nop\nafter_sti_nop:\n\tcli" ::: "memory");
}

__attribute__((noinline)) static void sti_hlt_cli(void)
{
	__asm__ volatile("sti\n\thlt\n\t.globl after_sti_hlt\nafter_sti_hlt:\n\tcli" ::: "memory");
}

/* With IF=1: lower TPR to value; a held-back interrupt comes right after. */
__attribute__((noinline)) static void sti_write_tpr(uint32_t value)
{
	__asm__ volatile("sti\n\tnop\n\twrmsr\n\t.globl after_tpr_write\nafter_tpr_write:\n\tnop\n\tcli"
			 :: "c"(X2_TPR), "a"(value), "d"(0) : "memory");
}

/* The store after STI touches a page nothing touched before: on a lazily
 * backed guest its stage-2 fault exits inside the STI shadow. */
#define FRESH_PAGE 0x800000ul   /* 8 MiB: inside the default 64 MiB, far above the image */

__attribute__((noinline)) static void sti_store_cli(void)
{
	__asm__ volatile("sti\n\tmovl $1, (%0)\n\t.globl after_sti_store\nafter_sti_store:\n\tcli"
			 :: "r"(FRESH_PAGE) : "memory");
}

/* MOV SS then a store to a page nothing touched before, 16 times, with
 * IF=1: each store runs in the shadow of the MOV SS before it (SDM vol.
 * 3A 6.8.3), and on a lazily backed guest its stage-2 fault exits inside
 * that shadow, so the hypervisor regains control there. An interrupt may
 * return to a MOV SS (opcode 8E) but never to a store (opcode C7). */
#define MOVSS_PAIRS       16            /* the .rept below */
#define MOVSS_FRESH_BASE  0x1000000ul   /* 16 MiB: above FRESH_PAGE, below the default 64 MiB */
#define OPCODE_MOV_TO_SEG 0x8Eu         /* vol. 2B MOV: MOV Sreg, r/m16 */
#define OPCODE_MOV_IMM    0xC7u         /* vol. 2B MOV: MOV r/m32, imm32 */

__attribute__((noinline)) static void sti_movss_block_cli(uint64_t pages)
{
	__asm__ volatile("mov %%ss, %%eax\n\tsti\n\tnop\n\t"
			 ".globl movss_block\nmovss_block:\n\t"
			 ".set movss_page, 0\n\t"
			 ".rept 16\n\tmov %%eax, %%ss\n\tmovl $1, movss_page(%0)\n\t.set movss_page, movss_page + 4096\n\t.endr\n\t"
			 ".globl movss_block_end\nmovss_block_end:\n\tcli"
			 :: "r"(pages) : "eax", "memory");
}

static void spin_until_tsc(uint64_t t)
{
	while (read_tsc() < t)
		__asm__ volatile("pause");
}

static unsigned irr_bit(unsigned vector)
{
	return (rdmsr(X2_IRR(vector / 32)) >> (vector % 32)) & 1;
}

static unsigned isr_bit(unsigned vector)
{
	return (rdmsr(X2_ISR(vector / 32)) >> (vector % 32)) & 1;
}

static void identity(void)
{
	struct cpuid_regs r = cpuid(1, 0);
	printf("irq: cpuid apic=%u x2apic=%u tsc_deadline=%u apic_id=%u\n",
	       (r.edx & CPUID1_EDX_APIC) != 0, (r.ecx & CPUID1_ECX_X2APIC) != 0,
	       (r.ecx & CPUID1_ECX_TSC_DEADLINE) != 0, r.ebx >> 24);
	printf("irq: apic_base=0x%lx id=0x%lx version=0x%lx ldr=0x%lx svr=0x%lx tpr=0x%lx lvt_timer=0x%lx\n",
	       rdmsr(APIC_BASE), rdmsr(X2_ID), rdmsr(X2_VERSION), rdmsr(X2_LDR), rdmsr(X2_SVR),
	       rdmsr(X2_TPR), rdmsr(X2_LVT_TIMER));
}

/* Round trips of the stored registers; software disable masks every LVT. */
static void registers(void)
{
	wrmsr(X2_LVT_LINT0, LVT_MASKED | LVT_LINT0_UNMASKED);
	wrmsr(X2_LVT_LINT1, LVT_LINT1_UNMASKED);
	wrmsr(X2_LVT_ERROR, LVT_MASKED | LVT_ERROR_UNMASKED);
	wrmsr(X2_DIVIDE, 0x9);
	printf("irq: registers lint0=0x%lx lint1=0x%lx error=0x%lx divide=0x%lx tmr=0x%lx\n",
	       rdmsr(X2_LVT_LINT0), rdmsr(X2_LVT_LINT1), rdmsr(X2_LVT_ERROR), rdmsr(X2_DIVIDE),
	       rdmsr(X2_TMR(0)) | rdmsr(X2_TMR(2)) | rdmsr(X2_TMR(7)));
	/* Every LVT entry unmasked first, so the disable has a mask to set in each. */
	wrmsr(X2_LVT_TIMER, 0x40);
	wrmsr(X2_LVT_LINT0, LVT_LINT0_UNMASKED);
	wrmsr(X2_LVT_LINT1, LVT_LINT1_UNMASKED);
	wrmsr(X2_LVT_ERROR, LVT_ERROR_UNMASKED);
	wrmsr(X2_SVR, 0xFF);          /* software disable */
	uint64_t masked = rdmsr(X2_LVT_TIMER);
	uint64_t lint0_off = rdmsr(X2_LVT_LINT0), lint1_off = rdmsr(X2_LVT_LINT1);
	uint64_t error_off = rdmsr(X2_LVT_ERROR);
	wrmsr(X2_LVT_TIMER, 0x40);    /* cannot unmask while disabled */
	uint64_t still = rdmsr(X2_LVT_TIMER);
	wrmsr(X2_LVT_LINT0, LVT_LINT0_UNMASKED);
	wrmsr(X2_LVT_LINT1, LVT_LINT1_UNMASKED);
	wrmsr(X2_LVT_ERROR, LVT_ERROR_UNMASKED);
	printf("irq: svr_lvt disabled lint0=0x%lx lint1=0x%lx error=0x%lx rewritten lint0=0x%lx lint1=0x%lx error=0x%lx\n",
	       lint0_off, lint1_off, error_off, rdmsr(X2_LVT_LINT0), rdmsr(X2_LVT_LINT1),
	       rdmsr(X2_LVT_ERROR));
	wrmsr(X2_SVR, SVR_ENABLE | 0xFF);
	wrmsr(X2_LVT_TIMER, 0x40);
	printf("irq: svr disabled_timer=0x%lx write_while_disabled=0x%lx enabled_timer=0x%lx lint1=0x%lx\n",
	       masked, still, rdmsr(X2_LVT_TIMER), rdmsr(X2_LVT_LINT1));
	wrmsr(X2_LVT_LINT0, LVT_MASKED);
	wrmsr(X2_LVT_LINT1, LVT_MASKED);
	wrmsr(X2_LVT_ERROR, LVT_MASKED);
	wrmsr(X2_LVT_TIMER, LVT_MASKED);
}

/* Divide by 16: a one-shot of 1000 counts wakes HLT no sooner than 16000
 * TSC ticks on, and well before 32000 (divide by 32 would be later). */
static void divide(void)
{
	const uint64_t count = 1000, divisor = 16;
	reset_log(true);
	cli();
	wrmsr(X2_DIVIDE, DIVIDE_BY_16);
	wrmsr(X2_LVT_TIMER, 0x46);
	uint64_t t0 = read_tsc();
	wrmsr(X2_INITIAL_COUNT, count);
	uint64_t initial = rdmsr(X2_INITIAL_COUNT);
	sti_hlt_cli();
	uint64_t d = taken ? log_tsc[0] - t0 : 0;
	printf("irq: divide initial=%lu taken=%u not_before=%u not_after_double=%u\n", initial, taken,
	       d >= count * divisor, d < 2 * count * divisor);
	wrmsr(X2_DIVIDE, DIVIDE_BY_1);
}

/* DR6 with no debug condition recorded: its reserved bits read as 1
 * (SDM vol. 3B 18.2.3; the value after reset). An interrupt delivery
 * leaves DR6 alone, so it must read this back after 'sti; nop'. */
#define DR6_CLEAR 0xFFFF0FF0ul

static uint64_t read_dr6(void)
{
	uint64_t v;
	__asm__ volatile("mov %%dr6, %0" : "=r"(v));
	return v;
}

static void write_dr6(uint64_t v)
{
	__asm__ volatile("mov %0, %%dr6" :: "r"(v));
}

/* One-shot, fired while IF=0 and the guest spins without exits. */
static void one_shot(void)
{
	const uint64_t count = 5000;
	reset_log(false);
	cli();
	wrmsr(X2_DIVIDE, DIVIDE_BY_1);
	wrmsr(X2_LVT_TIMER, 0x40);
	uint64_t t0 = read_tsc();
	wrmsr(X2_INITIAL_COUNT, count);
	uint64_t early = rdmsr(X2_CURRENT_COUNT);
	spin_until_tsc(t0 + 4 * count);
	unsigned irr = irr_bit(0x40), before = taken;
	uint64_t current = rdmsr(X2_CURRENT_COUNT);
	write_dr6(DR6_CLEAR);
	sti_nop_cli();
	uint64_t dr6 = read_dr6();
	printf("irq: one_shot counting=%u irr_while_if0=%u taken_while_if0=%u current_after=%lu\n",
	       early > 0 && early <= count, irr, before, current);
	printf("irq: one_shot dr6_after=0x%lx\n", dr6);
	printf("irq: one_shot taken=%u vector=0x%lx after_sti_shadow=%u\n", taken,
	       taken ? log_vector[0] : 0, taken && log_rip[0] == (uint64_t)after_sti_nop);
	printf("irq: eoi isr_before=%u irr_before=%u", isr_bit(0x40), irr_bit(0x40));
	wrmsr(X2_EOI, 0);
	printf(" isr_after=%u\n", isr_bit(0x40));
	/* Fires once: nothing more however long the guest waits. */
	spin_until_tsc(read_tsc() + 4 * count);
	sti_nop_cli();
	printf("irq: one_shot_once taken=%u\n", taken);
}

/* A vector pending when STI runs is taken after the next instruction even
 * when that instruction exits to the hypervisor first. */
static void sti_exit(void)
{
	reset_log(true);
	cli();
	wrmsr(X2_SELF_IPI, 0x47);
	sti_store_cli();
	printf("irq: sti_exit taken=%u vector=0x%lx after_store=%u stored=%u\n", taken,
	       taken ? log_vector[0] : 0, taken && log_rip[0] == (uint64_t)after_sti_store,
	       *(volatile uint32_t *)FRESH_PAGE);
}

static void sti_hlt(void)
{
	const uint64_t count = 10000;
	reset_log(true);
	cli();
	wrmsr(X2_LVT_TIMER, 0x42);
	uint64_t t0 = read_tsc();
	wrmsr(X2_INITIAL_COUNT, count);
	sti_hlt_cli();
	uint64_t t1 = read_tsc();
	printf("irq: sti_hlt taken=%u vector=0x%lx after_hlt=%u tsc_past_expiry=%u\n", taken,
	       taken ? log_vector[0] : 0, taken && log_rip[0] == (uint64_t)after_sti_hlt,
	       taken && log_tsc[0] >= t0 + count && t1 >= t0 + count);
}

static void periodic(void)
{
	const uint64_t count = 20000;
	reset_log(true);
	cli();
	wrmsr(X2_LVT_TIMER, LVT_PERIODIC | 0x41);
	wrmsr(X2_INITIAL_COUNT, count);
	for (unsigned i = 0; i < 3; i++)
		sti_hlt_cli();
	wrmsr(X2_INITIAL_COUNT, 0);   /* stop */
	unsigned spacing = taken == 3;
	for (unsigned i = 1; i < 3 && i < taken; i++) {
		uint64_t d = log_tsc[i] - log_tsc[i - 1];
		spacing &= d >= count && d < 2 * count;
	}
	printf("irq: periodic taken=%u vectors=0x%lx,0x%lx,0x%lx spacing_ok=%u\n", taken,
	       log_vector[0], log_vector[1], log_vector[2], spacing);
}

/* Rewriting the LVT timer without changing its mode (mask set, then a new
 * vector, unmasked) leaves a one-shot counting (SDM vol. 3A 11.5.4.1: only a
 * mode change disarms it): the count keeps falling and the timer expires
 * with the new vector. IF=0 and a spin, not HLT, so a stopped timer shows
 * in this line and cannot end the VM. */
static void lvt_rewrite(void)
{
	const uint64_t count = 50000;
	reset_log(true);
	cli();
	wrmsr(X2_DIVIDE, DIVIDE_BY_1);
	wrmsr(X2_LVT_TIMER, 0x49);
	uint64_t t0 = read_tsc();
	wrmsr(X2_INITIAL_COUNT, count);
	wrmsr(X2_LVT_TIMER, LVT_MASKED | 0x49);
	wrmsr(X2_LVT_TIMER, 0x4A);
	uint64_t after_rewrite = rdmsr(X2_CURRENT_COUNT);
	spin_until_tsc(read_tsc() + 1000);   /* one count per tick at divide by 1 */
	uint64_t later = rdmsr(X2_CURRENT_COUNT);
	spin_until_tsc(t0 + 4 * count);
	unsigned irr = irr_bit(0x4A);
	uint64_t current = rdmsr(X2_CURRENT_COUNT);
	sti_nop_cli();
	printf("irq: lvt_rewrite counting=%u decreasing=%u irr=%u taken=%u vector=0x%lx current_after=%lu\n",
	       after_rewrite > 0 && after_rewrite <= count, later < after_rewrite, irr, taken,
	       taken ? log_vector[0] : 0, current);
}

static void tsc_deadline(void)
{
	reset_log(true);
	cli();
	wrmsr(X2_LVT_TIMER, LVT_TSC_DEADLINE | 0x50);
	uint64_t deadline = read_tsc() + 30000;
	wrmsr(TSC_DEADLINE, deadline);
	uint64_t armed = rdmsr(TSC_DEADLINE);
	sti_hlt_cli();
	printf("irq: tsc_deadline armed=%u taken=%u vector=0x%lx on_time=%u after=0x%lx\n",
	       armed == deadline, taken, taken ? log_vector[0] : 0,
	       taken && log_tsc[0] >= deadline, rdmsr(TSC_DEADLINE));
	wrmsr(X2_LVT_TIMER, LVT_MASKED);
}

/* Rewriting the LVT timer in TSC-deadline mode without changing the mode
 * (mask set, then cleared with another vector) leaves the deadline armed
 * (SDM vol. 3A 11.5.4.1: only a mode change disarms the timer): the MSR
 * still reads it, and once the TSC passed it the new vector is pending and
 * the MSR reads 0. IF=0 and a spin, as in lvt_rewrite, so a disarmed timer
 * shows in this line and cannot end the VM. The deadline lies far enough
 * ahead that both writes (each an exit) come before it. */
#define DEADLINE_AHEAD 1000000u  /* TSC ticks; the reference spends ~20000 on both */
#define DEADLINE_SLACK 150000u   /* spun past the deadline before looking */

static void lvt_rewrite_deadline(void)
{
	reset_log(true);
	cli();
	wrmsr(X2_LVT_TIMER, LVT_TSC_DEADLINE | 0x4B);
	uint64_t deadline = read_tsc() + DEADLINE_AHEAD;
	wrmsr(TSC_DEADLINE, deadline);
	wrmsr(X2_LVT_TIMER, LVT_MASKED | LVT_TSC_DEADLINE | 0x4B);
	uint64_t after_mask = rdmsr(TSC_DEADLINE);
	wrmsr(X2_LVT_TIMER, LVT_TSC_DEADLINE | 0x4C);
	uint64_t after_unmask = rdmsr(TSC_DEADLINE);
	unsigned before = !irr_bit(0x4B) && !irr_bit(0x4C) && read_tsc() < deadline;
	spin_until_tsc(deadline + DEADLINE_SLACK);
	unsigned irr = irr_bit(0x4C), irr_old = irr_bit(0x4B);
	uint64_t after = rdmsr(TSC_DEADLINE);
	sti_nop_cli();
	printf("irq: lvt_rewrite_deadline kept_masked=%u kept_unmasked=%u before_deadline=%u irr=%u irr_old=%u taken=%u vector=0x%lx after=0x%lx\n",
	       after_mask == deadline, after_unmask == deadline, before, irr, irr_old, taken,
	       taken ? log_vector[0] : 0, after);
}

/* The converse: a mode change (TSC-deadline to one-shot) stops the timer.
 * In one-shot mode the MSR reads 0 and the old deadline passes with no
 * interrupt; switching back to TSC-deadline mode is a mode change too, so
 * still nothing comes (what the MSR reads then is printed, not judged). */
static void mode_change_deadline(void)
{
	reset_log(true);
	cli();
	wrmsr(X2_LVT_TIMER, LVT_TSC_DEADLINE | 0x4D);
	uint64_t deadline = read_tsc() + DEADLINE_AHEAD;
	wrmsr(TSC_DEADLINE, deadline);
	uint64_t armed = rdmsr(TSC_DEADLINE);
	wrmsr(X2_LVT_TIMER, 0x4D);                  /* one-shot, no count written */
	uint64_t one_shot = rdmsr(TSC_DEADLINE);
	unsigned before = read_tsc() < deadline;
	spin_until_tsc(deadline + DEADLINE_SLACK);
	unsigned irr_one_shot = irr_bit(0x4D);
	wrmsr(X2_LVT_TIMER, LVT_TSC_DEADLINE | 0x4D);
	uint64_t back = rdmsr(TSC_DEADLINE);
	spin_until_tsc(read_tsc() + DEADLINE_SLACK);
	unsigned irr_back = irr_bit(0x4D);
	sti_nop_cli();
	printf("irq: mode_change_deadline armed=%u one_shot=0x%lx before_deadline=%u irr=%u back=0x%lx irr_back=%u taken=%u\n",
	       armed == deadline, one_shot, before, irr_one_shot, back, irr_back, taken);
	wrmsr(X2_LVT_TIMER, LVT_MASKED);
}

/* A mode change stops a counting timer (11.5.4.1): no interrupt comes. What
 * the initial-count register reads after it is left open (the count written,
 * or 0 where the change clears it), so the line says which of the two it is,
 * and anything else is wrong. */
#define MODE_CHANGE_COUNT 0x12345u   /* TSC ticks at divide by 1 */

static void mode_change_count(void)
{
	reset_log(true);
	cli();
	wrmsr(X2_DIVIDE, DIVIDE_BY_1);
	wrmsr(X2_LVT_TIMER, 0x4E);                    /* one-shot */
	wrmsr(X2_INITIAL_COUNT, MODE_CHANGE_COUNT);
	wrmsr(X2_LVT_TIMER, LVT_PERIODIC | 0x4E);     /* mode change: stops it */
	uint64_t initial = rdmsr(X2_INITIAL_COUNT);
	spin_until_tsc(read_tsc() + 4 * MODE_CHANGE_COUNT);
	unsigned irr = irr_bit(0x4E);
	sti_nop_cli();
	wrmsr(X2_LVT_TIMER, LVT_MASKED);
	printf("irq: mode_change_count initial=%s (0x%lx) irr=%u taken=%u\n",
	       initial == MODE_CHANGE_COUNT ? "kept" : initial == 0 ? "cleared" : "OTHER",
	       initial, irr, taken);
}

/* IF=1 and no exit at all: only the hypervisor's own way back in (VMX:
 * the preemption timer) can deliver the timer. */
static void spin(void)
{
	const uint64_t count = 20000;
	reset_log(true);
	cli();
	wrmsr(X2_LVT_TIMER, 0x43);
	uint64_t t0 = read_tsc();
	wrmsr(X2_INITIAL_COUNT, count);
	__asm__ volatile("sti" ::: "memory");
	while (!taken && read_tsc() < t0 + 100 * count)
		__asm__ volatile("pause");
	cli();
	unsigned in_spin = taken;
	/* A timer the spin missed is pending by now: take it here, not in
	 * the next test. */
	wrmsr(X2_INITIAL_COUNT, 0);
	sti_nop_cli();
	printf("irq: spin taken=%u vector=0x%lx\n", in_spin, in_spin ? log_vector[0] : 0);
}

static void tpr(void)
{
	reset_log(true);
	cli();
	wrmsr(X2_TPR, 0x50);
	wrmsr(X2_SELF_IPI, 0x45);
	sti_nop_cli();
	unsigned held50 = taken == 0;
	wrmsr(X2_TPR, 0x40);
	sti_nop_cli();
	unsigned held40 = taken == 0;
	printf("irq: tpr held_at_0x50=%u held_at_0x40=%u ppr=0x%lx irr=%u\n", held50, held40,
	       rdmsr(X2_PPR), irr_bit(0x45));
	sti_write_tpr(0x3F);
	printf("irq: tpr released taken=%u vector=0x%lx after_wrmsr=%u\n", taken,
	       taken ? log_vector[0] : 0, taken && log_rip[0] == (uint64_t)after_tpr_write);
	wrmsr(X2_TPR, 0);
}

static void priority(void)
{
	reset_log(false);
	cli();
	wrmsr(X2_SELF_IPI, 0x41);
	wrmsr(X2_SELF_IPI, 0x52);
	sti_nop_cli();
	unsigned first = taken;
	uint64_t ppr = rdmsr(X2_PPR);
	wrmsr(X2_EOI, 0);   /* ends 0x52: 0x41 comes */
	sti_nop_cli();
	unsigned second = taken;
	wrmsr(X2_EOI, 0);
	printf("irq: priority first=0x%lx taken_before_eoi=%u ppr=0x%lx second=0x%lx taken=%u\n",
	       log_vector[0], first, ppr, second > 1 ? log_vector[1] : 0, second);
}

/* A timer expiring while the guest runs the MOV SS; store pairs: however
 * the hypervisor regains control (a store's exit inside the shadow
 * included), the interrupt is taken before a MOV SS, never between it and
 * its store. Each trial moves the expiry 773 ticks further along the block
 * (on Bochs and QEMU each stage-2 exit costs about 1200 guest ticks). */
static void movss_shadow(void)
{
	const unsigned trials = 24;
	unsigned inside = 0, in_shadow = 0, not_boundary = 0, total = 0;
	reset_log(true);
	for (unsigned i = 0; i < trials; i++) {
		cli();
		taken = 0;
		wrmsr(X2_DIVIDE, DIVIDE_BY_1);
		wrmsr(X2_LVT_TIMER, 0x44);
		wrmsr(X2_INITIAL_COUNT, 500 + 773 * i);
		sti_movss_block_cli(MOVSS_FRESH_BASE + i * MOVSS_PAIRS * PAGE_SIZE_4K);
		wrmsr(X2_INITIAL_COUNT, 0);
		sti_nop_cli();   /* a timer the block missed: taken here */
		if (taken == 0)
			continue;
		total += taken;
		uint64_t rip = log_rip[0];
		if (rip >= (uint64_t)movss_block && rip < (uint64_t)movss_block_end) {
			inside++;
			in_shadow += *(const uint8_t *)rip == OPCODE_MOV_IMM;
			not_boundary += *(const uint8_t *)rip != OPCODE_MOV_TO_SEG && *(const uint8_t *)rip != OPCODE_MOV_IMM;
		}
	}
	printf("irq: movss_shadow taken=%u in_shadow=%u not_boundary=%u\n", total, in_shadow, not_boundary);
	printf("irq: movss_shadow inside_block=%u\n", inside);   /* engine fact, no case reads it */
}

/* Nesting (SDM vol. 3A 11.8.3): in the handler of 0x41 (class 4) with
 * IF=1, a self IPI of 0x62 (class 6) interrupts it; one of 0x48 (class 4)
 * waits for the EOI of 0x41. */
static void nest_in_handler(void)
{
	unsigned before = taken;
	wrmsr(X2_SELF_IPI, 0x62);
	sti_nop_cli();
	nest_higher = taken == before + 1 && log_vector[before] == 0x62;
	before = taken;
	wrmsr(X2_SELF_IPI, 0x48);
	sti_nop_cli();
	nest_equal_waited = taken == before;
	wrmsr(X2_EOI, 0);   /* ends 0x41: 0x48 comes once IF is 1 again */
}

static void nesting(void)
{
	reset_log(true);
	cli();
	nest_vector = 0x41;
	wrmsr(X2_SELF_IPI, 0x41);
	sti_nop_cli();
	sti_nop_cli();
	printf("irq: nesting higher_nested=%u equal_waited=%u order=0x%lx,0x%lx,0x%lx taken=%u isr_empty=%u\n",
	       nest_higher, nest_equal_waited, log_vector[0], log_vector[1], log_vector[2], taken,
	       rdmsr(X2_ISR(2)) == 0 && rdmsr(X2_ISR(3)) == 0);
}

static void gp_rules(void)
{
	uint64_t v;
	printf("irq: gp rd_eoi=%d rd_self_ipi=%d wr_id=%d wr_version=%d wr_tpr_reserved=%d "
	       "wr_eoi_nonzero=%d icr=%d lvt_mode3=%d base_clear_extd=%d\n",
	       rdmsr_safe(X2_EOI, &v), rdmsr_safe(X2_SELF_IPI, &v), wrmsr_safe(X2_ID, 0),
	       wrmsr_safe(X2_VERSION, 0), wrmsr_safe(X2_TPR, 0x100), wrmsr_safe(X2_EOI, 1),
	       rdmsr_safe(X2_ICR, &v), wrmsr_safe(X2_LVT_TIMER, 3u << 17),
	       wrmsr_safe(APIC_BASE, 0xFEE00900u));
}

/* Vectors below 16 are illegal (11.5.2): a self IPI of one sets ESR bit 5,
 * a timer firing with one sets bit 6, each firing the error LVT entry. */
static void esr(void)
{
	reset_log(true);
	cli();
	wrmsr(X2_ESR, 0);
	wrmsr(X2_LVT_ERROR, 0x33);
	wrmsr(X2_SELF_IPI, 5);
	sti_nop_cli();
	unsigned sent_taken = taken;
	uint64_t sent_vector = taken ? log_vector[0] : 0;
	wrmsr(X2_ESR, 0);
	uint64_t sent = rdmsr(X2_ESR);
	reset_log(true);
	wrmsr(X2_LVT_TIMER, 0x05);
	wrmsr(X2_INITIAL_COUNT, 100);
	sti_hlt_cli();
	wrmsr(X2_ESR, 0);
	uint64_t received = rdmsr(X2_ESR);
	wrmsr(X2_ESR, 0);
	printf("irq: esr send_illegal=0x%lx error_irq=%u/0x%lx receive_illegal=0x%lx error_irq=%u/0x%lx cleared=0x%lx\n",
	       sent, sent_taken, sent_vector, received, taken, taken ? log_vector[0] : 0, rdmsr(X2_ESR));
	wrmsr(X2_LVT_ERROR, LVT_MASKED);
	wrmsr(X2_LVT_TIMER, LVT_MASKED);
}

/* Vector 16 is the first legal one (11.5.2): a self IPI of it is delivered,
 * through IDT gate 16 (the runtime's #MF gate, pointed for the while at the
 * stub of an otherwise unused vector, so the handler can tell the gate it
 * came through), and sets no ESR bit. */
#define FIRST_LEGAL_VECTOR 16u
#define GATE16_STUB_VECTOR 0xF0u
static void self_ipi_vector16(void)
{
	reset_log(true);
	cli();
	wrmsr(X2_ESR, 0);
	struct gate64 mf_gate = irq_idt[FIRST_LEGAL_VECTOR];
	irq_gate_set(FIRST_LEGAL_VECTOR,
		     (uint64_t)irq_stubs + (GATE16_STUB_VECTOR - EXCEPTION_VECTORS) * IRQ_STUB_BYTES);
	wrmsr(X2_SELF_IPI, FIRST_LEGAL_VECTOR);
	sti_nop_cli();
	irq_idt[FIRST_LEGAL_VECTOR] = mf_gate;
	wrmsr(X2_ESR, 0);
	printf("irq: self_ipi16 taken=%u via_gate16=%u esr=0x%lx\n", taken,
	       taken == 1 && log_vector[0] == GATE16_STUB_VECTOR, rdmsr(X2_ESR));
}

static bool is(const char *mode, const char *name)
{
	size_t n = strlen(name);
	return strlen(mode) == n && !memcmp(mode, name, n);
}

/* HLT that nothing can wake: the VM must end with `hlt rip=`. */
static void hlt_forever(const char *mode)
{
	cli();
	if (is(mode, "hlt-masked")) {
		wrmsr(X2_LVT_TIMER, LVT_MASKED | LVT_PERIODIC | 0x44);
		wrmsr(X2_INITIAL_COUNT, 1000);
	}
	if (is(mode, "hlt-tpr")) {   /* class 4 held back by TPR class 15 */
		wrmsr(X2_TPR, 0xF0);
		wrmsr(X2_LVT_TIMER, LVT_PERIODIC | 0x44);
		wrmsr(X2_INITIAL_COUNT, 1000);
	}
	printf("irq: %s halting\n", mode);
	if (is(mode, "hlt-if0"))
		__asm__ volatile("hlt");
	else
		__asm__ volatile("sti\n\thlt");
	printf("irq: %s woke\n", mode);
}

/* Without apic=x2apic: the APIC's MSRs are ordinary unlisted MSRs. */
static void no_apic(void)
{
	uint64_t v;
	printf("irq: none apic_base=%d svr=%d tpr=%d id=%d tsc_deadline=%d self_ipi=%d\n",
	       rdmsr_safe(APIC_BASE, &v), wrmsr_safe(X2_SVR, SVR_ENABLE | 0xFF),
	       rdmsr_safe(X2_TPR, &v), rdmsr_safe(X2_ID, &v), rdmsr_safe(TSC_DEADLINE, &v),
	       wrmsr_safe(X2_SELF_IPI, 0x40));
}

void probe_main(void)
{
	irq_gates_install();
	char mode[16];
	cmdline_copy(boot_cmdline(), "mode", mode, sizeof mode);
	if (is(mode, "none"))
		return no_apic();
	wrmsr(X2_SVR, SVR_ENABLE | 0xFF);
	if (mode[0]) {
		hlt_forever(mode);
		return;
	}
	identity();
	registers();
	one_shot();
	divide();
	sti_exit();
	sti_hlt();
	periodic();
	lvt_rewrite();
	tsc_deadline();
	lvt_rewrite_deadline();
	mode_change_deadline();
	mode_change_count();
	spin();
	tpr();
	priority();
	nesting();
	movss_shadow();
	gp_rules();
	esr();
	self_ipi_vector16();
}
