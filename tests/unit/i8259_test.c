/* Host unit tests of the 8259A pair's state machine (reference/lib/i8259.c,
 * contract section 15 "8259A interrupt controllers"). */
#include <atf-c.h>
#include "i8259.h"

static void init(struct i8259_pair *p, uint8_t icw4)
{
	i8259_pair_reset(p);
	i8259_pair_write(p, I8259_MASTER_CMD, 0x11);
	i8259_pair_write(p, I8259_MASTER_DATA, 0x20);
	i8259_pair_write(p, I8259_MASTER_DATA, 0x04);
	i8259_pair_write(p, I8259_MASTER_DATA, icw4);
	i8259_pair_write(p, I8259_SLAVE_CMD, 0x11);
	i8259_pair_write(p, I8259_SLAVE_DATA, 0x28);
	i8259_pair_write(p, I8259_SLAVE_DATA, 0x02);
	i8259_pair_write(p, I8259_SLAVE_DATA, icw4);
}

static void pulse(struct i8259_pair *p, unsigned irq)
{
	i8259_pair_set_line(p, irq, true);
	i8259_pair_set_line(p, irq, false);
}

static uint8_t isr(struct i8259_pair *p, uint16_t cmd)
{
	i8259_pair_write(p, cmd, 0x0B);
	uint8_t v = i8259_pair_read(p, cmd);
	i8259_pair_write(p, cmd, 0x0A);
	return v;
}

ATF_TC_WITHOUT_HEAD(reset_requests_nothing);
ATF_TC_BODY(reset_requests_nothing, tc)
{
	struct i8259_pair p;
	i8259_pair_reset(&p);
	ATF_CHECK_EQ(i8259_pair_read(&p, I8259_MASTER_DATA), 0xFF);
	ATF_CHECK_EQ(i8259_pair_read(&p, I8259_SLAVE_DATA), 0xFF);
	i8259_pair_write(&p, I8259_MASTER_DATA, 0);
	pulse(&p, 0);
	ATF_CHECK_EQ(i8259_pair_pending(&p), I8259_NONE);
	ATF_CHECK_EQ(i8259_pair_acknowledge(&p), I8259_NONE);
}

ATF_TC_WITHOUT_HEAD(icw_sequence);
ATF_TC_BODY(icw_sequence, tc)
{
	struct i8259_pair p;
	i8259_pair_reset(&p);
	i8259_pair_write(&p, I8259_MASTER_DATA, 0x5A);
	init(&p, 0x01);
	ATF_CHECK_EQ(i8259_pair_read(&p, I8259_MASTER_DATA), 0);
	i8259_pair_write(&p, I8259_MASTER_DATA, 0xA5);
	ATF_CHECK_EQ(i8259_pair_read(&p, I8259_MASTER_DATA), 0xA5);
	/* Single mode, no ICW4: ICW2 ends the sequence; bits 2:0 of ICW2 ignored. */
	i8259_pair_write(&p, I8259_MASTER_CMD, 0x12);
	i8259_pair_write(&p, I8259_MASTER_DATA, 0x37);
	i8259_pair_write(&p, I8259_MASTER_DATA, 0xFE);
	ATF_CHECK_EQ(i8259_pair_read(&p, I8259_MASTER_DATA), 0xFE);
	pulse(&p, 0);
	ATF_CHECK_EQ(i8259_pair_acknowledge(&p), 0x30);
}

ATF_TC_WITHOUT_HEAD(edge_masked_irr_isr_eoi);
ATF_TC_BODY(edge_masked_irr_isr_eoi, tc)
{
	struct i8259_pair p;
	init(&p, 0x01);
	i8259_pair_write(&p, I8259_MASTER_DATA, 0xFF);
	pulse(&p, 0);
	ATF_CHECK_EQ(i8259_pair_read(&p, I8259_MASTER_CMD), 0x01);   /* IRR */
	ATF_CHECK_EQ(i8259_pair_pending(&p), I8259_NONE);
	i8259_pair_write(&p, I8259_MASTER_DATA, 0xFE);
	ATF_CHECK_EQ(i8259_pair_acknowledge(&p), 0x20);
	ATF_CHECK_EQ(i8259_pair_read(&p, I8259_MASTER_CMD), 0x00);
	ATF_CHECK_EQ(isr(&p, I8259_MASTER_CMD), 0x01);
	pulse(&p, 0);   /* the same line again: waits for the EOI */
	ATF_CHECK_EQ(i8259_pair_pending(&p), I8259_NONE);
	i8259_pair_write(&p, I8259_MASTER_CMD, 0x20);
	ATF_CHECK_EQ(isr(&p, I8259_MASTER_CMD), 0x00);
	ATF_CHECK_EQ(i8259_pair_pending(&p), 0x20);
}

