/* The ACPI PM1 register blocks of platform=pc (contract section 15, "ACPI
 * power management ports"): ports ACPI_PM1A_EVT_PORT .. ACPI_PM1A_CNT_PORT
 * + 1 (lib/acpi_tables.h), rows of core/platform.c's port table. */
#ifndef HV_PC_ACPI_H
#define HV_PC_ACPI_H
#include <stdint.h>
#include "vm.h"

/* One access of width 1, 2 or 4 starting at port; bytes past the block
 * read all-ones and are dropped (contract section 6). A PM1a_CNT write of
 * SLP_EN with the S5 sleep type ends the VM with `acpi power off`. */
uint32_t pc_acpi_in(struct vcpu *v, uint16_t port, unsigned width);
void pc_acpi_out(struct vcpu *v, uint16_t port, unsigned width, uint32_t value);

#endif
