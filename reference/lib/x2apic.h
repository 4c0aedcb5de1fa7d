/* A virtual local APIC in x2APIC mode (contract section 11, proposal in
 * spec/events-design.md): its MSR interface, interrupt request and
 * in-service state, and its timer against a TSC value the caller passes
 * in. Pure state: no hardware access, so the host unit tests drive it
 * (tests/unit/x2apic_test.c). Register facts: Intel SDM vol. 3A chapter 11
 * (Advanced Programmable Interrupt Controller). */
#ifndef HV_X2APIC_H
#define HV_X2APIC_H
#include <stdbool.h>
#include <stdint.h>

/* MSRs (SDM vol. 3A 11.12.1.2, Table 11-6; vol. 4 Table 2-2). */
#define X2APIC_MSR_APIC_BASE     0x1Bu     /* IA32_APIC_BASE */
#define X2APIC_MSR_TSC_DEADLINE  0x6E0u    /* IA32_TSC_DEADLINE (11.5.4.1) */
#define X2APIC_MSR_FIRST         0x800u    /* the x2APIC register space */
#define X2APIC_MSR_LAST          0x8FFu
#define X2APIC_MSR_ID            0x802u
#define X2APIC_MSR_VERSION       0x803u
#define X2APIC_MSR_TPR           0x808u
#define X2APIC_MSR_PPR           0x80Au
#define X2APIC_MSR_EOI           0x80Bu
#define X2APIC_MSR_LDR           0x80Du
#define X2APIC_MSR_SVR           0x80Fu
#define X2APIC_MSR_ISR0          0x810u    /* ISR 0x810-0x817 */
#define X2APIC_MSR_TMR0          0x818u    /* TMR 0x818-0x81F */
#define X2APIC_MSR_IRR0          0x820u    /* IRR 0x820-0x827 */
#define X2APIC_MSR_ESR           0x828u
#define X2APIC_MSR_LVT_TIMER     0x832u
#define X2APIC_MSR_LVT_LINT0     0x835u
#define X2APIC_MSR_LVT_LINT1     0x836u
#define X2APIC_MSR_LVT_ERROR     0x837u
#define X2APIC_MSR_INITIAL_COUNT 0x838u
#define X2APIC_MSR_CURRENT_COUNT 0x839u
#define X2APIC_MSR_DIVIDE        0x83Eu
#define X2APIC_MSR_SELF_IPI      0x83Fu

/* IA32_APIC_BASE as this APIC always reads: base 0xFEE00000 (11.4.4),
 * BSP (bit 8), EXTD (bit 10, x2APIC mode), EN (bit 11). */
#define X2APIC_BASE_VALUE        0xFEE00D00ull
/* Version register (11.4.8): version 14h, max LVT entry 3 in bits 23:16
 * (timer, LINT0, LINT1, error), bit 24 (EOI-broadcast suppression) 0. */
#define X2APIC_VERSION_VALUE     0x00030014u
/* LDR of x2APIC ID 0 (11.12.10.2): cluster 0, bit 1 << ID[3:0]. */
#define X2APIC_LDR_VALUE         0x00000001u

/* LVT bits (11.5.1, Figure 11-8). */
#define X2APIC_LVT_VECTOR        0xFFu
#define X2APIC_LVT_MASKED        (1u << 16)
#define X2APIC_LVT_TIMER_MODE    (3u << 17)
#define X2APIC_TIMER_ONE_SHOT    (0u << 17)
#define X2APIC_TIMER_PERIODIC    (1u << 17)
#define X2APIC_TIMER_TSC_DEADLINE (2u << 17)
#define X2APIC_LVT_DELIVERY_STATUS (1u << 12)   /* read-only */
#define X2APIC_LVT_REMOTE_IRR    (1u << 14)     /* read-only (LINT) */
/* Writable bits: timer (vector, mask, mode), LINT0/1 (also delivery mode
 * 10:8, polarity 13, trigger 15), error (vector, mask). */
