#include "host_cpu.h"
#include "vm_end.h"
#include "hv_string.h"
#include <stdint.h>

#define IDT_VECTORS       32          /* architectural exceptions (SDM 6.3.1) */
#define IDT_GATES         256         /* every vector: gates past 31 are not present until set */
#define GATE_INTERRUPT64  0x8E        /* present, DPL 0, 64-bit interrupt gate (SDM 6.14.1) */
#define TSS_TYPE_AVAIL64  0x89        /* present, 64-bit available TSS (SDM 8.2.3) */
#define TSS_SIZE          104         /* 64-bit TSS without I/O bitmap (SDM 8.7) */

struct idt_gate {
	uint16_t offset_low, selector;
	uint8_t ist, type_attr;
	uint16_t offset_mid;
	uint32_t offset_high, reserved;
} __attribute__((packed));

struct descriptor_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static uint64_t gdt[5] __attribute__((aligned(16)));   /* null, code, data, TSS (two slots) */
static struct idt_gate idt[IDT_GATES] __attribute__((aligned(16)));
static uint8_t tss[TSS_SIZE] __attribute__((aligned(16)));

extern const uint64_t host_exception_stubs[IDT_VECTORS];   /* isr.S */

void host_cpu_init(void)
{
	gdt[0] = 0;
	gdt[1] = 0x00af9b000000ffffull;   /* 64-bit code (SDM 3.4.5) */
	gdt[2] = 0x00cf93000000ffffull;   /* data */
	uint64_t base = (uint64_t)tss, limit = TSS_SIZE - 1;
	gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | ((uint64_t)TSS_TYPE_AVAIL64 << 40) |
		 (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[4] = base >> 32;
	memset(tss, 0, sizeof tss);
	struct descriptor_ptr gp = { sizeof gdt - 1, (uint64_t)gdt };
	__asm__ volatile(
		"lgdt %0\n\t"
		"pushq %1\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movw %w2, %%ax\n\t"
		"movw %%ax, %%ds\n\t"
		"movw %%ax, %%es\n\t"
		"movw %%ax, %%ss\n\t"
		"ltr %w3"
		:: "m"(gp), "i"((uint64_t)HOST_SEL_CODE), "r"((uint32_t)HOST_SEL_DATA), "r"((uint32_t)HOST_SEL_TSS)
		: "rax", "memory");

	memset(idt, 0, sizeof idt);   /* not present */
	for (unsigned v = 0; v < IDT_VECTORS; v++) {
		uint64_t a = host_exception_stubs[v];
		idt[v] = (struct idt_gate){ (uint16_t)a, HOST_SEL_CODE, 0, GATE_INTERRUPT64,
					    (uint16_t)(a >> 16), (uint32_t)(a >> 32), 0 };
	}
	struct descriptor_ptr ip = { sizeof idt - 1, (uint64_t)idt };
	__asm__ volatile("lidt %0" :: "m"(ip));
}

void host_cpu_set_interrupt_gate(unsigned vector, void (*handler)(void))
{
	uint64_t a = (uint64_t)handler;
	if (vector < IDT_VECTORS || vector >= IDT_GATES)
		return;   /* exceptions keep their report */
	idt[vector] = (struct idt_gate){ (uint16_t)a, HOST_SEL_CODE, 0, GATE_INTERRUPT64,
					 (uint16_t)(a >> 16), (uint32_t)(a >> 32), 0 };
}

uint64_t host_gdt_base(void) { return (uint64_t)gdt; }
uint64_t host_idt_base(void) { return (uint64_t)idt; }
uint64_t host_tss_base(void) { return (uint64_t)tss; }

/* Called by isr.S with the vector and the interrupted RIP. */
/* LCOV_EXCL_START: a host exception means a hypervisor bug or a faulty CPU; no guest or test raises one */
void host_exception(uint64_t vector, uint64_t error_code, uint64_t rip)
{
	(void)error_code;
	vm_end_set_teardown(0);   /* the hypervisor's own state is suspect now */
	vm_end("host exception vector=%lu rip=0x%lx", vector, rip);
}
/* LCOV_EXCL_STOP */
