/* Unit tests of elf_guest: images are built in memory from the host's
 * <elf.h> definitions (an independent source of the ELF layout). */
#include <atf-c.h>
#include <elf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "elf_guest.h"

#define MiB (1024ull * 1024)
#define RAM_BYTES (64 * MiB)
#define IMAGE_MAX 0x8000
#define PHOFF64 sizeof(Elf64_Ehdr)
#define PHOFF32 sizeof(Elf32_Ehdr)

/* Two device windows inside the RAM range so overlaps can be provoked. */
static const struct gpa_range WINDOWS[] = {
	{ 0xa0000, 0x60000 },
	{ 32 * MiB, 0x1000 },
};
static const struct guest_layout LAYOUT = { RAM_BYTES, WINDOWS, 2 };

struct image {
	uint8_t bytes[IMAGE_MAX];
	uint64_t size;
};

static Elf64_Ehdr eh64(const struct image *im)
{
	Elf64_Ehdr e;
	memcpy(&e, im->bytes, sizeof(e));
	return e;
}

static void set_eh64(struct image *im, const Elf64_Ehdr *e)
{
	memcpy(im->bytes, e, sizeof(*e));
}

static void set_ph64(struct image *im, unsigned i, const Elf64_Phdr *p)
{
	memcpy(im->bytes + PHOFF64 + i * sizeof(*p), p, sizeof(*p));
}

static void set_ph32(struct image *im, unsigned i, const Elf32_Phdr *p)
{
	memcpy(im->bytes + PHOFF32 + i * sizeof(*p), p, sizeof(*p));
}

static Elf64_Phdr load64(uint64_t paddr, uint64_t memsz, uint64_t filesz, uint64_t offset)
{
	return (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X,
			     .p_offset = offset, .p_vaddr = paddr, .p_paddr = paddr,
			     .p_filesz = filesz, .p_memsz = memsz, .p_align = 0x1000 };
}

/* A valid ELF64 header with nph program headers that the caller fills. */
static void init64(struct image *im, unsigned nph, uint64_t entry)
{
	memset(im, 0, sizeof(*im));
	Elf64_Ehdr e = { .e_type = ET_EXEC, .e_machine = EM_X86_64,
			 .e_version = EV_CURRENT, .e_entry = entry,
			 .e_phoff = PHOFF64, .e_ehsize = sizeof(Elf64_Ehdr),
			 .e_phentsize = sizeof(Elf64_Phdr), .e_phnum = nph };
	memcpy(e.e_ident, ELFMAG, SELFMAG);
	e.e_ident[EI_CLASS] = ELFCLASS64;
	e.e_ident[EI_DATA] = ELFDATA2LSB;
	e.e_ident[EI_VERSION] = EV_CURRENT;
	set_eh64(im, &e);
	im->size = IMAGE_MAX;
}

/* A valid one-segment ELF64 image: 0x100 file bytes at 1 MiB, memsz 0x2000. */
static void simple64(struct image *im)
{
	init64(im, 1, 1 * MiB + 0x10);
	Elf64_Phdr p = load64(1 * MiB, 0x2000, 0x100, 0x1000);
	set_ph64(im, 0, &p);
}

static void init32(struct image *im, unsigned nph, uint32_t entry)
{
	memset(im, 0, sizeof(*im));
	Elf32_Ehdr e = { .e_type = ET_EXEC, .e_machine = EM_386,
			 .e_version = EV_CURRENT, .e_entry = entry,
			 .e_phoff = PHOFF32, .e_ehsize = sizeof(Elf32_Ehdr),
			 .e_phentsize = sizeof(Elf32_Phdr), .e_phnum = nph };
	memcpy(e.e_ident, ELFMAG, SELFMAG);
	e.e_ident[EI_CLASS] = ELFCLASS32;
	e.e_ident[EI_DATA] = ELFDATA2LSB;
	e.e_ident[EI_VERSION] = EV_CURRENT;
	memcpy(im->bytes, &e, sizeof(e));
	im->size = IMAGE_MAX;
}

static int parse(const struct image *im, struct elf_guest_image *out)
{
	return elf_guest_parse(im->bytes, im->size, &LAYOUT, out);
}

