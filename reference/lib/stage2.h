/* Stage-2 paging: building and editing the guest-physical -> host-physical
 * translation a guest runs on, in either of the two formats the vendors
 * define over the same four-level radix tree:
 *  - EPT, Intel's extended page tables (SDM vol. 3 section 29.3);
 *  - NPT, AMD's nested page tables, which are long-mode page tables
 *    (AMD APM vol. 2 sections 5.3 and 15.25) rooted at the VMCB's nCR3.
 * Walk, map, unmap, protect and split are shared; only the entry encoding
 * differs.
 *
 * The module owns only the paging-structure frames; frames mapped for the
 * guest belong to the caller. Every frame comes from and goes back to the
 * caller's env, so the same code runs inside the hypervisor and in host
 * unit tests. */
#ifndef HV_STAGE2_H
#define HV_STAGE2_H
#include <stdint.h>

enum stage2_format {
	STAGE2_FORMAT_EPT,
	STAGE2_FORMAT_NPT,
};

/* Access rights of a translation (the EPT's own encoding, entry bits 2:0,
 * SDM 29.3.2). EPT takes R, RW, RX, RWX, and X alone when its caps allow
 * execute-only. NPT entries have no "not readable" state: every present
 * entry can be read, so NPT takes R, RW, RX and RWX: WRITE sets the R/W
 * bit, and a right set without EXEC sets NX (bit 63, which needs NPT_CAP_NX).
 * Anything else is refused with STAGE2_EPERM. */
enum { STAGE2_READ = 1, STAGE2_WRITE = 2, STAGE2_EXEC = 4 };

/* Memory types (the EPT's own encoding, leaf bits 5:3, SDM 29.3.7). EPT
 * takes all five. NPT expresses a type through the leaf's PAT index
 * (APM vol. 2 7.8.2), which the host's PAT MSR resolves; the reference
 * keeps the power-on PAT (APM vol. 2 7.8.1: index 0 WB, 1 WT, 3 UC), so
 * NPT takes WB, WT and UC and refuses WC and WP with STAGE2_EINVAL. */
enum { STAGE2_MT_UC = 0, STAGE2_MT_WC = 1, STAGE2_MT_WT = 4, STAGE2_MT_WP = 5, STAGE2_MT_WB = 6 };

#define STAGE2_PAGE_4K (1ull << 12)
#define STAGE2_PAGE_2M (1ull << 21)
#define STAGE2_PAGE_1G (1ull << 30)

/* EPT caps: IA32_VMX_EPT_VPID_CAP bits this module or its callers use (SDM A.10). */
#define EPT_CAP_EXEC_ONLY      (1ull << 0)  /* execute-only translations allowed */
#define EPT_CAP_WALK_4         (1ull << 6)  /* page-walk length 4 supported */
#define EPT_CAP_WB             (1ull << 14) /* EPT structures may be write-back */
#define EPT_CAP_2M             (1ull << 16) /* PDE may map a 2 MiB page */
#define EPT_CAP_1G             (1ull << 17) /* PDPTE may map a 1 GiB page */
#define EPT_CAP_INVEPT         (1ull << 20) /* INVEPT instruction supported */
#define EPT_CAP_INVEPT_SINGLE  (1ull << 25) /* single-context INVEPT type */
#define EPT_CAP_INVEPT_ALL     (1ull << 26) /* all-context INVEPT type */

/* NPT caps: CPUID.80000001H:EDX bits (APM vol. 3 E.4.2). Long-mode tables
 * always allow 2 MiB pages (PDE.PS, APM vol. 2 5.3.4). */
#define NPT_CAP_NX             (1ull << 20) /* no-execute bit; also needs host EFER.NXE while the guest runs */
#define NPT_CAP_1G             (1ull << 26) /* Page1GB: PDPE may map a 1 GiB page */

/* What the module needs from its host. flush is called with this table's
 * stage2_root; how to invalidate (INVEPT type, an ASID or VMCB TLB
 * control) is the callback's business. */
