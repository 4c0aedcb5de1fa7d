/* Unit tests of guest_paging: page tables are built by hand in a fake guest
 * RAM buffer. Entry bit positions below are written out from SDM vol. 3
 * chapter 4 independently of the code under test. */
#include <atf-c.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "guest_paging.h"

#define KiB 1024ull
#define MiB (1024 * KiB)
#define GiB (1024 * MiB)
#define RAM_SIZE (8 * MiB)

/* Entry bits (SDM 4.3-4.5). */
#define P (1ull << 0)
#define RW (1ull << 1)
#define PS (1ull << 7)
#define PAT_LARGE (1ull << 12)
#define XD (1ull << 63)

/* Control bits (SDM 2.5, 2.2.1). */
#define CR0_PE (1ull << 0)
#define CR0_PG (1ull << 31)
#define CR4_PSE (1ull << 4)
#define CR4_PAE (1ull << 5)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)

static const struct guest_cpu_state OFF = { CR0_PE, 0, 0, 0 };
static const struct guest_cpu_state MODE32 = { CR0_PE | CR0_PG, 0, 0, 0 };
static const struct guest_cpu_state MODE32_PSE = { CR0_PE | CR0_PG, 0, CR4_PSE, 0 };
static const struct guest_cpu_state MODE_PAE = { CR0_PE | CR0_PG, 0, CR4_PAE, 0 };
static const struct guest_cpu_state MODE_4L = { CR0_PE | CR0_PG, 0, CR4_PAE,
						EFER_LME | EFER_LMA };

struct fake_ram {
	uint8_t *bytes;
	uint64_t size;
	unsigned reads, writes;
};

static bool ram_read(void *ctx, uint64_t gpa, void *buf, uint64_t len)
{
	struct fake_ram *r = ctx;
	r->reads++;
	if (gpa > r->size || len > r->size - gpa)
		return false;
	memcpy(buf, r->bytes + gpa, len);
	return true;
}

static bool ram_write(void *ctx, uint64_t gpa, const void *buf, uint64_t len)
{
	struct fake_ram *r = ctx;
	r->writes++;
	if (gpa > r->size || len > r->size - gpa)
		return false;
	memcpy(r->bytes + gpa, buf, len);
	return true;
}

static struct fake_ram ram;
static struct guest_mem mem;
static struct guest_mem_rw mem_rw;

/* Fresh zeroed RAM and access counters before each scenario. */
static void ram_reset(void)
{
	static uint8_t bytes[RAM_SIZE];
	memset(bytes, 0, sizeof(bytes));
	ram = (struct fake_ram){ bytes, RAM_SIZE, 0, 0 };
	mem = (struct guest_mem){ ram_read, &ram };
	mem_rw = (struct guest_mem_rw){ mem, ram_write };
}

static void put32(uint64_t gpa, uint32_t v)
{
	memcpy(ram.bytes + gpa, &v, sizeof(v));
}

static void put64(uint64_t gpa, uint64_t v)
{
	memcpy(ram.bytes + gpa, &v, sizeof(v));
}

static struct guest_cpu_state with_cr3(struct guest_cpu_state s, uint64_t cr3)
{
	s.cr3 = cr3;
	return s;
}

/* Asserts gva translates to want_gpa with want_left bytes to the page end. */
#define CHECK_XLATE(s, gva, want_gpa, want_left)                                   \
	do {                                                                       \
		uint64_t gpa_ = 0, left_ = 0;                                      \
		int err_ = guest_translate(&mem, (s), (gva), &gpa_, &left_);       \
		ATF_CHECK_EQ_MSG(err_, GUEST_XLATE_OK, "gva 0x%llx: error %d",      \
				 (unsigned long long)(gva), err_);                 \
		ATF_CHECK_EQ_MSG(gpa_, (uint64_t)(want_gpa), "gva 0x%llx: gpa 0x%llx", \
				 (unsigned long long)(gva), (unsigned long long)gpa_); \
		ATF_CHECK_EQ_MSG(left_, (uint64_t)(want_left), "gva 0x%llx: left 0x%llx", \
				 (unsigned long long)(gva), (unsigned long long)left_); \
	} while (0)

#define CHECK_XLATE_ERR(s, gva, want_err)                                         \
	do {                                                                       \
		uint64_t gpa_, left_;                                              \
		int err_ = guest_translate(&mem, (s), (gva), &gpa_, &left_);       \
		ATF_CHECK_EQ_MSG(err_, (want_err), "gva 0x%llx: error %d, want %d", \
				 (unsigned long long)(gva), err_, (want_err));     \
	} while (0)