/* Asserts the image is refused with want and the contract's text. */
static void expect_refused(const struct image *im, int want, const char *text)
{
	struct elf_guest_image out;
	int err = parse(im, &out);
	ATF_CHECK_EQ_MSG(err, want, "got %d (%s), want %d", err,
			 elf_guest_strerror(err), want);
	ATF_CHECK_STREQ(elf_guest_strerror(err), text);
}

ATF_TC_WITHOUT_HEAD(good_elf64);
ATF_TC_BODY(good_elf64, tc)
{
	struct image im;
	struct elf_guest_image out;
	init64(&im, 4, 2 * MiB + 0x40);
	Elf64_Phdr text = load64(1 * MiB, 0x3000, 0x2800, 0x1000);
	Elf64_Phdr note = { .p_type = PT_NOTE, .p_offset = 0x200, .p_filesz = 0x20,
			    .p_memsz = 0x20 };
	Elf64_Phdr empty = load64(48 * MiB, 0, 0, 0);
	Elf64_Phdr data = load64(2 * MiB, 0x5000, 0x100, 0x1800);
	data.p_flags = PF_R | PF_W;
	set_ph64(&im, 0, &text);
	set_ph64(&im, 1, &note);
	set_ph64(&im, 2, &empty);
	set_ph64(&im, 3, &data);

	int err = parse(&im, &out);
	ATF_REQUIRE_EQ_MSG(err, ELF_GUEST_OK, "%s", elf_guest_strerror(err));
	ATF_CHECK_EQ(out.entry, 2 * MiB + 0x40);
	ATF_REQUIRE_EQ(out.nseg, 2);
	ATF_CHECK_EQ(out.seg[0].paddr, 1 * MiB);
	ATF_CHECK_EQ(out.seg[0].memsz, 0x3000);
	ATF_CHECK_EQ(out.seg[0].filesz, 0x2800);
	ATF_CHECK_EQ(out.seg[0].offset, 0x1000);
	ATF_CHECK_EQ(out.seg[0].flags, PF_R | PF_X);
	ATF_CHECK_EQ(out.seg[1].paddr, 2 * MiB);
	ATF_CHECK_EQ(out.seg[1].memsz, 0x5000);
	ATF_CHECK_EQ(out.seg[1].filesz, 0x100);
	ATF_CHECK_EQ(out.seg[1].offset, 0x1800);
	ATF_CHECK_EQ(out.seg[1].flags, PF_R | PF_W);
	ATF_CHECK_EQ(out.end, 2 * MiB + 0x5000);
}

ATF_TC_WITHOUT_HEAD(good_elf32);
ATF_TC_BODY(good_elf32, tc)
{
	struct image im;
	struct elf_guest_image out;
	init32(&im, 2, 0x100000);
	Elf32_Phdr a = { .p_type = PT_LOAD, .p_offset = 0x1000, .p_vaddr = 0xc0100000,
			 .p_paddr = 0x100000, .p_filesz = 0x800, .p_memsz = 0x1000,
			 .p_flags = PF_R | PF_X, .p_align = 0x1000 };
	Elf32_Phdr b = { .p_type = PT_LOAD, .p_offset = 0x1800, .p_vaddr = 0xc0400000,
			 .p_paddr = 0x400000, .p_filesz = 0, .p_memsz = 0x10000,
			 .p_flags = PF_R | PF_W, .p_align = 0x1000 };
	set_ph32(&im, 0, &a);
	set_ph32(&im, 1, &b);

	ATF_REQUIRE_EQ(parse(&im, &out), ELF_GUEST_OK);
	ATF_CHECK_EQ(out.entry, 0x100000);
	ATF_REQUIRE_EQ(out.nseg, 2);
	/* p_paddr, not p_vaddr, is where a segment goes. */
	ATF_CHECK_EQ(out.seg[0].paddr, 0x100000);
	ATF_CHECK_EQ(out.seg[0].filesz, 0x800);
	ATF_CHECK_EQ(out.seg[0].memsz, 0x1000);
	ATF_CHECK_EQ(out.seg[0].offset, 0x1000);
	ATF_CHECK_EQ(out.seg[0].flags, PF_R | PF_X);
	ATF_CHECK_EQ(out.seg[1].paddr, 0x400000);
	ATF_CHECK_EQ(out.seg[1].filesz, 0);
	ATF_CHECK_EQ(out.seg[1].memsz, 0x10000);
	ATF_CHECK_EQ(out.end, 0x410000);
}

