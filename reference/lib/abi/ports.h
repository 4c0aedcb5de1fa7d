/* I/O ports the hvspec machines and contract give a meaning to: the one
 * definition the hypervisor, the firmware (romboot), the probes and the
 * harness share. Plain integers, so C and assembly can include it. */
#ifndef HVSPEC_ABI_PORTS_H
#define HVSPEC_ABI_PORTS_H

/* COM1, a 16550 UART (PC16550D data sheet, table 2: registers by offset).
 * The contract's console (spec/contract.md section 6, {#pio.com1.*}). */
#define COM1_PORT 0x3F8
#define UART_THR 0 /* transmit holding register (DLAB=0) */
#define UART_RBR 0 /* receive buffer register (DLAB=0, read) */
#define UART_DLL 0 /* divisor latch, low byte (DLAB=1) */
#define UART_IER 1 /* interrupt enable (DLAB=0) */
#define UART_DLM 1 /* divisor latch, high byte (DLAB=1) */
#define UART_FCR 2 /* FIFO control */
#define UART_LCR 3 /* line control */
#define UART_LSR 5 /* line status */
#define UART_LAST 7 /* scratch register: the last of the eight */
#define UART_LCR_DLAB 0x80 /* divisor latch access */
#define UART_LCR_8N1 0x03  /* 8 data bits, no parity, 1 stop bit */
#define UART_FCR_ENABLE_CLEAR 0xC7 /* FIFOs on, both cleared, 14-byte trigger */
#define UART_LSR_DR 0x01   /* data ready: a received byte waits in RBR */
#define UART_LSR_THRE 0x20 /* transmit holding register empty */
#define UART_LSR_TEMT 0x40 /* transmitter empty: the last bit is out */
#define UART_DIVISOR_115200 1 /* 1.8432 MHz clock / 16 / 115200 */

/* The ports the contract gives a behavior (spec/contract.md section 6). */
#define PORT_COM1_THR (COM1_PORT + UART_THR)   /* {#pio.com1.thr} */
#define PORT_COM1_LSR (COM1_PORT + UART_LSR)   /* {#pio.com1.lsr} */
#define PORT_COM1_LAST (COM1_PORT + UART_LAST) /* {#pio.com1.other}: up to here */
#define PORT_QUEUE 0xBB /* the FIFO queue, {#pio.fifo} */
#define PORT_LOG 0x3    /* the logging port, {#pio.port3} */

/* Powering the machine off (contract section 3, {#end.power-off}). */
#define BOCHS_SHUTDOWN_PORT 0x8900 /* Bochs: write the string "Shutdown" */
#define QEMU_DEBUG_EXIT_PORT 0xf4  /* QEMU isa-debug-exit: value N exits (N << 1) | 1 */
#define QEMU_DEBUG_EXIT_SIZE 0x04  /* its I/O window (-device isa-debug-exit,iosize=) */

/* Bochs' debug port (port_e9_hack): bytes go to the emulator's own output,
 * apart from the guest's console; the coverage build streams counters on it. */
#define BOCHS_DEBUG_PORT 0xE9

#endif
