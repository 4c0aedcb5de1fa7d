/* mmio_access: MMIO emulation of the register test device (contract 9),
 * modelled on Jailhouse's mmio-access inmate: every instruction form the
 * contract lists, every access width at every offset of the ID register,
 * the scratch register, the read/write counters and an instruction whose
 * bytes straddle two non-adjacent frames. Evidence lines:
 *   mmio_access: counters_at_start reads=0 writes=0
 *   mmio_access: counters after_two_reads reads=<READS right after>
 *   mmio_access: form=st_<enc> scratch=0x..      SCRATCH (preset to
 *                                                STORE_BACKGROUND) after a
 *                                                store of STORE_VALUE (or the
 *                                                form's immediate)
 *   mmio_access: form=ld_<enc> value=0x..        destination register (preset
 *                                                to LOAD_PRESET) after a load
 *                                                of SCRATCH = LOAD_SCRATCH
 *   mmio_access: form=am_<enc> value=0x..        addressing forms, 64-bit
 *                                                loads of LOAD_SCRATCH
 *   ... base=0x..                                the base register after the
 *                                                access, where a wrong
 *                                                register decode would hit it
 *   mmio_access: id width=<w> offset=<o> value=0x..    reads of ID
 *   mmio_access: scratch width=<w> offset=<o> value=0x.. SCRATCH after a
 *                                                store of SWEEP_VALUE at
 *                                                SCRATCH+o, SCRATCH preset 0
 *   mmio_access: id_readonly value=0x..          ID after a store to it
 *   mmio_access: no_spill scratch=0x..           SCRATCH (preset 0) after an
 *                                                8-byte store at ID+4
 *   mmio_access: unlisted offset=0x.. value=0x.. after a store there
 *   mmio_access: counters reads_delta=<n> writes_delta=<n>
 *   mmio_access: cross_page split=<n> scratch=0x..
 *   mmio_access: done
 * With mode=compat (its own boot) only
 *   mmio_access: compat_ds load=0x.. scratch=0x..  in compatibility mode, a
 *                                                4-byte load of ID and store
 *                                                to SCRATCH through DS base 2
 * The expected values follow from the contract's register definitions and
 * the instruction set (vol. 2); the spec computes them. */
#include "../memlib/memlib.h"
#include "paging64.h"
#include "../shared/compat_mode.h"

#define SCRATCH_GPA (TESTDEV_BASE + TESTDEV_SCRATCH)
#define STORE_BACKGROUND 0xa5a5a5a5a5a5a5a5ull
#define STORE_VALUE 0x0123456789abcdefull
#define LOAD_SCRATCH 0xf1e2d3c4b5a69788ull /* negative byte, word and dword */
#define LOAD_PRESET 0x5a5a5a5a5a5a5a5aull
#define SWEEP_VALUE 0xa1a2a3a4a5a6a7a8ull

/* Aliases of the register test device page (encodings.S uses them). */
#define RIP_ALIAS 0x7ffff000ull            /* within 2 GiB of the code */
#define RIP_ALIAS_2M (RIP_ALIAS & ~(uint64_t)(PAGE_SIZE_2M - 1))
#define TOP_ALIAS 0xffffffffcafe1000ull    /* disp32 0xcafe1000 sign-extended */
#define PT_INDEX(va) (((va) >> 12) & 0x1ffu) /* 4-level PT index, 4.5 */

/* Page-crossing test: code page A and B mapped to frames in reverse
 * physical order, with a decoy in the frame physically after A. */
#define CROSS_VA (PROBE_MAP_BASE + 0x10000ull)
#define CROSS_IMM 0x11223344u
#define DECOY_BYTE 0xee /* `out %al,(%dx)`: no MOV, a decoder reading it fails */

struct mmio_result {
	uint64_t value, base;
};
typedef struct mmio_result (*form_fn)(uint64_t gpa, uint64_t value);

