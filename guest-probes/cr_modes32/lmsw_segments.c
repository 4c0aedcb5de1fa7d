/* LMSW m16 with SS and DS bases 2 apart (contract 13, cr.lmsw; SDM vol. 1
 * 3.7.4): for each form of lmsw_forms.S the segment the processor uses
 * puts LMSW_OFFSET on lmsw_words[1], which holds MP|TS; the other segments
 * (SS or DS, and ES/FS/GS unless an ES prefix names them) are based 2 bytes
 * lower, on lmsw_words[0], a decoy that holds EM. A negative disp8 read
 * unsigned lands 256 bytes higher, on another decoy. CR0's MP, EM and TS
 * are cleared before each form and after it. */
#include "runtime.h"
#include "x86.h"
#include "../shared/segment_forms.h"
#include "lmsw_segments.h"

#define WRONG_SEGMENT_SHIFT 2u   /* the other segments' base is this much lower */
/* The CR0 bits LMSW loads besides PE (SDM vol. 3A 2.5, vol. 2 LMSW). */
#define MSW_MP (1u << 1)
#define MSW_EM (1u << 2)
#define MSW_TS (1u << 3)

enum segment { SEG_SS, SEG_DS, SEG_ES };
static const char *const segment_names[] = { "ss", "ds", "es" };

#define FORMS(X)                                                               \
	X(ebp_disp8, SEG_SS) X(esp, SEG_SS) X(esp_disp8, SEG_SS)                   \
	X(ebp_index, SEG_SS) X(ebx, SEG_DS) X(ebx_disp8_neg, SEG_DS)               \
	X(ebp_index_no_base, SEG_DS) X(bp_si, SEG_SS) X(bp_disp8, SEG_SS)          \
	X(bx_si, SEG_DS) X(bx_si_disp8_neg, SEG_DS)                                \
	X(bx_si_disp16, SEG_DS) X(bp_disp16, SEG_SS)                               \
	X(ds_ebp, SEG_DS) X(ss_ebx, SEG_SS) X(es_ebp, SEG_ES) X(es_ebx, SEG_ES)    \
	X(es_bp_disp8, SEG_ES)
#define DECLARE(n, s) uint32_t lmsw_seg_##n(void);
FORMS(DECLARE)

struct form {
	const char *name;
	enum segment right;       /* the segment the processor uses */
	uint32_t (*lmsw)(void);   /* returns CR0 after the LMSW */
};
#define ENTRY(n, s) { #n, s, lmsw_seg_##n },
static const struct form forms[] = { FORMS(ENTRY) };

/* An unsigned disp8 (the forms' are -8 and -2) adds this many bytes. */
#define UNSIGNED_DISP8_SHIFT 0x100u
#define LMSW_WORDS (2 + UNSIGNED_DISP8_SHIFT / 2)

/* [1]: the operand (MP|TS); every other word a decoy (EM): [0] the wrong
 * segments reach, [0x81] an unsigned disp8. */
static volatile uint16_t lmsw_words[LMSW_WORDS] __attribute__((aligned(4)));

static uint64_t gdt[FORM_GDT_ENTRIES] __attribute__((aligned(8)));

static void form_segments(const struct form *f)
{
	uint32_t right = (uint32_t)(uintptr_t)&lmsw_words[1] - LMSW_OFFSET;
	uint32_t wrong = right - WRONG_SEGMENT_SHIFT;
	gdt[FORM_SS_SELECTOR / 8] = flat_data_segment_descriptor(f->right == SEG_SS ? right : wrong);
	gdt[FORM_DS_SELECTOR / 8] = flat_data_segment_descriptor(f->right == SEG_DS ? right : wrong);
	gdt[FORM_OTHER_SELECTOR / 8] = flat_data_segment_descriptor(f->right == SEG_ES ? right : wrong);
}

void lmsw_segments(void)
{
	gdt_extend(gdt, sizeof gdt / sizeof gdt[0]);
	for (unsigned w = 0; w < LMSW_WORDS; w++)
		lmsw_words[w] = (uint16_t)MSW_EM;
	lmsw_words[1] = (uint16_t)(MSW_MP | MSW_TS);
	unsigned long base = read_cr0() & ~(MSW_MP | MSW_EM | MSW_TS);
	for (unsigned i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		const struct form *f = &forms[i];
		form_segments(f);
		write_cr0(base);
		uint32_t loaded = f->lmsw();
		write_cr0(base);
		printf("cr: lmsw_seg form=%s seg=%s loaded=0x%x\n", f->name, segment_names[f->right], loaded);
	}
}
