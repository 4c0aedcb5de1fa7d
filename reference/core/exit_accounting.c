/* Exit accounting: the "[hv] exits: total=N name=N ..." line before the
 * end report (contract section 3). Vendor dispatchers count; the chosen
 * layer names the reasons. */
#include "arch.h"
#include "console.h"
#include "format.h"

static uint64_t exit_counts[ARCH_EXIT_REASONS];
static uint64_t exit_total;

void arch_count_exit(unsigned reason)
{
	exit_total++;
	if (reason < ARCH_EXIT_REASONS)
		exit_counts[reason]++;
}

void arch_log_exit_counts(void)
{
	static char line[512];
	unsigned n = (unsigned)format(line, sizeof line, "exits: total=%lu", exit_total);
	for (unsigned r = 0; r < ARCH_EXIT_REASONS; r++) {
		if (!exit_counts[r])
			continue;
		const char *name = arch->exit_name(r);   /* a counted exit means a layer was chosen */
		if (name)
			n += (unsigned)format(line + n, sizeof line - n, " %s=%lu", name, exit_counts[r]);
		else
			n += (unsigned)format(line + n, sizeof line - n, " reason%u=%lu", r, exit_counts[r]);
	}
	hv_log("%s", line);
}
