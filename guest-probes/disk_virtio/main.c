/* disk_virtio: the virtio block device (contract section 14, "Virtio block
 * device") driven as a virtio 1.2 driver would: registers, feature
 * negotiation, one split virtqueue of QSIZE entries, block requests and
 * malformed ones. Every request is served before its QueueNotify write
 * returns, so the probe reads the used ring right after it.
 *
 * Lines (hex values 0x-prefixed; status is the status byte after the
 * request, 0xee when the device did not write it; advanced the used
 * elements it added, len and id those of the last one):
 *   disk_virtio: ident magic=.. version=.. device_id=.. vendor=..
 *   disk_virtio: widths magic_byte=.. magic_qword=.. status_after_word_write=..
 *   disk_virtio: features sel0=.. sel1=.. sel2=..
 *   disk_virtio: queue_num_max q0=.. q1=..
 *   disk_virtio: config capacity=.. lo=.. hi=.. byte0=.. past=.. generation=..
 *   disk_virtio: negotiate <name> status=..      FEATURES_OK kept or not
 *   disk_virtio: before_driver_ok advanced=.. status=.. isr=..
 *   disk_virtio: req=<name> status=.. len=.. advanced=.. id=..   (advanced=0: no len, id)
 *   disk_virtio: sector=<n> first8=.. sum=..      a sector read through virtio
 *   disk_virtio: isr=.. isr_after_ack=..
 *   disk_virtio: match <name>=<0|1>               data read back as written
 *   disk_virtio: get_id id=<text> pad_zero=<0|1>
 *   disk_virtio: needs_reset status=.. isr=.. advanced=..
 *   disk_virtio: needs_reset_again advanced=..
 *   disk_virtio: after_reset status=.. isr=.. ready=..
 *   disk_virtio: reset_used idx=.. slot0_len=..  the first request after a reset
 *   disk_virtio: needs_reset_<how> status=.. advanced=..  QueueNum 3 or 32, avail
 *                                                 idx 17 ahead on 16 entries
 *   disk_virtio: shared <name> rc=.. match=<0|1>  with DiskRead/DiskWrite
 *   disk_virtio: done
 * With `mode=nodisk` (a boot without a disk) only ident, features,
 * queue_num_max, config and done. The write-back pair: `mode=persist-write`
 * writes sectors 5-6, the last, then 5 again (req=persist_write_* lines);
 * `mode=persist-read` reads 5, 6, 3 and the last (sector= lines). */
#include "runtime.h"
#include "abi/virtio.h"
#include "cmdline.h"

#define QSIZE HVSPEC_VIRTIO_QUEUE_NUM_MAX
#define OUTSIDE_RAM_GPA 0xd0000000ull   /* no RAM, no window (contract 9) */
#define STATUS_UNTOUCHED 0xee
#define UNSUPPORTED_TYPE 11u            /* VIRTIO_BLK_T_DISCARD: its feature is not offered */
#define ID_BUFFER_BYTES 32u
#define SECTOR VIRTIO_BLK_SECTOR_SIZE
#define DEFAULT_FEATURES_LO (1u << VIRTIO_BLK_F_FLUSH)
#define DEFAULT_FEATURES_HI (1u << (VIRTIO_F_VERSION_1 - 32))

struct desc { uint64_t addr; uint32_t len; uint16_t flags, next; };
struct avail { uint16_t flags, idx, ring[QSIZE], used_event; };
struct used_elem { uint32_t id, len; };
struct used { uint16_t flags, idx; struct used_elem ring[QSIZE]; uint16_t avail_event; };
struct req_header { uint32_t type, reserved; uint64_t sector; };

static struct desc descs[QSIZE] __attribute__((aligned(16)));
static volatile struct avail avail __attribute__((aligned(4)));
static volatile struct used used __attribute__((aligned(4)));
static struct req_header header;
static uint8_t status_byte;
static uint8_t data[4 * SECTOR];
static uint8_t check[4 * SECTOR];
static uint64_t capacity;
static uint16_t used_seen;   /* used.idx at the last report */

