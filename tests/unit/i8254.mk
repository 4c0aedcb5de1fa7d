# Host atf-c unit test of the i8254 state machine (reference/lib/i8254.c,
# contract section 15).
I8254_UT_DIR := $(B)/tests/unit/i8254

$(I8254_UT_DIR)/i8254_test.o: tests/unit/i8254_test.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ireference/lib -c $< -o $@
$(I8254_UT_DIR)/lib/i8254.o: reference/lib/i8254.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ireference/lib -c $< -o $@
$(B)/tests/unit/i8254_test: $(I8254_UT_DIR)/i8254_test.o $(I8254_UT_DIR)/lib/i8254.o
	$(CC) $(HOST_CFLAGS) $^ -latf-c -o $@

ALL_TARGETS += $(B)/tests/unit/i8254_test
CHECK_TARGETS += $(B)/tests/unit/i8254_test
