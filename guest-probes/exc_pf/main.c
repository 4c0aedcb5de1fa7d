/* exc_pf: guest exceptions as the guest's own handler sees them (contract
 * section 12), run with and without the hypervisor option intercept=pf.
 * The probe installs its own entries for #PF, #DF, #GP and #UD (stubs.S)
 * that record the whole frame and CR2, and prints, for each fault, the
 * vector, error code, CR2, and the pushed RIP, CS, RFLAGS, RSP and SS
 * against what the processor must push (SDM vol. 3A 4.7, 6.14):
 *   default mode: a #PF from a read, a write, a write to a read-only page
 *     (CR0.WP), a fetch from an execute-disable page, a fetch from an
 *     absent page, a reserved PTE bit; in ring 3 (its own GDT and TSS) a
 *     read and a write of an absent page and a read of a supervisor page;
 *     demand paging (the handler maps the
 *     page and the instruction completes); 64 repaired #PFs with IF=0;
 *     the #GP and #UD the hypervisor injects (unknown MSR, reserved EFER
 *     bit, string I/O into an absent page, UD2).
 *   mode=double-fault: the #PF gate lies on an absent page, so delivering
 *     the #PF faults again: #DF, error code 0, CR2 the gate's address.
 *   mode=contributory: the #GP gate lies on an absent page: the #PF its
 *     delivery raises is delivered (not #DF); the handler maps the page and
 *     the RDMSR then raises its #GP normally.
 *   mode=triple-fault: the #PF and #DF gates lie on an absent page: the
 *     VM ends with `triple fault rip=`.
 *   mode=timer (with apic=x2apic): a timer interrupt pending while the
 *     instruction in an STI shadow page-faults (timer_during_pf).
 *   mode=user-hypercall: the Print hypercall made from ring 3 (contract
 *     {#hc.abi.any-cpl}): a line of the probe's own memory, then an
 *     absent page (HC_EFAULT), each result and the #UD after it reported.
 *   mode=softint: INT 0x30, INT3 and INT1 whose frame lands on a fresh page
 *     (the stack, then an IST1 stack): the frame against the processor's.
 * Lines: `exc: <what> ...`. */
#include "runtime.h"
#include "cmdline.h"
#include "paging64.h"

/* What the entries of stubs.S record (offsets fixed there). */
struct seen {
	uint64_t vector, error, rip, cs, rflags, rsp, ss, cr2, count;
	uint64_t resume, fix_pte, fix_value, site_rsp;
	uint64_t first_vector, first_error, first_rip, first_cr2;   /* the first since seen_reset */
	uint64_t kernel_rsp, to_kernel;   /* exc_site_user: where a ring-3 fault resumes */
};
extern volatile struct seen exc_seen;
volatile struct seen exc_seen;

#define SITE_FLAGS      0x8c7ull         /* stubs.S: CF, bit 1, PF, ZF, SF, OF */
/* Resume flag (vol. 3A 18.3.1.1): engines differ on it in fault frames
 * (spec/events-design.md, "Exceptions"), so it is left out of RFLAGS. */
#define RFLAGS_RF       (1ul << 16)
#define PTE_XD          (1ull << 63)     /* execute-disable (4.5, Table 4-19) */
#define PTE_RSVD_BIT51  (1ull << 51)     /* reserved below MAXPHYADDR 52 (4.5) */
#define PFEC_P          0x1u             /* #PF error code bits (4.7, Figure 4-12) */
#define PFEC_W          0x2u
#define PFEC_RSVD       0x8u
#define PFEC_ID         0x10u
#define MSR_UNKNOWN     0x12345678u      /* an MSR the contract does not emulate (section 8) */
#define PORT_UNKNOWN    0x80u            /* a port the contract lists nowhere (section 6) */
#define GATE_BYTES      16u              /* 64-bit IDT gate (6.14.1) */
#define GATE_INTERRUPT64 0x8Eu           /* present, DPL 0, 64-bit interrupt gate */
#define IF0_ROUNDS      64

/* Test mappings (PML4 slot 1): one page per test, the split IDT's two pages. */
#define VA_TEST(n)      (PROBE_MAP_BASE + (uint64_t)(n) * PAGE_SIZE_4K)
#define VA_IDT          (PROBE_MAP_BASE + 0x100000)