/* One MOV of each width at the register (so the hypervisor sees one access). */
static uint32_t rd(unsigned off)
{
	uint32_t v;
	__asm__ volatile("movl (%1), %0" : "=r"(v) : "r"(VIRTIO_BLK_MMIO_BASE + off) : "memory");
	return v;
}

static void wr(unsigned off, uint32_t v)
{
	__asm__ volatile("movl %0, (%1)" : : "r"(v), "r"(VIRTIO_BLK_MMIO_BASE + off) : "memory");
}

static uint64_t rd64(unsigned off)
{
	uint64_t v;
	__asm__ volatile("movq (%1), %0" : "=r"(v) : "r"(VIRTIO_BLK_MMIO_BASE + off) : "memory");
	return v;
}

static uint32_t rd8(unsigned off)
{
	uint32_t v;
	__asm__ volatile("movzbl (%1), %0" : "=r"(v) : "r"(VIRTIO_BLK_MMIO_BASE + off) : "memory");
	return v;
}

static void wr16(unsigned off, uint16_t v)
{
	__asm__ volatile("movw %0, (%1)" : : "r"(v), "r"(VIRTIO_BLK_MMIO_BASE + off) : "memory");
}

static uint64_t gpa(const volatile void *p)
{
	return (uint64_t)(uintptr_t)p;   /* the image is identity-mapped */
}

static void set_queue_address(unsigned low, uint64_t a)
{
	wr(low, (uint32_t)a);
	wr(low + 4, (uint32_t)(a >> 32));
}

/* Reset, then the init sequence of 3.1.1 up to FEATURES_OK. */
static uint32_t negotiate(uint32_t lo, uint32_t hi)
{
	wr(VIRTIO_MMIO_STATUS, 0);
	wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
	wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	wr(VIRTIO_MMIO_DRIVER_FEATURES, lo);
	wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	wr(VIRTIO_MMIO_DRIVER_FEATURES, hi);
	wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
			       VIRTIO_STATUS_FEATURES_OK);
	return rd(VIRTIO_MMIO_STATUS);
}

/* Fresh rings at desc_gpa and our avail/used, QueueNum num; the queue made ready. */
static void setup_queue(uint64_t desc_gpa, uint32_t num)
{
	memset(descs, 0, sizeof descs);
	memset((void *)&avail, 0, sizeof avail);
	memset((void *)&used, 0, sizeof used);
	used_seen = 0;
	wr(VIRTIO_MMIO_QUEUE_SEL, 0);
	wr(VIRTIO_MMIO_QUEUE_NUM, num);
	set_queue_address(VIRTIO_MMIO_QUEUE_DESC_LOW, desc_gpa);
	set_queue_address(VIRTIO_MMIO_QUEUE_DRIVER_LOW, gpa(&avail));
	set_queue_address(VIRTIO_MMIO_QUEUE_DEVICE_LOW, gpa(&used));
	wr(VIRTIO_MMIO_QUEUE_READY, 1);
}

static void driver_ok(void)
{
	wr(VIRTIO_MMIO_STATUS, rd(VIRTIO_MMIO_STATUS) | VIRTIO_STATUS_DRIVER_OK);
}

/* The whole init sequence (3.1.1) with a good queue. */
static void init_device(void)
{
	negotiate(DEFAULT_FEATURES_LO, DEFAULT_FEATURES_HI);
	setup_queue(gpa(descs), QSIZE);
	driver_ok();
}

/* A chain of n descriptors 0..n-1 in order. */
struct seg { uint64_t addr; uint32_t len; bool writable; };

static void build_chain(const struct seg *segs, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		descs[i].addr = segs[i].addr;
		descs[i].len = segs[i].len;
		descs[i].flags = (uint16_t)((segs[i].writable ? VIRTQ_DESC_F_WRITE : 0) |
					    (i + 1 < n ? VIRTQ_DESC_F_NEXT : 0));
		descs[i].next = (uint16_t)(i + 1 < n ? i + 1 : 0);
	}
}

static void publish(uint16_t head)
{
	avail.ring[avail.idx % QSIZE] = head;
	__asm__ volatile("" ::: "memory");   /* the ring entry before the index (2.7.13) */
	avail.idx++;
}

static void notify(void)
{
	wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
}

