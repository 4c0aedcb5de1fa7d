/* Register image shared by main.c and vmcall_regs.S: the byte offsets of
 * struct gpr_set and the GPR_SET_* constants must agree. */
#ifndef GP_HC_PRESERVE_GPR_SET_H
#define GP_HC_PRESERVE_GPR_SET_H

#define GPR_SET_RAX 0
#define GPR_SET_RBX 8
#define GPR_SET_RCX 16
#define GPR_SET_RDX 24
#define GPR_SET_RSI 32
#define GPR_SET_RDI 40
#define GPR_SET_RBP 48
#define GPR_SET_R8 56
#define GPR_SET_R9 64
#define GPR_SET_R10 72
#define GPR_SET_R11 80
#define GPR_SET_R12 88
#define GPR_SET_R13 96
#define GPR_SET_R14 104
#define GPR_SET_R15 112
#define GPR_SET_RSP 120
#define GPR_SET_RFLAGS 128
#define GPR_SET_SIZE 136
#define GPR_SET_GPRS 16 /* rax..rsp */

#ifndef __ASSEMBLER__
#include <stdint.h>
struct gpr_set {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12,
		r13, r14, r15, rsp, rflags;
};
_Static_assert(sizeof(struct gpr_set) == GPR_SET_SIZE, "gpr_set layout");

/* Loads every register from *in (RSP excepted: in->rsp is ignored and
 * out->rsp/out_before_rsp record the real one), executes VMCALL and stores
 * every register and RFLAGS right after it into *out. */
void vmcall_with_registers(const struct gpr_set *in, struct gpr_set *out,
			   uint64_t *rsp_before);
#endif

#endif
