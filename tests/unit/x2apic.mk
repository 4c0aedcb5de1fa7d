# Host atf-c unit test of the virtual x2APIC's state machine
# (reference/lib/x2apic.c, contract section 11 as spec/events-design.md
# proposes it).
X2APIC_UT_DIR := $(B)/tests/unit/x2apic

$(X2APIC_UT_DIR)/x2apic_test.o: tests/unit/x2apic_test.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ireference/lib -c $< -o $@
$(X2APIC_UT_DIR)/lib/x2apic.o: reference/lib/x2apic.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ireference/lib -c $< -o $@
$(B)/tests/unit/x2apic_test: $(X2APIC_UT_DIR)/x2apic_test.o $(X2APIC_UT_DIR)/lib/x2apic.o
	$(CC) $(HOST_CFLAGS) $^ -latf-c -o $@

ALL_TARGETS += $(B)/tests/unit/x2apic_test
CHECK_TARGETS += $(B)/tests/unit/x2apic_test
