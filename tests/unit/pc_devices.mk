# Host atf-c unit tests of the legacy PC device models of platform=pc
# (contract section 15): the 16550A UART (reference/lib/uart16550.c) and the
# CMOS clock (reference/lib/cmos_rtc.c).
PC_DEV_UT_DIR := $(B)/tests/unit/pc_devices
PC_DEV_UT_TESTS := uart16550 cmos_rtc

$(PC_DEV_UT_DIR)/%_test.o: tests/unit/%_test.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ireference/lib -c $< -o $@
$(PC_DEV_UT_DIR)/lib/%.o: reference/lib/%.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ireference/lib -c $< -o $@
$(PC_DEV_UT_TESTS:%=$(B)/tests/unit/%_test): $(B)/tests/unit/%_test: $(PC_DEV_UT_DIR)/%_test.o $(PC_DEV_UT_DIR)/lib/%.o
	$(CC) $(HOST_CFLAGS) $^ -latf-c -o $@

ALL_TARGETS += $(PC_DEV_UT_TESTS:%=$(B)/tests/unit/%_test)
CHECK_TARGETS += $(PC_DEV_UT_TESTS:%=$(B)/tests/unit/%_test)
