/* Port dispatch for the legacy PC devices of `platform=pc` (contract
 * section 15). Each device model adds its port ranges to the table. */
#include "platform.h"
#include "acpi_tables.h"
#include "pc_acpi.h"
#include "pc_cmos.h"
#include "pc_pic.h"
#include "pc_pit.h"
#include "pc_uart.h"

static const struct platform_ports platform_port_map[] = {
	{ "8259A master", 0x20, 0x21, pc_pic_in, pc_pic_out },
	{ "8254", 0x40, 0x43, pc_pit_in, pc_pit_out },
	{ "port 0x61", 0x61, 0x61, pc_port61_in, pc_port61_out },
	{ "8259A slave", 0xA0, 0xA1, pc_pic_in, pc_pic_out },
	{ "ELCR", 0x4D0, 0x4D1, pc_pic_in, pc_pic_out },
	{ "cmos", PC_CMOS_INDEX_PORT, PC_CMOS_DATA_PORT, pc_cmos_in, pc_cmos_out },
	{ "com1", PC_UART_FIRST_PORT, PC_UART_LAST_PORT, pc_uart_in, pc_uart_out },
	{ "acpi-pm1", ACPI_PM1A_EVT_PORT, ACPI_PM1A_CNT_PORT + ACPI_PM1_CNT_LEN - 1, pc_acpi_in, pc_acpi_out },
	{ 0 }   /* end */
};

static const struct platform_ports *owner_of(const struct vcpu *v, uint16_t port)
{
	if (!v->vm->platform_pc)
		return 0;
	for (const struct platform_ports *p = platform_port_map; p->device; p++)
		if (port >= p->first && port <= p->last)
			return p;
	return 0;
}

bool platform_port_in(struct vcpu *v, uint16_t port, unsigned width, uint32_t *value)
{
	const struct platform_ports *p = owner_of(v, port);
	if (!p)
		return false;
	*value = p->in(v, port, width);
	return true;
}

bool platform_port_out(struct vcpu *v, uint16_t port, unsigned width, uint32_t value)
{
	const struct platform_ports *p = owner_of(v, port);
	if (!p)
		return false;
	p->out(v, port, width, value);
	return true;
}
