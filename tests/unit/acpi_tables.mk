# Host atf-c unit test of reference/lib/acpi_tables.c, the ACPI tables of
# platform=pc (contract section 15): links, lengths, checksums, the FADT
# fields and the DSDT's AML by the test's own walker; then `iasl -d` on
# every table when acpica-tools is installed (the case SKIPs otherwise).
ACPI_UT_DIR := $(B)/tests/unit/acpi_tables

$(ACPI_UT_DIR)/acpi_tables.o: reference/lib/acpi_tables.c reference/lib/acpi_tables.h
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ireference/lib -c $< -o $@
$(ACPI_UT_DIR)/acpi_tables_test.o: tests/unit/acpi_tables_test.c reference/lib/acpi_tables.h
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ireference/lib -c $< -o $@
$(B)/tests/unit/acpi_tables_test: $(ACPI_UT_DIR)/acpi_tables_test.o $(ACPI_UT_DIR)/acpi_tables.o
	$(CC) $(HOST_CFLAGS) $^ -latf-c -o $@

ALL_TARGETS += $(B)/tests/unit/acpi_tables_test
CHECK_TARGETS += $(B)/tests/unit/acpi_tables_test
