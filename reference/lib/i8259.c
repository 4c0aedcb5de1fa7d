/* The 8259A pair (i8259.h). Names of the command bits follow the 8259A
 * data sheet's ICW and OCW figures. */
#include "i8259.h"

#define ICW1_SELECT      0x10u   /* D4 = 1 at A0 = 0: ICW1 */
#define ICW1_LTIM        0x08u   /* level triggered mode */
#define ICW1_SNGL        0x02u   /* single: no ICW3 */
#define ICW1_IC4         0x01u   /* ICW4 follows */
#define ICW2_VECTOR_MASK 0xF8u   /* T7-T3 in 8086 mode */
#define ICW4_AEOI        0x02u
#define OCW3_SELECT      0x08u   /* D4 = 0, D3 = 1 at A0 = 0: OCW3 */
#define OCW3_POLL        0x04u
#define OCW3_RR          0x02u   /* act on RIS */
#define OCW3_RIS         0x01u   /* read ISR, else IRR */
#define OCW2_COMMAND(v)  ((v) >> 5)   /* R, SL, EOI */
#define OCW2_NONSPECIFIC_EOI 1u
#define OCW2_SPECIFIC_EOI    3u
#define OCW2_LEVEL(v)    ((v) & 7u)
#define POLL_REQUEST     0x80u   /* poll word: I bit, W2-W0 the line */

static int highest(uint8_t bits)   /* fixed priority: IR0 highest */
{
	for (int line = 0; line < I8259_LINES; line++)
		if (bits & (1u << line))
			return line;
	return I8259_NONE;
}

static uint8_t level_lines(const struct i8259 *c)
{
	return c->level_mode ? 0xFF : c->elcr;
}

/* Level-triggered inputs: IRR follows the line. */
static void follow_levels(struct i8259 *c)
{
	uint8_t lvl = level_lines(c);
	c->irr = (uint8_t)((c->irr & ~lvl) | (c->levels & lvl));
}

static void set_input(struct i8259 *c, unsigned line, bool level)
{
	uint8_t bit = (uint8_t)(1u << line);
	if (level && !(c->levels & bit))
		c->irr |= bit;   /* a rising edge; it stays latched after the line falls */
	c->levels = level ? c->levels | bit : c->levels & (uint8_t)~bit;
	follow_levels(c);
}

/* The line this controller requests now: the highest unmasked one in IRR
 * above every line in service (fully nested mode). */
static int request(const struct i8259 *c)
{
	if (!c->initialised)
		return I8259_NONE;
	int line = highest(c->irr & (uint8_t)~c->imr);
	int served = highest(c->isr);
	if (line == I8259_NONE || (served != I8259_NONE && served <= line))
		return I8259_NONE;
	return line;
}

static void accept(struct i8259 *c, int line)
{
	uint8_t bit = (uint8_t)(1u << line);
	if (!(level_lines(c) & bit))
		c->irr &= (uint8_t)~bit;
	if (!(c->icw4 & ICW4_AEOI))
		c->isr |= bit;
}

/* The master's cascade input is the slave's INT output, as a level: a
 * slave request that goes away (masked, EOI order) never leaves the master
 * asking for it, so no spurious vector ever comes. */
static void cascade(struct i8259_pair *p)
{
	uint8_t bit = 1u << I8259_CASCADE_LINE;
	if (request(&p->slave) != I8259_NONE)
		p->master.irr |= bit;
	else
		p->master.irr &= (uint8_t)~bit;
}

static void chip_reset(struct i8259 *c)
{
	*c = (struct i8259){ .imr = 0xFF };
}

void i8259_pair_reset(struct i8259_pair *p)
{
	chip_reset(&p->master);
	chip_reset(&p->slave);
}

void i8259_pair_set_line(struct i8259_pair *p, unsigned irq, bool level)
{
	if (irq >= I8259_PAIR_LINES || irq == I8259_CASCADE_LINE)
		return;
	if (irq < I8259_LINES)
		set_input(&p->master, irq, level);
	else
		set_input(&p->slave, irq - I8259_LINES, level);
	cascade(p);
}

int i8259_pair_pending(const struct i8259_pair *p)
{
	int line = request(&p->master);
	if (line == I8259_NONE)
		return I8259_NONE;
	if (line == I8259_CASCADE_LINE)
		return p->slave.vector_base | request(&p->slave);
	return p->master.vector_base | line;
}

