/* The hypervisor's own descriptor tables: a GDT with a TSS (VM exits need a
 * non-null host TR, SDM 27.2.3) and an IDT that turns any host exception
 * into a report instead of a triple fault. */
#ifndef HV_HOST_CPU_H
#define HV_HOST_CPU_H
#include <stdint.h>

#define HOST_SEL_CODE 0x08
#define HOST_SEL_DATA 0x10
#define HOST_SEL_TSS  0x18

void host_cpu_init(void);
/* Points vector (32-255) at handler, a 64-bit interrupt gate. */
void host_cpu_set_interrupt_gate(unsigned vector, void (*handler)(void));
uint64_t host_gdt_base(void);
uint64_t host_idt_base(void);
uint64_t host_tss_base(void);

#endif
