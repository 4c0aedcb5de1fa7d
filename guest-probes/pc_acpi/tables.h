/* pc_acpi mode=tables (tables.c): finds and checks platform=pc's ACPI tables. */
#ifndef PC_ACPI_TABLES_H
#define PC_ACPI_TABLES_H

/* Prints the `pc_acpi: rsdp|RSDT|XSDT|fadt|facs|dsdt ...` lines. */
void acpi_tables_report(void);

#endif
