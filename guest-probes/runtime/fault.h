/* Expected-exception support. A probe that wants to observe an exception
 * (for example the #GP an unknown MSR must raise) marks the instruction with
 * FIXUP_ENTRY; when an exception hits inside the marked range the handler
 * records it in last_fault and resumes at the given label instead of
 * ending the probe. Exceptions outside every range print
 * `exception: vector=<n> error=0x<x> rip=0x<x>` and HaltCpu(0xe000 + n). */
#ifndef GP_FAULT_H
#define GP_FAULT_H
#include <stdint.h>

#define FAULT_NONE (-1)
#define HALT_EXCEPTION_BASE 0xe000u /* HaltCpu code = base + vector */

/* Entries are three pointers with no padding between them: aligned to a
 * pointer, so the 32-bit table's 12-byte entries stay contiguous. */
#ifdef __x86_64__
#define FIXUP_PTR ".quad"
#define FIXUP_ALIGN "8"
#else
#define FIXUP_PTR ".long"
#define FIXUP_ALIGN "4"
#endif

/* One entry: an exception whose RIP lies in [start, limit] (limit
 * included, so a hypervisor that wrongly advanced RIP past the faulting
 * instruction is still caught and the offset shows it) resumes at resume. */
#define FIXUP_ENTRY(start, limit, resume)                                   \
	".pushsection .fixup_table, \"a\"\n\t"                              \
	".balign " FIXUP_ALIGN "\n\t" FIXUP_PTR " " #start ", " #limit ", " #resume "\n\t" \
	".popsection\n\t"

struct fixup_entry {
	unsigned long start, limit, resume;
};

struct fault_record {
	int vector;               /* FAULT_NONE when nothing was caught */
	unsigned long error_code; /* 0 for vectors without one */
	unsigned long rip;        /* RIP the exception frame held */
	unsigned long offset;     /* rip - start of the fixup range */
};

extern volatile struct fault_record last_fault;

static inline void fault_reset(void)
{
	last_fault.vector = FAULT_NONE;
	last_fault.error_code = 0;
	last_fault.rip = 0;
	last_fault.offset = 0;
}

/* Register frame built by the exception stubs (isr64.S / isr32.S). */
#ifdef __x86_64__
struct exception_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t ip, cs, flags, sp, ss;
};
#else
struct exception_frame {
	uint32_t edi, esi, ebp, esp_at_pusha, ebx, edx, ecx, eax;
	uint32_t vector, error_code;
	uint32_t ip, cs, flags;
};
#endif

void exception_dispatch(struct exception_frame *frame);
/* A probe that installs gates for vectors 32-255 (jumping to isr_common
 * after pushing 0 and the vector) defines this; the runtime calls it for
 * those vectors. */
void interrupt_dispatch(struct exception_frame *frame) __attribute__((weak));

/* Installs the IDT with a gate for each of the 32 exception vectors. */
void idt_init(void);

#endif
