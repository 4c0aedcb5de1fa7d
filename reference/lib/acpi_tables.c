/* The ACPI tables of platform=pc: RSDP, RSDT, XSDT, FACS, FADT and a DSDT
 * of hand-assembled AML. Section numbers are the ACPI 6.0 specification's
 * (tables in chapter 5, resource descriptors 6.4, AML encoding chapter 20).
 *
 * Checked on 2026-12-06 with Debian's 6.1.0-57 kernel under QEMU 7.2
 * microvm (acpi=off, pic=on, -cpu qemu64,-apic, nolapic), these tables put
 * at 0xe0000 with -device loader (found by the kernel's RSDP scan) and the
 * window and IRQ of QEMU's own virtio-mmio transport: "ACPI: PM: (supports
 * S0 S5)", "Using PIC for interrupt routing", "setting ELCR to 0200" (SCI
 * level), platform device LNRO0005:00 bound to virtio-mmio with its
 * Memory32Fixed window, virtio0 device id 2; `poweroff -f` wrote 0x1400
 * (SLP_TYP 5) to port 0x604 first. QEMU's own microvm tables differ on
 * purpose: hardware-reduced FADT rev 5 (no PM1 blocks), Level interrupts
 * routed through its I/O APIC (MADT), 0x200-byte windows. The same day on
 * the reference itself (branches pic, uart, linux and acpi merged, QEMU
 * engine, no disk): the kernel took the tables at 0xe0000 from
 * boot_params, read the century (rtc_cmos "y3k"), listed LNRO0005:00 at
 * cafe4000-cafe4fff, and `poweroff -f` ended the VM with `acpi power off`. */
#include "acpi_tables.h"
#include <stdbool.h>
#include "hv_string.h"

/* Identification every table carries (5.2.6): ours, not a vendor's. */
#define OEM_ID          "HVSPEC"     /* 6 bytes */
#define OEM_TABLE_ID    "HVSPECPC"   /* 8 bytes */
#define OEM_REVISION    1
#define CREATOR_ID      "HVSP"       /* 4 bytes: no ASL compiler made these */
#define CREATOR_REVISION 1

#define RSDP_SIGNATURE  "RSD PTR "
#define RSDP_REVISION   2            /* 5.2.5.3: ACPI 2.0+ (XSDT, length, extended checksum) */
#define RSDT_REVISION   1
#define XSDT_REVISION   1
#define DSDT_REVISION   2            /* 5.2.11.1: 2 and up means 64-bit AML integers */
#define FADT_MINOR_REVISION 0        /* ACPI 6.0 */
#define FACS_VERSION    2

/* Offsets inside the tables (5.2.5.3 Table 5-27, 5.2.6 Table 5-29,
 * 5.2.9 Table 5-34, 5.2.10 Table 5-37). */
#define RSDP_CHECKSUM       8
#define RSDP_OEMID          9
#define RSDP_REVISION_AT    15
#define RSDP_RSDT_ADDRESS   16
#define RSDP_LENGTH         20
#define RSDP_XSDT_ADDRESS   24
#define RSDP_EXT_CHECKSUM   32

#define HDR_LENGTH          4
#define HDR_REVISION        8
#define HDR_CHECKSUM        9
#define HDR_OEMID           10
#define HDR_OEM_TABLE_ID    16
#define HDR_OEM_REVISION    24
#define HDR_CREATOR_ID      28
#define HDR_CREATOR_REV     32

#define FADT_FIRMWARE_CTRL  36
#define FADT_DSDT           40
#define FADT_SCI_INT        46
#define FADT_SMI_CMD        48
#define FADT_PM1A_EVT_BLK   56
#define FADT_PM1A_CNT_BLK   64
#define FADT_PM1_EVT_LEN    88
#define FADT_PM1_CNT_LEN    89
#define FADT_P_LVL2_LAT     96
#define FADT_P_LVL3_LAT     98
#define FADT_CENTURY        108
#define FADT_IAPC_BOOT_ARCH 109
#define FADT_FLAGS          112
#define FADT_MINOR_VERSION  131
#define FADT_X_DSDT         140
#define FADT_X_PM1A_EVT_BLK 148
#define FADT_X_PM1A_CNT_BLK 172