ATF_TC_WITHOUT_HEAD(mode_selection);
ATF_TC_BODY(mode_selection, tc)
{
	struct guest_cpu_state s = { 0 };
	ATF_CHECK_EQ(guest_paging_mode(&s), GUEST_PAGING_OFF);
	s = (struct guest_cpu_state){ CR0_PE, 0, CR4_PAE | CR4_PSE, EFER_LMA };
	ATF_CHECK_EQ(guest_paging_mode(&s), GUEST_PAGING_OFF);
	s = (struct guest_cpu_state){ CR0_PE | CR0_PG, 0, CR4_PSE, EFER_LME };
	ATF_CHECK_EQ(guest_paging_mode(&s), GUEST_PAGING_32BIT);
	s = (struct guest_cpu_state){ CR0_PE | CR0_PG, 0, CR4_PAE, EFER_LME };
	ATF_CHECK_EQ(guest_paging_mode(&s), GUEST_PAGING_PAE);
	s = (struct guest_cpu_state){ CR0_PE | CR0_PG, 0, CR4_PAE, EFER_LME | EFER_LMA };
	ATF_CHECK_EQ(guest_paging_mode(&s), GUEST_PAGING_4LEVEL);
}

ATF_TC_WITHOUT_HEAD(paging_off);
ATF_TC_BODY(paging_off, tc)
{
	ram_reset();
	CHECK_XLATE(&OFF, 0x12345, 0x12345, 0x1000 - 0x345);
	CHECK_XLATE(&OFF, 0xfffff000, 0xfffff000, 0x1000);
	CHECK_XLATE(&OFF, 0xffffffff, 0xffffffff, 1);
	CHECK_XLATE_ERR(&OFF, 1ull << 32, GUEST_XLATE_BAD_RANGE);
	ATF_CHECK_EQ(ram.reads, 0);

	memcpy(ram.bytes + 0x7ff0, "paging is off!", 14);
	char buf[14];
	ATF_CHECK_EQ(guest_copy_from_virt(&mem, &OFF, 0x7ff0, buf, 14), GUEST_XLATE_OK);
	ATF_CHECK(memcmp(buf, "paging is off!", 14) == 0);
}

ATF_TC_WITHOUT_HEAD(paging_32bit_4k);
ATF_TC_BODY(paging_32bit_4k, tc)
{
	ram_reset();
	/* PD at 0x1000, PT at 0x2000; gva 0xc0c07123 -> PD[0x303], PT[7]. */
	put32(0x1000 + 0x303 * 4, 0x2000 | P | RW);
	put32(0x2000 + 7 * 4, 0x5000 | P);
	/* Low CR3 bits (PWT, PCD) are flags, not address. */
	struct guest_cpu_state s = with_cr3(MODE32, 0x1000 | 0x18);
	CHECK_XLATE(&s, 0xc0c07123, 0x5123, 0x1000 - 0x123);
	CHECK_XLATE(&s, 0xc0c07000, 0x5000, 0x1000);
	ATF_CHECK_EQ(ram.reads, 4);
	/* Entry flag bits 11:0 (incl. PAT, bit 7 of a PTE) are not address. */
	put32(0x2000 + 8 * 4, 0x6000 | 0xfff);
	CHECK_XLATE(&s, 0xc0c08fff, 0x6fff, 1);
	CHECK_XLATE_ERR(&s, 1ull << 32, GUEST_XLATE_BAD_RANGE);
}

ATF_TC_WITHOUT_HEAD(paging_32bit_4m_pse);
ATF_TC_BODY(paging_32bit_4m_pse, tc)
{
	ram_reset();
	struct guest_cpu_state s = with_cr3(MODE32_PSE, 0x1000);
	/* gva 0x00c12345 -> PD[3], a 4 MiB page at 0x400000; PAT (bit 12)
	 * is not an address bit in a 4 MiB PDE. */
	put32(0x1000 + 3 * 4, 0x400000 | PAT_LARGE | PS | P);
	CHECK_XLATE(&s, 0x00c12345, 0x412345, 4 * MiB - 0x12345);
	ATF_CHECK_EQ(ram.reads, 1);
	/* PSE-36: PDE bits 20:13 are physical bits 39:32. */
	put32(0x1000 + 4 * 4, 0x800000 | (0x5u << 13) | PS | P);
	CHECK_XLATE(&s, 0x01000010, 0x500800010ull, 4 * MiB - 0x10);
	/* Bit 21 is reserved in a 4 MiB PDE. */
	put32(0x1000 + 5 * 4, 0x400000 | (1u << 21) | PS | P);
	CHECK_XLATE_ERR(&s, 0x01400000, GUEST_XLATE_RESERVED);
	/* Without CR4.PSE the PS bit is ignored: the PDE names a page table. */
	put32(0x1000 + 6 * 4, 0x3000 | PS | P);
	put32(0x3000 + 2 * 4, 0x9000 | P);
	struct guest_cpu_state nopse = with_cr3(MODE32, 0x1000);
	CHECK_XLATE(&nopse, 0x01802abc, 0x9abc, 0x1000 - 0xabc);
}

