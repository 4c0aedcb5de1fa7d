/* LMSW with 64-bit memory operands (lmsw_mem.c, lmsw_mem64.S). */
#ifndef CR_REGS_LMSW_MEM_H
#define CR_REGS_LMSW_MEM_H
#define LMSW_RIGHT_MSW 0xa          /* MP and TS (SDM vol. 3A 2.5): the word the operand names */
#define LMSW_NEXT_MARK 0x90909090   /* its bytes are NOPs (lmsw_mem64.S) */

#ifndef __ASSEMBLER__
#include <stdint.h>

/* Each loads the 16 registers from regs (lmsw_mem64.S) and runs one LMSW;
 * RAX holds NEXT_MARK when the guest went on at the next instruction. */
uint64_t lmsw_mem_base_index_disp8(const uint64_t *regs);
uint64_t lmsw_mem_base_index_disp32(const uint64_t *regs);
uint64_t lmsw_mem_base_rsp(const uint64_t *regs);
uint64_t lmsw_mem_base_r12(const uint64_t *regs);
uint64_t lmsw_mem_base_r13_disp8(const uint64_t *regs);
uint64_t lmsw_mem_index_r9(const uint64_t *regs);
uint64_t lmsw_mem_index_r12(const uint64_t *regs);
uint64_t lmsw_mem_base_r8_index_r15(const uint64_t *regs);
uint64_t lmsw_mem_no_base(const uint64_t *regs);
uint64_t lmsw_mem_no_base_index_r10(const uint64_t *regs);
uint64_t lmsw_mem_modrm_disp32(const uint64_t *regs);
uint64_t lmsw_mem_modrm_r10(const uint64_t *regs);
uint64_t lmsw_mem_rip_relative(const uint64_t *regs);
uint64_t lmsw_mem_addr32(const uint64_t *regs);
uint64_t lmsw_mem_modrm_disp8_neg(const uint64_t *regs);
uint64_t lmsw_mem_modrm_rbp_disp8_min(const uint64_t *regs);
uint64_t lmsw_mem_base_index_disp8_neg(const uint64_t *regs);

/* Runs every form and prints one `cr: lmsw_mem` line each. */
void lmsw_mem(void);
#endif
#endif
