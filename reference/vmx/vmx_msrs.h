/* VMX-related MSRs (SDM vol. 4 Table 2-2, vol. 3 appendix A). */
#ifndef HV_VMX_MSRS_H
#define HV_VMX_MSRS_H

#include "x86.h"   /* MSR_IA32_FEATURE_CONTROL and its bits */

#define MSR_IA32_VMX_BASIC              0x480   /* A.1 */
#define VMX_BASIC_REVISION_MASK         0x7FFFFFFFull
#define VMX_BASIC_TRUE_CTLS             (1ull << 55)
#define MSR_IA32_VMX_PINBASED_CTLS      0x481   /* A.3.1 */
#define MSR_IA32_VMX_PROCBASED_CTLS     0x482   /* A.3.2 */
#define MSR_IA32_VMX_EXIT_CTLS          0x483   /* A.4 */
#define MSR_IA32_VMX_ENTRY_CTLS         0x484   /* A.5 */
#define MSR_IA32_VMX_MISC               0x485   /* A.6 */
#define VMX_MISC_PREEMPTION_RATE        0x1Full /* bits 4:0: the timer counts every 2^rate TSC ticks */
#define MSR_IA32_VMX_CR0_FIXED0         0x486   /* A.7 */
#define MSR_IA32_VMX_CR0_FIXED1         0x487
#define MSR_IA32_VMX_CR4_FIXED0         0x488   /* A.8 */
#define MSR_IA32_VMX_CR4_FIXED1         0x489
#define MSR_IA32_VMX_PROCBASED_CTLS2    0x48B   /* A.3.3 */
#define MSR_IA32_VMX_EPT_VPID_CAP       0x48C   /* A.10 */
#define MSR_IA32_VMX_TRUE_PINBASED_CTLS  0x48D  /* A.3.1 */
#define MSR_IA32_VMX_TRUE_PROCBASED_CTLS 0x48E  /* A.3.2 */
#define MSR_IA32_VMX_TRUE_EXIT_CTLS     0x48F   /* A.4 */
#define MSR_IA32_VMX_TRUE_ENTRY_CTLS    0x490   /* A.5 */

/* The IA32_VMX_EPT_VPID_CAP bits (A.10) are in stage2.h, which reads them too. */

#define MSR_IA32_EFER                   0xC0000080
#define MSR_IA32_PAT                    0x277
/* SYSCALL/SYSRET and SWAPGS (SDM vol. 4 Table 2-2; vol. 3A 5.8.8): no VMCS
 * field holds them, so the guest's values live in the processor. */
#define MSR_IA32_STAR                   0xC0000081
#define MSR_IA32_LSTAR                  0xC0000082
#define MSR_IA32_CSTAR                  0xC0000083
#define MSR_IA32_FMASK                  0xC0000084
#define MSR_IA32_KERNEL_GS_BASE         0xC0000102

#endif
