# romboot/: the suite's fast boot path (a 64 KiB firmware loader and the
# host tool that packs it with a kernel and a module into one ROM).
LOADER_CFLAGS := $(filter-out -m64 -mcmodel=small -mno-red-zone,$(FREE_CFLAGS)) \
  -m32 -march=i686 -Ireference/lib -Iromboot
LOADER_OBJS := $(B)/romboot/reset.o $(B)/romboot/loader.o $(B)/romboot/ata_pio.o \
  $(B)/romboot/lib/elf_guest.o $(B)/romboot/lib/mb2_build.o $(B)/romboot/lib/hv_string.o \
  $(B)/romboot/lib/mb2_header.o $(B)/romboot/lib/uart.o $(B)/romboot/lib/power_off.o

$(B)/romboot/%.o: romboot/%.S
	@mkdir -p $(@D)
	$(CC) $(LOADER_CFLAGS) -c $< -o $@
$(B)/romboot/%.o: romboot/%.c
	@mkdir -p $(@D)
	$(CC) $(LOADER_CFLAGS) -c $< -o $@
$(B)/romboot/lib/%.o: reference/lib/%.c
	@mkdir -p $(@D)
	$(CC) $(LOADER_CFLAGS) -c $< -o $@

$(B)/romboot/loader.elf: $(LOADER_OBJS) romboot/loader.ld
	$(CC) -m32 $(FREE_LDFLAGS) -T romboot/loader.ld $(LOADER_OBJS) -o $@
$(B)/romboot/loader.bin: $(B)/romboot/loader.elf
	$(OBJCOPY) -O binary -j .text -j .start16 -j .reset $< $@
	@test $$(stat -c %s $@) -eq 65536 || { echo "loader.bin is not 64 KiB" >&2; rm -f $@; exit 1; }

$(B)/bin/mkrom: romboot/mkrom.c romboot/rom_format.h
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Iromboot $< -o $@

ALL_TARGETS += $(B)/romboot/loader.bin $(B)/bin/mkrom
