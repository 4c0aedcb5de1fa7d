# guest-probes/bzboot.mk: the synthetic Linux bzImage (guest-probes/bzboot/)
# and its initrd. The kernel is a static PIE (it runs where the loader put
# it, contract 16); pack.sh puts the setup header's sectors in front of it.
# The outputs keep the .elf name every probe has (spec/loader.lua), though
# bzboot.elf is a bzImage and bzboot_initrd.elf plain bytes: a hypervisor
# tells the formats by their content (contract 16, linux.bzimage). Included
# by the top Makefile after guest-probes/build.mk.
BZ_DIR := $(GP_DIR)/bzboot
BZ_OBJ := $(GP_OBJ)/bzboot
BZ_CFLAGS := $(filter-out -fno-pic -fno-pie,$(GP_CFLAGS32)) -fpie -fvisibility=hidden -I$(BZ_DIR)
BZ_KERNEL_OBJS := $(addprefix $(BZ_OBJ)/,entry.o main.o console.o format.o hv_string.o)

$(BZ_OBJ)/entry.o $(BZ_OBJ)/setup.o $(BZ_OBJ)/initrd.o: $(BZ_OBJ)/%.o: $(BZ_DIR)/%.S
	@mkdir -p $(@D)
	$(CC) $(BZ_CFLAGS) -c $< -o $@
$(BZ_OBJ)/main.o: $(BZ_DIR)/main.c
	@mkdir -p $(@D)
	$(CC) $(BZ_CFLAGS) -c $< -o $@
$(BZ_OBJ)/console.o: $(GP_DIR)/runtime/console.c
	@mkdir -p $(@D)
	$(CC) $(BZ_CFLAGS) -c $< -o $@
$(BZ_OBJ)/format.o $(BZ_OBJ)/hv_string.o: $(BZ_OBJ)/%.o: reference/lib/%.c
	@mkdir -p $(@D)
	$(CC) $(BZ_CFLAGS) -c $< -o $@

$(BZ_OBJ)/kernel.elf: $(BZ_KERNEL_OBJS) $(BZ_DIR)/link.ld
	$(CC) -m32 -nostdlib -static-pie -Wl,--no-dynamic-linker -Wl,--no-warn-rwx-segments -Wl,-z,noexecstack \
	  -Wl,--build-id=none -T $(BZ_DIR)/link.ld -o $@ $(BZ_KERNEL_OBJS)

$(GP_OUT)/bzboot.elf: $(BZ_OBJ)/kernel.elf $(BZ_OBJ)/setup.o $(BZ_DIR)/bzboot.h $(BZ_DIR)/pack.sh
	@mkdir -p $(@D)
	$(BZ_DIR)/pack.sh $(BZ_OBJ)/kernel.elf $(BZ_OBJ)/setup.o $(BZ_DIR)/bzboot.h $@

$(GP_OUT)/bzboot_initrd.elf: $(BZ_OBJ)/initrd.o
	@mkdir -p $(@D)
	objcopy -O binary -j .initrd $< $@

BZ_TARGETS := $(GP_OUT)/bzboot.elf $(GP_OUT)/bzboot_initrd.elf
GP_TARGETS += $(BZ_TARGETS)
guest-probes: $(BZ_TARGETS)
ALL_TARGETS += $(BZ_TARGETS)
-include $(BZ_KERNEL_OBJS:.o=.d) $(BZ_OBJ)/setup.d $(BZ_OBJ)/initrd.d
