/* The 8254 timer and port 0x61 of `platform=pc` (contract section 15): the
 * state machine of lib/i8254.c in struct vm, clocked by the guest's TSC
 * (one input pulse every PC_TSC_PER_PIT_COUNT ticks, so time stands still
 * between the guest's instructions exactly as the x2APIC timer's does),
 * counter 0's OUT on IRQ 0, counter 2's gate and OUT on port 0x61. */
#include "arch.h"
#include "pc_irq.h"
#include "pc_pit.h"
#include "platform.h"

/* Port 0x61, system control port B (IBM PC/AT technical reference; the
 * same bits in every PC chipset since, e.g. Intel 82371SB PIIX3 NMISC). */
#define PORT61_TIMER2_GATE  0x01u   /* R/W: counter 2's gate */
#define PORT61_SPEAKER      0x02u   /* R/W: speaker data enable (stored only) */
#define PORT61_STORED       0x0Fu   /* bits 3:0 read back as written */
#define PORT61_REFRESH      0x10u   /* RO: toggles with every memory refresh request */
#define PORT61_TIMER2_OUT   0x20u   /* RO: counter 2's OUT */
/* The refresh request comes every 15.085 us (PC/AT: counter 1 in mode 2
 * with count 18): bit 4 toggles every 18 input clock pulses. */
#define REFRESH_COUNTS      18u
#define PIT_COUNTER_SPEAKER 2u

static uint64_t pit_now(struct vcpu *v)
{
	return arch->guest_tsc(v) / PC_TSC_PER_PIT_COUNT;
}

void pc_pit_init(struct vm *vm)
{
	i8254_reset(&vm->pit);
	vm->pit_irq_checked = 0;
	vm->port61 = 0;
}

void pc_pit_update(struct vcpu *v)
{
	struct vm *vm = v->vm;
	uint64_t now = pit_now(v);
	if (i8254_next_rise(&vm->pit, 0, vm->pit_irq_checked) <= now) {
		/* A rising edge (several since the last look merge into one,
		 * as in the 8259A's IRR). */
		pc_irq_line(v, PC_IRQ_PIT, true);
		pc_irq_line(v, PC_IRQ_PIT, false);
	}
	vm->pit_irq_checked = now;
}

uint64_t pc_pit_next_event(struct vcpu *v)
{
	struct vm *vm = v->vm;
	uint64_t at = i8254_next_rise(&vm->pit, 0, vm->pit_irq_checked);
	if (at == I8254_NEVER || at > ARCH_NO_DEADLINE / PC_TSC_PER_PIT_COUNT)
		return ARCH_NO_DEADLINE;
	return at * PC_TSC_PER_PIT_COUNT;
}

uint32_t pc_pit_in(struct vcpu *v, uint16_t port, unsigned width)
{
	pc_pit_update(v);
	return platform_byte_read(i8254_read(&v->vm->pit, port, pit_now(v)), width);
}

void pc_pit_out(struct vcpu *v, uint16_t port, unsigned width, uint32_t value)
{
	(void)width;
	pc_pit_update(v);   /* edges before the write belong to the old setting */
	i8254_write(&v->vm->pit, port, (uint8_t)value, pit_now(v));
}

uint32_t pc_port61_in(struct vcpu *v, uint16_t port, unsigned width)
{
	(void)port;
	uint64_t now = pit_now(v);
	uint8_t value = v->vm->port61 & PORT61_STORED;
	if (now / REFRESH_COUNTS % 2)
		value |= PORT61_REFRESH;
	if (i8254_out(&v->vm->pit, PIT_COUNTER_SPEAKER, now))
		value |= PORT61_TIMER2_OUT;
	return platform_byte_read(value, width);
}

void pc_port61_out(struct vcpu *v, uint16_t port, unsigned width, uint32_t value)
{
	(void)port;
	(void)width;
	v->vm->port61 = (uint8_t)value & PORT61_STORED;
	i8254_set_gate(&v->vm->pit, PIT_COUNTER_SPEAKER, value & PORT61_TIMER2_GATE, pit_now(v));
}
