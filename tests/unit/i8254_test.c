/* Host unit tests of the 8254's state machine (reference/lib/i8254.c,
 * contract section 15 "8254 timer and port 0x61"). Time is in input
 * clock pulses. */
#include <atf-c.h>
#include "i8254.h"

static void start(struct i8254 *t, unsigned n, unsigned mode, unsigned count, uint64_t now)
{
	i8254_write(t, I8254_PORT_CONTROL, (uint8_t)(n << 6 | 0x30 | mode << 1), now);
	i8254_write(t, (uint16_t)(I8254_PORT_COUNTER0 + n), (uint8_t)count, now);
	i8254_write(t, (uint16_t)(I8254_PORT_COUNTER0 + n), (uint8_t)(count >> 8), now);
}

static unsigned read16(struct i8254 *t, unsigned n, uint64_t now)
{
	uint8_t lo = i8254_read(t, (uint16_t)(I8254_PORT_COUNTER0 + n), now);
	return lo | (unsigned)i8254_read(t, (uint16_t)(I8254_PORT_COUNTER0 + n), now) << 8;
}

ATF_TC_WITHOUT_HEAD(reset_idle);
ATF_TC_BODY(reset_idle, tc)
{
	struct i8254 t;
	i8254_reset(&t);
	for (unsigned n = 0; n < I8254_COUNTERS; n++) {
		ATF_CHECK(!i8254_out(&t, n, 100));
		ATF_CHECK_EQ(i8254_next_rise(&t, n, 0), I8254_NEVER);
		ATF_CHECK_EQ(i8254_read(&t, (uint16_t)(I8254_PORT_COUNTER0 + n), 5), 0);
	}
	ATF_CHECK_EQ(i8254_read(&t, I8254_PORT_CONTROL, 0), 0xFF);
}

ATF_TC_WITHOUT_HEAD(mode0_once);
ATF_TC_BODY(mode0_once, tc)
{
	struct i8254 t;
	i8254_reset(&t);
	start(&t, 0, 0, 100, 1000);
	ATF_CHECK(!i8254_out(&t, 0, 1099));
	ATF_CHECK(i8254_out(&t, 0, 1100));
	ATF_CHECK_EQ(i8254_next_rise(&t, 0, 0), 1100);
	ATF_CHECK_EQ(i8254_next_rise(&t, 0, 1100), I8254_NEVER);
	ATF_CHECK_EQ(read16(&t, 0, 1040), 60);
	ATF_CHECK_EQ(read16(&t, 0, 1101), 0xFFFF);   /* wraps, OUT stays high */
	ATF_CHECK(i8254_out(&t, 0, 5000));
	start(&t, 0, 0, 0, 0);                        /* 0 means 65536 */
	ATF_CHECK_EQ(i8254_next_rise(&t, 0, 0), 65536);
}

ATF_TC_WITHOUT_HEAD(mode4_strobe);
ATF_TC_BODY(mode4_strobe, tc)
{
	struct i8254 t;
	i8254_reset(&t);
	start(&t, 0, 4, 100, 1000);
	ATF_CHECK(i8254_out(&t, 0, 1000));
	ATF_CHECK(i8254_out(&t, 0, 1099));
	ATF_CHECK(!i8254_out(&t, 0, 1100));   /* low for the pulse at count 0 */
	ATF_CHECK(i8254_out(&t, 0, 1101));
	ATF_CHECK_EQ(i8254_next_rise(&t, 0, 1000), 1101);
	ATF_CHECK_EQ(i8254_next_rise(&t, 0, 1101), I8254_NEVER);
	i8254_write(&t, I8254_PORT_CONTROL, 0xB8, 0);   /* counter 2, mode 4, gate low */
	i8254_write(&t, I8254_PORT_COUNTER0 + 2, 10, 0);
	i8254_write(&t, I8254_PORT_COUNTER0 + 2, 0, 0);
	ATF_CHECK(i8254_out(&t, 2, 50));
	i8254_set_gate(&t, 2, true, 100);
	i8254_set_gate(&t, 2, false, 104);              /* holds at 6 */
	ATF_CHECK(i8254_out(&t, 2, 500));
	i8254_set_gate(&t, 2, true, 1000);              /* resumes, not restarts */
	ATF_CHECK_EQ(i8254_next_rise(&t, 2, 1000), 1007);
}

