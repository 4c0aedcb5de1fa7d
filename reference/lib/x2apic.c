/* The virtual x2APIC's state machine (x2apic.h; SDM vol. 3A chapter 11). */
#include "x2apic.h"

static void set_bit(uint32_t *bits, unsigned vector)
{
	bits[vector / 32] |= 1u << (vector % 32);
}

static void clear_bit(uint32_t *bits, unsigned vector)
{
	bits[vector / 32] &= ~(1u << (vector % 32));
}

/* The highest vector set in a 256-bit register, or -1. */
static int highest(const uint32_t *bits)
{
	for (int word = X2APIC_VECTORS / 32 - 1; word >= 0; word--)
		if (bits[word])
			return word * 32 + 31 - __builtin_clz(bits[word]);
	return -1;
}

void x2apic_reset(struct x2apic *a)
{
	*a = (struct x2apic){ 0 };
	a->svr = X2APIC_SVR_RESET;
	a->lvt_timer = a->lvt_lint0 = a->lvt_lint1 = a->lvt_error = X2APIC_LVT_RESET;
}

bool x2apic_owns(uint32_t msr)
{
	return msr == X2APIC_MSR_APIC_BASE || msr == X2APIC_MSR_TSC_DEADLINE ||
	       (msr >= X2APIC_MSR_FIRST && msr <= X2APIC_MSR_LAST);
}

/* Divide configuration -> divisor (Figure 11-10): bits 3,1:0 = 000 -> 2,
 * 001 -> 4 ... 110 -> 128, 111 -> 1. */
static uint64_t divisor(const struct x2apic *a)
{
	unsigned code = (a->divide & 3u) | ((a->divide >> 1) & 4u);
	return 1ull << ((code + 1) & 7u);
}

static uint32_t timer_mode(const struct x2apic *a)
{
	return a->lvt_timer & X2APIC_LVT_TIMER_MODE;
}

/* An error (ESR bit) and the error LVT's interrupt if it is unmasked. */
static void raise_error(struct x2apic *a, uint32_t esr_bit)
{
	a->esr_pending |= esr_bit;
	uint32_t vector = a->lvt_error & X2APIC_LVT_VECTOR;
	if (!(a->lvt_error & X2APIC_LVT_MASKED) && vector >= X2APIC_FIRST_LEGAL_VECTOR)
		set_bit(a->irr, vector);
}

/* A local interrupt from an LVT entry (11.5.2: vectors 0-15 are illegal). */
static void local_interrupt(struct x2apic *a, uint32_t lvt)
{
	if (lvt & X2APIC_LVT_MASKED)
		return;
	uint32_t vector = lvt & X2APIC_LVT_VECTOR;
	if (vector < X2APIC_FIRST_LEGAL_VECTOR)
		raise_error(a, X2APIC_ESR_RECV_ILLEGAL);
	else
		set_bit(a->irr, vector);
}

/* One-shot/periodic: the TSC time the count reaches 0. */
static uint64_t count_expiry(const struct x2apic *a)
{
	return a->time_base + (uint64_t)a->count_base * divisor(a);
}

static uint32_t current_count(const struct x2apic *a, uint64_t now)
{
	if (!a->running || now <= a->time_base)
		return a->running ? a->count_base : 0;
	uint64_t ticks = (now - a->time_base) / divisor(a);
	if (ticks < a->count_base)
		return (uint32_t)(a->count_base - ticks);
	if (timer_mode(a) != X2APIC_TIMER_PERIODIC)
		return 0;
	/* Periods completed since, not yet seen by x2apic_update. */
	return (uint32_t)(a->initial_count - (ticks - a->count_base) % a->initial_count);
}

void x2apic_update(struct x2apic *a, uint64_t now)
{
	if (timer_mode(a) == X2APIC_TIMER_TSC_DEADLINE) {
		if (a->deadline && now >= a->deadline) {
			a->deadline = 0;
			local_interrupt(a, a->lvt_timer);
		}
		return;
	}
	if (!a->running || now < count_expiry(a))
		return;
	local_interrupt(a, a->lvt_timer);
	if (timer_mode(a) != X2APIC_TIMER_PERIODIC) {
		a->running = false;
		return;
	}
	/* Reload; periods wholly past fire no more (the IRR bit is set). */
	uint64_t period = (uint64_t)a->initial_count * divisor(a);
	a->time_base = count_expiry(a);
	a->count_base = a->initial_count;
	a->time_base += (now - a->time_base) / period * period;
}

uint64_t x2apic_next_event(const struct x2apic *a)
{
	if (a->lvt_timer & X2APIC_LVT_MASKED)
		return X2APIC_NO_EVENT;
	if (timer_mode(a) == X2APIC_TIMER_TSC_DEADLINE)
		return a->deadline ? a->deadline : X2APIC_NO_EVENT;
	return a->running ? count_expiry(a) : X2APIC_NO_EVENT;
}

