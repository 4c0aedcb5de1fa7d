#define _GNU_SOURCE   /* memmem */
/* Unit tests of acpi_tables: every link, length and checksum of the tables,
 * the FADT fields Linux reads, and the DSDT's AML decoded by a small walker
 * of this file's own (ACPI 6.0 chapter 20 and 6.4, written out here
 * independently of the builder); then iasl's own disassembler when
 * acpica-tools is installed. */
#include <atf-c.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "acpi_tables.h"

#define BASE 0xe0000ull
#define VIRTIO_BASE 0xcafe4000ull
#define VIRTIO_IRQ 5
#define GUARD 0xa5

static uint8_t mem[ACPI_TABLES_MAX + 64];

static uint64_t get(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static unsigned sum(const uint8_t *p, size_t n)
{
	unsigned s = 0;
	for (size_t i = 0; i < n; i++)
		s += p[i];
	return s & 0xff;
}

static size_t build(void)
{
	memset(mem, GUARD, sizeof mem);
	size_t n = acpi_tables_build(mem, ACPI_TABLES_MAX, BASE, VIRTIO_BASE, VIRTIO_IRQ);
	ATF_REQUIRE_MSG(n > 0, "acpi_tables_build refused the standard request");
	ATF_REQUIRE(n <= ACPI_TABLES_MAX);
	return n;
}

/* The table at gpa inside the n bytes built: checks signature, that its
 * length fits, and its checksum; returns it. */
static const uint8_t *table_at(uint64_t gpa, size_t n, const char *sig)
{
	ATF_REQUIRE_MSG(gpa >= BASE && gpa + 36 <= BASE + n,
			"%s at 0x%llx lies outside the tables [0x%llx, 0x%llx)", sig,
			(unsigned long long)gpa, (unsigned long long)BASE,
			(unsigned long long)(BASE + n));
	const uint8_t *t = mem + (gpa - BASE);
	ATF_REQUIRE_MSG(memcmp(t, sig, 4) == 0, "expected %s at 0x%llx, found %.4s", sig,
			(unsigned long long)gpa, (const char *)t);
	uint32_t len = (uint32_t)get(t + 4, 4);
	ATF_REQUIRE_MSG(gpa + len <= BASE + n, "%s length %u runs past the tables", sig, len);
	ATF_CHECK_EQ_MSG(sum(t, len), 0, "%s checksum: bytes sum to 0x%x, not 0", sig, sum(t, len));
	ATF_CHECK_EQ_MSG(memcmp(t + 10, "HVSPEC", 6), 0, "%s OEM ID", sig);
	return t;
}

static const uint8_t *fadt_of(size_t n)
{
	const uint8_t *xsdt = table_at(get(mem + 24, 8), n, "XSDT");
	return table_at(get(xsdt + 36, 8), n, "FACP");
}

ATF_TC_WITHOUT_HEAD(rsdp);
ATF_TC_BODY(rsdp, tc)
{
	size_t n = build();
	ATF_CHECK(memcmp(mem, "RSD PTR ", 8) == 0);
	ATF_CHECK_EQ_MSG(sum(mem, 20), 0, "first checksum covers bytes 0-19");
	ATF_CHECK_EQ_MSG(sum(mem, 36), 0, "extended checksum covers all 36 bytes");
	ATF_CHECK_EQ(mem[15], 2);                     /* revision */
	ATF_CHECK_EQ(get(mem + 20, 4), 36);           /* length */
	ATF_CHECK_EQ(BASE % 16, 0);
	const uint8_t *rsdt = table_at(get(mem + 16, 4), n, "RSDT");
	const uint8_t *xsdt = table_at(get(mem + 24, 8), n, "XSDT");
	ATF_CHECK_EQ(get(rsdt + 4, 4), 40);           /* one 32-bit entry */
	ATF_CHECK_EQ(get(xsdt + 4, 4), 44);           /* one 64-bit entry */
	ATF_CHECK_EQ(get(rsdt + 36, 4), get(xsdt + 36, 8));
	table_at(get(xsdt + 36, 8), n, "FACP");
	/* Guard bytes after the tables are untouched. */
	for (size_t i = n; i < sizeof mem; i++)
		ATF_REQUIRE_EQ_MSG(mem[i], GUARD, "byte %zu past the %zu built was written", i, n);
}

ATF_TC_WITHOUT_HEAD(fadt_fields);
ATF_TC_BODY(fadt_fields, tc)
{
	size_t n = build();
	const uint8_t *f = fadt_of(n);
	ATF_CHECK_EQ(get(f + 4, 4), 276);
	ATF_CHECK_MSG(f[8] >= 3, "FADT revision %u has no X_ fields", f[8]);
	uint64_t facs = get(f + 36, 4);
	ATF_CHECK_EQ_MSG(facs % 64, 0, "FACS at 0x%llx is not 64-byte aligned", (unsigned long long)facs);
	ATF_REQUIRE(facs >= BASE && facs + 64 <= BASE + n);
	ATF_CHECK(memcmp(mem + (facs - BASE), "FACS", 4) == 0);
	ATF_CHECK_EQ(get(mem + (facs - BASE) + 4, 4), 64);
	ATF_CHECK_EQ(get(f + 132, 8), 0);              /* X_FIRMWARE_CTRL: 0 with FIRMWARE_CTRL */
	ATF_CHECK_EQ(get(f + 40, 4), get(f + 140, 8)); /* DSDT == X_DSDT */
	table_at(get(f + 140, 8), n, "DSDT");
	ATF_CHECK_EQ(get(f + 46, 2), 9);               /* SCI_INT */
	ATF_CHECK_EQ(get(f + 48, 4), 0);               /* SMI_CMD */
	ATF_CHECK_EQ(get(f + 56, 4), 0x600);           /* PM1a_EVT_BLK */
	ATF_CHECK_EQ(get(f + 60, 4), 0);               /* PM1b_EVT_BLK */
	ATF_CHECK_EQ(get(f + 64, 4), 0x604);           /* PM1a_CNT_BLK */
	ATF_CHECK_EQ(get(f + 68, 4), 0);
	ATF_CHECK_EQ(get(f + 76, 4), 0);               /* no PM timer */
	ATF_CHECK_EQ(get(f + 80, 4), 0);               /* no GPE0 */
	ATF_CHECK_EQ(f[88], 4);
	ATF_CHECK_EQ(f[89], 2);
	ATF_CHECK_EQ(f[91], 0);
	ATF_CHECK_EQ(f[92], 0);
	ATF_CHECK_EQ_MSG(f[108], 0x32, "CENTURY: the CMOS index of the century");
	uint32_t flags = (uint32_t)get(f + 112, 4);
	ATF_CHECK_MSG(!(flags & (1u << 20)), "HW_REDUCED_ACPI set: Linux would drop the 8259A and the 8254");
	ATF_CHECK(flags & 1u);                         /* WBINVD */
	uint16_t boot_arch = (uint16_t)get(f + 109, 2);
	ATF_CHECK_EQ_MSG(boot_arch & 2, 0, "8042 flag set, but there is no keyboard controller");
	ATF_CHECK_EQ_MSG(boot_arch & 0x20, 0, "CMOS RTC declared absent");
	/* X_PM1a_EVT_BLK and X_PM1a_CNT_BLK: system I/O, width = 8 * length. */
	const uint8_t *evt = f + 148, *cnt = f + 172;
	ATF_CHECK_EQ(evt[0], 1);
	ATF_CHECK_EQ(evt[1], 32);
	ATF_CHECK_EQ(get(evt + 4, 8), 0x600);
	ATF_CHECK_EQ(cnt[0], 1);
	ATF_CHECK_EQ(cnt[1], 16);
	ATF_CHECK_EQ(get(cnt + 4, 8), 0x604);
	for (unsigned off = 160; off < 244; off++)     /* PM1b .. GPE1: all zero */
		if (off < 172 || off >= 184)
			ATF_CHECK_EQ_MSG(f[off], 0, "FADT byte %u", off);
}

/* --- a small AML walker: names and their data objects ------------------ */
struct aml_object {
	char path[40];            /* e.g. \_SB_.VR00._HID */
	enum { OBJ_INT, OBJ_STRING, OBJ_BUFFER, OBJ_PACKAGE } kind;
	uint64_t value;           /* OBJ_INT; OBJ_PACKAGE: element count */
	uint64_t elements[8];     /* OBJ_PACKAGE: integer elements */
	const uint8_t *data;      /* OBJ_STRING, OBJ_BUFFER */
	size_t len;
};

static struct aml_object objects[16];
static unsigned object_count;

static size_t pkg_length(const uint8_t *p, size_t avail, size_t *value)
{
	ATF_REQUIRE(avail >= 1);
	unsigned follow = p[0] >> 6;
	ATF_REQUIRE(avail > follow);
	if (follow == 0) {
		*value = p[0] & 0x3f;
		return 1;
	}
	ATF_REQUIRE_EQ_MSG(p[0] & 0x30, 0, "PkgLength lead byte 0x%x: bits 5-4 must be 0", p[0]);
	size_t v = p[0] & 0xf;
	for (unsigned i = 1; i <= follow; i++)
		v |= (size_t)p[i] << (4 + 8 * (i - 1));
	*value = v;
	return 1 + follow;
}

/* A name string: \ prefix or none, then one NameSeg (all this DSDT uses). */
static size_t name_string(const uint8_t *p, size_t avail, const char *scope, char *out, size_t cap)
{
	size_t i = 0;
	bool root = false;
	if (avail > 0 && p[0] == 0x5c) {
		root = true;
		i = 1;
	}
	ATF_REQUIRE_MSG(avail >= i + 4, "name string truncated");
	for (unsigned k = 0; k < 4; k++) {
		uint8_t c = p[i + k];
		ATF_REQUIRE_MSG((c >= 'A' && c <= 'Z') || c == '_' || (k > 0 && c >= '0' && c <= '9'),
				"bad NameSeg character 0x%x", c);
	}
	if (root)
		snprintf(out, cap, "\\%.4s", (const char *)p + i);
	else if (strcmp(scope, "\\") == 0)
		snprintf(out, cap, "\\%.4s", (const char *)p + i);
	else
		snprintf(out, cap, "%s.%.4s", scope, (const char *)p + i);
	return i + 4;
}

/* One data object (ComputationalData, DefBuffer, DefPackage of integers). */
static size_t data_object(const uint8_t *p, size_t avail, struct aml_object *o)
{
	ATF_REQUIRE(avail >= 1);
	size_t len;
	switch (p[0]) {
	case 0x00: o->kind = OBJ_INT; o->value = 0; return 1;
	case 0x01: o->kind = OBJ_INT; o->value = 1; return 1;
	case 0xff: o->kind = OBJ_INT; o->value = ~0ull; return 1;
	case 0x0a: ATF_REQUIRE(avail >= 2); o->kind = OBJ_INT; o->value = p[1]; return 2;
	case 0x0b: ATF_REQUIRE(avail >= 3); o->kind = OBJ_INT; o->value = get(p + 1, 2); return 3;
	case 0x0c: ATF_REQUIRE(avail >= 5); o->kind = OBJ_INT; o->value = get(p + 1, 4); return 5;
	case 0x0d: {
		const uint8_t *nul = memchr(p + 1, 0, avail - 1);
		ATF_REQUIRE_MSG(nul, "string without NUL");
		o->kind = OBJ_STRING;
		o->data = p + 1;
		o->len = (size_t)(nul - (p + 1));
		return o->len + 2;
	}
	case 0x11: {
		size_t n = pkg_length(p + 1, avail - 1, &len);
		ATF_REQUIRE_MSG(len <= avail - 1, "buffer runs past its scope");
		struct aml_object size;
		size_t s = data_object(p + 1 + n, len - n, &size);
		ATF_REQUIRE(size.kind == OBJ_INT);
		ATF_REQUIRE_EQ_MSG(size.value, len - n - s, "BufferSize %llu, bytes %zu",
				   (unsigned long long)size.value, len - n - s);
		o->kind = OBJ_BUFFER;
		o->data = p + 1 + n + s;
		o->len = len - n - s;
		return 1 + len;
	}
	case 0x12: {
		size_t n = pkg_length(p + 1, avail - 1, &len);
		ATF_REQUIRE_MSG(len <= avail - 1, "package runs past its scope");
		o->kind = OBJ_PACKAGE;
		o->value = p[1 + n];
		ATF_REQUIRE(o->value <= 8);
		size_t at = n + 1;
		for (unsigned e = 0; e < o->value; e++) {
			struct aml_object el;
			at += data_object(p + 1 + at, len - at, &el);
			ATF_REQUIRE(el.kind == OBJ_INT);
			o->elements[e] = el.value;
		}
		ATF_REQUIRE_EQ_MSG(at, len, "package length %zu, elements end at %zu", len, at);
		return 1 + len;
	}
	}
	atf_tc_fail("unexpected AML opcode 0x%02x in a data object", p[0]);
	return 0;
}

static void term_list(const uint8_t *p, size_t avail, const char *scope)
{
	size_t i = 0;
	while (i < avail) {
		size_t len, n;
		char path[40];
		if (p[i] == 0x10 || (p[i] == 0x5b && i + 1 < avail && p[i + 1] == 0x82)) {
			size_t op = p[i] == 0x10 ? 1 : 2;
			n = pkg_length(p + i + op, avail - i - op, &len);
			ATF_REQUIRE_MSG(i + op + len <= avail, "scope/device at %zu runs past its parent", i);
			size_t nm = name_string(p + i + op + n, len - n, scope, path, sizeof path);
			term_list(p + i + op + n + nm, len - n - nm, path);
			i += op + len;
		} else if (p[i] == 0x08) {
			ATF_REQUIRE(object_count < 16);
			struct aml_object *o = &objects[object_count++];
			n = name_string(p + i + 1, avail - i - 1, scope, o->path, sizeof o->path);
			i += 1 + n + data_object(p + i + 1 + n, avail - i - 1 - n, o);
		} else {
			atf_tc_fail("unexpected AML opcode 0x%02x at %zu", p[i], i);
		}
	}
}

static const struct aml_object *object(const char *path)
{
	for (unsigned i = 0; i < object_count; i++)
		if (strcmp(objects[i].path, path) == 0)
			return &objects[i];
	atf_tc_fail("the DSDT has no object %s", path);
	return 0;
}

static void walk_dsdt(void)
{
	size_t n = build();
	const uint8_t *f = fadt_of(n);
	const uint8_t *d = table_at(get(f + 140, 8), n, "DSDT");
	ATF_CHECK_MSG(d[8] >= 2, "DSDT revision %u: 32-bit integers", d[8]);
	object_count = 0;
	term_list(d + 36, get(d + 4, 4) - 36, "\\");
}

ATF_TC_WITHOUT_HEAD(dsdt_virtio_device);
ATF_TC_BODY(dsdt_virtio_device, tc)
{
	walk_dsdt();
	const struct aml_object *hid = object("\\_SB_.VR00._HID");
	ATF_REQUIRE(hid->kind == OBJ_STRING);
	ATF_CHECK_MSG(hid->len == 8 && memcmp(hid->data, "LNRO0005", 8) == 0,
		      "_HID %.*s", (int)hid->len, (const char *)hid->data);
	const struct aml_object *uid = object("\\_SB_.VR00._UID");
	ATF_CHECK(uid->kind == OBJ_INT && uid->value == 0);

	const struct aml_object *crs = object("\\_SB_.VR00._CRS");
	ATF_REQUIRE(crs->kind == OBJ_BUFFER);
	const uint8_t *r = crs->data;
	size_t left = crs->len;
	bool mem32 = false, irq = false, end = false;
	while (left > 0 && !end) {
		if (r[0] & 0x80) {                      /* large item: tag, 16-bit length */
			ATF_REQUIRE(left >= 3);
			size_t len = get(r + 1, 2);
			ATF_REQUIRE(left >= 3 + len);
			if (r[0] == 0x86) {             /* 32-bit fixed memory range */
				ATF_REQUIRE_EQ(len, 9);
				ATF_CHECK_EQ_MSG(r[3] & 1, 1, "Memory32Fixed is read-only");
				ATF_CHECK_EQ(get(r + 4, 4), VIRTIO_BASE);
				ATF_CHECK_EQ(get(r + 8, 4), 0x1000);
				mem32 = true;
			} else if (r[0] == 0x89) {      /* extended interrupt */
				ATF_REQUIRE(len >= 6);
				ATF_CHECK_EQ_MSG(r[3] & 1, 1, "interrupt must be ResourceConsumer");
				ATF_CHECK_EQ_MSG(r[3] & 2, 2, "interrupt must be edge-triggered");
				ATF_CHECK_EQ_MSG(r[3] & 4, 0, "interrupt must be active high");
				ATF_CHECK_EQ(r[4], 1);
				ATF_CHECK_EQ(get(r + 5, 4), VIRTIO_IRQ);
				irq = true;
			} else {
				atf_tc_fail("unexpected resource 0x%02x", r[0]);
			}
			r += 3 + len;
			left -= 3 + len;
		} else {                                /* small item: tag in bits 6-3, length in 2-0 */
			size_t len = r[0] & 7;
			ATF_REQUIRE(left >= 1 + len);
			ATF_REQUIRE_EQ_MSG(r[0] >> 3, 0xf, "unexpected small resource 0x%02x", r[0]);
			ATF_REQUIRE_EQ(len, 1);
			end = true;
			left -= 2;
		}
	}
	ATF_CHECK_MSG(mem32 && irq && end, "_CRS: memory %d, interrupt %d, end tag %d", mem32, irq, end);
	ATF_CHECK_EQ_MSG(left, 0, "%zu bytes after the end tag", left);
}

ATF_TC_WITHOUT_HEAD(dsdt_s5);
ATF_TC_BODY(dsdt_s5, tc)
{
	walk_dsdt();
	const struct aml_object *s5 = object("\\_S5_");
	ATF_REQUIRE(s5->kind == OBJ_PACKAGE);
	ATF_CHECK_EQ(s5->value, 4);
	ATF_CHECK_EQ_MSG(s5->elements[0], ACPI_SLP_TYP_S5, "SLP_TYPa %llu",
			 (unsigned long long)s5->elements[0]);
	ATF_CHECK_EQ(ACPI_SLP_TYP_S5, 5);
}

/* Long AML lengths: a device window and an irq elsewhere decode too. */
ATF_TC_WITHOUT_HEAD(other_window_and_irq);
ATF_TC_BODY(other_window_and_irq, tc)
{
	memset(mem, 0, sizeof mem);
	size_t n = acpi_tables_build(mem, ACPI_TABLES_MAX, 0x9000, 0xfe000000, 15);
	ATF_REQUIRE(n > 0);
	ATF_CHECK(memmem(mem, n, "\x86\x09\x00\x01\x00\x00\x00\xfe\x00\x10\x00\x00", 12) != NULL);
	ATF_CHECK(memmem(mem, n, "\x89\x06\x00\x03\x01\x0f\x00\x00\x00", 9) != NULL);
}

ATF_TC_WITHOUT_HEAD(refusals);
ATF_TC_BODY(refusals, tc)
{
	size_t need = build();
	for (size_t cap = 0; cap < need; cap++) {
		memset(mem, GUARD, sizeof mem);
		ATF_CHECK_EQ_MSG(acpi_tables_build(mem, cap, BASE, VIRTIO_BASE, VIRTIO_IRQ), 0,
				 "cap %zu < %zu accepted", cap, need);
		for (size_t i = cap; i < sizeof mem; i++)
			ATF_REQUIRE_EQ_MSG(mem[i], GUARD, "cap %zu: byte %zu written", cap, i);
	}
	ATF_CHECK_EQ(acpi_tables_build(mem, need, BASE, VIRTIO_BASE, VIRTIO_IRQ), need);
	ATF_CHECK_EQ(acpi_tables_build(mem, ACPI_TABLES_MAX, BASE + 8, VIRTIO_BASE, VIRTIO_IRQ), 0);
	ATF_CHECK_EQ(acpi_tables_build(mem, ACPI_TABLES_MAX, BASE, VIRTIO_BASE, 16), 0);
	ATF_CHECK_EQ(acpi_tables_build(mem, ACPI_TABLES_MAX, 0x100000000ull, VIRTIO_BASE, 5), 0);
	ATF_CHECK_EQ(acpi_tables_build(mem, ACPI_TABLES_MAX, BASE, 0x100000000ull, 5), 0);
}

/* iasl -d on each table (the ACPICA disassembler; Linux's ACPI core is
 * ACPICA too). SKIPs when acpica-tools is not installed. Not the RSDP: iasl
 * 20200925 (Debian 12) takes no binary RSDP ("does not contain a valid ACPI
 * table"), so the rsdp case above is its only check. */
static bool have_iasl(void)
{
	return system("command -v iasl >/dev/null 2>&1") == 0;
}

static void write_file(const char *path, const uint8_t *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	ATF_REQUIRE(f);
	ATF_REQUIRE_EQ(fwrite(p, 1, n, f), n);
	ATF_REQUIRE_EQ(fclose(f), 0);
}

ATF_TC_WITHOUT_HEAD(iasl_disassembles);
ATF_TC_BODY(iasl_disassembles, tc)
{
	if (!have_iasl())
		atf_tc_skip("iasl not installed (Debian package acpica-tools): the tables were checked by this test's own walker only");
	size_t n = build();
	const uint8_t *rsdt = table_at(get(mem + 16, 4), n, "RSDT");
	const uint8_t *xsdt = table_at(get(mem + 24, 8), n, "XSDT");
	const uint8_t *fadt = fadt_of(n);
	const uint8_t *dsdt = table_at(get(fadt + 140, 8), n, "DSDT");
	const uint8_t *facs = mem + (get(fadt + 36, 4) - BASE);
	struct { const char *name; const uint8_t *t; size_t len; } tables[] = {
		{ "rsdt", rsdt, get(rsdt + 4, 4) },
		{ "xsdt", xsdt, get(xsdt + 4, 4) },
		{ "facs", facs, 64 },
		{ "facp", fadt, get(fadt + 4, 4) },
		{ "dsdt", dsdt, get(dsdt + 4, 4) },
	};
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		char bin[64], cmd[256], dsl[64];
		snprintf(bin, sizeof bin, "%s.dat", tables[i].name);
		snprintf(dsl, sizeof dsl, "%s.dsl", tables[i].name);
		write_file(bin, tables[i].t, tables[i].len);
		snprintf(cmd, sizeof cmd, "iasl -d %s > %s.log 2>&1", bin, tables[i].name);
		int rc = system(cmd);
		ATF_CHECK_EQ_MSG(rc, 0, "%s exited %d (see %s.log)", cmd, rc, tables[i].name);
		ATF_CHECK_MSG(access(dsl, F_OK) == 0, "iasl wrote no %s", dsl);
		/* Warnings name bad checksums, lengths and fields. */
		snprintf(cmd, sizeof cmd, "grep -iE 'warning|error|invalid|incorrect|mismatch' %s.log %s",
			 tables[i].name, dsl);
		ATF_CHECK_MSG(system(cmd) != 0, "iasl complained about %s (lines above)", tables[i].name);
	}
	/* The disassembled DSDT names what Linux needs. */
	ATF_CHECK(atf_utils_grep_file("LNRO0005", "dsdt.dsl"));
	ATF_CHECK(atf_utils_grep_file("Memory32Fixed \\(ReadWrite,", "dsdt.dsl"));
	ATF_CHECK(atf_utils_grep_file("0xCAFE4000", "dsdt.dsl"));
	ATF_CHECK(atf_utils_grep_file("Interrupt \\(ResourceConsumer, Edge, ActiveHigh, Exclusive", "dsdt.dsl"));
	ATF_CHECK(atf_utils_grep_file("Name \\(_S5, Package \\(0x04\\)", "dsdt.dsl"));
	ATF_CHECK(atf_utils_grep_file("PM1A Event Block Address : 0000000000000600", "facp.dsl") ||
		  atf_utils_grep_file("PM1A Event Block Address : 00000600", "facp.dsl"));
	ATF_CHECK(atf_utils_grep_file("Hardware Reduced \\(V5\\) : 0", "facp.dsl"));
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, rsdp);
	ATF_TP_ADD_TC(tp, fadt_fields);
	ATF_TP_ADD_TC(tp, dsdt_virtio_device);
	ATF_TP_ADD_TC(tp, dsdt_s5);
	ATF_TP_ADD_TC(tp, other_window_and_irq);
	ATF_TP_ADD_TC(tp, refusals);
	ATF_TP_ADD_TC(tp, iasl_disassembles);
	return atf_no_error();
}