#define FORMS(X)                                                            \
	X(st_88_cl, 0) X(st_88_ah, 0) X(st_40_88_sil, 0)                   \
	X(st_44_88_r10b, 0) X(st_66_89_cx, 0) X(st_89_ecx, 0)               \
	X(st_48_89_rcx, 0) X(st_4c_89_r9, 0) X(st_4d_89_r15_r14, 1)         \
	X(st_c6_imm8, 0) X(st_66_c7_imm16, 0) X(st_66_41_c7_imm16_r8, 1)    \
	X(st_c7_imm32, 0) X(st_48_c7_imm32_neg, 0) X(st_48_c7_imm32_pos, 0) \
	X(st_a2_al, 0) X(st_66_a3_ax, 0) X(st_a3_eax, 0) X(st_48_a3_rax, 0) \
	X(st_67_a3_eax, 0) X(st_c7_rip_imm32, 0) X(st_65_gs_rsi, 0)         \
	X(ld_8a_cl, 0) X(ld_8a_ah, 1) X(ld_40_8a_dil, 1)                    \
	X(ld_44_8a_r11b, 1) X(ld_66_8b_cx, 0) X(ld_8b_ecx, 0)               \
	X(ld_48_8b_rcx, 0) X(ld_4c_8b_r12, 0) X(ld_44_8b_r13d, 0)           \
	X(ld_0f_b6_movzbl, 0) X(ld_66_0f_b6_movzbw, 0)                      \
	X(ld_48_0f_b6_movzbq, 0) X(ld_0f_b7_movzwl, 0)                      \
	X(ld_48_0f_b7_movzwq, 0) X(ld_0f_be_movsbl, 0)                      \
	X(ld_66_0f_be_movsbw, 0) X(ld_48_0f_be_movsbq, 0)                   \
	X(ld_0f_bf_movswl, 0) X(ld_48_0f_bf_movswq, 0)                      \
	X(ld_4f_0f_bf_movswq_sib, 1) X(ld_a0_al, 0) X(ld_66_a1_ax, 0)       \
	X(ld_a1_eax, 0) X(ld_48_a1_rax, 0) X(ld_67_a0_al, 0)                \
	X(am_disp8, 1) X(am_disp8_negative, 1) X(am_disp32, 1)              \
	X(am_sib_scale8, 1) X(am_sib_scale2_disp8, 1) X(am_sib_no_base, 1)  \
	X(am_abs_disp32, 0) X(am_67_abs_disp32, 0) X(am_rex_b_x, 1)         \
	X(am_r12_base, 1) X(am_r13_base, 1) X(am_rbp_base, 1)               \
	X(am_rsp_base, 1) X(am_rip_relative, 0) X(am_fs_override, 0)        \
	X(am_fs_base_reg, 0) X(am_es_override, 1) X(am_rep_prefix, 1)       \
	X(am_66_rex_w, 1) X(am_rex_before_66, 1)

#define DECLARE(fn, show_base) struct mmio_result fn(uint64_t gpa, uint64_t value);
FORMS(DECLARE)
#undef DECLARE

struct form {
	const char *name;
	form_fn fn;
	bool show_base;
};
#define ENTRY(fn, show_base) { #fn, fn, show_base },
static const struct form forms[] = { FORMS(ENTRY) };
#undef ENTRY

uint64_t ld_width1(uint64_t gpa), ld_width2(uint64_t gpa),
	ld_width4(uint64_t gpa), ld_width8(uint64_t gpa);
void st_width1(uint64_t gpa, uint64_t v), st_width2(uint64_t gpa, uint64_t v),
	st_width4(uint64_t gpa, uint64_t v), st_width8(uint64_t gpa, uint64_t v);

static uint64_t load_width(unsigned w, uint64_t gpa)
{
	switch (w) {
	case 1: return ld_width1(gpa);
	case 2: return ld_width2(gpa);
	case 4: return ld_width4(gpa);
	default: return ld_width8(gpa);
	}
}

static void store_width(unsigned w, uint64_t gpa, uint64_t v)
{
	switch (w) {
	case 1: st_width1(gpa, v); break;
	case 2: st_width2(gpa, v); break;
	case 4: st_width4(gpa, v); break;
	default: st_width8(gpa, v); break;
	}
}

static uint64_t alias_pt[ENTRIES_PER_TABLE_64] __attribute__((aligned(PAGE_SIZE_4K)));
static uint8_t cross_frames[3][PAGE_SIZE_4K] __attribute__((aligned(PAGE_SIZE_4K)));

static uint64_t phys(const void *p)
{
	return (uint64_t)(uintptr_t)p; /* the image is identity-mapped */
}

/* The 2-MiB identity page around RIP_ALIAS becomes a page table with one
 * entry (holes stay holes); TOP_ALIAS gets a 4-KiB page in PML4 slot 511;
 * FS and GS bases point at the device (contract 8 emulates the MSRs). */
static void map_aliases(void)
{
	alias_pt[PT_INDEX(RIP_ALIAS)] = TESTDEV_BASE | PTE_P | PTE_RW;
	set_pt_entry(RIP_ALIAS_2M, PT_LEVEL_PDE, phys(alias_pt) | PTE_P | PTE_RW);
	invlpg(RIP_ALIAS);
	map_page_4k(TOP_ALIAS, TESTDEV_BASE);
	wrmsr(MSR_IA32_FS_BASE, TESTDEV_BASE);
	wrmsr(MSR_IA32_GS_BASE, TESTDEV_BASE);
}