extern const char exc_entry_pf[], exc_entry_df[], exc_entry_gp[], exc_entry_ud[], exc_entry_timer[],
	exc_entry_soft[], exc_entry_soft_ist[], exc_entry_bp[], exc_entry_db[];
uint64_t exc_site_sti_read(uint64_t va);
extern const char exc_site_sti_read_insn[];
/* What the timer entry records (stubs.S). */
struct timer_seen {
	uint64_t count, rip, faults_before, rflags;
};
extern volatile struct timer_seen exc_timer;
volatile struct timer_seen exc_timer;
uint64_t exc_site_read(uint64_t va);
void exc_site_write(uint64_t va, uint64_t value);
uint64_t exc_site_call(uint64_t va);
uint64_t exc_site_rdmsr(uint32_t msr);
void exc_site_wrmsr(uint32_t msr, uint64_t value);
void exc_site_ud2(void);
void exc_site_insb(uint64_t va, uint16_t port);
void exc_site_user(uint64_t va, uint64_t user_stack_top, int write);
extern const char exc_site_user_read_insn[], exc_site_user_write_insn[];
uint64_t exc_site_user_print(uint64_t gva, uint64_t size, uint64_t user_stack_top);
extern const char exc_site_user_print_insn[];
extern const char exc_site_read_insn[], exc_site_write_insn[], exc_site_call_insn[],
	exc_site_rdmsr_insn[], exc_site_wrmsr_insn[], exc_site_ud2_insn[], exc_site_insb_insn[];
uint64_t exc_site_ud_vmcall_tail(uint64_t rax);
extern const char exc_site_ud_vmcall_tail_insn[];

static uint8_t frames[4][PAGE_SIZE_4K] __attribute__((aligned(PAGE_SIZE_4K)));
static uint8_t idt_area[2][PAGE_SIZE_4K] __attribute__((aligned(PAGE_SIZE_4K)));

struct gate64 {
	uint16_t offset_low, selector;
	uint8_t ist, type_attr;
	uint16_t offset_mid;
	uint32_t offset_high, reserved;
};

static struct gate64 gate(const void *entry)
{
	uint64_t a = (uint64_t)entry;
	return (struct gate64){ (uint16_t)a, RUNTIME_CODE_SELECTOR, 0, GATE_INTERRUPT64,
				(uint16_t)(a >> 16), (uint32_t)(a >> 32), 0 };
}

/* The 32 exception gates, mode=softint's two and the timer's (mode=timer);
 * the others absent. */
#define SOFT_VECTOR     0x30u            /* stubs.S: INT 0x30 */
#define SOFT_IST_VECTOR 0x31u            /* stubs.S: INT 0x31, through IST1 */
#define SOFT_IST_INDEX  1u               /* gate's IST field (6.14.5) */
#define VEC_DB          1u               /* debug exception, INT1's vector (6.3.1) */
#define TIMER_VECTOR    0x40u
#define IDT_GATES       (TIMER_VECTOR + 1)
static struct gate64 own_idt[IDT_GATES] __attribute__((aligned(16)));

/* Writes the 32 exception gates (the runtime's, with the probe's four
 * entries) to table and loads it as the IDT at linear address base. The
 * runtime's gates come from own_idt once it holds them: the IDT loaded
 * then may lie on an absent page. */
static void idt_load_at(struct gate64 *table, uint64_t base)
{
	static bool copied;
	if (!copied) {
		struct descriptor_table_register old;
		__asm__ volatile("sidt %0" : "=m"(old));
		memcpy(own_idt, (const void *)old.base, EXCEPTION_VECTORS * sizeof *own_idt);
		copied = true;
	}
	if (table != own_idt)
		memcpy(table, own_idt, sizeof own_idt);
	table[VEC_PF] = gate(exc_entry_pf);
	table[VEC_DF] = gate(exc_entry_df);
	table[VEC_GP] = gate(exc_entry_gp);
	table[VEC_UD] = gate(exc_entry_ud);
	table[TIMER_VECTOR] = gate(exc_entry_timer);
	table[SOFT_VECTOR] = gate(exc_entry_soft);
	table[SOFT_IST_VECTOR] = gate(exc_entry_soft_ist);
	table[SOFT_IST_VECTOR].ist = SOFT_IST_INDEX;
	table[VEC_BP] = gate(exc_entry_bp);
	table[VEC_DB] = gate(exc_entry_db);
	struct descriptor_table_register r = { IDT_GATES * GATE_BYTES - 1, base };
	load_idt(&r);
}