/* Used-ring elements since the last report (1 for every request). */
static unsigned advanced(void)
{
	unsigned n = (uint16_t)(used.idx - used_seen);
	used_seen = used.idx;
	return n;
}

static void report(const char *name)
{
	unsigned n = advanced();
	struct used_elem e = used.ring[(uint16_t)(used.idx - 1) % QSIZE];
	if (n)
		printf("disk_virtio: req=%s status=0x%x len=%u advanced=%u id=%u\n", name, status_byte,
		       e.len, n, e.id);
	else
		printf("disk_virtio: req=%s status=0x%x advanced=0\n", name, status_byte);
}

/* Builds, publishes (head 0) and notifies one request, then reports it. */
static void run(const char *name, const struct seg *segs, unsigned n)
{
	status_byte = STATUS_UNTOUCHED;
	build_chain(segs, n);
	publish(0);
	notify();
	report(name);
}

static void request(const char *name, uint32_t type, uint64_t sector, void *buf, uint32_t len,
		    bool device_writes)
{
	header = (struct req_header){ type, 0, sector };
	struct seg s[3] = {
		{ gpa(&header), sizeof header, false },
		{ gpa(buf), len, device_writes },
		{ gpa(&status_byte), 1, true },
	};
	if (len)
		run(name, s, 3);
	else
		run(name, (struct seg[]){ s[0], s[2] }, 2);
}

static void print_sector(uint64_t n, const uint8_t *p)
{
	uint64_t first8;
	uint32_t sum = 0;
	memcpy(&first8, p, sizeof first8);
	for (unsigned k = 0; k < SECTOR; k++)
		sum += p[k];
	printf("disk_virtio: sector=%llu first8=0x%llx sum=0x%x\n", (unsigned long long)n,
	       (unsigned long long)first8, sum);
}

/* Bytes the probe writes: distinct per sector and per salt, not the disk's fill. */
static void fill_written(uint8_t *p, unsigned sectors, unsigned salt)
{
	for (unsigned k = 0; k < sectors * SECTOR; k++)
		p[k] = (uint8_t)(k * 13 + salt * 101 + 1);
}

static void identify(void)
{
	printf("disk_virtio: ident magic=0x%x version=%u device_id=%u vendor=0x%x\n",
	       rd(VIRTIO_MMIO_MAGIC_VALUE), rd(VIRTIO_MMIO_VERSION), rd(VIRTIO_MMIO_DEVICE_ID),
	       rd(VIRTIO_MMIO_VENDOR_ID));
	uint32_t sel[3];
	for (unsigned i = 0; i < 3; i++) {
		wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, i);
		sel[i] = rd(VIRTIO_MMIO_DEVICE_FEATURES);
	}
	printf("disk_virtio: features sel0=0x%x sel1=0x%x sel2=0x%x\n", sel[0], sel[1], sel[2]);
	wr(VIRTIO_MMIO_QUEUE_SEL, 1);
	uint32_t q1 = rd(VIRTIO_MMIO_QUEUE_NUM_MAX);
	wr(VIRTIO_MMIO_QUEUE_SEL, 0);
	printf("disk_virtio: queue_num_max q0=%u q1=%u\n", rd(VIRTIO_MMIO_QUEUE_NUM_MAX), q1);
	capacity = rd64(VIRTIO_MMIO_CONFIG + VIRTIO_BLK_CONFIG_CAPACITY);
	printf("disk_virtio: config capacity=0x%llx lo=0x%x hi=0x%x byte0=0x%x past=0x%x generation=%u\n",
	       (unsigned long long)capacity, rd(VIRTIO_MMIO_CONFIG), rd(VIRTIO_MMIO_CONFIG + 4),
	       rd8(VIRTIO_MMIO_CONFIG), rd(VIRTIO_MMIO_CONFIG + 8), rd(VIRTIO_MMIO_CONFIG_GENERATION));
}