ATF_TC_WITHOUT_HEAD(unaligned_image);
ATF_TC_BODY(unaligned_image, tc)
{
	static uint8_t shifted[IMAGE_MAX + 1];
	struct image im;
	struct elf_guest_image out;
	simple64(&im);
	memcpy(shifted + 1, im.bytes, im.size);
	ATF_REQUIRE_EQ(elf_guest_parse(shifted + 1, im.size, &LAYOUT, &out), ELF_GUEST_OK);
	ATF_CHECK_EQ(out.nseg, 1);
	ATF_CHECK_EQ(out.seg[0].paddr, 1 * MiB);
	ATF_CHECK_EQ(out.entry, 1 * MiB + 0x10);
}

ATF_TC_WITHOUT_HEAD(not_elf);
ATF_TC_BODY(not_elf, tc)
{
	struct image im;
	const char *text = "not an ELF image";

	simple64(&im);
	im.bytes[1] = 'e';
	expect_refused(&im, ELF_GUEST_NOT_ELF, text);

	simple64(&im);
	im.size = 0;
	expect_refused(&im, ELF_GUEST_NOT_ELF, text);

	simple64(&im);
	im.size = EI_NIDENT - 1;
	expect_refused(&im, ELF_GUEST_NOT_ELF, text);

	/* A valid identification but a truncated header, in each class. */
	simple64(&im);
	im.size = sizeof(Elf64_Ehdr) - 1;
	expect_refused(&im, ELF_GUEST_NOT_ELF, text);
	init32(&im, 1, 0x100000);
	im.size = sizeof(Elf32_Ehdr) - 1;
	expect_refused(&im, ELF_GUEST_NOT_ELF, text);

	struct elf_guest_image out;
	ATF_CHECK_EQ(elf_guest_parse(NULL, 100, &LAYOUT, &out), ELF_GUEST_NOT_ELF);
}

ATF_TC_WITHOUT_HEAD(bad_class);
ATF_TC_BODY(bad_class, tc)
{
	struct image im;
	const uint8_t classes[] = { ELFCLASSNONE, 3, 0xff };
	for (unsigned i = 0; i < sizeof(classes); i++) {
		simple64(&im);
		im.bytes[EI_CLASS] = classes[i];
		expect_refused(&im, ELF_GUEST_BAD_CLASS, "unsupported ELF class");
	}
}

ATF_TC_WITHOUT_HEAD(bad_machine);
ATF_TC_BODY(bad_machine, tc)
{
	struct image im;
	const char *text = "unsupported ELF machine";
	Elf64_Ehdr e;

	simple64(&im);
	e = eh64(&im);
	e.e_machine = EM_386; /* i386 in an ELF64 file */
	set_eh64(&im, &e);
	expect_refused(&im, ELF_GUEST_BAD_MACHINE, text);

	simple64(&im);
	e = eh64(&im);
	e.e_machine = EM_AARCH64;
	set_eh64(&im, &e);
	expect_refused(&im, ELF_GUEST_BAD_MACHINE, text);

	simple64(&im);
	im.bytes[EI_DATA] = ELFDATA2MSB;
	expect_refused(&im, ELF_GUEST_BAD_MACHINE, text);

	simple64(&im);
	im.bytes[EI_DATA] = ELFDATANONE;
	expect_refused(&im, ELF_GUEST_BAD_MACHINE, text);

	simple64(&im);
	e = eh64(&im);
	e.e_type = ET_DYN;
	set_eh64(&im, &e);
	expect_refused(&im, ELF_GUEST_BAD_MACHINE, text);

	init32(&im, 1, 0x100000);
	Elf32_Ehdr e32;
	memcpy(&e32, im.bytes, sizeof(e32));
	e32.e_machine = EM_X86_64; /* x86-64 in an ELF32 file */
	memcpy(im.bytes, &e32, sizeof(e32));
	expect_refused(&im, ELF_GUEST_BAD_MACHINE, text);
}

