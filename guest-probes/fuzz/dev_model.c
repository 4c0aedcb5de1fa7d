/* Models of the four device windows (contract 9) for the MMIO oracle:
 * what a read of width w at offset o must return and what a write does.
 * Registers are 64-bit little endian at 8-byte aligned offsets; an access
 * sees bytes o mod 8 .. of the register at o & ~7, bytes beyond it read
 * 0 and are dropped; unlisted offsets read 0 and ignore writes.
 * Where the contract leaves a choice (which accesses the test device's
 * READS and WRITES count; what BUFFER and LENGTH read back), the model
 * offers every allowed value or leaves the read unchecked. */
#include "dev_model.h"

#define REG_SIZE 8u
#define TESTDEV_ID_VALUE 0x1122334455667788ull
#define TESTDEV_SCRATCH 0x08u
#define TESTDEV_READS 0x10u
#define TESTDEV_WRITES 0x18u
#define DOORBELL_BUFFER 0x00u
#define DOORBELL_LENGTH 0x08u
#define DOORBELL_RING 0x10u
#define DOORBELL_STATUS 0x18u
#define LISTED_END 0x20u /* the four registers of each device */
#define ROM_SIGNATURE "hvspec-guest-rom"
#define ROM_SIGNATURE_LEN 16u
#define DOORBELL_MAX 4096u

/* Test device: READS counts every read of the device, or only reads of
 * its registers; WRITES every write, writes of its registers, or writes
 * of SCRATCH (the only writable one). */
static struct {
	uint64_t scratch;
	uint64_t reads_all, reads_listed;
	uint64_t writes_all, writes_listed, writes_scratch;
} testdev;

static struct {
	uint64_t buffer, length;
	int64_t status[2]; /* allowed values after the last ring */
	unsigned status_count; /* 0: no ring seen yet */
} doorbell;

static uint8_t noexec_page[WINDOW_SIZE];

/* Bytes [o mod 8, o mod 8 + w) of reg, those past the register as 0. */
static uint64_t reg_bytes(uint64_t reg, unsigned off, unsigned w)
{
	unsigned first = off % REG_SIZE;
	uint64_t v = 0;
	for (unsigned i = 0; i < w && first + i < REG_SIZE; i++)
		v |= ((reg >> (8 * (first + i))) & 0xff) << (8 * i);
	return v;
}

static uint64_t reg_write(uint64_t reg, unsigned off, unsigned w, uint64_t value)
{
	unsigned first = off % REG_SIZE;
	for (unsigned i = 0; i < w && first + i < REG_SIZE; i++) {
		unsigned b = 8 * (first + i);
		reg = (reg & ~(0xffull << b)) | (((value >> (8 * i)) & 0xff) << b);
	}
	return reg;
}

static uint8_t rom_byte(unsigned i)
{
	return i < ROM_SIGNATURE_LEN ? (uint8_t)ROM_SIGNATURE[i] : (uint8_t)i;
}