static void set_pte(uint64_t va, uint64_t value)
{
	set_pt_entry(va, PT_LEVEL_PTE, value);
}

static uint64_t frame_pa(unsigned n)
{
	return (uint64_t)(uintptr_t)frames[n];
}

static void seen_reset(void)
{
	exc_seen.count = 0;
	exc_seen.vector = exc_seen.error = exc_seen.rip = exc_seen.cr2 = ~0ull;
	exc_seen.fix_pte = 0;
}

/* The frame against the site: offsets 0 when the processor's rules hold.
 * CR2 goes to its own line (cr2_line), kept apart from the frame. */
static char cr2_text[256];
static size_t cr2_used;

static void report(const char *what, const char *site, long rsp_delta, bool with_cr2, uint64_t cr2)
{
	if (with_cr2)
		cr2_used += format(cr2_text + cr2_used, sizeof cr2_text - cr2_used, " %s=%ld", what + 3,
				   (long)(exc_seen.cr2 - cr2));
	/* Said in words: the vector of no exception would print as 2^64 - 1. */
	if (!exc_seen.count) {
		printf("exc: %s no exception reached the guest's handler (faults=0)\n", what);
		return;
	}
	printf("exc: %s vector=%lu error=0x%lx rip_offset=%ld cs=0x%lx rflags=0x%lx rsp_offset=%ld ss=0x%lx faults=%lu\n",
	       what, exc_seen.vector, exc_seen.error,
	       (long)(exc_seen.rip - (uint64_t)(uintptr_t)site), exc_seen.cs,
	       exc_seen.rflags & ~RFLAGS_RF,
	       (long)(exc_seen.rsp - (exc_seen.site_rsp + (uint64_t)rsp_delta)), exc_seen.ss,
	       exc_seen.count);
}

/* Each access kind against a page set up to fault, resumed after it. */
static void access_kinds(void)
{
	uint64_t va = VA_TEST(0);
	seen_reset();
	set_pte(va, 0);
	exc_site_read(va + 0x18);
	report("pf_read", exc_site_read_insn, 0, true, va + 0x18);

	seen_reset();
	exc_site_write(va + 0x20, 1);
	report("pf_write", exc_site_write_insn, 0, true, va + 0x20);

	seen_reset();
	write_cr0(read_cr0() | CR0_WP);
	set_pte(va, frame_pa(0) | PTE_P);
	exc_site_write(va + 0x28, 1);
	report("pf_write_readonly", exc_site_write_insn, 0, true, va + 0x28);

	/* Fetches: NXE on, so the error code's I/D bit is defined (4.7). */
	wrmsr(MSR_IA32_EFER, rdmsr(MSR_IA32_EFER) | EFER_NXE);
	frames[0][0x40] = 0xC3;   /* RET, should the fetch wrongly succeed */
	seen_reset();
	set_pte(va, frame_pa(0) | PTE_P | PTE_RW | PTE_XD);
	exc_site_call(va + 0x40);
	report("pf_fetch_nx", (const char *)(uintptr_t)(va + 0x40), -8, true, va + 0x40);

	seen_reset();
	set_pte(va, 0);
	exc_site_call(va + 0x40);
	report("pf_fetch_absent", (const char *)(uintptr_t)(va + 0x40), -8, true, va + 0x40);

	seen_reset();
	set_pte(va, frame_pa(0) | PTE_P | PTE_RW | PTE_RSVD_BIT51);
	exc_site_read(va + 0x30);
	report("pf_reserved_bit", exc_site_read_insn, 0, true, va + 0x30);
	set_pte(va, 0);
	printf("exc: cr2_offsets%s\n", cr2_text);
}

/* Ring 3 (the U/S bit of the error code): a GDT with ring-3 segments and
 * a 64-bit TSS whose RSP0 the processor switches to (vol. 3A 6.14.5,
 * 7.7); the user bit (4.5) on every level mapping the probe's first 2 MiB
 * (code and user stack) and the test pages. */