ATF_TC_WITHOUT_HEAD(paging_pae);
ATF_TC_BODY(paging_pae, tc)
{
	ram_reset();
	/* PDPT at 0x3020 (32-byte aligned); gva 0x80a09abc -> PDPT[2],
	 * PD[5], PT[9]. */
	struct guest_cpu_state s = with_cr3(MODE_PAE, 0x3020);
	put64(0x3020 + 2 * 8, 0x4000 | P);
	put64(0x4000 + 5 * 8, 0x6000 | P | RW);
	put64(0x6000 + 9 * 8, 0x7000 | P);
	CHECK_XLATE(&s, 0x80a09abc, 0x7abc, 0x1000 - 0xabc);
	ATF_CHECK_EQ(ram.reads, 3);

	/* A 2 MiB page: gva 0x80c54321 -> PDPT[2], PD[6]; PAT is bit 12. */
	put64(0x4000 + 6 * 8, 0x600000 | PAT_LARGE | PS | P);
	CHECK_XLATE(&s, 0x80c54321, 0x654321, 2 * MiB - 0x54321);

	/* PDPTE reserved bits 2:1, 8:6 and 63:52; the accessed bit (5), which an
	 * AMD processor sets, is accepted. */
	put64(0x3020 + 3 * 8, 0x4000 | P | (1ull << 5));
	CHECK_XLATE(&s, 0xc0a09abc, 0x7abc, 0x1000 - 0xabc);
	const uint64_t pdpte_reserved[] = { 1ull << 1, 1ull << 2, 1ull << 6, 1ull << 8,
					    1ull << 52, 1ull << 63 };
	for (unsigned i = 0; i < sizeof(pdpte_reserved) / 8; i++) {
		put64(0x3020 + 3 * 8, 0x4000 | P | pdpte_reserved[i]);
		CHECK_XLATE_ERR(&s, 0xc0a09000, GUEST_XLATE_RESERVED);
	}
	/* PDE/PTE: bits 62:52 reserved; XD reserved without EFER.NXE. */
	put64(0x6000 + 9 * 8, 0x7000 | P | (1ull << 62));
	CHECK_XLATE_ERR(&s, 0x80a09abc, GUEST_XLATE_RESERVED);
	put64(0x6000 + 9 * 8, 0x7000 | P | XD);
	CHECK_XLATE_ERR(&s, 0x80a09abc, GUEST_XLATE_RESERVED);
	struct guest_cpu_state nx = s;
	nx.efer |= EFER_NXE;
	CHECK_XLATE(&nx, 0x80a09abc, 0x7abc, 0x1000 - 0xabc);
	/* Bits 20:13 of a 2 MiB PDE are reserved. */
	put64(0x4000 + 6 * 8, 0x600000 | (1ull << 13) | PS | P);
	CHECK_XLATE_ERR(&s, 0x80c54321, GUEST_XLATE_RESERVED);
	/* Only linear bits 31:0 exist. */
	CHECK_XLATE_ERR(&s, 0x180a09abcull, GUEST_XLATE_BAD_RANGE);
}

/* Table pages for the 4-level tests, and the gva they map by default. */
#define PML4 0x10000ull
#define PDPT 0x11000ull
#define PD 0x12000ull
#define PT 0x13000ull
#define PAGE 0x14000ull
/* The 1 GiB region under PML4[511] (the top of the upper half), PDPT[3]. */
#define GVA4_REGION (0xffffff8000000000ull | (3ull << 30))
/* PML4[511], PDPT[3], PD[4], PT[5], offset 0x321. */
#define GVA4 (GVA4_REGION | (4ull << 21) | (5ull << 12) | 0x321)

static void build_4level(void)
{
	put64(PML4 + 511 * 8, PDPT | P | RW);
	put64(PDPT + 3 * 8, PD | P | RW);
	put64(PD + 4 * 8, PT | P | RW);
	put64(PT + 5 * 8, PAGE | P | RW);
}

ATF_TC_WITHOUT_HEAD(paging_4level);
ATF_TC_BODY(paging_4level, tc)
{
	ram_reset();
	build_4level();
	/* CR3 bits 11:0 may hold a PCID. */
	struct guest_cpu_state s = with_cr3(MODE_4L, PML4 | 0xabc);
	CHECK_XLATE(&s, GVA4, PAGE + 0x321, 0x1000 - 0x321);
	ATF_CHECK_EQ(ram.reads, 4);

	/* Bits 62:52 are ignored in 4-level entries; XD needs EFER.NXE. */
	put64(PT + 5 * 8, PAGE | P | (0x7ffull << 52));
	CHECK_XLATE(&s, GVA4, PAGE + 0x321, 0x1000 - 0x321);
	put64(PT + 5 * 8, PAGE | P | XD);
	CHECK_XLATE_ERR(&s, GVA4, GUEST_XLATE_RESERVED);
	struct guest_cpu_state nx = s;
	nx.efer |= EFER_NXE;
	CHECK_XLATE(&nx, GVA4, PAGE + 0x321, 0x1000 - 0x321);

	/* PS in a PML4E is reserved. */
	put64(PML4 + 1 * 8, PDPT | PS | P);
	CHECK_XLATE_ERR(&s, 1ull << 39, GUEST_XLATE_RESERVED);
	/* Non-canonical addresses never reach the tables. */
	CHECK_XLATE_ERR(&s, 0x0000800000000000ull, GUEST_XLATE_BAD_RANGE);
	CHECK_XLATE_ERR(&s, 0x7fffffffffffffffull, GUEST_XLATE_BAD_RANGE);
}

