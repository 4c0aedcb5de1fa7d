/* boot_segments: the segment registers the guest starts with (contract 2,
 * {#guest.start.segments}: CS a flat 32-bit execute/read code segment,
 * DS/ES/FS/GS/SS flat 32-bit read/write data). The hypervisor may load any
 * selectors and need not give the guest a GDT, so the probe judges the
 * segments by what they do, not by descriptors: segments.S runs before
 * the runtime reloads them and records, per segment, the dword read at the
 * guest ROM (0xcafe2000: base 0, limit reaching above 3 GiB, readable),
 * per data segment a write and read-back in the no-execute page
 * (0xcafe3000: writable), and ESP after a push from 0x20000 (SS 32-bit).
 * Prints
 *   segments: seg=<name> rom=0x<dword> [readback=0x<dword>]
 *   segments: ss push_esp=0x<esp>
 * A segment that faults triple-faults the VM (no IDT yet). */
#include "runtime.h"

/* Filled by segments.S; the layout matches its ROM/RW/PUSH_ESP offsets. */
struct boot_segment_facts {
	uint32_t rom[6];      /* cs, ds, es, fs, gs, ss */
	uint32_t readback[6]; /* [0] (cs) unused */
	uint32_t push_esp;
};
_Static_assert(__builtin_offsetof(struct boot_segment_facts, readback) == 24, "segments.S RW()");
_Static_assert(__builtin_offsetof(struct boot_segment_facts, push_esp) == 48, "segments.S PUSH_ESP");

struct boot_segment_facts boot_segment_facts;
void boot_segment_check(void); /* segments.S, called by the entry code */

static const char *const names[6] = { "cs", "ds", "es", "fs", "gs", "ss" };

void probe_main(void)
{
	printf("segments: seg=cs rom=0x%x\n", boot_segment_facts.rom[0]);
	for (int i = 1; i < 6; i++)
		printf("segments: seg=%s rom=0x%x readback=0x%x\n", names[i],
		       boot_segment_facts.rom[i], boot_segment_facts.readback[i]);
	printf("segments: ss push_esp=0x%x\n", boot_segment_facts.push_esp);
}