#define PTE_US          (1ull << 2)
#define SEG_USER_DATA   0x00cff2000000ffffull   /* G, B, P, DPL 3, read/write */
#define SEG_USER_CODE64 0x00affa000000ffffull   /* G, L, P, DPL 3, execute/read */
#define TSS64_TYPE      0x89ull                 /* present, 64-bit TSS available (Table 3-2) */
#define GDT_USER_DATA   4
#define GDT_USER_CODE   5
#define GDT_TSS         6                       /* 16 bytes: entries 6 and 7 */
#define TSS_SELECTOR    (GDT_TSS * 8)
#define IDENTITY_USER_LIMIT PAGE_SIZE_2M

struct __attribute__((packed)) tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1, ist[7], reserved2;
	uint16_t reserved3, iomap_base;
};
static struct tss64 tss;
static uint64_t gdt[8] __attribute__((aligned(16)));
static uint8_t kernel_stack[PAGE_SIZE_4K] __attribute__((aligned(16)));
static uint8_t user_stack[PAGE_SIZE_4K] __attribute__((aligned(16)));

static void user_bits(uint64_t va, enum pt_level lowest)
{
	for (int level = PT_LEVEL_PML4E; level >= (int)lowest; level--)
		*pt_entry(va, (enum pt_level)level) |= PTE_US;
}

static void user_mode_init(void)
{
	struct descriptor_table_register old;
	__asm__ volatile("sgdt %0" : "=m"(old));
	memcpy(gdt, (const void *)old.base, 4 * sizeof gdt[0]);
	gdt[GDT_USER_DATA] = SEG_USER_DATA;
	gdt[GDT_USER_CODE] = SEG_USER_CODE64;
	uint64_t base = (uint64_t)(uintptr_t)&tss, limit = sizeof tss - 1;
	gdt[GDT_TSS] = (limit & 0xFFFF) | (base & 0xFFFFFF) << 16 | TSS64_TYPE << 40 |
		       ((limit >> 16) & 0xF) << 48 | ((base >> 24) & 0xFF) << 56;
	gdt[GDT_TSS + 1] = base >> 32;
	tss.rsp[0] = (uint64_t)(uintptr_t)(kernel_stack + sizeof kernel_stack);
	tss.iomap_base = sizeof tss;
	struct descriptor_table_register r = { sizeof gdt - 1, (unsigned long)gdt };
	load_gdt(&r);
	__asm__ volatile("ltr %w0" : : "r"(TSS_SELECTOR));
	if ((uint64_t)(uintptr_t)(user_stack + sizeof user_stack) > IDENTITY_USER_LIMIT)
		probe_error("user stack above the first 2 MiB");
	user_bits((uint64_t)(uintptr_t)exc_site_user_read_insn, PT_LEVEL_PDE);
	user_bits(VA_TEST(4), PT_LEVEL_PDE);
	write_cr3(read_cr3());
}

static void user_kinds(void)
{
	user_mode_init();
	uint64_t va = VA_TEST(4), top = (uint64_t)(uintptr_t)(user_stack + sizeof user_stack);
	seen_reset();
	set_pte(va, 0);
	exc_site_user(va + 0x10, top, 0);
	report("pf_user_read", exc_site_user_read_insn, 0, true, va + 0x10);
	seen_reset();
	exc_site_user(va + 0x18, top, 1);
	report("pf_user_write", exc_site_user_write_insn, 0, true, va + 0x18);
	seen_reset();
	set_pte(va, frame_pa(3) | PTE_P | PTE_RW);   /* present, supervisor only */
	exc_site_user(va + 0x20, top, 0);
	report("pf_user_supervisor_page", exc_site_user_read_insn, 0, true, va + 0x20);
	set_pte(va, 0);
	printf("exc: user_cr2_offsets%s\n", cr2_text);
}

/* mode=user-hypercall: Print from ring 3, of a buffer in the probe's
 * user-accessible first 2 MiB and of an absent page. The UD2 after the
 * VMCALL brings the probe back to ring 0: the #UD it reports (RIP 3 bytes
 * past the VMCALL, CS the ring-3 selector) shows the hypercall returned
 * to ring 3 past its instruction. */
