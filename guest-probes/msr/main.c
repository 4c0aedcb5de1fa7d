/* msr: the emulated MSRs of contract 8 and the #GP(0) for every other one
 * (KeV msr: WRMSR then RDMSR of 0xABC round-trips EDX:EAX with the upper
 * halves of RAX/RDX ignored). HVSPEC_SCRATCH's reset value and round trip
 * with garbage in bits 63:32 of RAX/RDX on write and on read (RDMSR zeroes
 * them: vol. 2B, RDMSR) and in bits 63:32 of RCX (only ECX selects the
 * MSR); EFER after the switch to long mode, with SCE and NXE set and
 * cleared (starting from EFER = LME alone), a reserved-bit write, SVME
 * (bit 12: reads 0, and setting it is a reserved-bit write on both vendors)
 * and a write clearing LME while paging is on (#GP, EFER unchanged); SYSENTER_CS/
 * ESP/EIP, FS/GS/KERNEL_GS base round trips, and whether FS/GS base take
 * effect on %fs:/%gs: loads; RDMSR and WRMSR of unknown MSRs, AMD's SVM
 * MSRs VM_CR and VM_HSAVE_PA among them, raise #GP with error code 0 and
 * RIP still at the faulting instruction (offset 0).
 * With `mode=pc` on its command line (the case sets the hypervisor's
 * platform=pc) it checks only the MSRs contract 15 adds for a 64-bit
 * kernel instead: MCG_CAP/MCG_STATUS, MISC_ENABLE and the SYSCALL MSRs,
 * each RDMSR with RAX and RDX preloaded with all ones (RDMSR clears bits
 * 63:32 of both, vol. 2B RDMSR).
 * Lines: `msr: <what> ...`. */
#include "cmdline.h"
#include "runtime.h"

#define MSR_HVSPEC_SCRATCH 0xabcu
#define SCRATCH_VALUE 0x1122334455667788ull
#define UPPER_GARBAGE_A 0xdeadbeef00000000ull
#define UPPER_GARBAGE_D 0xcafebabe00000000ull
#define RCX_GARBAGE 0xffffffff00000000ull
#define ALL_ONES 0xffffffffffffffffull

/* platform=pc's MSRs (contract 15). */
#define MSR_IA32_MCG_CAP 0x179u     /* SDM vol. 3B 16.3.1.1 */
#define MSR_IA32_MCG_STATUS 0x17au  /* SDM vol. 3B 16.3.1.2 */
#define MSR_IA32_MISC_ENABLE 0x1a0u /* SDM vol. 4 Table 2-2 */
#define MISC_ENABLE_XD_DISABLE (1ull << 34) /* XD Bit Disable, same table */
#define MSR_IA32_LSTAR 0xc0000082u  /* SDM vol. 4 Table 2-2; vol. 3A 5.8.8 */
#define MSR_IA32_CSTAR 0xc0000083u
#define MSR_IA32_FMASK 0xc0000084u  /* bits 63:32 reserved */

static const uint32_t unknown_msrs[] = {
	0x12345678u, MSR_IA32_APIC_BASE, 0x10u /* IA32_TIME_STAMP_COUNTER */,
	MSR_IA32_STAR, 0x0u, 0xc0000103u /* IA32_TSC_AUX */, 0x40000000u,
	MSR_AMD_VM_CR, MSR_AMD_VM_HSAVE_PA,
};

struct round_trip {
	const char *name;
	uint32_t msr;
	uint64_t value; /* canonical where the MSR holds an address */
};

static const struct round_trip round_trips[] = {
	{ "sysenter_cs", MSR_IA32_SYSENTER_CS, 0x10 },
	{ "sysenter_esp", MSR_IA32_SYSENTER_ESP, 0xffff800012345670ull },
	{ "sysenter_eip", MSR_IA32_SYSENTER_EIP, 0x00007fffabcdef00ull },
	{ "fs_base", MSR_IA32_FS_BASE, 0xffff800000001000ull },
	{ "gs_base", MSR_IA32_GS_BASE, 0x00007f0000002000ull },
	{ "kernel_gs_base", MSR_IA32_KERNEL_GS_BASE, 0xffff900000003000ull },
};

static volatile uint64_t fs_target = 0x0f5b05e0f5b05e00ull;
static volatile uint64_t gs_target = 0x065b05e0065b05e0ull;

/* "none" or the vector number, for compact lines. */
static const char *fault_text(int vector)
{
	static char text[2][12];
	static unsigned next;
	if (vector == FAULT_NONE)
		return "none";
	char *t = text[next++ % 2];
	format(t, sizeof(text[0]), "%d", vector);
	return t;
}

static void print_fault(const char *what, uint32_t msr, int vector)
{
	if (vector == FAULT_NONE)
		printf("msr: %s msr=0x%x fault=none\n", what, msr);
	else
		printf("msr: %s msr=0x%x fault=%d error=0x%lx rip_offset=%lu\n",
		       what, msr, vector, last_fault.error_code,
		       last_fault.offset);
}

