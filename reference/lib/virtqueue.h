/* A device-side walker of one split virtqueue (virtio 1.2 section 2.7):
 * takes the next available descriptor chain, bounds-checking every
 * descriptor, and returns used buffers. It holds no globals and reaches
 * guest memory only through the callbacks of struct vq_mem, which refuse
 * anything outside guest RAM; so a malformed queue can make a request fail
 * but never makes the host touch memory outside the guest's RAM, and never
 * loops (a chain is at most the queue size long). Little-endian host. */
#ifndef HV_VIRTQUEUE_H
#define HV_VIRTQUEUE_H
#include <stdbool.h>
#include <stdint.h>

struct vq_mem {
	void *ctx;
	/* Whole [gpa, gpa+len) inside guest RAM (overflow: false). */
	bool (*in_ram)(void *ctx, uint64_t gpa, uint64_t len);
	/* Copies; false (nothing copied) when the range is not inside guest RAM. */
	bool (*read)(void *ctx, uint64_t gpa, void *buf, uint64_t len);
	bool (*write)(void *ctx, uint64_t gpa, const void *buf, uint64_t len);
};

struct virtqueue {
	uint64_t desc, avail, used;   /* guest-physical addresses of the three parts */
	uint32_t size;                /* Queue Size, a power of 2 */
	uint16_t last_avail;          /* next avail ring slot the device takes */
	uint16_t used_idx;            /* the device's copy of used->idx */
};

/* One descriptor of a chain. */
struct vq_buf {
	uint64_t addr;
	uint32_t len;
	bool writable;                /* VIRTQ_DESC_F_WRITE */
	bool in_ram;
};

struct vq_chain {
	uint16_t head;                /* the id to return in the used ring */
	unsigned count;               /* descriptors in bufs[] */
	uint64_t readable_bytes, writable_bytes;
};

enum vq_result {
	VQ_OK = 0,
	VQ_EMPTY,                 /* nothing available */
	/* The queue itself is broken; nothing was taken from it. */
	VQ_ERR_RING,              /* a ring or the descriptor table is not in RAM */
	VQ_ERR_AVAIL_IDX,         /* avail->idx runs more than size ahead of the device */
	/* A chain was taken but cannot be walked: chain->head is valid, bufs[]
	 * holds the descriptors walked so far (no status byte to trust). */
	VQ_ERR_HEAD,              /* the head index is >= size */
	VQ_ERR_NEXT,              /* a NEXT index is >= size */
	VQ_ERR_LOOP,              /* more than size descriptors: a loop */
	VQ_ERR_INDIRECT,          /* VIRTQ_DESC_F_INDIRECT (not negotiable here) */
	VQ_ERR_TOO_LONG,          /* more descriptors than the caller's bufs[] holds */
	/* The chain was walked whole (bufs[] complete) but is malformed. */
	VQ_ERR_BUF_RAM,           /* a buffer lies (partly) outside guest RAM */
	VQ_ERR_ORDER,             /* a device-readable descriptor after a writable one (2.7.4.2) */
};

/* True for the results after which bufs[] holds the whole chain. */
static inline bool vq_chain_complete(enum vq_result r)
{
	return r == VQ_OK || r == VQ_ERR_BUF_RAM || r == VQ_ERR_ORDER;
}

/* Queue size a power of 2 in 1..max, the parts aligned (2.7 table) and
 * inside guest RAM: the checks a device makes before using the queue. */
bool vq_layout_valid(const struct vq_mem *m, const struct virtqueue *q, uint32_t max);

/* Takes the next available chain into chain/bufs (cap entries). */
enum vq_result vq_pop(const struct vq_mem *m, struct virtqueue *q, struct vq_chain *chain,
		      struct vq_buf *bufs, unsigned cap);

/* Puts (head, len) into the used ring and publishes it (used->idx + 1);
 * false when the used ring is not in RAM. */
bool vq_push(const struct vq_mem *m, struct virtqueue *q, uint16_t head, uint32_t len);

#endif
