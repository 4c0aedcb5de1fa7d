/* code16_modes32: an ELF32 probe (32-bit protected mode, paging off) whose
 * MMIO instructions run from a 16-bit code segment (CS.D = 0): operand and
 * address sizes default to 16 bits, 66 and 67 switch them to 32 (SDM vol. 1
 * 3.6; vol. 2A 2.1.5 Table 2-1), and the length of an immediate, a
 * displacement and a moffs follows them, so RIP does too (contract 9).
 *
 * For each form of forms16.S (MOV 8A/8B/88/89, C7 /0, A1/A3, MOVZX/MOVSX
 * 0F B6/B7/BE/BF with 16-bit and 32-bit destinations, against SCRATCH and
 * the guest ROM), and for a few 66-prefixed forms run from a 32-bit code
 * segment (code32_*: there 66 selects 16-bit operands), the probe presets SCRATCH and the registers, far-calls the
 * form (code16_call) and prints what EAX holds, what SCRATCH holds (read
 * back from 32-bit code), whether EDX holds the marker the instruction
 * after the access sets, and whether the registers the form must not write
 * kept their presets:
 *   code16: form=<name> eax=0x<hex> scratch=0x<16 hex digits> next=0x<EDX> others=kept
 * (others=changed <reg>=0x<seen> preset=0x<hex> for the first one that
 * moved), then the ROM dword the last form tried to store over:
 *   code16: rom offset=0x20 value=0x<hex> */
#include "runtime.h"
#include "x86.h"

#define TESTDEV_BASE 0xcafe1000u     /* register test device (contract 9) */
#define SCRATCH_OFFSET 0x08u
#define ROM_BASE 0xcafe2000u         /* guest ROM (contract 9) */
#define ROM_STORE_OFFSET 0x20u       /* what rom_st_66_c7_imm32 stores over */
#define FAR_OFFSET 0x0b0f0008u       /* FS:FAR_OFFSET = SCRATCH (forms16.S) */
#define FAR_EBX 0xffffff08u          /* EBX + FAR_DISP wraps to FAR_OFFSET */
#define NEXT_MARK 0x600dc0deu        /* as in forms16.S */
#define CODE16_SELECTOR (RUNTIME_GDT_ENTRIES * 8u)
#define WINDOW_SELECTOR (RUNTIME_GDT_ENTRIES * 8u + 8u)
#define FAR_SELECTOR (RUNTIME_GDT_ENTRIES * 8u + 16u)
#define CODE32_SELECTOR (RUNTIME_GDT_ENTRIES * 8u + 24u)
#define SEGMENT_LIMIT16 0xffffu
/* Execute/read code segment, P, S, DPL 0 (SDM vol. 3A 3.4.5.1, type 0xa);
 * D = 0 and G = 0 as data_segment_descriptor leaves them: a 16-bit segment. */
#define SEG_CODE_ACCESS_XR 0x9aull
#define SEG_ACCESS_SHIFT 40
#define SEG_ACCESS_MASK (0xffull << SEG_ACCESS_SHIFT)
#define SEG_FLAG_DEFAULT_32 (1ull << 54)  /* D: 32-bit code segment (3.4.5) */

/* Presets (the spec table computes the expected values from them). */
#define LOAD_SCRATCH_LO 0xb5a69788u  /* SCRATCH before a load form */
#define LOAD_SCRATCH_HI 0xf1e2d3c4u
#define STORE_BACKGROUND 0xa5a5a5a5u /* both halves of SCRATCH before a store form */
#define LOAD_EAX 0x5a5a5a5au         /* EAX before a load form */
#define STORE_EAX 0x0b0f2468u        /* EAX before a store form (A3 stores it) */
#define STORE_ECX 0x13579bdfu        /* ECX before a store form (89/88 store it) */
#define JUNK 0x77770777u             /* registers a form does not use */

struct code16_regs { uint32_t eax, ecx, edx, ebx, esi, edi, ebp; };
void code16_call(struct code16_regs *r, uint32_t selector, uint32_t entry);
extern const char code16_base[];