ATF_TC_WITHOUT_HEAD(priority_nesting_specific_eoi);
ATF_TC_BODY(priority_nesting_specific_eoi, tc)
{
	struct i8259_pair p;
	init(&p, 0x01);
	pulse(&p, 5);
	pulse(&p, 3);
	ATF_CHECK_EQ(i8259_pair_acknowledge(&p), 0x23);
	ATF_CHECK_EQ(i8259_pair_pending(&p), I8259_NONE);   /* 5 below 3 in service */
	pulse(&p, 1);
	ATF_CHECK_EQ(i8259_pair_acknowledge(&p), 0x21);      /* 1 above 3 nests */
	ATF_CHECK_EQ(isr(&p, I8259_MASTER_CMD), 0x0A);
	i8259_pair_write(&p, I8259_MASTER_CMD, 0x20);        /* non-specific: line 1 */
	ATF_CHECK_EQ(isr(&p, I8259_MASTER_CMD), 0x08);
	i8259_pair_write(&p, I8259_MASTER_CMD, 0x63);        /* specific: line 3 */
	ATF_CHECK_EQ(isr(&p, I8259_MASTER_CMD), 0x00);
	ATF_CHECK_EQ(i8259_pair_acknowledge(&p), 0x25);
}

ATF_TC_WITHOUT_HEAD(slave_cascade);
ATF_TC_BODY(slave_cascade, tc)
{
	struct i8259_pair p;
	init(&p, 0x01);
	pulse(&p, 8);
	ATF_CHECK_EQ(i8259_pair_pending(&p), 0x28);
	/* Masking it at the slave withdraws the cascade request: no spurious vector. */
	i8259_pair_write(&p, I8259_SLAVE_DATA, 0x01);
	ATF_CHECK_EQ(i8259_pair_pending(&p), I8259_NONE);
	i8259_pair_write(&p, I8259_SLAVE_DATA, 0x00);
	ATF_CHECK_EQ(i8259_pair_acknowledge(&p), 0x28);
	ATF_CHECK_EQ(isr(&p, I8259_MASTER_CMD), 0x04);
	ATF_CHECK_EQ(isr(&p, I8259_SLAVE_CMD), 0x01);
	pulse(&p, 9);   /* waits: master IR2 in service */
	ATF_CHECK_EQ(i8259_pair_pending(&p), I8259_NONE);
	pulse(&p, 0);   /* above IR2: nests */
	ATF_CHECK_EQ(i8259_pair_pending(&p), 0x20);
	i8259_pair_write(&p, I8259_SLAVE_CMD, 0x20);
	i8259_pair_write(&p, I8259_MASTER_CMD, 0x20);
	ATF_CHECK_EQ(i8259_pair_acknowledge(&p), 0x20);
	i8259_pair_write(&p, I8259_MASTER_CMD, 0x20);
	ATF_CHECK_EQ(i8259_pair_acknowledge(&p), 0x29);
	/* Line 2 is the cascade, not a device's line. */
	i8259_pair_set_line(&p, 2, true);
	i8259_pair_set_line(&p, 16, true);
}

/* Port writes alone change what the slave requests, and the master's IR2
 * must follow at once (8259A data sheet: IRR latches an edge while the line
 * is masked; the slave's INT is a level on the master's IR2). The platform
 * raises no slave line today (contract {#pc.irq-lines}: IRQ 8's clock
 * interrupts are optional and the reference has none), so no suite case
 * can see this; it kills i8259.c's mutant that drops the cascade after a
 * port write. */
