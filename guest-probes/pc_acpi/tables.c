/* pc_acpi mode=tables: the ACPI tables of platform=pc as a guest finds them
 * (contract section 15, "ACPI tables"). Searches the BIOS area for the
 * RSDP as an IA-PC operating system does (ACPI 6.0 5.2.5.1), then follows
 * RsdtAddress and XsdtAddress to the FADT and from the FADT to the FACS
 * and the DSDT, and prints what ACPI 6.0 (chapter 5) makes a case judge:
 * signatures, lengths, checksums (a byte sum of 0 over the bytes that
 * Length covers), the pointers, the FADT fields the contract fixes and the
 * DSDT's \_S5 sleep type. Every pointer is checked to lie in guest RAM
 * before the probe reads through it; one that does not is printed as bad
 * and not followed. The probe's own ACPI facts, never the hypervisor's. */
#include "runtime.h"
#include "tables.h"

/* 5.2.5.1: the RSDP is on a 16-byte boundary in the BIOS read-only area. */
#define BIOS_AREA_FIRST   0xe0000u
#define BIOS_AREA_END     0x100000u
#define RSDP_STEP         16u
/* 5.2.5.3 Table 5-27: RSDP layout. */
#define RSDP_V1_BYTES     20u          /* what the first checksum covers */
#define RSDP_BYTES        36u          /* revision 2: Length's value */
#define RSDP_REVISION_AT  15u
#define RSDP_RSDT_AT      16u
#define RSDP_LENGTH_AT    20u
#define RSDP_XSDT_AT      24u
/* 5.2.6 Table 5-29: the header every description table starts with. */
#define HEADER_BYTES      36u
#define HEADER_LENGTH_AT  4u
/* 5.2.9 Table 5-34: FADT offsets. */
#define FADT_FIRMWARE_CTRL 36u
#define FADT_DSDT          40u
#define FADT_SCI_INT       46u
#define FADT_PM1A_EVT_BLK  56u
#define FADT_PM1A_CNT_BLK  64u
#define FADT_PM1_EVT_LEN   88u
#define FADT_PM1_CNT_LEN   89u
#define FADT_PM_TMR_LEN    91u
#define FADT_GPE0_BLK_LEN  92u
#define FADT_GPE1_BLK_LEN  93u
#define FADT_CENTURY       108u
#define FADT_FLAGS         112u
#define FADT_V1_BYTES      116u        /* ACPI 1.0's FADT: every field above */
#define FADT_X_FIRMWARE_CTRL 132u
#define FADT_X_DSDT        140u
#define FADT_X_PM1A_EVT_BLK 148u
#define FADT_X_PM1A_CNT_BLK 172u
#define GAS_BYTES          12u         /* 5.2.3.2 Generic Address Structure */
#define GAS_ADDRESS_AT     4u
#define GAS_SPACE_IO       1u
#define FADT_HW_REDUCED    (1u << 20)  /* Table 5-35 HW_REDUCED_ACPI */
/* 5.2.10 Table 5-37: FACS. */
#define FACS_MIN_BYTES     64u
#define FACS_ALIGN         64u
/* AML (chapter 20): NameOp, the root prefix, PackageOp and the integer
 * encodings a package element may use. */
#define AML_NAME_OP        0x08u
#define AML_ROOT_PREFIX    0x5cu
#define AML_PACKAGE_OP     0x12u
#define AML_ZERO_OP        0x00u
#define AML_ONE_OP         0x01u
#define AML_BYTE_PREFIX    0x0au
#define AML_WORD_PREFIX    0x0bu
#define AML_DWORD_PREFIX   0x0cu
#define S5_NONE            0xffffffffu /* printed when no \_S5 package is found */

static uint64_t ram_end;

