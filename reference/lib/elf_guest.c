/* Guest ELF validation. Field layouts and constants come from the System V
 * ABI (gABI) "Object Files" chapter, ELF header and program header sections;
 * the image is untrusted, so every offset and sum is checked before use. */
#include <stdbool.h>
#include <stddef.h>
#include "elf_guest.h"
#include "hv_string.h"
#include "ranges.h"

/* e_ident (gABI "ELF Identification"). */
#define EI_NIDENT 16
#define EI_CLASS 4
#define EI_DATA 5
static const uint8_t ELF_MAGIC[4] = { 0x7f, 'E', 'L', 'F' };
#define ELFCLASS32 1
#define ELFCLASS64 2
#define ELFDATA2LSB 1

/* e_type, e_machine (gABI "ELF Header"). */
#define ET_EXEC 2
#define EM_386 3
#define EM_X86_64 62

/* e_phnum value meaning "count stored in section header 0" (gABI "Section
 * Header", extended numbering); a boot loader does not follow it. */
#define PN_XNUM 0xffff

/* p_type (gABI "Program Header"). */
#define PT_LOAD 1

struct elf32_ehdr {
	uint8_t e_ident[EI_NIDENT];
	uint16_t e_type, e_machine;
	uint32_t e_version, e_entry, e_phoff, e_shoff, e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};

struct elf64_ehdr {
	uint8_t e_ident[EI_NIDENT];
	uint16_t e_type, e_machine;
	uint32_t e_version;
	uint64_t e_entry, e_phoff, e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};

struct elf32_phdr {
	uint32_t p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align;
};

struct elf64_phdr {
	uint32_t p_type, p_flags;
	uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};

_Static_assert(sizeof(struct elf32_ehdr) == 52, "ELF32 header layout");
_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF64 header layout");
_Static_assert(sizeof(struct elf32_phdr) == 32, "ELF32 program header layout");
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF64 program header layout");

/* The class-independent fields the loader needs. */
struct elf_header {
	uint16_t type, machine;
	uint64_t entry, phoff;
	uint16_t phentsize, phnum;
};

struct elf_phdr {
	uint32_t type, flags;
	uint64_t offset, paddr, filesz, memsz;
};

