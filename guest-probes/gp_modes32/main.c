/* gp_modes32: an ELF32 (EM_386) probe that never enters long mode. It shows
 * the loader takes ELF32 images and that Print walks the guest's paging
 * structures in each 32-bit mode (contract 5): paging off, 32-bit paging
 * with 4-KiB and 4-MiB (PSE) pages, then PAE paging with 4-KiB and 2-MiB
 * pages. In each mode it prints a buffer that crosses from one 4-KiB page
 * into another mapped to a lower, non-adjacent frame (decoys sit in the
 * adjacent frames), prints through a large page, and reports
 * `modes32: mode=<m> case=<name> rax=<result>` for a non-present entry at
 * each level, a page past guest RAM, E2BIG, and a buffer that wraps past
 * 4 GiB (EINVAL: the address width of a 32-bit mode is 32 bits) whose
 * pages are all present, and a buffer ending exactly at 4 GiB (its last
 * byte 0xffffffff: no overflow, so it prints). A not-present entry whose
 * other bits are those of a valid entry (the address of a table, or frame,
 * that maps a readable text; RW, US, A where the level has them) is still
 * not present (32-bit: PDE, PTE; PAE: PDPTE, PDE, PTE): the processor
 * ignores every other bit when P = 0 (SDM vol. 3A 4.3, 4.4.2, Tables 4-4 to
 * 4-11), so Print gives EFAULT; the same entry with P = 1 prints first,
 * showing the rest of it is valid. EFER is read at the end of each mode. */
#include "runtime.h"
#include "../shared/modes32_paging.h"

/* Entry bits besides P and RW (SDM vol. 3A Tables 4-4 to 4-6, 4-9 to 4-11):
 * user/supervisor, accessed, dirty (PTE only). PAE PDPTEs have none of them
 * (Table 4-8: bits 2:1 and 8:5 are reserved when P = 1). */
#define PTE_US (1u << 2)
#define PTE_A (1u << 5)
#define PTE_D (1u << 6)

#define GUEST_RAM_END 0x4000000u  /* default mem=64M (contract 1) */
#define PAST_RAM_GPA 0x80000000u  /* not RAM, no device window */
#define WRAP_GVA 0xffffff00u      /* 256 bytes below 4 GiB */
#define WRAP_SIZE 0x200u
#define VA_TOP_PAGE 0xfffff000u   /* the last 4-KiB page: its table's last entry */
#define VA_LAST_BYTE 0xffffffffu

/* Test addresses shared by both paging modes: VA_TEST's table (modes32_paging.h)
 * maps frame A, frame B, a hole, and a page past RAM. */
#define VA_FRAME_A (VA_TEST + 0x0000)
#define VA_FRAME_B (VA_TEST + 0x1000)
#define VA_NO_PTE (VA_TEST + 0x2000)
#define VA_PAST_RAM (VA_TEST + 0x3000)

/* 32-bit paging only. */
#define VA32_4M 0x80000000u       /* 4-MiB page at GPA 0 */
#define VA32_NO_PDE 0x50000000u

/* PAE only. */
#define VAPAE_NO_PDE 0x40200000u  /* PDPT[1] -> PD1[1], not present */
#define VAPAE_2M 0x40400000u      /* PD1[2]: 2-MiB page at GPA 0 */
#define VAPAE_NO_PDPTE 0x80000000u /* PDPT[2], not present */
#define VAPAE_2M_HIGH 0xc0000000u  /* PDPT[3] -> PD3[0]: 2-MiB page at GPA 0 */

/* p0 cases: VA_P0_PTE is VA_TEST's PT entry 4 in both modes. */
#define P0_PTE_INDEX 4u
#define VA_P0_PTE (VA_TEST + P0_PTE_INDEX * PAGE_SIZE_4K)
#define VA32_P0_PDE 0x54000000u   /* PDE 0x150 -> p0_pt32 */
#define VAPAE_P0_PDE 0x40600000u  /* PDPT[1] -> PD1[3] -> p0_pt_pae */
#define VAPAE_P0_PDPTE 0x80000000u /* PDPT[2] -> p0_pd_pae[0] -> p0_pt_pae */
#define P0_LEAK_OFFSET 0x800u     /* in p0_text: the text that must not print */

