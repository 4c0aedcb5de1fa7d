#include "uart.h"
#include "abi/ports.h"
#include "port_io.h"
#include <stdbool.h>

/* Polls of LSR before giving up on a missing or stuck UART. */
#define UART_POLL_LIMIT 100000u
/* PAUSEs between two polls of a busy transmitter. An emulator whose time
 * is its instruction count (Bochs, clock sync=none) runs this loop much
 * faster than port reads, and one byte at 115200 baud lasts hundreds of
 * instructions there; a UART that is ready at once (QEMU) never waits. */
#define UART_POLL_SPACING 32u

/* The interrupt identification register (read at offset 2, where FCR is
 * written): bits 7:6 are both set when the FIFOs are enabled (PC16550D
 * data sheet, table 4). A 16450 has no FIFO and reads them clear. */
#define UART_IIR 2
#define UART_IIR_FIFOS_ENABLED 0xC0
/* With the FIFOs enabled, THRE means the transmitter FIFO is empty and
 * up to 16 bytes may be written before polling again (PC16550D data
 * sheet, LSR bit 5 and "FIFO mode"). */
#define UART_TX_FIFO_BYTES 16u

/* What the driver knows of each UART it initialized: how many bytes it may
 * still write before polling THRE again. It drives two (COM1, COM2). */
struct uart_state {
	uint16_t base;      /* 0: a free slot */
	uint8_t burst;      /* bytes one THRE allows: the FIFO's 16, or 1 */
	uint8_t room;       /* bytes still allowed by the last THRE seen */
};
#define UART_SLOTS 2
static struct uart_state uarts[UART_SLOTS];

/* The state of the UART at base, or NULL for a UART never initialized
 * (or one more than the slots hold): that one is driven byte by byte, one
 * THRE each, which is always safe. */
static struct uart_state *state_of(uint16_t base)
{
	for (unsigned i = 0; i < UART_SLOTS; i++)
		if (uarts[i].base == base)
			return &uarts[i];
	return 0;
}

static struct uart_state *new_state(uint16_t base)
{
	struct uart_state *u = state_of(base);
	for (unsigned i = 0; i < UART_SLOTS && !u; i++)
		if (!uarts[i].base)
			u = &uarts[i];
	return u;
}

void uart_init_at(uint16_t base)
{
	outb(base + UART_IER, 0); /* no interrupts */
	outb(base + UART_LCR, UART_LCR_DLAB);
	outb(base + UART_DLL, UART_DIVISOR_115200 & 0xff);
	outb(base + UART_DLM, UART_DIVISOR_115200 >> 8);
	outb(base + UART_LCR, UART_LCR_8N1);
	outb(base + UART_FCR, UART_FCR_ENABLE_CLEAR);
	bool fifo = (inb(base + UART_IIR) & UART_IIR_FIFOS_ENABLED) == UART_IIR_FIFOS_ENABLED;
	struct uart_state *u = new_state(base);
	if (u)
		*u = (struct uart_state){ base, fifo ? UART_TX_FIFO_BYTES : 1, 0 };
}

static bool wait_lsr(uint16_t base, unsigned char bit)
{
	for (unsigned i = 0; i < UART_POLL_LIMIT; i++) {
		if (inb(base + UART_LSR) & bit)
			return true;
		for (unsigned k = 0; k < UART_POLL_SPACING; k++)
			__builtin_ia32_pause();
	}
	return false;
}

void uart_putc_at(uint16_t base, char c)
{
	struct uart_state *u = state_of(base);
	if (!u || !u->room) {
		wait_lsr(base, UART_LSR_THRE);   /* a stuck UART: write anyway, as before */
		if (u)
			u->room = u->burst;
	}
	outb(base + UART_THR, (unsigned char)c);
	if (u)
		u->room--;
}

void uart_drain_at(uint16_t base)
{
	struct uart_state *u = state_of(base);
	if (wait_lsr(base, UART_LSR_TEMT) && u)
		u->room = u->burst;
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