#define FACS_LENGTH         4
#define FACS_VERSION_AT     32

/* CMOS RAM index of the BCD century (contract section 15, CMOS clock:
 * register 0x32, as a PC AT keeps it); Linux's mc146818 code reads the
 * century there when this is not 0. No day or month alarm registers. */
#define CMOS_CENTURY_INDEX  0x32

/* P_LVL2_LAT above 100 and P_LVL3_LAT above 1000 (microseconds) say the
 * C2 and C3 states are not supported (Table 5-34). */
#define FADT_C2_UNSUPPORTED 101
#define FADT_C3_UNSUPPORTED 1001

/* IAPC_BOOT_ARCH (5.2.9.3 Table 5-35). What Linux 6.1 does with each
 * (arch/x86/kernel/acpi/boot.c acpi_parse_fadt):
 *  LEGACY_DEVICES set: the board has ISA-style devices (COM1, 8259A, 8254,
 *    CMOS); clear would only zero x86_platform.legacy.devices.pnpbios.
 *  8042 clear: there is no keyboard controller; Linux marks the i8042
 *    X86_LEGACY_I8042_FIRMWARE_ABSENT and, with no PNP0303 device in the
 *    DSDT, the i8042 driver gives up without probing ports 0x60/0x64.
 *  VGA_NOT_PRESENT set: no VGA at 0xa0000/0xb8000 (contract section 9 has
 *    none); Linux sets x86_platform.legacy.no_vga ("probing for VGA not
 *    safe").
 *  MSI_NOT_SUPPORTED set: there is no PCI and no local APIC to take MSIs;
 *    Linux's ACPI PCI init then calls pci_no_msi().
 *  CMOS_RTC_NOT_PRESENT clear: the CMOS clock at 0x70/0x71 exists, so Linux
 *    keeps x86_platform.legacy.rtc and registers the rtc_cmos device. */
#define IAPC_LEGACY_DEVICES     (1u << 0)
#define IAPC_8042               (1u << 1)
#define IAPC_VGA_NOT_PRESENT    (1u << 2)
#define IAPC_MSI_NOT_SUPPORTED  (1u << 3)
#define IAPC_BOOT_ARCH (IAPC_LEGACY_DEVICES | IAPC_VGA_NOT_PRESENT | IAPC_MSI_NOT_SUPPORTED)

/* FADT Flags (5.2.9 Table 5-35 "Fixed ACPI Description Table Fixed Feature
 * Flags"). HW_REDUCED_ACPI (bit 20) stays clear: with it Linux replaces the
 * 8259A by null_legacy_pic and skips the 8254 timer
 * (acpi_generic_reduced_hw_init), and the 8254 is this guest's only clock. */
#define FADT_WBINVD          (1u << 0)   /* WBINVD flushes and invalidates caches */
#define FADT_PROC_C1         (1u << 2)   /* C1 (HLT) works on every processor */
#define FADT_PWR_BUTTON      (1u << 4)   /* no fixed-feature power button */
#define FADT_SLP_BUTTON      (1u << 5)   /* no fixed-feature sleep button */
#define FADT_FIX_RTC         (1u << 6)   /* RTC wake status not in PM1 (RTC_STS never sets) */
#define FADT_HW_REDUCED_ACPI (1u << 20)  /* never set, see above */
#define FADT_FLAGS_VALUE (FADT_WBINVD | FADT_PROC_C1 | FADT_PWR_BUTTON | \
			  FADT_SLP_BUTTON | FADT_FIX_RTC)

