/* ACPI PM1 registers of platform=pc (contract section 15, "ACPI power
 * management ports"; ACPI 6.0 4.8.3.1.1 Table 4-16, 4.8.3.1.2 Table 4-17,
 * 4.8.3.2.1 Table 4-18). The machine is always in ACPI mode and raises no
 * fixed event: PM1a_STS reads 0, PM1a_EN keeps what OSPM enables, and
 * PM1a_CNT powers the machine off when OSPM enters S5. */
#include "pc_acpi.h"
#include "acpi_tables.h"
#include "vm_end.h"

/* Bits of PM1a_EN that exist (Table 4-17): TMR_EN, GBL_EN, PWRBTN_EN,
 * SLPBTN_EN, RTC_EN, PCIEXP_WAKE_DIS; the others are reserved, read 0. */
#define PM1_EN_DEFINED   0x4721u
/* PM1a_CNT (Table 4-18). */
#define PM1_CNT_SCI_EN   0x0001u   /* set: events raise an SCI; always (no SMI_CMD) */
#define PM1_CNT_BM_RLD   0x0002u
#define PM1_CNT_SLP_TYP_SHIFT 10
#define PM1_CNT_SLP_TYP  (7u << PM1_CNT_SLP_TYP_SHIFT)
#define PM1_CNT_SLP_EN   0x2000u   /* write-only: reads 0 */
/* What PM1a_CNT keeps; GBL_RLS (bit 2) and SLP_EN are write-only. */
#define PM1_CNT_STORED   (PM1_CNT_BM_RLD | PM1_CNT_SLP_TYP)

#define PM1_BLOCK_FIRST  ACPI_PM1A_EVT_PORT
#define PM1_BLOCK_LAST   (ACPI_PM1A_CNT_PORT + ACPI_PM1_CNT_LEN - 1)
#define BYTE_ABSENT      0xffu     /* a byte past the block (contract section 6) */

enum pm1_reg { PM1_STS, PM1_EN, PM1_CNT, PM1_NONE };

static enum pm1_reg reg_of(uint16_t port, unsigned *byte)
{
	*byte = port & 1;
	if (port >= ACPI_PM1A_STS_PORT && port < ACPI_PM1A_EN_PORT)
		return PM1_STS;
	if (port >= ACPI_PM1A_EN_PORT && port < ACPI_PM1A_EVT_PORT + ACPI_PM1_EVT_LEN)
		return PM1_EN;
	if (port >= ACPI_PM1A_CNT_PORT && port <= PM1_BLOCK_LAST)
		return PM1_CNT;
	return PM1_NONE;
}

static uint16_t reg_read(const struct vm *vm, enum pm1_reg r)
{
	switch (r) {
	case PM1_EN:  return vm->pm1.en;
	case PM1_CNT: return (uint16_t)(vm->pm1.cnt | PM1_CNT_SCI_EN);
	default:      return 0;   /* PM1_STS: no event ever sets a status bit */
	}
}

uint32_t pc_acpi_in(struct vcpu *v, uint16_t port, unsigned width)
{
	uint32_t value = 0;
	for (unsigned i = 0; i < width; i++) {
		unsigned byte;
		enum pm1_reg r = reg_of((uint16_t)(port + i), &byte);
		uint32_t b = r == PM1_NONE ? BYTE_ABSENT : (reg_read(v->vm, r) >> (8 * byte)) & 0xff;
		value |= b << (8 * i);
	}
	return value;
}

void pc_acpi_out(struct vcpu *v, uint16_t port, unsigned width, uint32_t value)
{
	/* Gather the bytes each register receives, then apply them at once:
	 * a word write of PM1a_CNT is one write, as on the chipset. */
	uint16_t data[PM1_NONE] = { 0 }, mask[PM1_NONE] = { 0 };
	for (unsigned i = 0; i < width; i++) {
		unsigned byte;
		enum pm1_reg r = reg_of((uint16_t)(port + i), &byte);
		if (r == PM1_NONE)
			continue;
		data[r] |= (uint16_t)(((value >> (8 * i)) & 0xff) << (8 * byte));
		mask[r] |= (uint16_t)(0xff << (8 * byte));
	}
	struct vm *vm = v->vm;
	/* PM1_STS: write 1 to clear, and nothing is ever set. */
	vm->pm1.en = (uint16_t)((vm->pm1.en & ~mask[PM1_EN]) | (data[PM1_EN] & mask[PM1_EN] & PM1_EN_DEFINED));
	uint16_t cnt_stored = PM1_CNT_STORED & mask[PM1_CNT];
	vm->pm1.cnt = (uint16_t)((vm->pm1.cnt & ~cnt_stored) | (data[PM1_CNT] & cnt_stored));
	/* SLP_EN with SLP_TYP = S5 (the \_S5 value of the DSDT): soft off. SLP_EN
	 * with any other type changes nothing more: the DSDT offers no other
	 * sleep state. */
	if ((data[PM1_CNT] & mask[PM1_CNT] & PM1_CNT_SLP_EN) &&
	    (vm->pm1.cnt & PM1_CNT_SLP_TYP) >> PM1_CNT_SLP_TYP_SHIFT == ACPI_SLP_TYP_S5)
		vm_end("acpi power off");
}
