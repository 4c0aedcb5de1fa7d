/* What the fuzz probe's files share: the register state one generated
 * instruction runs with (exec64.S / exec32.S), the PRNG, the guest
 * address plan of the current paging mode (modes64.c / modes32.c), the
 * op counters and the mismatch report. See README.md for the op kinds,
 * their oracles and the exclusions. */
#ifndef FUZZ_H
#define FUZZ_H
#include "fuzz_layout.h"
#include "runtime.h"

#ifdef __x86_64__
#define FUZZ_GPRS 16
#define FUZZ_WORD_BITS 64
#else
#define FUZZ_GPRS 8
#define FUZZ_WORD_BITS 32
#endif

/* GPR numbers as ModRM/REX encode them (vol. 2, 2.1.5 table 2-2). */
enum { R_AX, R_CX, R_DX, R_BX, R_SP, R_BP, R_SI, R_DI,
       R_8, R_9, R_10, R_11, R_12, R_13, R_14, R_15 };

/* Register state in and out of one generated instruction. RSP is not
 * loaded: the instruction runs on the trampoline's own stack (sp_at_insn).
 * exec*.S knows this layout. */
struct fuzz_regs {
	unsigned long gpr[FUZZ_GPRS];
	unsigned long flags;
};

/* The code slot: the generated instruction, then RET, then INT3s (a
 * hypervisor that advances RIP too far lands on one and is caught). It is
 * fuzz_slot, or in the paging modes now and then the split slot across
 * FUZZ_SPLIT_BOUNDARY (fuzz_layout.h); fuzz_slot_va is where it is. */
#define OPCODE_RET 0xc3u
#define OPCODE_INT3 0xccu

extern struct fuzz_regs fuzz_in, fuzz_out;
extern uint8_t fuzz_slot[];
extern unsigned long fuzz_slot_va;

/* Picks the slot the next fuzz_run uses for an instruction of len bytes
 * (op_mmio needs it before it solves a RIP-relative operand). */
void fuzz_choose_slot(unsigned len);

/* The faulting RIP's offset from the start of the instruction. */
static inline unsigned long fault_offset(void)
{
	return last_fault.rip - fuzz_slot_va;
}
extern uint8_t fuzz_stack_top[];
/* RSP (ESP) while the slot runs: exec*.S switches to its own stack. */
static inline unsigned long sp_at_insn(void)
{
	return (unsigned long)(uintptr_t)fuzz_stack_top - sizeof(unsigned long);
}

/* Copies the instruction into the slot, runs it with fuzz_in and returns
 * the vector of the exception it raised (FAULT_NONE if none); fuzz_out
 * holds the registers after it (at the fault, if one was raised) and
 * last_fault the fault details (offset = faulting RIP - slot). */
int fuzz_run(const uint8_t *insn, unsigned len);

/* EFLAGS bits a generated instruction may start with (vol. 1, 3.4.3):
 * the status flags, and DF for string I/O. IF and TF stay clear. */
#define FUZZ_STATUS_FLAGS 0x8d5ul /* OF SF ZF AF PF CF */
#define FUZZ_FLAGS_FIXED 0x2ul    /* bit 1 is always 1 */

/* Deterministic PRNG: xorshift64* (Marsaglia 2003; Vigna 2016). */
extern uint64_t fuzz_prng_state;
static inline uint64_t rnd64(void)
{
	uint64_t x = fuzz_prng_state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	fuzz_prng_state = x;
	return x * 0x2545f4914f6cdd1dull;
}
/* Uniform-enough value in [0, n), n > 0. */
static inline uint32_t rnd(uint32_t n)
{
	return (uint32_t)(rnd64() >> 32) % n;
}
static inline bool chance(uint32_t one_in)
{
	return rnd(one_in) == 0;
}

/* Guest-physical device windows (contract 9). */
#define WINDOW_SIZE 0x1000u
#define WINDOW_DOORBELL 0
#define WINDOW_TESTDEV 1
#define WINDOW_ROM 2
#define WINDOW_NOEXEC 3
#define WINDOW_COUNT 4
#define WINDOW_GPA(w) (0xcafe0000ull + (uint64_t)(w) * WINDOW_SIZE)

/* The safe text: the only guest bytes a Print, a doorbell ring or an
 * OUTS to COM1 may send to the console (digits, '~' and newlines, so
 * nothing printed can begin a `[hv] ` or `fuzz: ` line). Pre-touched. */
