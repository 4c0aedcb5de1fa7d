#include "power.h"
#include "coverage.h"
#include "power_off.h"

#define QEMU_DEBUG_EXIT_VALUE 0   /* exit status (0 << 1) | 1: a clean power-off */

void power_off(void)
{
	/* Coverage builds: the counters of everything that ran, sent last on a
	 * channel of their own (reference/cov/coverage.h). */
	coverage_dump();
	machine_power_off(QEMU_DEBUG_EXIT_VALUE);
}
