/* The FIFO queue device on port 0xBB (contract section 6). */
#ifndef HV_IO_QUEUE_H
#define HV_IO_QUEUE_H
#include <stdint.h>

#define IO_QUEUE_CAPACITY 4096
/* What a byte popped from an empty queue reads. */
#define IO_QUEUE_EMPTY_BYTE 0xff

/* A ring of count bytes starting at buf[head]. */
struct io_queue {
	uint8_t buf[IO_QUEUE_CAPACITY];
	uint32_t head, count;
};

void io_queue_init(struct io_queue *q);
/* Pushes the low width bytes of value, least significant first; bytes
 * beyond the capacity are dropped. A width outside 1..4 pushes nothing. */
void io_queue_push(struct io_queue *q, uint32_t value, unsigned width);
/* Pops width bytes, the first into the least significant byte; each byte
 * from an empty queue reads IO_QUEUE_EMPTY_BYTE. A width outside 1..4
 * pops nothing and returns 0. */
uint32_t io_queue_pop(struct io_queue *q, unsigned width);

#endif
