# guest-probes/: the probe runtime, one folder per probe, and the hand-made
# ELF images the boot-refusal cases load. Outputs: $(B)/guest-probes/<name>.elf
GP_DIR := guest-probes
GP_OUT := $(B)/guest-probes
GP_OBJ := $(B)/guest-probes/obj

# -fno-tree-loop-distribute-patterns: GCC would otherwise turn the runtime's
# own memset/memcpy loops into calls to memset/memcpy.
# Include path: the runtime, then the code shared with the hypervisor, the
# firmware and the harness (reference/lib; its facts in reference/lib/abi/).
GP_INCLUDES := -I$(GP_DIR)/runtime -Ireference/lib
GP_CFLAGS64 := $(FREE_CFLAGS) -fno-tree-loop-distribute-patterns $(GP_INCLUDES)
# The 32-bit runtime: same rules, i386 code, no 64-bit code model.
GP_CFLAGS32 := $(filter-out -m64 -mcmodel=small -mno-red-zone,$(FREE_CFLAGS)) \
  -m32 -fno-tree-loop-distribute-patterns $(GP_INCLUDES)

# lib/NAME: reference/lib/NAME, compiled into the runtime (shared, not copied).
GP_RT_COMMON := lib/mb2_image_header.S boot_facts.S runtime.c idt.c fault.c \
  console.c cmdline.c lib/format.c lib/hv_string.c lib/mb2_info.c
GP_RT64 := $(addprefix runtime/,$(GP_RT_COMMON) entry64.S isr64.S paging64.c)
GP_RT32 := $(addprefix runtime/,$(GP_RT_COMMON) entry32.S isr32.S)

GP_PROBES64 := boot_state hc_halt hc_print hc_unknown hc_preserve \
  hc_print_errors pio_print pio_dx_port pio_imm8_port pio_mem pio_other \
  cpuid_leaves msr triple_fault vm_exits boot_segments irq_timer exc_pf cr_regs disk_virtio disk_hc \
  pc_uart pc_cmos pc_acpi pc_pic
GP_PROBES32 := gp_modes32 cr_modes32 disk_modes32 addr16_modes32 stackseg_modes32 code16_modes32 softint32

