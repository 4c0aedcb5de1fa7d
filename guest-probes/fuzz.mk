# guest-probes/fuzz.mk: the seeded fuzz probe (guest-probes/fuzz/, spec
# area fuzz), built twice from the same sources: fuzz.elf (64-bit runtime,
# 4-level long mode) and fuzz32.elf (32-bit runtime: paging off, 32-bit
# paging, PAE). Included by the top Makefile after guest-probes/build.mk,
# whose variables it uses. Outputs: $(B)/guest-probes/fuzz.elf, fuzz32.elf
FUZZ_SRCS := $(addprefix fuzz/,main.c op_hypercall.c op_pio.c op_msr.c \
  op_cpuid.c op_mmio.c op_touch.c op_cr0.c op_doorbell.c dev_model.c)

$(GP_OUT)/fuzz.elf: $(call gp_objs,64,$(GP_RT64) $(FUZZ_SRCS) fuzz/modes64.c fuzz/exec64.S) $(GP_DIR)/runtime/link64.ld
	@mkdir -p $(@D)
	$(CC) -m64 $(FREE_LDFLAGS) -T $(GP_DIR)/runtime/link64.ld -o $@ $(filter %.o,$^)

$(GP_OUT)/fuzz32.elf: $(call gp_objs,32,$(GP_RT32) $(FUZZ_SRCS) fuzz/modes32.c fuzz/exec32.S) $(GP_DIR)/runtime/link32.ld
	@mkdir -p $(@D)
	$(CC) -m32 $(FREE_LDFLAGS) -T $(GP_DIR)/runtime/link32.ld -o $@ $(filter %.o,$^)

FUZZ_TARGETS := $(GP_OUT)/fuzz.elf $(GP_OUT)/fuzz32.elf
GP_TARGETS += $(FUZZ_TARGETS)
ALL_TARGETS += $(FUZZ_TARGETS)
