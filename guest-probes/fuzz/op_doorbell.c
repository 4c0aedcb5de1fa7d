/* Doorbell sequences (contract 9): BUFFER and LENGTH set to the values
 * where the device's checks have their edges, a ring, and STATUS read at
 * once. The mmio ops reach the same registers with random encodings, but
 * rarely line up a buffer at RAM's end, a wrapping buffer or a length of
 * exactly 4096 with a ring; this op does so on purpose. Oracle: STATUS is
 * the bytes printed, HC_E2BIG for LENGTH > 4096, or HC_EFAULT for a buffer
 * not inside guest RAM (either error where both apply). */
#include "dev_model.h"

#define DOORBELL_LIMIT 4096u /* largest LENGTH a ring prints */
#define DOORBELL_EXITS 7u    /* 5 stores and 2 loads, each an MMIO exit */

static uint64_t edge_length(void)
{
	switch (rnd(7)) {
	case 0: return 0;
	case 1: return chance(2) ? DOORBELL_LIMIT : DOORBELL_LIMIT - 1; /* 4096 prints are slow */
	case 2: return DOORBELL_LIMIT + 1;
	case 3: return (1ull << (32 + rnd(32))) | rnd(64); /* small low half */
	case 4: return rnd64();
	default: return 1 + rnd(48);
	}
}

static uint64_t edge_buffer(uint64_t length)
{
	uint64_t text = (uint64_t)(uintptr_t)fuzz_text;
	uint64_t small = length <= DOORBELL_LIMIT ? length : 64;
	switch (rnd(7)) {
	case 0: return text + rnd((uint32_t)(sizeof(fuzz_text) - small + 1));
	case 1: return plan.ram_end - 1 - rnd(small ? (uint32_t)small : 1); /* runs past RAM */
	case 2: return plan.ram_end + rnd(PAGE_SIZE_4K);
	case 3: return ~0ull - rnd(64);                /* buffer + length wraps */
	case 4: return WINDOW_GPA(rnd(WINDOW_COUNT)) + rnd(WINDOW_SIZE);
	case 5: return text;
	default: return rnd64();
	}
}

void op_doorbell(void)
{
	for (int attempt = 0; attempt < 8; attempt++) {
		uint64_t length = edge_length();
		if (dev_doorbell_ring(edge_buffer(length), length)) {
			counts.exits_at_least += DOORBELL_EXITS;
			return;
		}
	}
}
