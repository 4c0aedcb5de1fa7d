/* The VMCB (AMD APM vol. 2, Appendix B "Layout of VMCB"): byte offsets of
 * the fields this layer uses, the intercept bits (APM 15.9-15.14) and the
 * exit codes (APM Appendix C "SVM Intercept Exit Codes"). */
#ifndef HV_VMCB_H
#define HV_VMCB_H
#include <stdint.h>

/* Control area (Table B-1), offsets from the start of the VMCB. */
#define VMCB_INTERCEPT_CR           0x000   /* 15:0 reads, 31:16 writes of CR0-15 (15.9) */
#define INTERCEPT_CR8_READ          (1u << 8)
#define INTERCEPT_CR0_WRITE         (1u << 16)   /* MOV to CR0, CLTS, LMSW (15.9.1) */
#define INTERCEPT_CR8_WRITE         (1u << 24)
#define INTERCEPT_CR3_WRITE         (1u << 19)
#define INTERCEPT_CR4_WRITE         (1u << 20)
#define VMCB_INTERCEPT_EXCEPTIONS   0x008   /* bit n: exception vector n (15.12) */
#define VMCB_INTERCEPT_MISC1        0x00C   /* vector 3 of Table B-1 */
#define VMCB_INTERCEPT_MISC2        0x010   /* vector 4 of Table B-1 */
#define VMCB_IOPM_BASE_PA           0x040   /* I/O permission map (15.10.1) */
#define VMCB_MSRPM_BASE_PA          0x048   /* MSR permission map (15.11) */
#define VMCB_TSC_OFFSET             0x050   /* added to the TSC the guest reads (15.30.4) */
#define VMCB_GUEST_ASID             0x058   /* 32 bits (15.16) */
#define VMCB_TLB_CONTROL            0x05C   /* 8 bits (15.16.1) */
#define VMCB_VINTR                  0x060   /* virtual interrupt control (15.21.4, Table B-1) */
#define VINTR_V_IRQ                 (1ull << 8)    /* a virtual interrupt is pending */
#define VINTR_V_INTR_PRIO_MAX       (0xFull << 16) /* its priority, bits 19:16 */
#define VINTR_V_IGN_TPR             (1ull << 20)   /* taken whatever V_TPR says */
#define VMCB_INTERRUPT_SHADOW       0x068   /* bit 0 (15.21.5) */
#define INTERRUPT_SHADOW_ACTIVE     (1ull << 0)
#define VMCB_EXITCODE               0x070
#define VMCB_EXITINFO1              0x078
#define VMCB_EXITINFO2              0x080
#define VMCB_EXITINTINFO            0x088   /* an event whose delivery the exit interrupted (15.7.2) */
#define VMCB_NP_CONTROL             0x090   /* (15.25.3) */
#define NP_ENABLE                   (1ull << 0)
#define VMCB_EVENTINJ               0x0A8   /* (15.20) */
#define VMCB_N_CR3                  0x0B0   /* nested page table root (15.25.3) */
#define VMCB_CLEAN_BITS             0x0C0   /* 0: the processor reloads every field (15.15) */
#define VMCB_NEXT_RIP               0x0C8   /* valid with CPUID 8000_000Ah EDX.NRIPS (15.7.1) */

/* State save area (Table B-2), offsets from the start of the VMCB. A
 * segment is selector (16 bits), attributes (16), limit (32), base (64). */
#define VMCB_ES                     0x400
#define VMCB_CS                     0x410
#define VMCB_SS                     0x420
#define VMCB_DS                     0x430
#define VMCB_FS                     0x440
#define VMCB_GS                     0x450
#define VMCB_GDTR                   0x460
#define VMCB_LDTR                   0x470
#define VMCB_IDTR                   0x480
#define VMCB_TR                     0x490
#define VMCB_SEG_SELECTOR           0x0
#define VMCB_SEG_ATTRIB             0x2
#define VMCB_SEG_LIMIT              0x4
#define VMCB_SEG_BASE               0x8
#define VMCB_SEG_SIZE               0x10
#define VMCB_CPL                    0x4CB
#define VMCB_EFER                   0x4D0
#define VMCB_CR4                    0x548
#define VMCB_CR3                    0x550
#define VMCB_CR0                    0x558
#define VMCB_DR7                    0x560
#define VMCB_DR6                    0x568
#define VMCB_RFLAGS                 0x570
#define VMCB_RIP                    0x578
#define VMCB_RSP                    0x5D8
#define VMCB_RAX                    0x5F8
#define VMCB_STAR                   0x600   /* VMLOAD/VMSAVE state (15.5.2) */
#define VMCB_LSTAR                  0x608
#define VMCB_CSTAR                  0x610
#define VMCB_SFMASK                 0x618
#define VMCB_KERNEL_GS_BASE         0x620
#define VMCB_SYSENTER_CS            0x628
#define VMCB_SYSENTER_ESP           0x630
#define VMCB_SYSENTER_EIP           0x638
#define VMCB_CR2                    0x640   /* loaded by VMRUN, saved by #VMEXIT (Table B-2) */
#define VMCB_G_PAT                  0x668   /* guest PAT under nested paging (15.25.8) */

/* Segment attributes (Table B-2 note): descriptor bits 47:40 in 7:0
 * (type, S, DPL, P) and bits 55:52 in 11:8 (AVL, L, D/B, G). */
#define SEG_ATTRIB_L                (1u << 9)
#define SEG_ATTRIB_DB               (1u << 10)

