# harness/: the conformance harness, by job (harness/README.md): util/,
# spec/, engine/, judge/, run/, report/ and cli/, each with its tests beside
# it. Builds build/tests/conformance (the kyua program of the suite),
# build/bin/hvrun and the tests, which kyua finds under $(B)/harness/<job>/
# at the paths the Kyuafiles name (kyua test --build-root=$(B)).

LUA_CFLAGS := $(shell pkg-config --cflags lua5.4 2>/dev/null || echo -I/usr/include/lua5.4)
LUA_LIBS := $(shell pkg-config --libs lua5.4 2>/dev/null || echo -llua5.4)
ATF_C_LIBS := $(shell pkg-config --libs atf-c 2>/dev/null || echo -latf-c)

HARNESS_DIR := harness
HARNESS_OBJ := $(B)/harness
# Sources name harness headers by job ("engine/engine.h"), shared pieces of
# the reference and firmware by file name.
HARNESS_CFLAGS := $(HOST_CFLAGS) $(LUA_CFLAGS) -I$(HARNESS_DIR) -Ireference/lib -Iromboot \
  -DHVSPEC_ROOT='"$(CURDIR)"' -DHVSPEC_BUILD_DIR='"$(B)"'

# The library shared by the test program, hvrun and the harness's tests.
HARNESS_LIB_SRCS := util/strbuf.c util/fileutil.c util/shell_quote.c util/sha256.c util/layout.c \
  spec/spec_load.c spec/pattern.c spec/case_select.c \
  engine/process.c engine/engine.c engine/engine_bochs.c engine/engine_qemu.c engine/rom.c \
  engine/dirty_ram.c engine/image_check.c engine/gcov_stream.c \
  judge/verdict.c judge/message.c judge/transcript.c judge/judge.c \
  run/boot.c run/disk_image.c run/disk_writeback.c run/run_cache.c run/case_run.c run/case_batch.c run/debug_session.c \
  report/json_out.c report/batch_json.c
HARNESS_LIB := $(HARNESS_OBJ)/libharness.a

$(HARNESS_OBJ)/%.o: $(HARNESS_DIR)/%.c
	@mkdir -p $(@D)
	$(CC) $(HARNESS_CFLAGS) -c -o $@ $<

# Portable pieces of the reference the harness shares (not copies): the ELF
# and Multiboot2 checks the firmware applies to a kernel.
HARNESS_SHARED_SRCS := elf_guest.c mb2_header.c
$(HARNESS_OBJ)/shared/%.o: reference/lib/%.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ireference/lib -c -o $@ $<

$(HARNESS_LIB): $(addprefix $(HARNESS_OBJ)/,$(HARNESS_LIB_SRCS:.c=.o)) \
  $(addprefix $(HARNESS_OBJ)/shared/,$(HARNESS_SHARED_SRCS:.c=.o))
	@rm -f $@
	$(AR) rcs $@ $^

$(B)/tests/conformance: $(HARNESS_OBJ)/cli/conformance.o $(HARNESS_LIB)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ $^ $(LUA_LIBS) $(ATF_C_LIBS)

$(B)/bin/hvrun: $(HARNESS_OBJ)/cli/hvrun.o $(HARNESS_LIB)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ $^ $(LUA_LIBS)

# The atf-c tests: every harness/<job>/*_test.c.
HARNESS_C_TESTS := $(patsubst $(HARNESS_DIR)/%.c,$(B)/harness/%,$(wildcard $(HARNESS_DIR)/*/*_test.c))

# A static pattern rule, so make keeps the objects (no intermediates).
$(HARNESS_C_TESTS): $(B)/harness/%: $(HARNESS_OBJ)/%.o $(HARNESS_LIB)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ $^ $(LUA_LIBS) $(ATF_C_LIBS)

# The atf-sh tests: every harness/<job>/*_test.sh (and harness/*_test.sh,
# which check the folders together), with this tree's paths filled in.
HARNESS_SH_TESTS := $(patsubst $(HARNESS_DIR)/%.sh,$(B)/harness/%,$(wildcard $(HARNESS_DIR)/*_test.sh \
  $(HARNESS_DIR)/*/*_test.sh))
$(HARNESS_SH_TESTS): $(B)/harness/%: $(HARNESS_DIR)/%.sh
	@mkdir -p $(@D)
	sed -e 's|@ROOT@|$(CURDIR)|g' -e 's|@B@|$(abspath $(B))|g' $< >$@
	chmod +x $@

# The tiny kernels the hvrun tests boot: one that hangs, one that reads RAM.
HARNESS_FIXTURE_KERNELS := $(B)/harness/cli/spin_kernel.elf $(B)/harness/cli/ram_probe_kernel.elf
$(B)/harness/cli/%_kernel.elf: $(HARNESS_DIR)/cli/fixtures/%_kernel.asm $(HARNESS_DIR)/fixtures/kernel32.inc
	@mkdir -p $(@D)
	nasm -f bin -I $(HARNESS_DIR)/fixtures/ -o $@ $<
$(B)/harness/cli/runner_test $(B)/harness/cli/run_suite_test: $(HARNESS_FIXTURE_KERNELS)
# The kernel the engine tests boot: it reports the processor an engine plays.
$(B)/harness/engine/%_kernel.elf: $(HARNESS_DIR)/engine/fixtures/%_kernel.asm $(HARNESS_DIR)/fixtures/kernel32.inc
	@mkdir -p $(@D)
	nasm -f bin -I $(HARNESS_DIR)/fixtures/ -o $@ $<
$(B)/harness/engine/engine_boot_test: $(B)/harness/engine/cpu_facts_kernel.elf

ALL_TARGETS += $(B)/tests/conformance $(B)/bin/hvrun $(HARNESS_C_TESTS) $(HARNESS_SH_TESTS)
