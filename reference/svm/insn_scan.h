/* The little x86 decoding the SVM layer needs when the processor reports
 * no instruction length (no NRIPS, no decode assists): legacy and REX
 * prefixes in front of a known opcode. Pure functions over bytes, so the
 * host unit tests run them (tests/unit/insn_scan_test.c). */
#ifndef HV_INSN_SCAN_H
#define HV_INSN_SCAN_H
#include <stdbool.h>
#include <stdint.h>

#define X86_MAX_INSN_LENGTH 15u    /* AMD APM vol. 3 1.1 */

struct insn_prefixes {
	unsigned length;        /* bytes of legacy prefixes, then REX (64-bit mode only) */
	unsigned segment;       /* enum x86_segment: the last segment override, else DS */
	bool address_size;      /* a 67h prefix */
};

/* Scans the prefixes at bytes[0..avail); code_bits (16, 32, 64) decides
 * whether 40h-4Fh are REX prefixes (64) or opcodes. */
void insn_scan_prefixes(const uint8_t *bytes, unsigned avail, unsigned code_bits,
			struct insn_prefixes *out);

/* The length of the instruction at bytes[0..avail) when its opcode, after
 * its prefixes, is opcode[0..n); 0 when it is another instruction or
 * avail ends first. */
unsigned insn_length_of(const uint8_t *bytes, unsigned avail, unsigned code_bits,
			const uint8_t *opcode, unsigned n);

/* The address size (16, 32, 64) of an instruction in code of code_bits
 * with or without a 67h prefix (APM vol. 3 1.2.3, Table 1-3). */
unsigned insn_address_bits(unsigned code_bits, bool address_size_prefix);

#endif