/* Intercept vector 3 at VMCB_INTERCEPT_MISC1 (Table B-1). */
#define INTERCEPT_INTR              (1u << 0)    /* physical maskable interrupt (15.21.2) */
#define INTERCEPT_VINTR             (1u << 4)    /* the guest can take a virtual interrupt (15.21.4) */
#define INTERCEPT_CPUID             (1u << 18)
#define INTERCEPT_INVD              (1u << 22)
#define INTERCEPT_HLT               (1u << 24)
#define INTERCEPT_INVLPGA           (1u << 26)
#define INTERCEPT_IOIO_PROT         (1u << 27)
#define INTERCEPT_MSR_PROT          (1u << 28)
#define INTERCEPT_SHUTDOWN          (1u << 31)
/* Intercept vector 4 at VMCB_INTERCEPT_MISC2 (Table B-1). */
#define INTERCEPT_VMRUN             (1u << 0)   /* VMRUN fails without it (15.5.1) */
#define INTERCEPT_VMMCALL           (1u << 1)
#define INTERCEPT_VMLOAD            (1u << 2)
#define INTERCEPT_VMSAVE            (1u << 3)
#define INTERCEPT_STGI              (1u << 4)
#define INTERCEPT_CLGI              (1u << 5)
#define INTERCEPT_SKINIT            (1u << 6)
#define INTERCEPT_XSETBV            (1u << 13)

/* TLB_CONTROL (15.16.1). */
#define TLB_CONTROL_DO_NOTHING      0
#define TLB_CONTROL_FLUSH_ALL       1

/* EVENTINJ and EXITINTINFO (15.20, 15.7.2). */
#define EVENT_VECTOR_MASK           0xFFu
#define EVENT_TYPE_INTR             (0u << 8)    /* external interrupt (15.20) */
#define EVENT_TYPE_EXCEPTION        (3u << 8)
#define EVENT_TYPE_SOFT_INT         (4u << 8)    /* INTn (15.20) */
#define EVENT_TYPE_MASK             (7u << 8)
#define EVENT_ERROR_VALID           (1u << 11)
#define EVENT_VALID                 (1u << 31)
#define EVENT_ERROR_SHIFT           32

/* IOIO intercept EXITINFO1 (15.10.2, Figure 15-2); EXITINFO2 holds the
 * RIP of the instruction after the IN/OUT. */
#define IOIO_TYPE_IN                (1u << 0)
#define IOIO_STRING                 (1u << 2)
#define IOIO_REP                    (1u << 3)
#define IOIO_SZ8                    (1u << 4)
#define IOIO_SZ16                   (1u << 5)
#define IOIO_SZ32                   (1u << 6)
#define IOIO_A16                    (1u << 7)
#define IOIO_A32                    (1u << 8)
#define IOIO_A64                    (1u << 9)
#define IOIO_PORT_SHIFT             16

/* MSR intercept EXITINFO1 (15.11): 0 RDMSR, 1 WRMSR. */
#define MSR_EXIT_WRITE              1

/* Nested page fault EXITINFO1 (15.25.6); EXITINFO2 is the faulting GPA. */
#define NPF_PRESENT                 (1ull << 0)
#define NPF_WRITE                   (1ull << 1)
#define NPF_USER                    (1ull << 2)
#define NPF_FETCH                   (1ull << 4)

/* Exit codes (Appendix C, Table C-1). */
enum svm_exit_code {
	SVM_EXIT_CR8_READ = 0x08,       /* CR0-15 reads: 0x00 + n */
	SVM_EXIT_CR0_WRITE = 0x10,      /* CR0-15 writes: 0x10 + n */
	SVM_EXIT_CR3_WRITE = 0x13,
	SVM_EXIT_CR4_WRITE = 0x14,
	SVM_EXIT_CR8_WRITE = 0x18,
	SVM_EXIT_EXCP_BASE = 0x40,      /* 0x40 + vector */
	SVM_EXIT_EXCP_DB = 0x41,
	SVM_EXIT_EXCP_UD = 0x46,
	SVM_EXIT_EXCP_DF = 0x48,
	SVM_EXIT_EXCP_PF = 0x4E,
	SVM_EXIT_EXCP_LAST = 0x5F,      /* 0x40 + 31 */
	SVM_EXIT_INTR = 0x60,
	SVM_EXIT_VINTR = 0x64,
	SVM_EXIT_CPUID = 0x72,
	SVM_EXIT_INVD = 0x76,
	SVM_EXIT_HLT = 0x78,
	SVM_EXIT_INVLPGA = 0x7A,
	SVM_EXIT_IOIO = 0x7B,
	SVM_EXIT_MSR = 0x7C,
	SVM_EXIT_SHUTDOWN = 0x7F,
	SVM_EXIT_VMRUN = 0x80,
	SVM_EXIT_VMMCALL = 0x81,
	SVM_EXIT_VMLOAD = 0x82,
	SVM_EXIT_VMSAVE = 0x83,
	SVM_EXIT_STGI = 0x84,
	SVM_EXIT_CLGI = 0x85,
	SVM_EXIT_SKINIT = 0x86,
	SVM_EXIT_XSETBV = 0x8D,
	SVM_EXIT_NPF = 0x400,
	/* VMRUN refused the VMCB: -1, of which QEMU stores 32 bits and
	 * Bochs 64 (compare the low 32 bits). */
	SVM_EXIT_INVALID = 0xFFFFFFFFu,
};

#define VMCB_SIZE                   4096u

/* Field access at a byte offset of the VMCB. */
#define VMCB_FIELD(vmcb, type, off) (*(volatile type *)((uint8_t *)(vmcb) + (off)))

#endif