struct stage2_env {
	void *ctx;
	enum stage2_format format;
	uint64_t (*alloc_frame)(void *ctx);           /* host-physical address of a zeroed 4 KiB frame, 0 when out of memory */
	void (*free_frame)(void *ctx, uint64_t hpa);
	void *(*phys_to_virt)(void *ctx, uint64_t hpa);
	void (*flush)(void *ctx, uint64_t root);      /* may be NULL: nothing cached to flush */
	uint64_t caps;                                /* EPT: IA32_VMX_EPT_VPID_CAP; NPT: CPUID.80000001H:EDX */
	unsigned phys_addr_bits;                      /* MAXPHYADDR, CPUID.80000008H:EAX[7:0] */
};

struct stage2 {
	struct stage2_env env;
	uint64_t pml4_hpa;
	uint64_t table_frames;  /* frames held for paging structures, PML4 included */
};

struct stage2_mapping {
	uint64_t hpa;        /* translation of the queried gpa itself */
	uint64_t page_size;  /* STAGE2_PAGE_4K, _2M or _1G */
	unsigned perms;      /* STAGE2_READ | STAGE2_WRITE | STAGE2_EXEC */
	unsigned memtype;    /* STAGE2_MT_* */
};

enum stage2_error {
	STAGE2_OK = 0,
	STAGE2_EEXIST = -1,  /* part of the range is already mapped */
	STAGE2_EALIGN = -2,  /* gpa or hpa not aligned to the page size */
	STAGE2_ENOENT = -3,  /* nothing mapped there */
	STAGE2_ERANGE = -4,  /* address beyond 2^48 or beyond MAXPHYADDR */
	STAGE2_EPERM = -5,   /* access rights the format cannot express */
	STAGE2_ENOMEM = -6,  /* alloc_frame returned 0 */
	STAGE2_EINVAL = -7,  /* bad size or memtype, a size the CPU lacks, bad env or argument */
};

/* Checks env (a known format; alloc_frame, free_frame and phys_to_virt
 * set; EPT caps with a 4-level walk and write-back structures;
 * 36 <= phys_addr_bits <= 52) and allocates the PML4. Every other call
 * needs a successful stage2_init. */
int stage2_init(struct stage2 *e, const struct stage2_env *env);

/* What the processor is given: EPT, the EPTP (SDM 25.6.11: write-back
 * structures, page-walk length 4, no A/D flags); NPT, the nCR3 (the PML4's
 * address, PWT and PCD clear: write-back, APM vol. 2 15.25.4). */
uint64_t stage2_root(const struct stage2 *e);

/* Maps one page of size bytes (4K, 2M or 1G; EPT: 2M needs caps bit 16,
 * 1G needs bits 16 and 17 because a split 1G page becomes 2M pages; NPT:
 * 1G needs NPT_CAP_1G). Fails with STAGE2_EEXIST, changing nothing, if any
 * part of the range is mapped. Adding a translation never calls flush. */
int stage2_map(struct stage2 *e, uint64_t gpa, uint64_t hpa, uint64_t size,
	       unsigned perms, unsigned memtype);

/* Removes every translation inside [gpa, gpa + size); STAGE2_ENOENT if there
 * is none. A larger page that holds the range is first split down to size
 * (the rest keeps its translation). Tables left empty are freed. */
int stage2_unmap(struct stage2 *e, uint64_t gpa, uint64_t size);

/* Sets the access rights of every translation inside [gpa, gpa + size),
 * splitting a larger page like stage2_unmap. flush is called when a right
 * is removed or a page is split; a pure increase of rights skips it, as
 * SDM 29.4.3.3 allows (the fault a stale entry causes flushes it). */
int stage2_protect(struct stage2 *e, uint64_t gpa, uint64_t size, unsigned perms);

/* Translates gpa; STAGE2_ENOENT when unmapped. */
int stage2_walk(const struct stage2 *e, uint64_t gpa, struct stage2_mapping *out);

/* Flushes and frees every paging-structure frame. */
void stage2_destroy(struct stage2 *e);

/* A short English text for an enum stage2_error value. */
const char *stage2_strerror(int err);

#endif
