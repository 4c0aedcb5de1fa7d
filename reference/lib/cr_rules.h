/* The architectural rules of a write to CR0, CR3 or CR4 (contract 13): the
 * checks a hypervisor that emulates MOV to CR, CLTS or LMSW makes before it
 * loads the value, so the guest gets the #GP(0) the processor would raise
 * (Intel SDM vol. 2 "MOV--Move to/from Control Registers", vol. 3A 2.5;
 * AMD APM vol. 2 3.1, vol. 3 "MOV CRn"). Pure functions, host unit tests:
 * tests/unit/cr_rules_test.c. */
#ifndef HV_CR_RULES_H
#define HV_CR_RULES_H
#include <stdbool.h>
#include <stdint.h>

/* CR0 bits the architecture defines (SDM 2.5, Figure 2-7): PE MP EM TS ET
 * NE WP AM NW CD PG. The others read 0 and writes to bits 31:0 of them are
 * ignored; bits 63:32 are reserved (#GP). */
#define CR0_DEFINED_BITS   0xE005003Full
#define CR0_MSW_BITS       0xFull          /* PE MP EM TS: what LMSW writes (vol. 2 LMSW) */
#define CR0_TS             (1ull << 3)
#define CR8_TPR_BITS       0xFull          /* CR8[3:0] = TPR[7:4]; 63:4 reserved (SDM 2.5, 11.8.6.1) */

/* What a write is checked against: the guest's state before it. */
struct cr_context {
	uint64_t cr0, cr4, efer;   /* as the guest sees them */
	bool code64;               /* 64-bit mode: 64-bit operands, bits 63:32 checked */
	uint64_t cr4_writable;     /* CR4 bits this processor lets the guest set */
	unsigned phys_addr_bits;   /* MAXPHYADDR: CR3 bits at and above it are reserved in long mode */
};

/* The value a MOV to CR writes from a 64-bit register: all of it in 64-bit
 * mode, bits 31:0 otherwise (SDM vol. 2 MOV CR: 32-bit operands outside
 * 64-bit mode). */
uint64_t cr_operand(const struct cr_context *c, uint64_t reg);

/* Whether the processor takes this value (false: #GP(0), nothing changes).
 * CR0: bits 63:32 clear, not PG without PE, not NW without CD, PG not
 * cleared in 64-bit mode, PG not set with EFER.LME and CR4.PAE clear.
 * CR4: only writable bits, PAE not cleared while EFER.LMA is 1.
 * CR3: in long mode no bit at or above MAXPHYADDR (bit 63 aside: with
 * CR4.PCIDE it is not stored, without it it is reserved too). */
bool cr0_write_ok(const struct cr_context *c, uint64_t value);
bool cr4_write_ok(const struct cr_context *c, uint64_t value);
bool cr3_write_ok(const struct cr_context *c, uint64_t value);

/* The CR0 a guest reads after an accepted write: the defined bits, ET
 * always 1 (SDM 2.5: ET is reserved, fixed to 1, on every processor since
 * the Pentium 4 / K8). */
uint64_t cr0_stored(uint64_t value);

/* The CR3 an accepted write stores: with CR4.PCIDE bit 63 only says
 * whether to flush, it is not stored (SDM 4.10.4.1). */
uint64_t cr3_stored(const struct cr_context *c, uint64_t value);

/* CLTS: CR0 with TS clear. LMSW: PE, MP, EM and TS from msw, PE never
 * cleared (vol. 2 LMSW); its result is always a valid CR0. */
uint64_t cr0_after_clts(uint64_t cr0);
uint64_t cr0_after_lmsw(uint64_t cr0, uint16_t msw);

#endif
