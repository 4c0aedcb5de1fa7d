/* COM1 as the guest sees it with platform=pc (contract section 15,
 * "16550A UART"): the 16550A of lib/uart16550.c at ports 0x3F8-0x3FF, its
 * transmitter on the console, its receiver fed from the host's COM1, its
 * interrupt on IRQ 4. */
#ifndef HV_PC_UART_H
#define HV_PC_UART_H
#include <stdint.h>
#include "vm.h"
#include "abi/ports.h"

#define PC_UART_FIRST_PORT COM1_PORT
#define PC_UART_LAST_PORT  PORT_COM1_LAST

/* Port handlers for core/platform.c's table. */
uint32_t pc_uart_in(struct vcpu *v, uint16_t port, unsigned width);
void pc_uart_out(struct vcpu *v, uint16_t port, unsigned width, uint32_t value);

/* Moves bytes waiting on the host's serial line into the guest's receive
 * FIFO while it has room. Called at every guest read of a COM1 register
 * and before every VM entry (core/irq.c), so typed input reaches a guest
 * that waits for IRQ 4 within one exit (a timer tick at the latest).
 * Without platform=pc: nothing. */
void pc_uart_poll_host(struct vcpu *v);

#endif
