/* The 8259A pair of `platform=pc` (contract section 15): the state machine
 * of lib/i8259.c in struct vm, its ports, and the ISA lines every device
 * model drives (pc_irq.h). Delivery to the processor is core/irq.c's. */
#include "pc_irq.h"
#include "pc_pic.h"
#include "pc_pit.h"
#include "platform.h"

void pc_pic_init(struct vm *vm)
{
	i8259_pair_reset(&vm->pic);
}

void pc_vm_irq_line(struct vm *vm, unsigned irq, bool level)
{
	if (vm->platform_pc)
		i8259_pair_set_line(&vm->pic, irq, level);
}

void pc_irq_line(struct vcpu *v, unsigned irq, bool level)
{
	pc_vm_irq_line(v->vm, irq, level);
}

int pc_pic_pending(struct vm *vm)
{
	return i8259_pair_pending(&vm->pic);
}

int pc_pic_acknowledge(struct vm *vm)
{
	return i8259_pair_acknowledge(&vm->pic);
}

uint32_t pc_pic_in(struct vcpu *v, uint16_t port, unsigned width)
{
	pc_pit_update(v);   /* IRR and the poll word see every IRQ 0 edge so far */
	return platform_byte_read(i8259_pair_read(&v->vm->pic, port), width);
}

void pc_pic_out(struct vcpu *v, uint16_t port, unsigned width, uint32_t value)
{
	(void)width;
	i8259_pair_write(&v->vm->pic, port, (uint8_t)value);
}
