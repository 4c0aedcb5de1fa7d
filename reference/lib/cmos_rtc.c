/* The guest's CMOS clock (see cmos_rtc.h; MC146818A data sheet). */
#include "cmos_rtc.h"

static uint8_t *time_field(struct cmos_rtc *c, unsigned reg)
{
	switch (reg) {
	case CMOS_SECONDS:      return &c->now.second;
	case CMOS_MINUTES:      return &c->now.minute;
	case CMOS_HOURS:        return &c->now.hour;
	case CMOS_DAY_OF_WEEK:  return &c->now.day_of_week;
	case CMOS_DAY_OF_MONTH: return &c->now.day;
	case CMOS_MONTH:        return &c->now.month;
	case CMOS_YEAR:         return &c->now.year;
	default:                return 0;
	}
}

static bool binary_mode(const struct cmos_rtc *c)
{
	return c->reg[CMOS_STATUS_B] & CMOS_B_DM_BINARY;
}

static uint8_t encode(const struct cmos_rtc *c, uint8_t v)
{
	return binary_mode(c) ? v : (uint8_t)((v / 10) << 4 | (v % 10));
}

static uint8_t decode(const struct cmos_rtc *c, uint8_t v)
{
	return binary_mode(c) ? v : (uint8_t)((v >> 4) * 10 + (v & 0x0F));
}

/* Hours 0-23 as the register shows them: in 12-hour mode 12, 1-11 with
 * bit 7 set from noon on. */
static uint8_t encode_hour(const struct cmos_rtc *c, uint8_t hour)
{
	if (c->reg[CMOS_STATUS_B] & CMOS_B_24H)
		return encode(c, hour);
	uint8_t h12 = hour % 12 ? hour % 12 : 12;
	return encode(c, h12) | (hour >= 12 ? CMOS_HOURS_PM : 0);
}

static uint8_t decode_hour(const struct cmos_rtc *c, uint8_t v)
{
	if (c->reg[CMOS_STATUS_B] & CMOS_B_24H)
		return decode(c, v);
	uint8_t h12 = decode(c, v & ~CMOS_HOURS_PM) % 12;
	return h12 + (v & CMOS_HOURS_PM ? 12 : 0);
}

void cmos_rtc_reset(struct cmos_rtc *c, const struct cmos_time *now)
{
	*c = (struct cmos_rtc){ .now = *now };
	c->reg[CMOS_STATUS_A] = CMOS_A_DEFAULT;
	c->reg[CMOS_STATUS_B] = CMOS_B_DEFAULT;
	c->reg[CMOS_CENTURY] = (uint8_t)((now->century / 10) << 4 | (now->century % 10));
}

void cmos_rtc_write_index(struct cmos_rtc *c, uint8_t value)
{
	c->index = value;
}

uint8_t cmos_rtc_read_index(const struct cmos_rtc *c)
{
	return c->index;
}

uint8_t cmos_rtc_read_data(struct cmos_rtc *c)
{
	unsigned reg = c->index & CMOS_INDEX_MASK;
	uint8_t *t = time_field(c, reg);
	if (reg == CMOS_HOURS)
		return encode_hour(c, *t);
	if (t)
		return encode(c, *t);
	switch (reg) {
	case CMOS_STATUS_A:
		return c->reg[reg] & ~CMOS_A_UIP;   /* never mid-update: it does not tick */
	case CMOS_STATUS_C:
		return 0;
	case CMOS_STATUS_D:
		return CMOS_D_VRT;
	default:
		return c->reg[reg];
	}
}

void cmos_rtc_write_data(struct cmos_rtc *c, uint8_t value)
{
	unsigned reg = c->index & CMOS_INDEX_MASK;
	uint8_t *t = time_field(c, reg);
	if (reg == CMOS_HOURS) {
		*t = decode_hour(c, value);
		return;
	}
	if (t) {
		*t = decode(c, value);
		return;
	}
	switch (reg) {
	case CMOS_STATUS_A:
		c->reg[reg] = value & ~CMOS_A_UIP;
		return;
	case CMOS_STATUS_B:
		/* Setting SET clears the update-ended interrupt enable. */
		c->reg[reg] = value & CMOS_B_SET ? value & ~CMOS_B_UIE : value;
		return;
	case CMOS_STATUS_C:
	case CMOS_STATUS_D:
		return;
	default:
		c->reg[reg] = value;
	}
}