ATF_TC_WITHOUT_HEAD(paging_4level_large);
ATF_TC_BODY(paging_4level_large, tc)
{
	ram_reset();
	build_4level();
	struct guest_cpu_state s = with_cr3(MODE_4L, PML4);
	/* 2 MiB page with PAT: PD[6] -> 0x400000. */
	put64(PD + 6 * 8, 0x400000 | PAT_LARGE | PS | P);
	uint64_t gva2m = GVA4_REGION | (6ull << 21) | 0x1abcd;
	CHECK_XLATE(&s, gva2m, 0x41abcd, 2 * MiB - 0x1abcd);
	put64(PD + 6 * 8, 0x400000 | (1ull << 20) | PS | P);
	CHECK_XLATE_ERR(&s, gva2m, GUEST_XLATE_RESERVED);

	/* 1 GiB page: PDPT[2] -> GPA 0 (so the offset lands in RAM) and
	 * PDPT[1] -> 1 GiB with PAT. */
	put64(PDPT + 2 * 8, 0 | PS | P);
	uint64_t gva1g = 0xffffff8000000000ull | (2ull << 30) | 0x123456;
	ram.reads = 0;
	CHECK_XLATE(&s, gva1g, 0x123456, GiB - 0x123456);
	ATF_CHECK_EQ(ram.reads, 2);
	put64(PDPT + 1 * 8, GiB | PAT_LARGE | PS | P);
	CHECK_XLATE(&s, 0xffffff8000000000ull | (1ull << 30) | 0x3ffffffe,
		    GiB + 0x3ffffffe, 2);
	/* Bits 29:13 of a 1 GiB PDPTE are reserved. */
	put64(PDPT + 1 * 8, GiB | (1ull << 29) | PS | P);
	CHECK_XLATE_ERR(&s, 0xffffff8000000000ull | (1ull << 30), GUEST_XLATE_RESERVED);
}

ATF_TC_WITHOUT_HEAD(not_present_each_level);
ATF_TC_BODY(not_present_each_level, tc)
{
	/* 4-level: clear P in one entry of the walk at a time. */
	const uint64_t entries4[] = { PML4 + 511 * 8, PDPT + 3 * 8, PD + 4 * 8, PT + 5 * 8 };
	for (unsigned i = 0; i < 4; i++) {
		ram_reset();
		build_4level();
		uint64_t e;
		memcpy(&e, ram.bytes + entries4[i], 8);
		put64(entries4[i], e & ~P);
		struct guest_cpu_state s = with_cr3(MODE_4L, PML4);
		CHECK_XLATE_ERR(&s, GVA4, GUEST_XLATE_NOT_PRESENT);
		ATF_CHECK_EQ_MSG(ram.reads, i + 1, "level %u: %u reads", i, ram.reads);
	}
	/* A non-present entry's other bits, reserved ones included, don't matter. */
	ram_reset();
	build_4level();
	put64(PD + 4 * 8, 0xfffffffffffffffeull);
	struct guest_cpu_state s4 = with_cr3(MODE_4L, PML4);
	CHECK_XLATE_ERR(&s4, GVA4, GUEST_XLATE_NOT_PRESENT);

	/* PAE: PDPTE, PDE, PTE. */
	for (unsigned i = 0; i < 3; i++) {
		ram_reset();
		put64(0x3000 + 1 * 8, (i == 0 ? 0 : P) | 0x4000);
		put64(0x4000 + 2 * 8, (i == 1 ? 0 : P) | 0x5000);
		put64(0x5000 + 3 * 8, (i == 2 ? 0 : P) | 0x6000);
		struct guest_cpu_state s = with_cr3(MODE_PAE, 0x3000);
		uint64_t gva = (1ull << 30) | (2ull << 21) | (3ull << 12);
		CHECK_XLATE_ERR(&s, gva, GUEST_XLATE_NOT_PRESENT);
	}

	/* 32-bit: PDE, PTE. */
	for (unsigned i = 0; i < 2; i++) {
		ram_reset();
		put32(0x1000 + 1 * 4, (i == 0 ? 0 : P) | 0x2000);
		put32(0x2000 + 2 * 4, (i == 1 ? 0 : P) | 0x3000);
		struct guest_cpu_state s = with_cr3(MODE32, 0x1000);
		CHECK_XLATE_ERR(&s, (1u << 22) | (2u << 12), GUEST_XLATE_NOT_PRESENT);
	}
}