ATF_TC_WITHOUT_HEAD(bad_phdrs);
ATF_TC_BODY(bad_phdrs, tc)
{
	struct image im;
	const char *text = "bad program headers";
	Elf64_Ehdr e;

	simple64(&im);
	e = eh64(&im);
	e.e_phentsize = sizeof(Elf32_Phdr);
	set_eh64(&im, &e);
	expect_refused(&im, ELF_GUEST_BAD_PHDRS, text);

	simple64(&im);
	e = eh64(&im);
	e.e_phnum = 0;
	set_eh64(&im, &e);
	expect_refused(&im, ELF_GUEST_BAD_PHDRS, text);

	/* PN_XNUM defers the count to section header 0, which a loader does
	 * not read: refused even when the file holds that many entries. */
	uint64_t big = PHOFF64 + (uint64_t)PN_XNUM * sizeof(Elf64_Phdr);
	uint8_t *xnum = calloc(1, big);
	ATF_REQUIRE(xnum != NULL);
	simple64(&im);
	e = eh64(&im);
	e.e_phnum = PN_XNUM;
	memcpy(xnum, &e, sizeof(e));
	memcpy(xnum + PHOFF64, im.bytes + PHOFF64, sizeof(Elf64_Phdr));
	struct elf_guest_image xout;
	ATF_CHECK_EQ(elf_guest_parse(xnum, big, &LAYOUT, &xout), ELF_GUEST_BAD_PHDRS);
	free(xnum);

	/* Table ending one byte past the file, and starting past it. */
	simple64(&im);
	im.size = PHOFF64 + sizeof(Elf64_Phdr) - 1;
	expect_refused(&im, ELF_GUEST_BAD_PHDRS, text);
	simple64(&im);
	e = eh64(&im);
	e.e_phoff = IMAGE_MAX + 8;
	set_eh64(&im, &e);
	expect_refused(&im, ELF_GUEST_BAD_PHDRS, text);

	/* phoff + table size wraps around 2^64. */
	simple64(&im);
	e = eh64(&im);
	e.e_phoff = UINT64_MAX - 8;
	set_eh64(&im, &e);
	expect_refused(&im, ELF_GUEST_BAD_PHDRS, text);

	/* The table fits exactly at the end of the file. */
	simple64(&im);
	im.size = PHOFF64 + sizeof(Elf64_Phdr);
	Elf64_Phdr p = load64(1 * MiB, 0x2000, 0, 0);
	set_ph64(&im, 0, &p);
	struct elf_guest_image out;
	ATF_CHECK_EQ(parse(&im, &out), ELF_GUEST_OK);

	init32(&im, 1, 0x100000);
	Elf32_Ehdr e32;
	memcpy(&e32, im.bytes, sizeof(e32));
	e32.e_phentsize = sizeof(Elf64_Phdr);
	memcpy(im.bytes, &e32, sizeof(e32));
	expect_refused(&im, ELF_GUEST_BAD_PHDRS, text);
}

ATF_TC_WITHOUT_HEAD(too_many_segments);
ATF_TC_BODY(too_many_segments, tc)
{
	struct image im;
	struct elf_guest_image out;
	unsigned n = ELF_GUEST_MAX_SEGMENTS;

	init64(&im, n, 4 * MiB);
	for (unsigned i = 0; i < n; i++) {
		Elf64_Phdr p = load64(4 * MiB + i * 0x1000, 0x1000, 0, 0);
		set_ph64(&im, i, &p);
	}
	ATF_REQUIRE_EQ(parse(&im, &out), ELF_GUEST_OK);
	ATF_CHECK_EQ(out.nseg, n);
	ATF_CHECK_EQ(out.end, 4 * MiB + n * 0x1000);

	init64(&im, n + 1, 4 * MiB);
	for (unsigned i = 0; i < n + 1; i++) {
		Elf64_Phdr p = load64(4 * MiB + i * 0x1000, 0x1000, 0, 0);
		set_ph64(&im, i, &p);
	}
	expect_refused(&im, ELF_GUEST_TOO_MANY_SEGMENTS, "bad program headers");
}

