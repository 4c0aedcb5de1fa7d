/* Unit tests of the split-virtqueue walker (reference/lib/virtqueue.c)
 * against a fake guest RAM: well-formed chains, the used ring, and every
 * malformed descriptor it must refuse (contract section 14). */
#include <atf-c.h>
#include <stdint.h>
#include <string.h>

#include "abi/virtio.h"
#include "virtqueue.h"

#define RAM_BYTES 0x10000u
#define DESC_GPA 0x1000u
#define AVAIL_GPA 0x2000u
#define USED_GPA 0x3000u
#define QSIZE 8u
#define DATA_GPA 0x8000u

static uint8_t ram[RAM_BYTES];

static bool fake_in_ram(void *ctx, uint64_t gpa, uint64_t len)
{
	(void)ctx;
	return gpa < RAM_BYTES && len <= RAM_BYTES - gpa;
}

static bool fake_read(void *ctx, uint64_t gpa, void *buf, uint64_t len)
{
	if (!fake_in_ram(ctx, gpa, len))
		return false;
	memcpy(buf, ram + gpa, len);
	return true;
}

static bool fake_write(void *ctx, uint64_t gpa, const void *buf, uint64_t len)
{
	if (!fake_in_ram(ctx, gpa, len))
		return false;
	memcpy(ram + gpa, buf, len);
	return true;
}

static const struct vq_mem mem = { 0, fake_in_ram, fake_read, fake_write };

static struct virtqueue fresh_queue(void)
{
	memset(ram, 0, sizeof ram);
	return (struct virtqueue){ .desc = DESC_GPA, .avail = AVAIL_GPA, .used = USED_GPA, .size = QSIZE };
}

static void set_desc(unsigned i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
	uint8_t *d = ram + DESC_GPA + i * VIRTQ_DESC_SIZE;
	memcpy(d, &addr, 8);
	memcpy(d + 8, &len, 4);
	memcpy(d + 12, &flags, 2);
	memcpy(d + 14, &next, 2);
}

static uint16_t ring16(uint64_t gpa)
{
	uint16_t v;
	memcpy(&v, ram + gpa, 2);
	return v;
}

/* The driver makes chain `head` available. */
static void offer(uint16_t head)
{
	uint16_t idx = ring16(AVAIL_GPA + 2);
	memcpy(ram + AVAIL_GPA + VIRTQ_AVAIL_RING_OFFSET + (idx % QSIZE) * 2, &head, 2);
	idx++;
	memcpy(ram + AVAIL_GPA + 2, &idx, 2);
}

static enum vq_result pop(struct virtqueue *q, struct vq_chain *c, struct vq_buf *bufs)
{
	return vq_pop(&mem, q, c, bufs, QSIZE);
}

ATF_TC_WITHOUT_HEAD(empty_queue);
ATF_TC_BODY(empty_queue, tc)
{
	struct virtqueue q = fresh_queue();
	struct vq_chain c;
	struct vq_buf bufs[QSIZE];
	ATF_CHECK_EQ(pop(&q, &c, bufs), VQ_EMPTY);
	ATF_CHECK_EQ(q.last_avail, 0);
}

ATF_TC_WITHOUT_HEAD(block_request_chain);
ATF_TC_BODY(block_request_chain, tc)
{
	struct virtqueue q = fresh_queue();
	struct vq_chain c;
	struct vq_buf bufs[QSIZE];
	set_desc(5, DATA_GPA, 16, VIRTQ_DESC_F_NEXT, 2);
	set_desc(2, DATA_GPA + 0x100, 512, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 7);
	set_desc(7, DATA_GPA + 0x400, 1, VIRTQ_DESC_F_WRITE, 0);
	offer(5);
	ATF_REQUIRE_EQ(pop(&q, &c, bufs), VQ_OK);
	ATF_CHECK_EQ(c.head, 5);
	ATF_REQUIRE_EQ(c.count, 3);
	ATF_CHECK_EQ(bufs[0].addr, DATA_GPA);
	ATF_CHECK(!bufs[0].writable);
	ATF_CHECK_EQ(bufs[1].len, 512);
	ATF_CHECK(bufs[1].writable && bufs[2].writable && bufs[2].in_ram);
	ATF_CHECK_EQ(c.readable_bytes, 16);
	ATF_CHECK_EQ(c.writable_bytes, 513);
	ATF_CHECK_EQ(pop(&q, &c, bufs), VQ_EMPTY);
}