ATF_TC_WITHOUT_HEAD(table_outside_ram);
ATF_TC_BODY(table_outside_ram, tc)
{
	ram_reset();
	struct guest_cpu_state s;
	/* CR3 beyond RAM, each mode. */
	s = with_cr3(MODE32, 0xfffff000);
	CHECK_XLATE_ERR(&s, 0x1000, GUEST_XLATE_BAD_TABLE);
	s = with_cr3(MODE_PAE, 0xffffffe0);
	CHECK_XLATE_ERR(&s, 0x1000, GUEST_XLATE_BAD_TABLE);
	s = with_cr3(MODE_4L, 1ull << 40);
	CHECK_XLATE_ERR(&s, 0x1000, GUEST_XLATE_BAD_TABLE);

	/* A last-level table beyond RAM. */
	build_4level();
	put64(PD + 4 * 8, (RAM_SIZE + 0x1000) | P);
	s = with_cr3(MODE_4L, PML4);
	CHECK_XLATE_ERR(&s, GVA4, GUEST_XLATE_BAD_TABLE);
	/* An entry in the last RAM page is readable. */
	put64(PD + 4 * 8, (RAM_SIZE - 0x1000) | P);
	put64(RAM_SIZE - 0x1000 + 5 * 8, PAGE | P);
	CHECK_XLATE(&s, GVA4, PAGE + 0x321, 0x1000 - 0x321);

	/* 32-bit PDE naming a page table beyond RAM. */
	put32(0x1000, 0xfff00000 | P);
	s = with_cr3(MODE32, 0x1000);
	CHECK_XLATE_ERR(&s, 0x123, GUEST_XLATE_BAD_TABLE);
}

ATF_TC_WITHOUT_HEAD(self_referencing_tables);
ATF_TC_BODY(self_referencing_tables, tc)
{
	/* PML4[511] names the PML4 itself: every level reads the PML4, and
	 * the walk ends after four reads at the PML4 page. */
	ram_reset();
	put64(PML4 + 511 * 8, PML4 | P | RW);
	struct guest_cpu_state s = with_cr3(MODE_4L, PML4);
	CHECK_XLATE(&s, 0xfffffffffffff008ull, PML4 + 8, 0x1000 - 8);
	ATF_CHECK_EQ(ram.reads, 4);

	/* The same with a 32-bit page directory naming itself as a table. */
	ram_reset();
	put32(0x1000 + 1023 * 4, 0x1000 | P);
	s = with_cr3(MODE32, 0x1000);
	CHECK_XLATE(&s, 0xfffff010, 0x1010, 0x1000 - 0x10);
	ATF_CHECK_EQ(ram.reads, 2);
}

/* Maps GVA4's page to PAGE and the next virtual page to a distant,
 * non-adjacent GPA, and fills both with distinct bytes. */
#define NEXT_PAGE 0x50000ull
static void build_split_pages(void)
{
	build_4level();
	put64(PT + 6 * 8, NEXT_PAGE | P | RW);
	for (unsigned i = 0; i < 0x1000; i++) {
		ram.bytes[PAGE + i] = (uint8_t)i;
		ram.bytes[NEXT_PAGE + i] = (uint8_t)(0x80 ^ i);
	}
}

ATF_TC_WITHOUT_HEAD(copy_crosses_pages);
ATF_TC_BODY(copy_crosses_pages, tc)
{
	ram_reset();
	build_split_pages();
	struct guest_cpu_state s = with_cr3(MODE_4L, PML4);
	uint64_t start = (GVA4 & ~0xfffull) + 0x1000 - 40;
	uint8_t buf[100], want[100];
	memcpy(want, ram.bytes + PAGE + 0x1000 - 40, 40);
	memcpy(want + 40, ram.bytes + NEXT_PAGE, 60);
	ATF_CHECK_EQ(guest_copy_from_virt(&mem, &s, start, buf, sizeof(buf)), GUEST_XLATE_OK);
	ATF_CHECK(memcmp(buf, want, sizeof(buf)) == 0);

	/* Write a pattern across the same boundary; bytes around it stay. */
	uint8_t pattern[100];
	for (unsigned i = 0; i < sizeof(pattern); i++)
		pattern[i] = (uint8_t)(0x5a + i);
	ATF_CHECK_EQ(guest_copy_to_virt(&mem_rw, &s, start, pattern, sizeof(pattern)),
		     GUEST_XLATE_OK);
	ATF_CHECK(memcmp(ram.bytes + PAGE + 0x1000 - 40, pattern, 40) == 0);
	ATF_CHECK(memcmp(ram.bytes + NEXT_PAGE, pattern + 40, 60) == 0);
	ATF_CHECK_EQ(ram.bytes[PAGE + 0x1000 - 41], (uint8_t)(0x1000 - 41));
	ATF_CHECK_EQ(ram.bytes[NEXT_PAGE + 60], (uint8_t)(0x80 ^ 60));

	/* From a 4 KiB page into a 2 MiB page (PD[5] -> 0x600000). */
	put64(PD + 5 * 8, 0x600000 | PS | P);
	memcpy(ram.bytes + 0x600000, "large", 5);
	uint64_t last4k = GVA4_REGION | (4ull << 21) | (0x1ffull << 12) | 0xffd;
	put64(PT + 0x1ff * 8, 0x70000 | P);
	memcpy(ram.bytes + 0x70ffd, "4k-", 3);
	char text[8] = { 0 };
	ATF_CHECK_EQ(guest_copy_from_virt(&mem, &s, last4k, text, 8), GUEST_XLATE_OK);
	ATF_CHECK(memcmp(text, "4k-large", 8) == 0);

	/* 32-bit mode, across two 4 MiB pages mapped in reverse order. */
	ram_reset();
	put32(0x1000 + 0 * 4, 0x400000 | PS | P);
	put32(0x1000 + 1 * 4, 0x000000 | PS | P);
	memcpy(ram.bytes + 0x7ffffe, "ab", 2);
	memcpy(ram.bytes + 0, "cd", 2);
	struct guest_cpu_state s32 = with_cr3(MODE32_PSE, 0x1000);
	ATF_CHECK_EQ(guest_copy_from_virt(&mem, &s32, 0x3ffffe, text, 4), GUEST_XLATE_OK);
	ATF_CHECK(memcmp(text, "abcd", 4) == 0);
}

