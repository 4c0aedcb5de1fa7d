/* RDMSR/WRMSR (vol. 2B): the plain forms come from x86_insn.h; these
 * variants catch the #GP an unknown or reserved MSR access raises
 * (returning the vector, FAULT_NONE if none). */
#ifndef GP_MSR_H
#define GP_MSR_H
#include "fault.h"
#include "x86_insn.h" /* rdmsr(), wrmsr() */
#include <stdint.h>

static inline int rdmsr_safe(uint32_t msr, uint64_t *value)
{
	uint32_t lo = 0, hi = 0;
	fault_reset();
	__asm__ volatile("1: rdmsr\n2:\n\t" FIXUP_ENTRY(1b, 2b, 2b)
			 : "+a"(lo), "+d"(hi)
			 : "c"(msr)
			 : "memory");
	*value = ((uint64_t)hi << 32) | lo;
	return last_fault.vector;
}

static inline int wrmsr_safe(uint32_t msr, uint64_t value)
{
	fault_reset();
	__asm__ volatile("1: wrmsr\n2:\n\t" FIXUP_ENTRY(1b, 2b, 2b)
			 :
			 : "c"(msr), "a"((uint32_t)value),
			   "d"((uint32_t)(value >> 32))
			 : "memory");
	return last_fault.vector;
}

#endif