static void widths(void)
{
	uint32_t byte = rd8(VIRTIO_MMIO_MAGIC_VALUE);
	uint64_t qword = rd64(VIRTIO_MMIO_MAGIC_VALUE);
	wr(VIRTIO_MMIO_STATUS, 0);
	wr16(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
	printf("disk_virtio: widths magic_byte=0x%x magic_qword=0x%llx status_after_word_write=0x%x\n",
	       byte, (unsigned long long)qword, rd(VIRTIO_MMIO_STATUS));
}

static void negotiation(void)
{
	printf("disk_virtio: negotiate without_version_1 status=0x%x\n",
	       negotiate(DEFAULT_FEATURES_LO, 0));
	printf("disk_virtio: negotiate unoffered_bit status=0x%x\n",
	       negotiate(DEFAULT_FEATURES_LO | 1u, DEFAULT_FEATURES_HI));
	printf("disk_virtio: negotiate offered status=0x%x\n",
	       negotiate(DEFAULT_FEATURES_LO, DEFAULT_FEATURES_HI));
}

/* A read published and notified before DRIVER_OK is not served; the first
 * notify after DRIVER_OK serves it. */
static void before_driver_ok(void)
{
	setup_queue(gpa(descs), QSIZE);
	status_byte = STATUS_UNTOUCHED;
	header = (struct req_header){ VIRTIO_BLK_T_IN, 0, 0 };
	build_chain((struct seg[]){ { gpa(&header), sizeof header, false },
				    { gpa(data), SECTOR, true },
				    { gpa(&status_byte), 1, true } }, 3);
	publish(0);
	notify();
	printf("disk_virtio: before_driver_ok advanced=%u status=0x%x isr=0x%x\n", advanced(), status_byte,
	       rd(VIRTIO_MMIO_INTERRUPT_STATUS));
	driver_ok();
	notify();
	report("after_driver_ok");
	uint32_t isr = rd(VIRTIO_MMIO_INTERRUPT_STATUS);
	wr(VIRTIO_MMIO_INTERRUPT_ACK, isr);
	printf("disk_virtio: isr=0x%x isr_after_ack=0x%x\n", isr, rd(VIRTIO_MMIO_INTERRUPT_STATUS));
}

static void read_write(void)
{
	request("read_first", VIRTIO_BLK_T_IN, 0, data, SECTOR, true);
	print_sector(0, data);
	request("read_last", VIRTIO_BLK_T_IN, capacity - 1, data, SECTOR, true);
	print_sector(capacity - 1, data);

	fill_written(data, 1, 1);
	request("write_one", VIRTIO_BLK_T_OUT, 1, data, SECTOR, false);
	memset(check, 0, SECTOR);
	request("read_back_one", VIRTIO_BLK_T_IN, 1, check, SECTOR, true);
	printf("disk_virtio: match write_one=%d\n", !memcmp(data, check, SECTOR));

	fill_written(data, 1, 2);
	request("write_last", VIRTIO_BLK_T_OUT, capacity - 1, data, SECTOR, false);
	memset(check, 0, SECTOR);
	request("read_back_last", VIRTIO_BLK_T_IN, capacity - 1, check, SECTOR, true);
	printf("disk_virtio: match write_last=%d\n", !memcmp(data, check, SECTOR));
}

/* The request's bytes split differently over descriptors (2.7.4). */
static void multi_descriptor(void)
{
	header = (struct req_header){ VIRTIO_BLK_T_IN, 0, 2 };
	status_byte = STATUS_UNTOUCHED;
	memset(data, 0, sizeof data);
	run("read_split", (struct seg[]){ { gpa(&header), 4, false },
					  { gpa(&header) + 4, 12, false },
					  { gpa(data), 100, true },
					  { gpa(data) + 100, 924, true },
					  { gpa(&status_byte), 1, true } }, 5);
	print_sector(2, data);
	print_sector(3, data + SECTOR);

	/* Two sectors and the status byte in one descriptor: data[1024] is the status. */
	header = (struct req_header){ VIRTIO_BLK_T_IN, 0, 2 };
	memset(check, 0, sizeof check);
	check[2 * SECTOR] = STATUS_UNTOUCHED;
	build_chain((struct seg[]){ { gpa(&header), sizeof header, false },
				    { gpa(check), 2 * SECTOR + 1, true } }, 2);
	publish(0);
	notify();
	status_byte = check[2 * SECTOR];
	report("read_data_and_status_in_one");
	printf("disk_virtio: match read_data_and_status_in_one=%d\n", !memcmp(data, check, 2 * SECTOR));

	fill_written(data, 3, 3);
	header = (struct req_header){ VIRTIO_BLK_T_OUT, 0, 4 };
	status_byte = STATUS_UNTOUCHED;
	run("write_split", (struct seg[]){ { gpa(&header), sizeof header, false },
					   { gpa(data), 1, false },
					   { gpa(data) + 1, 1000, false },
					   { gpa(data) + 1001, 535, false },
					   { gpa(&status_byte), 1, true } }, 5);
	memset(check, 0, sizeof check);
	request("read_back_split", VIRTIO_BLK_T_IN, 4, check, 3 * SECTOR, true);
	printf("disk_virtio: match write_split=%d\n", !memcmp(data, check, 3 * SECTOR));
}

static void past_end(void)
{
	request("read_past_end", VIRTIO_BLK_T_IN, capacity, data, SECTOR, true);
	request("read_across_end", VIRTIO_BLK_T_IN, capacity - 1, data, 2 * SECTOR, true);
	request("read_sector_wraps", VIRTIO_BLK_T_IN, ~0ull, data, 2 * SECTOR, true);
	memset(check, 0, SECTOR);
	request("read_last_before", VIRTIO_BLK_T_IN, capacity - 1, check, SECTOR, true);
	fill_written(data, 2, 4);
	request("write_across_end", VIRTIO_BLK_T_OUT, capacity - 1, data, 2 * SECTOR, false);
	memset(data, 0, SECTOR);
	request("read_last_after", VIRTIO_BLK_T_IN, capacity - 1, data, SECTOR, true);
	printf("disk_virtio: match last_unchanged=%d\n", !memcmp(data, check, SECTOR));
}

static void other_types(void)
{
	static char id[ID_BUFFER_BYTES];
	memset(id, 0xff, sizeof id);
	request("get_id", VIRTIO_BLK_T_GET_ID, 0, id, VIRTIO_BLK_ID_BYTES, true);
	bool pad_zero = true;
	size_t n = strlen(HVSPEC_VIRTIO_BLK_ID);
	for (size_t k = n; k < VIRTIO_BLK_ID_BYTES; k++)
		pad_zero = pad_zero && id[k] == 0;
	id[n] = 0;
	printf("disk_virtio: get_id id=%s pad_zero=%d beyond=0x%x\n", id, pad_zero,
	       (uint8_t)id[VIRTIO_BLK_ID_BYTES]);
	request("get_id_short", VIRTIO_BLK_T_GET_ID, 0, id, 8, true);
	request("flush", VIRTIO_BLK_T_FLUSH, 0, 0, 0, false);
	request("unsupported", UNSUPPORTED_TYPE, 0, data, SECTOR, false);
	request("unsupported_big", 0x12345678u, 0, 0, 0, false);
}

static void malformed(void)
{
	header = (struct req_header){ VIRTIO_BLK_T_IN, 0, 0 };
	/* A two-descriptor loop: nothing to trust, dropped. */
	build_chain((struct seg[]){ { gpa(&header), sizeof header, false },
				    { gpa(&status_byte), 1, true } }, 2);
	descs[1].flags |= VIRTQ_DESC_F_NEXT;
	descs[1].next = 0;
	status_byte = STATUS_UNTOUCHED;
	publish(0);
	notify();
	report("loop");

	build_chain((struct seg[]){ { gpa(&header), sizeof header, false },
				    { gpa(&status_byte), 1, true } }, 2);
	descs[0].next = QSIZE;
	status_byte = STATUS_UNTOUCHED;
	publish(0);
	notify();
	report("next_out_of_range");

	status_byte = STATUS_UNTOUCHED;
	publish(QSIZE);
	notify();
	report("head_out_of_range");

	build_chain((struct seg[]){ { gpa(&header), sizeof header, false },
				    { gpa(&status_byte), 1, true } }, 2);
	descs[0].flags |= VIRTQ_DESC_F_INDIRECT;
	status_byte = STATUS_UNTOUCHED;
	publish(0);
	notify();
	report("indirect");

	header = (struct req_header){ VIRTIO_BLK_T_IN, 0, 0 };
	run("data_outside_ram", (struct seg[]){ { gpa(&header), sizeof header, false },
						{ OUTSIDE_RAM_GPA, SECTOR, true },
						{ gpa(&status_byte), 1, true } }, 3);
	run("header_outside_ram", (struct seg[]){ { OUTSIDE_RAM_GPA, sizeof header, false },
						  { gpa(data), SECTOR, true },
						  { gpa(&status_byte), 1, true } }, 3);
	run("status_outside_ram", (struct seg[]){ { gpa(&header), sizeof header, false },
						  { gpa(data), SECTOR, true },
						  { OUTSIDE_RAM_GPA, 1, true } }, 3);
	run("status_read_only", (struct seg[]){ { gpa(&header), sizeof header, false },
						{ gpa(data), SECTOR, true },
						{ gpa(&status_byte), 1, false } }, 3);
	run("status_length_zero", (struct seg[]){ { gpa(&header), sizeof header, false },
						  { gpa(data), SECTOR, true },
						  { gpa(&status_byte), 0, true } }, 3);
	/* A FLUSH takes any data, so only the order rule refuses this one. */
	header = (struct req_header){ VIRTIO_BLK_T_FLUSH, 0, 0 };
	run("readable_after_writable", (struct seg[]){ { gpa(&header), sizeof header, false },
						       { gpa(data), 8, true },
						       { gpa(check), 8, false },
						       { gpa(&status_byte), 1, true } }, 4);
	request("length_not_sectors", VIRTIO_BLK_T_IN, 0, data, 100, true);
	header = (struct req_header){ VIRTIO_BLK_T_IN, 0, 0 };
	run("header_short", (struct seg[]){ { gpa(&header), 8, false },
					    { gpa(data), SECTOR, true },
					    { gpa(&status_byte), 1, true } }, 3);
	header = (struct req_header){ VIRTIO_BLK_T_OUT, 0, 1 };
	run("write_with_writable_data", (struct seg[]){ { gpa(&header), sizeof header, false },
							{ gpa(data), SECTOR, true },
							{ gpa(&status_byte), 1, true } }, 3);
	header = (struct req_header){ VIRTIO_BLK_T_IN, 0, 0 };
	run("read_with_readable_data", (struct seg[]){ { gpa(&header), sizeof header, false },
						       { gpa(data), SECTOR, false },
						       { gpa(&status_byte), 1, true } }, 3);
	run("header_writable", (struct seg[]){ { gpa(&header), sizeof header, true },
					       { gpa(data), SECTOR, true },
					       { gpa(&status_byte), 1, true } }, 3);	request("read_after_malformed", VIRTIO_BLK_T_IN, 0, data, SECTOR, true);
}

/* A good read published with avail idx `ahead` on a queue of num entries,
 * then a reset. */
static void broken_queue(const char *name, uint32_t num, uint16_t ahead)
{
	negotiate(DEFAULT_FEATURES_LO, DEFAULT_FEATURES_HI);
	setup_queue(gpa(descs), num);
	driver_ok();
	header = (struct req_header){ VIRTIO_BLK_T_IN, 0, 0 };
	build_chain((struct seg[]){ { gpa(&header), sizeof header, false },
				    { gpa(data), SECTOR, true },
				    { gpa(&status_byte), 1, true } }, 3);
	avail.ring[0] = 0;
	avail.idx = ahead;
	notify();
	printf("disk_virtio: needs_reset_%s status=0x%x advanced=%u\n", name, rd(VIRTIO_MMIO_STATUS),
	       advanced());
	wr(VIRTIO_MMIO_STATUS, 0);
}

/* Queue addresses outside RAM break the protocol: DEVICE_NEEDS_RESET until reset. */
static void needs_reset(void)
{
	negotiate(DEFAULT_FEATURES_LO, DEFAULT_FEATURES_HI);
	setup_queue(OUTSIDE_RAM_GPA, QSIZE);
	driver_ok();
	publish(0);
	notify();
	printf("disk_virtio: needs_reset status=0x%x isr=0x%x advanced=%u\n", rd(VIRTIO_MMIO_STATUS),
	       rd(VIRTIO_MMIO_INTERRUPT_STATUS), advanced());
	set_queue_address(VIRTIO_MMIO_QUEUE_DESC_LOW, gpa(descs));   /* ignored: queue ready */
	notify();
	printf("disk_virtio: needs_reset_again advanced=%u\n", advanced());
	wr(VIRTIO_MMIO_STATUS, 0);
	printf("disk_virtio: after_reset status=0x%x isr=0x%x ready=%u\n", rd(VIRTIO_MMIO_STATUS),
	       rd(VIRTIO_MMIO_INTERRUPT_STATUS), rd(VIRTIO_MMIO_QUEUE_READY));
	init_device();
	request("read_after_reset", VIRTIO_BLK_T_IN, 0, data, SECTOR, true);
	printf("disk_virtio: reset_used idx=%u slot0_len=%u\n", used.idx, used.ring[0].len);
	broken_queue("num_not_power_of_2", 3, 1);
	broken_queue("num_above_max", 2 * QSIZE, 1);
	broken_queue("avail_idx_ahead", QSIZE, QSIZE + 1);
	init_device();
}

/* The same sectors through the block hypercalls (contract 14, disk.shared-store). */
static void shared_store(void)
{
	fill_written(data, 1, 5);
	request("write_for_hc", VIRTIO_BLK_T_OUT, 2, data, SECTOR, false);
	memset(check, 0, SECTOR);
	hc_result rc = hypercall3(HC_DISK_READ, 2, 1, (hc_word)(uintptr_t)check);
	printf("disk_virtio: shared virtio_to_hc rc=%lld match=%d\n", (long long)rc,
	       !memcmp(data, check, SECTOR));
	fill_written(data, 1, 6);
	rc = hypercall3(HC_DISK_WRITE, 3, 1, (hc_word)(uintptr_t)data);
	memset(check, 0, SECTOR);
	request("read_after_hc", VIRTIO_BLK_T_IN, 3, check, SECTOR, true);
	printf("disk_virtio: shared hc_to_virtio rc=%lld match=%d\n", (long long)rc,
	       !memcmp(data, check, SECTOR));
}

/* Boot 1 of the write-back pair: sectors 5-6 (salt 7), the last (salt 8),
 * then sector 5 again (salt 9: the last write counts). */
static void persist_write(void)
{
	init_device();
	fill_written(data, 2, 7);
	request("persist_write_5_6", VIRTIO_BLK_T_OUT, 5, data, 2 * SECTOR, false);
	fill_written(data, 1, 8);
	request("persist_write_last", VIRTIO_BLK_T_OUT, capacity - 1, data, SECTOR, false);
	fill_written(data, 1, 9);
	request("persist_write_5_again", VIRTIO_BLK_T_OUT, 5, data, SECTOR, false);
}

/* Boot 2: what boot 1 wrote, and sector 3 it did not write. */
static void persist_read(void)
{
	static const uint64_t sectors[] = { 5, 6, 3 };
	init_device();
	for (unsigned i = 0; i < sizeof sectors / sizeof sectors[0]; i++) {
		request("persist_read", VIRTIO_BLK_T_IN, sectors[i], data, SECTOR, true);
		print_sector(sectors[i], data);
	}
	request("persist_read", VIRTIO_BLK_T_IN, capacity - 1, data, SECTOR, true);
	print_sector(capacity - 1, data);
}

static bool mode_is(const char *want)
{
	return cmdline_is(boot_cmdline(), "mode", want);
}

void probe_main(void)
{
	identify();
	bool block = rd(VIRTIO_MMIO_DEVICE_ID) == VIRTIO_ID_BLOCK;
	if (block && mode_is("persist-write")) {
		persist_write();
	} else if (block && mode_is("persist-read")) {
		persist_read();
	} else if (block && !mode_is("nodisk")) {
		widths();
		negotiation();
		before_driver_ok();
		read_write();
		multi_descriptor();
		past_end();
		other_types();
		malformed();
		needs_reset();
		shared_store();
	}
	printf("disk_virtio: done\n");
}
