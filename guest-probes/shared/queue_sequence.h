/* The FIFO-queue sequence (port 0xBB, contract 6; KeV pio_dx_port and
 * pio_imm8_port) shared by pio_dx_port and pio_imm8_port. The includer
 * defines QUEUE_FORM (a string) and the six accessors QUEUE_IN8/16/32()
 * and QUEUE_OUT8/16/32(v) in the port form it tests. Every result is
 * printed as `pio_queue: form=<f> step=<name> got=0x<v>`. */
#ifndef GP_SHARED_QUEUE_SEQUENCE_H
#define GP_SHARED_QUEUE_SEQUENCE_H
#include "runtime.h"

#define QUEUE_CAPACITY 4096u /* contract 6 */

static void queue_report(const char *step, uint32_t got)
{
	printf("pio_queue: form=%s step=%s got=0x%x\n", QUEUE_FORM, step, got);
}

static void queue_same_width(void)
{
	queue_report("empty_in8", QUEUE_IN8());
	QUEUE_OUT8(0x5a);
	queue_report("out8_in8", QUEUE_IN8());
	QUEUE_OUT16(0xbeef);
	queue_report("out16_in16", QUEUE_IN16());
	QUEUE_OUT32(0xdeadbeef);
	queue_report("out32_in32", QUEUE_IN32());
}

static void queue_order(void)
{
	QUEUE_OUT8(0x11);
	QUEUE_OUT8(0x22);
	QUEUE_OUT8(0x33);
	uint32_t a = QUEUE_IN8();
	uint32_t b = QUEUE_IN8();
	uint32_t c = QUEUE_IN8();
	printf("pio_queue: form=%s step=fifo_order got=0x%x,0x%x,0x%x\n",
	       QUEUE_FORM, a, b, c);
}

/* Widths mix: the queue holds bytes, little endian. */
static void queue_mixed_widths(void)
{
	QUEUE_OUT32(0x44332211);
	uint32_t a = QUEUE_IN8();
	uint32_t b = QUEUE_IN8();
	uint32_t c = QUEUE_IN8();
	uint32_t d = QUEUE_IN8();
	printf("pio_queue: form=%s step=out32_in8x4 got=0x%x,0x%x,0x%x,0x%x\n",
	       QUEUE_FORM, a, b, c, d);
	QUEUE_OUT8(0xaa);
	QUEUE_OUT8(0xbb);
	queue_report("out8x2_in16", QUEUE_IN16());
	QUEUE_OUT16(0x2211);
	QUEUE_OUT16(0x4433);
	queue_report("out16x2_in32", QUEUE_IN32());
}

/* A byte popped from an empty queue reads 0xFF. */
static void queue_underflow(void)
{
	QUEUE_OUT8(0x12);
	queue_report("out8_in16", QUEUE_IN16());
	QUEUE_OUT16(0x3456);
	queue_report("out16_in32", QUEUE_IN32());
	queue_report("empty_in32", QUEUE_IN32());
}

/* Dword i of the capacity fill: a multiplicative hash (Knuth's 2^32/phi),
 * so no stretch of the stream reads the same backwards (a LIFO queue must
 * not match) or repeats (a queue that drops or duplicates a chunk must
 * not either). */
#define QUEUE_FILL_HASH 0x9e3779b1u
static uint32_t queue_fill(uint32_t i)
{
	return (i + 1) * QUEUE_FILL_HASH;
}

/* Fill to capacity with 32-bit pushes, push one more byte (dropped), then
 * drain and count the dwords that match what was pushed. */
static void queue_capacity(void)
{
	for (uint32_t i = 0; i < QUEUE_CAPACITY / 4; i++)
		QUEUE_OUT32(queue_fill(i));
	QUEUE_OUT8(0x99);
	unsigned matched = 0;
	for (uint32_t i = 0; i < QUEUE_CAPACITY / 4; i++)
		matched += QUEUE_IN32() == queue_fill(i);
	uint32_t after = QUEUE_IN8();
	printf("pio_queue: form=%s step=capacity matched_dwords=%u after=0x%x\n",
	       QUEUE_FORM, matched, after);
}

static void queue_sequence(void)
{
	queue_same_width();
	queue_order();
	queue_mixed_widths();
	queue_underflow();
	queue_capacity();
}

#endif
