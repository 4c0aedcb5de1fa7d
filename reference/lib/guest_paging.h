/* Guest-virtual to guest-physical translation through the guest's own
 * paging structures (SDM vol. 3 chapter 4), for the hypervisor reading or
 * writing guest buffers on the guest's behalf (Print, INS/OUTS). No access
 * rights are checked; present, PS and reserved bits are. */
#ifndef HV_GUEST_PAGING_H
#define HV_GUEST_PAGING_H
#include <stdbool.h>
#include <stdint.h>

enum guest_paging_mode {
	GUEST_PAGING_OFF,
	GUEST_PAGING_32BIT,
	GUEST_PAGING_PAE,
	GUEST_PAGING_4LEVEL,
};

/* Reads guest-physical memory; returns false when gpa..gpa+len is not guest RAM. */
typedef bool (*guest_phys_read_fn)(void *ctx, uint64_t gpa, void *buf, uint64_t len);
/* Writes guest-physical memory; returns false when gpa..gpa+len is not guest RAM. */
typedef bool (*guest_phys_write_fn)(void *ctx, uint64_t gpa, const void *buf, uint64_t len);

struct guest_mem {
	guest_phys_read_fn read;
	void *ctx;
};

/* For copies into the guest: tables are still read through mem.read; data
 * goes through write, called with mem.ctx. */
struct guest_mem_rw {
	struct guest_mem mem;
	guest_phys_write_fn write;
};

/* The guest's control registers as it sees them (VMCS guest fields). */
struct guest_cpu_state {
	uint64_t cr0, cr3, cr4, efer;
};

enum guest_paging_mode guest_paging_mode(const struct guest_cpu_state *s);

enum {
	GUEST_XLATE_OK = 0,
	GUEST_XLATE_NOT_PRESENT = -1,
	GUEST_XLATE_BAD_TABLE = -2, /* a paging structure lies outside guest RAM */
	GUEST_XLATE_RESERVED = -3,  /* reserved bit set in a present entry */
	GUEST_COPY_OUTSIDE_RAM = -4, /* a translated GPA is not guest RAM */
	GUEST_XLATE_BAD_RANGE = -5, /* address beyond the mode's linear-address width
				       (32-bit modes) or not canonical (4-level) */
};

/* On success *gpa is the translation and *bytes_left the bytes from gva to
 * the end of its page (4K/2M/4M/1G; 4K when paging is off). */
int guest_translate(const struct guest_mem *m, const struct guest_cpu_state *s,
		    uint64_t gva, uint64_t *gpa, uint64_t *bytes_left);

/* Whether [gva, gva + size) fits the mode's linear addresses: below 2^32
 * for OFF/32BIT/PAE; for 4-level inside one canonical half (bit 47
 * sign-extended), not crossing the non-canonical hole. An empty range
 * (size 0) is always valid: it touches no address. */
bool guest_range_valid(const struct guest_cpu_state *s, uint64_t gva, uint64_t size);

/* Copy len bytes from / to guest-virtual gva (may cross pages). Return
 * GUEST_XLATE_OK, GUEST_XLATE_BAD_RANGE when guest_range_valid() fails, a
 * translation error, or GUEST_COPY_OUTSIDE_RAM. On an error, buf contents
 * (from_virt) are unspecified. guest_copy_to_virt translates every page
 * before it writes the first byte, so a translation error writes nothing;
 * GUEST_COPY_OUTSIDE_RAM may leave earlier pages written. */
int guest_copy_from_virt(const struct guest_mem *m, const struct guest_cpu_state *s,
			 uint64_t gva, void *buf, uint64_t len);
int guest_copy_to_virt(const struct guest_mem_rw *m, const struct guest_cpu_state *s,
		       uint64_t gva, const void *buf, uint64_t len);

#endif
