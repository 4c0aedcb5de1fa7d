/* pio_mem: string port I/O (INS/OUTS, contract 6; KeV pio_mem) against
 * the FIFO queue at 0xBB and COM1. Byte, word and dword forms with and
 * without REP, DF clear and set; RCX = 0; REP INS and OUTS on a buffer
 * that crosses from a page into a non-adjacent, lower frame (the bytes
 * must land in and come from the right frames). Each step prints what was
 * read back (non-printing bytes as \xNN) and how RSI/RDI and RCX moved:
 * `pio_mem: step=<name> data=<text> delta=<signed> rcx=<n>`.
 * Then REP INSB/OUTSB (8 bytes) whose buffer starts 4 bytes before a page
 * that is not present, or that maps a GPA outside guest RAM, and a single
 * INSB into the absent page: each must raise #GP(0) at the instruction
 * with RCX/RDI/RSI counting only the elements done (contract 6); these
 * steps add ` vector=<n> error=0x<x> offset=<rip - instruction>`.
 * Last, REP OUTSB with an FS: and a GS: override, the base set by WRMSR
 * IA32_FS_BASE / IA32_GS_BASE: the bytes come from base + RSI (SDM vol. 3A
 * 3.4.4: in 64-bit mode FS and GS keep their bases). Then REP OUTSB with
 * the address-size prefix 67: ESI and ECX, bits 63:32 of RSI and RCX
 * cleared after (step=rep_outsb_addr32).
 * Command line mode=compat (its own boot, so a hypervisor that faults there
 * costs no other step): only compatibility mode (a far return to a 32-bit
 * code segment, L = 0, D = 1; shared/compat_mode.h): REP OUTSB from DS
 * and REP INSB to ES, whose descriptor bases apply there; base + ESI/EDI
 * picks one of two slots, the offset alone the other one, and the _wrap
 * steps pass 2^32 (step=compat_rep_outsb_ds[_wrap],
 * compat_rep_insb_es[_wrap]; INSB data = both slots, low then high). */
#include "../shared/compat_mode.h"
#include "cmdline.h"
#include "paging64.h"
#include "runtime.h"
#include "x86.h"
#include "x86_insn.h"

#define UNTOUCHED 0x2e /* '.', fill for destination buffers */

#define VA_CROSS PROBE_MAP_BASE /* frame A, then frame B at +0x1000 */
/* frame A, then a page that is not present, then one mapping GPA 1 GiB,
 * outside the 64 MiB of guest RAM and every device window (contract 9) */
#define VA_FAULT (PROBE_MAP_BASE + 0x10000)
#define GPA_OUTSIDE_RAM 0x40000000ull
#define CROSS_HALF 4u

enum { FRAME_B, FRAME_AFTER_B, FRAME_A, FRAME_AFTER_A, FRAME_COUNT };
static uint8_t frames[FRAME_COUNT][PAGE_SIZE_4K]
	__attribute__((aligned(PAGE_SIZE_4K)));

static const char abc[] = "ABCDEFGH";
static char buf[16];

static void show(char *out, size_t cap, const uint8_t *data, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 5 < cap; i++) {
		if (data[i] >= 0x20 && data[i] < 0x7f && data[i] != '\\')
			out[o++] = (char)data[i];
		else
			o += format(out + o, cap - o, "\\x%02x", data[i]);
	}
	out[o] = '\0';
}

static void report(const char *step, const void *data, size_t n, long delta,
		   unsigned long rcx)
{
	char text[80];
	show(text, sizeof(text), data, n);
	printf("pio_mem: step=%s data=%s delta=%ld rcx=%lu\n", step, text,
	       delta, rcx);
}

static void reset_buf(void)
{
	memset(buf, UNTOUCHED, sizeof(buf));
}

/* Drains whatever a failed step left in the queue (at most the capacity)
 * so the next step starts from an empty queue. */
static void drain_queue(void)
{
	for (unsigned i = 0; i < 4096 && inb_dx(PORT_QUEUE) != 0xff; i++)
		;
}

static void push_bytes(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		outb_dx(PORT_QUEUE, (uint8_t)s[i]);
}

static void pop_bytes(size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)inb_dx(PORT_QUEUE);
}

/* REP OUTS of width w from abc, then byte pops: the queue holds the
 * bytes in memory order. */