uint32_t x2apic_ppr(const struct x2apic *a)
{
	int isrv = highest(a->isr);
	uint32_t isr_class = isrv < 0 ? 0 : (uint32_t)isrv & 0xF0u;
	return (a->tpr & 0xF0u) >= isr_class ? a->tpr : isr_class;
}

int x2apic_pending(const struct x2apic *a)
{
	int v = highest(a->irr);
	if (v < 0 || ((uint32_t)v & 0xF0u) <= (x2apic_ppr(a) & 0xF0u))
		return -1;
	return v;
}

void x2apic_accept(struct x2apic *a, unsigned vector)
{
	vector &= X2APIC_VECTORS - 1;
	clear_bit(a->irr, vector);
	set_bit(a->isr, vector);
}

/* 32-bit registers: EDX (bits 63:32) is reserved. */
static bool reserved(uint64_t value, uint32_t writable)
{
	return (value & ~(uint64_t)writable) != 0;
}

/* While the APIC is software-disabled every LVT stays masked (11.4.7.2). */
static uint32_t lvt_value(const struct x2apic *a, uint64_t value)
{
	return (uint32_t)value | (a->svr & X2APIC_SVR_ENABLE ? 0 : X2APIC_LVT_MASKED);
}

static void stop_timer(struct x2apic *a)
{
	a->running = false;
	a->initial_count = 0;
	a->count_base = 0;
	a->deadline = 0;
}

static enum x2apic_access write_lvt_timer(struct x2apic *a, uint64_t value)
{
	if (reserved(value, X2APIC_LVT_TIMER_BITS) ||
	    (value & X2APIC_LVT_TIMER_MODE) == X2APIC_LVT_TIMER_MODE)
		return X2APIC_GP;
	/* A mode change disarms the timer (11.5.4.1). */
	if (((uint32_t)value & X2APIC_LVT_TIMER_MODE) != timer_mode(a))
		stop_timer(a);
	a->lvt_timer = lvt_value(a, value);
	return X2APIC_OK;
}

static enum x2apic_access write_divide(struct x2apic *a, uint64_t value, uint64_t now)
{
	if (reserved(value, X2APIC_DIVIDE_BITS))
		return X2APIC_GP;
	/* The count goes on from where it is, at the new rate. */
	if (a->running) {
		a->count_base = current_count(a, now);
		a->time_base = now;
	}
	a->divide = (uint32_t)value;
	return X2APIC_OK;
}

static enum x2apic_access write_initial_count(struct x2apic *a, uint64_t value, uint64_t now)
{
	if (reserved(value, UINT32_MAX))
		return X2APIC_GP;
	if (timer_mode(a) == X2APIC_TIMER_TSC_DEADLINE)
		return X2APIC_OK;   /* ignored in TSC-deadline mode (11.5.4.1) */
	a->initial_count = (uint32_t)value;
	a->count_base = (uint32_t)value;
	a->time_base = now;
	a->running = value != 0;
	return X2APIC_OK;
}

static enum x2apic_access write_svr(struct x2apic *a, uint64_t value)
{
	if (reserved(value, X2APIC_SVR_BITS))
		return X2APIC_GP;
	a->svr = (uint32_t)value;
	if (!(value & X2APIC_SVR_ENABLE)) {
		a->lvt_timer |= X2APIC_LVT_MASKED;
		a->lvt_lint0 |= X2APIC_LVT_MASKED;
		a->lvt_lint1 |= X2APIC_LVT_MASKED;
		a->lvt_error |= X2APIC_LVT_MASKED;
	}
	return X2APIC_OK;
}

static enum x2apic_access self_ipi(struct x2apic *a, uint64_t value)
{
	if (reserved(value, X2APIC_SELF_IPI_BITS))
		return X2APIC_GP;
	uint32_t vector = (uint32_t)value;
	if (vector < X2APIC_FIRST_LEGAL_VECTOR)
		raise_error(a, X2APIC_ESR_SEND_ILLEGAL);
	else
		set_bit(a->irr, vector);
	return X2APIC_OK;
}

static enum x2apic_access eoi(struct x2apic *a, uint64_t value)
{
	if (value)   /* x2APIC mode: a non-zero EOI write faults (11.12.1.2) */
		return X2APIC_GP;
	int v = highest(a->isr);
	if (v >= 0)
		clear_bit(a->isr, (unsigned)v);
	return X2APIC_OK;
}

