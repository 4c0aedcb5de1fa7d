#include "console.h"
#include "format.h"
#include "uart.h"
#include <stdbool.h>

static bool line_open;   /* guest output left a line without its newline */

void console_init(void)
{
	uart_init();
}

void console_drain(void)
{
	uart_drain();
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
	uart_puts("[hv] ");
	va_list ap;
	va_start(ap, fmt);
	vformat_to(sink, 0, fmt, ap);
	va_end(ap);
	uart_putc('\n');
}