static uint32_t le(const uint8_t *p, unsigned n)
{
	uint32_t v = 0;
	for (unsigned i = n; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le(p + 4, 4) << 32 | le(p, 4);
}

static unsigned byte_sum(const uint8_t *p, uint32_t n)
{
	uint8_t s = 0;
	for (uint32_t i = 0; i < n; i++)
		s = (uint8_t)(s + p[i]);
	return s;
}

static bool in_ram(uint64_t gpa, uint64_t len)
{
	return gpa != 0 && gpa < ram_end && len <= ram_end - gpa;
}

/* What a guest sees of a description table at gpa (5.2.6). */
struct table_view {
	const uint8_t *t;   /* NULL: the header is not in RAM */
	uint32_t length;
	bool length_ok;     /* at least a header, all of it in RAM */
	unsigned checksum;  /* byte sum over Length bytes; 0xff when !length_ok */
};

static struct table_view view(uint64_t gpa)
{
	struct table_view v = { NULL, 0, false, 0xffu };
	if (!in_ram(gpa, HEADER_BYTES))
		return v;
	v.t = (const uint8_t *)(uintptr_t)gpa;
	v.length = le(v.t + HEADER_LENGTH_AT, 4);
	v.length_ok = v.length >= HEADER_BYTES && in_ram(gpa, v.length);
	if (v.length_ok)
		v.checksum = byte_sum(v.t, v.length);
	return v;
}

static bool valid(const struct table_view *v, const char *sig)
{
	return v->t && v->length_ok && !v->checksum && (!sig || !memcmp(v->t, sig, 4));
}

static const uint8_t *find_rsdp(void)
{
	for (uint32_t a = BIOS_AREA_FIRST; a < BIOS_AREA_END; a += RSDP_STEP) {
		const uint8_t *p = (const uint8_t *)(uintptr_t)a;
		if (!memcmp(p, "RSD PTR ", 8))
			return p;
	}
	return NULL;
}

static void print_signature(const char *what, const uint8_t *t)
{
	char sig[5] = { 0 };
	for (unsigned i = 0; i < 4; i++)
		sig[i] = t[i] >= 0x20 && t[i] < 0x7f ? (char)t[i] : '?';
	printf("%s%s", what, sig);
}

/* Prints one root table (RSDT: 4-byte entries, XSDT: 8) and returns the
 * FADT its entries name, NULL when there is not exactly one. Every entry
 * must lead to a valid table: a Length that counts more entries than the
 * table holds shows as bad entries. */
static const uint8_t *root_table(const char *sig, uint64_t gpa, unsigned entry_bytes)
{
	struct table_view r = view(gpa);
	if (!r.t) {
		printf("pc_acpi: %s address=0x%lx not in guest RAM\n", sig, gpa);
		return NULL;
	}
	bool entries_ok = r.length_ok && (r.length - HEADER_BYTES) % entry_bytes == 0;
	unsigned entries = 0, bad = 0, fadts = 0;
	const uint8_t *fadt = NULL;
	for (uint32_t off = HEADER_BYTES; entries_ok && off < r.length; off += entry_bytes, entries++) {
		uint64_t e = entry_bytes == 8 ? le64(r.t + off) : le(r.t + off, 4);
		struct table_view v = view(e);
		if (valid(&v, "FACP")) {
			fadts++;
			fadt = v.t;
		} else if (!valid(&v, NULL)) {
			bad++;
			printf("pc_acpi: %s entry %u address=0x%lx is no valid table (length=%u checksum=0x%x",
			       sig, entries, e, v.length, v.checksum);
			if (v.t)
				print_signature(" signature=", v.t);
			printf(")\n");
		}
	}
	printf("pc_acpi: %s signature_ok=%u length_ok=%u checksum=0x%x entries_bad=%u fadt_entries=%u\n",
	       sig, !memcmp(r.t, sig, 4), entries_ok, r.checksum, bad, fadts);
	return fadts == 1 ? fadt : NULL;
}

/* The address an X_ Generic Address Structure gives, when the FADT has
 * it and it is not 0 (5.2.9: then it supersedes the 32-bit field), else
 * the 32-bit field's. gas_ok is cleared for an X_ block outside I/O space. */
static uint64_t block(const uint8_t *f, uint32_t len, unsigned legacy_at, unsigned x_at, bool *gas_ok)
{
	uint64_t legacy = le(f + legacy_at, 4);
	if (len < x_at + GAS_BYTES)
		return legacy;
	uint64_t x = le64(f + x_at + GAS_ADDRESS_AT);
	if (!x)
		return legacy;
	if (f[x_at] != GAS_SPACE_IO || (legacy && legacy != x))
		*gas_ok = false;
	return x;
}

static uint64_t pointer(const uint8_t *f, uint32_t len, unsigned legacy_at, unsigned x_at)
{
	uint64_t x = len >= x_at + 8 ? le64(f + x_at) : 0;
	return x ? x : le(f + legacy_at, 4);
}

/* The first element of the \_S5 package: SLP_TYP for PM1a_CNT (7.4.2). */
static uint32_t s5_slp_typ(const uint8_t *d, uint32_t len)
{
	for (uint32_t i = HEADER_BYTES; i + 10 < len; i++) {
		uint32_t at = i + 1 + (d[i + 1] == AML_ROOT_PREFIX);
		if (d[i] != AML_NAME_OP || memcmp(d + at, "_S5_", 4) || d[at + 4] != AML_PACKAGE_OP)
			continue;
		uint32_t p = at + 5;
		p += 1 + (d[p] >> 6);   /* PkgLength: bits 7:6 count its further bytes */
		p += 1;                 /* NumElements */
		if (p >= len)
			return S5_NONE;
		/* the element's bytes: the opcode, then 0, 1, 2 or 4 data bytes */
		uint32_t n = d[p] == AML_BYTE_PREFIX ? 2 : d[p] == AML_WORD_PREFIX ? 3 :
			     d[p] == AML_DWORD_PREFIX ? 5 : 1;
		if (p + n > len)
			return S5_NONE;
		switch (d[p]) {
		case AML_ZERO_OP:      return 0;
		case AML_ONE_OP:       return 1;
		case AML_BYTE_PREFIX:  return d[p + 1];
		case AML_WORD_PREFIX:  return le(d + p + 1, 2);
		case AML_DWORD_PREFIX: return le(d + p + 1, 4);
		default:               return S5_NONE;
		}
	}
	return S5_NONE;
}

static void fadt_report(const char *via, const uint8_t *f)
{
	uint32_t len = le(f + HEADER_LENGTH_AT, 4);
	if (len < FADT_V1_BYTES) {
		printf("pc_acpi: fadt via=%s length=%u too short for its fields\n", via, len);
		return;
	}
	bool gas_ok = true;
	uint64_t evt = block(f, len, FADT_PM1A_EVT_BLK, FADT_X_PM1A_EVT_BLK, &gas_ok);
	uint64_t cnt = block(f, len, FADT_PM1A_CNT_BLK, FADT_X_PM1A_CNT_BLK, &gas_ok);
	printf("pc_acpi: fadt via=%s sci_int=%u pm1a_evt=0x%lx pm1_evt_len=%u pm1a_cnt=0x%lx pm1_cnt_len=%u x_blocks_ok=%u pm_tmr_len=%u gpe0_len=%u gpe1_len=%u century=0x%x hw_reduced=%u\n",
	       via, le(f + FADT_SCI_INT, 2), evt, f[FADT_PM1_EVT_LEN], cnt, f[FADT_PM1_CNT_LEN], gas_ok,
	       f[FADT_PM_TMR_LEN], f[FADT_GPE0_BLK_LEN], f[FADT_GPE1_BLK_LEN], f[FADT_CENTURY],
	       (le(f + FADT_FLAGS, 4) & FADT_HW_REDUCED) != 0);

	uint64_t facs_gpa = pointer(f, len, FADT_FIRMWARE_CTRL, FADT_X_FIRMWARE_CTRL);
	const uint8_t *facs = in_ram(facs_gpa, FACS_MIN_BYTES) ? (const uint8_t *)(uintptr_t)facs_gpa : NULL;
	printf("pc_acpi: facs via=%s in_ram=%u signature_ok=%u length_ok=%u aligned=%u\n", via, facs != NULL,
	       facs && !memcmp(facs, "FACS", 4), facs && le(facs + HEADER_LENGTH_AT, 4) >= FACS_MIN_BYTES,
	       facs && facs_gpa % FACS_ALIGN == 0);

	uint64_t dsdt_gpa = pointer(f, len, FADT_DSDT, FADT_X_DSDT);
	struct table_view d = view(dsdt_gpa);
	printf("pc_acpi: dsdt via=%s in_ram=%u signature_ok=%u length_ok=%u checksum=0x%x s5_slp_typ=0x%x\n",
	       via, d.t != NULL, d.t && !memcmp(d.t, "DSDT", 4), d.length_ok, d.checksum,
	       valid(&d, "DSDT") ? s5_slp_typ(d.t, d.length) : S5_NONE);
}

void acpi_tables_report(void)
{
	const struct mb2_info *info = boot_info();
	ram_end = BIOS_AREA_END + (uint64_t)info->mem_upper * 1024;
	const uint8_t *r = find_rsdp();
	if (!r) {
		printf("pc_acpi: rsdp found=0 (no \"RSD PTR \" on a 16-byte boundary in 0xe0000-0xfffff)\n");
		return;
	}
	uint32_t rlen = le(r + RSDP_LENGTH_AT, 4);
	bool rlen_ok = rlen >= RSDP_BYTES && in_ram((uintptr_t)r, rlen);
	printf("pc_acpi: rsdp found=1 checksum=0x%x revision=%u length=%u ext_checksum=0x%x\n",
	       byte_sum(r, RSDP_V1_BYTES), r[RSDP_REVISION_AT], rlen, rlen_ok ? byte_sum(r, rlen) : 0xffu);
	const uint8_t *f = root_table("RSDT", le(r + RSDP_RSDT_AT, 4), 4);
	if (f)
		fadt_report("rsdt", f);
	f = root_table("XSDT", le64(r + RSDP_XSDT_AT), 8);
	if (f)
		fadt_report("xsdt", f);
}
