/* SVM's processor interface outside the VMCB (AMD APM vol. 2 chapter 15,
 * vol. 3 appendix E for CPUID): feature bits, MSRs, EFER.SVME. */
#ifndef HV_SVM_CPU_H
#define HV_SVM_CPU_H

/* CPUID (APM vol. 3 E.4.2 and E.4.10; leaves 0x80000000 and
 * 0x80000001 and the SVM bit are core/arch.h's). */
#define CPUID_SVM_FEATURES          0x8000000Au
#define CPUID_8000000A_EDX_NP       (1u << 0)   /* nested paging */
#define CPUID_8000000A_EDX_NRIPS    (1u << 3)   /* VMCB next_rip saved on #VMEXIT */
#define CPUID_PHYS_BITS_MASK        0xFFu       /* CPUID 8000_0008h EAX[7:0] (E.4.7) */
#define PHYS_BITS_DEFAULT           36u         /* when that leaf is absent */

/* EFER.SVME (APM 3.1.7, 15.4): SVM instructions allowed; VMRUN also
 * requires it set in the guest's EFER (15.5.1). */
#define EFER_SVME                   (1ull << 12)

/* VM_CR (APM 15.30.1). */
#define MSR_VM_CR                   0xC0010114u
#define VM_CR_LOCK                  (1ull << 3)
#define VM_CR_SVMDIS                (1ull << 4)
/* VM_HSAVE_PA (APM 15.30.4): where VMRUN saves the host state. */
#define MSR_VM_HSAVE_PA             0xC0010117u

#endif