unsigned dev_read(unsigned window, unsigned off, unsigned w, uint64_t cand[4])
{
	unsigned n = 0;
	unsigned reg = off & ~(REG_SIZE - 1);
	switch (window) {
	case WINDOW_TESTDEV: {
		if (reg >= LISTED_END) {
			cand[n++] = 0;
		} else if (reg == TESTDEV_READS) {
			cand[n++] = reg_bytes(testdev.reads_all, off, w);
			cand[n++] = reg_bytes(testdev.reads_listed, off, w);
		} else if (reg == TESTDEV_WRITES) {
			cand[n++] = reg_bytes(testdev.writes_all, off, w);
			cand[n++] = reg_bytes(testdev.writes_listed, off, w);
			cand[n++] = reg_bytes(testdev.writes_scratch, off, w);
		} else {
			cand[n++] = reg_bytes(reg == TESTDEV_SCRATCH ? testdev.scratch
								 : TESTDEV_ID_VALUE,
					      off, w);
		}
		testdev.reads_all++;
		if (reg < LISTED_END)
			testdev.reads_listed++;
		return n;
	}
	case WINDOW_DOORBELL:
		if (reg >= LISTED_END || reg == DOORBELL_RING) {
			cand[n++] = 0;
		} else if (reg == DOORBELL_STATUS) {
			for (unsigned i = 0; i < doorbell.status_count; i++)
				cand[n++] = reg_bytes((uint64_t)doorbell.status[i], off, w);
		}
		return n; /* BUFFER and LENGTH: unchecked */
	case WINDOW_ROM: {
		uint64_t v = 0;
		for (unsigned i = 0; i < w; i++)
			v |= (uint64_t)rom_byte(off + i) << (8 * i);
		cand[n++] = v;
		return n;
	}
	default: {
		uint64_t v = 0;
		for (unsigned i = 0; i < w; i++)
			v |= (uint64_t)noexec_page[off + i] << (8 * i);
		cand[n++] = v;
		return n;
	}
	}
}

/* Whether [buffer, buffer + length) lies inside guest RAM. */
static bool inside_ram(uint64_t buffer, uint64_t length)
{
	return buffer + length >= buffer && buffer + length <= plan.ram_end;
}

/* A ring with the current BUFFER and LENGTH: prints nothing, or only
 * safe text (so it may run). */
static bool ring_safe(void)
{
	uint64_t b = doorbell.buffer, len = doorbell.length;
	if (len > DOORBELL_MAX || !inside_ram(b, len) || len == 0)
		return true;
	uint64_t text = (uint64_t)(uintptr_t)fuzz_text;
	return b >= text && b + len <= text + sizeof(fuzz_text);
}

static void ring(void)
{
	uint64_t b = doorbell.buffer, len = doorbell.length;
	bool big = len > DOORBELL_MAX, outside = !inside_ram(b, len);
	unsigned n = 0;
	/* The contract gives no order between the two errors. */
	if (big)
		doorbell.status[n++] = HC_E2BIG;
	if (outside)
		doorbell.status[n++] = HC_EFAULT;
	if (!big && (!outside || len == 0)) /* an empty buffer may be anywhere */
		doorbell.status[n++] = (int64_t)len;
	doorbell.status_count = n;
}

bool dev_write_safe(unsigned window, unsigned off, unsigned w, uint64_t value)
{
	if (window != WINDOW_DOORBELL)
		return true;
	unsigned reg = off & ~(REG_SIZE - 1);
	(void)w;
	(void)value;
	return reg != DOORBELL_RING || ring_safe();
}

bool dev_write(unsigned window, unsigned off, unsigned w, uint64_t value)
{
	unsigned reg = off & ~(REG_SIZE - 1);
	switch (window) {
	case WINDOW_TESTDEV:
		testdev.writes_all++;
		if (reg < LISTED_END)
			testdev.writes_listed++;
		if (reg == TESTDEV_SCRATCH) {
			testdev.writes_scratch++;
			testdev.scratch = reg_write(testdev.scratch, off, w, value);
		}
		return false;
	case WINDOW_DOORBELL:
		if (reg == DOORBELL_BUFFER)
			doorbell.buffer = reg_write(doorbell.buffer, off, w, value);
		else if (reg == DOORBELL_LENGTH)
			doorbell.length = reg_write(doorbell.length, off, w, value);
		else if (reg == DOORBELL_RING)
			ring();
		return reg == DOORBELL_RING;
	case WINDOW_ROM:
		return false; /* dropped */
	default:
		for (unsigned i = 0; i < w; i++)
			noexec_page[off + i] = (uint8_t)(value >> (8 * i));
		return false;
	}
}

/* One plain 32-bit MOV each (8B /r, 89 /r): decodable everywhere. */
static uint32_t read32(unsigned long va)
{
	uint32_t v;
	__asm__ volatile("movl (%1), %0" : "=r"(v) : "r"(va) : "memory");
	return v;
}

