/* The control-register checks (contract 13) shared by cr_regs (64-bit
 * mode) and cr_modes32 (32-bit protected mode, paging off). The includer
 * defines CR_MODE ("64" or "32"), CR_GPR_COUNT and the names of its
 * registers (cr_gpr_names), and links the cr<n>_via tables of its
 * roundtrip*.S. Every fact is one line `cr: <what> mode=<m> ...`, values
 * in hex as the guest read them. */
#ifndef GP_SHARED_CR_CHECKS_H
#define GP_SHARED_CR_CHECKS_H
#include "fault.h"
#include "runtime.h"
#include "x86.h"

/* CR0 and CR4 bits (SDM vol. 3A 2.5; AMD APM vol. 2 3.1.1, 3.1.3). */
#define CRB(n) ((unsigned long)1 << (n))
#define CR_CR0_MP CRB(1)
#define CR_CR0_EM CRB(2)
#define CR_CR0_TS CRB(3)
#define CR_CR0_NE CRB(5)
#define CR_CR0_NW CRB(29)
#define CR_CR0_CD CRB(30)
#define CR_CR0_MSW 0xfffful     /* the machine status word: CR0[15:0] (vol. 2 SMSW) */
#define CR_CR4_TSD CRB(2)       /* time-stamp disable: affects ring 3 only */
#define CR_CR4_VMXE CRB(13)
#define CR_CR4_RESERVED15 CRB(15) /* reserved on Intel (2.5) and AMD (APM 3.1.3) */
#define CR_CR3_PWT CRB(3)       /* page-level write-through (4.3, 4.5) */
#define CR_VECTOR_GP 13

typedef unsigned long (*cr_via_fn)(unsigned long value);
extern const cr_via_fn cr0_via[], cr3_via[], cr4_via[];

/* MOV to CRn of value, an exception caught (last_fault); returns the vector
 * or FAULT_NONE. One function per register: MOV CR takes no index. */
#define CR_WRITE_CAUGHT(n)                                                     \
	static int write_cr##n##_caught(unsigned long value)                   \
	{                                                                      \
		fault_reset();                                                 \
		__asm__ volatile("1: mov %0, %%cr" #n "\n2:\n\t"               \
				 FIXUP_ENTRY(1b, 2b, 2b) : : "r"(value) : "memory"); \
		return last_fault.vector;                                      \
	}
CR_WRITE_CAUGHT(0)
CR_WRITE_CAUGHT(3)
CR_WRITE_CAUGHT(4)

/* Every register operand: the CR0 write changes CD (a bit a hypervisor may
 * keep for itself, so on VMX it exits), the CR4 write TSD, the CR3 write
 * PWT; each then goes back to its value before. */
static void cr_every_register(void)
{
	unsigned long cr0 = read_cr0(), cr3 = read_cr3(), cr4 = read_cr4();
	for (unsigned r = 0; r < CR_GPR_COUNT; r++) {
		unsigned long read = cr0_via[r](cr0 | CR_CR0_CD);
		unsigned long restored = cr0_via[r](cr0);
		printf("cr: cr0 mode=%s via=%s base=0x%lx wrote=0x%lx read=0x%lx restored=0x%lx\n",
		       CR_MODE, cr_gpr_names[r], cr0, cr0 | CR_CR0_CD, read, restored);
		read = cr4_via[r](cr4 ^ CR_CR4_TSD);
		restored = cr4_via[r](cr4);
		printf("cr: cr4 mode=%s via=%s base=0x%lx wrote=0x%lx read=0x%lx restored=0x%lx\n",
		       CR_MODE, cr_gpr_names[r], cr4, cr4 ^ CR_CR4_TSD, read, restored);
		read = cr3_via[r](cr3 | CR_CR3_PWT);
		restored = cr3_via[r](cr3);
		printf("cr: cr3 mode=%s via=%s base=0x%lx wrote=0x%lx read=0x%lx restored=0x%lx\n",
		       CR_MODE, cr_gpr_names[r], cr3, cr3 | CR_CR3_PWT, read, restored);
	}
}

/* The bits a hypervisor may keep for itself, one MOV each. */
static void cr0_owned_step(const char *step, unsigned long value)
{
	write_cr0(value);
	printf("cr: cr0_owned mode=%s step=%s wrote=0x%lx read=0x%lx\n", CR_MODE, step, value, read_cr0());
}

static void cr0_owned_bits(void)
{
	unsigned long base = read_cr0() & ~(CR_CR0_NE | CR_CR0_CD | CR_CR0_NW);
	cr0_owned_step("ne_set", base | CR_CR0_NE);
	cr0_owned_step("ne_clear", base);
	cr0_owned_step("cd", base | CR_CR0_CD);
	cr0_owned_step("cd_nw", base | CR_CR0_CD | CR_CR0_NW);
	cr0_owned_step("ne_cd_nw", base | CR_CR0_NE | CR_CR0_CD | CR_CR0_NW);
	cr0_owned_step("none", base);
}