static void scratch(void)
{
	printf("msr: scratch reset=0x%llx\n",
	       (unsigned long long)rdmsr(MSR_HVSPEC_SCRATCH));

	uint64_t rax = UPPER_GARBAGE_A | (uint32_t)SCRATCH_VALUE;
	uint64_t rdx = UPPER_GARBAGE_D | (uint32_t)(SCRATCH_VALUE >> 32);
	__asm__ volatile("wrmsr" : : "c"(MSR_HVSPEC_SCRATCH), "a"(rax), "d"(rdx)
			 : "memory");

	uint64_t ra = UPPER_GARBAGE_A, rd = UPPER_GARBAGE_D;
	__asm__ volatile("rdmsr" : "+a"(ra), "+d"(rd) : "c"(MSR_HVSPEC_SCRATCH));
	printf("msr: scratch wrote=0x%llx read=0x%llx rax=0x%llx rdx=0x%llx\n",
	       (unsigned long long)SCRATCH_VALUE,
	       (unsigned long long)((rd << 32) | (uint32_t)ra),
	       (unsigned long long)ra, (unsigned long long)rd);

	/* Only ECX names the MSR. */
	uint64_t rcx = RCX_GARBAGE | MSR_HVSPEC_SCRATCH;
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(rcx));
	printf("msr: scratch rcx_upper_garbage read=0x%llx\n",
	       (unsigned long long)(((uint64_t)hi << 32) | lo));
	wrmsr(MSR_HVSPEC_SCRATCH, 0);
	printf("msr: scratch after_zero=0x%llx\n",
	       (unsigned long long)rdmsr(MSR_HVSPEC_SCRATCH));
}

static void efer(void)
{
	uint64_t v = rdmsr(MSR_IA32_EFER);
	printf("msr: efer value=0x%llx lme=%d lma=%d\n", (unsigned long long)v,
	       (v & EFER_LME) != 0, (v & EFER_LMA) != 0);
	printf("msr: efer at_start svme=%d\n", (v & EFER_SVME) != 0);

	/* A defined starting point: LME alone (LMA reads as the processor
	 * set it), whatever SCE/NXE the guest started with. */
	int vec = wrmsr_safe(MSR_IA32_EFER, EFER_LME);
	print_fault("efer_write_lme", MSR_IA32_EFER, vec);
	printf("msr: efer after_write_lme=0x%llx\n",
	       (unsigned long long)rdmsr(MSR_IA32_EFER));

	vec = wrmsr_safe(MSR_IA32_EFER, EFER_LME | EFER_SCE | EFER_NXE);
	print_fault("efer_set_sce_nxe", MSR_IA32_EFER, vec);
	printf("msr: efer after_set=0x%llx\n",
	       (unsigned long long)rdmsr(MSR_IA32_EFER));
	wrmsr(MSR_IA32_EFER, EFER_LME);
	printf("msr: efer after_clear=0x%llx\n",
	       (unsigned long long)rdmsr(MSR_IA32_EFER));

	vec = wrmsr_safe(MSR_IA32_EFER, EFER_LME | EFER_RESERVED_BIT1);
	print_fault("efer_reserved_bit1", MSR_IA32_EFER, vec);
	printf("msr: efer after_reserved=0x%llx\n",
	       (unsigned long long)rdmsr(MSR_IA32_EFER));

	vec = wrmsr_safe(MSR_IA32_EFER, EFER_LME | EFER_SVME);
	print_fault("efer_svme", MSR_IA32_EFER, vec);
	printf("msr: efer after_svme=0x%llx\n",
	       (unsigned long long)rdmsr(MSR_IA32_EFER));

	/* LME cannot change while paging is on (SDM 9.8.5): #GP, and the
	 * guest stays in long mode. */
	vec = wrmsr_safe(MSR_IA32_EFER, 0);
	print_fault("efer_clear_lme_paging", MSR_IA32_EFER, vec);
	printf("msr: efer after_clear_lme=0x%llx\n",
	       (unsigned long long)rdmsr(MSR_IA32_EFER));
}

static void round_trip_all(const struct round_trip *table, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct round_trip *t = &table[i];
		int vw = wrmsr_safe(t->msr, t->value);
		uint64_t got = 0;
		int vr = rdmsr_safe(t->msr, &got);
		printf("msr: round_trip name=%s msr=0x%x wrote=0x%llx read=0x%llx "
		       "faults=%s,%s\n",
		       t->name, t->msr, (unsigned long long)t->value,
		       (unsigned long long)got, fault_text(vw), fault_text(vr));
	}
}

/* FS_BASE / GS_BASE written by WRMSR must be the bases %fs: and %gs: use
 * (3.4.4.1). */
