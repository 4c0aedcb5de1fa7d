/* The 8259A pair of `platform=pc` (contract section 15): its ports and what
 * core/irq.c asks of it before every entry. The lines: pc_irq.h. */
#ifndef HV_PC_PIC_H
#define HV_PC_PIC_H
#include <stdint.h>
#include "vm.h"

/* Reset state (lib/i8259.h): no interrupt before the guest's ICW sequence. */
void pc_pic_init(struct vm *vm);
/* The vector the pair requests now, or -1. */
int pc_pic_pending(struct vm *vm);
/* The processor takes the interrupt (INTA): its vector, or -1. */
int pc_pic_acknowledge(struct vm *vm);
/* Ports 0x20-0x21, 0xA0-0xA1 and the ELCR 0x4D0-0x4D1 (platform.c's table). */
uint32_t pc_pic_in(struct vcpu *v, uint16_t port, unsigned width);
void pc_pic_out(struct vcpu *v, uint16_t port, unsigned width, uint32_t value);

#endif
