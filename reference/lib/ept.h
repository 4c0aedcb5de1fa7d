/* Extended page tables: building and editing the guest-physical ->
 * host-physical translation a VMX guest runs on (SDM vol. 3 section 29.3).
 *
 * The module owns only the paging-structure frames; frames mapped for the
 * guest belong to the caller. Every frame comes from and goes back to the
 * caller's env, so the same code runs inside the hypervisor and in host
 * unit tests. */
#ifndef HV_EPT_H
#define HV_EPT_H
#include <stdint.h>

/* Access rights, entry bits 2:0 (29.3.2, Tables 29-1..29-6). */
enum { EPT_READ = 1, EPT_WRITE = 2, EPT_EXEC = 4 };

/* EPT memory types for leaf entry bits 5:3 (29.3.7). 2, 3 and 7 are
 * reserved and make the entry misconfigured (29.3.3.1). */
enum { EPT_MT_UC = 0, EPT_MT_WC = 1, EPT_MT_WT = 4, EPT_MT_WP = 5, EPT_MT_WB = 6 };

#define EPT_PAGE_4K (1ull << 12)
#define EPT_PAGE_2M (1ull << 21)
#define EPT_PAGE_1G (1ull << 30)

/* IA32_VMX_EPT_VPID_CAP bits this module or its callers use (SDM A.10). */
#define EPT_CAP_EXEC_ONLY      (1ull << 0)  /* execute-only translations allowed */
#define EPT_CAP_WALK_4         (1ull << 6)  /* page-walk length 4 supported */
#define EPT_CAP_WB             (1ull << 14) /* EPT structures may be write-back */
#define EPT_CAP_2M             (1ull << 16) /* PDE may map a 2 MiB page */
#define EPT_CAP_1G             (1ull << 17) /* PDPTE may map a 1 GiB page */
#define EPT_CAP_INVEPT         (1ull << 20) /* INVEPT instruction supported */
#define EPT_CAP_INVEPT_SINGLE  (1ull << 25) /* single-context INVEPT type */
#define EPT_CAP_INVEPT_ALL     (1ull << 26) /* all-context INVEPT type */

/* What the module needs from its host. invept is called with this EPT's
 * EPTP; choosing the INVEPT type (single-context per A.10 bit 25, or
 * all-context) is the callback's business. */
struct ept_env {
	void *ctx;
	uint64_t (*alloc_frame)(void *ctx);           /* host-physical address of a zeroed 4 KiB frame, 0 when out of memory */
	void (*free_frame)(void *ctx, uint64_t hpa);
	void *(*phys_to_virt)(void *ctx, uint64_t hpa);
	void (*invept)(void *ctx, uint64_t eptp);     /* single-context INVEPT; may be NULL */
	uint64_t vpid_ept_caps;                        /* IA32_VMX_EPT_VPID_CAP (A.10) */
	unsigned phys_addr_bits;                       /* MAXPHYADDR, CPUID.80000008H:EAX[7:0] */
};

struct ept {
	struct ept_env env;
	uint64_t pml4_hpa;
	uint64_t table_frames;  /* frames held for paging structures, PML4 included */
};

struct ept_mapping {
	uint64_t hpa;        /* translation of the queried gpa itself */
	uint64_t page_size;  /* EPT_PAGE_4K, _2M or _1G */
	unsigned perms;      /* EPT_READ | EPT_WRITE | EPT_EXEC */
	unsigned memtype;    /* EPT_MT_* */
};

enum ept_error {
	EPT_OK = 0,
	EPT_EEXIST = -1,  /* part of the range is already mapped */
	EPT_EALIGN = -2,  /* gpa or hpa not aligned to the page size */
	EPT_ENOENT = -3,  /* nothing mapped there */
	EPT_ERANGE = -4,  /* address beyond 2^48 or beyond MAXPHYADDR */
	EPT_EPERM = -5,   /* permission combination the SDM calls a misconfiguration */
	EPT_ENOMEM = -6,  /* alloc_frame returned 0 */
	EPT_EINVAL = -7,  /* bad size or memtype, a size the CPU lacks, bad env or argument */
};

/* Checks env (alloc_frame, free_frame and phys_to_virt set; caps with a
 * 4-level walk and write-back structures; 36 <= phys_addr_bits <= 52) and
 * allocates the PML4. Every other call needs a successful ept_init. */
int ept_init(struct ept *e, const struct ept_env *env);

/* EPTP (25.6.11): write-back structures, page-walk length 4, no A/D flags. */
uint64_t ept_pointer(const struct ept *e);

/* Maps one page of size bytes (4K, 2M or 1G; 2M needs caps bit 16, 1G
 * needs bits 16 and 17 because a split 1G page becomes 2M pages).
 * Fails with EPT_EEXIST, changing nothing, if any part of the range is
 * mapped. Adding a translation never calls invept. */
int ept_map(struct ept *e, uint64_t gpa, uint64_t hpa, uint64_t size,
	    unsigned perms, unsigned memtype);

/* Removes every translation inside [gpa, gpa + size); EPT_ENOENT if there
 * is none. A larger page that holds the range is first split down to size
 * (the rest keeps its translation). Tables left empty are freed. */
int ept_unmap(struct ept *e, uint64_t gpa, uint64_t size);

/* Sets the access rights of every translation inside [gpa, gpa + size),
 * splitting a larger page like ept_unmap. invept is called when a right
 * is removed or a page is split; a pure increase of rights skips it, as
 * 29.4.3.3 allows (the EPT violation a stale entry causes flushes it). */
int ept_protect(struct ept *e, uint64_t gpa, uint64_t size, unsigned perms);

/* Translates gpa; EPT_ENOENT when unmapped. */
int ept_walk(const struct ept *e, uint64_t gpa, struct ept_mapping *out);

/* Flushes (invept) and frees every paging-structure frame. */
void ept_destroy(struct ept *e);

/* A short English text for an enum ept_error value. */
const char *ept_strerror(int err);

#endif