/* Asserts a one-segment image with phdr p is refused as outside RAM. */
static void expect_outside_ram(const Elf64_Phdr *p, uint64_t size)
{
	struct image im;
	init64(&im, 1, p->p_paddr);
	set_ph64(&im, 0, p);
	im.size = size;
	expect_refused(&im, ELF_GUEST_SEG_OUTSIDE_RAM, "segment outside guest RAM");
}

ATF_TC_WITHOUT_HEAD(segment_outside_ram);
ATF_TC_BODY(segment_outside_ram, tc)
{
	Elf64_Phdr p;

	p = load64(RAM_BYTES - 0x1000, 0x1001, 0, 0); /* one byte too far */
	expect_outside_ram(&p, IMAGE_MAX);
	p = load64(RAM_BYTES, 0x1000, 0, 0);
	expect_outside_ram(&p, IMAGE_MAX);
	p = load64(UINT64_MAX - 0xfff, 0x2000, 0, 0); /* paddr + memsz wraps */
	expect_outside_ram(&p, IMAGE_MAX);
	p = load64(1 * MiB, 0x100, 0x101, 0); /* filesz > memsz */
	expect_outside_ram(&p, IMAGE_MAX);
	p = load64(1 * MiB, 0x2000, 0x1001, 0x1000); /* file bytes past the end */
	expect_outside_ram(&p, 0x2000);
	p = load64(1 * MiB, 0x2000, 0x10, IMAGE_MAX + 1); /* offset past the end */
	expect_outside_ram(&p, IMAGE_MAX);
	p = load64(1 * MiB, 0x2000, 0x20, UINT64_MAX - 0xf); /* offset + filesz wraps */
	expect_outside_ram(&p, IMAGE_MAX);

	/* The last byte of RAM and the last byte of the file are fine. */
	struct image im;
	struct elf_guest_image out;
	init64(&im, 1, RAM_BYTES - 1);
	p = load64(RAM_BYTES - 0x1000, 0x1000, 0x1000, 0x1000);
	set_ph64(&im, 0, &p);
	im.size = 0x2000;
	ATF_CHECK_EQ(parse(&im, &out), ELF_GUEST_OK);
	ATF_CHECK_EQ(out.end, RAM_BYTES);
}

ATF_TC_WITHOUT_HEAD(segment_in_window);
ATF_TC_BODY(segment_in_window, tc)
{
	const struct { uint64_t paddr, memsz; bool overlaps; } cases[] = {
		{ 0x9f000, 0x1001, true },           /* last byte in the window */
		{ 0xff000, 0x2000, true },           /* first byte in the window */
		{ 0xb0000, 0x1000, true },           /* inside */
		{ 0x90000, 0x100000, true },         /* contains the window */
		{ 32 * MiB + 0xfff, 1, true },       /* last byte of the 2nd window */
		{ 0x9f000, 0x1000, false },          /* ends at the window */
		{ 0x100000, 0x1000, false },         /* starts at its end */
		{ 32 * MiB + 0x1000, 0x1000, false },
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct image im;
		struct elf_guest_image out;
		init64(&im, 1, cases[i].paddr);
		Elf64_Phdr p = load64(cases[i].paddr, cases[i].memsz, 0, 0);
		set_ph64(&im, 0, &p);
		int err = parse(&im, &out);
		if (cases[i].overlaps) {
			ATF_CHECK_EQ_MSG(err, ELF_GUEST_SEG_IN_WINDOW, "case %u: %d", i, err);
			ATF_CHECK_STREQ(elf_guest_strerror(err), "segment overlaps device window");
		} else {
			ATF_CHECK_EQ_MSG(err, ELF_GUEST_OK, "case %u: %d", i, err);
		}
	}

	/* A window whose end wraps 2^64 does not swallow low addresses. */
	const struct gpa_range high = { UINT64_MAX - 0xfff, 0x2000 };
	const struct guest_layout layout = { RAM_BYTES, &high, 1 };
	struct image im;
	struct elf_guest_image out;
	simple64(&im);
	ATF_CHECK_EQ(elf_guest_parse(im.bytes, im.size, &layout, &out), ELF_GUEST_OK);
}

