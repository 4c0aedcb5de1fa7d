#include "console.h"
#include "format.h"
#include "x86.h"
#include <stdbool.h>

#define COM1_PORT      0x3F8
#define UART_IER       1      /* 16550 registers (PC16550D data sheet) */
#define UART_FCR       2
#define UART_LCR       3
#define UART_LSR       5
#define UART_LCR_DLAB  0x80
#define UART_LCR_8N1   0x03
#define UART_FCR_ENABLE_CLEAR 0xC7
#define UART_LSR_THRE  0x20
#define UART_LSR_TEMT  0x40      /* transmitter empty: the last bit is out */
#define UART_POLL_LIMIT 1000000   /* no UART at all must not hang the hypervisor */

static bool line_open;   /* guest output left a line without its newline */

void console_init(void)
{
	outb(COM1_PORT + UART_IER, 0);
	outb(COM1_PORT + UART_LCR, UART_LCR_DLAB);
	outb(COM1_PORT + 0, 1);              /* divisor 1: 115200 baud */
	outb(COM1_PORT + 1, 0);
	outb(COM1_PORT + UART_LCR, UART_LCR_8N1);
	outb(COM1_PORT + UART_FCR, UART_FCR_ENABLE_CLEAR);
}

static void uart_putc(char c)
{
	for (unsigned i = 0; i < UART_POLL_LIMIT && !(inb(COM1_PORT + UART_LSR) & UART_LSR_THRE); i++)
		;
	outb(COM1_PORT, (uint8_t)c);
}

void console_drain(void)
{
	for (unsigned i = 0; i < UART_POLL_LIMIT && !(inb(COM1_PORT + UART_LSR) & UART_LSR_TEMT); i++)
		;
}

void console_guest_write(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		uart_putc(buf[i]);
	if (len)
		line_open = buf[len - 1] != '\n';
}

static void sink(void *arg, char c)
{
	(void)arg;
	uart_putc(c);
}

void hv_log(const char *fmt, ...)
{
	if (line_open)
		uart_putc('\n');
	line_open = false;
	for (const char *p = "[hv] "; *p; p++)
		uart_putc(*p);
	va_list ap;
	va_start(ap, fmt);
	vformat(sink, 0, fmt, ap);
	va_end(ap);
	uart_putc('\n');
}