ATF_TC_WITHOUT_HEAD(used_ring_push);
ATF_TC_BODY(used_ring_push, tc)
{
	struct virtqueue q = fresh_queue();
	q.used_idx = QSIZE - 1;   /* the next element wraps to slot QSIZE-1, then 0 */
	ATF_REQUIRE(vq_push(&mem, &q, 3, 513));
	ATF_REQUIRE(vq_push(&mem, &q, 4, 0));
	uint32_t elem[2];
	memcpy(elem, ram + USED_GPA + VIRTQ_USED_RING_OFFSET + (QSIZE - 1) * 8, 8);
	ATF_CHECK_EQ(elem[0], 3);
	ATF_CHECK_EQ(elem[1], 513);
	memcpy(elem, ram + USED_GPA + VIRTQ_USED_RING_OFFSET, 8);
	ATF_CHECK_EQ(elem[0], 4);
	ATF_CHECK_EQ(elem[1], 0);
	ATF_CHECK_EQ(ring16(USED_GPA + 2), QSIZE + 1);
	ATF_CHECK_EQ(q.used_idx, QSIZE + 1);
}

ATF_TC_WITHOUT_HEAD(used_ring_outside_ram);
ATF_TC_BODY(used_ring_outside_ram, tc)
{
	struct virtqueue q = fresh_queue();
	q.used = RAM_BYTES - 4;
	ATF_CHECK(!vq_push(&mem, &q, 0, 1));
	ATF_CHECK_EQ(q.used_idx, 0);
}

ATF_TC_WITHOUT_HEAD(loop_two_descriptors);
ATF_TC_BODY(loop_two_descriptors, tc)
{
	struct virtqueue q = fresh_queue();
	struct vq_chain c;
	struct vq_buf bufs[QSIZE];
	set_desc(0, DATA_GPA, 16, VIRTQ_DESC_F_NEXT, 1);
	set_desc(1, DATA_GPA, 16, VIRTQ_DESC_F_NEXT, 0);
	offer(0);
	ATF_CHECK_EQ(pop(&q, &c, bufs), VQ_ERR_LOOP);
	ATF_CHECK_EQ(c.count, QSIZE);
	ATF_CHECK_EQ(c.head, 0);
	ATF_CHECK(!vq_chain_complete(VQ_ERR_LOOP));
	ATF_CHECK_EQ(q.last_avail, 1);   /* the chain was taken: the device returns it */
}

ATF_TC_WITHOUT_HEAD(loop_self);
ATF_TC_BODY(loop_self, tc)
{
	struct virtqueue q = fresh_queue();
	struct vq_chain c;
	struct vq_buf bufs[QSIZE];
	set_desc(3, DATA_GPA, 16, VIRTQ_DESC_F_NEXT, 3);
	offer(3);
	ATF_CHECK_EQ(pop(&q, &c, bufs), VQ_ERR_LOOP);
}

ATF_TC_WITHOUT_HEAD(longest_chain_accepted);
ATF_TC_BODY(longest_chain_accepted, tc)
{
	struct virtqueue q = fresh_queue();
	struct vq_chain c;
	struct vq_buf bufs[QSIZE];
	for (unsigned i = 0; i < QSIZE; i++)
		set_desc(i, DATA_GPA, 1, i + 1 < QSIZE ? VIRTQ_DESC_F_NEXT : 0, (uint16_t)(i + 1));
	offer(0);
	ATF_CHECK_EQ(pop(&q, &c, bufs), VQ_OK);
	ATF_CHECK_EQ(c.count, QSIZE);
}

ATF_TC_WITHOUT_HEAD(chain_longer_than_caller_buffer);
ATF_TC_BODY(chain_longer_than_caller_buffer, tc)
{
	struct virtqueue q = fresh_queue();
	struct vq_chain c;
	struct vq_buf bufs[2];
	set_desc(0, DATA_GPA, 1, VIRTQ_DESC_F_NEXT, 1);
	set_desc(1, DATA_GPA, 1, VIRTQ_DESC_F_NEXT, 2);
	set_desc(2, DATA_GPA, 1, 0, 0);
	offer(0);
	ATF_CHECK_EQ(vq_pop(&mem, &q, &c, bufs, 2), VQ_ERR_TOO_LONG);
	ATF_CHECK_EQ(c.count, 2);
}

