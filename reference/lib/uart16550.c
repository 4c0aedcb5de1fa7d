/* The guest's 16550A (see uart16550.h). Section numbers: PC16550D data sheet. */
#include "uart16550.h"

static const uint8_t fifo_trigger_bytes[4] = { 1, 4, 8, 14 };   /* FCR bits 7:6 (8.4) */

static bool fifo_on(const struct uart16550 *u)
{
	return u->fcr & UART16550_FCR_ENABLE;
}

static bool loopback(const struct uart16550 *u)
{
	return u->mcr & UART16550_MCR_LOOP;
}

/* The receiver holds 16 bytes in FIFO mode, one (RBR) in 16450 mode. */
static unsigned rx_capacity(const struct uart16550 *u)
{
	return fifo_on(u) ? UART16550_FIFO_BYTES : 1;
}

static void rx_clear(struct uart16550 *u)
{
	u->rx_head = 0;
	u->rx_count = 0;
}

/* A byte the receiver assembled: into the FIFO, or an overrun (8.9 bit 1):
 * in FIFO mode the FIFO keeps its bytes and the new one is lost; in 16450
 * mode it overwrites the unread RBR. Returns false when the byte was lost. */
static bool rx_push(struct uart16550 *u, uint8_t byte)
{
	if (u->rx_count < rx_capacity(u)) {
		u->rx[(u->rx_head + u->rx_count) % UART16550_FIFO_BYTES] = byte;
		u->rx_count++;
		return true;
	}
	u->overrun = true;
	if (fifo_on(u))
		return false;
	u->rx[u->rx_head] = byte;
	return true;
}

/* Modem inputs (MSR bits 7:4): the line's in normal operation; in loopback
 * the MCR outputs looped back, RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD (8.8).
 * A change sets the delta bits; TERI only when RI goes from 1 to 0 (8.10). */
static void update_modem_inputs(struct uart16550 *u)
{
	uint8_t in = UART16550_MSR_LINE_READY;
	if (loopback(u)) {
		in = 0;
		if (u->mcr & UART16550_MCR_RTS)
			in |= UART16550_MSR_CTS;
		if (u->mcr & UART16550_MCR_DTR)
			in |= UART16550_MSR_DSR;
		if (u->mcr & UART16550_MCR_OUT1)
			in |= UART16550_MSR_RI;
		if (u->mcr & UART16550_MCR_OUT2)
			in |= UART16550_MSR_DCD;
	}
	uint8_t changed = in ^ u->msr_inputs;
	if (changed & UART16550_MSR_CTS)
		u->msr_delta |= UART16550_MSR_DCTS;
	if (changed & UART16550_MSR_DSR)
		u->msr_delta |= UART16550_MSR_DDSR;
	if (changed & UART16550_MSR_DCD)
		u->msr_delta |= UART16550_MSR_DDCD;
	if ((u->msr_inputs & UART16550_MSR_RI) && !(in & UART16550_MSR_RI))
		u->msr_delta |= UART16550_MSR_TERI;
	u->msr_inputs = in;
}

void uart16550_reset(struct uart16550 *u)
{
	*u = (struct uart16550){ 0 };
	u->msr_inputs = UART16550_MSR_LINE_READY;
}

uint8_t uart16550_iir(const struct uart16550 *u)
{
	uint8_t id = UART16550_IIR_NONE;
	if (u->overrun && (u->ier & UART16550_IER_RLS))
		id = UART16550_IIR_RLS;
	else if (u->rx_count && (u->ier & UART16550_IER_RDA))
		/* Below the trigger level only the character timeout reports
		 * the bytes; this model lets that time pass at once. */
		id = fifo_on(u) && u->rx_count < fifo_trigger_bytes[u->fcr >> UART16550_FCR_TRIGGER_SHIFT]
			     ? UART16550_IIR_TIMEOUT : UART16550_IIR_RDA;
	else if (u->thre_pending && (u->ier & UART16550_IER_THRE))
		id = UART16550_IIR_THRE;
	else if (u->msr_delta && (u->ier & UART16550_IER_MS))
		id = UART16550_IIR_MS;
	return id | (fifo_on(u) ? UART16550_IIR_FIFO : 0);
}

