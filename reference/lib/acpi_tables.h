/* The ACPI tables of `platform=pc` (contract section 15, "ACPI power
 * management ports"): what a generic Linux needs to find the virtio-mmio
 * block device (Debian's kernel can announce it no other way, spec/
 * linux-design.md section 5) and to power off. Full (not hardware-reduced)
 * ACPI in PIC mode: no MADT, so Linux keeps the 8259A pair and the 8254.
 * Section numbers are the ACPI 6.0 specification's. Pure: writes only buf. */
#ifndef HV_ACPI_TABLES_H
#define HV_ACPI_TABLES_H
#include <stddef.h>
#include <stdint.h>

/* The PM1 register blocks the FADT announces (4.8.3.1, 4.8.3.2): the event
 * block holds PM1a_STS (2 bytes) then PM1a_EN (2 bytes), the control block
 * PM1a_CNT. The same ports as QEMU's q35 (ICH9 PMBASE 0x600), so traces
 * of one read like the other's. */
#define ACPI_PM1A_EVT_PORT  0x600
#define ACPI_PM1_EVT_LEN    4
#define ACPI_PM1A_STS_PORT  ACPI_PM1A_EVT_PORT
#define ACPI_PM1A_EN_PORT   (ACPI_PM1A_EVT_PORT + ACPI_PM1_EVT_LEN / 2)
#define ACPI_PM1A_CNT_PORT  0x604
#define ACPI_PM1_CNT_LEN    2
#define ACPI_SCI_IRQ        9      /* the usual ISA line of the SCI; never raised */

/* SLP_TYP of the S5 (soft off) state: the value the DSDT's \_S5 package
 * gives (7.4.2) and PM1a_CNT power-off expects. */
#define ACPI_SLP_TYP_S5     5

/* Where the tables live in guest RAM and how large they may get: the BIOS
 * area (the e820 map of a bzImage guest reserves it), where an IA-PC
 * operating system searches for the RSDP (5.2.5.1: a 16-byte boundary in
 * 0xE0000-0xFFFFF); core/pc_acpi_tables.c places them for every guest. */
#define ACPI_TABLES_GPA     0xe0000ull
#define ACPI_TABLES_MAX     4096

/* Table signatures and sizes (5.2.5.3, 5.2.6, 5.2.7, 5.2.8, 5.2.9,
 * 5.2.10), exported for the unit test. */
#define ACPI_RSDP_BYTES     36     /* revision 2 (ACPI 2.0+) */
#define ACPI_RSDP_V1_BYTES  20     /* the part the first checksum covers */
#define ACPI_HEADER_BYTES   36     /* common description header */
#define ACPI_FADT_BYTES     276    /* revision 6: up to the hypervisor vendor identity */
#define ACPI_FADT_REVISION  6
#define ACPI_FACS_BYTES     64
#define ACPI_FACS_ALIGN     64     /* 5.2.10: 64-byte aligned */

/* Builds RSDP, XSDT, FADT and DSDT at gpa base (16-byte aligned) into buf; returns the
 * bytes used (RSDP at offset 0) or 0 when cap is too small. Also builds an
 * RSDT (for acpi=rsdt) and the FACS a full FADT points to. 0 as well when
 * base is not 16-byte aligned, the tables would not lie below 4 GiB (the
 * RSDT and FADT hold 32-bit addresses), or virtio_irq is not an ISA line
 * (0-15: the guest runs in PIC mode). */
size_t acpi_tables_build(uint8_t *buf, size_t cap, uint64_t base,
                         uint64_t virtio_base, unsigned virtio_irq);

#endif
