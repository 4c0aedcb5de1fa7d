/* Unit tests of the guest's CMOS clock (reference/lib/cmos_rtc.c) against
 * the MC146818A data sheet. Register numbers and values are written out
 * here, not taken from cmos_rtc.h. */
#include <atf-c.h>
#include <stdint.h>

#include "cmos_rtc.h"

/* 2026-12-06 13:05:09, a Sunday. */
static const struct cmos_time instant = { 9, 5, 13, 1, 6, 12, 26, 20 };

static uint8_t rd(struct cmos_rtc *c, uint8_t reg)
{
	cmos_rtc_write_index(c, reg);
	return cmos_rtc_read_data(c);
}

static void wr(struct cmos_rtc *c, uint8_t reg, uint8_t v)
{
	cmos_rtc_write_index(c, reg);
	cmos_rtc_write_data(c, v);
}

ATF_TC_WITHOUT_HEAD(bcd_24h_default);
ATF_TC_BODY(bcd_24h_default, tc)
{
	struct cmos_rtc c;
	cmos_rtc_reset(&c, &instant);
	ATF_CHECK_EQ(rd(&c, 0x00), 0x09);
	ATF_CHECK_EQ(rd(&c, 0x02), 0x05);
	ATF_CHECK_EQ(rd(&c, 0x04), 0x13);
	ATF_CHECK_EQ(rd(&c, 0x06), 0x01);
	ATF_CHECK_EQ(rd(&c, 0x07), 0x06);
	ATF_CHECK_EQ(rd(&c, 0x08), 0x12);
	ATF_CHECK_EQ(rd(&c, 0x09), 0x26);
	ATF_CHECK_EQ(rd(&c, 0x32), 0x20);
	ATF_CHECK_EQ(rd(&c, 0x0A) & 0x80, 0);
	ATF_CHECK_EQ(rd(&c, 0x0B), 0x02);
	ATF_CHECK_EQ(rd(&c, 0x0C), 0);
	ATF_CHECK_EQ(rd(&c, 0x0D), 0x80);
}

ATF_TC_WITHOUT_HEAD(binary_and_12h);
ATF_TC_BODY(binary_and_12h, tc)
{
	struct cmos_rtc c;
	cmos_rtc_reset(&c, &instant);
	wr(&c, 0x0B, 0x06);
	ATF_CHECK_EQ(rd(&c, 0x04), 13);
	ATF_CHECK_EQ(rd(&c, 0x09), 26);
	ATF_CHECK_EQ(rd(&c, 0x32), 0x20);   /* RAM: still the BCD century */
	wr(&c, 0x0B, 0x04);              /* binary, 12-hour */
	ATF_CHECK_EQ(rd(&c, 0x04), 0x81);
	wr(&c, 0x0B, 0x00);              /* BCD, 12-hour */
	ATF_CHECK_EQ(rd(&c, 0x04), 0x81);
	wr(&c, 0x04, 0x12);              /* 12 AM = midnight */
	wr(&c, 0x0B, 0x02);
	ATF_CHECK_EQ(rd(&c, 0x04), 0x00);
	wr(&c, 0x0B, 0x00);
	wr(&c, 0x04, 0x92);              /* 12 PM = noon */
	wr(&c, 0x0B, 0x02);
	ATF_CHECK_EQ(rd(&c, 0x04), 0x12);
}

ATF_TC_WITHOUT_HEAD(set_clock_and_status);
ATF_TC_BODY(set_clock_and_status, tc)
{
	struct cmos_rtc c;
	cmos_rtc_reset(&c, &instant);
	wr(&c, 0x0B, 0x92);              /* SET with UIE: UIE cleared */
	ATF_CHECK_EQ(rd(&c, 0x0B), 0x82);
	wr(&c, 0x00, 0x59);
	wr(&c, 0x09, 0x99);
	wr(&c, 0x0B, 0x02);
	ATF_CHECK_EQ(rd(&c, 0x00), 0x59);
	ATF_CHECK_EQ(rd(&c, 0x09), 0x99);
	wr(&c, 0x0A, 0xA6);              /* UIP is read only */
	ATF_CHECK_EQ(rd(&c, 0x0A), 0x26);
	wr(&c, 0x0C, 0xFF);
	wr(&c, 0x0D, 0x00);
	ATF_CHECK_EQ(rd(&c, 0x0C), 0);
	ATF_CHECK_EQ(rd(&c, 0x0D), 0x80);
}

ATF_TC_WITHOUT_HEAD(nvram_and_index);
ATF_TC_BODY(nvram_and_index, tc)
{
	struct cmos_rtc c;
	cmos_rtc_reset(&c, &instant);
	for (unsigned r = 0x0E; r < 0x80; r++)
		wr(&c, (uint8_t)r, (uint8_t)(r ^ 0x5A));
	for (unsigned r = 0x0E; r < 0x80; r++)
		ATF_CHECK_EQ(rd(&c, (uint8_t)r), (uint8_t)(r ^ 0x5A));
	cmos_rtc_write_index(&c, 0x80 | 0x10);   /* NMI disable bit: same register */
	ATF_CHECK_EQ(cmos_rtc_read_data(&c), 0x10 ^ 0x5A);
	ATF_CHECK_EQ(cmos_rtc_read_index(&c), 0x90);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, bcd_24h_default);
	ATF_TP_ADD_TC(tp, binary_and_12h);
	ATF_TP_ADD_TC(tp, set_clock_and_status);
	ATF_TP_ADD_TC(tp, nvram_and_index);
	return atf_no_error();
}