static struct modes32_paging paging;
/* The p0 cases' tables, each entry 0 present, and their text frame. */
static uint32_t p0_pt32[ENTRIES_PER_TABLE_32] __attribute__((aligned(4096)));
static uint64_t p0_pt_pae[ENTRIES_PER_TABLE_64] __attribute__((aligned(4096)));
static uint64_t p0_pd_pae[ENTRIES_PER_TABLE_64] __attribute__((aligned(4096)));
static uint8_t p0_text[PAGE_SIZE_4K] __attribute__((aligned(4096)));
static const char p0_present[] = "modes32: p0 walk while present\n";
static const char p0_leak[] = "modes32: NOTPRESENT-LEAKED\n";
/* PAE: PDPTE 3, the wrap test and a large page above 2 GiB. */
static uint64_t pae_pd3[ENTRIES_PER_TABLE_64] __attribute__((aligned(4096)));

/* The top linear page's frame (4-KiB PTEs in both modes); its text ends at
 * the page's last byte, so the Print ends exactly at 4 GiB. */
static uint8_t top_frame[PAGE_SIZE_4K] __attribute__((aligned(4096)));
static uint32_t top_pt32[ENTRIES_PER_TABLE_32] __attribute__((aligned(4096)));
static uint64_t top_pt_pae[ENTRIES_PER_TABLE_64] __attribute__((aligned(4096)));

static char big_buffer[2 * PAGE_SIZE_4K];
static const char big_page_text[] = "modes32: via large page\n";
static const char decoy[] = "second=WRONG-FRAME\n";
static const char second[] = "second=frameB\n";

static const char *mode_name;

static void report(const char *name, hc_result r)
{
	printf("modes32: mode=%s case=%s rax=%ld\n", mode_name, name, r);
}

/* Writes "modes32: mode=<m> cross first=frameA " to the end of frame A and
 * "second=frameB\n" to the start of frame B, decoys after each; returns
 * the offset of the text in frame A. */
static uint32_t prepare_cross_text(size_t *len)
{
	char first[64];
	size_t n = format(first, sizeof(first),
			  "modes32: mode=%s cross first=frameA ", mode_name);
	uint32_t off = PAGE_SIZE_4K - (uint32_t)n;
	memcpy(paging.frames[FRAME_A] + off, first, n);
	memcpy(paging.frames[FRAME_B], second, sizeof(second) - 1);
	memcpy(paging.frames[FRAME_AFTER_A], decoy, sizeof(decoy) - 1);
	memcpy(paging.frames[FRAME_AFTER_B], decoy, sizeof(decoy) - 1);
	*len = n + sizeof(second) - 1;
	return off;
}

/* Writes "modes32: mode=<m> top page end\n" so that its newline is the
 * top page's last byte, then Prints it ending exactly at 4 GiB: it does not
 * overflow the 32-bit address width (contract 5, HC_EINVAL), so it prints;
 * and the last byte alone. */
static void top_page_cases(void)
{
	char text[64];
	size_t n = format(text, sizeof(text), "modes32: mode=%s top page end\n",
			  mode_name);
	uint32_t off = PAGE_SIZE_4K - (uint32_t)n;
	memcpy(top_frame + off, text, n);
	report("top_end", hv_print_gva(VA_TOP_PAGE + off, n));
	report("last_byte", hv_print_gva(VA_LAST_BYTE, 1));
}