#define USER_PRINT_ABSENT_OFFSET 0x30

static void user_hypercall(void)
{
	static const char line[] = "exc_pf: printed from ring 3\n";
	user_mode_init();
	uint64_t va = VA_TEST(4), top = (uint64_t)(uintptr_t)(user_stack + sizeof user_stack);
	seen_reset();
	long printed = (long)exc_site_user_print((uint64_t)(uintptr_t)line, sizeof line - 1, top);
	printf("exc: user_print result=%ld size=%lu\n", printed, (unsigned long)(sizeof line - 1));
	report("user_print_ud", exc_site_user_print_insn + VMCALL_LENGTH, 0, false, 0);
	seen_reset();
	set_pte(va, 0);
	long absent = (long)exc_site_user_print(va + USER_PRINT_ABSENT_OFFSET, 16, top);
	printf("exc: user_print_absent result=%ld\n", absent);
	report("user_print_absent_ud", exc_site_user_print_insn + VMCALL_LENGTH, 0, false, 0);
}

/* Demand paging: the handler maps the page and returns to the faulting
 * instruction, which then completes. */
static void demand_paging(void)
{
	uint64_t va = VA_TEST(1);
	volatile uint64_t *pte = pt_entry(va, PT_LEVEL_PTE);
	uint64_t *data = (uint64_t *)(void *)frames[1];
	data[3] = 0x1122334455667788ull;

	seen_reset();
	set_pte(va, 0);
	exc_seen.fix_pte = (uint64_t)(uintptr_t)pte;
	exc_seen.fix_value = frame_pa(1) | PTE_P | PTE_RW;
	uint64_t got = exc_site_read(va + 0x18);
	printf("exc: demand_read value=0x%lx error=0x%lx rip_offset=%ld faults=%lu\n", got,
	       exc_seen.error, (long)(exc_seen.rip - (uint64_t)(uintptr_t)exc_site_read_insn), exc_seen.count);

	seen_reset();
	set_pte(va, frame_pa(1) | PTE_P);
	exc_seen.fix_pte = (uint64_t)(uintptr_t)pte;
	exc_seen.fix_value = frame_pa(1) | PTE_P | PTE_RW;
	exc_site_write(va + 0x20, 0x5a5a);
	printf("exc: demand_write stored=0x%lx error=0x%lx faults=%lu\n", data[4], exc_seen.error,
	       exc_seen.count);

	static const uint8_t code[] = { 0xB8, 0x5A, 0x00, 0x00, 0x00, 0xC3 };   /* mov $0x5a, %eax; ret */
	memcpy(frames[1] + 0x100, code, sizeof code);
	seen_reset();
	set_pte(va, 0);
	exc_seen.fix_pte = (uint64_t)(uintptr_t)pte;
	exc_seen.fix_value = frame_pa(1) | PTE_P | PTE_RW;
	got = exc_site_call(va + 0x100);
	printf("exc: demand_fetch returned=0x%lx error=0x%lx faults=%lu\n", got, exc_seen.error,
	       exc_seen.count);
	set_pte(va, 0);
}

/* Many repaired #PFs while RFLAGS.IF = 0: every frame shows IF = 0 and
 * the flags come back unchanged. */
static void if0_section(void)
{
	uint64_t va = VA_TEST(2);
	volatile uint64_t *pte = pt_entry(va, PT_LEVEL_PTE);
	uint64_t *data = (uint64_t *)(void *)frames[2];
	unsigned good = 0, frames_if = 0;
	__asm__ volatile("cli");
	for (unsigned i = 0; i < IF0_ROUNDS; i++) {
		data[i] = i * 0x101ull;
		set_pte(va, 0);
		exc_seen.count = 0;
		exc_seen.fix_pte = (uint64_t)(uintptr_t)pte;
		exc_seen.fix_value = frame_pa(2) | PTE_P | PTE_RW;
		if (exc_site_read(va + i * 8) == i * 0x101ull && exc_seen.count == 1 &&
		    exc_seen.rflags == (SITE_FLAGS | (exc_seen.rflags & RFLAGS_RF)))
			good++;
		frames_if |= exc_seen.rflags & EFLAGS_IF ? 1 : 0;
	}
	printf("exc: if0 rounds=%u good=%u if_in_frames=%u if_after=%lu\n", IF0_ROUNDS, good,
	       frames_if, (read_flags() & EFLAGS_IF) ? 1ul : 0ul);
	set_pte(va, 0);
}