#define LOADS(X) X(ld_8b_bx_si_disp8, 0xa5a50005u, 0x5a5a0005u, JUNK)             \
	X(ld_8b_bx_disp16, 0xa5a5f4f9u, JUNK, JUNK)                                  \
	X(ld_66_8b_bx, 0xa5a50008u, JUNK, JUNK)                                      \
	X(ld_67_8b_ebx_disp32, FAR_EBX, JUNK, JUNK)                                  \
	X(ld_66_67_8b_ebx_disp32, FAR_EBX, JUNK, JUNK)                               \
	X(ld_a1_moffs16, JUNK, JUNK, JUNK) X(ld_66_a1_moffs16, JUNK, JUNK, JUNK)     \
	X(ld_67_a1_moffs32, JUNK, JUNK, JUNK) X(ld_66_67_a1_moffs32, JUNK, JUNK, JUNK) \
	X(ld_8a_ah_bx_disp8, 0xa5a50007u, JUNK, JUNK)                                \
	X(ld_3e_8a_ah_bx_disp8, 0xa5a50007u, JUNK, JUNK)                             \
	X(movzx_b6_ax, 0xa5a50008u, JUNK, JUNK) X(movsx_be_ax, 0xa5a50008u, JUNK, JUNK) \
	X(movzx_b7_ax, 0xa5a50008u, JUNK, JUNK) X(movsx_bf_ax, 0xa5a50008u, JUNK, JUNK) \
	X(movsx_66_be_eax, 0xa5a50008u, JUNK, JUNK)                                  \
	X(movzx_66_b7_eax, 0xa5a50008u, JUNK, JUNK)                                  \
	X(movsx_66_bf_eax, 0xa5a50008u, JUNK, JUNK)                                  \
	X(movsx_67_be_ax, FAR_EBX, JUNK, JUNK)                                       \
	X(rom_8b_disp16, JUNK, JUNK, JUNK) X(rom_66_8b_disp16, JUNK, JUNK, JUNK)     \
	X(rom_movsx_be_ax, JUNK, JUNK, JUNK)
#define STORES(X) X(st_89_bx_di_disp8, 0xa5a50004u, JUNK, 0x5a5a0006u)          \
	X(st_66_89_bx, 0xa5a50008u, JUNK, JUNK)                                      \
	X(st_67_89_ebx_disp32, FAR_EBX, JUNK, JUNK)                                  \
	X(st_66_67_89_ebx_disp32, FAR_EBX, JUNK, JUNK)                               \
	X(st_88_ch, 0xa5a50008u, JUNK, JUNK) X(st_3e_88_ch, 0xa5a50008u, JUNK, JUNK)  \
	X(st_c7_imm16, 0xa5a50008u, JUNK, JUNK) X(st_66_c7_imm32, 0xa5a50008u, JUNK, JUNK) \
	X(st_c7_disp16_imm16, 0xa5a5f4f9u, JUNK, JUNK)                               \
	X(st_67_c7_disp32_imm16, FAR_EBX, JUNK, JUNK)                                \
	X(st_66_67_c7_disp32_imm32, FAR_EBX, JUNK, JUNK)                             \
	X(st_a3_moffs16, JUNK, JUNK, JUNK) X(st_66_a3_moffs16, JUNK, JUNK, JUNK)     \
	X(st_67_a3_moffs32, JUNK, JUNK, JUNK) X(st_66_67_a3_moffs32, JUNK, JUNK, JUNK) \
	X(rom_st_66_c7_imm32, JUNK, JUNK, JUNK)
/* From the 32-bit segment: EBX = SCRATCH's offset in the window. */
#define LOADS32(X) X(code32_ld_66_8b_ebx, SCRATCH_OFFSET, JUNK, JUNK)            \
	X(code32_ld_66_a1_moffs32, JUNK, JUNK, JUNK)                                 \
	X(code32_movzx_66_b6_ebx, SCRATCH_OFFSET, JUNK, JUNK)                        \
	X(code32_movsx_66_be_ebx, SCRATCH_OFFSET, JUNK, JUNK)
#define STORES32(X) X(code32_st_66_89_ebx, SCRATCH_OFFSET, JUNK, JUNK)          \
	X(code32_st_66_c7_ebx_imm16, SCRATCH_OFFSET, JUNK, JUNK)                     \
	X(code32_st_66_a3_moffs32, JUNK, JUNK, JUNK)

#define DECLARE(n, ebx, esi, edi) extern const char code16_##n[];
LOADS(DECLARE)
STORES(DECLARE)
LOADS32(DECLARE)
STORES32(DECLARE)

struct form {
	const char *name;
	const char *code;     /* its first byte, in the 16-bit segment */
	uint32_t selector;    /* CODE16_SELECTOR or CODE32_SELECTOR */
	bool store;
	uint32_t ebx, esi, edi;
};
#define LOAD_ENTRY(n, ebx, esi, edi) { #n, code16_##n, CODE16_SELECTOR, false, ebx, esi, edi },
#define STORE_ENTRY(n, ebx, esi, edi) { #n, code16_##n, CODE16_SELECTOR, true, ebx, esi, edi },
#define LOAD32_ENTRY(n, ebx, esi, edi) { #n, code16_##n, CODE32_SELECTOR, false, ebx, esi, edi },
#define STORE32_ENTRY(n, ebx, esi, edi) { #n, code16_##n, CODE32_SELECTOR, true, ebx, esi, edi },
static const struct form forms[] = { LOADS(LOAD_ENTRY) STORES(STORE_ENTRY)
				     LOADS32(LOAD32_ENTRY) STORES32(STORE32_ENTRY) };

