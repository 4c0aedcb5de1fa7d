/* The 8254 timer and port 0x61 of `platform=pc` (contract section 15). Its
 * input clock is the guest's TSC divided by PC_TSC_PER_PIT_COUNT. */
#ifndef HV_PC_PIT_H
#define HV_PC_PIT_H
#include <stdint.h>
#include "vm.h"

/* Guest TSC ticks per 8254 input clock pulse: a 2 GHz TSC against the PC's
 * 1.193182 MHz (14.31818 MHz / 12) clock is 1676.2 (contract section 15;
 * Linux is told the TSC rate with tsc_early_khz=2000000). */
#define PC_TSC_PER_PIT_COUNT 1676u

void pc_pit_init(struct vm *vm);
/* Raises IRQ 0 when counter 0's OUT rose since the last call. */
void pc_pit_update(struct vcpu *v);
/* The guest TSC at which counter 0's OUT rises next, or ARCH_NO_DEADLINE. */
uint64_t pc_pit_next_event(struct vcpu *v);
/* Ports 0x40-0x43 and 0x61 (platform.c's table). */
uint32_t pc_pit_in(struct vcpu *v, uint16_t port, unsigned width);
void pc_pit_out(struct vcpu *v, uint16_t port, unsigned width, uint32_t value);
uint32_t pc_port61_in(struct vcpu *v, uint16_t port, unsigned width);
void pc_port61_out(struct vcpu *v, uint16_t port, unsigned width, uint32_t value);

#endif