static void rep_outs_forward(const char *step, unsigned width)
{
	reset_buf();
	struct string_io s = { (uintptr_t)abc, 8 / width };
	outs_string(width, PORT_QUEUE, true, false, &s);
	pop_bytes(8);
	report(step, buf, 8, (long)(s.addr - (uintptr_t)abc), s.count);
	drain_queue();
}

/* Byte pushes, then REP INS of width w into buf. */
static void rep_ins_forward(const char *step, unsigned width)
{
	reset_buf();
	push_bytes(abc, 8);
	struct string_io s = { (uintptr_t)buf, 8 / width };
	ins_string(width, PORT_QUEUE, true, false, &s);
	report(step, buf, 8, (long)(s.addr - (uintptr_t)buf), s.count);
	drain_queue();
}

static void single_forms(void)
{
	/* Without REP, RCX is neither used nor changed. */
	reset_buf();
	struct string_io s = { (uintptr_t)abc, 0x1234 };
	outs_string(1, PORT_QUEUE, false, false, &s);
	outs_string(1, PORT_QUEUE, false, false, &s);
	outs_string(2, PORT_QUEUE, false, false, &s);
	outs_string(4, PORT_QUEUE, false, false, &s);
	pop_bytes(8);
	report("outs_b_b_w_d_norep", buf, 8, (long)(s.addr - (uintptr_t)abc),
	       s.count);
	drain_queue();

	reset_buf();
	push_bytes(abc, 8);
	s = (struct string_io){ (uintptr_t)buf, 0x1234 };
	ins_string(4, PORT_QUEUE, false, false, &s);
	ins_string(2, PORT_QUEUE, false, false, &s);
	ins_string(1, PORT_QUEUE, false, false, &s);
	ins_string(1, PORT_QUEUE, false, false, &s);
	report("ins_d_w_b_b_norep", buf, 8, (long)(s.addr - (uintptr_t)buf),
	       s.count);
	drain_queue();
}

static void backward_forms(void)
{
	/* DF=1: OUTS reads from RSI downwards, element by element. */
	reset_buf();
	struct string_io s = { (uintptr_t)&abc[7], 8 };
	outs_string(1, PORT_QUEUE, true, true, &s);
	pop_bytes(8);
	report("rep_outsb_df1", buf, 8, (long)(s.addr - (uintptr_t)&abc[7]),
	       s.count);
	drain_queue();

	reset_buf();
	s = (struct string_io){ (uintptr_t)&abc[6], 4 };
	outs_string(2, PORT_QUEUE, true, true, &s);
	pop_bytes(8);
	report("rep_outsw_df1", buf, 8, (long)(s.addr - (uintptr_t)&abc[6]),
	       s.count);
	drain_queue();

	reset_buf();
	push_bytes(abc, 8);
	s = (struct string_io){ (uintptr_t)&buf[7], 8 };
	ins_string(1, PORT_QUEUE, true, true, &s);
	report("rep_insb_df1", buf, 8, (long)(s.addr - (uintptr_t)&buf[7]),
	       s.count);
	drain_queue();

	reset_buf();
	push_bytes(abc, 8);
	s = (struct string_io){ (uintptr_t)&buf[4], 2 };
	ins_string(4, PORT_QUEUE, true, true, &s);
	report("rep_insd_df1", buf, 8, (long)(s.addr - (uintptr_t)&buf[4]),
	       s.count);
	drain_queue();
}

static void zero_count(void)
{
	reset_buf();
	push_bytes(abc, 2);
	struct string_io s = { (uintptr_t)buf, 0 };
	ins_string(1, PORT_QUEUE, true, false, &s);
	struct string_io o = { (uintptr_t)abc, 0 };
	outs_string(1, PORT_QUEUE, true, false, &o);
	pop_bytes(3);
	/* buf[0..2] = the queue after both: the 2 pushed bytes, then 0xff. */
	report("rep_count0", buf, 3,
	       (long)(s.addr - (uintptr_t)buf) + (long)(o.addr - (uintptr_t)abc),
	       s.count + o.count);
	drain_queue();
}

