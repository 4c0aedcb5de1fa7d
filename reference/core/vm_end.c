#include "vm_end.h"
#include "arch.h"
#include "console.h"
#include "disk_writeback.h"
#include "format.h"
#include "power.h"
#include <stdarg.h>

#define OUTCOME_MAX 256

static void (*teardown_fn)(void);

void vm_end_set_teardown(void (*teardown)(void))
{
	teardown_fn = teardown;
}

void vm_end(const char *fmt, ...)
{
	static char outcome[OUTCOME_MAX];
	static int ending;   /* a fault while reporting must not recurse */
	if (!ending++) {
		va_list ap;
		va_start(ap, fmt);
		vformat(outcome, sizeof outcome, fmt, ap);
		va_end(ap);
		exceptions_log();
		arch_log_exit_counts();
		if (teardown_fn)
			teardown_fn();
		hv_log("end: %s", outcome);
		disk_writeback_send();
		hv_log("power off");
		console_drain();
	}
	power_off();
}

/* LCOV_EXCL_START: only the stubs a handout puts in place of solution regions call it (grading/handout/regions.lua); the reference never does */
void vm_end_not_implemented(const char *region)
{
	vm_end("not implemented: %s", region);
}
/* LCOV_EXCL_STOP */
