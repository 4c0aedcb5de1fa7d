# Host atf-c unit test of reference/lib/bzimage.c, the Linux bzImage setup
# header parser (issue 15): hand-made headers, and the real Debian kernel:
# the build's Linux guest (<build>/linux/bzImage, make linux-guest), else
# one in /boot (the case SKIPs without either; HVSPEC_BZIMAGE=<file> points
# it at another bzImage).
BZIMAGE_UT_DIR := $(B)/tests/unit/bzimage

$(BZIMAGE_UT_DIR)/%.o: reference/lib/%.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ireference/lib -c $< -o $@
$(BZIMAGE_UT_DIR)/bzimage_test.o: tests/unit/bzimage_test.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ireference/lib -c $< -o $@
$(B)/tests/unit/bzimage_test: $(BZIMAGE_UT_DIR)/bzimage_test.o $(BZIMAGE_UT_DIR)/bzimage.o
	$(CC) $(HOST_CFLAGS) $^ -latf-c -o $@

ALL_TARGETS += $(B)/tests/unit/bzimage_test
CHECK_TARGETS += $(B)/tests/unit/bzimage_test

# The zero page and e820 builder (reference/lib/boot_params.c) that uses it.
$(BZIMAGE_UT_DIR)/boot_params_test.o: tests/unit/boot_params_test.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ireference/lib -c $< -o $@
$(B)/tests/unit/boot_params_test: $(BZIMAGE_UT_DIR)/boot_params_test.o $(BZIMAGE_UT_DIR)/boot_params.o \
  $(BZIMAGE_UT_DIR)/hv_string.o
	$(CC) $(HOST_CFLAGS) $^ -latf-c -o $@

ALL_TARGETS += $(B)/tests/unit/boot_params_test
CHECK_TARGETS += $(B)/tests/unit/boot_params_test
