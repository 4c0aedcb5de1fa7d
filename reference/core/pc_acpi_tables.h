/* Puts platform=pc's ACPI tables (lib/acpi_tables.c) into guest RAM in the
 * BIOS area where an IA-PC operating system looks for the RSDP (contract
 * section 15, "ACPI tables"; ACPI 6.0 5.2.5.1). */
#ifndef HV_PC_ACPI_TABLES_H
#define HV_PC_ACPI_TABLES_H
#include <stdint.h>
#include "vm.h"

/* Builds the tables and writes them at ACPI_TABLES_GPA; returns the RSDP's
 * guest-physical address, or 0 when they could not be written. */
uint64_t pc_acpi_tables_place(struct vm *vm);

#endif
