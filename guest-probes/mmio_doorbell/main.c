/* mmio_doorbell: the doorbell print device (contract 9, KeV's mmio_print).
 * Each ring is followed by a line reporting STATUS:
 *   Hello mmio!                                   KeV's message, verbatim
 *   mmio_doorbell: ring=hello status=12
 *   mmio_doorbell: ring=empty status=0            LENGTH 0 prints nothing
 *   mmio_doorbell: ring=cross_page status=<n>     a buffer spanning two
 *                                                 pages prints whole
 *   mmio_doorbell: ring=halves status=<n>         BUFFER written as two
 *                                                 4-byte halves (offsets 0
 *                                                 and 4 of the register)
 *   mmio_doorbell: halves high_store=0x<BUFFER> BUFFER after a 4-byte
 *                                                 store of 0x12345678 at
 *                                                 offset 4
 *   mmio_doorbell: halves buffer_is_text=<0|1> high_half=0x<n>
 *                                                 BUFFER read back whole
 *                                                 and its upper 4 bytes
 *   mmio_doorbell: max line=NN ....               64 lines, HC_PRINT_MAX bytes
 *   mmio_doorbell: ring=max status=4096
 *   mmio_doorbell: ring=too_long status=-7        LENGTH 4097: nothing printed
 *   mmio_doorbell: ring=outside_ram status=-14    BUFFER past RAM
 *   mmio_doorbell: status_readonly status=-14     a store to STATUS changes
 *                                                 nothing
 *   mmio_doorbell: ring_reads=0x0                 RING reads 0
 *   mmio_doorbell: done
 * Buffers that must not print carry the word LEAKED. */
#include "../memlib/memlib.h"

#define MAX_LINE_BYTES 64u
#define MAX_LINES (HC_PRINT_MAX / MAX_LINE_BYTES)
#define OUTSIDE_RAM_GPA 0xd0000000ull /* no RAM, no window (contract 9) */
#define HIGH_HALF_JUNK 0xffffffff00000000ull
#define HIGH_HALF_VALUE 0x12345678u

static const char hello[] = "Hello mmio!\n";
static const char cross_text[] = "mmio_doorbell: cross page text\n";
static const char halves_text[] = "mmio_doorbell: buffer written in halves\n";
static char max_buffer[HC_PRINT_MAX + 1];
static char cross_pages[2 * PAGE_SIZE_4K] __attribute__((aligned(PAGE_SIZE_4K)));

static uint64_t reg(unsigned offset)
{
	return DOORBELL_BASE + offset;
}

static uint64_t phys(const void *p)
{
	return (uint64_t)(uintptr_t)p; /* the image is identity-mapped */
}

static void ring(const char *name, uint64_t buffer, uint64_t length)
{
	mmio_write64(reg(DOORBELL_BUFFER), buffer);
	mmio_write64(reg(DOORBELL_LENGTH), length);
	mmio_write64(reg(DOORBELL_RING), 1);
	printf("mmio_doorbell: ring=%s status=%lld\n", name,
	       (long long)mmio_read64(reg(DOORBELL_STATUS)));
}

static void fill_max_buffer(void)
{
	for (unsigned i = 0; i < MAX_LINES; i++) {
		char *line = max_buffer + i * MAX_LINE_BYTES;
		size_t n = format(line, MAX_LINE_BYTES, "mmio_doorbell: max line=%02u ", i);
		memset(line + n, '.', MAX_LINE_BYTES - 1 - n);
		line[MAX_LINE_BYTES - 1] = '\n';
	}
	/* The 4097th byte: printed only if LENGTH 4097 were accepted. */
	max_buffer[HC_PRINT_MAX] = 'L';
}

void probe_main(void)
{
	ring("hello", phys(hello), sizeof(hello) - 1);
	ring("empty", phys(hello), 0);

	size_t len = sizeof(cross_text) - 1;
	char *start = cross_pages + PAGE_SIZE_4K - len / 2;
	memcpy(start, cross_text, len);
	ring("cross_page", phys(start), len);

	/* A 4-byte store to the upper half alone: bytes 4..7 take the value. */
	mmio_write64(reg(DOORBELL_BUFFER), 0);
	__asm__ volatile("movl %0, (%1)" : : "r"(HIGH_HALF_VALUE),
			 "r"(reg(DOORBELL_BUFFER) + 4) : "memory");
	printf("mmio_doorbell: halves high_store=0x%llx\n",
	       (unsigned long long)mmio_read64(reg(DOORBELL_BUFFER)));

	mmio_write64(reg(DOORBELL_BUFFER), HIGH_HALF_JUNK);
	__asm__ volatile("movl %0, (%1)" : : "r"((uint32_t)phys(halves_text)),
			 "r"(reg(DOORBELL_BUFFER)) : "memory");
	__asm__ volatile("movl %0, (%1)" : : "r"((uint32_t)(phys(halves_text) >> 32)),
			 "r"(reg(DOORBELL_BUFFER) + 4) : "memory");
	mmio_write64(reg(DOORBELL_LENGTH), sizeof(halves_text) - 1);
	mmio_write64(reg(DOORBELL_RING), 0);
	printf("mmio_doorbell: ring=halves status=%lld\n",
	       (long long)mmio_read64(reg(DOORBELL_STATUS)));
	uint32_t high;
	__asm__ volatile("movl (%1), %0" : "=r"(high) : "r"(reg(DOORBELL_BUFFER) + 4) : "memory");
	printf("mmio_doorbell: halves buffer_is_text=%d high_half=0x%x\n",
	       mmio_read64(reg(DOORBELL_BUFFER)) == phys(halves_text), high);

	fill_max_buffer();
	ring("max", phys(max_buffer), HC_PRINT_MAX);
	memcpy(max_buffer, "LEAKED", 6);
	ring("too_long", phys(max_buffer), HC_PRINT_MAX + 1);

	ring("outside_ram", OUTSIDE_RAM_GPA, 8);
	mmio_write64(reg(DOORBELL_STATUS), 12345);
	printf("mmio_doorbell: status_readonly status=%lld\n",
	       (long long)mmio_read64(reg(DOORBELL_STATUS)));
	printf("mmio_doorbell: ring_reads=0x%llx\n",
	       (unsigned long long)mmio_read64(reg(DOORBELL_RING)));
	printf("mmio_doorbell: done\n");
}
