/* The virtio block device (contract section 14, "Virtio block device"):
 * virtio-mmio version 2 (virtio 1.2 section 4.2.2) in the window at
 * VIRTIO_BLK_MMIO_BASE, one split virtqueue (2.7), block requests (5.2.6)
 * served synchronously on the QueueNotify write from the disk's backing
 * store (disk.h), which the block hypercalls share. With platform=pc the
 * device drives ISA IRQ 5 at InterruptStatus != 0 (contract section 15);
 * otherwise the guest polls the used ring or InterruptStatus. */
#include "devices.h"
#include "disk.h"
#include "guest_mem.h"
#include "pc_irq.h"
#include "virtqueue.h"
#include "abi/virtio.h"

#define REG_WIDTH 4u                              /* 32-bit registers (4.2.2) */
#define CAPACITY_BYTES 8u                         /* le64 capacity (5.2.4) */
#define FEATURE_WORDS 2u                          /* selector values that name feature bits here */
#define DEVICE_FEATURES ((1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_BLK_F_FLUSH))
#define RUNNING (VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK)
#define HALTED (VIRTIO_STATUS_DEVICE_NEEDS_RESET | VIRTIO_STATUS_FAILED)

static struct {
	uint32_t status;
	uint32_t interrupt_status;
	uint32_t device_features_sel, driver_features_sel, queue_sel;
	uint64_t driver_features;
	bool driver_features_unknown;   /* a bit written beyond the 64 this device knows */
	bool queue_ready;
	struct virtqueue q;
} blk;

static bool vm_in_ram(void *vm, uint64_t gpa, uint64_t len)
{
	return guest_phys_in_ram(vm, gpa, len);
}

static struct vq_mem vq_mem_of(struct vm *vm)
{
	return (struct vq_mem){ vm, vm_in_ram, guest_phys_read, guest_phys_write };
}

static void device_reset(void)
{
	blk = (typeof(blk)){ 0 };
}

/* The driver broke the protocol: the device stops until reset (2.1.2) and
 * says so with a configuration change notification (4.2.2). */
static void needs_reset(void)
{
	blk.status |= VIRTIO_STATUS_DEVICE_NEEDS_RESET;
	blk.interrupt_status |= VIRTIO_MMIO_INT_CONFIG;
}

static bool features_acceptable(void)
{
	return !blk.driver_features_unknown && !(blk.driver_features & ~DEVICE_FEATURES) &&
	       (blk.driver_features & (1ull << VIRTIO_F_VERSION_1));
}

