/* compat_mode.h: inline-assembly pieces that run 32-bit code in
 * compatibility mode (IA-32e mode with CS.L = 0 and CS.D = 1, SDM vol. 1
 * 3.4.2.1, vol. 3A 5.2.1; APM vol. 2 1.2.2), where the ES, CS, SS and DS
 * bases apply again and linear addresses are 32 bits wide.
 *
 * The switch is a far return to the runtime's 32-bit code segment
 * (RUNTIME_CODE32_SELECTOR, L = 0, D = 1); the 32-bit code comes back with a
 * 32-bit far return (LRET pops EIP, then CS) to a frame prepared in 64-bit
 * mode. Both pieces clobber R10 and R11; the 32-bit code must leave the
 * stack as it found it. The upper halves of the registers the 32-bit code
 * uses are undefined after the switch back (SDM vol. 1 3.4.1.1): callers
 * read only their low 32 bits. */
#ifndef GUEST_PROBES_COMPAT_MODE_H
#define GUEST_PROBES_COMPAT_MODE_H

#include "runtime_layout.h"

#define COMPAT_STR_(x) #x
#define COMPAT_STR(x) COMPAT_STR_(x)

/* Pushes the 32-bit return frame (CS above EIP, one quadword), then far-
 * returns into compatibility mode at the 32-bit address PUSH_ENTRY pushes
 * (one 64-bit push). Resumes at local label 2 in 64-bit mode. */
#define COMPAT_MODE_CALL(push_entry)                                         \
	"lea 2f(%%rip), %%r11\n\t"                                           \
	"movl $" COMPAT_STR(RUNTIME_CODE_SELECTOR) ", %%r10d\n\t"           \
	"shlq $32, %%r10\n\t"                                                \
	"orq %%r10, %%r11\n\t"                                               \
	"pushq %%r11\n\t"                                                    \
	"pushq $" COMPAT_STR(RUNTIME_CODE32_SELECTOR) "\n\t"                \
	push_entry                                                           \
	"lretq\n"                                                            \
	"2:\n\t"

/* Runs BODY (32-bit instructions, without the local labels 1-3) in
 * compatibility mode and comes back to 64-bit mode. */
#define COMPAT_MODE_ASM(body)                                                \
	"jmp 3f\n"                                                           \
	".code32\n"                                                          \
	"1:\n\t"                                                             \
	body                                                                 \
	"lret\n"                                                             \
	".code64\n"                                                          \
	"3:\n\t"                                                             \
	COMPAT_MODE_CALL("lea 1b(%%rip), %%r11\n\tpushq %%r11\n\t")

#endif
