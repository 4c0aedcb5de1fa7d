/* Unit tests of the guest's 16550A (reference/lib/uart16550.c) against the
 * PC16550D data sheet and what Linux's 8250 driver checks in autoconfig and
 * startup. Register offsets and values are written out here, not taken
 * from uart16550.h. */
#include <atf-c.h>
#include <stdint.h>

#include "uart16550.h"

static uint8_t rd(struct uart16550 *u, unsigned reg) { return uart16550_read(u, reg); }
static int wr(struct uart16550 *u, unsigned reg, uint8_t v) { return uart16550_write(u, reg, v); }

ATF_TC_WITHOUT_HEAD(reset_values);
ATF_TC_BODY(reset_values, tc)
{
	struct uart16550 u;
	uart16550_reset(&u);
	ATF_CHECK_EQ(rd(&u, 1), 0);      /* IER */
	ATF_CHECK_EQ(rd(&u, 2), 0x01);   /* IIR: nothing pending, no FIFO */
	ATF_CHECK_EQ(rd(&u, 3), 0);      /* LCR */
	ATF_CHECK_EQ(rd(&u, 4), 0);      /* MCR */
	ATF_CHECK_EQ(rd(&u, 5), 0x60);   /* LSR: THRE, TEMT */
	ATF_CHECK_EQ(rd(&u, 6), 0xB0);   /* MSR: DCD, DSR, CTS */
	ATF_CHECK(!uart16550_irq(&u));
}

/* Linux autoconfig: IER keeps bits 3:0 only; scratch; divisor latch. */
ATF_TC_WITHOUT_HEAD(ier_scratch_dlab);
ATF_TC_BODY(ier_scratch_dlab, tc)
{
	struct uart16550 u;
	uart16550_reset(&u);
	wr(&u, 1, 0xFF);
	ATF_CHECK_EQ(rd(&u, 1), 0x0F);
	wr(&u, 1, 0);
	ATF_CHECK_EQ(rd(&u, 1), 0);
	wr(&u, 7, 0xA5);
	ATF_CHECK_EQ(rd(&u, 7), 0xA5);
	wr(&u, 3, 0x83);
	wr(&u, 0, 0x0C);
	wr(&u, 1, 0x01);
	ATF_CHECK_EQ(rd(&u, 0), 0x0C);
	ATF_CHECK_EQ(rd(&u, 1), 0x01);
	wr(&u, 3, 0x03);
	ATF_CHECK_EQ(rd(&u, 1), 0);      /* IER again, untouched by DLM */
	ATF_CHECK_EQ(rd(&u, 3), 0x03);
	ATF_CHECK_EQ(wr(&u, 0, 'x'), 'x');   /* THR again: sent */
}

ATF_TC_WITHOUT_HEAD(fifo_bits);
ATF_TC_BODY(fifo_bits, tc)
{
	struct uart16550 u;
	uart16550_reset(&u);
	wr(&u, 2, 0x01);
	ATF_CHECK_EQ(rd(&u, 2), 0xC1);
	wr(&u, 3, 0xBF);                 /* DLAB set: offset 2 still reads IIR */
	ATF_CHECK_EQ(rd(&u, 2), 0xC1);
	wr(&u, 3, 0);
	wr(&u, 2, 0);
	ATF_CHECK_EQ(rd(&u, 2), 0x01);
}

/* MCR loopback: the 8250 driver's test writes LOOP|OUT2|RTS and expects
 * MSR bits 7:4 = 1001b; every MCR output maps to its input. */
ATF_TC_WITHOUT_HEAD(loopback_modem);
ATF_TC_BODY(loopback_modem, tc)
{
	struct uart16550 u;
	uart16550_reset(&u);
	wr(&u, 4, 0xFF);
	ATF_CHECK_EQ(rd(&u, 4), 0x1F);
	ATF_CHECK_EQ(rd(&u, 6) & 0xF0, 0xF0);
	wr(&u, 4, 0x1A);
	ATF_CHECK_EQ(rd(&u, 6) & 0xF0, 0x90);
	wr(&u, 4, 0x10);
	ATF_CHECK_EQ(rd(&u, 6), 0x09);   /* CTS and DCD fell: DCTS, DDCD */
	ATF_CHECK_EQ(rd(&u, 6), 0x00);   /* deltas cleared by the read */
	wr(&u, 4, 0x14);                 /* OUT1 -> RI rises: no TERI */
	ATF_CHECK_EQ(rd(&u, 6), 0x40);
	wr(&u, 4, 0x10);                 /* RI falls: TERI */
	ATF_CHECK_EQ(rd(&u, 6), 0x04);
	wr(&u, 4, 0x00);
	ATF_CHECK_EQ(rd(&u, 6), 0xBB);   /* the line again: DCD, DSR, CTS rose */
}