static void write_status(uint32_t value)
{
	if (value == 0) {
		device_reset();
		return;
	}
	uint32_t old = blk.status;
	uint32_t now = (value & ~VIRTIO_STATUS_DEVICE_NEEDS_RESET) |
		       (old & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
	/* FEATURES_OK stays clear when the device refuses the features (3.1.1). */
	if ((now & VIRTIO_STATUS_FEATURES_OK) && !(old & VIRTIO_STATUS_FEATURES_OK) &&
	    !features_acceptable())
		now &= ~VIRTIO_STATUS_FEATURES_OK;
	blk.status = now;
}

/* Copies len bytes at offset off of the chain's device-readable (or
 * device-writable) bytes, taken in descriptor order (2.7.4: the request's
 * framing does not depend on how it is split into descriptors). */
static void chain_copy(struct vm *vm, const struct vq_buf *bufs, unsigned count, bool writable,
		       uint64_t off, void *host, uint64_t len)
{
	uint8_t *p = host;
	for (unsigned i = 0; i < count && len; i++) {
		const struct vq_buf *b = &bufs[i];
		if (b->writable != writable)
			continue;
		if (off >= b->len) {
			off -= b->len;
			continue;
		}
		uint64_t n = b->len - off < len ? b->len - off : len;
		if (writable)
			guest_phys_write(vm, b->addr + off, p, n);
		else
			guest_phys_read(vm, b->addr + off, p, n);
		p += n;
		len -= n;
		off = 0;
	}
}

static bool sectors_inside(uint64_t lba, uint64_t count)
{
	uint64_t total = disk_sector_count();
	return count <= total && lba <= total - count;
}

/* Serves a well-formed chain; returns the status byte and sets *written to
 * the data bytes written into the chain (5.2.6). */
static uint8_t serve(struct vm *vm, const struct vq_chain *c, const struct vq_buf *bufs,
		     uint32_t *written)
{
	static uint8_t sector[DISK_SECTOR_SIZE];
	struct { uint32_t type, reserved; uint64_t sector; } hdr;
	_Static_assert(sizeof hdr == VIRTIO_BLK_REQ_HEADER_SIZE, "virtio_blk_req header (5.2.6)");
	*written = 0;
	if (c->readable_bytes < VIRTIO_BLK_REQ_HEADER_SIZE)
		return VIRTIO_BLK_S_IOERR;
	chain_copy(vm, bufs, c->count, false, 0, &hdr, sizeof hdr);
	uint64_t data_in = c->readable_bytes - VIRTIO_BLK_REQ_HEADER_SIZE;
	uint64_t data_out = c->writable_bytes - 1;   /* all but the status byte */

	switch (hdr.type) {
	case VIRTIO_BLK_T_IN:
		if (data_in || data_out % DISK_SECTOR_SIZE ||
		    !sectors_inside(hdr.sector, data_out / DISK_SECTOR_SIZE))
			return VIRTIO_BLK_S_IOERR;
		for (uint64_t i = 0; i < data_out / DISK_SECTOR_SIZE; i++) {
			disk_read(hdr.sector + i, 1, sector);
			chain_copy(vm, bufs, c->count, true, i * DISK_SECTOR_SIZE, sector, sizeof sector);
		}
		*written = (uint32_t)data_out;
		return VIRTIO_BLK_S_OK;
	case VIRTIO_BLK_T_OUT:
		if (data_out || data_in % DISK_SECTOR_SIZE ||
		    !sectors_inside(hdr.sector, data_in / DISK_SECTOR_SIZE))
			return VIRTIO_BLK_S_IOERR;
		for (uint64_t i = 0; i < data_in / DISK_SECTOR_SIZE; i++) {
			chain_copy(vm, bufs, c->count, false, VIRTIO_BLK_REQ_HEADER_SIZE + i * DISK_SECTOR_SIZE,
				   sector, sizeof sector);
			disk_write(hdr.sector + i, 1, sector);
		}
		return VIRTIO_BLK_S_OK;
	case VIRTIO_BLK_T_FLUSH:
		return VIRTIO_BLK_S_OK;   /* nothing is cached: the store is written at once */
	case VIRTIO_BLK_T_GET_ID: {
		static const char id[VIRTIO_BLK_ID_BYTES] = HVSPEC_VIRTIO_BLK_ID;
		if (data_in || data_out < VIRTIO_BLK_ID_BYTES)
			return VIRTIO_BLK_S_IOERR;
		chain_copy(vm, bufs, c->count, true, 0, (void *)id, sizeof id);
		*written = VIRTIO_BLK_ID_BYTES;
		return VIRTIO_BLK_S_OK;
	}
	}
	return VIRTIO_BLK_S_UNSUPP;
}

/* One chain: the status byte is the last byte of the last descriptor,
 * which must be device-writable and in RAM; without it the request is
 * dropped (used length 0, nothing written). */
static void complete(struct vm *vm, const struct vq_mem *m, enum vq_result r,
		     const struct vq_chain *c, const struct vq_buf *bufs)
{
	const struct vq_buf *last = c->count ? &bufs[c->count - 1] : 0;
	if (!vq_chain_complete(r) || !last->writable || last->len == 0 || !last->in_ram) {
		vq_push(m, &blk.q, c->head, 0);
		return;
	}
	uint32_t written = 0;
	uint8_t status = r == VQ_OK ? serve(vm, c, bufs, &written) : VIRTIO_BLK_S_IOERR;
	guest_phys_write(vm, last->addr + last->len - 1, &status, 1);
	vq_push(m, &blk.q, c->head, written + 1);
}

static void queue_notify(struct vm *vm, uint32_t queue)
{
	/* Before DRIVER_OK, after a protocol error, or for another queue:
	 * nothing is consumed (3.1.1: no buffers before DRIVER_OK). */
	if (queue != 0 || (blk.status & RUNNING) != RUNNING || (blk.status & HALTED) ||
	    !blk.queue_ready)
		return;
	struct vq_mem m = vq_mem_of(vm);
	if (!vq_layout_valid(&m, &blk.q, HVSPEC_VIRTIO_QUEUE_NUM_MAX)) {
		needs_reset();
		return;
	}
	struct vq_buf bufs[HVSPEC_VIRTIO_QUEUE_NUM_MAX];
	/* At most one queue's worth per notify, even if a request rewrites the
	 * avail ring: the exit always ends. */
	for (uint32_t n = 0; n < blk.q.size; n++) {
		struct vq_chain c;
		enum vq_result r = vq_pop(&m, &blk.q, &c, bufs, HVSPEC_VIRTIO_QUEUE_NUM_MAX);
		if (r == VQ_EMPTY)
			break;
		if (r == VQ_ERR_RING || r == VQ_ERR_AVAIL_IDX) {
			needs_reset();
			break;
		}
		complete(vm, &m, r, &c, bufs);
		blk.interrupt_status |= VIRTIO_MMIO_INT_VRING;
	}
}

static uint32_t read_reg(uint64_t off)
{
	switch (off) {
	case VIRTIO_MMIO_MAGIC_VALUE: return VIRTIO_MMIO_MAGIC;
	case VIRTIO_MMIO_VERSION: return VIRTIO_MMIO_VERSION_MODERN;
	case VIRTIO_MMIO_VENDOR_ID: return VIRTIO_VENDOR_HVSPEC;
	case VIRTIO_MMIO_DEVICE_ID: return disk_present() ? VIRTIO_ID_BLOCK : VIRTIO_ID_NONE;
	}
	if (!disk_present())
		return 0;
	bool q0 = blk.queue_sel == 0;
	switch (off) {
	case VIRTIO_MMIO_DEVICE_FEATURES:
		return blk.device_features_sel < FEATURE_WORDS ?
		       (uint32_t)(DEVICE_FEATURES >> (32 * blk.device_features_sel)) : 0;
	case VIRTIO_MMIO_QUEUE_NUM_MAX: return q0 ? HVSPEC_VIRTIO_QUEUE_NUM_MAX : 0;
	case VIRTIO_MMIO_QUEUE_READY: return q0 && blk.queue_ready;
	case VIRTIO_MMIO_INTERRUPT_STATUS: return blk.interrupt_status;
	case VIRTIO_MMIO_STATUS: return blk.status;
	case VIRTIO_MMIO_CONFIG_GENERATION: return 0;   /* the configuration never changes */
	}
	return 0;
}

static void set_half(uint64_t *reg, uint64_t off, uint64_t low_off, uint32_t value)
{
	unsigned shift = off == low_off ? 0 : 32;
	*reg = (*reg & ~(0xffffffffull << shift)) | ((uint64_t)value << shift);
}

static void write_reg(struct vm *vm, uint64_t off, uint32_t value)
{
	if (!disk_present())
		return;
	/* Queue registers of queue 0, only while it is not ready (4.2.2). */
	bool q0 = blk.queue_sel == 0 && !blk.queue_ready;
	switch (off) {
	case VIRTIO_MMIO_DEVICE_FEATURES_SEL: blk.device_features_sel = value; break;
	case VIRTIO_MMIO_DRIVER_FEATURES_SEL: blk.driver_features_sel = value; break;
	case VIRTIO_MMIO_DRIVER_FEATURES:
		if (blk.driver_features_sel < FEATURE_WORDS)
			set_half(&blk.driver_features, blk.driver_features_sel, 0, value);
		else if (value)
			blk.driver_features_unknown = true;
		break;
	case VIRTIO_MMIO_QUEUE_SEL: blk.queue_sel = value; break;
	case VIRTIO_MMIO_QUEUE_NUM: if (q0) blk.q.size = value; break;
	case VIRTIO_MMIO_QUEUE_READY:
		if (blk.queue_sel == 0)
			blk.queue_ready = value & 1;
		break;
	case VIRTIO_MMIO_QUEUE_NOTIFY: queue_notify(vm, value); break;
	case VIRTIO_MMIO_INTERRUPT_ACK: blk.interrupt_status &= ~value; break;
	case VIRTIO_MMIO_STATUS: write_status(value); break;
	case VIRTIO_MMIO_QUEUE_DESC_LOW:
	case VIRTIO_MMIO_QUEUE_DESC_HIGH:
		if (q0) set_half(&blk.q.desc, off, VIRTIO_MMIO_QUEUE_DESC_LOW, value);
		break;
	case VIRTIO_MMIO_QUEUE_DRIVER_LOW:
	case VIRTIO_MMIO_QUEUE_DRIVER_HIGH:
		if (q0) set_half(&blk.q.avail, off, VIRTIO_MMIO_QUEUE_DRIVER_LOW, value);
		break;
	case VIRTIO_MMIO_QUEUE_DEVICE_LOW:
	case VIRTIO_MMIO_QUEUE_DEVICE_HIGH:
		if (q0) set_half(&blk.q.used, off, VIRTIO_MMIO_QUEUE_DEVICE_LOW, value);
		break;
	}
}

/* The configuration space: the le64 capacity in 512-byte sectors (5.2.4),
 * readable at any width; the rest reads 0. */
static uint64_t read_config(uint64_t off, unsigned width)
{
	uint64_t capacity = disk_present() ? disk_sector_count() : 0, v = 0;
	for (unsigned k = 0; k < width; k++) {
		uint64_t at = off - VIRTIO_MMIO_CONFIG + k;
		if (at < CAPACITY_BYTES)
			v |= ((capacity >> (8 * at)) & 0xff) << (8 * k);
	}
	return v;
}

static uint64_t virtio_blk_read(struct vm *vm, uint64_t off, unsigned width)
{
	(void)vm;
	if (off >= VIRTIO_MMIO_CONFIG)
		return read_config(off, width);
	return width == REG_WIDTH && off % REG_WIDTH == 0 ? read_reg(off) : 0;
}

static void virtio_blk_write(struct vm *vm, uint64_t off, unsigned width, uint64_t value)
{
	if (off < VIRTIO_MMIO_CONFIG && width == REG_WIDTH && off % REG_WIDTH == 0)
		write_reg(vm, off, (uint32_t)value);
	/* Only a write changes InterruptStatus: the line follows it. */
	pc_vm_irq_line(vm, PC_IRQ_VIRTIO, blk.interrupt_status != 0);
}

const struct mmio_device virtio_blk_device = {
	"virtio-blk", VIRTIO_BLK_MMIO_BASE, DEVICE_WINDOW_SIZE, virtio_blk_read, virtio_blk_write,
};