bool uart16550_irq(const struct uart16550 *u)
{
	return (u->mcr & UART16550_MCR_OUT2) && !loopback(u) &&
	       !(uart16550_iir(u) & UART16550_IIR_NONE);
}

static uint8_t read_rbr(struct uart16550 *u)
{
	if (u->rx_count) {
		u->rbr_last = u->rx[u->rx_head];
		u->rx_head = (u->rx_head + 1) % UART16550_FIFO_BYTES;
		u->rx_count--;
	}
	return u->rbr_last;
}

uint8_t uart16550_read(struct uart16550 *u, unsigned reg)
{
	bool dlab = u->lcr & UART16550_LCR_DLAB;
	uint8_t v;
	switch (reg) {
	case UART16550_RBR:
		return dlab ? u->dll : read_rbr(u);
	case UART16550_IER:
		return dlab ? u->dlm : u->ier;
	case UART16550_IIR:
		v = uart16550_iir(u);
		/* Reading IIR while it reports THRE acknowledges it (8.6). */
		if ((v & ~UART16550_IIR_FIFO) == UART16550_IIR_THRE)
			u->thre_pending = false;
		return v;
	case UART16550_LCR:
		return u->lcr;
	case UART16550_MCR:
		return u->mcr;
	case UART16550_LSR:
		v = UART16550_LSR_THRE | UART16550_LSR_TEMT;
		if (u->rx_count)
			v |= UART16550_LSR_DR;
		if (u->overrun)
			v |= UART16550_LSR_OE;
		u->overrun = false;
		return v;
	case UART16550_MSR:
		v = u->msr_inputs | u->msr_delta;
		u->msr_delta = 0;
		return v;
	case UART16550_SCR:
		return u->scr;
	default:
		return 0xFF;
	}
}

static int write_thr(struct uart16550 *u, uint8_t byte)
{
	int sent = -1;
	if (loopback(u))
		rx_push(u, byte);   /* transmitter looped to the receiver (8.8) */
	else
		sent = byte;
	/* The byte leaves at once: THR is empty again and, having been
	 * written, no earlier THRE interrupt is left to acknowledge. */
	u->thre_pending = true;
	return sent;
}

static void write_fcr(struct uart16550 *u, uint8_t value)
{
	bool on = value & UART16550_FCR_ENABLE;
	/* Switching the FIFOs on or off empties them; with them on, bit 1
	 * empties the receive FIFO. Bits 7:6 count only with bit 0 set. */
	if (on != fifo_on(u) || (on && (value & UART16550_FCR_CLEAR_RX)))
		rx_clear(u);
	u->fcr = on ? (value & (UART16550_FCR_ENABLE | 3u << UART16550_FCR_TRIGGER_SHIFT)) : 0;
}

int uart16550_write(struct uart16550 *u, unsigned reg, uint8_t value)
{
	bool dlab = u->lcr & UART16550_LCR_DLAB;
	switch (reg) {
	case UART16550_THR:
		if (dlab) {
			u->dll = value;
			return -1;
		}
		return write_thr(u, value);
	case UART16550_IER:
		if (dlab) {
			u->dlm = value;
		} else {
			/* Enabling THRE with THR empty raises it at once. */
			if (!(u->ier & UART16550_IER_THRE) && (value & UART16550_IER_THRE))
				u->thre_pending = true;
			u->ier = value & UART16550_IER_MASK;
		}
		return -1;
	case UART16550_FCR:
		write_fcr(u, value);
		return -1;
	case UART16550_LCR:
		u->lcr = value;
		return -1;
	case UART16550_MCR:
		u->mcr = value & UART16550_MCR_MASK;
		update_modem_inputs(u);
		return -1;
	case UART16550_SCR:
		u->scr = value;
		return -1;
	default:   /* LSR and MSR: factory test only (8.9, 8.10) */
		return -1;
	}
}

bool uart16550_rx_room(const struct uart16550 *u)
{
	return !loopback(u) && u->rx_count < rx_capacity(u);
}

bool uart16550_receive(struct uart16550 *u, uint8_t byte)
{
	if (loopback(u))
		return false;   /* the serial input is disconnected (8.8) */
	return rx_push(u, byte);
}
