/* Architectural constants the probes and their runtime use. Each one cites
 * the Intel SDM section it comes from (volume 3 unless stated), or the AMD
 * APM volume and section for AMD-only ones. Shared by the
 * 64-bit runtime and the 32-bit one, so nothing here depends on the mode. */
#ifndef GP_X86_H
#define GP_X86_H

/* Integer suffixes C needs and the assembler rejects. */
#ifdef __ASSEMBLER__
#define X86_U(x) x
#define X86_ULL(x) x
#else
#define X86_U(x) x##u
#define X86_ULL(x) x##ull
#endif

/* CR0 bits (2.5). */
#define CR0_PE (X86_U(1) << 0)  /* protection enable */
#define CR0_ET (X86_U(1) << 4)  /* extension type, fixed to 1 */
#define CR0_WP (X86_U(1) << 16) /* write protect */
#define CR0_PG (X86_U(1) << 31) /* paging */

/* CR4 bits (2.5). */
#define CR4_PSE (X86_U(1) << 4) /* 4-MiB pages with 32-bit paging */
#define CR4_PAE (X86_U(1) << 5) /* physical address extension */

/* EFLAGS bits (2.3; vol. 1 section 3.4.3). */
#define EFLAGS_CF (X86_U(1) << 0)
#define EFLAGS_FIXED1 (X86_U(1) << 1) /* reserved, always 1 */
#define EFLAGS_ZF (X86_U(1) << 6)
#define EFLAGS_IF (X86_U(1) << 9)
#define EFLAGS_DF (X86_U(1) << 10)
#define EFLAGS_OF (X86_U(1) << 11)

/* MSR numbers (vol. 4, chapter 2). */
#define MSR_IA32_APIC_BASE X86_U(0x1b)
#define MSR_IA32_SYSENTER_CS X86_U(0x174)
#define MSR_IA32_SYSENTER_ESP X86_U(0x175)
#define MSR_IA32_SYSENTER_EIP X86_U(0x176)
#define MSR_IA32_EFER X86_U(0xc0000080)
#define MSR_IA32_STAR X86_U(0xc0000081)
#define MSR_IA32_FS_BASE X86_U(0xc0000100)
#define MSR_IA32_GS_BASE X86_U(0xc0000101)
#define MSR_IA32_KERNEL_GS_BASE X86_U(0xc0000102)

/* IA32_EFER bits (2.2.1, table 2-1). */
#define EFER_SCE (X86_U(1) << 0)  /* SYSCALL enable */
#define EFER_LME (X86_U(1) << 8)  /* IA-32e mode enable */
#define EFER_LMA (X86_U(1) << 10) /* IA-32e mode active */
#define EFER_NXE (X86_U(1) << 11) /* execute-disable enable */
#define EFER_RESERVED_BIT1 (X86_U(1) << 1) /* reserved: writing 1 raises #GP */
/* SVM enable (APM vol. 2 3.1.7); reserved on Intel. */
#define EFER_SVME (X86_U(1) << 12)

/* SVM MSRs (APM vol. 2 15.30.1, 15.30.4); on Intel no MSR has these numbers. */
#define MSR_AMD_VM_CR X86_U(0xc0010114)
#define MSR_AMD_VM_HSAVE_PA X86_U(0xc0010117)

/* Paging-structure entry bits common to every paging mode (4.3-4.5). */
#define PTE_P (X86_U(1) << 0)  /* present */
#define PTE_RW (X86_U(1) << 1) /* writable */
#define PTE_PS (X86_U(1) << 7) /* page size: maps a 4-MiB, 2-MiB or 1-GiB page */

#define PAGE_SIZE_4K X86_U(0x1000)                /* 4.3-4.5 */
#define PAGE_SIZE_4M X86_U(0x400000)              /* 32-bit paging with PSE, 4.3 */
#define PAGE_SIZE_2M X86_U(0x200000)              /* PAE and 4-level paging, 4.4-4.5 */
#define PAGE_SIZE_1G X86_ULL(0x40000000)          /* 4-level paging, 4.5 */
#define ENTRIES_PER_TABLE_32 X86_U(1024)          /* 32-bit paging tables, 4.3 */
#define ENTRIES_PER_TABLE_64 X86_U(512)           /* PAE and 4-level tables, 4.4-4.5 */
#define PAE_PDPTE_COUNT X86_U(4)                  /* PAE PDPT entries, 4.4.1 */

/* Exception vectors (6.3.1, table 6-1). */
#define VEC_DE X86_U(0)
#define VEC_BP X86_U(3)
#define VEC_UD X86_U(6)
#define VEC_DF X86_U(8)
#define VEC_TS X86_U(10)
#define VEC_NP X86_U(11)
#define VEC_SS X86_U(12)
#define VEC_GP X86_U(13)
#define VEC_PF X86_U(14)
#define VEC_AC X86_U(17)
#define VEC_CP X86_U(21)
#define VEC_VC X86_U(29)
#define VEC_SX X86_U(30)
#define EXCEPTION_VECTORS X86_U(32) /* vectors 0-31 are architecture-defined (6.2) */

/* Vectors whose exceptions push an error code (6.3.1, table 6-1). */
#define VECTOR_HAS_ERROR_CODE(v) \
	((v) == VEC_DF || ((v) >= VEC_TS && (v) <= VEC_PF) || (v) == VEC_AC || \
	 (v) == VEC_CP || (v) == VEC_VC || (v) == VEC_SX)

/* Segment descriptor access bytes and flags (3.4.5). */
#define SEG_CODE64 X86_ULL(0x00af9a000000ffff) /* L=1, D=0, P, DPL0, execute/read */
#define SEG_CODE32 X86_ULL(0x00cf9a000000ffff) /* G, D=1, 4 GiB flat execute/read */
#define SEG_DATA32 X86_ULL(0x00cf92000000ffff) /* G, B=1, 4 GiB flat read/write */

/* Gate descriptor type for a 32- or 64-bit interrupt gate, present, DPL 0
 * (6.11 and 6.14.1). */
#define IDT_GATE_INTERRUPT X86_U(0x8e)

/* CPUID (vol. 2A, CPUID instruction). */
#define CPUID_LEAF_VENDOR X86_U(0x0)
#define CPUID_LEAF_FEATURES X86_U(0x1)
#define CPUID_1_ECX_VMX (X86_U(1) << 5)
#define CPUID_1_ECX_HYPERVISOR (X86_U(1) << 31) /* reserved for hypervisor use */
#define CPUID_LEAF_EXT_MAX X86_U(0x80000000)
#define CPUID_LEAF_EXT_FEATURES X86_U(0x80000001)
#define CPUID_80000001_EDX_PAGE1GB (X86_U(1) << 26)
#define CPUID_80000001_EDX_LM (X86_U(1) << 29)
#define CPUID_80000001_EDX_NX (X86_U(1) << 20)
#define CPUID_80000001_ECX_SVM (X86_U(1) << 2) /* APM vol. 3 appendix E; reserved on Intel */
/* SVM revision and features (APM vol. 3 appendix E, CPUID Fn8000_000A). */
#define CPUID_LEAF_SVM_FEATURES X86_U(0x8000000a)

/* VMCALL is encoded 0F 01 C1 (vol. 2C, VMCALL); AMD's VMMCALL 0F 01 D9
 * (APM vol. 3, VMMCALL) has the same length. */
#define VMCALL_LENGTH X86_U(3)

#endif
