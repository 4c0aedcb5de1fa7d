# Host atf-c unit tests of the control-register checks and the decoder of
# MOV to CR, CLTS and LMSW (reference/lib/cr_rules.c, cr_insn.c; contract
# section 13).
CR_UT_DIR := $(B)/tests/unit/cr
CR_UT_TESTS := cr_rules cr_insn

$(CR_UT_DIR)/%_test.o: tests/unit/%_test.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ireference/lib -c $< -o $@
$(CR_UT_DIR)/lib/%.o: reference/lib/%.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ireference/lib -c $< -o $@
$(CR_UT_TESTS:%=$(B)/tests/unit/%_test): $(B)/tests/unit/%_test: $(CR_UT_DIR)/%_test.o $(CR_UT_DIR)/lib/%.o
	$(CC) $(HOST_CFLAGS) $^ -latf-c -o $@

ALL_TARGETS += $(CR_UT_TESTS:%=$(B)/tests/unit/%_test)
CHECK_TARGETS += $(CR_UT_TESTS:%=$(B)/tests/unit/%_test)
