/* memlib: what the memory-virtualization probes share (issue 3): the
 * documented device map and registers (contract section 9), the MemStats
 * hypercall (contract 5), the guest RAM range as the Multiboot2 memory map
 * states it, a code page at a fixed address (so a report's rip=... is known
 * in advance), sub-test selection by `test=NAME` on the guest command line,
 * and single-instruction device accessors. */
#ifndef GP_MEMLIB_H
#define GP_MEMLIB_H
#include "cmdline.h"
#include "runtime.h"

/* Guest-physical device windows (contract 9). */
#define DEVICE_WINDOW_SIZE 0x1000ull
#define DOORBELL_BASE 0xcafe0000ull
#define TESTDEV_BASE 0xcafe1000ull
#define GUEST_ROM_BASE 0xcafe2000ull
#define NOEXEC_PAGE_BASE 0xcafe3000ull /* read/write, zero at start, no fetch */
#define DEVICE_REG_SIZE 8u /* 64-bit registers at 8-byte aligned offsets */

/* Doorbell print device registers (contract 9, KeV mmio_print). */
#define DOORBELL_BUFFER 0x00u
#define DOORBELL_LENGTH 0x08u
#define DOORBELL_RING 0x10u
#define DOORBELL_STATUS 0x18u

/* Register test device registers (contract 9). */
#define TESTDEV_ID 0x00u
#define TESTDEV_SCRATCH 0x08u
#define TESTDEV_READS 0x10u
#define TESTDEV_WRITES 0x18u
#define TESTDEV_ID_VALUE 0x1122334455667788ull

/* Guest ROM contents (contract 9): a 16-byte signature, then byte i holds
 * i & 0xff. */
#define GUEST_ROM_SIGNATURE "hvspec-guest-rom"
#define GUEST_ROM_SIGNATURE_LEN 16u

/* A page no probe image, stack or boot information reaches (the images
 * load at 1 MiB and stay far below 3 MiB; memlib checks), inside even the
 * smallest guest RAM (mem=4M, contract 1). Code copied there runs at a
 * known RIP. */
#define BLOB_PAGE 0x300000ull

/* Opcode bytes (vol. 2, RET and INT3). */
#define OPCODE_RET 0xc3u
#define OPCODE_FAR_RET 0xcbu /* RET far: pops EIP (RIP), then CS */
#define OPCODE_INT3 0xccu

struct mem_stats {
	uint64_t pages, faults, ept_tables, host_frames;
};

/* One MemStats call; the raw RAX (negative HC_E* on error). */
static inline hc_result hv_mem_stats(hc_word selector)
{
	return hypercall3(HC_MEM_STATS, selector, 0, 0);
}

/* All four counters. Touches no guest memory but *out. */
void mem_stats_read(struct mem_stats *out);

/* Time-stamp counter (vol. 2B, RDTSC). */
static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* Device accesses with one plain MOV each (48 8B /r and 48 89 /r), so the
 * hypervisor sees exactly one decodable access. */
static inline uint64_t mmio_read64(uint64_t gpa)
{
	uint64_t v;
	__asm__ volatile("movq (%1), %0" : "=r"(v) : "r"(gpa) : "memory");
	return v;
}

static inline void mmio_write64(uint64_t gpa, uint64_t v)
{
	__asm__ volatile("movq %0, (%1)" : : "r"(v), "r"(gpa) : "memory");
}

/* Guest RAM as the Multiboot2 memory map states it: the type-1 entries
 * must form one range starting at 0; anything else is a probe error
 * naming the problem (the boot cases judge the map itself). */
uint64_t ram_end_from_mmap(void);

/* True when the guest command line holds `test=name`. */
bool test_selected(const char *name);
/* True when the guest command line holds any `test=` word. */
bool any_test_selected(void);

/* Copies code (len bytes) to BLOB_PAGE and fills the rest of the page with
 * INT3, after the checks blob_run describes; the caller runs it. */
void blob_place(const uint8_t *code, size_t len);

/* Copies code (len bytes, which should end in RET) to BLOB_PAGE, fills the
 * rest of the page with INT3 and calls it as uint64_t f(rdi, rsi). Checks
 * first that BLOB_PAGE lies in RAM and past the image and boot
 * information. */
uint64_t blob_run(const uint8_t *code, size_t len, uint64_t rdi,
		  uint64_t rsi);

/* Index of the first byte in [p, p + n) that differs from value, or n. */
size_t first_byte_not(const volatile uint8_t *p, size_t n, uint8_t value);

#endif
