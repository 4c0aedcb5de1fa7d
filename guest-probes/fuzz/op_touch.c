/* First touches of fresh RAM (contract 10): a plain load or store of one
 * byte in a random arena page. The pager must give the page a frame,
 * zero-filled (the machine's RAM holds 0xa5 before: contract 1), and run
 * the access again. Oracle: a load from a page nobody wrote reads 0;
 * the page counts for the MemStats check at the end of the mode. */
#include "fuzz.h"

static uint8_t written[ARENA_PAGES]; /* the guest or an INS wrote it */

void op_touch(void)
{
	unsigned page = rnd(ARENA_PAGES), off = rnd(PAGE_SIZE_4K);
	unsigned long gpa = ARENA_GPA + (unsigned long)page * PAGE_SIZE_4K + off;
	volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)gpa;
	arena_touch(gpa, 1, true);
	if (chance(2)) {
		*p = (uint8_t)rnd(256);
		written[page] = 1;
		return;
	}
	uint8_t v = *p;
	if (!written[page] && !arena_written_by_hv(page) && v != 0)
		mismatch("touch gpa=0x%lx: a fresh page reads 0x%x, expected 0", gpa, v);
}