ATF_TC_WITHOUT_HEAD(next_out_of_range);
ATF_TC_BODY(next_out_of_range, tc)
{
	struct virtqueue q = fresh_queue();
	struct vq_chain c;
	struct vq_buf bufs[QSIZE];
	set_desc(0, DATA_GPA, 16, VIRTQ_DESC_F_NEXT, QSIZE);
	offer(0);
	ATF_CHECK_EQ(pop(&q, &c, bufs), VQ_ERR_NEXT);
	ATF_CHECK_EQ(c.count, 1);
}

ATF_TC_WITHOUT_HEAD(head_out_of_range);
ATF_TC_BODY(head_out_of_range, tc)
{
	struct virtqueue q = fresh_queue();
	struct vq_chain c;
	struct vq_buf bufs[QSIZE];
	offer(0xffff);
	ATF_CHECK_EQ(pop(&q, &c, bufs), VQ_ERR_HEAD);
	ATF_CHECK_EQ(c.head, 0xffff);
	ATF_CHECK_EQ(c.count, 0);
}

ATF_TC_WITHOUT_HEAD(buffer_outside_ram);
ATF_TC_BODY(buffer_outside_ram, tc)
{
	struct virtqueue q = fresh_queue();
	struct vq_chain c;
	struct vq_buf bufs[QSIZE];
	set_desc(0, DATA_GPA, 16, VIRTQ_DESC_F_NEXT, 1);
	set_desc(1, RAM_BYTES - 4, 8, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2);   /* straddles the end */
	set_desc(2, DATA_GPA + 0x400, 1, VIRTQ_DESC_F_WRITE, 0);
	offer(0);
	ATF_CHECK_EQ(pop(&q, &c, bufs), VQ_ERR_BUF_RAM);
	ATF_CHECK(vq_chain_complete(VQ_ERR_BUF_RAM));
	ATF_REQUIRE_EQ(c.count, 3);   /* walked whole: the status byte can still be written */
	ATF_CHECK(bufs[0].in_ram && !bufs[1].in_ram && bufs[2].in_ram);
}

ATF_TC_WITHOUT_HEAD(buffer_address_wraps);
ATF_TC_BODY(buffer_address_wraps, tc)
{
	struct virtqueue q = fresh_queue();
	struct vq_chain c;
	struct vq_buf bufs[QSIZE];
	set_desc(0, 0xfffffffffffffff0ull, 0x20, 0, 0);   /* addr + len wraps to 0x10 */
	offer(0);
	ATF_CHECK_EQ(pop(&q, &c, bufs), VQ_ERR_BUF_RAM);
	ATF_CHECK(!bufs[0].in_ram);
}

ATF_TC_WITHOUT_HEAD(readable_after_writable);
ATF_TC_BODY(readable_after_writable, tc)
{
	struct virtqueue q = fresh_queue();
	struct vq_chain c;
	struct vq_buf bufs[QSIZE];
	set_desc(0, DATA_GPA, 1, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 1);
	set_desc(1, DATA_GPA, 16, 0, 0);
	offer(0);
	ATF_CHECK_EQ(pop(&q, &c, bufs), VQ_ERR_ORDER);
	ATF_CHECK_EQ(c.count, 2);
}

ATF_TC_WITHOUT_HEAD(indirect_refused);
ATF_TC_BODY(indirect_refused, tc)
{
	struct virtqueue q = fresh_queue();
	struct vq_chain c;
	struct vq_buf bufs[QSIZE];
	set_desc(0, DATA_GPA, 32, VIRTQ_DESC_F_INDIRECT, 0);
	offer(0);
	ATF_CHECK_EQ(pop(&q, &c, bufs), VQ_ERR_INDIRECT);
}

ATF_TC_WITHOUT_HEAD(avail_idx_too_far_ahead);
ATF_TC_BODY(avail_idx_too_far_ahead, tc)
{
	struct virtqueue q = fresh_queue();
	struct vq_chain c;
	struct vq_buf bufs[QSIZE];
	uint16_t idx = QSIZE + 1;
	memcpy(ram + AVAIL_GPA + 2, &idx, 2);
	ATF_CHECK_EQ(pop(&q, &c, bufs), VQ_ERR_AVAIL_IDX);
	ATF_CHECK_EQ(q.last_avail, 0);
}