static void cross_page(void)
{
	memset(frames, UNTOUCHED, sizeof(frames));
	map_page_4k(VA_CROSS, (uintptr_t)frames[FRAME_A]);
	map_page_4k(VA_CROSS + PAGE_SIZE_4K, (uintptr_t)frames[FRAME_B]);
	uint64_t start = VA_CROSS + PAGE_SIZE_4K - CROSS_HALF;

	push_bytes(abc, 8);
	struct string_io s = { start, 8 };
	ins_string(1, PORT_QUEUE, true, false, &s);
	uint8_t seen[16];
	memcpy(seen, frames[FRAME_A] + PAGE_SIZE_4K - CROSS_HALF, CROSS_HALF);
	memcpy(seen + 4, frames[FRAME_B], CROSS_HALF);
	memcpy(seen + 8, frames[FRAME_AFTER_A], CROSS_HALF);
	memcpy(seen + 12, frames[FRAME_AFTER_B], CROSS_HALF);
	/* data = A tail, B head, then the two physically adjacent frames'
	 * heads, which must stay untouched. */
	report("rep_insb_cross_page", seen, 16, (long)(s.addr - start), s.count);
	drain_queue();

	memcpy(frames[FRAME_A] + PAGE_SIZE_4K - CROSS_HALF, "wxyz", CROSS_HALF);
	memcpy(frames[FRAME_B], "1234", CROSS_HALF);
	memcpy(frames[FRAME_AFTER_A], "!!!!", CROSS_HALF);
	reset_buf();
	s = (struct string_io){ start, 8 };
	outs_string(1, PORT_QUEUE, true, false, &s);
	pop_bytes(8);
	report("rep_outsb_cross_page", buf, 8, (long)(s.addr - start), s.count);
	drain_queue();
}

/* REP INS/OUTS (or one INS/OUTS when count is 0) with #GP caught. */
static void string_caught(bool in, bool rep, struct string_io *s)
{
	fault_reset();
	uint16_t port = PORT_QUEUE;
	if (in && rep)
		__asm__ volatile("1: rep insb\n2:\n\t" FIXUP_ENTRY(1b, 2b, 2b)
				 : "+D"(s->addr), "+c"(s->count) : "d"(port) : "memory");
	else if (in)
		__asm__ volatile("1: insb\n2:\n\t" FIXUP_ENTRY(1b, 2b, 2b)
				 : "+D"(s->addr), "+c"(s->count) : "d"(port) : "memory");
	else
		__asm__ volatile("1: rep outsb\n2:\n\t" FIXUP_ENTRY(1b, 2b, 2b)
				 : "+S"(s->addr), "+c"(s->count) : "d"(port) : "memory");
}

static void report_fault(const char *step, const void *data, size_t n,
			 long delta, unsigned long rcx)
{
	char text[80];
	show(text, sizeof(text), data, n);
	printf("pio_mem: step=%s data=%s delta=%ld rcx=%lu vector=%d error=0x%lx offset=%lu\n",
	       step, text, delta, rcx, last_fault.vector, last_fault.error_code,
	       last_fault.offset);
}

static void string_fault(void)
{
	uint8_t *tail = frames[FRAME_A] + PAGE_SIZE_4K - CROSS_HALF;
	map_page_4k(VA_FAULT, (uintptr_t)frames[FRAME_A]);
	set_pt_entry(VA_FAULT + PAGE_SIZE_4K, PT_LEVEL_PTE, 0);
	map_page_4k(VA_FAULT + 2 * PAGE_SIZE_4K, GPA_OUTSIDE_RAM);
	uint64_t start = VA_FAULT + PAGE_SIZE_4K - CROSS_HALF;

	/* INS: the bytes of the present page arrive; which queue byte the
	 * faulting element consumed is not judged, so the queue is drained. */
	memset(tail, UNTOUCHED, CROSS_HALF);
	push_bytes(abc, 8);
	struct string_io s = { start, 8 };
	string_caught(true, true, &s);
	report_fault("rep_insb_not_present", tail, CROSS_HALF, (long)(s.addr - start), s.count);
	drain_queue();

	s = (struct string_io){ start + CROSS_HALF, 0 };
	string_caught(true, false, &s);
	report_fault("insb_not_present", "", 0, (long)(s.addr - (start + CROSS_HALF)), s.count);
	drain_queue();

	/* OUTS: exactly the bytes of the present page reach the queue (then
	 * the queue is empty: 0xff). */
	memcpy(tail, "wxyz", CROSS_HALF);
	reset_buf();
	s = (struct string_io){ start, 8 };
	string_caught(false, true, &s);
	pop_bytes(8);
	report_fault("rep_outsb_not_present", buf, 8, (long)(s.addr - start), s.count);
	drain_queue();

	uint64_t outside = VA_FAULT + 2 * PAGE_SIZE_4K;
	reset_buf();
	s = (struct string_io){ outside, 8 };
	string_caught(false, true, &s);
	pop_bytes(1);
	report_fault("rep_outsb_outside_ram", buf, 1, (long)(s.addr - outside), s.count);
	drain_queue();
}

