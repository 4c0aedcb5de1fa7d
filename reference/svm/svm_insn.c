/* Instruction lengths the processor does not report: without NRIPS (QEMU
 * TCG) an intercepted instruction's length is read from guest memory. */
#include "svm.h"
#include "vmcb.h"
#include "guest_mem.h"
#include "io_exit.h"

#define X86_MAX_INSN_LENGTH 15     /* AMD APM vol. 3 1.1 */
#define REX_FIRST           0x40   /* REX prefixes 40-4F, 64-bit mode only (APM vol. 3 1.2.7) */
#define REX_LAST            0x4F
#define CS_SEGMENT          1
#define ADDRESS_SIZE_PREFIX 0x67

/* Legacy prefixes (APM vol. 3 1.2, Table 1-2): -1 for none, else the
 * segment an override names (enum io_segment) or SEG_NONE. */
#define NOT_PREFIX -1
#define SEG_NONE   -2
static int legacy_prefix(uint8_t b)
{
	switch (b) {
	case 0x26: return IO_SEG_ES;
	case 0x2E: return IO_SEG_CS;
	case 0x36: return IO_SEG_SS;
	case 0x3E: return IO_SEG_DS;
	case 0x64: return IO_SEG_FS;
	case 0x65: return IO_SEG_GS;
	case 0x66: case 0x67: case 0xF0: case 0xF2: case 0xF3:
		return SEG_NONE;
	}
	return NOT_PREFIX;
}

/* Copies up to 15 bytes at the guest's CS:RIP; returns how many. */
static unsigned fetch(struct vcpu *v, uint8_t *bytes)
{
	struct guest_cpu_state s;
	svm_cpu_state(v, &s);
	struct guest_mem m = guest_mem_of(v->vm);
	uint64_t linear = svm_segment_base(v, CS_SEGMENT) + svm_rip(v);
	if (svm_code_bits(v) != 64)
		linear &= 0xFFFFFFFFull;
	uint64_t gpa, in_page;
	if (guest_translate(&m, &s, linear, &gpa, &in_page) != GUEST_XLATE_OK)
		return 0;
	/* The whole 15 bytes when the next page translates, else up to the page end. */
	if (guest_copy_from_virt(&m, &s, linear, bytes, X86_MAX_INSN_LENGTH) == GUEST_XLATE_OK)
		return X86_MAX_INSN_LENGTH;
	unsigned n = in_page < X86_MAX_INSN_LENGTH ? (unsigned)in_page : X86_MAX_INSN_LENGTH;
	return guest_copy_from_virt(&m, &s, linear, bytes, n) == GUEST_XLATE_OK ? n : 0;
}

int svm_insn_length(struct vcpu *v, const uint8_t *opcode, unsigned n)
{
	uint8_t bytes[X86_MAX_INSN_LENGTH];
	unsigned avail = fetch(v, bytes), i = 0;
	if (!avail)
		return SVM_INSN_UNREADABLE;
	while (i < avail && legacy_prefix(bytes[i]) != NOT_PREFIX)
		i++;
	if (svm_code_bits(v) == 64 && i < avail && bytes[i] >= REX_FIRST && bytes[i] <= REX_LAST)
		i++;
	if (i + n > avail)
		return 0;
	for (unsigned k = 0; k < n; k++)
		if (bytes[i + k] != opcode[k])
			return 0;
	return (int)(i + n);
}

void svm_insn_string_io(struct vcpu *v, unsigned *segment, unsigned *addr_bits)
{
	uint8_t bytes[X86_MAX_INSN_LENGTH];
	unsigned avail = fetch(v, bytes), bits = svm_code_bits(v);
	bool addr_override = false;
	int seg = IO_SEG_DS;   /* the last override wins, as on the processor */
	for (unsigned i = 0; i < avail; i++) {
		int p = legacy_prefix(bytes[i]);
		if (p == NOT_PREFIX)
			break;
		if (bytes[i] == ADDRESS_SIZE_PREFIX)
			addr_override = true;
		else if (p != SEG_NONE)
			seg = p;
	}
	*segment = (unsigned)seg;
	/* 67h selects the other size the mode allows (APM vol. 3 1.2.3, Table 1-3). */
	if (!addr_override)
		*addr_bits = bits;
	else
		*addr_bits = bits == 32 ? 16 : 32;
}