ATF_TC_WITHOUT_HEAD(avail_idx_wraps);
ATF_TC_BODY(avail_idx_wraps, tc)
{
	struct virtqueue q = fresh_queue();
	struct vq_chain c;
	struct vq_buf bufs[QSIZE];
	q.last_avail = 0xffff;
	uint16_t idx = 0xffff;
	memcpy(ram + AVAIL_GPA + 2, &idx, 2);
	set_desc(1, DATA_GPA, 1, 0, 0);
	offer(1);   /* slot 0xffff % 8, idx -> 0 */
	ATF_CHECK_EQ(pop(&q, &c, bufs), VQ_OK);
	ATF_CHECK_EQ(c.head, 1);
	ATF_CHECK_EQ(q.last_avail, 0);
	ATF_CHECK_EQ(pop(&q, &c, bufs), VQ_EMPTY);
}

ATF_TC_WITHOUT_HEAD(rings_outside_ram);
ATF_TC_BODY(rings_outside_ram, tc)
{
	struct virtqueue q = fresh_queue();
	struct vq_chain c;
	struct vq_buf bufs[QSIZE];
	q.avail = RAM_BYTES;
	ATF_CHECK_EQ(pop(&q, &c, bufs), VQ_ERR_RING);
	q = fresh_queue();
	q.desc = RAM_BYTES - VIRTQ_DESC_SIZE;   /* descriptor 1 lies past RAM */
	uint8_t *d = ram + q.desc;
	uint16_t next_flag = VIRTQ_DESC_F_NEXT, next = 1;
	memcpy(d + 12, &next_flag, 2);
	memcpy(d + 14, &next, 2);
	offer(0);
	ATF_CHECK_EQ(pop(&q, &c, bufs), VQ_ERR_RING);
}

ATF_TC_WITHOUT_HEAD(layout_checks);
ATF_TC_BODY(layout_checks, tc)
{
	struct virtqueue q = fresh_queue();
	ATF_CHECK(vq_layout_valid(&mem, &q, 16));
	q.size = 0;
	ATF_CHECK(!vq_layout_valid(&mem, &q, 16));
	q.size = 6;   /* not a power of 2 */
	ATF_CHECK(!vq_layout_valid(&mem, &q, 16));
	q.size = 32;   /* above the device's maximum */
	ATF_CHECK(!vq_layout_valid(&mem, &q, 16));
	q = fresh_queue();
	q.desc += 8;   /* descriptor table needs 16-byte alignment */
	ATF_CHECK(!vq_layout_valid(&mem, &q, 16));
	q = fresh_queue();
	q.avail += 1;
	ATF_CHECK(!vq_layout_valid(&mem, &q, 16));
	q = fresh_queue();
	q.used += 2;
	ATF_CHECK(!vq_layout_valid(&mem, &q, 16));
	q = fresh_queue();
	q.used = RAM_BYTES - 16;   /* 6 + 8 * 8 bytes do not fit */
	ATF_CHECK(!vq_layout_valid(&mem, &q, 16));
	q = fresh_queue();
	q.desc = 0xfffffffffffffff0ull;
	ATF_CHECK(!vq_layout_valid(&mem, &q, 16));
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, empty_queue);
	ATF_TP_ADD_TC(tp, block_request_chain);
	ATF_TP_ADD_TC(tp, used_ring_push);
	ATF_TP_ADD_TC(tp, used_ring_outside_ram);
	ATF_TP_ADD_TC(tp, loop_two_descriptors);
	ATF_TP_ADD_TC(tp, loop_self);
	ATF_TP_ADD_TC(tp, longest_chain_accepted);
	ATF_TP_ADD_TC(tp, chain_longer_than_caller_buffer);
	ATF_TP_ADD_TC(tp, next_out_of_range);
	ATF_TP_ADD_TC(tp, head_out_of_range);
	ATF_TP_ADD_TC(tp, buffer_outside_ram);
	ATF_TP_ADD_TC(tp, buffer_address_wraps);
	ATF_TP_ADD_TC(tp, readable_after_writable);
	ATF_TP_ADD_TC(tp, indirect_refused);
	ATF_TP_ADD_TC(tp, avail_idx_too_far_ahead);
	ATF_TP_ADD_TC(tp, avail_idx_wraps);
	ATF_TP_ADD_TC(tp, rings_outside_ram);
	ATF_TP_ADD_TC(tp, layout_checks);
	return atf_no_error();
}