ATF_TC_WITHOUT_HEAD(copy_errors);
ATF_TC_BODY(copy_errors, tc)
{
	ram_reset();
	build_split_pages();
	struct guest_cpu_state s = with_cr3(MODE_4L, PML4);
	uint64_t start = (GVA4 & ~0xfffull) + 0x1000 - 4;
	uint8_t buf[8], pattern[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	/* Second page not present: the read fails; the write writes nothing. */
	put64(PT + 6 * 8, NEXT_PAGE);
	ATF_CHECK_EQ(guest_copy_from_virt(&mem, &s, start, buf, 8), GUEST_XLATE_NOT_PRESENT);
	ram.writes = 0;
	ATF_CHECK_EQ(guest_copy_to_virt(&mem_rw, &s, start, pattern, 8), GUEST_XLATE_NOT_PRESENT);
	ATF_CHECK_EQ(ram.writes, 0);
	ATF_CHECK_EQ(ram.bytes[PAGE + 0xffc], 0xfc);

	/* Second page translates outside RAM. */
	put64(PT + 6 * 8, (RAM_SIZE + 0x3000) | P);
	ATF_CHECK_EQ(guest_copy_from_virt(&mem, &s, start, buf, 8), GUEST_COPY_OUTSIDE_RAM);
	ATF_CHECK_EQ(guest_copy_to_virt(&mem_rw, &s, start, pattern, 8), GUEST_COPY_OUTSIDE_RAM);
	/* One byte short of the bad page is fine. */
	ATF_CHECK_EQ(guest_copy_from_virt(&mem, &s, start, buf, 4), GUEST_XLATE_OK);

	/* Ranges the mode cannot address. */
	ATF_CHECK_EQ(guest_copy_from_virt(&mem, &s, 0x7ffffffffffcull, buf, 8),
		     GUEST_XLATE_BAD_RANGE);
	ATF_CHECK_EQ(guest_copy_to_virt(&mem_rw, &OFF, 0xfffffffc, pattern, 8),
		     GUEST_XLATE_BAD_RANGE);

	/* A zero-length copy touches nothing. */
	ram.reads = 0;
	ATF_CHECK_EQ(guest_copy_from_virt(&mem, &s, 0x0000800000000000ull, buf, 0),
		     GUEST_XLATE_OK);
	ATF_CHECK_EQ(ram.reads, 0);
}

ATF_TC_WITHOUT_HEAD(range_valid);
ATF_TC_BODY(range_valid, tc)
{
	const struct guest_cpu_state *narrow[] = { &OFF, &MODE32, &MODE_PAE };
	for (unsigned i = 0; i < 3; i++) {
		const struct guest_cpu_state *s = narrow[i];
		ATF_CHECK(guest_range_valid(s, 0, 1ull << 32));
		ATF_CHECK(guest_range_valid(s, 0xfffffff0, 0x10));
		ATF_CHECK(!guest_range_valid(s, 0xfffffff0, 0x11));
		ATF_CHECK(!guest_range_valid(s, 1ull << 32, 1));
		ATF_CHECK(!guest_range_valid(s, 0, (1ull << 32) + 1));
		ATF_CHECK(!guest_range_valid(s, UINT64_MAX, 2)); /* gva + size wraps */
		ATF_CHECK(!guest_range_valid(s, 0x1000, UINT64_MAX));
		ATF_CHECK(guest_range_valid(s, UINT64_MAX, 0));
	}
	const struct guest_cpu_state *s = &MODE_4L;
	ATF_CHECK(guest_range_valid(s, 0x7ffffffffff0ull, 0x10));
	ATF_CHECK(!guest_range_valid(s, 0x7ffffffffff0ull, 0x11)); /* into the hole */
	ATF_CHECK(!guest_range_valid(s, 0x0000800000000000ull, 1));
	ATF_CHECK(!guest_range_valid(s, 0xffff7fffffffffffull, 1));
	ATF_CHECK(guest_range_valid(s, 0xffff800000000000ull, 1));
	ATF_CHECK(guest_range_valid(s, 0xfffffffffffffff0ull, 0x10)); /* ends at 2^64 */
	ATF_CHECK(!guest_range_valid(s, 0xfffffffffffffff0ull, 0x11)); /* wraps */
	ATF_CHECK(!guest_range_valid(s, 0xffff800000000000ull, UINT64_MAX));
	ATF_CHECK(!guest_range_valid(s, 0, UINT64_MAX));
	ATF_CHECK(guest_range_valid(s, 0x0000800000000000ull, 0));
	ATF_CHECK(guest_range_valid(s, 0x1234, 1ull << 32)); /* 64-bit mode: > 4 GiB ok */
}

/* ---- Fuzz: random page tables in a sparse fake RAM. ----
 * RAM is FUZZ_RAM bytes; only FUZZ_TABLES pages, at GPA k << 22, hold
 * (random) data, the rest reads as zeroes. Entries only ever name
 * addresses inside RAM, with 4 MiB PDE bits 20:13 clear, so any
 * successful translation that leaves RAM invented address bits. */
#define FUZZ_RAM GiB
#define FUZZ_TABLES 8
#define FUZZ_TABLE_SHIFT 22
#define FUZZ_ROUNDS 20000
#define FUZZ_GVAS 8

struct sparse_ram {
	uint8_t page[FUZZ_TABLES][4096];
	unsigned reads;
};

static bool sparse_read(void *ctx, uint64_t gpa, void *buf, uint64_t len)
{
	struct sparse_ram *r = ctx;
	uint8_t *out = buf;
	r->reads++;
	if (gpa > FUZZ_RAM || len > FUZZ_RAM - gpa)
		return false;
	for (uint64_t i = 0; i < len; i++) {
		uint64_t a = gpa + i;
		uint64_t k = a >> FUZZ_TABLE_SHIFT, off = a & ((1ull << FUZZ_TABLE_SHIFT) - 1);
		out[i] = k < FUZZ_TABLES && off < 4096 ? r->page[k][off] : 0;
	}
	return true;
}

static uint64_t xorshift64(uint64_t *state)
{
	uint64_t x = *state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *state = x;
}

static uint64_t random_entry(uint64_t *rng, bool wide)
{
	uint64_t r = xorshift64(rng), addr;
	switch (r & 3) {
	case 0:
	case 1: addr = ((r >> 2) % FUZZ_TABLES) << FUZZ_TABLE_SHIFT; break;
	case 2: addr = xorshift64(rng) & (FUZZ_RAM - 1) & ~0xfffull; break;
	default: addr = xorshift64(rng) & (FUZZ_RAM - 1) & ~(2 * MiB - 1); break;
	}
	/* Sparse flag bits (each set with probability 1/4), present mostly. */
	uint64_t flags = xorshift64(rng) & xorshift64(rng) & 0xfff;
	if ((r >> 8) % 8 != 0)
		flags |= P;
	if (!wide)
		return (addr & ~0x1fe000ull) | flags; /* PSE-36 bits clear */
	uint64_t e = addr | flags;
	if ((r >> 12) % 8 == 0)
		e |= xorshift64(rng) & 0x7ff0000000000000ull;
	if ((r >> 16) % 8 == 0)
		e |= XD;
	return e;
}

/* Whether (gva, gpa, left) describe a position in a page of some size the
 * mode can map, with gva and gpa at the same offset. */
static bool consistent_page(enum guest_paging_mode mode, bool pse, uint64_t gva,
			    uint64_t gpa, uint64_t left)
{
	uint64_t sizes[3];
	unsigned n = 0;
	sizes[n++] = 4 * KiB;
	if (mode == GUEST_PAGING_32BIT && pse)
		sizes[n++] = 4 * MiB;
	if (mode == GUEST_PAGING_PAE || mode == GUEST_PAGING_4LEVEL)
		sizes[n++] = 2 * MiB;
	if (mode == GUEST_PAGING_4LEVEL)
		sizes[n++] = GiB;
	for (unsigned i = 0; i < n; i++) {
		uint64_t off = gva & (sizes[i] - 1);
		if (left == sizes[i] - off && (gpa & (sizes[i] - 1)) == off)
			return true;
	}
	return false;
}

ATF_TC(fuzz_random_tables);
ATF_TC_HEAD(fuzz_random_tables, tc)
{
	atf_tc_set_md_var(tc, "descr", "20000 random page-table sets, random GVAs: "
			  "every success is a consistent in-RAM translation");
}
ATF_TC_BODY(fuzz_random_tables, tc)
{
	static struct sparse_ram sram;
	struct guest_mem smem = { sparse_read, &sram };
	uint64_t rng = 0x9e3779b97f4a7c15ull;
	unsigned ok = 0, errors[6] = { 0 };

	for (unsigned round = 0; round < FUZZ_ROUNDS; round++) {
		struct guest_cpu_state s = { CR0_PE, 0, 0, 0 };
		uint64_t r = xorshift64(&rng);
		if (r % 8 != 0)
			s.cr0 |= CR0_PG;
		if (r & 0x10)
			s.cr4 |= CR4_PAE;
		if (r & 0x20)
			s.cr4 |= CR4_PSE;
		if (r & 0x40)
			s.efer |= EFER_LMA | EFER_LME;
		if (r & 0x80)
			s.efer |= EFER_NXE;
		/* The test's own reading of the mode rules (SDM 4.1.1). */
		enum guest_paging_mode mode =
			!(s.cr0 & CR0_PG) ? GUEST_PAGING_OFF :
			!(s.cr4 & CR4_PAE) ? GUEST_PAGING_32BIT :
			!(s.efer & EFER_LMA) ? GUEST_PAGING_PAE : GUEST_PAGING_4LEVEL;
		ATF_REQUIRE_EQ(guest_paging_mode(&s), mode);
		bool wide = mode != GUEST_PAGING_32BIT;

		for (unsigned k = 0; k < FUZZ_TABLES; k++) {
			for (unsigned i = 0; i < 4096; i += wide ? 8 : 4) {
				uint64_t e = random_entry(&rng, wide);
				memcpy(&sram.page[k][i], &e, wide ? 8 : 4);
			}
		}
		bool cr3_outside = (r >> 8) % 16 == 0;
		s.cr3 = cr3_outside ? FUZZ_RAM + ((r >> 12) & 0x3fff000)
				    : ((r >> 12) % FUZZ_TABLES) << FUZZ_TABLE_SHIFT |
				      ((r >> 20) & 0xfff);

		for (unsigned g = 0; g < FUZZ_GVAS; g++) {
			uint64_t gva = xorshift64(&rng);
			if (mode != GUEST_PAGING_4LEVEL && gva % 16 != 0)
				gva &= 0xffffffffull;
			if (mode == GUEST_PAGING_4LEVEL && gva % 16 != 0)
				gva = (uint64_t)((int64_t)(gva << 16) >> 16);
			uint64_t gpa = 0, left = 0;
			sram.reads = 0;
			int err = guest_translate(&smem, &s, gva, &gpa, &left);
			ATF_REQUIRE_MSG(sram.reads <= 4, "%u table reads", sram.reads);
			if (err != GUEST_XLATE_OK) {
				ATF_REQUIRE_MSG(err == GUEST_XLATE_NOT_PRESENT ||
						err == GUEST_XLATE_BAD_TABLE ||
						err == GUEST_XLATE_RESERVED ||
						err == GUEST_XLATE_BAD_RANGE, "error %d", err);
				ATF_REQUIRE_EQ(err == GUEST_XLATE_BAD_RANGE,
					       !guest_range_valid(&s, gva, 1));
				errors[-err]++;
				continue;
			}
			ok++;
			ATF_REQUIRE_MSG(guest_range_valid(&s, gva, 1), "gva 0x%llx",
					(unsigned long long)gva);
			ATF_REQUIRE_MSG(left > 0 && left <= GiB, "left 0x%llx",
					(unsigned long long)left);
			ATF_REQUIRE_MSG(consistent_page(mode, s.cr4 & CR4_PSE, gva, gpa, left),
					"mode %d gva 0x%llx gpa 0x%llx left 0x%llx", mode,
					(unsigned long long)gva, (unsigned long long)gpa,
					(unsigned long long)left);
			if (mode == GUEST_PAGING_OFF) {
				ATF_REQUIRE_EQ(gpa, gva);
				continue;
			}
			ATF_REQUIRE(!cr3_outside);
			ATF_REQUIRE_MSG(gpa < FUZZ_RAM && left <= FUZZ_RAM - gpa,
					"mode %d gva 0x%llx -> gpa 0x%llx outside RAM", mode,
					(unsigned long long)gva, (unsigned long long)gpa);
			/* A copy of the first byte reads what the translation names. */
			uint8_t via_copy, direct;
			ATF_REQUIRE_EQ(guest_copy_from_virt(&smem, &s, gva, &via_copy, 1),
				       GUEST_XLATE_OK);
			ATF_REQUIRE(sparse_read(&sram, gpa, &direct, 1));
			ATF_REQUIRE_EQ(via_copy, direct);
		}
	}
	/* The generator must reach every outcome, or the test proves little. */
	printf("ok=%u not_present=%u bad_table=%u reserved=%u bad_range=%u\n", ok,
	       errors[1], errors[2], errors[3], errors[5]);
	ATF_CHECK(ok > 1000);
	for (unsigned i = 1; i <= 5; i++)
		if (i != 4)
			ATF_CHECK_MSG(errors[i] > 100, "error %d seen %u times", -(int)i, errors[i]);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, mode_selection);
	ATF_TP_ADD_TC(tp, paging_off);
	ATF_TP_ADD_TC(tp, paging_32bit_4k);
	ATF_TP_ADD_TC(tp, paging_32bit_4m_pse);
	ATF_TP_ADD_TC(tp, paging_pae);
	ATF_TP_ADD_TC(tp, paging_4level);
	ATF_TP_ADD_TC(tp, paging_4level_large);
	ATF_TP_ADD_TC(tp, not_present_each_level);
	ATF_TP_ADD_TC(tp, table_outside_ram);
	ATF_TP_ADD_TC(tp, self_referencing_tables);
	ATF_TP_ADD_TC(tp, copy_crosses_pages);
	ATF_TP_ADD_TC(tp, copy_errors);
	ATF_TP_ADD_TC(tp, range_valid);
	ATF_TP_ADD_TC(tp, fuzz_random_tables);
	return atf_no_error();
}