static void common_cases(uint32_t large_page_va)
{
	size_t len;
	uint32_t off = prepare_cross_text(&len);
	report("cross_page", hv_print_gva(VA_FRAME_A + off, len));
	report("large_page",
	       hv_print_gva(large_page_va + phys32(big_page_text),
			    sizeof(big_page_text) - 1));
	report("not_present_pte", hv_print_gva(VA_NO_PTE, 8));
	report("outside_ram", hv_print_gva(VA_PAST_RAM, 8));
	memset(big_buffer, 'E', sizeof(big_buffer));
	report("e2big", hv_print(big_buffer, HC_PRINT_MAX + 1));
	report("size_zero", hv_print(big_buffer, 0));
	report("einval_wrap", hv_print_gva(WRAP_GVA, WRAP_SIZE));
	top_page_cases();
}

/* Prints at va while the entry is present, then sets *entry to
 * not_present (the same entry with P clear and other bits added) and
 * reloads CR3 (PAE loads the PDPTEs there, 4.4.1; it also flushes the
 * TLB), then Prints the leak text: HC_EFAULT, nothing printed. */
static void p0_case32(const char *name, uint32_t va, volatile void *entry,
		      int wide, uint64_t not_present)
{
	printf("modes32: mode=%s case=%s_while_present rax=%ld\n", mode_name,
	       name, hv_print_gva(va, sizeof(p0_present) - 1));
	if (wide)
		*(volatile uint64_t *)entry = not_present;
	else
		*(volatile uint32_t *)entry = (uint32_t)not_present;
	write_cr3(read_cr3());
	report(name, hv_print_gva(va + P0_LEAK_OFFSET, sizeof(p0_leak) - 1));
}

static void prepare_p0_text(void)
{
	memcpy(p0_text, p0_present, sizeof(p0_present) - 1);
	memcpy(p0_text + P0_LEAK_OFFSET, p0_leak, sizeof(p0_leak) - 1);
}

static void print_efer(void)
{
	printf("modes32: mode=%s efer=0x%llx cr0=0x%lx cr4=0x%lx\n", mode_name,
	       (unsigned long long)rdmsr(MSR_IA32_EFER), read_cr0(),
	       read_cr4());
}

static void paging_off(void)
{
	mode_name = "off";
	report("hello", print_str("modes32: mode=off hello\n"));
	report("outside_ram", hv_print_gva(PAST_RAM_GPA, 8));
	memset(big_buffer, 'E', sizeof(big_buffer));
	report("e2big", hv_print(big_buffer, HC_PRINT_MAX + 1));
	print_efer();
}

static void build_paging32(void)
{
	modes32_build_paging32(&paging, GUEST_RAM_END);
	paging.pt32_test[3] = PAST_RAM_GPA | PTE_P | PTE_RW;
	paging.pd32[VA32_4M >> PDE_SHIFT_32] = 0 | PTE_P | PTE_RW | PTE_PS;
	/* The top page maps top_frame (so the wrap test's pages exist too). */
	top_pt32[ENTRIES_PER_TABLE_32 - 1] = phys32(top_frame) | PTE_P | PTE_RW;
	paging.pd32[VA_TOP_PAGE >> PDE_SHIFT_32] = phys32(top_pt32) | PTE_P | PTE_RW;
	/* p0 cases, present until p0_case32 clears P. */
	paging.pt32_test[P0_PTE_INDEX] = phys32(p0_text) | PTE_P | PTE_RW;
	p0_pt32[0] = phys32(p0_text) | PTE_P | PTE_RW;
	paging.pd32[VA32_P0_PDE >> PDE_SHIFT_32] = phys32(p0_pt32) | PTE_P | PTE_RW;
}

static void p0_cases32(void)
{
	uint32_t pte = phys32(p0_text) | PTE_RW | PTE_US | PTE_A | PTE_D;
	p0_case32("p0_pte", VA_P0_PTE, &paging.pt32_test[P0_PTE_INDEX], 0, pte);
	uint32_t pde = phys32(p0_pt32) | PTE_RW | PTE_US | PTE_A;
	p0_case32("p0_pde", VA32_P0_PDE,
		  &paging.pd32[VA32_P0_PDE >> PDE_SHIFT_32], 0, pde);
}

