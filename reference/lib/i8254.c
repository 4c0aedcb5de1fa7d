/* The 8254 (i8254.h). Field names follow the data sheet's control word
 * figure: SC1-SC0 select the counter, RW1-RW0 the access, M2-M0 the mode. */
#include "i8254.h"

#define CW_SELECT(v)     ((v) >> 6)          /* SC1-SC0; 3: read-back */
#define CW_ACCESS(v)     (((v) >> 4) & 3u)   /* RW1-RW0; 0: counter latch command */
#define CW_MODE(v)       (((v) >> 1) & 7u)   /* M2-M0 */
#define CW_BCD           0x01u
#define CW_READ_BACK     3u
#define ACCESS_LSB       1u
#define ACCESS_MSB       2u
#define ACCESS_WORD      3u
#define COUNT_MAX        65536u              /* a written 0 (binary) */
#define MIN_PERIOD       2u                  /* modes 2 and 3 need a count of 2 or more */

enum kind { ONE_SHOT, RATE, SQUARE, STROBE };

static enum kind kind_of(const struct i8254_counter *c)
{
	unsigned m = c->mode >= 6 ? c->mode - 4u : c->mode;   /* 6, 7: modes 2, 3 */
	return m == 2 ? RATE : m == 3 ? SQUARE : m == 4 ? STROBE : ONE_SHOT;
}

/* Modes 0 and 4 count down once from the count written and go on past 0. */
static bool counts_once(const struct i8254_counter *c)
{
	return kind_of(c) == ONE_SHOT || kind_of(c) == STROBE;
}

static uint32_t period(const struct i8254_counter *c)
{
	return c->reload < MIN_PERIOD ? MIN_PERIOD : c->reload;
}

static uint16_t count_at(const struct i8254_counter *c, uint64_t now)
{
	if (!c->counting)
		return (uint16_t)c->start_value;
	uint64_t d = now - c->start;
	uint32_t n = period(c);
	switch (kind_of(c)) {
	case RATE: return (uint16_t)(n - d % n);
	case SQUARE: return (uint16_t)(n - (2 * d) % n);
	default: return (uint16_t)(c->start_value - d);   /* modes 0, 4: wraps past 0 to 0xFFFF */
	}
}

static bool out_at(const struct i8254_counter *c, uint64_t now)
{
	if (!c->counting)
		return c->out_stopped;
	uint64_t d = now - c->start;
	uint32_t n = period(c);
	switch (kind_of(c)) {
	case RATE: return d % n != n - 1;       /* low for the one clock at count 1 */
	case SQUARE: return d % n < (n + 1) / 2;   /* high for the first half */
	case STROBE: return c->start_out || d != c->start_value;   /* low for the pulse at 0 */
	default: return c->start_out || d >= c->start_value;
	}
}

void i8254_reset(struct i8254 *t)
{
	for (unsigned n = 0; n < I8254_COUNTERS; n++)
		t->counter[n] = (struct i8254_counter){ .gate = n != 2 };
}

static void load(struct i8254_counter *c, uint32_t value, uint64_t now)
{
	c->reload = value ? value : COUNT_MAX;
	c->loaded = true;
	c->start_value = c->reload;
	c->start_out = false;
	c->start = now;
	c->counting = c->gate;
	c->out_stopped = kind_of(c) != ONE_SHOT;
}

static void control_word(struct i8254 *t, uint8_t value, uint64_t now)
{
	if (CW_SELECT(value) == CW_READ_BACK)
		return;   /* read-back: not offered */
	struct i8254_counter *c = &t->counter[CW_SELECT(value)];
	if (CW_ACCESS(value) == 0) {
		if (!c->latched && c->access) {
			c->latch = count_at(c, now);
			c->latched = true;
		}
		return;
	}
	bool gate = c->gate;
	*c = (struct i8254_counter){ .gate = gate };
	c->mode = CW_MODE(value);
	c->access = CW_ACCESS(value);
	c->bcd = value & CW_BCD;
	c->out_stopped = kind_of(c) != ONE_SHOT;   /* only mode 0 has OUT low after the control word */
}