static void segment_bases(void)
{
	uint64_t fs_read, gs_read;
	wrmsr(MSR_IA32_FS_BASE, (uintptr_t)&fs_target);
	wrmsr(MSR_IA32_GS_BASE, (uintptr_t)&gs_target);
	__asm__ volatile("movq %%fs:0, %0" : "=r"(fs_read));
	__asm__ volatile("movq %%gs:0, %0" : "=r"(gs_read));
	printf("msr: fs_base effective=%d gs_base effective=%d\n",
	       fs_read == fs_target, gs_read == gs_target);
	wrmsr(MSR_IA32_FS_BASE, 0);
	wrmsr(MSR_IA32_GS_BASE, 0);
}

static void unknown(void)
{
	for (size_t i = 0; i < sizeof(unknown_msrs) / sizeof(unknown_msrs[0]); i++) {
		uint64_t v;
		print_fault("rdmsr_unknown", unknown_msrs[i],
			    rdmsr_safe(unknown_msrs[i], &v));
		print_fault("wrmsr_unknown", unknown_msrs[i],
			    wrmsr_safe(unknown_msrs[i], 0));
	}
}

/* RDMSR with RAX and RDX preloaded with all ones: prints the fault (if
 * any), EDX:EAX and what is left in bits 63:32 of RAX and RDX. */
static uint64_t rdmsr_preloaded(const char *name, uint32_t msr)
{
	uint64_t a = ALL_ONES, d = ALL_ONES;
	fault_reset();
	__asm__ volatile("1: rdmsr\n2:\n\t" FIXUP_ENTRY(1b, 2b, 2b)
			 : "+a"(a), "+d"(d)
			 : "c"(msr)
			 : "memory");
	uint64_t value = (d << 32) | (uint32_t)a;
	printf("msr: pc rdmsr name=%s msr=0x%x fault=%s value=0x%llx "
	       "rax_upper=0x%llx rdx_upper=0x%llx\n",
	       name, msr, fault_text(last_fault.vector),
	       (unsigned long long)value, (unsigned long long)(a >> 32),
	       (unsigned long long)(d >> 32));
	return value;
}

/* WRMSR of value with all ones in bits 63:32 of RAX and RDX, which WRMSR
 * ignores (vol. 2B WRMSR: EDX:EAX is written). */
static void wrmsr_upper_garbage(const char *what, uint32_t msr, uint64_t value)
{
	uint64_t a = (ALL_ONES << 32) | (uint32_t)value;
	uint64_t d = (ALL_ONES << 32) | (uint32_t)(value >> 32);
	fault_reset();
	__asm__ volatile("1: wrmsr\n2:\n\t" FIXUP_ENTRY(1b, 2b, 2b)
			 :
			 : "c"(msr), "a"(a), "d"(d)
			 : "memory");
	print_fault(what, msr, last_fault.vector);
}

/* SYSCALL/SYSRET's MSRs: stored values, canonical addresses in LSTAR and
 * CSTAR, FMASK's reserved bits 63:32 zero. */
static const struct round_trip syscall_msrs[] = {
	{ "star", MSR_IA32_STAR, 0x0023001000000000ull },
	{ "lstar", MSR_IA32_LSTAR, 0xffffffff81a00040ull },
	{ "cstar", MSR_IA32_CSTAR, 0x00007fff12345600ull },
	{ "fmask", MSR_IA32_FMASK, 0x47700ull },
};

static void platform_pc(void)
{
	/* No error-reporting banks and no machine check in progress. */
	rdmsr_preloaded("mcg_cap", MSR_IA32_MCG_CAP);
	rdmsr_preloaded("mcg_status", MSR_IA32_MCG_STATUS);
	wrmsr_upper_garbage("pc_wrmsr_mcg_status_0", MSR_IA32_MCG_STATUS, 0);
	wrmsr_upper_garbage("pc_wrmsr_mcg_status_1", MSR_IA32_MCG_STATUS, 1);

	/* Any value with XD Bit Disable clear; writing it back is accepted. */
	uint64_t misc = rdmsr_preloaded("misc_enable", MSR_IA32_MISC_ENABLE);
	printf("msr: pc misc_enable xd_bit_disable=%d\n",
	       (misc & MISC_ENABLE_XD_DISABLE) != 0);
	wrmsr_upper_garbage("pc_wrmsr_misc_enable_as_read", MSR_IA32_MISC_ENABLE,
			    misc);

	round_trip_all(syscall_msrs, sizeof(syscall_msrs) / sizeof(syscall_msrs[0]));
}

void probe_main(void)
{
	if (cmdline_is(boot_cmdline(), "mode", "pc")) {
		platform_pc();
		printf("msr: done\n");
		return;
	}
	scratch();
	efer();
	round_trip_all(round_trips, sizeof(round_trips) / sizeof(round_trips[0]));
	segment_bases();
	unknown();
	printf("msr: done\n");
}