/* The exceptions the hypervisor itself injects (contract sections 5, 6, 8). */
static void injected(void)
{
	seen_reset();
	exc_site_rdmsr(MSR_UNKNOWN);
	report("gp_rdmsr", exc_site_rdmsr_insn, 0, false, 0);

	seen_reset();
	exc_site_wrmsr(MSR_IA32_EFER, rdmsr(MSR_IA32_EFER) | EFER_RESERVED_BIT1);
	report("gp_wrmsr_efer", exc_site_wrmsr_insn, 0, false, 0);

	seen_reset();
	set_pte(VA_TEST(3), 0);
	exc_site_insb(VA_TEST(3), PORT_UNKNOWN);
	report("gp_insb_absent", exc_site_insb_insn, 0, false, 0);

	seen_reset();
	exc_site_ud2();
	report("ud_ud2", exc_site_ud2_insn, 0, false, 0);
}

/* An invalid opcode followed by VMCALL's last two bytes (06 01 C1) is no
 * hypercall: #UD at the 06, RAX as it was (contract {#hc.abi.other-ud}). */
#define VMCALL_TAIL_RAX 0x0123456789abcdefull   /* no hypercall number (contract 5) */
static void vmcall_tail(void)
{
	seen_reset();
	uint64_t rax = exc_site_ud_vmcall_tail(VMCALL_TAIL_RAX);
	report("ud_vmcall_tail", exc_site_ud_vmcall_tail_insn, 0, false, 0);
	printf("exc: ud_vmcall_tail rax=0x%llx\n", (unsigned long long)rax);
}

/* The split IDT: gates [0, first_absent) on the first page, the rest on
 * the second; absent_page (0 or 1) is then made not present. */
static uint64_t split_idt(unsigned first_absent, unsigned absent_page)
{
	map_page_4k(VA_IDT, (uint64_t)(uintptr_t)idt_area[0]);
	map_page_4k(VA_IDT + PAGE_SIZE_4K, (uint64_t)(uintptr_t)idt_area[1]);
	uint64_t base = VA_IDT + PAGE_SIZE_4K - first_absent * GATE_BYTES;
	idt_load_at((struct gate64 *)(uintptr_t)base, base);
	set_pte(VA_IDT + absent_page * PAGE_SIZE_4K, 0);
	return base;
}

static void restore_idt(void)
{
	idt_load_at(own_idt, (uint64_t)(uintptr_t)own_idt);
}

static void double_fault(void)
{
	uint64_t base = split_idt(VEC_PF, 1);
	uint64_t va = VA_TEST(0);
	set_pte(va, 0);
	seen_reset();
	exc_site_read(va + 0x10);
	restore_idt();
	/* The #DF frame's CS:RIP are undefined (6.15, Interrupt 8): not shown. */
	printf("exc: double_fault vector=%lu error=0x%lx rflags=0x%lx rsp_offset=%ld ss=0x%lx faults=%lu\n",
	       exc_seen.vector, exc_seen.error, exc_seen.rflags & ~RFLAGS_RF,
	       (long)(exc_seen.rsp - exc_seen.site_rsp), exc_seen.ss, exc_seen.count);
	printf("exc: double_fault cr2_is_pf_gate=%d\n", exc_seen.cr2 == base + VEC_PF * GATE_BYTES);
}

static void contributory(void)
{
	uint64_t base = split_idt(VEC_PF, 0);
	seen_reset();
	exc_seen.fix_pte = (uint64_t)(uintptr_t)pt_entry(VA_IDT, PT_LEVEL_PTE);
	exc_seen.fix_value = (uint64_t)(uintptr_t)idt_area[0] | PTE_P | PTE_RW;
	exc_site_rdmsr(MSR_UNKNOWN);
	restore_idt();
	uint64_t site = (uint64_t)(uintptr_t)exc_site_rdmsr_insn;
	printf("exc: contributory first_vector=%lu first_error=0x%lx first_rip_offset=%ld\n",
	       exc_seen.first_vector, exc_seen.first_error, (long)(exc_seen.first_rip - site));
	printf("exc: contributory then_vector=%lu then_error=0x%lx then_rip_offset=%ld faults=%lu\n",
	       exc_seen.vector, exc_seen.error, (long)(exc_seen.rip - site), exc_seen.count);
	printf("exc: contributory first_cr2_is_gp_gate=%d\n",
	       exc_seen.first_cr2 == base + VEC_GP * GATE_BYTES);
}