/* RSI for the segment-override steps: the segment base is the text's
 * address minus this, so a hypervisor that ignores the base reads the
 * bytes at linear SEGMENT_OFFSET instead. */
#define SEGMENT_OFFSET 0x100ul

static void rep_outsb_segment(const char *step, uint32_t base_msr,
			      const char *text)
{
	uint64_t saved = rdmsr(base_msr);
	wrmsr(base_msr, (uintptr_t)text - SEGMENT_OFFSET);
	unsigned long rsi = SEGMENT_OFFSET, rcx = 8;
	uint16_t port = PORT_QUEUE;
	reset_buf();
	if (base_msr == MSR_IA32_FS_BASE)
		__asm__ volatile("rep outsb %%fs:(%%rsi), (%%dx)"
				 : "+S"(rsi), "+c"(rcx) : "d"(port) : "memory");
	else
		__asm__ volatile("rep outsb %%gs:(%%rsi), (%%dx)"
				 : "+S"(rsi), "+c"(rcx) : "d"(port) : "memory");
	wrmsr(base_msr, saved);
	pop_bytes(8);
	report(step, buf, 8, (long)(rsi - SEGMENT_OFFSET), rcx);
	drain_queue();
}

static void segment_override(void)
{
	rep_outsb_segment("rep_outsb_fs", MSR_IA32_FS_BASE, "FSfsFSfs");
	rep_outsb_segment("rep_outsb_gs", MSR_IA32_GS_BASE, "GSgsGSgs");
}

/* 67 F3 6E in 64-bit mode: 32-bit addressing, so the offset is ESI and the
 * count ECX (vol. 2 OUTS, REP), and their updates are 32-bit register
 * writes, which clear bits 63:32 (vol. 1 3.4.1.1). RSI and RCX start with
 * bit 32 set: a 64-bit count would be 2^32 + 8. */
#define ADDR32_HIGH_BIT 0x100000000ul

static void rep_outsb_addr32(void)
{
	static const char text[] = "A32a32A3";
	unsigned long rsi = ADDR32_HIGH_BIT | (uintptr_t)text, rcx = ADDR32_HIGH_BIT | 8;
	uint16_t port = PORT_QUEUE;
	reset_buf();
	__asm__ volatile(".byte 0x67, 0xf3, 0x6e"   /* addr32 rep outsb */
			 : "+S"(rsi), "+c"(rcx) : "d"(port) : "memory");
	pop_bytes(8);
	report("rep_outsb_addr32", buf, 8, (long)(rsi - (uintptr_t)text), rcx);
	drain_queue();
}


/* Compatibility mode (long mode, CS.L = 0): DS and ES keep their bases
 * (SDM vol. 1 3.4.2.1; APM vol. 2 4.5.3), the linear address is base +
 * ESI/EDI truncated to 32 bits. Each step puts the text it expects in one
 * slot and a decoy in the other, and loads the segment with base = target
 * slot - decoy slot (mod 2^32) and the offset = the decoy's address: a
 * hypervisor that drops the base moves the decoy's bytes; going from the
 * higher slot down to the lower one, base + offset passes 2^32 and only
 * the truncated sum reaches the target. */
#define COMPAT_SELECTOR (RUNTIME_GDT_ENTRIES * 8u)
#define COMPAT_TEXT_LEN 8u
enum { SLOT_LOW, SLOT_HIGH, SLOT_COUNT };
static uint64_t compat_gdt[RUNTIME_GDT_ENTRIES + 1] __attribute__((aligned(8)));
static char compat_out[SLOT_COUNT][COMPAT_TEXT_LEN] = { "lowDSlow", "HIGHdsHI" };
static char compat_in[SLOT_COUNT][COMPAT_TEXT_LEN];

/* REP INSB (F3 6C: ES:EDI) or REP OUTSB (F3 6E: DS:ESI), count ECX, in
 * compatibility mode with DS and ES both loaded with a descriptor whose
 * base is `base`; *index is EDI or ESI, before and after. */