static void paging32(void)
{
	build_paging32();
	modes32_enable_paging32(&paging);
	mode_name = "pse32";
	common_cases(VA32_4M);
	report("not_present_pde", hv_print_gva(VA32_NO_PDE, 8));
	p0_cases32();
	print_efer();
}

static void build_pae(void)
{
	modes32_build_pae(&paging, GUEST_RAM_END);
	paging.pae_pt_test[3] = PAST_RAM_GPA | PTE_P | PTE_RW;
	paging.pae_pd1[(VAPAE_2M >> PDE_SHIFT_PAE) & 511] = 0 | PTE_P | PTE_RW | PTE_PS;
	top_pt_pae[ENTRIES_PER_TABLE_64 - 1] = phys32(top_frame) | PTE_P | PTE_RW;
	pae_pd3[511] = phys32(top_pt_pae) | PTE_P | PTE_RW; /* as above */
	pae_pd3[0] = 0 | PTE_P | PTE_RW | PTE_PS; /* a large page above 2 GiB */
	paging.pae_pdpt[WRAP_GVA >> PDPTE_SHIFT_PAE] = phys32(pae_pd3) | PTE_P;
	/* p0 cases, present until p0_case32 clears P; PDPT[2] stays 0 for
	 * not_present_pdpte until p0_cases_pae fills it. */
	paging.pae_pt_test[P0_PTE_INDEX] = phys32(p0_text) | PTE_P | PTE_RW;
	p0_pt_pae[0] = phys32(p0_text) | PTE_P | PTE_RW;
	p0_pd_pae[0] = phys32(p0_pt_pae) | PTE_P | PTE_RW;
	paging.pae_pd1[(VAPAE_P0_PDE >> PDE_SHIFT_PAE) & 511] =
		phys32(p0_pt_pae) | PTE_P | PTE_RW;
}

static void p0_cases_pae(void)
{
	uint64_t pte = phys32(p0_text) | PTE_RW | PTE_US | PTE_A | PTE_D;
	p0_case32("p0_pte", VA_P0_PTE, &paging.pae_pt_test[P0_PTE_INDEX], 1, pte);
	uint64_t pde = phys32(p0_pt_pae) | PTE_RW | PTE_US | PTE_A;
	p0_case32("p0_pde", VAPAE_P0_PDE,
		  &paging.pae_pd1[(VAPAE_P0_PDE >> PDE_SHIFT_PAE) & 511], 1, pde);
	/* A present PDPTE is its PD's address and P (Table 4-8): P cleared,
	 * the address stays. */
	volatile uint64_t *pdpte = &paging.pae_pdpt[VAPAE_P0_PDPTE >> PDPTE_SHIFT_PAE];
	*pdpte = phys32(p0_pd_pae) | PTE_P;
	write_cr3(read_cr3());
	p0_case32("p0_pdpte", VAPAE_P0_PDPTE, pdpte, 1, phys32(p0_pd_pae));
}

static void pae(void)
{
	build_pae();
	modes32_enable_pae(&paging);
	mode_name = "pae";
	common_cases(VAPAE_2M);
	report("not_present_pde", hv_print_gva(VAPAE_NO_PDE, 8));
	report("not_present_pdpte", hv_print_gva(VAPAE_NO_PDPTE, 8));
	p0_cases_pae();
	/* PDPT index 3 (linear bits 31:30): a walk that drops bit 31 would
	 * land in PD1, whose entry 0 is a 4-KiB table holding frame A. */
	report("large_page_high",
	       hv_print_gva(VAPAE_2M_HIGH + phys32(big_page_text),
			    sizeof(big_page_text) - 1));
	print_efer();
}

void probe_main(void)
{
	printf("modes32: start eax=0x%x\n", boot_eax);
	prepare_p0_text();
	paging_off();
	paging32();
	pae();
	printf("modes32: done\n");
}
