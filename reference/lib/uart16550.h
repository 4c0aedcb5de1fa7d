/* The 16550A UART the guest sees on COM1 with platform=pc (contract
 * section 15, "16550A UART"): its eight registers, 16-byte receive FIFO,
 * loopback, modem status and interrupt identification. Pure state: the
 * caller moves bytes to and from the outside world (the console, the host's
 * serial line), so the host unit tests drive it (tests/unit/uart16550_test.c).
 * Register facts: National Semiconductor PC16550D data sheet, section 8
 * ("Registers", table 2 and 8.1-8.10). Not to be confused with lib/uart.c,
 * the hypervisor's own driver of the host's UART. */
#ifndef HV_UART16550_H
#define HV_UART16550_H
#include <stdbool.h>
#include <stdint.h>

/* Register offsets from the base port (data sheet table 2). */
#define UART16550_RBR 0   /* receive buffer (read, DLAB=0) */
#define UART16550_THR 0   /* transmit holding (write, DLAB=0) */
#define UART16550_DLL 0   /* divisor latch LSB (DLAB=1) */
#define UART16550_IER 1   /* interrupt enable (DLAB=0) */
#define UART16550_DLM 1   /* divisor latch MSB (DLAB=1) */
#define UART16550_IIR 2   /* interrupt identification (read) */
#define UART16550_FCR 2   /* FIFO control (write) */
#define UART16550_LCR 3   /* line control */
#define UART16550_MCR 4   /* modem control */
#define UART16550_LSR 5   /* line status */
#define UART16550_MSR 6   /* modem status */
#define UART16550_SCR 7   /* scratch */
#define UART16550_NREGS 8

/* IER (8.5): the four enables; bits 7:4 always read 0. */
#define UART16550_IER_RDA  0x01   /* received data available */
#define UART16550_IER_THRE 0x02   /* transmit holding register empty */
#define UART16550_IER_RLS  0x04   /* receiver line status */
#define UART16550_IER_MS   0x08   /* modem status */
#define UART16550_IER_MASK 0x0F

/* IIR (8.6, table 4): bit 0 = 1 when nothing is pending, bits 3:1 the
 * source, bits 7:6 = 11b while the FIFOs are enabled. */
#define UART16550_IIR_NONE    0x01
#define UART16550_IIR_RLS     0x06   /* priority 1: overrun (or other line error) */
#define UART16550_IIR_RDA     0x04   /* priority 2: received data at the trigger level */
#define UART16550_IIR_TIMEOUT 0x0C   /* priority 2: character timeout (FIFO mode) */
#define UART16550_IIR_THRE    0x02   /* priority 3 */
#define UART16550_IIR_MS      0x00   /* priority 4 */
#define UART16550_IIR_FIFO    0xC0

/* FCR (8.4). */
#define UART16550_FCR_ENABLE   0x01
#define UART16550_FCR_CLEAR_RX 0x02
#define UART16550_FCR_CLEAR_TX 0x04
#define UART16550_FCR_TRIGGER_SHIFT 6   /* bits 7:6: 1, 4, 8 or 14 bytes */

#define UART16550_LCR_DLAB 0x80   /* 8.7 */

/* MCR (8.8): bits 4:0; bits 7:5 always read 0. */
#define UART16550_MCR_DTR  0x01
#define UART16550_MCR_RTS  0x02
#define UART16550_MCR_OUT1 0x04
#define UART16550_MCR_OUT2 0x08   /* on a PC it gates the interrupt onto the ISA line */
#define UART16550_MCR_LOOP 0x10
#define UART16550_MCR_MASK 0x1F

/* LSR (8.9). */
#define UART16550_LSR_DR   0x01   /* data ready */
#define UART16550_LSR_OE   0x02   /* overrun error (cleared by reading LSR) */
#define UART16550_LSR_THRE 0x20
#define UART16550_LSR_TEMT 0x40

/* MSR (8.10): deltas in bits 3:0, the inputs in bits 7:4. */
#define UART16550_MSR_DCTS 0x01
#define UART16550_MSR_DDSR 0x02
#define UART16550_MSR_TERI 0x04   /* RI went from 1 to 0 */
#define UART16550_MSR_DDCD 0x08
#define UART16550_MSR_CTS  0x10
#define UART16550_MSR_DSR  0x20
#define UART16550_MSR_RI   0x40
#define UART16550_MSR_DCD  0x80
/* Outside loopback the modem inputs of a line that is always ready:
 * carrier, data set ready and clear to send, no ring. */
#define UART16550_MSR_LINE_READY (UART16550_MSR_DCD | UART16550_MSR_DSR | UART16550_MSR_CTS)

#define UART16550_FIFO_BYTES 16

/* Every byte leaves the transmitter at once, so THR is always empty after
 * a write and LSR always shows THRE and TEMT. */
struct uart16550 {
	uint8_t ier, lcr, mcr, scr, dll, dlm;
	uint8_t fcr;            /* the last FCR bits that stay: enable and trigger */
	uint8_t msr_inputs;     /* bits 7:4 of MSR as the line (or loopback) drives them */
	uint8_t msr_delta;      /* bits 3:0 of MSR */
	bool overrun;           /* LSR.OE */
	bool thre_pending;      /* THR emptied and not yet acknowledged (8.6) */
	uint8_t rx[UART16550_FIFO_BYTES];
	unsigned rx_head, rx_count;
	uint8_t rbr_last;       /* RBR read with nothing received */
};

/* The state after a hardware reset (data sheet table 12): all registers 0
 * but LSR (THRE, TEMT) and IIR (no interrupt); divisor latch 0. */
void uart16550_reset(struct uart16550 *u);

/* A guest read of register reg (0-7); reads change state (RBR pops, IIR
 * acknowledges THRE, LSR clears OE, MSR clears its deltas). */
uint8_t uart16550_read(struct uart16550 *u, unsigned reg);

/* A guest write of register reg (0-7). Returns the byte to send to the
 * outside world (a THR write outside loopback), or -1 when there is none. */
int uart16550_write(struct uart16550 *u, unsigned reg, uint8_t value);

/* A byte arriving on the serial line. Outside loopback it joins the
 * receive FIFO (a full FIFO drops it and sets OE); in loopback the line is
 * disconnected and the byte is lost. Returns true when it was kept. */
bool uart16550_receive(struct uart16550 *u, uint8_t byte);

/* Room for at least one more received byte (the caller polls its source
 * only then, so nothing is lost to an overrun it could have avoided). */
bool uart16550_rx_room(const struct uart16550 *u);

/* The interrupt identification IIR would read now, without acknowledging. */
uint8_t uart16550_iir(const struct uart16550 *u);

/* The level of the PC's IRQ line: an interrupt pending and MCR.OUT2 set
 * (loopback disconnects OUT2 from the line, 8.8). */
bool uart16550_irq(const struct uart16550 *u);

#endif