static void compat_rep_string(bool in, uint32_t base, uint32_t *index, uint32_t *count)
{
	compat_gdt[RUNTIME_GDT_ENTRIES] = flat_data_segment_descriptor(base);
	unsigned long di = *index, si = *index, cx = *count;
	uint16_t port = PORT_QUEUE;
	__asm__ volatile("movl %[sel], %%eax\n\t"
			 "mov %%eax, %%ds\n\t"
			 "mov %%eax, %%es\n\t"
			 COMPAT_MODE_ASM("testl %[in], %[in]\n\t"
					 "jz 4f\n\t"
					 "rep insb\n\t"
					 "jmp 5f\n"
					 "4:\n\t"
					 "rep outsb\n"
					 "5:\n\t")
			 "movl %[flat], %%eax\n\t"
			 "mov %%eax, %%ds\n\t"
			 "mov %%eax, %%es\n\t"
			 : "+D"(di), "+S"(si), "+c"(cx)
			 : "d"(port), [in] "b"((uint32_t)in), [sel] "i"(COMPAT_SELECTOR),
			   [flat] "i"(RUNTIME_DATA_SELECTOR)
			 : "rax", "r10", "r11", "memory", "cc");
	*index = (uint32_t)(in ? di : si);
	*count = (uint32_t)cx;
}

/* REP OUTSB from slot `to` of compat_out, DS based so that the offset
 * names slot `from`. */
static void compat_rep_outsb(const char *step, unsigned from, unsigned to)
{
	uint32_t offset = (uint32_t)(uintptr_t)compat_out[from];
	uint32_t esi = offset, ecx = COMPAT_TEXT_LEN;
	reset_buf();
	compat_rep_string(false, (uint32_t)(uintptr_t)compat_out[to] - offset, &esi, &ecx);
	pop_bytes(COMPAT_TEXT_LEN);
	report(step, buf, COMPAT_TEXT_LEN, (long)(esi - offset), ecx);
	drain_queue();
}

/* REP INSB into slot `to` of compat_in, ES based so that the offset names
 * slot `from`; data = both slots, low then high (the decoy must stay
 * untouched). */
static void compat_rep_insb(const char *step, const char *text, unsigned from, unsigned to)
{
	uint32_t offset = (uint32_t)(uintptr_t)compat_in[from];
	uint32_t edi = offset, ecx = COMPAT_TEXT_LEN;
	memset(compat_in, UNTOUCHED, sizeof(compat_in));
	push_bytes(text, COMPAT_TEXT_LEN);
	compat_rep_string(true, (uint32_t)(uintptr_t)compat_in[to] - offset, &edi, &ecx);
	report(step, compat_in, sizeof(compat_in), (long)(edi - offset), ecx);
	drain_queue();
}

static void compat_mode_segments(void)
{
	gdt_extend(compat_gdt, sizeof compat_gdt / sizeof compat_gdt[0]);
	compat_rep_outsb("compat_rep_outsb_ds", SLOT_LOW, SLOT_HIGH);
	compat_rep_outsb("compat_rep_outsb_ds_wrap", SLOT_HIGH, SLOT_LOW);
	compat_rep_insb("compat_rep_insb_es", "insESins", SLOT_LOW, SLOT_HIGH);
	compat_rep_insb("compat_rep_insb_es_wrap", "wrapESwr", SLOT_HIGH, SLOT_LOW);
}

static void com1_string(void)
{
	static const char line[] = "pio_mem: rep outsb reached com1\n";
	struct string_io s = { (uintptr_t)line, sizeof(line) - 1 };
	outs_string(1, PORT_COM1_THR, true, false, &s);
}

void probe_main(void)
{
	drain_queue();
	if (cmdline_is(boot_cmdline(), "mode", "compat")) {
		compat_mode_segments();
		return;
	}
	rep_outs_forward("rep_outsb", 1);
	rep_outs_forward("rep_outsw", 2);
	rep_outs_forward("rep_outsd", 4);
	rep_ins_forward("rep_insb", 1);
	rep_ins_forward("rep_insw", 2);
	rep_ins_forward("rep_insd", 4);
	single_forms();
	backward_forms();
	zero_count();
	cross_page();
	string_fault();
	segment_override();
	rep_outsb_addr32();
	com1_string();
}
