# Host unit test of reference/lib/hv_string.c, the string functions of the
# freestanding code. It is compiled as the hypervisor compiles it
# (-ffreestanding -fno-builtin), then its symbols get an hv_test_ prefix so
# the test program and libc keep their own memcpy; gcov keys its counters by
# the names in the source, so coverage still maps to memcpy, memmove, ...
HV_STRING_UT_DIR := $(B)/tests/unit/hv_string
HV_STRING_UT_FUNCS := memcpy memset memmove memcmp strlen

$(HV_STRING_UT_DIR)/hv_string_compiled.o: reference/lib/hv_string.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -ffreestanding -fno-builtin -Ireference/lib -c $< -o $@
$(HV_STRING_UT_DIR)/hv_string.o: $(HV_STRING_UT_DIR)/hv_string_compiled.o
	$(OBJCOPY) $(foreach f,$(HV_STRING_UT_FUNCS),--redefine-sym $(f)=hv_test_$(f)) $< $@
$(HV_STRING_UT_DIR)/hv_string_test.o: tests/unit/hv_string_test.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -c $< -o $@
$(B)/tests/unit/hv_string_test: $(HV_STRING_UT_DIR)/hv_string_test.o $(HV_STRING_UT_DIR)/hv_string.o
	$(CC) $(HOST_CFLAGS) $^ -latf-c -o $@

ALL_TARGETS += $(B)/tests/unit/hv_string_test
CHECK_TARGETS += $(B)/tests/unit/hv_string_test