static void run_forms(void)
{
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		const struct form *f = &forms[i];
		bool store = f->name[0] == 's';
		mmio_write64(SCRATCH_GPA, store ? STORE_BACKGROUND : LOAD_SCRATCH);
		struct mmio_result r = f->fn(SCRATCH_GPA, store ? STORE_VALUE : LOAD_PRESET);
		uint64_t shown = store ? mmio_read64(SCRATCH_GPA) : r.value;
		if (f->show_base)
			printf("mmio_access: form=%s %s=0x%llx base=0x%llx\n", f->name,
			       store ? "scratch" : "value", (unsigned long long)shown,
			       (unsigned long long)r.base);
		else
			printf("mmio_access: form=%s %s=0x%llx\n", f->name,
			       store ? "scratch" : "value", (unsigned long long)shown);
	}
}

static void sweeps(void)
{
	static const unsigned widths[] = { 1, 2, 4, 8 };
	for (unsigned wi = 0; wi < 4; wi++)
		for (unsigned o = 0; o < DEVICE_REG_SIZE; o++)
			printf("mmio_access: id width=%u offset=%u value=0x%llx\n",
			       widths[wi], o,
			       (unsigned long long)load_width(widths[wi], TESTDEV_BASE + TESTDEV_ID + o));
	for (unsigned wi = 0; wi < 4; wi++)
		for (unsigned o = 0; o < DEVICE_REG_SIZE; o++) {
			mmio_write64(SCRATCH_GPA, 0);
			store_width(widths[wi], SCRATCH_GPA + o, SWEEP_VALUE);
			printf("mmio_access: scratch width=%u offset=%u value=0x%llx\n",
			       widths[wi], o, (unsigned long long)mmio_read64(SCRATCH_GPA));
		}
}

static void register_rules(void)
{
	mmio_write64(TESTDEV_BASE + TESTDEV_ID, 0);
	printf("mmio_access: id_readonly value=0x%llx\n",
	       (unsigned long long)mmio_read64(TESTDEV_BASE + TESTDEV_ID));

	mmio_write64(SCRATCH_GPA, 0);
	store_width(8, TESTDEV_BASE + TESTDEV_ID + 4, STORE_VALUE);
	printf("mmio_access: no_spill scratch=0x%llx\n",
	       (unsigned long long)mmio_read64(SCRATCH_GPA));

	static const unsigned unlisted[] = { 0x20, 0x800, 0xff8 };
	for (unsigned i = 0; i < 3; i++) {
		mmio_write64(TESTDEV_BASE + unlisted[i], ~0ull);
		printf("mmio_access: unlisted offset=0x%x value=0x%llx\n", unlisted[i],
		       (unsigned long long)mmio_read64(TESTDEV_BASE + unlisted[i]));
	}

	/* READS counts the reads completed before it: the second READS read
	 * sees the first one, the WRITES read and the 10 ID reads (12), but
	 * none of the 5 stores in between. */
	uint64_t r1 = mmio_read64(TESTDEV_BASE + TESTDEV_READS);
	uint64_t w1 = mmio_read64(TESTDEV_BASE + TESTDEV_WRITES);
	for (unsigned i = 0; i < 10; i++)
		(void)mmio_read64(TESTDEV_BASE + TESTDEV_ID);
	for (unsigned i = 0; i < 5; i++)
		mmio_write64(SCRATCH_GPA, i);
	uint64_t r2 = mmio_read64(TESTDEV_BASE + TESTDEV_READS);
	uint64_t w2 = mmio_read64(TESTDEV_BASE + TESTDEV_WRITES);
	printf("mmio_access: counters reads_delta=%llu writes_delta=%llu\n",
	       (unsigned long long)(r2 - r1), (unsigned long long)(w2 - w1));
}

/* movq $CROSS_IMM,(%rbx); ret (48 c7 03 imm32 c3) placed so that its
 * first `split` bytes end page A and the rest start page B. */
