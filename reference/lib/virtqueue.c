#include "virtqueue.h"
#include "abi/virtio.h"

/* Offsets inside struct virtq_desc (2.7.5): le64 addr, le32 len, le16 flags, le16 next. */
#define DESC_ADDR 0u
#define DESC_LEN 8u
#define DESC_FLAGS 12u
#define DESC_NEXT 14u
#define RING_IDX 2u   /* le16 idx after le16 flags in both rings (2.7.6, 2.7.8) */

static uint64_t desc_table_bytes(uint32_t size) { return (uint64_t)size * VIRTQ_DESC_SIZE; }
static uint64_t avail_bytes(uint32_t size)
{
	return VIRTQ_AVAIL_RING_OFFSET + (uint64_t)size * VIRTQ_AVAIL_ENTRY_SIZE + VIRTQ_RING_TAIL;
}
static uint64_t used_bytes(uint32_t size)
{
	return VIRTQ_USED_RING_OFFSET + (uint64_t)size * VIRTQ_USED_ENTRY_SIZE + VIRTQ_RING_TAIL;
}

bool vq_layout_valid(const struct vq_mem *m, const struct virtqueue *q, uint32_t max)
{
	if (q->size == 0 || q->size > max || q->size > VIRTQ_SIZE_MAX || (q->size & (q->size - 1)))
		return false;
	if (q->desc % VIRTQ_DESC_ALIGN || q->avail % VIRTQ_AVAIL_ALIGN || q->used % VIRTQ_USED_ALIGN)
		return false;
	return m->in_ram(m->ctx, q->desc, desc_table_bytes(q->size)) &&
	       m->in_ram(m->ctx, q->avail, avail_bytes(q->size)) &&
	       m->in_ram(m->ctx, q->used, used_bytes(q->size));
}

static bool read16(const struct vq_mem *m, uint64_t gpa, uint16_t *v)
{
	return m->read(m->ctx, gpa, v, sizeof *v);
}

/* Reads descriptor i (i < size) into b and its flags and next index. */
static bool read_desc(const struct vq_mem *m, const struct virtqueue *q, uint16_t i,
		      struct vq_buf *b, uint16_t *flags, uint16_t *next)
{
	uint8_t raw[VIRTQ_DESC_SIZE];
	if (!m->read(m->ctx, q->desc + (uint64_t)i * VIRTQ_DESC_SIZE, raw, sizeof raw))
		return false;
	uint64_t addr = 0;
	uint32_t len = 0;
	for (unsigned k = 0; k < 8; k++)
		addr |= (uint64_t)raw[DESC_ADDR + k] << (8 * k);
	for (unsigned k = 0; k < 4; k++)
		len |= (uint32_t)raw[DESC_LEN + k] << (8 * k);
	*flags = (uint16_t)(raw[DESC_FLAGS] | raw[DESC_FLAGS + 1] << 8);
	*next = (uint16_t)(raw[DESC_NEXT] | raw[DESC_NEXT + 1] << 8);
	b->addr = addr;
	b->len = len;
	b->writable = *flags & VIRTQ_DESC_F_WRITE;
	b->in_ram = m->in_ram(m->ctx, addr, len);
	return true;
}

enum vq_result vq_pop(const struct vq_mem *m, struct virtqueue *q, struct vq_chain *chain,
		      struct vq_buf *bufs, unsigned cap)
{
	uint16_t avail_idx, head;
	chain->head = 0;
	chain->count = 0;
	chain->readable_bytes = chain->writable_bytes = 0;
	if (!read16(m, q->avail + RING_IDX, &avail_idx))
		return VQ_ERR_RING;
	uint16_t pending = (uint16_t)(avail_idx - q->last_avail);
	if (pending == 0)
		return VQ_EMPTY;
	if (pending > q->size)
		return VQ_ERR_AVAIL_IDX;
	uint64_t slot = q->avail + VIRTQ_AVAIL_RING_OFFSET +
			(uint64_t)(q->last_avail % q->size) * VIRTQ_AVAIL_ENTRY_SIZE;
	if (!read16(m, slot, &head))
		return VQ_ERR_RING;
	q->last_avail++;
	chain->head = head;
	if (head >= q->size)
		return VQ_ERR_HEAD;

	enum vq_result r = VQ_OK;
	bool seen_writable = false;
	uint16_t i = head, flags, next;
	for (;;) {
		if (chain->count == q->size)
			return VQ_ERR_LOOP;   /* a chain visits each descriptor at most once */
		if (chain->count == cap)
			return VQ_ERR_TOO_LONG;
		struct vq_buf *b = &bufs[chain->count];
		if (!read_desc(m, q, i, b, &flags, &next))
			return VQ_ERR_RING;
		chain->count++;
		if (flags & VIRTQ_DESC_F_INDIRECT)
			return VQ_ERR_INDIRECT;
		if (b->writable) {
			seen_writable = true;
			chain->writable_bytes += b->len;
		} else {
			if (seen_writable && r == VQ_OK)
				r = VQ_ERR_ORDER;
			chain->readable_bytes += b->len;
		}
		if (!b->in_ram && r == VQ_OK)
			r = VQ_ERR_BUF_RAM;
		if (!(flags & VIRTQ_DESC_F_NEXT))
			return r;
		if (next >= q->size)
			return VQ_ERR_NEXT;
		i = next;
	}
}

bool vq_push(const struct vq_mem *m, struct virtqueue *q, uint16_t head, uint32_t len)
{
	uint32_t elem[2] = { head, len };   /* struct virtq_used_elem (2.7.8) */
	uint64_t slot = q->used + VIRTQ_USED_RING_OFFSET +
			(uint64_t)(q->used_idx % q->size) * VIRTQ_USED_ENTRY_SIZE;
	if (!m->write(m->ctx, slot, elem, sizeof elem))
		return false;
	/* The element is in place before the index that publishes it (2.7.8.2). */
	uint16_t idx = (uint16_t)(q->used_idx + 1);
	if (!m->write(m->ctx, q->used + RING_IDX, &idx, sizeof idx))
		return false;
	q->used_idx = idx;
	return true;
}
