/* The 8254 programmable interval timer of a PC (Intel 8254 data sheet,
 * order number 231164; contract section 15): a pure state machine with no
 * VM in it. Time is the counters' input clock: `now` is a count of its
 * pulses (the core derives it from the guest TSC). Offered: control words
 * (counter select, access LSB / MSB / LSB then MSB, the counter latch
 * command), modes 0 (interrupt on terminal count), 2 (rate generator), 3
 * (square wave) and 4 (software triggered strobe: Linux's one-shot clock
 * event), each counter's gate, OUT. Not offered: the read-back command
 * (ignored), BCD counting (the bit is stored, counting is binary), modes 1
 * and 5 (they count as mode 0). A count written while a counter counts
 * restarts it at once. */
#ifndef HV_I8254_H
#define HV_I8254_H
#include <stdbool.h>
#include <stdint.h>

#define I8254_COUNTERS     3
#define I8254_PORT_COUNTER0 0x40u   /* counters 0-2 at 0x40-0x42 (PC/AT) */
#define I8254_PORT_CONTROL 0x43u
#define I8254_INPUT_HZ     1193182u /* the PC's counter clock: 14.31818 MHz / 12 */
#define I8254_NEVER        UINT64_MAX

struct i8254_counter {
	uint8_t mode;            /* 0-5 as written (6, 7: 2, 3) */
	uint8_t access;          /* 1 LSB, 2 MSB, 3 LSB then MSB; 0 before any control word */
	bool bcd;                /* stored only */
	bool gate;
	bool counting;           /* a count is loaded and the gate lets it count */
	bool loaded;             /* a count was written since the control word */
	bool out_stopped;        /* OUT while not counting */
	uint32_t reload;         /* the count written, 1-65536 (0 written = 65536) */
	uint32_t start_value;    /* modes 0, 4: the count at `start` */
	bool start_out;          /* modes 0, 4: the count had reached 0 before `start` */
	uint64_t start;          /* input clock at which counting (re)started */
	bool write_msb_next;     /* LSB then MSB: the next write is the MSB */
	uint8_t write_lsb;
	bool read_msb_next;      /* LSB then MSB: the next read is the MSB */
	bool latched;            /* the counter latch command holds `latch` */
	uint16_t latch;
};

struct i8254 {
	struct i8254_counter counter[I8254_COUNTERS];
};

/* Reset (undefined in the data sheet): no counter programmed, each counts
 * nothing, its count reads 0 and its OUT is low; gates of counters 0 and
 * 1 high, counter 2's low. */
void i8254_reset(struct i8254 *t);
/* One byte at 0x40-0x43 at input clock now. */
uint8_t i8254_read(struct i8254 *t, uint16_t port, uint64_t now);
void i8254_write(struct i8254 *t, uint16_t port, uint8_t value, uint64_t now);
/* Counter n's gate input (counter 2: port 0x61 bit 0). */
void i8254_set_gate(struct i8254 *t, unsigned n, bool gate, uint64_t now);
/* Counter n's OUT at now, and the first time after `after` at which OUT
 * rises (I8254_NEVER when it never will without a new write). */
bool i8254_out(const struct i8254 *t, unsigned n, uint64_t now);
uint64_t i8254_next_rise(const struct i8254 *t, unsigned n, uint64_t after);

#endif
