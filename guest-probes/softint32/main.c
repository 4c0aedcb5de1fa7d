/* softint32: an ELF32 probe (32-bit protected mode, paging off) whose
 * software exceptions INTO (CE, with OF set) and INT3 (CC) run with ESP at
 * the top of a page of guest RAM nothing touched before, so on a lazy
 * pager (contract 10) pushing the frame is the page's first access and the
 * delivery exits to the hypervisor midway ({#pager.event-delivery}). The
 * runtime's gates (interrupt gates, DPL 0) take them; its fixup range
 * records the pushed EIP and resumes after the instruction. At the same
 * privilege level the processor pushes EFLAGS, CS and EIP only (SDM vol.
 * 3A 6.12.1, Figure 6-4), so the frame is read back from the page's top
 * (its EIP then holds the resume point the runtime's handler wrote there):
 *   softint32: form=<into|int3> vector=<v> eip_offset=<pushed EIP minus
 *              the instruction's address> cs=0x<x> eflags=0x<x> frame_on_page=<0|1>
 * A correct delivery gives eip_offset=1 (both are one byte long: a trap
 * pushes the next instruction, 6.5). */
#include "runtime.h"
#include "x86.h"

/* 16 MiB and up: RAM nothing touched (pager_counts' region; default mem=64M). */
#define FRESH_BASE      0x1000000u
#define FRESH_TOP(n)    (FRESH_BASE + ((n) + 1u) * PAGE_SIZE_4K)
#define FRAME_WORDS     3u               /* EIP, CS, EFLAGS up to the top (Figure 6-4) */
#define INSN_LENGTH     1u               /* CE, CC: the resume point (label 2) is insn + 1 */
/* OF and bit 1 (Figure 3-8 of vol. 1); the other status flags vary with
 * the ADD that sets OF and are left out. */
#define EFLAGS_SHOWN    (EFLAGS_OF | 0x2u | EFLAGS_IF)

static void report(const char *form, uint32_t top, uint32_t insn)
{
	const volatile uint32_t *frame = (const volatile uint32_t *)(uintptr_t)(top - FRAME_WORDS * 4u);
	printf("softint32: form=%s vector=%d eip_offset=%ld cs=0x%x eflags=0x%x frame_on_page=%d\n", form,
	       last_fault.vector, (long)(last_fault.rip - insn), frame[1],
	       frame[2] & EFLAGS_SHOWN, frame[0] == insn + INSN_LENGTH);
}

/* One site: FLAGS (instructions that set the status flags) run on the
 * caller's stack, then ESP moves to top and INSN runs; the fixup resumes
 * after it, where ESI (the caller's ESP) is restored. */
#define FRESH_SITE(form, flags, insn_text, top)                                      \
	do {                                                                         \
		uint32_t insn;                                                       \
		fault_reset();                                                       \
		__asm__ volatile("leal 1f, %0\n\t" flags "movl %%esp, %%esi\n\t"     \
				 "movl %1, %%esp\n"                                  \
				 "1:\t" insn_text "\n"                               \
				 "2:\tmovl %%esi, %%esp\n\t" FIXUP_ENTRY(1b, 2b, 2b) \
				 : "=&r"(insn) : "r"(top) : "eax", "esi", "memory", "cc"); \
		report(form, top, insn);                                             \
	} while (0)

void probe_main(void)
{
	if (mb2_mmap_type_at(boot_info(), FRESH_TOP(1) - 1) != MB2_MEMORY_AVAILABLE)
		probe_error("softint32: fresh pages not RAM (mem too small)");
	/* 0x7f + 1 overflows a signed byte: OF = 1 for INTO. */
	FRESH_SITE("into", "movb $0x7f, %%al\n\taddb $1, %%al\n\t", "into", FRESH_TOP(0));
	/* XOR clears OF: the frame's OF is known. */
	FRESH_SITE("int3", "xorl %%eax, %%eax\n\t", "int3", FRESH_TOP(1));
}
