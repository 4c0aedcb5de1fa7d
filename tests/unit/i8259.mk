# Host atf-c unit test of the i8259 state machine (reference/lib/i8259.c,
# contract section 15).
I8259_UT_DIR := $(B)/tests/unit/i8259

$(I8259_UT_DIR)/i8259_test.o: tests/unit/i8259_test.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ireference/lib -c $< -o $@
$(I8259_UT_DIR)/lib/i8259.o: reference/lib/i8259.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ireference/lib -c $< -o $@
$(B)/tests/unit/i8259_test: $(I8259_UT_DIR)/i8259_test.o $(I8259_UT_DIR)/lib/i8259.o
	$(CC) $(HOST_CFLAGS) $^ -latf-c -o $@

ALL_TARGETS += $(B)/tests/unit/i8259_test
CHECK_TARGETS += $(B)/tests/unit/i8259_test
