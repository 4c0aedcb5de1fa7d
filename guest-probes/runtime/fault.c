/* Exception dispatch: interrupts to the probe, fixups first, otherwise
 * report and halt. */
#include "fault.h"
#include "console.h"
#include "hypercall.h"
#include "x86.h"

extern const struct fixup_entry __fixup_start[], __fixup_end[];

volatile struct fault_record last_fault = { FAULT_NONE, 0, 0, 0 };

void exception_dispatch(struct exception_frame *frame)
{
	/* Vectors past the exceptions come only from a probe's own interrupt
	 * gates, never from a fault inside a fixup range. */
	if (frame->vector >= EXCEPTION_VECTORS && interrupt_dispatch) {
		interrupt_dispatch(frame);
		return;
	}
	for (const struct fixup_entry *e = __fixup_start; e < __fixup_end;
	     e++) {
		if (frame->ip >= e->start && frame->ip <= e->limit) {
			last_fault.vector = (int)frame->vector;
			last_fault.error_code = frame->error_code;
			last_fault.rip = frame->ip;
			last_fault.offset = frame->ip - e->start;
			frame->ip = e->resume;
			return;
		}
	}
	printf("exception: vector=%lu error=0x%lx rip=0x%lx\n",
	       (unsigned long)frame->vector, (unsigned long)frame->error_code,
	       (unsigned long)frame->ip);
	hv_halt(HALT_EXCEPTION_BASE + frame->vector);
}