ATF_TC_WITHOUT_HEAD(slave_request_follows_port_writes);
ATF_TC_BODY(slave_request_follows_port_writes, tc)
{
	struct i8259_pair p;
	init(&p, 0x01);
	i8259_pair_write(&p, I8259_SLAVE_DATA, 0x01);
	pulse(&p, 8);   /* masked: waits in the slave's IRR */
	ATF_CHECK_EQ(i8259_pair_pending(&p), I8259_NONE);
	i8259_pair_write(&p, I8259_SLAVE_DATA, 0x00);   /* OCW1 unmasks it */
	ATF_CHECK_EQ(i8259_pair_pending(&p), 0x28);
	ATF_CHECK_EQ(i8259_pair_acknowledge(&p), 0x28);
	pulse(&p, 9);   /* waits: slave IR0 in service */
	ATF_CHECK_EQ(i8259_pair_pending(&p), I8259_NONE);
	i8259_pair_write(&p, I8259_SLAVE_CMD, 0x20);   /* slave EOI: IR1 requested ... */
	ATF_CHECK_EQ(i8259_pair_pending(&p), I8259_NONE);   /* ... but master IR2 in service */
	i8259_pair_write(&p, I8259_MASTER_CMD, 0x20);
	ATF_CHECK_EQ(i8259_pair_pending(&p), 0x29);
	i8259_pair_write(&p, I8259_SLAVE_DATA, 0x02);   /* masking it withdraws it */
	ATF_CHECK_EQ(i8259_pair_pending(&p), I8259_NONE);
	ATF_CHECK_EQ(i8259_pair_acknowledge(&p), I8259_NONE);
}

ATF_TC_WITHOUT_HEAD(aeoi_poll_elcr_level);
ATF_TC_BODY(aeoi_poll_elcr_level, tc)
{
	struct i8259_pair p;
	init(&p, 0x03);
	pulse(&p, 4);
	ATF_CHECK_EQ(i8259_pair_acknowledge(&p), 0x24);
	ATF_CHECK_EQ(isr(&p, I8259_MASTER_CMD), 0x00);
	init(&p, 0x01);
	i8259_pair_write(&p, I8259_MASTER_CMD, 0x0C);
	ATF_CHECK_EQ(i8259_pair_read(&p, I8259_MASTER_CMD), 0x00);   /* poll: none */
	pulse(&p, 6);
	i8259_pair_write(&p, I8259_MASTER_CMD, 0x0C);
	ATF_CHECK_EQ(i8259_pair_read(&p, I8259_MASTER_CMD), 0x86);
	ATF_CHECK_EQ(isr(&p, I8259_MASTER_CMD), 0x40);
	i8259_pair_write(&p, I8259_MASTER_CMD, 0x20);
	i8259_pair_write(&p, I8259_MASTER_CMD, 0xC0);   /* set priority: not offered, ignored */
	i8259_pair_write(&p, I8259_ELCR_MASTER, 0xFF);
	i8259_pair_write(&p, I8259_ELCR_SLAVE, 0xFF);
	ATF_CHECK_EQ(i8259_pair_read(&p, I8259_ELCR_MASTER), 0xF8);
	ATF_CHECK_EQ(i8259_pair_read(&p, I8259_ELCR_SLAVE), 0xDE);
	ATF_CHECK_EQ(i8259_pair_read(&p, 0x22), 0xFF);
	i8259_pair_write(&p, 0x22, 0);
	i8259_pair_set_line(&p, 5, true);
	ATF_CHECK_EQ(i8259_pair_read(&p, I8259_MASTER_CMD), 0x20);
	ATF_CHECK_EQ(i8259_pair_acknowledge(&p), 0x25);
	i8259_pair_write(&p, I8259_MASTER_CMD, 0x20);
	ATF_CHECK_EQ(i8259_pair_pending(&p), 0x25);   /* still high: again */
	i8259_pair_set_line(&p, 5, false);
	ATF_CHECK_EQ(i8259_pair_pending(&p), I8259_NONE);
	/* LTIM: every input level triggered. */
	i8259_pair_write(&p, I8259_MASTER_CMD, 0x19);
	i8259_pair_write(&p, I8259_MASTER_DATA, 0x20);
	i8259_pair_write(&p, I8259_MASTER_DATA, 0x04);
	i8259_pair_write(&p, I8259_MASTER_DATA, 0x01);
	pulse(&p, 1);
	ATF_CHECK_EQ(i8259_pair_pending(&p), I8259_NONE);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, reset_requests_nothing);
	ATF_TP_ADD_TC(tp, icw_sequence);
	ATF_TP_ADD_TC(tp, edge_masked_irr_isr_eoi);
	ATF_TP_ADD_TC(tp, priority_nesting_specific_eoi);
	ATF_TP_ADD_TC(tp, slave_cascade);
	ATF_TP_ADD_TC(tp, slave_request_follows_port_writes);
	ATF_TP_ADD_TC(tp, aeoi_poll_elcr_level);
	return atf_no_error();
}
