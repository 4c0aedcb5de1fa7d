#include "uart.h"
#include "abi/ports.h"
#include "port_io.h"

/* Polls before giving up on a missing or stuck UART. */
#define UART_POLL_LIMIT 1000000u

void uart_init_at(uint16_t base)
{
	outb(base + UART_IER, 0); /* no interrupts */
	outb(base + UART_LCR, UART_LCR_DLAB);
	outb(base + UART_DLL, UART_DIVISOR_115200 & 0xff);
	outb(base + UART_DLM, UART_DIVISOR_115200 >> 8);
	outb(base + UART_LCR, UART_LCR_8N1);
	outb(base + UART_FCR, UART_FCR_ENABLE_CLEAR);
}

static void wait_lsr(uint16_t base, unsigned char bit)
{
	for (unsigned i = 0; i < UART_POLL_LIMIT && !(inb(base + UART_LSR) & bit); i++)
		;
}

void uart_putc_at(uint16_t base, char c)
{
	wait_lsr(base, UART_LSR_THRE);
	outb(base + UART_THR, (unsigned char)c);
}

void uart_drain_at(uint16_t base)
{
	wait_lsr(base, UART_LSR_TEMT);
}

void uart_init(void) { uart_init_at(COM1_PORT); }

void uart_putc(char c) { uart_putc_at(COM1_PORT, c); }

void uart_puts(const char *s)
{
	while (*s)
		uart_putc(*s++);
}

void uart_drain(void) { uart_drain_at(COM1_PORT); }

bool uart_try_getc(char *c)
{
	if (!(inb(COM1_PORT + UART_LSR) & UART_LSR_DR))
		return false;
	*c = (char)inb(COM1_PORT + UART_RBR);
	return true;
}