#define TEXT_PAGES 3u
extern char fuzz_text[TEXT_PAGES * PAGE_SIZE_4K];
/* (Re)writes the safe text: digits and a newline every 64 bytes. */
void fill_text(void);
static inline char safe_byte(void)
{
	static const char alphabet[] = "0123456789~";
	return alphabet[rnd(sizeof(alphabet) - 1)];
}

/* The arena: guest RAM only the fuzzer touches (plain stores and INS),
 * so MemStats must count exactly the arena pages touched. Identity
 * mapped in every mode. */
#define ARENA_GPA 0x800000ul
#define ARENA_PAGES 512u

/* What the current mode offers (set by the mode's setup). */
struct mode_plan {
	const char *name;
	unsigned addr_bits;        /* 32 or 64: width of the guest's addresses */
	unsigned long window_va[WINDOW_COUNT]; /* where each window is mapped */
	unsigned long window_alias_va;         /* second mapping of all four, 0 if none */
	unsigned long not_present_va;  /* page not present; the page below is text, 0 if none */
	unsigned long ram_end;         /* first GPA past guest RAM (identity mapped) */
	unsigned long unmapped_va;     /* an address no entry maps, 0 if none */
	bool top_page_mapped;          /* the last page of the address space
					* maps a text frame (wrap tests) */
	bool split_slot;               /* FUZZ_SPLIT_VA.. maps two frames */
	bool paging;                   /* CR0.PG is set */
};
extern struct mode_plan plan;

/* The modes this image offers, in order; each one's setup switches the
 * guest into it and fills plan. */
struct fuzz_mode {
	const char *name;
	void (*enter)(void);
};
extern const struct fuzz_mode fuzz_modes[];
extern const unsigned fuzz_mode_count;

/* Op kinds, counted per mode and in total. */
#define OP_KINDS(X) X(hypercall) X(pio) X(string_pio) X(msr) X(cpuid) \
	X(mmio) X(touch) X(memstats) X(cr0) X(doorbell)
enum op_kind {
#define KIND_ENUM(k) OP_##k,
	OP_KINDS(KIND_ENUM)
#undef KIND_ENUM
	OP_KIND_COUNT
};
struct fuzz_counts {
	uint64_t ops[OP_KIND_COUNT];
	uint64_t faults;        /* exceptions the contract promises, caught */
	uint64_t exits_at_least; /* ops that must exit (VMCALL, I/O, CPUID, device MMIO) */
	uint64_t mismatches;
};
extern struct fuzz_counts counts;
extern uint64_t op_index;
/* Command line efer_lme=1: the MSR ops also flip EFER.LME (op_msr.c). */
extern bool fuzz_efer_lme_flips;

/* Records a contract violation seen by an oracle: prints the first few as
 * `fuzz: mismatch op=<i> <what>` (with the seed line they rerun exactly). */
void mismatch(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Register-state helpers shared by the op kinds. */
void random_regs(void);          /* fuzz_in := random GPRs and status flags */
/* Every GPR but those in mask (bit n = GPR n) must come back unchanged,
 * and the status flags and DF too; returns false after a mismatch. */
bool regs_preserved(const char *what, uint32_t changed_mask);

/* The op kinds (op_*.c). Each issues one operation and checks it. */
void op_hypercall(void);
void op_pio(void);
void op_string_pio(void);
void op_msr(void);
void op_cpuid(void);
void op_mmio(void);
void op_touch(void);
void op_memstats(void);
void op_cr0(void);
void op_doorbell(void);

/* CR0 as the mode began: remembered at its start, restored at its end. */
void cr0_remember(void);
void cr0_restore(void);

/* The MSR model starts from what the MSRs hold when a mode begins. */
void msr_model_init(void);

/* The arena bookkeeping for the MemStats consistency check. */
void arena_touch(unsigned long gpa_start, unsigned long len, bool by_guest);
extern unsigned arena_fresh_by_guest, arena_fresh_by_hv;
bool arena_written_by_hv(unsigned page);
/* The FS and GS bases (and any emulated MSR) as the MSR model holds them. */
uint64_t msr_model_value(uint32_t index);

/* The 0xBB queue model (contract 6), shared by port and string I/O. */
void queue_push(uint8_t b);
uint8_t queue_pop(void);

#endif
