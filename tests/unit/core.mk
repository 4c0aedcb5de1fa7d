# Host atf-c unit tests of the hypervisor's portable core pieces: its own
# command line, the Multiboot2 information builder, the formatter, the
# VM-exit table, the stage-2 paging module (EPT format: ept_test; NPT format: stage2_npt_test)
# and the disk's backing store (disk_test).
CORE_UT_DIR := $(B)/tests/unit/core
CORE_UT_TESTS := hv_options mb2_build format exit_table ept stage2_npt disk
CORE_UT_PROGS := $(CORE_UT_TESTS:%=$(B)/tests/unit/%_test)
CORE_UT_SRCS_hv_options := reference/core/hv_options.c
CORE_UT_SRCS_mb2_build := reference/lib/mb2_build.c
CORE_UT_SRCS_format := reference/lib/format.c
CORE_UT_SRCS_exit_table := reference/vmx/exit_table.c
CORE_UT_SRCS_ept := reference/lib/stage2.c
CORE_UT_SRCS_stage2_npt := reference/lib/stage2.c
CORE_UT_SRCS_disk := reference/core/disk.c
# Test helpers (tests/unit/NAME.c) a program links besides its own file.
CORE_UT_HELPERS_ept := stage2_fake_host
CORE_UT_HELPERS_stage2_npt := stage2_fake_host
CORE_UT_INCLUDES := -Ireference/core -Ireference/vmx -Ireference/lib

ALL_TARGETS += $(CORE_UT_PROGS)
CHECK_TARGETS += $(CORE_UT_PROGS)

$(CORE_UT_DIR)/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(CORE_UT_INCLUDES) -c $< -o $@
$(CORE_UT_DIR)/src/%.o: reference/%.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(CORE_UT_INCLUDES) -c $< -o $@

define CORE_UT_RULE
$(B)/tests/unit/$(1)_test: $(CORE_UT_DIR)/$(1)_test.o $(patsubst reference/%.c,$(CORE_UT_DIR)/src/%.o,$(CORE_UT_SRCS_$(1))) \
  $(CORE_UT_HELPERS_$(1):%=$(CORE_UT_DIR)/%.o)
	@mkdir -p $$(@D)
	$$(CC) $$(HOST_CFLAGS) $$^ -o $$@ -latf-c
endef
$(foreach t,$(CORE_UT_TESTS),$(eval $(call CORE_UT_RULE,$(t))))
