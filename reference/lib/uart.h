/* The COM1 16550 UART as the hypervisor and the firmware drive it: output
 * only, polled, 115200 8N1. Every wait is bounded, so a machine without a
 * UART cannot hang the caller. */
#ifndef HV_UART_H
#define HV_UART_H

void uart_init(void);
/* Sends one byte once the transmit holding register is free. */
void uart_putc(char c);
void uart_puts(const char *s);
/* Waits until the last byte has left the transmitter (before power-off). */
void uart_drain(void);

#endif
