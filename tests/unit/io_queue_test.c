/* Unit tests of io_queue, the port 0xBB FIFO of contract section 6. */
#include <atf-c.h>
#include <stdint.h>

#include "io_queue.h"

ATF_TC_WITHOUT_HEAD(empty_reads_ff);
ATF_TC_BODY(empty_reads_ff, tc)
{
	static struct io_queue q;
	io_queue_init(&q);
	ATF_CHECK_EQ(io_queue_pop(&q, 1), 0xff);
	ATF_CHECK_EQ(io_queue_pop(&q, 2), 0xffff);
	ATF_CHECK_EQ(io_queue_pop(&q, 4), 0xffffffffu);
	/* Popping an empty queue leaves it usable. */
	io_queue_push(&q, 0x42, 1);
	ATF_CHECK_EQ(io_queue_pop(&q, 1), 0x42);
	ATF_CHECK_EQ(io_queue_pop(&q, 1), 0xff);
}

ATF_TC_WITHOUT_HEAD(fifo_order);
ATF_TC_BODY(fifo_order, tc)
{
	static struct io_queue q;
	io_queue_init(&q);
	for (unsigned i = 0; i < 10; i++)
		io_queue_push(&q, 0x30 + i, 1);
	for (unsigned i = 0; i < 10; i++)
		ATF_CHECK_EQ(io_queue_pop(&q, 1), 0x30 + i);
	ATF_CHECK_EQ(q.count, 0);
}

ATF_TC_WITHOUT_HEAD(widths_little_endian);
ATF_TC_BODY(widths_little_endian, tc)
{
	static struct io_queue q;
	io_queue_init(&q);
	io_queue_push(&q, 0x11223344, 4);
	ATF_CHECK_EQ(io_queue_pop(&q, 1), 0x44);
	ATF_CHECK_EQ(io_queue_pop(&q, 2), 0x2233);
	ATF_CHECK_EQ(io_queue_pop(&q, 1), 0x11);

	/* Only the low width bytes of the value are pushed. */
	io_queue_push(&q, 0x12345678, 2);
	io_queue_push(&q, 0xabcdefcc, 1);
	ATF_CHECK_EQ(q.count, 3);
	/* A pop that runs dry fills the rest with 0xFF. */
	ATF_CHECK_EQ(io_queue_pop(&q, 4), 0xffcc5678u);

	io_queue_push(&q, 0xbeef, 2);
	io_queue_push(&q, 0xcafe, 2);
	ATF_CHECK_EQ(io_queue_pop(&q, 4), 0xcafebeefu);
}

ATF_TC_WITHOUT_HEAD(bad_widths);
ATF_TC_BODY(bad_widths, tc)
{
	static struct io_queue q;
	io_queue_init(&q);
	io_queue_push(&q, 0x1234, 0);
	io_queue_push(&q, 0x1234, 5);
	ATF_CHECK_EQ(q.count, 0);
	io_queue_push(&q, 0x77, 1);
	ATF_CHECK_EQ(io_queue_pop(&q, 0), 0);
	ATF_CHECK_EQ(io_queue_pop(&q, 8), 0);
	ATF_CHECK_EQ(io_queue_pop(&q, 1), 0x77);
}

ATF_TC_WITHOUT_HEAD(capacity);
ATF_TC_BODY(capacity, tc)
{
	static struct io_queue q;
	io_queue_init(&q);
	ATF_CHECK_EQ(IO_QUEUE_CAPACITY, 4096);
	for (unsigned i = 0; i < 4096; i++)
		io_queue_push(&q, i * 7, 1);
	io_queue_push(&q, 0x99, 1); /* dropped */
	io_queue_push(&q, 0x99999999, 4);
	ATF_CHECK_EQ(q.count, 4096);
	for (unsigned i = 0; i < 4096; i++)
		ATF_REQUIRE_EQ(io_queue_pop(&q, 1), (uint8_t)(i * 7));
	ATF_CHECK_EQ(io_queue_pop(&q, 1), 0xff);

	/* A wide push at the edge keeps the bytes that fit. */
	io_queue_init(&q);
	for (unsigned i = 0; i < 4094; i++)
		io_queue_push(&q, 0, 1);
	io_queue_push(&q, 0xddccbbaa, 4);
	ATF_CHECK_EQ(q.count, 4096);
	for (unsigned i = 0; i < 4094; i++)
		io_queue_pop(&q, 1);
	ATF_CHECK_EQ(io_queue_pop(&q, 4), 0xffffbbaau);
}

/* Interleaved pushes and pops of random widths, checked against a plain
 * array model, so the ring wraps many times. */
ATF_TC_WITHOUT_HEAD(wraparound_model);
ATF_TC_BODY(wraparound_model, tc)
{
	static struct io_queue q;
	static uint8_t model[1 << 20];
	unsigned mhead = 0, mtail = 0;
	uint32_t rng = 12345;
	const unsigned widths[3] = { 1, 2, 4 };
	io_queue_init(&q);
	for (unsigned step = 0; step < 200000; step++) {
		rng ^= rng << 13;
		rng ^= rng >> 17;
		rng ^= rng << 5;
		unsigned w = widths[rng % 3];
		/* Bias towards pushing so the queue fills up and overflows. */
		if ((rng >> 8) % 16 < 9) {
			io_queue_push(&q, rng, w);
			for (unsigned i = 0; i < w; i++)
				if (mtail - mhead < 4096)
					model[mtail++ % sizeof(model)] = (uint8_t)(rng >> (8 * i));
		} else {
			uint32_t want = 0;
			for (unsigned i = 0; i < w; i++) {
				uint32_t b = mhead < mtail ? model[mhead++ % sizeof(model)] : 0xff;
				want |= b << (8 * i);
			}
			ATF_REQUIRE_EQ(io_queue_pop(&q, w), want);
		}
		ATF_REQUIRE_EQ(q.count, mtail - mhead);
	}
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, empty_reads_ff);
	ATF_TP_ADD_TC(tp, fifo_order);
	ATF_TP_ADD_TC(tp, widths_little_endian);
	ATF_TP_ADD_TC(tp, bad_widths);
	ATF_TP_ADD_TC(tp, capacity);
	ATF_TP_ADD_TC(tp, wraparound_model);
	return atf_no_error();
}