/* Generic Address Structure (5.2.3.2 Table 5-25). */
#define GAS_BYTES            12
#define GAS_SPACE_SYSTEM_IO  1
#define GAS_ACCESS_WORD      2           /* PM1 registers are 16-bit (4.8.3.1) */

/* AML (chapter 20, 20.2 grammar). */
#define AML_ZERO_OP          0x00
#define AML_NAME_OP          0x08
#define AML_BYTE_PREFIX      0x0a
#define AML_STRING_PREFIX    0x0d
#define AML_SCOPE_OP         0x10
#define AML_BUFFER_OP        0x11
#define AML_PACKAGE_OP       0x12
#define AML_EXT_OP_PREFIX    0x5b
#define AML_DEVICE_OP        0x82        /* after AML_EXT_OP_PREFIX */
#define AML_ROOT_CHAR        0x5c        /* '\' */
#define AML_PKGLEN_MAX       0x0fffffff  /* 28 bits (20.2.4) */

/* Resource descriptors (6.4). */
#define RES_MEMORY32_FIXED   0x86        /* 6.4.3.4, large item 6 */
#define RES_MEMORY32_FIXED_LEN 9
#define RES_MEM_READ_WRITE   0x01
#define RES_EXT_INTERRUPT    0x89        /* 6.4.3.6, large item 9 */
#define RES_EXT_INTERRUPT_LEN 6          /* flags, count 1, one 32-bit number */
#define RES_INT_CONSUMER     0x01
#define RES_INT_EDGE         0x02        /* active high (bit 2 clear), exclusive (bit 3 clear) */
#define RES_END_TAG          0x79        /* 6.4.2.9, small item 0xf, length 1 */
#define RES_BYTES (3 + RES_MEMORY32_FIXED_LEN + 3 + RES_EXT_INTERRUPT_LEN + 2)

#define VIRTIO_WINDOW_BYTES  0x1000      /* contract section 9 */
#define ISA_IRQ_LINES        16
#define TABLE_ALIGN          16
#define GPA_32BIT_LIMIT      0x100000000ull