static void write32(unsigned long va, uint32_t v)
{
	__asm__ volatile("movl %0, (%1)" : : "r"(v), "r"(va) : "memory");
}

void dev_model_sync(void)
{
	unsigned long t = plan.window_va[WINDOW_TESTDEV];
	/* Counters below 2^32: the probe makes far fewer accesses. */
	uint64_t reads = read32(t + TESTDEV_READS);
	uint64_t writes = read32(t + TESTDEV_WRITES);
	uint64_t lo = read32(t + TESTDEV_SCRATCH);
	uint64_t hi = read32(t + TESTDEV_SCRATCH + 4);
	testdev.scratch = lo | hi << 32;
	testdev.reads_all = testdev.reads_listed = reads + 4;
	testdev.writes_all = testdev.writes_listed = testdev.writes_scratch = writes;
	/* The probe's first device access of the VM: no read or write of the
	 * device completed before it (the runtime touches no device). */
	static bool first_sync_done;
	if (!first_sync_done && (reads != 0 || writes != 0 || testdev.scratch != 0))
		mismatch("test device at the first access: READS=%llu WRITES=%llu "
			 "SCRATCH=0x%llx, expected 0, 0 and the reset value 0",
			 (unsigned long long)reads, (unsigned long long)writes,
			 (unsigned long long)testdev.scratch);
	first_sync_done = true;

	unsigned long d = plan.window_va[WINDOW_DOORBELL];
	uint64_t text = (uint64_t)(uintptr_t)fuzz_text;
	write32(d + DOORBELL_BUFFER, (uint32_t)text);
	write32(d + DOORBELL_BUFFER + 4, (uint32_t)(text >> 32));
	write32(d + DOORBELL_LENGTH, 0);
	write32(d + DOORBELL_LENGTH + 4, 0);
	doorbell.buffer = text;
	doorbell.length = 0;
	write32(d + DOORBELL_RING, 0); /* prints nothing; STATUS becomes 0 */
	ring();

	/* The ROM and the no-execute page: first touch before MemStats. */
	(void)read32(plan.window_va[WINDOW_ROM]);
	(void)read32(plan.window_va[WINDOW_NOEXEC]);
}

void dev_check_status(void)
{
	unsigned long d = plan.window_va[WINDOW_DOORBELL];
	uint64_t v = read32(d + DOORBELL_STATUS) |
		     (uint64_t)read32(d + DOORBELL_STATUS + 4) << 32;
	for (unsigned i = 0; i < doorbell.status_count; i++)
		if (v == (uint64_t)doorbell.status[i])
			return;
	mismatch("doorbell ring buffer=0x%llx length=0x%llx: STATUS 0x%llx, expected 0x%llx",
		 (unsigned long long)doorbell.buffer, (unsigned long long)doorbell.length,
		 (unsigned long long)v, (unsigned long long)doorbell.status[0]);
}

bool dev_doorbell_ring(uint64_t buffer, uint64_t length)
{
	unsigned long d = plan.window_va[WINDOW_DOORBELL];
	uint64_t old_buffer = doorbell.buffer, old_length = doorbell.length;
	doorbell.buffer = buffer;
	doorbell.length = length;
	if (!ring_safe()) {
		doorbell.buffer = old_buffer;
		doorbell.length = old_length;
		return false;
	}
	write32(d + DOORBELL_BUFFER, (uint32_t)buffer);
	write32(d + DOORBELL_BUFFER + 4, (uint32_t)(buffer >> 32));
	write32(d + DOORBELL_LENGTH, (uint32_t)length);
	write32(d + DOORBELL_LENGTH + 4, (uint32_t)(length >> 32));
	write32(d + DOORBELL_RING, 0);
	ring();
	dev_check_status();
	return true;
}
