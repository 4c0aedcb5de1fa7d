/* Placeholder until the 8259A model lands (branch pic replaces this file
 * with core/pc_pic.c): lines go nowhere. */
#include "pc_irq.h"

void pc_irq_line(struct vcpu *v, unsigned irq, bool level)
{
	(void)v;
	(void)irq;
	(void)level;
}
