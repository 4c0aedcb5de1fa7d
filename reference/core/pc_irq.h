/* Interrupt request lines of the legacy PC platform (contract section 15,
 * {#pc.irq-lines}): a device model sets its line's level; the 8259A pair
 * (core/pc_pic.c) turns edges into interrupts. */
#ifndef HV_PC_IRQ_H
#define HV_PC_IRQ_H
#include <stdbool.h>
#include "vm.h"

#define PC_IRQ_PIT     0   /* 8254 channel 0 */
#define PC_IRQ_CASCADE 2   /* slave 8259A on the master's input 2 */
#define PC_IRQ_COM1    4
#define PC_IRQ_VIRTIO  5   /* the virtio block device of section 14 */
#define PC_IRQ_RTC     8

/* Sets the level of ISA IRQ line irq (0-15). Without platform=pc: nothing. */
void pc_irq_line(struct vcpu *v, unsigned irq, bool level);
/* The same for a device model that has only the VM (MMIO devices). */
void pc_vm_irq_line(struct vm *vm, unsigned irq, bool level);

#endif