#define X2APIC_LVT_TIMER_BITS    (X2APIC_LVT_VECTOR | X2APIC_LVT_MASKED | X2APIC_LVT_TIMER_MODE)
#define X2APIC_LVT_LINT_BITS     (X2APIC_LVT_VECTOR | (7u << 8) | (1u << 13) | (1u << 15) | X2APIC_LVT_MASKED)
#define X2APIC_LVT_ERROR_BITS    (X2APIC_LVT_VECTOR | X2APIC_LVT_MASKED)
#define X2APIC_LVT_RESET         X2APIC_LVT_MASKED   /* 11.4.7.1 */

/* Spurious-interrupt vector register (11.9): vector 7:0, software enable 8. */
#define X2APIC_SVR_VECTOR        0xFFu
#define X2APIC_SVR_ENABLE        (1u << 8)
#define X2APIC_SVR_BITS          (X2APIC_SVR_VECTOR | X2APIC_SVR_ENABLE)
#define X2APIC_SVR_RESET         0xFFu

/* Error status register bits (11.5.3, Figure 11-9). */
#define X2APIC_ESR_SEND_ILLEGAL  (1u << 5)
#define X2APIC_ESR_RECV_ILLEGAL  (1u << 6)

#define X2APIC_TPR_BITS          0xFFu
#define X2APIC_DIVIDE_BITS       0xBu     /* bits 0, 1, 3 (Figure 11-10) */
#define X2APIC_SELF_IPI_BITS     0xFFu
#define X2APIC_FIRST_LEGAL_VECTOR 16u     /* 0-15 are illegal (11.5.2) */
#define X2APIC_VECTORS           256u

/* What x2apic_next_event returns when no timer interrupt is ahead. */
#define X2APIC_NO_EVENT          UINT64_MAX

struct x2apic {
	uint32_t tpr, svr, esr, esr_pending;
	uint32_t lvt_timer, lvt_lint0, lvt_lint1, lvt_error;
	uint32_t initial_count, divide;
	uint32_t irr[X2APIC_VECTORS / 32], isr[X2APIC_VECTORS / 32];
	/* One-shot/periodic: the count was count_base at TSC time_base and
	 * falls by one every divisor ticks; running while counting. */
	bool running;
	uint32_t count_base;
	uint64_t time_base;
	uint64_t deadline;   /* IA32_TSC_DEADLINE, 0: disarmed */
};

enum x2apic_access {
	X2APIC_OK,          /* done */
	X2APIC_GP,          /* the access injects #GP(0) */
	X2APIC_NOT_MINE,    /* not an MSR of this device */
};

/* The state at reset (11.4.7.1), timer stopped. */
void x2apic_reset(struct x2apic *a);
/* Whether msr belongs to the device: IA32_APIC_BASE, IA32_TSC_DEADLINE or
 * 0x800-0x8FF. */
bool x2apic_owns(uint32_t msr);
/* RDMSR / WRMSR at guest TSC now. */
enum x2apic_access x2apic_read(struct x2apic *a, uint32_t msr, uint64_t now, uint64_t *value);
enum x2apic_access x2apic_write(struct x2apic *a, uint32_t msr, uint64_t value, uint64_t now);
/* Brings the timer up to TSC now: an expiry at or before now makes its
 * vector pending (once, however many periods passed). */
void x2apic_update(struct x2apic *a, uint64_t now);
/* The TSC time of the next timer expiry that would make an interrupt
 * pending (X2APIC_NO_EVENT: none; a masked timer makes none). */
uint64_t x2apic_next_event(const struct x2apic *a);
/* The vector the processor would take now: the highest in IRR whose
 * priority class is above PPR's (11.8.3); -1 when none. */
int x2apic_pending(const struct x2apic *a);
/* The processor took vector: IRR to ISR (11.8.4). */
void x2apic_accept(struct x2apic *a, unsigned vector);
/* PPR (11.8.3.1). */
uint32_t x2apic_ppr(const struct x2apic *a);

#endif
