/* Hypercall ops (contract 5): VMCALL with every GPR random except the
 * number and the arguments the class fixes. Oracle: RAX is the result
 * the contract names for the class, every other GPR and the status
 * flags are preserved, RIP advances by 3 (else the slot's INT3 or a
 * stray byte faults and the fault is a mismatch). Classes: unknown
 * numbers (also ones whose low 32 bits are 0, 1 or 2), Print of safe
 * text through the identity map and through a 4-KiB alias, Print that
 * must fail with exactly one of E2BIG / EFAULT / EINVAL, Print of size
 * 0 anywhere, Print with a huge size at a random address (any of the
 * three errors), MemStats with every selector and random ones.
 * HaltCpu is never issued here (it ends the VM; the runtime sends it
 * after probe_main returns). */
#include "fuzz.h"

#define VMCALL_BYTES { 0x0f, 0x01, 0xc1 } /* vol. 2B, VMCALL */
#define SMALL_PRINT_MAX 48u  /* keeps the transcript small */
#define BIG_PRINT_ONE_IN 200u

static const char *hc_class;

/* Runs VMCALL with fuzz_in; the result must be one of want[0..n). */
static void vmcall_expect(const long *want, unsigned n)
{
	static const uint8_t vmcall[] = VMCALL_BYTES;
	counts.exits_at_least++;
	int vec = fuzz_run(vmcall, sizeof(vmcall));
	if (vec != FAULT_NONE) {
		mismatch("hypercall %s nr=0x%llx: exception %d at slot+%lu",
			 hc_class, (unsigned long long)fuzz_in.gpr[R_AX], vec,
			 fault_offset());
		return;
	}
	long got = (long)fuzz_out.gpr[R_AX];
	bool ok = false;
	for (unsigned i = 0; i < n; i++)
		ok |= got == want[i];
	if (!ok)
		mismatch("hypercall %s nr=0x%llx rdi=0x%llx rsi=0x%llx: rax=%ld, "
			 "expected %ld", hc_class,
			 (unsigned long long)fuzz_in.gpr[R_AX],
			 (unsigned long long)fuzz_in.gpr[R_DI],
			 (unsigned long long)fuzz_in.gpr[R_SI], got, want[0]);
	regs_preserved("hypercall", 1u << R_AX);
}

static void expect1(long a)
{
	vmcall_expect(&a, 1);
}

static void print_call(unsigned long gva, unsigned long size)
{
	random_regs();
	fuzz_in.gpr[R_AX] = HC_PRINT;
	fuzz_in.gpr[R_DI] = gva;
	fuzz_in.gpr[R_SI] = size;
}

static unsigned long small_size(void)
{
	if (chance(BIG_PRINT_ONE_IN))
		return chance(2) ? HC_PRINT_MAX : rnd(HC_PRINT_MAX + 1); /* the limit itself */
	return rnd(SMALL_PRINT_MAX + 1);
}

static void print_ok(void)
{
	unsigned long size = small_size();
	unsigned long text = (unsigned long)(uintptr_t)fuzz_text;
	unsigned long gva;
	if (plan.not_present_va && chance(2)) {
		/* The page below not_present_va maps the first text frame. */
		unsigned long off = rnd(PAGE_SIZE_4K - size + 1);
		gva = plan.not_present_va - PAGE_SIZE_4K + off;
		hc_class = "print_alias";
	} else {
		gva = text + rnd(sizeof(fuzz_text) - size + 1);
		hc_class = "print";
	}
	print_call(gva, size);
	expect1((long)size);
}

static void print_e2big(void)
{
	unsigned long text = (unsigned long)(uintptr_t)fuzz_text;
	unsigned long size = HC_PRINT_MAX + 1;
	if (!chance(4)) /* else the first size past the limit */
		size += rnd(sizeof(fuzz_text) - HC_PRINT_MAX - 1);
	hc_class = "print_e2big";
	print_call(text + rnd(sizeof(fuzz_text) - size + 1), size);
	expect1(HC_E2BIG);
}

/* A buffer that starts in pre-touched RAM (or outside RAM) and reaches a
 * page outside RAM or not present: exactly EFAULT. */