enum x2apic_access x2apic_write(struct x2apic *a, uint32_t msr, uint64_t value, uint64_t now)
{
	/* What expired before this write happened first (e.g. stopping a
	 * timer that already fired leaves its interrupt pending). */
	x2apic_update(a, now);
	switch (msr) {
	case X2APIC_MSR_APIC_BASE:
		return value == X2APIC_BASE_VALUE ? X2APIC_OK : X2APIC_GP;
	case X2APIC_MSR_TSC_DEADLINE:
		if (timer_mode(a) == X2APIC_TIMER_TSC_DEADLINE)
			a->deadline = value;
		return X2APIC_OK;
	case X2APIC_MSR_TPR:
		if (reserved(value, X2APIC_TPR_BITS))
			return X2APIC_GP;
		a->tpr = (uint32_t)value;
		return X2APIC_OK;
	case X2APIC_MSR_EOI:
		return eoi(a, value);
	case X2APIC_MSR_SVR:
		return write_svr(a, value);
	case X2APIC_MSR_ESR:
		if (value)
			return X2APIC_GP;   /* x2APIC mode: only 0 (11.12.1.2) */
		a->esr = a->esr_pending;
		a->esr_pending = 0;
		return X2APIC_OK;
	case X2APIC_MSR_LVT_TIMER:
		return write_lvt_timer(a, value);
	case X2APIC_MSR_LVT_LINT0:
	case X2APIC_MSR_LVT_LINT1:
		if (reserved(value, X2APIC_LVT_LINT_BITS))
			return X2APIC_GP;
		*(msr == X2APIC_MSR_LVT_LINT0 ? &a->lvt_lint0 : &a->lvt_lint1) = lvt_value(a, value);
		return X2APIC_OK;
	case X2APIC_MSR_LVT_ERROR:
		if (reserved(value, X2APIC_LVT_ERROR_BITS))
			return X2APIC_GP;
		a->lvt_error = lvt_value(a, value);
		return X2APIC_OK;
	case X2APIC_MSR_INITIAL_COUNT:
		return write_initial_count(a, value, now);
	case X2APIC_MSR_DIVIDE:
		return write_divide(a, value, now);
	case X2APIC_MSR_SELF_IPI:
		return self_ipi(a, value);
	}
	/* Read-only, absent or not ours. */
	return x2apic_owns(msr) ? X2APIC_GP : X2APIC_NOT_MINE;
}

enum x2apic_access x2apic_read(struct x2apic *a, uint32_t msr, uint64_t now, uint64_t *value)
{
	x2apic_update(a, now);
	if (msr >= X2APIC_MSR_ISR0 && msr < X2APIC_MSR_ISR0 + 8) {
		*value = a->isr[msr - X2APIC_MSR_ISR0];
		return X2APIC_OK;
	}
	if (msr >= X2APIC_MSR_TMR0 && msr < X2APIC_MSR_TMR0 + 8) {
		*value = 0;   /* every source is edge-triggered */
		return X2APIC_OK;
	}
	if (msr >= X2APIC_MSR_IRR0 && msr < X2APIC_MSR_IRR0 + 8) {
		*value = a->irr[msr - X2APIC_MSR_IRR0];
		return X2APIC_OK;
	}
	switch (msr) {
	case X2APIC_MSR_APIC_BASE:     *value = X2APIC_BASE_VALUE; return X2APIC_OK;
	case X2APIC_MSR_TSC_DEADLINE:
		*value = timer_mode(a) == X2APIC_TIMER_TSC_DEADLINE ? a->deadline : 0;
		return X2APIC_OK;
	case X2APIC_MSR_ID:            *value = 0; return X2APIC_OK;
	case X2APIC_MSR_VERSION:       *value = X2APIC_VERSION_VALUE; return X2APIC_OK;
	case X2APIC_MSR_TPR:           *value = a->tpr; return X2APIC_OK;
	case X2APIC_MSR_PPR:           *value = x2apic_ppr(a); return X2APIC_OK;
	case X2APIC_MSR_LDR:           *value = X2APIC_LDR_VALUE; return X2APIC_OK;
	case X2APIC_MSR_SVR:           *value = a->svr; return X2APIC_OK;
	case X2APIC_MSR_ESR:           *value = a->esr; return X2APIC_OK;
	case X2APIC_MSR_LVT_TIMER:     *value = a->lvt_timer; return X2APIC_OK;
	case X2APIC_MSR_LVT_LINT0:     *value = a->lvt_lint0; return X2APIC_OK;
	case X2APIC_MSR_LVT_LINT1:     *value = a->lvt_lint1; return X2APIC_OK;
	case X2APIC_MSR_LVT_ERROR:     *value = a->lvt_error; return X2APIC_OK;
	case X2APIC_MSR_INITIAL_COUNT: *value = a->initial_count; return X2APIC_OK;
	case X2APIC_MSR_CURRENT_COUNT:
		*value = timer_mode(a) == X2APIC_TIMER_TSC_DEADLINE ? 0 : current_count(a, now);
		return X2APIC_OK;
	case X2APIC_MSR_DIVIDE:        *value = a->divide; return X2APIC_OK;
	}
	/* Write-only (EOI, self IPI), absent or not ours. */
	return x2apic_owns(msr) ? X2APIC_GP : X2APIC_NOT_MINE;
}
