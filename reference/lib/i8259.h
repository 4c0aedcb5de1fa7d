/* The two 8259A programmable interrupt controllers of a PC (Intel 8259A
 * data sheet, order number 231468; contract section 15): a pure state
 * machine with no VM in it. The slave's INT output drives the master's
 * input 2, as on every PC. Offered: the ICW1-ICW4 sequence (edge or level
 * triggered, single or cascade, vector base from ICW2, 8086 mode, AEOI),
 * OCW1 (IMR), OCW2 non-specific and specific EOI, OCW3 read IRR / read ISR
 * and poll, fixed priority (IR0 highest), the PC's ELCR (edge/level per
 * line, ports 0x4D0/0x4D1). Not offered: rotation and set-priority OCW2
 * commands (ignored), special mask mode, special fully nested mode,
 * buffered mode (stored only); spurious IR7 is never generated. */
#ifndef HV_I8259_H
#define HV_I8259_H
#include <stdbool.h>
#include <stdint.h>

#define I8259_LINES        8     /* inputs IR0-IR7 per controller */
#define I8259_PAIR_LINES   16    /* ISA IRQ 0-15: master 0-7, slave 8-15 */
#define I8259_CASCADE_LINE 2     /* the master's input the slave drives (PC wiring) */
#define I8259_NONE         (-1)

/* Ports (PC/AT): command (A0 = 0) and data (A0 = 1) of each controller. */
#define I8259_MASTER_CMD   0x20u
#define I8259_MASTER_DATA  0x21u
#define I8259_SLAVE_CMD    0xA0u
#define I8259_SLAVE_DATA   0xA1u
/* Edge/level control registers of the PC chipset (Intel 82371SB PIIX3
 * data sheet, registers ELCR1/ELCR2): bit n = 1 makes line n level triggered. IRQ 0, 1,
 * 2, 8 and 13 are always edge triggered there. */
#define I8259_ELCR_MASTER  0x4D0u
#define I8259_ELCR_SLAVE   0x4D1u
#define I8259_ELCR_MASTER_WRITABLE 0xF8u
#define I8259_ELCR_SLAVE_WRITABLE  0xDEu

struct i8259 {
	uint8_t irr, isr, imr;
	uint8_t levels;        /* current level of each input */
	uint8_t edge_seen;     /* inputs whose rising edge is latched in IRR (edge mode) */
	uint8_t elcr;          /* level-triggered inputs (ELCR) */
	uint8_t vector_base;   /* ICW2 bits 7:3 */
	uint8_t icw3;          /* stored: the cascade wiring is fixed */
	uint8_t icw4;          /* stored: AEOI (bit 1) is used */
	bool level_mode;       /* ICW1 LTIM: every input level triggered */
	bool single;           /* ICW1 SNGL: no ICW3 */
	bool want_icw4;        /* ICW1 IC4 */
	bool initialised;      /* a whole ICW sequence ended: it may request interrupts */
	uint8_t init_step;     /* next ICW expected at the data port: 0 none, 2, 3 or 4 */
	bool read_isr;         /* OCW3 RR/RIS: the command port reads ISR, else IRR */
	bool poll;             /* OCW3 P: the next command port read is a poll */
};

struct i8259_pair {
	struct i8259 master, slave;
};

/* Reset: before any ICW sequence, IMR 0xFF, IRR, ISR, ELCR 0, reads give
 * IRR, no interrupt is requested (the data sheet leaves it undefined). */
void i8259_pair_reset(struct i8259_pair *p);
/* Sets ISA line irq (0-15, 2 excepted: it is the cascade) to level. */
void i8259_pair_set_line(struct i8259_pair *p, unsigned irq, bool level);
/* The vector the pair requests from the processor now, or I8259_NONE. */
int i8259_pair_pending(const struct i8259_pair *p);
/* The processor's interrupt acknowledge: the requested line moves from
 * IRR to ISR (not with AEOI) and its vector is returned; I8259_NONE when
 * nothing is requested. */
int i8259_pair_acknowledge(struct i8259_pair *p);
/* One byte at one of the four ports or the two ELCR ports. */
uint8_t i8259_pair_read(struct i8259_pair *p, uint16_t port);
void i8259_pair_write(struct i8259_pair *p, uint16_t port, uint8_t value);

#endif
