/* I/O-instruction VM-exit decoding (SDM vol. 3 28.2.1 and 28.2.5). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "io_exit.h"
#include "hv_string.h"

/* Exit qualification for I/O instructions (SDM 28.2.1, Table 28-5). */
#define IOQ_SIZE_MASK 0x7ull     /* bits 2:0: 0 = 1 byte, 1 = 2, 3 = 4 */
#define IOQ_SIZE_1 0
#define IOQ_SIZE_2 1
#define IOQ_SIZE_4 3
#define IOQ_IN (1ull << 3)       /* direction: 1 = IN */
#define IOQ_STRING (1ull << 4)
#define IOQ_REP (1ull << 5)
#define IOQ_IMM (1ull << 6)      /* operand encoding: 1 = immediate */
#define IOQ_PORT_SHIFT 16        /* bits 31:16 */
#define IOQ_PORT_MASK 0xffffull

/* VM-exit instruction-information field for INS/OUTS (SDM 28.2.5,
 * Table 28-8). */
#define IOI_ADDR_SIZE_SHIFT 7    /* bits 9:7: 0 = 16-bit, 1 = 32, 2 = 64 */
#define IOI_ADDR_SIZE_MASK 0x7u
#define IOI_SEGMENT_SHIFT 15     /* bits 17:15, undefined for INS */
#define IOI_SEGMENT_MASK 0x7u

int io_exit_decode(uint64_t qualification, uint32_t insn_info, struct io_exit *out)
{
	struct io_exit io = { 0 };

	switch (qualification & IOQ_SIZE_MASK) {
	case IOQ_SIZE_1: io.width = 1; break;
	case IOQ_SIZE_2: io.width = 2; break;
	case IOQ_SIZE_4: io.width = 4; break;
	default: goto reserved;
	}
	io.in = qualification & IOQ_IN;
	io.string = qualification & IOQ_STRING;
	io.rep = qualification & IOQ_REP;
	io.imm_operand = qualification & IOQ_IMM;
	io.port = (qualification >> IOQ_PORT_SHIFT) & IOQ_PORT_MASK;

	if (io.string) {
		unsigned asz = (insn_info >> IOI_ADDR_SIZE_SHIFT) & IOI_ADDR_SIZE_MASK;
		if (asz > 2)
			goto reserved;
		io.addr_bits = 16u << asz;
		if (io.in) {
			io.segment = SEGMENT_ES;
		} else {
			unsigned seg = (insn_info >> IOI_SEGMENT_SHIFT) & IOI_SEGMENT_MASK;
			if (seg > SEGMENT_GS)
				goto reserved;
			io.segment = seg;
		}
	}
	*out = io;
	return 0;
reserved:
	memset(out, 0, sizeof(*out));
	return -1;
}

const char *io_exit_kev_name(const struct io_exit *io)
{
	switch (io->width) {
	case 1: return io->in ? "InbAl" : "OutbAl";
	case 2: return io->in ? "InwAx" : "OutwAx";
	case 4: return io->in ? "IndEax" : "OutdEax";
	default: return NULL;
	}
}
