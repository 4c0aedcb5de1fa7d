# reference/: the hypervisor (freestanding x86-64 Multiboot2 kernel).
# Each layer sees only what it may depend on, so the build enforces the
# direction core <- vendor layer (reference/core/arch.h; core/check_layers.sh):
# core/ sees core, lib and cov; a vendor layer (vmx/, svm/) sees core, lib
# and itself; lib/ sees only itself (below).
# A vendor layer is a folder with its <name>_arch.c (the const struct
# arch_ops <name>_arch); every one present is compiled and linked, and
# core/arch.c chooses at boot. Until svm_arch.c exists, reference/svm/ is
# work in progress and stays out of the image.
HV_VENDOR_DIRS ?= $(patsubst reference/%/,%,$(dir $(wildcard reference/*/*_arch.c)))
HV_DIRS := boot core $(HV_VENDOR_DIRS) lib
HV_INCLUDES := -Ireference/core -Ireference/lib -Ireference/cov
HV_INCLUDES_boot := -Ireference/lib
HV_INCLUDES_core := $(HV_INCLUDES)
HV_INCLUDES_vmx := -Ireference/core -Ireference/lib -Ireference/vmx
HV_INCLUDES_svm := -Ireference/core -Ireference/lib -Ireference/svm
HV_LIB_SRCS := elf_guest.c virtqueue.c guest_paging.c io_exit.c io_queue.c hypercall.c stage2.c mb2_build.c hv_string.c mmio_decode.c \
  format.c uart.c uart16550.c cmos_rtc.c power_off.c mb2_info.c x2apic.c i8259.c i8254.c cr_rules.c cr_insn.c bzimage.c boot_params.c acpi_tables.c \
  mb2_image_header.S
# Sources compiled (so they keep building) but not linked (no dead code in
# the image or against its coverage): none at the moment.
HV_UNLINKED :=
HV_SRCS := $(filter-out $(HV_UNLINKED),$(wildcard reference/boot/*.S reference/core/*.c reference/core/*.S \
  $(foreach d,$(HV_VENDOR_DIRS),reference/$(d)/*.c reference/$(d)/*.S))) \
  $(addprefix reference/lib/,$(HV_LIB_SRCS))
ifneq ($(HV_COVERAGE),1)
ALL_TARGETS += $(patsubst reference/%,$(B)/reference/%.o,$(HV_UNLINKED))
endif
HV_OBJS := $(patsubst reference/%,$(B)/reference/%.o,$(HV_SRCS))

# make HV_COVERAGE=1 (use its own B): every object counts its arcs, and the
# end of each VM streams the counters (reference/cov/, ci/coverage.sh).
ifeq ($(HV_COVERAGE),1)
HV_COV_CFLAGS := -fprofile-arcs -ftest-coverage -fprofile-info-section -DHV_COVERAGE
HV_LIBGCOV := $(shell $(CC) -print-file-name=libgcov.a)
HV_OBJS += $(B)/reference/cov/coverage_dump.o $(B)/reference/cov/_gcov_info_to_gcda.o
# The counters' sections join the one identity-mapped image.
HV_COV_LDFLAGS := -Wl,--no-warn-rwx-segments
$(B)/reference/cov/coverage_dump.o: reference/cov/coverage_dump.c
	@mkdir -p $(@D)
	$(CC) $(FREE_CFLAGS) $(HV_INCLUDES) -DHV_COVERAGE -c $< -o $@
# The one libgcov object that turns counters into .gcda bytes.
$(B)/reference/cov/_gcov_info_to_gcda.o: $(HV_LIBGCOV)
	@mkdir -p $(@D)
	cd $(@D) && ar x $(HV_LIBGCOV) _gcov_info_to_gcda.o
endif

# $(1): a layer folder of reference/ other than lib/.
define HV_LAYER_RULES
$$(B)/reference/$(1)/%.c.o: reference/$(1)/%.c
	@mkdir -p $$(@D)
	$$(CC) $$(FREE_CFLAGS) $$(HV_COV_CFLAGS) $$(HV_INCLUDES_$(1)) -c $$< -o $$@
$$(B)/reference/$(1)/%.S.o: reference/$(1)/%.S
	@mkdir -p $$(@D)
	$$(CC) $$(FREE_CFLAGS) $$(HV_INCLUDES_$(1)) -c $$< -o $$@
endef
$(foreach d,boot core $(HV_VENDOR_DIRS),$(eval $(call HV_LAYER_RULES,$(d))))
# reference/lib/ is shared with the probes, the firmware and the harness: it
# is compiled seeing only itself, so it cannot come to depend on core/ or
# a vendor layer.
$(B)/reference/lib/%.c.o: reference/lib/%.c
	@mkdir -p $(@D)
	$(CC) $(FREE_CFLAGS) $(HV_COV_CFLAGS) -Ireference/lib -c $< -o $@
$(B)/reference/lib/%.S.o: reference/lib/%.S
	@mkdir -p $(@D)
	$(CC) $(FREE_CFLAGS) -Ireference/lib -c $< -o $@

# hvspec.sym.elf keeps debug information; hvspec.elf is what gets booted.
$(B)/reference/hvspec.sym.elf: $(HV_OBJS) reference/boot/hv.ld
	$(CC) $(FREE_LDFLAGS) $(HV_COV_LDFLAGS) -T reference/boot/hv.ld $(HV_OBJS) -o $@
$(B)/reference/hvspec.elf: $(B)/reference/hvspec.sym.elf
	$(OBJCOPY) --strip-debug $< $@

ALL_TARGETS += $(B)/reference/hvspec.elf

# The shared-code rule, checked on every build: no fact or helper of
# reference/lib/ is defined again in another component (check_shared.sh).
SHARED_CHECK_SRCS := $(shell find reference guest-probes romboot harness -type f \
  \( -name '*.c' -o -name '*.h' -o -name '*.S' \) 2>/dev/null)
$(B)/reference/lib/shared.checked: reference/lib/check_shared.sh $(SHARED_CHECK_SRCS)
	@mkdir -p $(@D)
	@bash reference/lib/check_shared.sh .
	@touch $@
ALL_TARGETS += $(B)/reference/lib/shared.checked

# The layering rule, checked on every build: core/ and lib/ include no
# vendor header and execute no vendor instruction (check_layers.sh).
LAYER_CHECK_SRCS := $(shell find reference/core reference/lib reference/vmx reference/svm -type f \
  \( -name '*.c' -o -name '*.h' -o -name '*.S' \) 2>/dev/null)
$(B)/reference/core/layers.checked: reference/core/check_layers.sh $(LAYER_CHECK_SRCS)
	@mkdir -p $(@D)
	@bash reference/core/check_layers.sh .
	@touch $@
ALL_TARGETS += $(B)/reference/core/layers.checked