static void print_efault(void)
{
	unsigned long off = 1 + rnd(PAGE_SIZE_4K - 1);
	unsigned long size = off + 1 + rnd(HC_PRINT_MAX - off);
	unsigned long gva;
	switch (rnd(5)) {
	case 0:
		gva = plan.ram_end - off;
		hc_class = "print_past_ram_end";
		break;
	case 1:
		if (plan.not_present_va) {
			gva = plan.not_present_va - off;
			hc_class = "print_not_present";
			break;
		}
		/* fall through */
	case 2:
		gva = plan.window_va[rnd(WINDOW_COUNT)] + rnd(WINDOW_SIZE);
		size = 1 + rnd(HC_PRINT_MAX);
		hc_class = "print_device_window";
		break;
	case 3:
		if (plan.unmapped_va) {
			gva = plan.unmapped_va + rnd(1u << 20);
			size = 1 + rnd(HC_PRINT_MAX);
			hc_class = "print_unmapped";
			break;
		}
		/* fall through */
	default:
		/* Between RAM's end and the device windows: no RAM. */
		gva = plan.ram_end + rnd(0x10000000u);
		size = 1 + rnd(HC_PRINT_MAX);
		hc_class = "print_outside_ram";
		break;
	}
	print_call(gva, size);
	expect1(HC_EFAULT);
}

/* gva + size wraps the address space; every page is present where the
 * mode maps the top page (else the buffer also leaves RAM: EFAULT too). */
static void print_einval(void)
{
	unsigned long off = 1 + rnd(PAGE_SIZE_4K - 1);
	unsigned long size = off + 1 + rnd(HC_PRINT_MAX - off);
	hc_class = "print_wrap";
	print_call((unsigned long)0 - off, size);
	if (plan.top_page_mapped) {
		expect1(HC_EINVAL);
	} else {
		static const long either[] = { HC_EINVAL, HC_EFAULT };
		vmcall_expect(either, 2);
	}
}

static void print_size_zero(void)
{
	hc_class = "print_size_zero";
	print_call((unsigned long)rnd64(), 0);
	expect1(0);
}

static void print_huge(void)
{
	static const long any_error[] = { HC_E2BIG, HC_EFAULT, HC_EINVAL };
	hc_class = "print_huge";
	unsigned long size = HC_PRINT_MAX + 1 + (unsigned long)rnd64() % ((unsigned long)-1 - HC_PRINT_MAX);
	print_call((unsigned long)rnd64(), size);
	vmcall_expect(any_error, 3);
}

static void unknown_number(void)
{
	unsigned long nr;
	random_regs();
#ifdef __x86_64__
	if (chance(3))
		nr = (rnd64() | (1ull << 32)) & ~0xffffffffull; /* low half 0 */
	else
		nr = (unsigned long)rnd64();
	if (chance(4))
		nr = (nr & ~0xffffffffull) | (1ull << 32) | rnd(3);
#else
	nr = (unsigned long)rnd64();
#endif
	if (nr <= HC_MEM_STATS)
		nr = HC_MEM_STATS + 1 + rnd(1000);
	fuzz_in.gpr[R_AX] = nr;
	hc_class = "unknown";
	expect1(HC_ENOSYS);
}

static void mem_stats_call(void)
{
	random_regs();
	unsigned long sel = chance(2) ? rnd(HC_STAT_COUNT)
				      : (unsigned long)rnd64();
	if (sel >= HC_STAT_COUNT && sel < 16 && chance(2))
		sel = HC_STAT_COUNT + rnd(8);
	fuzz_in.gpr[R_AX] = HC_MEM_STATS;
	fuzz_in.gpr[R_DI] = sel;
	hc_class = "memstats";
	if (sel >= HC_STAT_COUNT) {
		expect1(HC_EINVAL);
		return;
	}
	static const uint8_t vmcall[] = VMCALL_BYTES;
	counts.exits_at_least++;
	int vec = fuzz_run(vmcall, sizeof(vmcall));
	if (vec != FAULT_NONE) {
		mismatch("memstats sel=%lu: exception %d", sel, vec);
		return;
	}
	if ((long)fuzz_out.gpr[R_AX] < 0)
		mismatch("memstats sel=%lu: rax=%ld", sel, (long)fuzz_out.gpr[R_AX]);
	regs_preserved("memstats", 1u << R_AX);
}

void op_hypercall(void)
{
	switch (rnd(16)) {
	case 0: case 1: case 2: case 3: unknown_number(); break;
	case 4: case 5: case 6: case 7: print_ok(); break;
	case 8: print_e2big(); break;
	case 9: case 10: print_efault(); break;
	case 11: print_einval(); break;
	case 12: print_size_zero(); break;
	case 13: print_huge(); break;
	default: mem_stats_call(); break;
	}
}

void op_memstats(void)
{
	mem_stats_call();
}