static void write_counter(struct i8254_counter *c, uint8_t value, uint64_t now)
{
	switch (c->access) {
	case ACCESS_LSB: load(c, value, now); break;
	case ACCESS_MSB: load(c, (uint32_t)value << 8, now); break;
	case ACCESS_WORD:
		if (!c->write_msb_next) {
			c->write_lsb = value;
			c->write_msb_next = true;
			if (kind_of(c) == ONE_SHOT && c->counting) {
				/* Mode 0: the first byte stops the count. */
				c->start_value = count_at(c, now);
				c->counting = false;
				c->out_stopped = false;
			}
		} else {
			c->write_msb_next = false;
			load(c, c->write_lsb | (uint32_t)value << 8, now);
		}
		break;
	default:
		break;   /* no control word yet */
	}
}

/* One byte of value as the access mode and the read flip-flop choose. */
static uint8_t byte_of(struct i8254_counter *c, uint16_t value, bool *done)
{
	*done = true;
	if (c->access == ACCESS_LSB)
		return (uint8_t)value;
	if (c->access == ACCESS_MSB)
		return (uint8_t)(value >> 8);
	c->read_msb_next = !c->read_msb_next;
	*done = !c->read_msb_next;
	return c->read_msb_next ? (uint8_t)value : (uint8_t)(value >> 8);
}

static uint8_t read_counter(struct i8254_counter *c, uint64_t now)
{
	if (!c->access)
		return 0;
	bool done;
	if (c->latched) {
		uint8_t b = byte_of(c, c->latch, &done);
		c->latched = !done;
		return b;
	}
	return byte_of(c, count_at(c, now), &done);
}

uint8_t i8254_read(struct i8254 *t, uint16_t port, uint64_t now)
{
	if (port >= I8254_PORT_COUNTER0 && port < I8254_PORT_COUNTER0 + I8254_COUNTERS)
		return read_counter(&t->counter[port - I8254_PORT_COUNTER0], now);
	return 0xFF;   /* the control word register is write-only */
}

void i8254_write(struct i8254 *t, uint16_t port, uint8_t value, uint64_t now)
{
	if (port == I8254_PORT_CONTROL)
		control_word(t, value, now);
	else if (port >= I8254_PORT_COUNTER0 && port < I8254_PORT_COUNTER0 + I8254_COUNTERS)
		write_counter(&t->counter[port - I8254_PORT_COUNTER0], value, now);
}

void i8254_set_gate(struct i8254 *t, unsigned n, bool gate, uint64_t now)
{
	struct i8254_counter *c = &t->counter[n];
	if (gate == c->gate)
		return;
	c->gate = gate;
	if (!c->loaded)
		return;
	if (!gate) {
		/* Counting stops; in modes 2 and 3 OUT goes high at once. */
		if (c->counting) {
			c->start_out = c->start_out || now - c->start >= c->start_value;
			c->start_value = count_at(c, now);
			c->out_stopped = kind_of(c) == ONE_SHOT ? c->start_out : true;
			c->counting = false;
		}
		return;
	}
	/* A rising gate resumes modes 0 and 4 and restarts modes 2 and 3. */
	if (!counts_once(c))
		c->start_value = c->reload;
	c->start = now;
	c->counting = true;
}

bool i8254_out(const struct i8254 *t, unsigned n, uint64_t now)
{
	return out_at(&t->counter[n], now);
}

uint64_t i8254_next_rise(const struct i8254 *t, unsigned n, uint64_t after)
{
	const struct i8254_counter *c = &t->counter[n];
	if (!c->counting)
		return I8254_NEVER;
	if (counts_once(c)) {
		/* Mode 0: OUT rises at 0; mode 4: after its low pulse at 0. */
		uint64_t at = c->start + c->start_value + (kind_of(c) == STROBE);
		return c->start_out || at <= after ? I8254_NEVER : at;
	}
	uint64_t p = period(c);
	uint64_t k = after < c->start ? 1 : (after - c->start) / p + 1;
	return c->start + k * p;
}
