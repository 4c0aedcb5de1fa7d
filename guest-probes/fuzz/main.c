/* fuzz: a seeded adversarial guest (issue 9 section 6). From each paging
 * mode the image offers (fuzz: 4-level long mode; fuzz32: paging off,
 * 32-bit paging, PAE) it issues random hypercalls, port I/O, string I/O,
 * MSR accesses, CPUID leaves, device-window MMIO instructions with random
 * encodings, CR0 writes and first touches of fresh RAM (in the paging
 * modes a quarter of them from a slot split across two pages), checks
 * each against the
 * contract's outcome (an oracle per op kind, op_*.c), and at the end of
 * each mode checks MemStats against the pages it touched itself.
 *
 * Command line: seed=<n> (default 1), ops=<n> operations in all, split
 * evenly over the modes (default 3000), mode=<name> only that mode,
 * trace=1 prints every generated instruction before it runs (to find
 * the op that ends a VM), efer_lme=1 lets the MSR ops flip EFER.LME with
 * paging on (README.md, Findings), halt=<n> is the HaltCpu code it ends
 * with (default 0). Lines:
 *   fuzz: seed=<n> ops=<n> image=<fuzz|fuzz32>        first, always
 *   fuzz: mode=<m> begin
 *   fuzz: progress mode=<m> ops=<n>                 every PROGRESS_EVERY ops
 *   fuzz: mismatch op=<i> mode=<m> <what>          the first MAX_SHOWN
 *   fuzz: mode=<m> ops=<n> <kind>=<n>... faults=<n> exits_at_least=<n> tsc=<n>
 *   fuzz: mode=<m> memstats populated=+<n> expected=+<n> ...
 *   fuzz: done ops=<n> mismatches=<n> faults=<n> exits_at_least=<n> tsc=<n>
 *   fuzz: counters consistent            (or: fuzz: counters inconsistent)
 * Exclusions and their reasons: README.md. */
#include "dev_model.h"
#include "cmdline.h"

#define DEFAULT_SEED 1u
#define DEFAULT_OPS 3000u
#define MAX_SHOWN 20u          /* mismatch lines printed; all are counted */
#define PROGRESS_EVERY 10000u
#define SPLIT_ONE_IN 4u        /* ops run from the split slot (paging modes) */
#define MAX_OPS 4000000000u   /* op counts stay 32-bit (no 64-bit division in 32-bit code) */
#define MIB 0x100000ul
#define KIB 0x400ul

uint64_t fuzz_prng_state;
struct fuzz_counts counts;
uint64_t op_index;
struct mode_plan plan;
char fuzz_text[TEXT_PAGES * PAGE_SIZE_4K] __attribute__((aligned(PAGE_SIZE_4K)));

/* The PRNG state for a seed: one splitmix64 step (Steele, Lea, Flood
 * 2014), so neighbouring seeds give unrelated streams; never 0, which
 * xorshift cannot leave. */
static uint64_t prng_seed_state(uint64_t seed)
{
	uint64_t z = seed + 0x9e3779b97f4a7c15ull;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	return z ? z : 1;
}

static bool trace;
bool fuzz_efer_lme_flips;
static bool memstats_consistent = true;

int fuzz_exec(void);

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

void mismatch(const char *fmt, ...)
{
	counts.mismatches++;
	if (counts.mismatches > MAX_SHOWN)
		return;
	char what[200];
	va_list ap;
	va_start(ap, fmt);
	vformat(what, sizeof(what), fmt, ap);
	va_end(ap);
	printf("\nfuzz: mismatch op=%llu mode=%s %s\n",
	       (unsigned long long)op_index, plan.name, what);
}

unsigned long fuzz_slot_va;
static bool slot_chosen;

/* One op in SPLIT_ONE_IN runs from the split slot where the mode has it,
 * with 1..len of its bytes before the page boundary. */
void fuzz_choose_slot(unsigned len)
{
	if (plan.split_slot && chance(SPLIT_ONE_IN))
		fuzz_slot_va = FUZZ_SPLIT_BOUNDARY - 1 - rnd(len);
	else
		fuzz_slot_va = (unsigned long)(uintptr_t)fuzz_slot;
	slot_chosen = true;
}

