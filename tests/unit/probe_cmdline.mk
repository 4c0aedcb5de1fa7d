# Host atf-c unit test of guest-probes/runtime/cmdline.c, the probes'
# `key=value` command-line reader (freestanding, so it builds on the host
# as it is).
PROBE_CMDLINE_UT_DIR := $(B)/tests/unit/probe_cmdline

$(PROBE_CMDLINE_UT_DIR)/cmdline.o: guest-probes/runtime/cmdline.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Iguest-probes/runtime -c $< -o $@
$(PROBE_CMDLINE_UT_DIR)/probe_cmdline_test.o: tests/unit/probe_cmdline_test.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Iguest-probes/runtime -c $< -o $@
$(B)/tests/unit/probe_cmdline_test: $(PROBE_CMDLINE_UT_DIR)/probe_cmdline_test.o $(PROBE_CMDLINE_UT_DIR)/cmdline.o
	$(CC) $(HOST_CFLAGS) $^ -latf-c -o $@

ALL_TARGETS += $(B)/tests/unit/probe_cmdline_test
CHECK_TARGETS += $(B)/tests/unit/probe_cmdline_test
