/* The IDT: one interrupt gate per exception vector, each pointing at a stub
 * in isr64.S or isr32.S (gate layouts: 6.11 for 32-bit, 6.14.1 for 64-bit). */
#include "cpu.h"
#include "fault.h"
#include "runtime_layout.h"
#include "x86.h"

extern const unsigned long isr_stub_table[EXCEPTION_VECTORS];

#ifdef __x86_64__
struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
};
#else
struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t reserved;
	uint8_t type_attr;
	uint16_t offset_high;
};
#endif

static struct idt_gate idt[EXCEPTION_VECTORS] __attribute__((aligned(16)));

void idt_init(void)
{
	for (unsigned v = 0; v < EXCEPTION_VECTORS; v++) {
		unsigned long target = isr_stub_table[v];
		struct idt_gate *g = &idt[v];
		g->offset_low = (uint16_t)target;
		g->selector = RUNTIME_CODE_SELECTOR;
		g->type_attr = IDT_GATE_INTERRUPT;
#ifdef __x86_64__
		g->ist = 0;
		g->offset_mid = (uint16_t)(target >> 16);
		g->offset_high = (uint32_t)(target >> 32);
		g->reserved = 0;
#else
		g->reserved = 0;
		g->offset_high = (uint16_t)(target >> 16);
#endif
	}
	struct descriptor_table_register r = {
		.limit = sizeof(idt) - 1,
		.base = (unsigned long)idt,
	};
	load_idt(&r);
}