int fuzz_run(const uint8_t *insn, unsigned len)
{
	if (len > FUZZ_SLOT_SIZE - 1)
		probe_error("fuzz: generated instruction longer than the slot");
	if (!slot_chosen)
		fuzz_choose_slot(len);
	slot_chosen = false;
	volatile uint8_t *slot = (volatile uint8_t *)fuzz_slot_va;
	for (unsigned i = 0; i < FUZZ_SLOT_SIZE; i++)
		slot[i] = i < len ? insn[i] : i == len ? OPCODE_RET : OPCODE_INT3;
	if (trace) {
		char hex[3 * FUZZ_SLOT_SIZE];
		size_t n = 0;
		for (unsigned i = 0; i < len; i++)
			n += format(hex + n, sizeof(hex) - n, "%02x", insn[i]);
		printf("\nfuzz: trace op=%llu rip=0x%lx bytes=%s\n",
		       (unsigned long long)op_index, fuzz_slot_va, hex);
	}
	fuzz_in.flags = (fuzz_in.flags & (FUZZ_STATUS_FLAGS | EFLAGS_DF)) |
			FUZZ_FLAGS_FIXED;
	fault_reset();
	fuzz_exec();
	return last_fault.vector;
}

static unsigned long random_word(void)
{
	switch (rnd(4)) {
	case 0: return (unsigned long)rnd(256);
	case 1: return (unsigned long)(uint32_t)rnd64();
	default: return (unsigned long)rnd64();
	}
}

void random_regs(void)
{
	for (unsigned i = 0; i < FUZZ_GPRS; i++)
		fuzz_in.gpr[i] = random_word();
	fuzz_in.gpr[R_SP] = 0;
	fuzz_in.flags = rnd64() & FUZZ_STATUS_FLAGS;
}

