# guest-probes/boot_tail.mk: the boot_tail images (guest-probes/boot_tail/),
# whose highest segment ends one byte past a page boundary: boot_tail_file
# (file bytes only) and boot_tail_bss (bss at the end). One main.c, tail.S
# assembled once per image, their own link.ld; each link is followed by
# check_layout.sh, which refuses an image whose end moved. Included by the
# top Makefile after guest-probes/build.mk (its variables and rules).
BT_DIR := $(GP_DIR)/boot_tail
BT_KINDS := file bss
BT_FLAGS_file :=
BT_FLAGS_bss := -DTAIL_BSS
# p_paddr + p_memsz of the tail segment (boot_tail.h): TAIL_BASE + 0x1001,
# and TAIL_BASE + 0x1000 + 0x1001 with the bss.
BT_END_file := 0x201001
BT_END_bss := 0x202001

$(GP_OBJ)/64/boot_tail/tail_%.o: $(BT_DIR)/tail.S
	@mkdir -p $(@D)
	$(CC) $(GP_CFLAGS64) $(BT_FLAGS_$*) -c $< -o $@

$(GP_OUT)/boot_tail_%.elf: $(call gp_objs,64,$(GP_RT64) boot_tail/main.c) \
		$(GP_OBJ)/64/boot_tail/tail_%.o $(BT_DIR)/link.ld $(BT_DIR)/check_layout.sh
	@mkdir -p $(@D)
	$(CC) -m64 $(FREE_LDFLAGS) -T $(BT_DIR)/link.ld -o $@.tmp $(filter %.o,$^)
	$(BT_DIR)/check_layout.sh $@.tmp $(BT_END_$*) $* && mv $@.tmp $@

BT_TARGETS := $(patsubst %,$(GP_OUT)/boot_tail_%.elf,$(BT_KINDS))
GP_TARGETS += $(BT_TARGETS)
guest-probes: $(BT_TARGETS)
ALL_TARGETS += $(BT_TARGETS)
# Built by pattern rules only: keep them, or make deletes and rebuilds them.
.SECONDARY: $(call gp_objs,64,boot_tail/main.c) $(patsubst %,$(GP_OBJ)/64/boot_tail/tail_%.o,$(BT_KINDS))
