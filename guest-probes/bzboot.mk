# guest-probes/bzboot.mk: the synthetic Linux bzImages (guest-probes/bzboot/)
# and their initrd. The kernel is a static PIE (it runs where the loader put
# it, contract 16); pack.sh puts the setup header's sectors in front of it.
# The outputs keep the .elf name every probe has (spec/loader.lua), though
# they are bzImages and bzboot_initrd.elf plain bytes: a hypervisor tells
# the formats by their content (contract 16, linux.bzimage). Included by
# the top Makefile after guest-probes/build.mk.
#
# Variants: one -D set each over bzboot.h's values, header and kernel
# built from the same sources (the kernel checks against the same values),
# and BZ_PACK_<variant> a rule pack.sh checks the packed image against.
BZ_VARIANTS := bzboot bzboot_align4m bzboot_init_exact
# The initrd modules (a list, so grading/handout/probe_prune.lua can take them out),
# each initrd.S with its own -D set over bzboot.h's size.
BZ_MODULES := bzboot_initrd bzboot_initrd_pages
BZ_FLAGS_bzboot_initrd :=
BZ_FLAGS_bzboot_initrd_pages := -DBZBOOT_INITRD_BYTES=8192
BZ_FLAGS_bzboot :=
BZ_FLAGS_bzboot_align4m := -DBZBOOT_KERNEL_ALIGNMENT=0x400000 -DBZBOOT_MIN_ALIGNMENT=22
# init_size exactly the protected-mode part's bytes (the file after the
# real-mode part, padded to BZBOOT_KERNEL_BYTES); pack.sh fails the build
# if the packed image's init_size is not exactly that.
BZ_FLAGS_bzboot_init_exact := -DBZBOOT_INIT_SIZE=BZBOOT_KERNEL_BYTES
BZ_PACK_bzboot_init_exact := init-size-exact

BZ_DIR := $(GP_DIR)/bzboot
BZ_OBJ := $(GP_OBJ)/bzboot
BZ_CFLAGS := $(filter-out -fno-pic -fno-pie,$(GP_CFLAGS32)) -fpie -fvisibility=hidden -I$(BZ_DIR)
BZ_KERNEL_PARTS := entry.o main.o console.o format.o hv_string.o

# $(1) = variant
define bz_variant_rule
$(BZ_OBJ)/$(1)/entry.o $(BZ_OBJ)/$(1)/setup.o: $(BZ_OBJ)/$(1)/%.o: $(BZ_DIR)/%.S
	@mkdir -p $$(@D)
	$(CC) $(BZ_CFLAGS) $(BZ_FLAGS_$(1)) -c $$< -o $$@
$(BZ_OBJ)/$(1)/main.o: $(BZ_DIR)/main.c
	@mkdir -p $$(@D)
	$(CC) $(BZ_CFLAGS) $(BZ_FLAGS_$(1)) -c $$< -o $$@
$(BZ_OBJ)/$(1)/kernel.elf: $(addprefix $(BZ_OBJ)/$(1)/,entry.o main.o) \
		$(addprefix $(BZ_OBJ)/,console.o format.o hv_string.o) $(BZ_DIR)/link.ld
	$(CC) -m32 -nostdlib -static-pie -Wl,--no-dynamic-linker -Wl,--no-warn-rwx-segments \
	  -Wl,-z,noexecstack -Wl,--build-id=none -T $(BZ_DIR)/link.ld -o $$@ $$(filter %.o,$$^)
$(GP_OUT)/$(1).elf: $(BZ_OBJ)/$(1)/kernel.elf $(BZ_OBJ)/$(1)/setup.o $(BZ_DIR)/pack.sh
	@mkdir -p $$(@D)
	$(BZ_DIR)/pack.sh $(BZ_OBJ)/$(1)/kernel.elf $(BZ_OBJ)/$(1)/setup.o $(BZ_DIR)/bzboot.h $$@ $(BZ_PACK_$(1))
-include $(BZ_OBJ)/$(1)/entry.d $(BZ_OBJ)/$(1)/setup.d $(BZ_OBJ)/$(1)/main.d
endef
$(foreach v,$(BZ_VARIANTS),$(eval $(call bz_variant_rule,$(v))))

# The parts no value of bzboot.h changes, built once.
$(BZ_OBJ)/console.o: $(GP_DIR)/runtime/console.c
	@mkdir -p $(@D)
	$(CC) $(BZ_CFLAGS) -c $< -o $@
$(BZ_OBJ)/format.o $(BZ_OBJ)/hv_string.o: $(BZ_OBJ)/%.o: reference/lib/%.c
	@mkdir -p $(@D)
	$(CC) $(BZ_CFLAGS) -c $< -o $@
# $(1) = initrd module
define bz_module_rule
$(BZ_OBJ)/$(1).o: $(BZ_DIR)/initrd.S
	@mkdir -p $$(@D)
	$(CC) $(BZ_CFLAGS) $(BZ_FLAGS_$(1)) -c $$< -o $$@
$(GP_OUT)/$(1).elf: $(BZ_OBJ)/$(1).o
	@mkdir -p $$(@D)
	objcopy -O binary -j .initrd $$< $$@
-include $(BZ_OBJ)/$(1).d
endef
$(foreach m,$(BZ_MODULES),$(eval $(call bz_module_rule,$(m))))

BZ_TARGETS := $(patsubst %,$(GP_OUT)/%.elf,$(BZ_VARIANTS) $(BZ_MODULES))
GP_TARGETS += $(BZ_TARGETS)
guest-probes: $(BZ_TARGETS)
ALL_TARGETS += $(BZ_TARGETS)
-include $(addprefix $(BZ_OBJ)/,console.d format.d hv_string.d)