/* A write the processor refuses with #GP(0): the line shows the vector, its
 * error code, where RIP stood (offset 0: at the MOV) and the register
 * before and after. */
static void cr_refused(const char *what, unsigned cr, unsigned long value)
{
	unsigned long before = cr == 0 ? read_cr0() : cr == 3 ? read_cr3() : read_cr4();
	int vector = cr == 0 ? write_cr0_caught(value)
		   : cr == 3 ? write_cr3_caught(value) : write_cr4_caught(value);
	unsigned long after = cr == 0 ? read_cr0() : cr == 3 ? read_cr3() : read_cr4();
	if (vector == FAULT_NONE)
		printf("cr: refused mode=%s what=%s wrote=0x%lx fault=none before=0x%lx after=0x%lx\n",
		       CR_MODE, what, value, before, after);
	else
		printf("cr: refused mode=%s what=%s wrote=0x%lx fault=%d error=0x%lx rip_offset=%lu before=0x%lx after=0x%lx\n",
		       CR_MODE, what, value, vector, last_fault.error_code, last_fault.offset, before, after);
	/* A hypervisor that took the write anyway: put the register back. */
	if (after != before && cr == 0)
		write_cr0(before);
	else if (after != before && cr == 4)
		write_cr4(before & ~CR_CR4_VMXE);
}

static void cr_refused_common(void)
{
	unsigned long cr0 = read_cr0() & ~(CR_CR0_CD | CR_CR0_NW), cr4 = read_cr4();
	write_cr0(cr0);
	cr_refused("cr0_nw_without_cd", 0, cr0 | CR_CR0_NW);
	cr_refused("cr0_pg_without_pe", 0, (cr0 | CR0_PG) & ~CR0_PE);
	cr_refused("cr0_pg_without_pe_cd", 0, (cr0 | CR0_PG | CR_CR0_CD) & ~CR0_PE);
	cr_refused("cr4_reserved", 4, cr4 | CR_CR4_RESERVED15);
	cr_refused("cr4_vmxe", 4, cr4 | CR_CR4_VMXE);
	cr_refused("cr4_vmxe_reserved", 4, cr4 | CR_CR4_VMXE | CR_CR4_RESERVED15);
	printf("cr: vmxe mode=%s cr4=0x%lx visible=%lu\n", CR_MODE, read_cr4(),
	       (read_cr4() & CR_CR4_VMXE) ? 1ul : 0ul);
}

/* CLTS clears TS; LMSW writes only PE, MP, EM, TS and cannot clear PE; SMSW
 * stores CR0[15:0]. CR0 is back to base before anything is printed (EM/TS
 * would fault the next x87/SSE instruction). */
static void cr_msw(void)
{
	unsigned long base = read_cr0() & ~(CR_CR0_MP | CR_CR0_EM | CR_CR0_TS);
	write_cr0(base | CR_CR0_TS);
	unsigned long ts_set = read_cr0();
	__asm__ volatile("clts" ::: "memory");
	unsigned long after_clts = read_cr0();

	uint16_t msw = (uint16_t)(CR_CR0_MP | CR_CR0_EM | CR_CR0_TS);
	__asm__ volatile("lmsw %0" : : "r"(msw) : "memory");
	unsigned long lmsw_reg = read_cr0();
	uint16_t smsw_mem = 0;
	unsigned long smsw_reg = 0;
	__asm__ volatile("smsw %0" : "=m"(smsw_mem));
	__asm__ volatile("smsw %0" : "=r"(smsw_reg));
	static volatile uint16_t msw_mem;
	msw_mem = 0;   /* PE clear: LMSW cannot clear it */
	__asm__ volatile("lmsw %0" : : "m"(msw_mem) : "memory");
	unsigned long lmsw_mem_zero = read_cr0();
	msw = 0xfff0;  /* bits 15:4 are not LMSW's */
	__asm__ volatile("lmsw %0" : : "r"(msw) : "memory");
	unsigned long lmsw_high = read_cr0();
	write_cr0(base);
	printf("cr: clts mode=%s base=0x%lx ts_set=0x%lx after=0x%lx\n", CR_MODE, base, ts_set, after_clts);
	printf("cr: lmsw mode=%s base=0x%lx reg_mp_em_ts=0x%lx mem_zero=0x%lx reg_fff0=0x%lx\n",
	       CR_MODE, base, lmsw_reg, lmsw_mem_zero, lmsw_high);
	printf("cr: smsw mode=%s cr0=0x%lx mem=0x%x reg_low16=0x%lx\n", CR_MODE, lmsw_reg,
	       smsw_mem, smsw_reg & CR_CR0_MSW);
}

#endif
