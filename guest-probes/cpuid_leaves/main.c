/* cpuid_leaves: CPUID as the contract shapes it (contract 7; KeV
 * cpuid_leaf_0 and cpuid_leaf_1; JOS "VMX extension hidden from guest").
 * Leaf 0 vendor and highest leaf; leaf 1 VMX bit (must read 0) and
 * hypervisor-present bit (must read 1); the hypervisor leaves 0x40000000
 * (highest leaf and the "hvspecrefvmm" signature) and 0x40000001,
 * 0x40000100 and 0x4fffffff (all zero); leaf 0x80000001 long mode (passed
 * through: the guest runs in long mode) and SVM bit (must read 0); leaf
 * 0x8000000a, SVM's features (zero on SVM, contract 7), or that it lies
 * past the highest extended leaf; a leaf number with garbage in the
 * upper half of RAX (CPUID reads EAX only and zeroes bits 63:32 of RAX,
 * RBX, RCX, RDX: vol. 2A, CPUID); 0x100 consecutive calls of leaves 0,
 * 1 and 7 (subleaf 0) compared with the first result; and ECX selecting the
 * subleaf of passed-through leaves: leaf 4 subleaf 0 is a cache (type not
 * 0) while subleaf 0x40 is past the last cache (all zero), and leaf 0xB
 * echoes the subleaf in ECX[7:0] (printed only where the highest basic
 * leaf reaches 0xB). */
#include "runtime.h"

#define HV_LEAF_BASE 0x40000000u
#define REPEAT_CALLS 0x100u
#define LEAF_EXT_FEATURES_7 0x7u
#define RAX_GARBAGE 0xdeadbeef00000000ull
#define REGS_GARBAGE 0xfeedface00000000ull
/* Deterministic cache parameters (SDM vol. 2A, CPUID leaf 04H): EAX[4:0]
 * is the cache type, 0 = no more caches; a subleaf past the first null one
 * returns 0 in EAX, EBX, ECX and EDX. No processor has 0x40 caches. */
#define LEAF_CACHE_PARAMS 0x4u
#define CACHE_TYPE_MASK 0x1fu
#define CACHE_SUBLEAF_PAST_LAST 0x40u
/* Extended topology (SDM vol. 2A, CPUID leaf 0BH): ECX[7:0] is the level
 * number, "same value in ECX input", for every subleaf. */
#define LEAF_EXT_TOPOLOGY 0xbu
#define TOPOLOGY_LEVEL_MASK 0xffu

static void print_leaf(uint32_t leaf)
{
	struct cpuid_regs r = cpuid(leaf, 0);
	printf("cpuid: leaf=0x%x eax=0x%x ebx=0x%x ecx=0x%x edx=0x%x\n", leaf,
	       r.eax, r.ebx, r.ecx, r.edx);
}

static void vendor_leaves(void)
{
	struct cpuid_regs r = cpuid(CPUID_LEAF_VENDOR, 0);
	char vendor[13];
	memcpy(vendor, &r.ebx, 4);
	memcpy(vendor + 4, &r.edx, 4);
	memcpy(vendor + 8, &r.ecx, 4);
	vendor[12] = '\0';
	printf("cpuid: leaf=0x0 max=0x%x vendor=%s\n", r.eax, vendor);

	r = cpuid(CPUID_LEAF_FEATURES, 0);
	printf("cpuid: leaf=0x1 vmx=%d\n", (r.ecx & CPUID_1_ECX_VMX) != 0);
	printf("cpuid: leaf=0x1 hypervisor=%d\n",
	       (r.ecx & CPUID_1_ECX_HYPERVISOR) != 0);

	r = cpuid(CPUID_LEAF_EXT_FEATURES, 0);
	printf("cpuid: leaf=0x80000001 lm=%d\n",
	       (r.edx & CPUID_80000001_EDX_LM) != 0);
	printf("cpuid: leaf=0x80000001 svm=%d\n",
	       (r.ecx & CPUID_80000001_ECX_SVM) != 0);

	/* Above the highest extended leaf (Intel) the processor answers
	 * with another leaf's data, which says nothing about SVM. */
	uint32_t max_ext = cpuid(CPUID_LEAF_EXT_MAX, 0).eax;
	if (max_ext < CPUID_LEAF_SVM_FEATURES)
		printf("cpuid: leaf=0x%x past max_ext=0x%x\n",
		       CPUID_LEAF_SVM_FEATURES, max_ext);
	else
		print_leaf(CPUID_LEAF_SVM_FEATURES);
}