int i8259_pair_acknowledge(struct i8259_pair *p)
{
	int vector = i8259_pair_pending(p);
	if (vector == I8259_NONE)
		return I8259_NONE;
	int line = request(&p->master);
	accept(&p->master, line);
	if (line == I8259_CASCADE_LINE)
		accept(&p->slave, request(&p->slave));
	cascade(p);
	return vector;
}

static void write_command(struct i8259 *c, uint8_t value)
{
	if (value & ICW1_SELECT) {
		/* ICW1 starts initialisation: IMR and ISR cleared, latched
		 * edges cleared, reads give IRR, ICW4 functions 0 without IC4. */
		c->level_mode = value & ICW1_LTIM;
		c->single = value & ICW1_SNGL;
		c->want_icw4 = value & ICW1_IC4;
		c->imr = 0;
		c->isr = 0;
		c->irr = 0;   /* a line still high must fall and rise again (edge mode) */
		c->icw4 = 0;
		c->read_isr = false;
		c->poll = false;
		c->initialised = false;
		c->init_step = 2;
		follow_levels(c);
		return;
	}
	if (value & OCW3_SELECT) {
		if (value & OCW3_RR)
			c->read_isr = value & OCW3_RIS;
		c->poll = value & OCW3_POLL;
		return;
	}
	switch (OCW2_COMMAND(value)) {
	case OCW2_NONSPECIFIC_EOI: {
		int line = highest(c->isr);
		if (line != I8259_NONE)
			c->isr &= (uint8_t)~(1u << line);
		break;
	}
	case OCW2_SPECIFIC_EOI:
		c->isr &= (uint8_t)~(1u << OCW2_LEVEL(value));
		break;
	default:
		break;   /* rotation and set priority: not offered */
	}
}

static void write_data(struct i8259 *c, uint8_t value)
{
	switch (c->init_step) {
	case 2:
		c->vector_base = value & ICW2_VECTOR_MASK;
		c->init_step = !c->single ? 3 : c->want_icw4 ? 4 : 0;
		break;
	case 3:
		c->icw3 = value;
		c->init_step = c->want_icw4 ? 4 : 0;
		break;
	case 4:
		c->icw4 = value;
		c->init_step = 0;
		break;
	default:
		c->imr = value;   /* OCW1 */
		return;
	}
	c->initialised = c->init_step == 0;
}

static uint8_t read_command(struct i8259 *c)
{
	if (c->poll) {
		/* Poll: acts as an interrupt acknowledge of this controller. */
		c->poll = false;
		int line = request(c);
		if (line == I8259_NONE)
			return 0;
		accept(c, line);
		return (uint8_t)(POLL_REQUEST | line);
	}
	return c->read_isr ? c->isr : c->irr;
}

uint8_t i8259_pair_read(struct i8259_pair *p, uint16_t port)
{
	uint8_t value = 0xFF;
	switch (port) {
	case I8259_MASTER_CMD: value = read_command(&p->master); break;
	case I8259_SLAVE_CMD: value = read_command(&p->slave); break;
	case I8259_MASTER_DATA: value = p->master.imr; break;
	case I8259_SLAVE_DATA: value = p->slave.imr; break;
	case I8259_ELCR_MASTER: value = p->master.elcr; break;
	case I8259_ELCR_SLAVE: value = p->slave.elcr; break;
	default: break;
	}
	cascade(p);
	return value;
}

void i8259_pair_write(struct i8259_pair *p, uint16_t port, uint8_t value)
{
	switch (port) {
	case I8259_MASTER_CMD: write_command(&p->master, value); break;
	case I8259_SLAVE_CMD: write_command(&p->slave, value); break;
	case I8259_MASTER_DATA: write_data(&p->master, value); break;
	case I8259_SLAVE_DATA: write_data(&p->slave, value); break;
	case I8259_ELCR_MASTER:
		p->master.elcr = value & I8259_ELCR_MASTER_WRITABLE;
		follow_levels(&p->master);
		break;
	case I8259_ELCR_SLAVE:
		p->slave.elcr = value & I8259_ELCR_SLAVE_WRITABLE;
		follow_levels(&p->slave);
		break;
	default:
		break;
	}
	cascade(p);
}
