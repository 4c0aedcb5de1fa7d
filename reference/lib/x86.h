/* x86 architectural constants and the privileged instructions the
 * hypervisor uses. Section numbers: Intel SDM vol. 3 unless noted. */
#ifndef HV_X86_H
#define HV_X86_H
#include <stdint.h>
#include "port_io.h"
#include "x86_insn.h"   /* cpuid(), rdmsr(), wrmsr() */

/* Control registers (2.5). */
#define CR0_PE  (1ull << 0)
#define CR0_ET  (1ull << 4)
#define CR0_NE  (1ull << 5)
#define CR0_NW  (1ull << 29)
#define CR0_CD  (1ull << 30)
#define CR0_PG  (1ull << 31)
#define CR4_PSE (1ull << 4)
#define CR4_PAE (1ull << 5)
#define CR4_VMXE (1ull << 13)

/* IA32_EFER (2.2.1, Table 2-1 in vol. 4). */
#define EFER_SCE (1ull << 0)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)

/* RFLAGS (2.3). */
#define RFLAGS_FIXED1 (1ull << 1)   /* always set */
#define RFLAGS_CF (1ull << 0)
#define RFLAGS_ZF (1ull << 6)
#define RFLAGS_TF (1ull << 8)       /* single-step: #DB after the next instruction (18.3.1.4) */
#define RFLAGS_IF (1ull << 9)
#define RFLAGS_DF (1ull << 10)

/* Exception vectors (6.3.1, Table 6-1). */
#define X86_EXC_DB 1
#define X86_EXC_BP 3                /* INT3 */
#define X86_EXC_OF 4                /* INTO */
#define X86_EXC_UD 6
#define X86_EXC_DF 8
#define X86_EXC_GP 13
#define X86_EXC_PF 14

/* IA32_FEATURE_CONTROL (vol. 4 Table 2-2): present when CPUID.1:ECX.VMX or
 * .SMX is 1; bit 0 locks it until reset; bit 2 lets VMXON run outside SMX. */
#define MSR_IA32_FEATURE_CONTROL        0x3A
#define FEATURE_CONTROL_LOCK            (1ull << 0)
#define FEATURE_CONTROL_VMX_IN_SMX      (1ull << 1)
#define FEATURE_CONTROL_VMX_OUTSIDE_SMX (1ull << 2)
#define CPUID_1_ECX_SMX       (1u << 6)   /* vol. 2A, CPUID, Table 3-10 */

/* CPUID (vol. 2A, CPUID instruction). */
#define CPUID_FEATURES        0x1
#define CPUID_1_ECX_VMX       (1u << 5)
#define CPUID_1_ECX_HYPERVISOR (1u << 31)  /* reserved for hypervisor use (vol. 2A Table 3-10) */
#define CPUID_EXT_ADDR_SIZES  0x80000008u

#define DEFINE_CR_ACCESS(n) \
	static inline uint64_t read_cr##n(void) { uint64_t v; __asm__ volatile("mov %%cr" #n ", %0" : "=r"(v)); return v; } \
	static inline void write_cr##n(uint64_t v) { __asm__ volatile("mov %0, %%cr" #n :: "r"(v) : "memory"); }
DEFINE_CR_ACCESS(0)
DEFINE_CR_ACCESS(2)
DEFINE_CR_ACCESS(3)
DEFINE_CR_ACCESS(4)
#undef DEFINE_CR_ACCESS

#endif
