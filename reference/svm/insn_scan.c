/* Prefix scanning for instruction lengths and string-I/O operands
 * (AMD APM vol. 3 1.2). */
#include "insn_scan.h"
#include "cr_insn.h"

#define REX_FIRST           0x40   /* REX prefixes 40h-4Fh, 64-bit mode only (APM vol. 3 1.2.7) */
#define REX_LAST            0x4F
#define NOT_PREFIX          (-1)
#define NO_SEGMENT          (-2)

/* Legacy prefixes (APM vol. 3 1.2, Table 1-1, lib's cr_insn.h): NOT_PREFIX,
 * the segment a segment override names (enum x86_segment), or NO_SEGMENT. */
static int legacy_prefix(uint8_t b)
{
	int segment = x86_segment_prefix(b);
	if (segment >= 0)
		return segment;
	return x86_other_legacy_prefix(b) ? NO_SEGMENT : NOT_PREFIX;
}

void insn_scan_prefixes(const uint8_t *bytes, unsigned avail, unsigned code_bits,
			struct insn_prefixes *out)
{
	*out = (struct insn_prefixes){ 0, SEGMENT_DS, false };
	unsigned i = 0;
	for (; i < avail && i < X86_MAX_INSN_LENGTH; i++) {
		int p = legacy_prefix(bytes[i]);
		if (p == NOT_PREFIX)
			break;
		if (bytes[i] == PREFIX_ADDRESS_SIZE)
			out->address_size = true;
		else if (p != NO_SEGMENT)
			out->segment = (unsigned)p;   /* the last override wins, as on the processor */
	}
	if (code_bits == 64 && i < avail && bytes[i] >= REX_FIRST && bytes[i] <= REX_LAST)
		i++;
	out->length = i;
}

unsigned insn_length_of(const uint8_t *bytes, unsigned avail, unsigned code_bits,
			const uint8_t *opcode, unsigned n)
{
	struct insn_prefixes p;
	insn_scan_prefixes(bytes, avail, code_bits, &p);
	if (p.length + n > avail || p.length + n > X86_MAX_INSN_LENGTH)
		return 0;
	for (unsigned k = 0; k < n; k++)
		if (bytes[p.length + k] != opcode[k])
			return 0;
	return p.length + n;
}

unsigned insn_address_bits(unsigned code_bits, bool address_size_prefix)
{
	if (!address_size_prefix)
		return code_bits;
	return code_bits == 32 ? 16 : 32;
}