static void cross_page(unsigned split)
{
	static const uint8_t code[] = { 0x48, 0xc7, 0x03, (uint8_t)CROSS_IMM,
					(uint8_t)(CROSS_IMM >> 8), (uint8_t)(CROSS_IMM >> 16),
					(uint8_t)(CROSS_IMM >> 24), OPCODE_RET };
	uint8_t *frame_b = cross_frames[0], *frame_a = cross_frames[1];
	memset(frame_a, OPCODE_INT3, PAGE_SIZE_4K);
	memset(frame_b, OPCODE_INT3, PAGE_SIZE_4K);
	memset(cross_frames[2], DECOY_BYTE, PAGE_SIZE_4K);
	memcpy(frame_a + PAGE_SIZE_4K - split, code, split);
	memcpy(frame_b, code + split, sizeof(code) - split);
	map_page_4k(CROSS_VA, phys(frame_a));
	map_page_4k(CROSS_VA + PAGE_SIZE_4K, phys(frame_b));

	mmio_write64(SCRATCH_GPA, STORE_BACKGROUND);
	uint64_t entry = CROSS_VA + PAGE_SIZE_4K - split;
	uint64_t target = SCRATCH_GPA;
	__asm__ volatile("call *%0" : "+a"(entry) : "b"(target) : "memory", "cc");
	printf("mmio_access: cross_page split=%u scratch=0x%llx\n", split,
	       (unsigned long long)mmio_read64(SCRATCH_GPA));
}

/* Compatibility mode (long mode, CS.L = 0) adds the DS base (SDM vol. 3A
 * 3.2.4, vol. 1 3.4.2.1; APM vol. 2 4.5.3). DS base COMPAT_DS_BASE, 2: a
 * 4-byte load at DS:ID-2 reads ID, a 4-byte store at DS:ID-2+8 reaches
 * SCRATCH. Without the base both operands would start 2 bytes before their
 * register, the load in the doorbell's window, so each would cross into
 * the next register or window. */
#define COMPAT_DS_BASE 2u
#define COMPAT_DS_SELECTOR (RUNTIME_GDT_ENTRIES * 8u)
#define COMPAT_STORE_VALUE 0x600dc0deu
static uint64_t compat_gdt[RUNTIME_GDT_ENTRIES + 1] __attribute__((aligned(8)));

static void compat_ds_access(void)
{
	gdt_extend(compat_gdt, sizeof compat_gdt / sizeof compat_gdt[0]);
	compat_gdt[RUNTIME_GDT_ENTRIES] = flat_data_segment_descriptor(COMPAT_DS_BASE);
	mmio_write64(SCRATCH_GPA, STORE_BACKGROUND);
	unsigned long value, offset = TESTDEV_BASE + TESTDEV_ID - COMPAT_DS_BASE;
	__asm__ volatile("movl %[sel], %%eax\n\t"
			 "mov %%eax, %%ds\n\t"
			 COMPAT_MODE_ASM("movl (%%edi), %%eax\n\t"     /* 8B /r */
					 "movl %%esi, %c[to_scratch](%%edi)\n\t") /* 89 /r disp8 */
			 "movl %[flat], %%edx\n\t"
			 "mov %%edx, %%ds\n\t"
			 : "=a"(value), "+D"(offset)
			 : "S"((unsigned long)COMPAT_STORE_VALUE), [sel] "i"(COMPAT_DS_SELECTOR),
			   [to_scratch] "i"(TESTDEV_SCRATCH - TESTDEV_ID),
			   [flat] "i"(RUNTIME_DATA_SELECTOR)
			 : "rdx", "r10", "r11", "memory");
	printf("mmio_access: compat_ds load=0x%x scratch=0x%llx\n", (uint32_t)value,
	       (unsigned long long)mmio_read64(SCRATCH_GPA));
}

void probe_main(void)
{
	if (cmdline_is(boot_cmdline(), "mode", "compat")) {
		compat_ds_access();
		return;
	}
	/* First device accesses of the VM: no read or write completed before. */
	uint64_t reads = mmio_read64(TESTDEV_BASE + TESTDEV_READS);
	uint64_t writes = mmio_read64(TESTDEV_BASE + TESTDEV_WRITES);
	printf("mmio_access: counters_at_start reads=%llu writes=%llu\n",
	       (unsigned long long)reads, (unsigned long long)writes);
	/* The two reads above are the only ones completed before this one. */
	printf("mmio_access: counters after_two_reads reads=%llu\n",
	       (unsigned long long)mmio_read64(TESTDEV_BASE + TESTDEV_READS));

	map_aliases();
	run_forms();
	sweeps();
	register_rules();
	cross_page(1);
	cross_page(3);
	cross_page(5);
	wrmsr(MSR_IA32_FS_BASE, 0);
	wrmsr(MSR_IA32_GS_BASE, 0);
	printf("mmio_access: done\n");
}
