/* Decodes the VM-exit information of an I/O-instruction exit (IN, OUT,
 * INS, OUTS) into a vendor-neutral description. */
#ifndef HV_IO_EXIT_H
#define HV_IO_EXIT_H
#include <stdbool.h>
#include <stdint.h>
#include "x86_segment.h"


struct io_exit {
	uint16_t port;
	uint8_t width;     /* bytes: 1, 2 or 4 */
	bool in;           /* IN/INS (else OUT/OUTS) */
	bool string;       /* INS/OUTS */
	bool rep;          /* REP prefix */
	bool imm_operand;  /* port from imm8 (else DX) */
	uint8_t addr_bits; /* string only: 16, 32 or 64; 0 otherwise */
	uint8_t segment;   /* string only: enum x86_segment of the source
			      (OUTS) or ES (INS: the destination is always ES) */
};

/* qualification: the exit qualification (SDM 28.2.1, Table 28-5);
 * insn_info: the VM-exit instruction-information field, read only for
 * string instructions. Returns 0, or -1 on a reserved size, address-size
 * or segment encoding (then *out is zeroed). */
int io_exit_decode(uint64_t qualification, uint32_t insn_info, struct io_exit *out);

/* The KeV name of the access: "InbAl", "InwAx", "IndEax", "OutbAl",
 * "OutwAx", "OutdEax"; NULL for a width other than 1, 2, 4. */
const char *io_exit_kev_name(const struct io_exit *io);

#endif
