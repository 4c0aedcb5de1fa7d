/* Validates a guest ELF image against guest RAM and produces a load plan
 * (contract section 2). Pure: reads the image, writes only *out. */
#ifndef HV_ELF_GUEST_H
#define HV_ELF_GUEST_H
#include <stdint.h>

/* More PT_LOAD segments than this are refused as bad program headers. */
#define ELF_GUEST_MAX_SEGMENTS 16

/* A guest-physical address range [base, base + size). */
struct gpa_range {
	uint64_t base, size;
};

/* Guest RAM is [0, ram_bytes); windows are device ranges no segment may touch. */
struct guest_layout {
	uint64_t ram_bytes;
	const struct gpa_range *windows;
	unsigned nwindows;
};

/* Copy filesz bytes from image + offset to paddr, then zero up to memsz. */
struct elf_guest_segment {
	uint64_t paddr, memsz, filesz, offset;
	uint32_t flags; /* p_flags (PF_X/PF_W/PF_R) */
};

struct elf_guest_image {
	uint64_t entry;
	unsigned nseg;
	struct elf_guest_segment seg[ELF_GUEST_MAX_SEGMENTS];
	uint64_t end; /* highest paddr + memsz */
};

enum elf_guest_error {
	ELF_GUEST_OK = 0,
	ELF_GUEST_NOT_ELF,
	ELF_GUEST_BAD_CLASS,
	ELF_GUEST_BAD_MACHINE,
	ELF_GUEST_BAD_PHDRS,
	ELF_GUEST_SEG_OUTSIDE_RAM,
	ELF_GUEST_SEG_IN_WINDOW,
	ELF_GUEST_BAD_ENTRY,
	ELF_GUEST_TOO_MANY_SEGMENTS,
};

/* Returns ELF_GUEST_OK and fills *out, or an elf_guest_error naming the
 * first problem found (checked in the order of the contract's table).
 * The image may be unaligned. */
int elf_guest_parse(const void *image, uint64_t size,
		    const struct guest_layout *layout,
		    struct elf_guest_image *out);

/* The contract's refusal reason for err ("bad program headers", ...);
 * "unknown ELF error" for a value that is no elf_guest_error. */
const char *elf_guest_strerror(int err);

#endif