gp_objs = $(patsubst %,$(GP_OBJ)/$(1)/%.o,$(basename $(2)))
gp_probe_srcs = $(patsubst $(GP_DIR)/%,%,$(wildcard $(GP_DIR)/$(1)/*.c $(GP_DIR)/$(1)/*.S))
# Objects are named by the source's name without its suffix, so x.c and x.S
# in one probe would build one x.o and lose the other: refused by name.
gp_dup_stems = $(strip $(foreach s,$(sort $(basename $(1))),$(if $(word 2,$(filter $(s),$(basename $(1)))),$(s))))
$(foreach p,$(GP_PROBES64) $(GP_PROBES32),$(if $(call gp_dup_stems,$(call gp_probe_srcs,$(p))),\
  $(error guest-probes/$(p): $(foreach s,$(call gp_dup_stems,$(call gp_probe_srcs,$(p))),$(s).c and $(s).S) \
  would build one object file: rename one of each pair)))

$(GP_OBJ)/64/%.o: $(GP_DIR)/%.c
	@mkdir -p $(@D)
	$(CC) $(GP_CFLAGS64) -c $< -o $@
$(GP_OBJ)/64/%.o: $(GP_DIR)/%.S
	@mkdir -p $(@D)
	$(CC) $(GP_CFLAGS64) -c $< -o $@
$(GP_OBJ)/32/%.o: $(GP_DIR)/%.c
	@mkdir -p $(@D)
	$(CC) $(GP_CFLAGS32) -c $< -o $@
$(GP_OBJ)/32/%.o: $(GP_DIR)/%.S
	@mkdir -p $(@D)
	$(CC) $(GP_CFLAGS32) -c $< -o $@
$(GP_OBJ)/64/runtime/lib/%.o: reference/lib/%.c
	@mkdir -p $(@D)
	$(CC) $(GP_CFLAGS64) -c $< -o $@
$(GP_OBJ)/32/runtime/lib/%.o: reference/lib/%.c
	@mkdir -p $(@D)
	$(CC) $(GP_CFLAGS32) -c $< -o $@
$(GP_OBJ)/64/runtime/lib/%.o: reference/lib/%.S
	@mkdir -p $(@D)
	$(CC) $(GP_CFLAGS64) -c $< -o $@
$(GP_OBJ)/32/runtime/lib/%.o: reference/lib/%.S
	@mkdir -p $(@D)
	$(CC) $(GP_CFLAGS32) -c $< -o $@

# $(1) = probe name, $(2) = 64 or 32
define gp_probe_rule
$(GP_OUT)/$(1).elf: $(call gp_objs,$(2),$(GP_RT$(2)) $(call gp_probe_srcs,$(1))) $(GP_DIR)/runtime/link$(2).ld
	@mkdir -p $$(@D)
	$(CC) $$(if $$(filter 32,$(2)),-m32,-m64) $(FREE_LDFLAGS) -T $(GP_DIR)/runtime/link$(2).ld -o $$@ $$(filter %.o,$$^)
endef
$(foreach p,$(GP_PROBES64),$(eval $(call gp_probe_rule,$(p),64)))
$(foreach p,$(GP_PROBES32),$(eval $(call gp_probe_rule,$(p),32)))

# Hand-made images for the boot cases (guest-probes/elf_images/): one nasm
# source, one -D set per defect; good_elf64/good_elf32 are the controls.
GP_IMG_SRC := $(GP_DIR)/elf_images/elf_image.asm
GP_IMG_FLAGS_good_elf64 :=
GP_IMG_FLAGS_good_elf32 := -DELF32
GP_IMG_FLAGS_bad_magic := -DMAGIC0=0x7e
GP_IMG_FLAGS_bad_class := -DCLASS=3
GP_IMG_FLAGS_bad_machine := -DMACHINE=40
GP_IMG_FLAGS_bad_endian := -DDATA=2
GP_IMG_FLAGS_bad_type := -DTYPE=3
GP_IMG_FLAGS_bad_phentsize := -DPHENTSIZE=40
GP_IMG_FLAGS_bad_phoff := -DPHOFF=0x100000
GP_IMG_FLAGS_bad_segment_outside_ram := -DEXTRA_PADDR=0x40000000
GP_IMG_FLAGS_bad_segment_straddle := -DEXTRA_PADDR=0x3fff000 -DEXTRA_MEMSZ=0x2000
GP_IMG_FLAGS_bad_filesz := -DEXTRA_PADDR=0x200000 -DEXTRA_OFFSET=0 -DEXTRA_FILESZ=0x40 -DEXTRA_MEMSZ=0x20
GP_IMG_FLAGS_bad_file_bytes := -DEXTRA_PADDR=0x200000 -DEXTRA_OFFSET=0x100000 -DEXTRA_FILESZ=0x100
GP_IMG_FLAGS_bad_segment_window := -DEXTRA_PADDR=0xcafe0000
GP_IMG_FLAGS_bad_segment_window_tail := -DEXTRA_PADDR=0xcafdf800 -DEXTRA_MEMSZ=0x1000
GP_IMG_FLAGS_bad_entry := -DENTRY_OFFSET=0x200000
GP_IMG_FLAGS_bad_entry_end := -DENTRY_AT_END
GP_IMG_FLAGS_bad_no_room := -DEXTRA_PADDR=0x200000 -DEXTRA_MEMSZ=0x3e00000
GP_IMG_FLAGS_good_fills_ram := -DEXTRA_PADDR=0x200000 -DEXTRA_MEMSZ=0x3dff000
# Half a bzImage signature (contract 16): the 0xaa of boot_flag and "HdrS"
# without its 0x55, then boot_flag 0xaa55 without "HdrS". Both are ELF guests.
GP_IMG_FLAGS_elf_half_bz_flag := -DBZ_FLAG=0xaa00 -DBZ_MAGIC="'HdrS'"
GP_IMG_FLAGS_elf_bz_flag_no_hdrs := -DBZ_FLAG=0xaa55 -DBZ_MAGIC="'HdrT'"
GP_IMAGES := good_elf64 good_elf32 good_fills_ram elf_half_bz_flag \
  elf_bz_flag_no_hdrs bad_magic bad_class \
  bad_machine bad_endian bad_type bad_phentsize bad_phoff \
  bad_segment_outside_ram bad_segment_straddle bad_filesz bad_file_bytes \
  bad_segment_window bad_segment_window_tail bad_entry bad_entry_end \
  bad_no_room

$(patsubst %,$(GP_OUT)/%.elf,$(GP_IMAGES)): $(GP_OUT)/%.elf: $(GP_IMG_SRC) $(GP_DIR)/build.mk
	@mkdir -p $(@D)
	nasm -f bin $(GP_IMG_FLAGS_$*) -o $@ $<

$(GP_OUT)/bad_notelf.elf: $(GP_DIR)/build.mk
	@mkdir -p $(@D)
	printf 'this is a text file, not an ELF image\n' > $@

# The first 20 bytes of a valid image: magic and class intact, header cut.
$(GP_OUT)/bad_truncated.elf: $(GP_OUT)/good_elf64.elf
	head -c 20 $< > $@

GP_TARGETS := $(patsubst %,$(GP_OUT)/%.elf,$(GP_PROBES64) $(GP_PROBES32) \
  $(GP_IMAGES) bad_notelf bad_truncated)
.PHONY: guest-probes
guest-probes: $(GP_TARGETS)
ALL_TARGETS += $(GP_TARGETS)
