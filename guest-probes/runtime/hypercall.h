/* Hypercall ABI of the hvspec contract (spec/contract.md section 5):
 * VMCALL with RAX = number, arguments in RDI, RSI, RDX, R10, R9, R8, result
 * in RAX, every other register preserved. In 32-bit mode the same registers
 * are used at 32 bits and only the first three arguments exist. */
#ifndef GP_HYPERCALL_H
#define GP_HYPERCALL_H
#include <stdint.h>

#include "abi/hypercall.h" /* numbers, MemStats selectors, results, HC_PRINT_MAX */

/* Machine word: the width of RAX in the mode the probe runs in. */
typedef unsigned long hc_word;
typedef long hc_result;

#ifdef __x86_64__
static inline hc_result hypercall6(hc_word nr, hc_word a1, hc_word a2,
				   hc_word a3, hc_word a4, hc_word a5,
				   hc_word a6)
{
	register hc_word r10 __asm__("r10") = a4;
	register hc_word r9 __asm__("r9") = a5;
	register hc_word r8 __asm__("r8") = a6;
	hc_word ret;

	__asm__ volatile("vmcall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10),
			   "r"(r9), "r"(r8)
			 : "memory");
	return (hc_result)ret;
}

static inline hc_result hypercall3(hc_word nr, hc_word a1, hc_word a2,
				   hc_word a3)
{
	return hypercall6(nr, a1, a2, a3, 0, 0, 0);
}
#else
static inline hc_result hypercall3(hc_word nr, hc_word a1, hc_word a2,
				   hc_word a3)
{
	hc_word ret;

	__asm__ volatile("vmcall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a1), "S"(a2), "d"(a3)
			 : "memory");
	return (hc_result)ret;
}
#endif

static inline hc_result hypercall0(hc_word nr)
{
	return hypercall3(nr, 0, 0, 0);
}

/* Print(gva, size): returns the number of bytes printed or an HC_E* error. */
static inline hc_result hv_print(const void *buf, hc_word size)
{
	return hypercall3(HC_PRINT, (hc_word)(uintptr_t)buf, size, 0);
}

/* Print with a raw guest-virtual address (for addresses that are no C
 * object, such as unmapped or wrapping ranges). */
static inline hc_result hv_print_gva(hc_word gva, hc_word size)
{
	return hypercall3(HC_PRINT, gva, size, 0);
}

/* HaltCpu(code): ends the VM; never returns under a conforming hypervisor. */
__attribute__((noreturn)) void hv_halt(hc_word code);

#endif