ATF_TC_WITHOUT_HEAD(loopback_data);
ATF_TC_BODY(loopback_data, tc)
{
	struct uart16550 u;
	uart16550_reset(&u);
	wr(&u, 2, 0x07);
	wr(&u, 4, 0x10);
	ATF_CHECK_EQ(wr(&u, 0, 'a'), -1);    /* not sent */
	ATF_CHECK_EQ(wr(&u, 0, 'b'), -1);
	ATF_CHECK(!uart16550_receive(&u, 'z'));  /* the line is disconnected */
	ATF_CHECK_EQ(rd(&u, 5), 0x61);
	ATF_CHECK_EQ(rd(&u, 0), 'a');
	ATF_CHECK_EQ(rd(&u, 0), 'b');
	ATF_CHECK_EQ(rd(&u, 5), 0x60);
	for (int i = 0; i < 17; i++)
		wr(&u, 0, (uint8_t)i);
	ATF_CHECK_EQ(rd(&u, 5), 0x63);   /* the 17th byte overran */
	ATF_CHECK_EQ(rd(&u, 5), 0x61);   /* OE cleared by the read */
	for (int i = 0; i < 16; i++)
		ATF_CHECK_EQ(rd(&u, 0), i);
	ATF_CHECK_EQ(rd(&u, 5), 0x60);
}

ATF_TC_WITHOUT_HEAD(no_fifo_overrun);
ATF_TC_BODY(no_fifo_overrun, tc)
{
	struct uart16550 u;
	uart16550_reset(&u);
	ATF_CHECK(uart16550_receive(&u, 1));
	ATF_CHECK(!uart16550_rx_room(&u));
	ATF_CHECK(uart16550_receive(&u, 2));   /* overwrites RBR */
	ATF_CHECK_EQ(rd(&u, 5), 0x63);
	ATF_CHECK_EQ(rd(&u, 0), 2);
	ATF_CHECK_EQ(rd(&u, 5), 0x60);
}

/* THRE: raised when enabled with THR empty, acknowledged by reading IIR,
 * raised again by a 0->1 IER write (UART_BUG_THRE test) and after a
 * THR write. */
ATF_TC_WITHOUT_HEAD(thre_interrupt);
ATF_TC_BODY(thre_interrupt, tc)
{
	struct uart16550 u;
	uart16550_reset(&u);
	wr(&u, 2, 0x01);
	wr(&u, 4, 0x08);                 /* OUT2: the IRQ line is gated on */
	wr(&u, 1, 0x02);
	ATF_CHECK(uart16550_irq(&u));
	ATF_CHECK_EQ(rd(&u, 2), 0xC2);
	ATF_CHECK_EQ(rd(&u, 2), 0xC1);
	ATF_CHECK(!uart16550_irq(&u));
	wr(&u, 1, 0x02);                 /* no 0->1 edge: stays quiet */
	ATF_CHECK_EQ(rd(&u, 2), 0xC1);
	wr(&u, 1, 0);
	wr(&u, 1, 0x02);
	ATF_CHECK_EQ(rd(&u, 2), 0xC2);
	ATF_CHECK_EQ(wr(&u, 0, 'q'), 'q');
	ATF_CHECK_EQ(rd(&u, 2), 0xC2);
	wr(&u, 4, 0x00);                 /* OUT2 off: pending, line low */
	wr(&u, 1, 0);
	wr(&u, 1, 0x02);
	ATF_CHECK(!uart16550_irq(&u));
	ATF_CHECK_EQ(uart16550_iir(&u), 0xC2);
}

/* Priority: line status, received data, THRE, modem status. */
ATF_TC_WITHOUT_HEAD(iir_priority);
ATF_TC_BODY(iir_priority, tc)
{
	struct uart16550 u;
	uart16550_reset(&u);
	wr(&u, 2, 0xC1);                 /* FIFO, trigger 14 */
	wr(&u, 1, 0x0F);
	wr(&u, 4, 0x10);                 /* loopback: MSR deltas */
	ATF_CHECK_EQ(rd(&u, 2), 0xC2);   /* THRE above modem status */
	ATF_CHECK_EQ(rd(&u, 2), 0xC0);   /* modem status */
	ATF_CHECK_EQ(rd(&u, 6), 0x0B);
	ATF_CHECK_EQ(rd(&u, 2), 0xC1);
	wr(&u, 0, 'x');                  /* received, below the trigger: timeout */
	ATF_CHECK_EQ(rd(&u, 2), 0xCC);
	for (int i = 0; i < 13; i++)
		wr(&u, 0, 'y');
	ATF_CHECK_EQ(rd(&u, 2), 0xC4);   /* 14 bytes: trigger level */
	for (int i = 0; i < 3; i++)
		wr(&u, 0, 'z');
	ATF_CHECK_EQ(rd(&u, 2), 0xC6);   /* overrun first */
	ATF_CHECK_EQ(rd(&u, 5) & 0x03, 0x03);
	ATF_CHECK_EQ(rd(&u, 2), 0xC4);
	wr(&u, 2, 0xC3);                 /* clear the receive FIFO */
	ATF_CHECK_EQ(rd(&u, 5), 0x60);
	ATF_CHECK_EQ(rd(&u, 2), 0xC2);
	wr(&u, 2, 0x41);                 /* trigger 4 */
	for (int i = 0; i < 4; i++)
		wr(&u, 0, 'w');
	ATF_CHECK_EQ(rd(&u, 2), 0xC4);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, reset_values);
	ATF_TP_ADD_TC(tp, ier_scratch_dlab);
	ATF_TP_ADD_TC(tp, fifo_bits);
	ATF_TP_ADD_TC(tp, loopback_modem);
	ATF_TP_ADD_TC(tp, loopback_data);
	ATF_TP_ADD_TC(tp, no_fifo_overrun);
	ATF_TP_ADD_TC(tp, thre_interrupt);
	ATF_TP_ADD_TC(tp, iir_priority);
	return atf_no_error();
}
