/* addr16_modes32: an ELF32 probe (32-bit protected mode, paging off) whose
 * device and port accesses use 16-bit addressing: the address-size prefix
 * 67 (SDM vol. 2A 2.1.5, Table 2-1; vol. 1 3.7.5). A data segment of the
 * probe's own GDT, loaded into FS (or ES for INS), gives the 16-bit offsets
 * a base near the target, so the offset alone must pick the address.
 *
 * MMIO (contract 9): FS base = SCRATCH - 2, and every form of Table 2-1
 * (forms16.S) addresses offset 2 = SCRATCH with a 4-byte load and store:
 *   addr16: mmio form=<name> load=0x<SCRATCH preset> store=0x<read back>
 * The preset is LOAD_BASE + i and the store STORE_BASE + i for form i.
 *
 * String port I/O (contract 6): REP OUTSB and REP INSB with 67 against the
 * FIFO queue, SI/DI = 0xfffe and CX = 4 with other bits set above bit 15:
 * the index registers wrap from 0xffff to 0 within the segment, and only
 * SI/DI and CX move (vol. 2 INS/OUTS, REP: the address size picks them).
 *   addr16: outs data=ABCD esi=0x30002 ecx=0x50000 extra=0xff
 *   addr16: ins data=wxyz edi=0x70002 ecx=0x90000 past_wrap=0x2e */
#include "runtime.h"
#include "x86.h"

#define TESTDEV_SCRATCH 0xcafe1008u  /* register test device + 0x08 (contract 9) */
#define FORM_OFFSET 2u               /* what every form in forms16.S addresses */
#define LOAD_BASE 0x5ca10000u
#define STORE_BASE 0x600d0000u
#define SEGMENT_LIMIT16 0xffffu      /* 64 KiB: every 16-bit offset */
#define WINDOW_SELECTOR (RUNTIME_GDT_ENTRIES * 8u)
#define OFFSET_WRAP 0x10000u
#define UNTOUCHED 0x2e               /* '.' */
#define QUEUE_EMPTY_BYTE 0xff        /* the empty queue reads all-ones (contract 6) */

#define FORMS(X) X(bx_si) X(bx_di) X(bp_si) X(bp_di) X(si) X(di) X(disp16) X(bx) \
	X(bx_si_disp8) X(si_disp8) X(bp_disp8) X(bp_di_disp16) X(di_disp16)        \
	X(bp_disp16) X(bx_disp16)
#define DECLARE(n) uint32_t addr16_load_##n(void); void addr16_store_##n(uint32_t v);
FORMS(DECLARE)

struct form {
	const char *name;
	uint32_t (*load)(void);
	void (*store)(uint32_t);
};
#define ENTRY(n) { #n, addr16_load_##n, addr16_store_##n },
static const struct form forms[] = { FORMS(ENTRY) };

static uint64_t gdt[RUNTIME_GDT_ENTRIES + 1] __attribute__((aligned(8)));
/* One 16-bit segment's worth, plus what a 32-bit offset would reach past it. */
static uint8_t window[OFFSET_WRAP + 16] __attribute__((aligned(16)));

/* The window segment at `base`, loaded into FS (a segment load reads the
 * descriptor again, SDM vol. 3A 3.4.3). */
static void fs_segment(uint32_t base)
{
	gdt[RUNTIME_GDT_ENTRIES] = data_segment_descriptor(base, SEGMENT_LIMIT16);
	__asm__ volatile("mov %0, %%fs" : : "r"(WINDOW_SELECTOR) : "memory");
}

static void mmio_forms(void)
{
	volatile uint32_t *scratch = (volatile uint32_t *)TESTDEV_SCRATCH;
	fs_segment(TESTDEV_SCRATCH - FORM_OFFSET);
	for (unsigned i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		*scratch = LOAD_BASE + i;
		uint32_t loaded = forms[i].load();
		forms[i].store(STORE_BASE + i);
		printf("addr16: mmio form=%s load=0x%x store=0x%x\n", forms[i].name,
		       loaded, *scratch);
	}
}

static void string_io(void)
{
	fs_segment((uint32_t)(uintptr_t)window);
	memset(window, UNTOUCHED, sizeof window);
	memcpy(window + OFFSET_WRAP - 2, "AB", 2);
	memcpy(window, "CD", 2);
	memcpy(window + OFFSET_WRAP, "XY", 2);   /* what a 32-bit ESI would send */

	uint32_t esi = 0x0003fffe, ecx = 0x00050004;
	/* fs addr16 rep outsb: FS:SI, CX */
	__asm__ volatile(".byte 0x64, 0x67, 0xf3, 0x6e"
			 : "+S"(esi), "+c"(ecx) : "d"(PORT_QUEUE) : "memory");
	char out[5];
	for (unsigned i = 0; i < 4; i++)
		out[i] = (char)inb(PORT_QUEUE);
	out[4] = '\0';
	unsigned extra = inb(PORT_QUEUE);
	printf("addr16: outs data=%s esi=0x%x ecx=0x%x extra=0x%x\n", out, esi, ecx, extra);

	memset(window, UNTOUCHED, sizeof window);
	for (const char *c = "wxyz"; *c; c++)
		outb(PORT_QUEUE, (uint8_t)*c);
	uint32_t edi = 0x0007fffe;
	ecx = 0x00090004;
	/* addr16 rep insb: ES:DI (no override), CX; ES = the window segment */
	__asm__ volatile("push %%es\n\t"
			 "mov %3, %%es\n\t"
			 ".byte 0x67, 0xf3, 0x6c\n\t"
			 "pop %%es"
			 : "+D"(edi), "+c"(ecx) : "d"(PORT_QUEUE), "r"(WINDOW_SELECTOR) : "memory");
	char in[5] = { (char)window[OFFSET_WRAP - 2], (char)window[OFFSET_WRAP - 1],
		       (char)window[0], (char)window[1], '\0' };
	printf("addr16: ins data=%s edi=0x%x ecx=0x%x past_wrap=0x%x\n", in, edi, ecx,
	       window[OFFSET_WRAP]);
}

void probe_main(void)
{
	gdt_extend(gdt, sizeof gdt / sizeof gdt[0]);
	mmio_forms();
	string_io();
	__asm__ volatile("mov %0, %%fs" : : "r"(RUNTIME_DATA_SELECTOR) : "memory");
	printf("addr16: done\n");
}
