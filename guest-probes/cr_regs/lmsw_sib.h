/* LMSW with SIB memory operands (lmsw_sib.c, lmsw_sib64.S). */
#ifndef CR_REGS_LMSW_SIB_H
#define CR_REGS_LMSW_SIB_H
#include <stdint.h>

/* Each loads the 16 registers from regs (lmsw_sib64.S) and runs one LMSW. */
void lmsw_sib_base_index_disp8(const uint64_t *regs);
void lmsw_sib_base_index_disp32(const uint64_t *regs);
void lmsw_sib_base_rsp(const uint64_t *regs);
void lmsw_sib_base_r12(const uint64_t *regs);
void lmsw_sib_base_r13_disp8(const uint64_t *regs);
void lmsw_sib_index_r9(const uint64_t *regs);
void lmsw_sib_index_r12(const uint64_t *regs);
void lmsw_sib_base_r8_index_r15(const uint64_t *regs);
void lmsw_sib_no_base(const uint64_t *regs);
void lmsw_sib_no_base_index_r10(const uint64_t *regs);

/* Runs every form and prints one `cr: lmsw_sib` line each. */
void lmsw_sib(void);
#endif
