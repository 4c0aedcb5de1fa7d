/* COM1 with platform=pc (see pc_uart.h). One VM, so one device. */
#include "pc_uart.h"
#include "console.h"
#include "pc_irq.h"
#include "uart.h"
#include "uart16550.h"

static struct uart16550 com1;
static bool com1_ready;   /* reset before the first access */

static struct uart16550 *device(void)
{
	if (!com1_ready) {
		uart16550_reset(&com1);
		com1_ready = true;
	}
	return &com1;
}

static void update_irq(struct vcpu *v)
{
	pc_irq_line(v, PC_IRQ_COM1, uart16550_irq(&com1));
}

void pc_uart_poll_host(struct vcpu *v)
{
	if (!v->vm->platform_pc)
		return;
	struct uart16550 *u = device();
	char c;
	bool got = false;
	while (uart16550_rx_room(u) && uart_try_getc(&c)) {
		uart16550_receive(u, (uint8_t)c);
		got = true;
	}
	if (got)
		update_irq(v);
}

/* The 16550A is an 8-bit ISA device: a wider access reaches the ports
 * one byte at a time, lowest first; bytes past COM1's last port read
 * all-ones and are dropped (contract section 6, other ports). */
uint32_t pc_uart_in(struct vcpu *v, uint16_t port, unsigned width)
{
	pc_uart_poll_host(v);
	uint32_t value = 0;
	for (unsigned i = 0; i < width; i++) {
		unsigned p = port + i;
		uint8_t b = p <= PC_UART_LAST_PORT ? uart16550_read(device(), p - PC_UART_FIRST_PORT) : 0xFF;
		value |= (uint32_t)b << (8 * i);
	}
	update_irq(v);
	return value;
}

void pc_uart_out(struct vcpu *v, uint16_t port, unsigned width, uint32_t value)
{
	for (unsigned i = 0; i < width && port + i <= PC_UART_LAST_PORT; i++) {
		int sent = uart16550_write(device(), port + i - PC_UART_FIRST_PORT, (uint8_t)(value >> (8 * i)));
		if (sent >= 0) {
			char c = (char)sent;
			console_guest_write(&c, 1);
		}
	}
	update_irq(v);
}