ATF_TC_WITHOUT_HEAD(bad_entry);
ATF_TC_BODY(bad_entry, tc)
{
	const char *text = "entry point outside loaded segments";
	struct image im;
	struct elf_guest_image out;
	Elf64_Ehdr e;
	const uint64_t bad[] = { 1 * MiB - 1, 1 * MiB + 0x2000, 0, 0x300 };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		simple64(&im);
		e = eh64(&im);
		e.e_entry = bad[i];
		set_eh64(&im, &e);
		expect_refused(&im, ELF_GUEST_BAD_ENTRY, text);
	}

	/* Inside a PT_NOTE or an empty PT_LOAD is not loaded. */
	init64(&im, 3, 8 * MiB);
	Elf64_Phdr note = { .p_type = PT_NOTE, .p_paddr = 8 * MiB, .p_memsz = 0x100 };
	Elf64_Phdr empty = load64(8 * MiB, 0, 0, 0);
	Elf64_Phdr text_seg = load64(1 * MiB, 0x1000, 0, 0);
	set_ph64(&im, 0, &note);
	set_ph64(&im, 1, &empty);
	set_ph64(&im, 2, &text_seg);
	expect_refused(&im, ELF_GUEST_BAD_ENTRY, text);

	/* First and last byte of a segment are inside. */
	simple64(&im);
	e = eh64(&im);
	e.e_entry = 1 * MiB;
	set_eh64(&im, &e);
	ATF_CHECK_EQ(parse(&im, &out), ELF_GUEST_OK);
	e.e_entry = 1 * MiB + 0x1fff;
	set_eh64(&im, &e);
	ATF_CHECK_EQ(parse(&im, &out), ELF_GUEST_OK);
}

ATF_TC_WITHOUT_HEAD(strerror_texts);
ATF_TC_BODY(strerror_texts, tc)
{
	/* The reason texts of contract section 2. */
	ATF_CHECK_STREQ(elf_guest_strerror(ELF_GUEST_NOT_ELF), "not an ELF image");
	ATF_CHECK_STREQ(elf_guest_strerror(ELF_GUEST_BAD_CLASS), "unsupported ELF class");
	ATF_CHECK_STREQ(elf_guest_strerror(ELF_GUEST_BAD_MACHINE), "unsupported ELF machine");
	ATF_CHECK_STREQ(elf_guest_strerror(ELF_GUEST_BAD_PHDRS), "bad program headers");
	ATF_CHECK_STREQ(elf_guest_strerror(ELF_GUEST_SEG_OUTSIDE_RAM), "segment outside guest RAM");
	ATF_CHECK_STREQ(elf_guest_strerror(ELF_GUEST_SEG_IN_WINDOW), "segment overlaps device window");
	ATF_CHECK_STREQ(elf_guest_strerror(ELF_GUEST_BAD_ENTRY), "entry point outside loaded segments");
	ATF_CHECK_STREQ(elf_guest_strerror(ELF_GUEST_TOO_MANY_SEGMENTS), "bad program headers");
	ATF_CHECK_STREQ(elf_guest_strerror(-1), "unknown ELF error");
	ATF_CHECK_STREQ(elf_guest_strerror(ELF_GUEST_TOO_MANY_SEGMENTS + 1), "unknown ELF error");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, good_elf64);
	ATF_TP_ADD_TC(tp, good_elf32);
	ATF_TP_ADD_TC(tp, unaligned_image);
	ATF_TP_ADD_TC(tp, not_elf);
	ATF_TP_ADD_TC(tp, bad_class);
	ATF_TP_ADD_TC(tp, bad_machine);
	ATF_TP_ADD_TC(tp, bad_phdrs);
	ATF_TP_ADD_TC(tp, too_many_segments);
	ATF_TP_ADD_TC(tp, segment_outside_ram);
	ATF_TP_ADD_TC(tp, segment_in_window);
	ATF_TP_ADD_TC(tp, bad_entry);
	ATF_TP_ADD_TC(tp, strerror_texts);
	return atf_no_error();
}