/* True when [off, off + len) lies inside a buffer of size bytes. */
static bool inside(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

static int read_header(const uint8_t *img, uint64_t size, struct elf_header *h,
		       int *class)
{
	if (size < EI_NIDENT || memcmp(img, ELF_MAGIC, sizeof(ELF_MAGIC)) != 0)
		return ELF_GUEST_NOT_ELF;
	*class = img[EI_CLASS];
	if (*class == ELFCLASS32) {
		struct elf32_ehdr e;
		if (size < sizeof(e))
			return ELF_GUEST_NOT_ELF;
		memcpy(&e, img, sizeof(e));
		*h = (struct elf_header){ e.e_type, e.e_machine, e.e_entry,
					  e.e_phoff, e.e_phentsize, e.e_phnum };
	} else if (*class == ELFCLASS64) {
		struct elf64_ehdr e;
		if (size < sizeof(e))
			return ELF_GUEST_NOT_ELF;
		memcpy(&e, img, sizeof(e));
		*h = (struct elf_header){ e.e_type, e.e_machine, e.e_entry,
					  e.e_phoff, e.e_phentsize, e.e_phnum };
	} else {
		return ELF_GUEST_BAD_CLASS;
	}
	uint16_t want_machine = *class == ELFCLASS32 ? EM_386 : EM_X86_64;
	if (img[EI_DATA] != ELFDATA2LSB || h->type != ET_EXEC ||
	    h->machine != want_machine)
		return ELF_GUEST_BAD_MACHINE;
	return ELF_GUEST_OK;
}

static int check_phdr_table(const struct elf_header *h, int class, uint64_t size)
{
	uint64_t entsize = class == ELFCLASS32 ? sizeof(struct elf32_phdr)
					       : sizeof(struct elf64_phdr);
	if (h->phentsize != entsize || h->phnum == 0 || h->phnum == PN_XNUM)
		return ELF_GUEST_BAD_PHDRS;
	/* phnum < 2^16 and entsize < 2^6: the product cannot overflow. */
	if (!inside(h->phoff, (uint64_t)h->phnum * entsize, size))
		return ELF_GUEST_BAD_PHDRS;
	return ELF_GUEST_OK;
}

static void read_phdr(const uint8_t *img, const struct elf_header *h, int class,
		      unsigned i, struct elf_phdr *p)
{
	if (class == ELFCLASS32) {
		struct elf32_phdr e;
		memcpy(&e, img + h->phoff + (uint64_t)i * sizeof(e), sizeof(e));
		*p = (struct elf_phdr){ e.p_type, e.p_flags, e.p_offset,
					e.p_paddr, e.p_filesz, e.p_memsz };
	} else {
		struct elf64_phdr e;
		memcpy(&e, img + h->phoff + (uint64_t)i * sizeof(e), sizeof(e));
		*p = (struct elf_phdr){ e.p_type, e.p_flags, e.p_offset,
					e.p_paddr, e.p_filesz, e.p_memsz };
	}
}

static int check_segment(const struct elf_phdr *p, uint64_t size,
			 const struct guest_layout *layout)
{
	/* A window overlap is named first: windows lie above any RAM size, so
	 * such a segment is always outside RAM too (contract section 2). */
	for (unsigned w = 0; w < layout->nwindows; w++) {
		const struct gpa_range *win = &layout->windows[w];
		if (ranges_overlap(p->paddr, p->memsz, win->base, win->size))
			return ELF_GUEST_SEG_IN_WINDOW;
	}
	if (p->filesz > p->memsz || !inside(p->offset, p->filesz, size) ||
	    !inside(p->paddr, p->memsz, layout->ram_bytes))
		return ELF_GUEST_SEG_OUTSIDE_RAM;
	return ELF_GUEST_OK;
}

int elf_guest_parse(const void *image, uint64_t size,
		    const struct guest_layout *layout,
		    struct elf_guest_image *out)
{
	const uint8_t *img = image;
	struct elf_header h;
	int class, err;

	memset(out, 0, sizeof(*out));
	if (image == NULL)
		return ELF_GUEST_NOT_ELF;
	if ((err = read_header(img, size, &h, &class)) != ELF_GUEST_OK)
		return err;
	if ((err = check_phdr_table(&h, class, size)) != ELF_GUEST_OK)
		return err;

	bool entry_loaded = false;
	for (unsigned i = 0; i < h.phnum; i++) {
		struct elf_phdr p;
		read_phdr(img, &h, class, i, &p);
		if (p.type != PT_LOAD || p.memsz == 0)
			continue;
		if (out->nseg == ELF_GUEST_MAX_SEGMENTS)
			return ELF_GUEST_TOO_MANY_SEGMENTS;
		if ((err = check_segment(&p, size, layout)) != ELF_GUEST_OK)
			return err;
		out->seg[out->nseg++] = (struct elf_guest_segment){
			p.paddr, p.memsz, p.filesz, p.offset, p.flags
		};
		if (p.paddr + p.memsz > out->end)
			out->end = p.paddr + p.memsz;
		if (h.entry >= p.paddr && h.entry - p.paddr < p.memsz)
			entry_loaded = true;
	}
	if (!entry_loaded)
		return ELF_GUEST_BAD_ENTRY;
	out->entry = h.entry;
	return ELF_GUEST_OK;
}

const char *elf_guest_strerror(int err)
{
	switch (err) {
	case ELF_GUEST_OK: return "ok";
	case ELF_GUEST_NOT_ELF: return "not an ELF image";
	case ELF_GUEST_BAD_CLASS: return "unsupported ELF class";
	case ELF_GUEST_BAD_MACHINE: return "unsupported ELF machine";
	case ELF_GUEST_BAD_PHDRS: return "bad program headers";
	case ELF_GUEST_SEG_OUTSIDE_RAM: return "segment outside guest RAM";
	case ELF_GUEST_SEG_IN_WINDOW: return "segment overlaps device window";
	case ELF_GUEST_BAD_ENTRY: return "entry point outside loaded segments";
	case ELF_GUEST_TOO_MANY_SEGMENTS: return "bad program headers";
	default: return "unknown ELF error";
	}
}
