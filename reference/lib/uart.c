#include "uart.h"
#include "abi/ports.h"
#include "port_io.h"

/* Polls before giving up on a missing or stuck UART. */
#define UART_POLL_LIMIT 1000000u

void uart_init(void)
{
	outb(COM1_PORT + UART_IER, 0); /* no interrupts */
	outb(COM1_PORT + UART_LCR, UART_LCR_DLAB);
	outb(COM1_PORT + UART_DLL, UART_DIVISOR_115200 & 0xff);
	outb(COM1_PORT + UART_DLM, UART_DIVISOR_115200 >> 8);
	outb(COM1_PORT + UART_LCR, UART_LCR_8N1);
	outb(COM1_PORT + UART_FCR, UART_FCR_ENABLE_CLEAR);
}

static void wait_lsr(unsigned char bit)
{
	for (unsigned i = 0; i < UART_POLL_LIMIT && !(inb(COM1_PORT + UART_LSR) & bit); i++)
		;
}

void uart_putc(char c)
{
	wait_lsr(UART_LSR_THRE);
	outb(COM1_PORT + UART_THR, (unsigned char)c);
}

void uart_puts(const char *s)
{
	while (*s)
		uart_putc(*s++);
}

void uart_drain(void)
{
	wait_lsr(UART_LSR_TEMT);
}