ATF_TC_WITHOUT_HEAD(mode2_mode3_periodic);
ATF_TC_BODY(mode2_mode3_periodic, tc)
{
	struct i8254 t;
	i8254_reset(&t);
	start(&t, 0, 2, 10, 0);
	ATF_CHECK_EQ(i8254_next_rise(&t, 0, 0), 10);
	ATF_CHECK_EQ(i8254_next_rise(&t, 0, 10), 20);
	ATF_CHECK_EQ(i8254_next_rise(&t, 0, 25), 30);
	ATF_CHECK(i8254_out(&t, 0, 8));
	ATF_CHECK(!i8254_out(&t, 0, 9));
	ATF_CHECK(i8254_out(&t, 0, 10));
	ATF_CHECK_EQ(read16(&t, 0, 3), 7);
	start(&t, 1, 7, 10, 0);   /* mode 7 is mode 3 */
	ATF_CHECK(i8254_out(&t, 1, 4));
	ATF_CHECK(!i8254_out(&t, 1, 5));
	ATF_CHECK(i8254_out(&t, 1, 10));
	ATF_CHECK_EQ(i8254_next_rise(&t, 1, 3), 10);
	start(&t, 1, 3, 1, 0);    /* too short: a period of 2 */
	ATF_CHECK_EQ(i8254_next_rise(&t, 1, 0), 2);
}

ATF_TC_WITHOUT_HEAD(latch_and_access_modes);
ATF_TC_BODY(latch_and_access_modes, tc)
{
	struct i8254 t;
	i8254_reset(&t);
	start(&t, 0, 2, 1000, 0);
	i8254_write(&t, I8254_PORT_CONTROL, 0x00, 100);   /* latch counter 0 */
	i8254_write(&t, I8254_PORT_CONTROL, 0x00, 200);   /* ignored: already latched */
	ATF_CHECK_EQ(read16(&t, 0, 500), 900);
	ATF_CHECK_EQ(read16(&t, 0, 500), 500);            /* latch released */
	i8254_write(&t, I8254_PORT_CONTROL, 0x10, 0);      /* counter 0, LSB only, mode 0 */
	i8254_write(&t, I8254_PORT_COUNTER0, 0x34, 0);
	ATF_CHECK_EQ(i8254_read(&t, I8254_PORT_COUNTER0, 4), 0x30);
	i8254_write(&t, I8254_PORT_CONTROL, 0x20, 0);      /* MSB only */
	i8254_write(&t, I8254_PORT_COUNTER0, 0x12, 0);
	ATF_CHECK_EQ(i8254_read(&t, I8254_PORT_COUNTER0, 1), 0x11);
	ATF_CHECK_EQ(i8254_next_rise(&t, 0, 0), 0x1200);
	i8254_write(&t, I8254_PORT_CONTROL, 0xC2, 0);      /* read-back: not offered */
	ATF_CHECK_EQ(i8254_next_rise(&t, 0, 0), 0x1200);
	/* LSB then MSB in mode 0: the first byte stops the count. */
	start(&t, 0, 0, 100, 0);
	i8254_write(&t, I8254_PORT_COUNTER0, 50, 10);
	ATF_CHECK_EQ(i8254_next_rise(&t, 0, 10), I8254_NEVER);
	i8254_write(&t, I8254_PORT_COUNTER0, 0, 20);
	ATF_CHECK_EQ(i8254_next_rise(&t, 0, 20), 70);
	i8254_write(&t, 0x44, 0, 0);   /* not a port of the 8254 */
	ATF_CHECK_EQ(i8254_read(&t, 0x44, 0), 0xFF);
}

ATF_TC_WITHOUT_HEAD(gate);
ATF_TC_BODY(gate, tc)
{
	struct i8254 t;
	i8254_reset(&t);
	i8254_set_gate(&t, 2, false, 0);   /* no change */
	start(&t, 2, 0, 100, 0);
	ATF_CHECK_EQ(i8254_next_rise(&t, 2, 0), I8254_NEVER);   /* gate low */
	i8254_set_gate(&t, 2, true, 50);
	ATF_CHECK_EQ(i8254_next_rise(&t, 2, 50), 150);
	i8254_set_gate(&t, 2, false, 80);  /* holds at 70 */
	ATF_CHECK_EQ(read16(&t, 2, 1000), 70);
	ATF_CHECK(!i8254_out(&t, 2, 1000));
	i8254_set_gate(&t, 2, true, 1000);
	ATF_CHECK_EQ(i8254_next_rise(&t, 2, 1000), 1070);
	start(&t, 2, 2, 10, 2000);
	i8254_set_gate(&t, 2, false, 2009);
	ATF_CHECK(i8254_out(&t, 2, 2009));                 /* modes 2, 3: high while gated */
	i8254_set_gate(&t, 2, true, 3000);                 /* restarts from the top */
	ATF_CHECK_EQ(i8254_next_rise(&t, 2, 3000), 3010);
	i8254_write(&t, I8254_PORT_CONTROL, 0xB0, 0);
	i8254_set_gate(&t, 2, false, 0);                   /* not loaded: just stored */
	i8254_set_gate(&t, 2, true, 0);
	ATF_CHECK(!i8254_out(&t, 2, 0));
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, reset_idle);
	ATF_TP_ADD_TC(tp, mode0_once);
	ATF_TP_ADD_TC(tp, mode4_strobe);
	ATF_TP_ADD_TC(tp, mode2_mode3_periodic);
	ATF_TP_ADD_TC(tp, latch_and_access_modes);
	ATF_TP_ADD_TC(tp, gate);
	return atf_no_error();
}
