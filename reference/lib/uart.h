/* A 16550 UART (COM1 unless a base is given) as the hypervisor and the firmware drive it: output
 * only, polled, 115200 8N1. Every wait is bounded, so a machine without a
 * UART cannot hang the caller. */
#ifndef HV_UART_H
#define HV_UART_H
#include <stdbool.h>
#include <stdint.h>

void uart_init(void);
/* Sends one byte once the transmit holding register is free. */
void uart_putc(char c);
void uart_puts(const char *s);
/* Waits until the last byte has left the transmitter (before power-off). */
void uart_drain(void);
/* A byte received on the line, if one waits (never blocks): the guest's
 * keyboard input with platform=pc (core/pc_uart.c). */
bool uart_try_getc(char *c);

/* The same for the UART at another I/O base (COM2: the disk's write-back). */
void uart_init_at(uint16_t base);
void uart_putc_at(uint16_t base, char c);
void uart_drain_at(uint16_t base);

#endif
