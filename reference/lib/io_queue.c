/* FIFO queue device: a byte ring, no allocation. */
#include <stdint.h>
#include "io_queue.h"

/* The widest port access, a doubleword (SDM vol. 3 28.2.1, Table 28-5 sizes). */
#define IO_QUEUE_MAX_WIDTH 4
#define BITS_PER_BYTE 8

void io_queue_init(struct io_queue *q)
{
	q->head = 0;
	q->count = 0;
}

void io_queue_push(struct io_queue *q, uint32_t value, unsigned width)
{
	if (width == 0 || width > IO_QUEUE_MAX_WIDTH)
		return;
	for (unsigned i = 0; i < width && q->count < IO_QUEUE_CAPACITY; i++) {
		q->buf[(q->head + q->count) % IO_QUEUE_CAPACITY] = value >> (i * BITS_PER_BYTE);
		q->count++;
	}
}

uint32_t io_queue_pop(struct io_queue *q, unsigned width)
{
	uint32_t value = 0;
	if (width == 0 || width > IO_QUEUE_MAX_WIDTH)
		return 0;
	for (unsigned i = 0; i < width; i++) {
		uint32_t byte = IO_QUEUE_EMPTY_BYTE;
		if (q->count > 0) {
			byte = q->buf[q->head];
			q->head = (q->head + 1) % IO_QUEUE_CAPACITY;
			q->count--;
		}
		value |= byte << (i * BITS_PER_BYTE);
	}
	return value;
}
