/* stackseg_modes32: an ELF32 probe (32-bit protected mode, paging off)
 * whose device accesses take their default segment from the base register
 * (SDM vol. 1 3.7.4; vol. 2A 2.1.5, Tables 2-1 to 2-3 and their notes): an
 * EBP or ESP base (SIB included, whatever the index) and the 16-bit
 * [BP+SI], [BP+DI] and [BP+disp] forms select SS; other bases, a SIB
 * without base (mod 00, base 101), [disp32] and [disp16] select DS; an explicit
 * segment prefix wins (contract 9, arch.as-processor).
 *
 * For each form of forms.S the probe gives SS and DS bases 2 apart: the
 * segment the processor uses puts the operand on SCRATCH (register test
 * device + 0x08), the other one 2 bytes lower, across the ID/SCRATCH
 * register edge. A 4-byte load and store per form:
 *   stackseg: form=<name> seg=<ss|ds|es> load=0x<SCRATCH preset> store=0x<read back>
 * The preset is LOAD_BASE + i and the store STORE_BASE + i for form i. */
#include "runtime.h"
#include "x86.h"
#include "../shared/segment_forms.h"

#define TESTDEV_SCRATCH 0xcafe1008u  /* register test device + 0x08 (contract 9) */
#define WRONG_SEGMENT_SHIFT 2u       /* the other segment's base is this much lower */
#define BASE32 0x10000u              /* right base of the 32-bit forms (forms.S) */
#define BASE16 (TESTDEV_SCRATCH - 2u) /* right base of the 16-bit forms: offset 2 */
#define LOAD_BASE 0x5ca10000u
#define STORE_BASE 0x600d0000u

enum segment { SEG_SS, SEG_DS, SEG_ES };

#define FORMS(X)                                                                  \
	X(ebp_disp8, SEG_SS, BASE32) X(ebp_disp32, SEG_SS, BASE32)                    \
	X(esp_disp8, SEG_SS, BASE32) X(esp_index, SEG_SS, BASE32)                     \
	X(ebp_index, SEG_SS, BASE32) X(ebp_index_no_base, SEG_DS, BASE32)             \
	X(disp32, SEG_DS, BASE32)                                                     \
	X(esi_base_ebp_index, SEG_DS, BASE32) X(ebx, SEG_DS, BASE32) X(ebx_disp8, SEG_DS, BASE32) \
	X(ebx_esi2_disp8, SEG_DS, BASE32) X(esi_ebx4_disp8, SEG_DS, BASE32)           \
	X(esi_edi2, SEG_DS, BASE32)                                                   \
	X(ds_ebp_disp8, SEG_DS, BASE32) X(ss_ebx_disp8, SEG_SS, BASE32)               \
	X(es_ebx_disp8, SEG_ES, BASE32)                                               \
	X(bp_si, SEG_SS, BASE16) X(bp_di, SEG_SS, BASE16) X(bp_disp8, SEG_SS, BASE16) \
	X(bp_disp16, SEG_SS, BASE16) X(bx_si, SEG_DS, BASE16) X(disp16, SEG_DS, BASE16) \
	X(ds_bp_disp8, SEG_DS, BASE16)
#define DECLARE(n, s, b) uint32_t stackseg_load_##n(void); void stackseg_store_##n(uint32_t v);
FORMS(DECLARE)

static const char *const segment_names[] = { "ss", "ds", "es" };

struct form {
	const char *name;
	enum segment right;   /* the segment the processor uses */
	uint32_t base;        /* its base; the other one's is WRONG_SEGMENT_SHIFT lower */
	uint32_t (*load)(void);
	void (*store)(uint32_t);
};
#define ENTRY(n, s, b) { #n, s, b, stackseg_load_##n, stackseg_store_##n },
static const struct form forms[] = { FORMS(ENTRY) };

/* The runtime's entries, then the forms' SS, DS, and ES/FS/GS
 * (FORM_SS_SELECTOR and the two after it). */
static uint64_t gdt[FORM_GDT_ENTRIES] __attribute__((aligned(8)));

/* A segment load reads the descriptor again (SDM vol. 3A 3.4.3): forms.S
 * loads SS, DS, and ES/FS/GS from these entries on every access. */
static void form_segments(const struct form *f)
{
	uint32_t wrong = f->base - WRONG_SEGMENT_SHIFT;
	uint32_t ss = f->right == SEG_SS ? f->base : wrong;
	uint32_t ds = f->right == SEG_DS ? f->base : wrong;
	gdt[FORM_SS_SELECTOR / 8] = flat_data_segment_descriptor(ss);
	gdt[FORM_SS_SELECTOR / 8 + 1] = flat_data_segment_descriptor(ds);
	gdt[FORM_SS_SELECTOR / 8 + 2] = flat_data_segment_descriptor(f->right == SEG_ES ? f->base : wrong);
}

void probe_main(void)
{
	volatile uint32_t *scratch = (volatile uint32_t *)TESTDEV_SCRATCH;
	gdt_extend(gdt, sizeof gdt / sizeof gdt[0]);
	for (unsigned i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		const struct form *f = &forms[i];
		form_segments(f);
		*scratch = LOAD_BASE + i;
		uint32_t loaded = f->load();
		f->store(STORE_BASE + i);
		printf("stackseg: form=%s seg=%s load=0x%x store=0x%x\n", f->name,
		       segment_names[f->right], loaded, *scratch);
	}
	printf("stackseg: done\n");
}