static void hypervisor_leaves(void)
{
	struct cpuid_regs r = cpuid(HV_LEAF_BASE, 0);
	char sig[13];
	memcpy(sig, &r.ebx, 4);
	memcpy(sig + 4, &r.ecx, 4);
	memcpy(sig + 8, &r.edx, 4);
	sig[12] = '\0';
	for (int i = 0; i < 12; i++)
		if (sig[i] < 0x20 || sig[i] > 0x7e)
			sig[i] = '?';
	printf("cpuid: leaf=0x40000000 max=0x%x signature=%s\n", r.eax, sig);
	print_leaf(HV_LEAF_BASE + 1);
	print_leaf(HV_LEAF_BASE + 0x100);
	print_leaf(0x4fffffffu);
}

/* CPUID with garbage in the upper halves of RAX/RBX/RCX/RDX. */
static void upper_halves(void)
{
	uint64_t rax = RAX_GARBAGE | HV_LEAF_BASE;
	uint64_t rbx = REGS_GARBAGE, rcx = REGS_GARBAGE, rdx = REGS_GARBAGE;
	__asm__ volatile("cpuid" : "+a"(rax), "+b"(rbx), "+c"(rcx), "+d"(rdx));
	printf("cpuid: upper_garbage leaf=0x40000000 rax=0x%llx rbx_upper=0x%llx "
	       "rcx_upper=0x%llx rdx_upper=0x%llx\n",
	       (unsigned long long)rax, (unsigned long long)(rbx >> 32),
	       (unsigned long long)(rcx >> 32), (unsigned long long)(rdx >> 32));
}

static void repeat(uint32_t leaf)
{
	struct cpuid_regs first = cpuid(leaf, 0);
	unsigned differing = 0;
	for (unsigned i = 1; i < REPEAT_CALLS; i++) {
		struct cpuid_regs r = cpuid(leaf, 0);
		differing += r.eax != first.eax || r.ebx != first.ebx ||
			     r.ecx != first.ecx || r.edx != first.edx;
	}
	printf("cpuid: repeat leaf=0x%x calls=%u differing=%u\n", leaf,
	       REPEAT_CALLS, differing);
}

/* Passed-through leaves whose answer depends on the subleaf in ECX. */
static void subleaves(void)
{
	struct cpuid_regs r = cpuid(LEAF_CACHE_PARAMS, 0);
	printf("cpuid: subleaf leaf=0x4 sub=0x0 type_nonzero=%d\n",
	       (r.eax & CACHE_TYPE_MASK) != 0);
	r = cpuid(LEAF_CACHE_PARAMS, CACHE_SUBLEAF_PAST_LAST);
	printf("cpuid: subleaf leaf=0x4 sub=0x%x eax=0x%x ebx=0x%x ecx=0x%x edx=0x%x\n",
	       CACHE_SUBLEAF_PAST_LAST, r.eax, r.ebx, r.ecx, r.edx);

	uint32_t max = cpuid(CPUID_LEAF_VENDOR, 0).eax;
	if (max < LEAF_EXT_TOPOLOGY) {
		printf("cpuid: subleaf leaf=0xb absent max=0x%x\n", max);
		return;
	}
	static const uint32_t subs[] = { 0, 1, 2, 0x5a };
	for (unsigned i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		r = cpuid(LEAF_EXT_TOPOLOGY, subs[i]);
		printf("cpuid: subleaf leaf=0xb sub=0x%x level=0x%x\n", subs[i],
		       r.ecx & TOPOLOGY_LEVEL_MASK);
	}
}

void probe_main(void)
{
	vendor_leaves();
	hypervisor_leaves();
	upper_halves();
	repeat(CPUID_LEAF_VENDOR);
	repeat(CPUID_LEAF_FEATURES);
	repeat(LEAF_EXT_FEATURES_7);
	subleaves();
}
