/* cr_regs: CR0, CR3, CR4 and CR8 as a 64-bit guest sees them (contract 13):
 * CR0/CR4 at entry, MOV to and from CR0, CR3, CR4 through each of the 16
 * general-purpose registers, the CR0 bits a hypervisor may keep for
 * itself (NE, NW, CD) read back as written, writes the processor refuses
 * (reserved bits, NW without CD, PG without PE, VMXE, bits 63:32, PAE off in
 * long mode) raise #GP(0) at the MOV and change nothing, the CR4 bits of
 * features CPUID announces (cr4_features.h), CR4.VMXE never
 * visible, CLTS, LMSW and SMSW, LMSW from an unmapped address (#PF), LMSW
 * through SIB, ModRM, RIP-relative and 32-bit-address operands
 * (lmsw_mem.c), MOV
 * to and from CR8 through all 16 registers and a reserved CR8 bit. With `apic=1` on its command line (the
 * hypervisor started with apic=x2apic) also CR8 against the x2APIC TPR
 * (SDM 11.8.6.1: CR8[3:0] = TPR[7:4]). Lines `cr: ...`
 * (shared/cr_checks.h). */
#include "boot_facts.h"
#include "cmdline.h"
#define CR_MODE "64"
#define CR_GPR_COUNT 16
static const char *const cr_gpr_names[CR_GPR_COUNT] = {
	"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};
#include "../shared/cr_checks.h"
#include "cr4_features.h"
#include "lmsw_mem.h"

#define CR_HIGH_BIT CRB(32)        /* CR0[63:32], CR4[63:32] are reserved (2.5) */
#define CR3_BEYOND_PHYS CRB(62)    /* above every MAXPHYADDR (at most 52, 4.1.4) */
#define CR8_RESERVED CRB(4)        /* CR8[63:4] reserved (2.5) */
#define MSR_X2APIC_TPR 0x808u      /* SDM 11.12.1.2, Table 11-6 */

extern const cr_via_fn cr8_via[];
#define GPR_INDEX_RAX 0

static int write_cr8_caught(unsigned long value)
{
	fault_reset();
	__asm__ volatile("1: mov %0, %%cr8\n2:\n\t" FIXUP_ENTRY(1b, 2b, 2b)
			 : : "r"(value) : "memory");
	return last_fault.vector;
}

static void cr_refused_long_mode(void)
{
	unsigned long cr0 = read_cr0(), cr3 = read_cr3(), cr4 = read_cr4();
	cr_refused("cr0_high_bit", 0, cr0 | CR_HIGH_BIT);
	cr_refused("cr0_high_bit_cd", 0, cr0 | CR_HIGH_BIT | CR_CR0_CD);
	cr_refused("cr0_pg_clear", 0, cr0 & ~CR0_PG);
	cr_refused("cr4_high_bit", 4, cr4 | CR_HIGH_BIT);
	cr_refused("cr4_pae_clear", 4, cr4 & ~CR4_PAE);
	cr_refused("cr3_beyond_phys", 3, cr3 | CR3_BEYOND_PHYS);
}

static void cr8(void)
{
	unsigned long initial;
	__asm__ volatile("mov %%cr8, %0" : "=r"(initial));
	unsigned long via[CR_GPR_COUNT];
	for (unsigned r = 0; r < CR_GPR_COUNT; r++)
		via[r] = cr8_via[r](r & 0xf);
	cr8_via[0](0);
	int vector = write_cr8_caught(CR8_RESERVED | 1);
	unsigned long after;
	__asm__ volatile("mov %%cr8, %0" : "=r"(after));
	printf("cr: cr8 initial=0x%lx", initial);
	for (unsigned r = 0; r < CR_GPR_COUNT; r++)
		printf(" %s=0x%lx", cr_gpr_names[r], via[r]);
	if (vector == FAULT_NONE)
		printf("\ncr: cr8 reserved fault=none after=0x%lx\n", after);
	else
		printf("\ncr: cr8 reserved fault=%d error=0x%lx rip_offset=%lu after=0x%lx\n",
		       vector, last_fault.error_code, last_fault.offset, after);
}

static void cr8_tpr(void)
{
	unsigned long cr8_5 = cr8_via[GPR_INDEX_RAX](5);
	uint64_t tpr_after_cr8 = rdmsr(MSR_X2APIC_TPR);
	wrmsr(MSR_X2APIC_TPR, 0x9c);
	unsigned long cr8_after_tpr;
	__asm__ volatile("mov %%cr8, %0" : "=r"(cr8_after_tpr));
	cr8_via[GPR_INDEX_RAX](0);
	printf("cr: cr8_tpr cr8_write=0x5 cr8_read=0x%lx tpr=0x%llx tpr_write=0x9c cr8=0x%lx tpr_after_zero=0x%llx\n",
	       cr8_5, (unsigned long long)tpr_after_cr8, cr8_after_tpr,
	       (unsigned long long)rdmsr(MSR_X2APIC_TPR));
}

/* 5 GiB: above the runtime's 4-GiB identity map (entry64.S), so its
 * PDPT entry is not present and a read there is a #PF with error code 0
 * (SDM vol. 3A 4.7: not present, read, supervisor). */
#define UNMAPPED_LINEAR 0x140000000ul

/* LMSW whose memory operand does not translate: the #PF the processor
 * raises (RIP on the LMSW, CR2 the operand's address), CR0 unchanged,
 * whether or not the hypervisor intercepts LMSW. */
static void lmsw_unmapped(void)
{
	unsigned long before = read_cr0(), cr2;
	fault_reset();
	__asm__ volatile("1: lmsw (%0)\n2:\n\t" FIXUP_ENTRY(1b, 2b, 2b) : : "r"(UNMAPPED_LINEAR) : "memory");
	__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
	printf("cr: lmsw_unmapped vector=%d error=0x%lx at_lmsw=%u cr0_same=%u\n",
	       last_fault.vector, last_fault.error_code,
	       last_fault.vector != FAULT_NONE && last_fault.offset == 0, read_cr0() == before);
	printf("cr: lmsw_unmapped cr2=0x%lx\n", cr2);
}

void probe_main(void)
{
	printf("cr: start mode=64 cr0=0x%x cr4=0x%x\n", boot_cr0, boot_cr4);
	cr_every_register();
	cr0_owned_bits();
	cr_refused_common();
	cr_refused_long_mode();
	cr4_feature_bits();
	printf("cr: vmxe mode=64 after_all cr4=0x%lx\n", read_cr4());
	cr_msw();
	lmsw_unmapped();
	lmsw_mem();
	cr8();
	uint64_t apic = 0;
	if (cmdline_u64(boot_cmdline(), "apic", &apic) && apic)
		cr8_tpr();
}
