/* cr_modes32: an ELF32 probe that stays in 32-bit protected mode with
 * paging off (contract 13): CR0/CR4 at entry, MOV to and from CR0, CR3,
 * CR4 through each of the 8 general-purpose registers, the CR0 bits a
 * hypervisor may keep for itself (NE, NW, CD) read back as written, writes
 * the processor refuses (CR4 reserved bit, VMXE, NW without CD, PG without
 * PE) raise #GP(0) at the MOV and change nothing, CLTS, LMSW and SMSW,
 * LMSW through memory operands whose SS and DS bases differ
 * (lmsw_segments.c, lines `cr: lmsw_seg ...`).
 * Last, PAE paging: MOV to CR3 switches between two PDPTs that map one
 * address to different frames, and the load that turns paging on also sets
 * CD (a bit a hypervisor may keep): the PDPTEs in use are always those of
 * the CR3 just loaded (SDM 4.4.1). Lines `cr: ... mode=32 ...`
 * (shared/cr_checks.h). */
#include "boot_facts.h"
#define CR_MODE "32"
#define CR_GPR_COUNT 8
static const char *const cr_gpr_names[CR_GPR_COUNT] = {
	"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
};
#include "../shared/cr_checks.h"
#include "lmsw_segments.h"

/* PAE paging (SDM 4.4): PDPT entry 0 maps the first GiB with 2-MiB pages
 * (the probe runs there), entry 1 a page table whose first entry is the
 * frame that tells the PDPTs apart. */
#define PAE_VA_PROBE 0x40000000u
#define PAE_PDE_2M_COUNT 512u
static uint64_t pdpt_a[PAE_PDPTE_COUNT] __attribute__((aligned(32)));
static uint64_t pdpt_b[PAE_PDPTE_COUNT] __attribute__((aligned(32)));
static uint64_t pd_identity[PAE_PDE_2M_COUNT] __attribute__((aligned(4096)));
static uint64_t pd_a[PAE_PDE_2M_COUNT] __attribute__((aligned(4096)));
static uint64_t pd_b[PAE_PDE_2M_COUNT] __attribute__((aligned(4096)));
static uint64_t pt_a[PAE_PDE_2M_COUNT] __attribute__((aligned(4096)));
static uint64_t pt_b[PAE_PDE_2M_COUNT] __attribute__((aligned(4096)));
static volatile uint32_t frame_a[PAGE_SIZE_4K / 4] __attribute__((aligned(4096))) = { 0xaaaa };
static volatile uint32_t frame_b[PAGE_SIZE_4K / 4] __attribute__((aligned(4096))) = { 0xbbbb };

static void pae_pdpt(uint64_t *pdpt, uint64_t *pd, uint64_t *pt, volatile uint32_t *frame)
{
	pdpt[0] = (uintptr_t)pd_identity | PTE_P;
	pdpt[1] = (uintptr_t)pd | PTE_P;
	pd[0] = (uintptr_t)pt | PTE_P | PTE_RW;
	pt[0] = (uintptr_t)frame | PTE_P | PTE_RW;
}

static void pae_cr3_switch(void)
{
	for (unsigned i = 0; i < PAE_PDE_2M_COUNT; i++)
		pd_identity[i] = ((uint64_t)i << 21) | PTE_P | PTE_RW | PTE_PS;
	pae_pdpt(pdpt_a, pd_a, pt_a, frame_a);
	pae_pdpt(pdpt_b, pd_b, pt_b, frame_b);
	volatile uint32_t *probe = (volatile uint32_t *)PAE_VA_PROBE;
	unsigned long cr0 = read_cr0();
	write_cr4(read_cr4() | CR4_PAE);
	write_cr3((uintptr_t)pdpt_a);
	write_cr0(cr0 | CR0_PG | CR_CR0_CD);   /* paging on in a MOV that changes CD */
	uint32_t first = *probe;
	write_cr3((uintptr_t)pdpt_b);
	uint32_t second = *probe;
	write_cr3((uintptr_t)pdpt_a);
	uint32_t third = *probe;
	write_cr0(cr0);
	write_cr4(read_cr4() & ~CR4_PAE);
	printf("cr: pae_cr3 pdpt_a=0x%x pdpt_b=0x%x pdpt_a_again=0x%x\n", first, second, third);
}

