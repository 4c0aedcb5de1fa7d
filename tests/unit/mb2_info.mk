# Host unit test of reference/lib/mb2_info.c, the Multiboot2 information
# reader the hypervisor and the probes share (its refusals of malformed
# structures are reached by no probe: the firmware never builds one).
MB2_INFO_UT_DIR := $(B)/tests/unit/mb2_info
MB2_INFO_UT_SRCS := reference/lib/mb2_info.c reference/lib/mb2_build.c

$(MB2_INFO_UT_DIR)/%.o: reference/lib/%.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ireference/lib -c $< -o $@
$(MB2_INFO_UT_DIR)/mb2_info_test.o: tests/unit/mb2_info_test.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ireference/lib -c $< -o $@
$(B)/tests/unit/mb2_info_test: $(MB2_INFO_UT_DIR)/mb2_info_test.o $(patsubst reference/lib/%.c,$(MB2_INFO_UT_DIR)/%.o,$(MB2_INFO_UT_SRCS))
	$(CC) $(HOST_CFLAGS) $^ -latf-c -o $@

ALL_TARGETS += $(B)/tests/unit/mb2_info_test
CHECK_TARGETS += $(B)/tests/unit/mb2_info_test