/* The runtime's entries, then the 16-bit code segment, the window (DS),
 * the far segment (FS) and the 32-bit code segment. */
static uint64_t gdt[RUNTIME_GDT_ENTRIES + 4] __attribute__((aligned(8)));

static uint64_t code16_segment_descriptor(uint32_t base)
{
	uint64_t d = data_segment_descriptor(base, SEGMENT_LIMIT16);
	return (d & ~SEG_ACCESS_MASK) | (SEG_CODE_ACCESS_XR << SEG_ACCESS_SHIFT);
}

static void set_scratch(uint32_t lo, uint32_t hi)
{
	volatile uint32_t *scratch = (volatile uint32_t *)(TESTDEV_BASE + SCRATCH_OFFSET);
	scratch[0] = lo;
	scratch[1] = hi;
}

/* The first register (other than EAX) that does not hold its preset, or
 * NULL. EDX is the marker's and checked on its own. */
static const char *moved(const struct code16_regs *in, const struct code16_regs *out,
			 uint32_t *seen, uint32_t *preset)
{
	static const struct { const char *name; size_t at; } regs[] = {
		{ "ecx", offsetof(struct code16_regs, ecx) },
		{ "ebx", offsetof(struct code16_regs, ebx) },
		{ "esi", offsetof(struct code16_regs, esi) },
		{ "edi", offsetof(struct code16_regs, edi) },
		{ "ebp", offsetof(struct code16_regs, ebp) },
	};
	for (unsigned i = 0; i < sizeof regs / sizeof regs[0]; i++) {
		*preset = *(const uint32_t *)((const char *)in + regs[i].at);
		*seen = *(const uint32_t *)((const char *)out + regs[i].at);
		if (*seen != *preset)
			return regs[i].name;
	}
	return NULL;
}

static void run_form(const struct form *f)
{
	volatile uint32_t *scratch = (volatile uint32_t *)(TESTDEV_BASE + SCRATCH_OFFSET);
	struct code16_regs in = {
		.eax = f->store ? STORE_EAX : LOAD_EAX,
		.ecx = f->store ? STORE_ECX : JUNK,
		.edx = JUNK, .ebx = f->ebx, .esi = f->esi, .edi = f->edi, .ebp = JUNK,
	};
	if (f->store)
		set_scratch(STORE_BACKGROUND, STORE_BACKGROUND);
	else
		set_scratch(LOAD_SCRATCH_LO, LOAD_SCRATCH_HI);
	struct code16_regs out = in;
	code16_call(&out, f->selector, (uint32_t)(uintptr_t)(f->code - code16_base));
	uint32_t lo = scratch[0], hi = scratch[1];
	uint32_t seen, preset;
	const char *reg = moved(&in, &out, &seen, &preset);
	if (reg)
		printf("code16: form=%s eax=0x%x scratch=0x%08x%08x next=0x%x others=changed %s=0x%x preset=0x%x\n",
		       f->name, out.eax, hi, lo, out.edx, reg, seen, preset);
	else
		printf("code16: form=%s eax=0x%x scratch=0x%08x%08x next=0x%x others=kept\n",
		       f->name, out.eax, hi, lo, out.edx);
}

void probe_main(void)
{
	gdt[CODE16_SELECTOR / 8] = code16_segment_descriptor((uint32_t)(uintptr_t)code16_base);
	gdt[WINDOW_SELECTOR / 8] = data_segment_descriptor(TESTDEV_BASE, SEGMENT_LIMIT16);
	gdt[CODE32_SELECTOR / 8] = code16_segment_descriptor((uint32_t)(uintptr_t)code16_base) |
				   SEG_FLAG_DEFAULT_32;
	gdt[FAR_SELECTOR / 8] = flat_data_segment_descriptor(TESTDEV_BASE + SCRATCH_OFFSET - FAR_OFFSET);
	gdt_extend(gdt, sizeof gdt / sizeof gdt[0]);
	__asm__ volatile("mov %0, %%fs" : : "r"(FAR_SELECTOR) : "memory");
	for (unsigned i = 0; i < sizeof forms / sizeof forms[0]; i++)
		run_form(&forms[i]);
	__asm__ volatile("mov %0, %%fs" : : "r"(RUNTIME_DATA_SELECTOR) : "memory");
	printf("code16: rom offset=0x%x value=0x%x\n", ROM_STORE_OFFSET,
	       *(volatile uint32_t *)(ROM_BASE + ROM_STORE_OFFSET));
	printf("code16: done\n");
}