/* LMSW with 16-bit addressing (an address-size prefix in 32-bit code):
 * the offset is BX's low 16 bits (SDM vol. 2A Table 2-1), so with EBX =
 * 0x17000 it reads the word at 0x7000, not the one at 0x17000. Paging is
 * off here; both words are put back. */
#define ADDR16_LOW  0x7000ul
#define ADDR16_WRAP 0x10000ul

static void lmsw_addr16(void)
{
	volatile uint16_t *low = (volatile uint16_t *)ADDR16_LOW;
	volatile uint16_t *high = (volatile uint16_t *)(ADDR16_LOW + ADDR16_WRAP);
	uint16_t saved_low = *low, saved_high = *high;
	unsigned long base = read_cr0() & ~(CR_CR0_MP | CR_CR0_EM | CR_CR0_TS);
	write_cr0(base);
	*low = (uint16_t)(CR_CR0_MP | CR_CR0_TS);
	*high = (uint16_t)CR_CR0_EM;
	__asm__ volatile("lmsw (%%bx)" : : "b"(ADDR16_LOW + ADDR16_WRAP) : "memory");
	unsigned long loaded = read_cr0();
	write_cr0(base);
	*low = saved_low;
	*high = saved_high;
	printf("cr: lmsw_addr16 mode=32 base=0x%lx loaded=0x%lx\n", base, loaded);
}

/* LMSW with a 16-bit absolute operand (67 0F 01 /6, mod 00 rm 110:
 * [disp16], SDM vol. 2A Table 2-1): the word at 0x9090 holds MP and TS, the
 * one at 0 holds EM. The displacement bytes 90 90 are NOPs, so a
 * hypervisor that misreads the length still runs on; it then shows in the
 * word it loaded. */
#define DISP16_OPERAND 0x9090ul

static void lmsw_disp16(void)
{
	volatile uint16_t *operand = (volatile uint16_t *)DISP16_OPERAND;
	uint16_t saved_operand = *operand, saved_zero, em = (uint16_t)CR_CR0_EM;
	/* offset 0 through asm: a C pointer 0 is the null pointer */
	__asm__ volatile("movw 0, %0" : "=r"(saved_zero));
	__asm__ volatile("movw %0, 0" : : "r"(em) : "memory");
	unsigned long base = read_cr0() & ~(CR_CR0_MP | CR_CR0_EM | CR_CR0_TS);
	write_cr0(base);
	*operand = (uint16_t)(CR_CR0_MP | CR_CR0_TS);
	unsigned long after = 0;
	/* addr16 lmsw 0x9090, then a marker the next instruction sets */
	__asm__ volatile(".byte 0x67, 0x0f, 0x01, 0x36, 0x90, 0x90\n\tmovl $1, %0"
			 : "=r"(after) : : "memory");
	unsigned long loaded = read_cr0();
	write_cr0(base);
	*operand = saved_operand;
	__asm__ volatile("movw %0, 0" : : "r"(saved_zero) : "memory");
	printf("cr: lmsw_disp16 mode=32 base=0x%lx loaded=0x%lx next=%lu\n", base, loaded, after);
}

void probe_main(void)
{
	printf("cr: start mode=32 cr0=0x%x cr4=0x%x\n", boot_cr0, boot_cr4);
	cr_every_register();
	cr0_owned_bits();
	cr_refused_common();
	cr_msw();
	lmsw_addr16();
	lmsw_disp16();
	lmsw_segments();
	pae_cr3_switch();
}
