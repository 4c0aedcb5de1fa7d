/* RDMSR/WRMSR (vol. 2B) and variants that catch the #GP an unknown or
 * reserved MSR access raises (returning the vector, FAULT_NONE if none). */
#ifndef GP_MSR_H
#define GP_MSR_H
#include "fault.h"
#include <stdint.h>

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t value)
{
	__asm__ volatile("wrmsr"
			 :
			 : "c"(msr), "a"((uint32_t)value),
			   "d"((uint32_t)(value >> 32))
			 : "memory");
}

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