static const char *const gpr_names[16] = {
	"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};

bool regs_preserved(const char *what, uint32_t changed_mask)
{
	bool ok = true;
	for (unsigned i = 0; i < FUZZ_GPRS; i++) {
		if (i == R_SP || (changed_mask & (1u << i)))
			continue;
		if (fuzz_out.gpr[i] != fuzz_in.gpr[i]) {
			mismatch("%s: %s changed from 0x%llx to 0x%llx", what,
				 gpr_names[i], (unsigned long long)fuzz_in.gpr[i],
				 (unsigned long long)fuzz_out.gpr[i]);
			ok = false;
		}
	}
	unsigned long kept = FUZZ_STATUS_FLAGS | EFLAGS_DF;
	if ((fuzz_out.flags ^ fuzz_in.flags) & kept) {
		mismatch("%s: rflags changed from 0x%lx to 0x%lx", what,
			 fuzz_in.flags & kept, fuzz_out.flags & kept);
		ok = false;
	}
	return ok;
}

/* ---- The arena: which pages the fuzzer touched (MemStats check) ---- */

static uint8_t arena_state[ARENA_PAGES]; /* 0 fresh, 1 touched */
static uint8_t arena_hv_written[ARENA_PAGES]; /* an INS wrote into it */

bool arena_written_by_hv(unsigned page)
{
	return arena_hv_written[page];
}
unsigned arena_fresh_by_guest, arena_fresh_by_hv;

void arena_touch(unsigned long gpa, unsigned long len, bool by_guest)
{
	if (!len)
		return;
	unsigned long first = (gpa - ARENA_GPA) / PAGE_SIZE_4K;
	unsigned long last = (gpa + len - 1 - ARENA_GPA) / PAGE_SIZE_4K;
	for (unsigned long p = first; p <= last && p < ARENA_PAGES; p++) {
		if (!by_guest)
			arena_hv_written[p] = 1;
		if (arena_state[p])
			continue;
		arena_state[p] = 1;
		if (by_guest)
			arena_fresh_by_guest++;
		else
			arena_fresh_by_hv++;
	}
}

/* ---- Set-up shared by all modes ---- */

static hc_result mem_stat(unsigned selector)
{
	return hypercall3(HC_MEM_STATS, selector, 0, 0);
}

static void read_stats(int64_t out[HC_STAT_COUNT])
{
	for (unsigned s = 0; s < HC_STAT_COUNT; s++)
		out[s] = mem_stat(s);
}

/* Pages whose first touch inside the loop would blur the MemStats check:
 * the whole image (stack, tables, models), the text, guest page 0 (the
 * 64-bit wrap test's buffer ends there) and the last RAM page (the
 * crossing-the-end tests start there). Reads are enough (contract 10). */
static void pre_touch(void)
{
	for (char *p = __image_start; p < __image_end; p += PAGE_SIZE_4K)
		(void)*(volatile char *)p;
	unsigned long zero = 0;
	unsigned long last = MIB + (unsigned long)boot_info()->mem_upper * KIB - 1;
	uint8_t v;
	__asm__ volatile("movb (%1), %0" : "=q"(v) : "r"(zero) : "memory");
	__asm__ volatile("movb (%1), %0" : "=q"(v) : "r"(last) : "memory");
	(void)v;
}

void fill_text(void)
{
	/* Digits and '~' with a newline every 64 bytes (see safe_byte). */
	for (unsigned i = 0; i < sizeof(fuzz_text); i++)
		fuzz_text[i] = (i % 64) == 63 ? '\n' : (char)('0' + i % 10);
}

/* The counters of one mode; deltas are checked against the arena. */
static void check_memstats(const int64_t before[HC_STAT_COUNT],
			   unsigned fresh_guest, unsigned fresh_hv)
{
	int64_t after[HC_STAT_COUNT];
	read_stats(after);
#define DELTA(s) (after[s] - before[s])
	int64_t populated = DELTA(HC_STAT_PAGES_POPULATED);
	int64_t served = DELTA(HC_STAT_FAULTS_SERVED);
	int64_t frames = DELTA(HC_STAT_HOST_FRAMES);
	int64_t fresh = (int64_t)fresh_guest + fresh_hv;
	/* pager.footprint: N fresh pages add exactly N populated pages and at
	 * most N + ceil(N/512) + 2 host frames. */
	int64_t frames_max = fresh + (fresh + 511) / 512 + 2;
	bool ok = true;
	for (unsigned s = 0; s < HC_STAT_COUNT; s++)
		if (before[s] < 0 || after[s] < 0)
			ok = false;
	if (populated != fresh || frames > frames_max || frames < 0)
		ok = false;
	/* Every fresh page the guest itself touched cost one EPT violation
	 * the pager served (contract 10: first touch). */
	if (served < (int64_t)fresh_guest)
		ok = false;
	/* Selector 3 is RAM pages + EPT tables + ROM: it holds at least the
	 * first two, and grows exactly as they do (the ROM does not change). */
	int64_t tables = DELTA(HC_STAT_EPT_TABLE_FRAMES);
#undef DELTA
	if (after[HC_STAT_HOST_FRAMES] <
		    after[HC_STAT_PAGES_POPULATED] + after[HC_STAT_EPT_TABLE_FRAMES] ||
	    frames != populated + tables)
		ok = false;
	printf("\nfuzz: mode=%s memstats populated=+%lld expected=+%lld "
	       "served=+%lld guest_touched=%u ept_tables=+%lld frames=+%lld frames_max=+%lld "
	       "now=%lld,%lld,%lld,%lld %s\n",
	       plan.name, (long long)populated, (long long)fresh,
	       (long long)served, fresh_guest, (long long)tables, (long long)frames,
	       (long long)frames_max, (long long)after[HC_STAT_PAGES_POPULATED],
	       (long long)after[HC_STAT_FAULTS_SERVED],
	       (long long)after[HC_STAT_EPT_TABLE_FRAMES], (long long)after[HC_STAT_HOST_FRAMES],
	       ok ? "consistent" : "INCONSISTENT");
	if (!ok)
		memstats_consistent = false;
}

/* ---- The op mix ---- */

struct op_weight {
	void (*run)(void);
	enum op_kind kind;
	unsigned weight;
};

static const struct op_weight mix[] = {
	{ op_hypercall, OP_hypercall, 20 }, { op_pio, OP_pio, 20 },
	{ op_string_pio, OP_string_pio, 8 }, { op_msr, OP_msr, 14 },
	{ op_cpuid, OP_cpuid, 10 }, { op_mmio, OP_mmio, 24 },
	{ op_touch, OP_touch, 3 }, { op_memstats, OP_memstats, 1 },
	{ op_cr0, OP_cr0, 2 },
	{ op_doorbell, OP_doorbell, 1 },
};

static void one_op(void)
{
	unsigned total = 0;
	for (unsigned i = 0; i < sizeof(mix) / sizeof(mix[0]); i++)
		total += mix[i].weight;
	unsigned pick = rnd(total);
	for (unsigned i = 0; i < sizeof(mix) / sizeof(mix[0]); i++) {
		if (pick < mix[i].weight) {
			counts.ops[mix[i].kind]++;
			mix[i].run();
			return;
		}
		pick -= mix[i].weight;
	}
}

static const char *const kind_names[] = {
#define KIND_NAME(k) #k,
	OP_KINDS(KIND_NAME)
#undef KIND_NAME
};

static void print_counts(const char *prefix, const struct fuzz_counts *c,
			 uint64_t ops, uint64_t tsc)
{
	char line[400];
	size_t n = format(line, sizeof(line), "\nfuzz: %s ops=%llu", prefix,
			  (unsigned long long)ops);
	for (unsigned k = 0; k < OP_KIND_COUNT; k++)
		n += format(line + n, sizeof(line) - n, " %s=%llu", kind_names[k],
			    (unsigned long long)c->ops[k]);
	format(line + n, sizeof(line) - n,
	       " faults=%llu exits_at_least=%llu mismatches=%llu tsc=%llu\n",
	       (unsigned long long)c->faults,
	       (unsigned long long)c->exits_at_least,
	       (unsigned long long)c->mismatches, (unsigned long long)tsc);
	print_str(line);
}

static void run_mode(const struct fuzz_mode *m, uint32_t ops)
{
	m->enter();
	msr_model_init();
	dev_model_sync();
	cr0_remember();
	printf("\nfuzz: mode=%s begin\n", plan.name);
	struct fuzz_counts start = counts;
	unsigned guest0 = arena_fresh_by_guest, hv0 = arena_fresh_by_hv;
	int64_t before[HC_STAT_COUNT];
	read_stats(before);
	uint64_t t0 = rdtsc();
	for (uint32_t i = 0; i < ops; i++, op_index++) {
		one_op();
		if ((i + 1) % PROGRESS_EVERY == 0)
			printf("\nfuzz: progress mode=%s ops=%llu\n", plan.name,
			       (unsigned long long)(i + 1));
	}
	cr0_restore();
	uint64_t t1 = rdtsc();
	struct fuzz_counts delta;
	for (unsigned k = 0; k < OP_KIND_COUNT; k++)
		delta.ops[k] = counts.ops[k] - start.ops[k];
	delta.faults = counts.faults - start.faults;
	delta.exits_at_least = counts.exits_at_least - start.exits_at_least;
	delta.mismatches = counts.mismatches - start.mismatches;
	char prefix[40];
	format(prefix, sizeof(prefix), "mode=%s", plan.name);
	print_counts(prefix, &delta, ops, t1 - t0);
	check_memstats(before, arena_fresh_by_guest - guest0,
		       arena_fresh_by_hv - hv0);
}

void probe_main(void)
{
	const char *cmd = boot_cmdline();
	uint64_t seed = DEFAULT_SEED, ops = DEFAULT_OPS, t = 0;
	cmdline_u64(cmd, "seed", &seed);
	cmdline_u64(cmd, "ops", &ops);
	if (ops > MAX_OPS)
		probe_error("fuzz: ops= above 4000000000");
	if (cmdline_u64(cmd, "trace", &t))
		trace = t != 0;
	if (cmdline_u64(cmd, "efer_lme", &t))
		fuzz_efer_lme_flips = t != 0;
	uint64_t halt_code = 0;
	cmdline_u64(cmd, "halt", &halt_code);
	const char *only = 0;
	size_t only_len = 0;
	cmdline_find(cmd, "mode", &only, &only_len);
#ifdef __x86_64__
	const char *image = "fuzz";
#else
	const char *image = "fuzz32";
#endif
	printf("fuzz: seed=%llu ops=%llu image=%s\n", (unsigned long long)seed,
	       (unsigned long long)ops, image);
	fuzz_prng_state = prng_seed_state(seed);

	fill_text();
	pre_touch();

	unsigned chosen = 0;
	for (unsigned i = 0; i < fuzz_mode_count; i++)
		if (!only || (strlen(fuzz_modes[i].name) == only_len &&
			      !memcmp(fuzz_modes[i].name, only, only_len)))
			chosen++;
	if (!chosen)
		probe_error("fuzz: mode= names no mode of this image");
	uint64_t done = 0, t0 = rdtsc();
	unsigned left = chosen;
	for (unsigned i = 0; i < fuzz_mode_count; i++) {
		const struct fuzz_mode *m = &fuzz_modes[i];
		if (only && !(strlen(m->name) == only_len &&
			      !memcmp(m->name, only, only_len)))
			continue;
		uint32_t share = (uint32_t)(ops - done) / left--;
		run_mode(m, share);
		done += share;
	}
	uint64_t t1 = rdtsc();
	print_counts("done", &counts, done, t1 - t0);
	if (memstats_consistent)
		printf("fuzz: counters consistent\n");
	else
		printf("fuzz: counters inconsistent (see the memstats lines)\n");
	/* The end: HaltCpu with the code the command line chose (all of RDI). */
	hv_halt((hc_word)halt_code);
}