static void put(uint8_t *p, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint8_t checksum(const uint8_t *p, size_t n)
{
	uint8_t sum = 0;
	for (size_t i = 0; i < n; i++)
		sum = (uint8_t)(sum + p[i]);
	return (uint8_t)-sum;
}

/* The description header of 5.2.6; the checksum comes last (seal). */
static void header(uint8_t *t, const char *signature, uint32_t length, uint8_t revision)
{
	memcpy(t, signature, 4);
	put(t + HDR_LENGTH, length, 4);
	t[HDR_REVISION] = revision;
	memcpy(t + HDR_OEMID, OEM_ID, 6);
	memcpy(t + HDR_OEM_TABLE_ID, OEM_TABLE_ID, 8);
	put(t + HDR_OEM_REVISION, OEM_REVISION, 4);
	memcpy(t + HDR_CREATOR_ID, CREATOR_ID, 4);
	put(t + HDR_CREATOR_REV, CREATOR_REVISION, 4);
}

static void seal(uint8_t *t, uint32_t length)
{
	t[HDR_CHECKSUM] = 0;
	t[HDR_CHECKSUM] = checksum(t, length);
}

static void gas_io(uint8_t *g, uint16_t port, unsigned bytes)
{
	g[0] = GAS_SPACE_SYSTEM_IO;
	g[1] = (uint8_t)(8 * bytes);   /* bit width: ACPICA checks it against the length byte */
	g[2] = 0;                      /* bit offset */
	g[3] = GAS_ACCESS_WORD;
	put(g + 4, port, 8);
}

/* --- AML writer ---------------------------------------------------------
 * Appends to a window of buf; a PkgLength is written once its package's
 * body is complete (the body moves up by the length's own bytes). */
struct aml {
	uint8_t *buf;
	size_t cap, pos;
	bool overflow;
};

static void aml_bytes(struct aml *a, const void *p, size_t n)
{
	if (a->overflow || n > a->cap - a->pos) {
		a->overflow = true;
		return;
	}
	memcpy(a->buf + a->pos, p, n);
	a->pos += n;
}

static void aml_byte(struct aml *a, uint8_t b)
{
	aml_bytes(a, &b, 1);
}

static void aml_nameseg(struct aml *a, const char seg[4])
{
	aml_bytes(a, seg, 4);
}

/* PkgLength (20.2.4) counts itself: 1 byte up to 63, else a lead byte
 * (bits 7-6: bytes that follow, bits 3-0: the low nibble) and 1-3 bytes. */
static void aml_package_end(struct aml *a, size_t start)
{
	if (a->overflow)
		return;
	size_t body = a->pos - start;
	unsigned n = body + 1 <= 0x3f ? 1 : body + 2 <= 0xfff ? 2 : body + 3 <= 0xfffff ? 3 : 4;
	size_t total = body + n;
	if (total > AML_PKGLEN_MAX || n > a->cap - a->pos) {
		a->overflow = true;
		return;
	}
	memmove(a->buf + start + n, a->buf + start, body);
	if (n == 1) {
		a->buf[start] = (uint8_t)total;
	} else {
		a->buf[start] = (uint8_t)(((n - 1) << 6) | (total & 0xf));
		for (unsigned i = 1; i < n; i++)
			a->buf[start + i] = (uint8_t)(total >> (4 + 8 * (i - 1)));
	}
	a->pos += n;
}

/* Memory32Fixed (ReadWrite) of the window, Interrupt (ResourceConsumer,
 * Edge, ActiveHigh, Exclusive) {irq}, end tag (checksum 0: "treat as
 * valid", 6.4.2.9). Edge: the ISA default, so Linux leaves the line edge
 * in the ELCR (acpi_register_gsi_pic marks only level lines). */
static void aml_virtio_crs(struct aml *a, uint64_t base, unsigned irq)
{
	uint8_t r[RES_BYTES];
	uint8_t *p = r;
	p[0] = RES_MEMORY32_FIXED;
	put(p + 1, RES_MEMORY32_FIXED_LEN, 2);
	p[3] = RES_MEM_READ_WRITE;
	put(p + 4, base, 4);
	put(p + 8, VIRTIO_WINDOW_BYTES, 4);
	p += 3 + RES_MEMORY32_FIXED_LEN;
	p[0] = RES_EXT_INTERRUPT;
	put(p + 1, RES_EXT_INTERRUPT_LEN, 2);
	p[3] = RES_INT_CONSUMER | RES_INT_EDGE;
	p[4] = 1;                            /* interrupt table length */
	put(p + 5, irq, 4);
	p += 3 + RES_EXT_INTERRUPT_LEN;
	p[0] = RES_END_TAG;
	p[1] = 0;

	aml_byte(a, AML_NAME_OP);
	aml_nameseg(a, "_CRS");
	aml_byte(a, AML_BUFFER_OP);
	size_t buffer = a->pos;
	aml_byte(a, AML_BYTE_PREFIX);        /* BufferSize */
	aml_byte(a, RES_BYTES);
	aml_bytes(a, r, RES_BYTES);
	aml_package_end(a, buffer);
}

/* Scope (\_SB) { Device (VR00) { Name (_HID, "LNRO0005") Name (_UID, Zero)
 *   Name (_CRS, ...) } }  Name (_S5, Package (4) { 5, Zero, Zero, Zero })
 * LNRO0005 is the _HID Linux's virtio_mmio driver matches (its
 * virtio_mmio_acpi_match). _S5's first two elements are SLP_TYPa and
 * SLP_TYPb (7.4.2); there is no PM1b block, so the second is unused. */
static void aml_dsdt_body(struct aml *a, uint64_t virtio_base, unsigned virtio_irq)
{
	static const char hid[] = "LNRO0005";

	aml_byte(a, AML_SCOPE_OP);
	size_t scope = a->pos;
	aml_byte(a, AML_ROOT_CHAR);
	aml_nameseg(a, "_SB_");
	aml_byte(a, AML_EXT_OP_PREFIX);
	aml_byte(a, AML_DEVICE_OP);
	size_t device = a->pos;
	aml_nameseg(a, "VR00");
	aml_byte(a, AML_NAME_OP);
	aml_nameseg(a, "_HID");
	aml_byte(a, AML_STRING_PREFIX);
	aml_bytes(a, hid, sizeof hid);       /* with its NUL */
	aml_byte(a, AML_NAME_OP);
	aml_nameseg(a, "_UID");
	aml_byte(a, AML_ZERO_OP);
	aml_virtio_crs(a, virtio_base, virtio_irq);
	aml_package_end(a, device);
	aml_package_end(a, scope);

	aml_byte(a, AML_NAME_OP);
	aml_nameseg(a, "_S5_");
	aml_byte(a, AML_PACKAGE_OP);
	size_t package = a->pos;
	aml_byte(a, 4);                      /* NumElements */
	aml_byte(a, AML_BYTE_PREFIX);
	aml_byte(a, ACPI_SLP_TYP_S5);
	aml_byte(a, AML_ZERO_OP);
	aml_byte(a, AML_ZERO_OP);
	aml_byte(a, AML_ZERO_OP);
	aml_package_end(a, package);
}

/* Offset from base of the next gpa at or after base + off that is a
 * multiple of align (a power of two). */
static size_t align_at(uint64_t base, size_t off, uint64_t align)
{
	uint64_t gpa = (base + off + align - 1) & ~(align - 1);
	return (size_t)(gpa - base);
}

static void build_fadt(uint8_t *t, uint64_t facs, uint64_t dsdt)
{
	header(t, "FACP", ACPI_FADT_BYTES, ACPI_FADT_REVISION);
	/* FIRMWARE_CTRL only: X_FIRMWARE_CTRL must be 0 when it is set. */
	put(t + FADT_FIRMWARE_CTRL, facs, 4);
	put(t + FADT_DSDT, dsdt, 4);
	put(t + FADT_SCI_INT, ACPI_SCI_IRQ, 2);
	/* SMI_CMD 0: no legacy (SMM) mode, the machine is always in ACPI
	 * mode, so ACPI_ENABLE/ACPI_DISABLE stay 0 and PM1a_CNT.SCI_EN reads 1
	 * (ACPICA's acpi_hw_get_mode reports ACPI mode without reading it). */
	put(t + FADT_SMI_CMD, 0, 4);
	put(t + FADT_PM1A_EVT_BLK, ACPI_PM1A_EVT_PORT, 4);
	put(t + FADT_PM1A_CNT_BLK, ACPI_PM1A_CNT_PORT, 4);
	/* PM1b, PM2, PM timer, GPE0 and GPE1 blocks: none (address and
	 * length 0; the PM timer is optional since ACPI 5.0A). */
	t[FADT_PM1_EVT_LEN] = ACPI_PM1_EVT_LEN;
	t[FADT_PM1_CNT_LEN] = ACPI_PM1_CNT_LEN;
	put(t + FADT_P_LVL2_LAT, FADT_C2_UNSUPPORTED, 2);
	put(t + FADT_P_LVL3_LAT, FADT_C3_UNSUPPORTED, 2);
	t[FADT_CENTURY] = CMOS_CENTURY_INDEX;
	put(t + FADT_IAPC_BOOT_ARCH, IAPC_BOOT_ARCH, 2);
	put(t + FADT_FLAGS, FADT_FLAGS_VALUE, 4);
	/* RESET_REG stays zero and RESET_REG_SUP clear: no reset register. */
	t[FADT_MINOR_VERSION] = FADT_MINOR_REVISION;
	put(t + FADT_X_DSDT, dsdt, 8);
	gas_io(t + FADT_X_PM1A_EVT_BLK, ACPI_PM1A_EVT_PORT, ACPI_PM1_EVT_LEN);
	gas_io(t + FADT_X_PM1A_CNT_BLK, ACPI_PM1A_CNT_PORT, ACPI_PM1_CNT_LEN);
	seal(t, ACPI_FADT_BYTES);
}

static void build_rsdp(uint8_t *t, uint64_t rsdt, uint64_t xsdt)
{
	memcpy(t, RSDP_SIGNATURE, 8);
	memcpy(t + RSDP_OEMID, OEM_ID, 6);
	t[RSDP_REVISION_AT] = RSDP_REVISION;
	put(t + RSDP_RSDT_ADDRESS, rsdt, 4);
	put(t + RSDP_LENGTH, ACPI_RSDP_BYTES, 4);
	put(t + RSDP_XSDT_ADDRESS, xsdt, 8);
	t[RSDP_CHECKSUM] = checksum(t, ACPI_RSDP_V1_BYTES);
	t[RSDP_EXT_CHECKSUM] = checksum(t, ACPI_RSDP_BYTES);
}

size_t acpi_tables_build(uint8_t *buf, size_t cap, uint64_t base,
                         uint64_t virtio_base, unsigned virtio_irq)
{
	if (base % TABLE_ALIGN || virtio_irq >= ISA_IRQ_LINES ||
	    virtio_base >= GPA_32BIT_LIMIT - VIRTIO_WINDOW_BYTES ||
	    base >= GPA_32BIT_LIMIT - ACPI_TABLES_MAX)
		return 0;

	const uint32_t rsdt_len = ACPI_HEADER_BYTES + 4;   /* one entry: the FADT */
	const uint32_t xsdt_len = ACPI_HEADER_BYTES + 8;
	size_t rsdt = align_at(base, ACPI_RSDP_BYTES, TABLE_ALIGN);
	size_t xsdt = align_at(base, rsdt + rsdt_len, TABLE_ALIGN);
	size_t facs = align_at(base, xsdt + xsdt_len, ACPI_FACS_ALIGN);
	size_t fadt = align_at(base, facs + ACPI_FACS_BYTES, TABLE_ALIGN);
	size_t dsdt = align_at(base, fadt + ACPI_FADT_BYTES, TABLE_ALIGN);
	if (cap < dsdt + ACPI_HEADER_BYTES)
		return 0;
	memset(buf, 0, dsdt + ACPI_HEADER_BYTES);

	struct aml a = { buf + dsdt + ACPI_HEADER_BYTES, cap - dsdt - ACPI_HEADER_BYTES, 0, false };
	aml_dsdt_body(&a, virtio_base, virtio_irq);
	if (a.overflow)
		return 0;
	uint32_t dsdt_len = (uint32_t)(ACPI_HEADER_BYTES + a.pos);
	header(buf + dsdt, "DSDT", dsdt_len, DSDT_REVISION);
	seal(buf + dsdt, dsdt_len);

	memcpy(buf + facs, "FACS", 4);       /* 5.2.10: no checksum */
	put(buf + facs + FACS_LENGTH, ACPI_FACS_BYTES, 4);
	buf[facs + FACS_VERSION_AT] = FACS_VERSION;

	build_fadt(buf + fadt, base + facs, base + dsdt);

	header(buf + rsdt, "RSDT", rsdt_len, RSDT_REVISION);
	put(buf + rsdt + ACPI_HEADER_BYTES, base + fadt, 4);
	seal(buf + rsdt, rsdt_len);
	header(buf + xsdt, "XSDT", xsdt_len, XSDT_REVISION);
	put(buf + xsdt + ACPI_HEADER_BYTES, base + fadt, 8);
	seal(buf + xsdt, xsdt_len);

	build_rsdp(buf, base + rsdt, base + xsdt);
	return dsdt + dsdt_len;
}
