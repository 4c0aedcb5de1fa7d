/* The 256-gate IDT of the probes that take external interrupts (irq_timer,
 * pc_pic): the runtime's 32 exception gates copied, then a 64-bit
 * interrupt gate for each of vectors 32-255 to irq_timer/stubs.S's 16-byte
 * slots, which call the probe's interrupt_dispatch (runtime/fault.h). */
#ifndef GP_SHARED_IRQ_GATES_H
#define GP_SHARED_IRQ_GATES_H
#include "runtime.h"

#define IDT_VECTORS      256
#define IRQ_STUB_BYTES   16               /* stubs.S slot size */
#define GATE_INTERRUPT64 0x8Eu            /* present, DPL 0, 64-bit interrupt gate (SDM vol. 3A 6.14.1) */

struct gate64 {
	uint16_t offset_low, selector;
	uint8_t ist, type_attr;
	uint16_t offset_mid;
	uint32_t offset_high, reserved;
};

extern const char irq_stubs[];
static struct gate64 irq_idt[IDT_VECTORS] __attribute__((aligned(16)));

/* Points gate v at handler a (a 64-bit interrupt gate, IF cleared on entry). */
static void irq_gate_set(unsigned v, uint64_t a)
{
	irq_idt[v] = (struct gate64){ (uint16_t)a, RUNTIME_CODE_SELECTOR, 0, GATE_INTERRUPT64,
				      (uint16_t)(a >> 16), (uint32_t)(a >> 32), 0 };
}

static void irq_gates_install(void)
{
	struct descriptor_table_register old;
	__asm__ volatile("sidt %0" : "=m"(old));
	memcpy(irq_idt, (const void *)old.base, EXCEPTION_VECTORS * sizeof irq_idt[0]);
	for (unsigned v = EXCEPTION_VECTORS; v < IDT_VECTORS; v++)
		irq_gate_set(v, (uint64_t)irq_stubs + (v - EXCEPTION_VECTORS) * IRQ_STUB_BYTES);
	struct descriptor_table_register r = { sizeof irq_idt - 1, (unsigned long)irq_idt };
	load_idt(&r);
}

#endif