static void triple_fault(void)
{
	split_idt(VEC_DF, 1);
	uint64_t va = VA_TEST(0);
	set_pte(va, 0);
	printf("exc: triple_fault site=0x%lx\n", (uint64_t)(uintptr_t)exc_site_read_insn);
	exc_site_read(va);
	restore_idt();
	printf("exc: triple_fault survived\n");
}

/* x2APIC registers (SDM vol. 3A 11.12.1.2, Table 11-6) and the values used. */
#define X2_SVR          0x80Fu
#define X2_IRR_32_63    0x822u           /* IRR bits of vectors 0x40-0x5F */
#define X2_LVT_TIMER    0x832u
#define X2_INITIAL      0x838u
#define X2_DIVIDE       0x83Eu
#define SVR_ENABLE      0x100u
#define DIVIDE_BY_1     0xBu             /* Figure 11-10 */
#define SPIN_LIMIT      100000u

/* With apic=x2apic: a timer interrupt is pending (IF = 0) when `sti; mov`
 * runs and the MOV, inside the STI shadow, faults. The #PF comes first
 * (an exception of the instruction; the shadow blocks only the interrupt),
 * with IF = 1 in its frame; after the handler's IRET the interrupt is
 * taken before the MOV runs again (RIP = the MOV), then the MOV completes
 * (SDM vol. 3A 6.8.3, 6.9). */
static void timer_during_pf(void)
{
	__asm__ volatile("cli");
	wrmsr(X2_SVR, SVR_ENABLE | 0xFF);
	wrmsr(X2_DIVIDE, DIVIDE_BY_1);
	wrmsr(X2_LVT_TIMER, TIMER_VECTOR);
	wrmsr(X2_INITIAL, 1);
	unsigned spins = 0;
	while (!(rdmsr(X2_IRR_32_63) & 1) && spins < SPIN_LIMIT)
		spins++;
	uint64_t va = VA_TEST(1);
	uint64_t *data = (uint64_t *)(void *)frames[1];
	data[5] = 0xfeedull;
	seen_reset();
	set_pte(va, 0);
	exc_seen.fix_pte = (uint64_t)(uintptr_t)pt_entry(va, PT_LEVEL_PTE);
	exc_seen.fix_value = frame_pa(1) | PTE_P | PTE_RW;
	uint64_t got = exc_site_sti_read(va + 0x28);
	__asm__ volatile("cli");
	uint64_t site = (uint64_t)(uintptr_t)exc_site_sti_read_insn;
	printf("exc: timer pending=%d pf_vector=%lu pf_rip_offset=%ld pf_rflags=0x%lx value=0x%lx\n",
	       spins < SPIN_LIMIT, exc_seen.vector, (long)(exc_seen.rip - site),
	       exc_seen.rflags & ~RFLAGS_RF, got);
	printf("exc: timer taken=%lu rip_offset=%ld after_pf=%lu rflags=0x%lx\n", exc_timer.count,
	       (long)(exc_timer.rip - site), exc_timer.faults_before, exc_timer.rflags & ~RFLAGS_RF);
}

/* mode=softint: INT 0x30 (CD 30), INT3 (CC) and INT1/ICEBP (F1), each
 * with RSP at the top of a page of guest RAM nothing touched before, so on
 * a lazy pager (contract 10) pushing the frame is that page's first access
 * and the delivery exits to the hypervisor (EPT violation / NPF) midway.
 * Then INT 0x30 through a gate naming IST1, a fresh page. Each frame must
 * be the processor's: RIP = the next instruction (a trap-like event, SDM
 * vol. 3A 6.5, 6.12.1; INT1 too, 6.15 "Interrupt 1"), CS, RFLAGS (IF
 * clear already in SITE_FLAGS), RSP and SS as the instruction had them
 * (6.14.2); the handler resumes after it. Fresh pages: 16 MiB and up
 * (pager_counts' region: the image and boot information sit near 1 MiB). */
#define SOFT_FRESH_BASE 0x1000000ull
#define SOFT_FRESH(n)   (SOFT_FRESH_BASE + (uint64_t)(n) * PAGE_SIZE_4K)
#define INT_N_LENGTH    2u               /* CD ib */
#define INT3_LENGTH     1u               /* CC */
#define INT1_LENGTH     1u               /* F1 */

void exc_site_int_n(uint64_t stack_top);
void exc_site_int3(uint64_t stack_top);
void exc_site_int1(uint64_t stack_top);
void exc_site_int_ist(uint64_t stack_top);
extern const char exc_site_int_n_insn[], exc_site_int_n_next[], exc_site_int3_insn[],
	exc_site_int3_next[], exc_site_int1_insn[], exc_site_int1_next[], exc_site_int_ist_insn[],
	exc_site_int_ist_next[];
static uint8_t ist_caller_stack[PAGE_SIZE_4K] __attribute__((aligned(16)));

static void soft_one(const char *what, void (*site)(uint64_t), uint64_t stack_top,
		     const char *insn, const char *next, unsigned length)
{
	if (mb2_mmap_type_at(boot_info(), stack_top - 1) != MB2_MEMORY_AVAILABLE)
		probe_error("softint: fresh page not RAM (mem too small)");
	if ((uint64_t)(next - insn) != length)
		probe_error("softint: instruction length");
	seen_reset();
	site(stack_top);
	report(what, next, 0, false, 0);
}

static void soft_interrupts(void)
{
	/* Each form's length differs from the one before it (1, 2, 1, 2): a
	 * hypervisor that re-injects with a stale length is caught. */
	soft_one("soft_int1", exc_site_int1, SOFT_FRESH(5), exc_site_int1_insn, exc_site_int1_next,
		 INT1_LENGTH);
	soft_one("soft_int_n", exc_site_int_n, SOFT_FRESH(1), exc_site_int_n_insn, exc_site_int_n_next,
		 INT_N_LENGTH);
	soft_one("soft_int3", exc_site_int3, SOFT_FRESH(3), exc_site_int3_insn, exc_site_int3_next,
		 INT3_LENGTH);
	/* IST1 (user_mode_init's TSS, loaded into TR there) at a fresh page;
	 * the instruction runs on a stack the probe already wrote. */
	user_mode_init();
	tss.ist[SOFT_IST_INDEX - 1] = SOFT_FRESH(7);
	memset(ist_caller_stack, 0, sizeof ist_caller_stack);
	soft_one("soft_int_ist", exc_site_int_ist,
		 (uint64_t)(uintptr_t)(ist_caller_stack + sizeof ist_caller_stack), exc_site_int_ist_insn,
		 exc_site_int_ist_next, INT_N_LENGTH);
	/* The top of IST1 holds the frame: SS, then RSP (6.14.2). */
	const volatile uint64_t *ist_top = (const volatile uint64_t *)(uintptr_t)SOFT_FRESH(7);
	printf("exc: soft_int_ist frame_on_ist=%d\n", ist_top[-1] == exc_seen.ss && ist_top[-2] == exc_seen.rsp);
}

static bool is(const char *mode, size_t len, const char *name)
{
	return strlen(name) == len && !memcmp(mode, name, len);
}

void probe_main(void)
{
	restore_idt();
	const char *mode = "";
	size_t len = 0;
	cmdline_find(boot_cmdline(), "mode", &mode, &len);
	if (is(mode, len, "double-fault"))
		return double_fault();
	if (is(mode, len, "contributory"))
		return contributory();
	if (is(mode, len, "triple-fault"))
		return triple_fault();
	if (is(mode, len, "timer"))
		return timer_during_pf();
	if (is(mode, len, "user-hypercall"))
		return user_hypercall();
	if (is(mode, len, "softint"))
		return soft_interrupts();
	if (len)
		probe_error("unknown mode");
	access_kinds();
	cr2_used = 0;
	cr2_text[0] = 0;
	user_kinds();
	demand_paging();
	if0_section();
	injected();
	vmcall_tail();
}
