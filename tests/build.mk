# tests/: the conformance harness (build/tests/conformance, build/bin/hvrun),
# its host unit tests, the unit-test fragments of tests/unit/, and the case
# catalogue. Kyua finds the programs under $(B) at the paths the Kyuafiles
# name (kyua test --build-root=$(B)).

LUA_CFLAGS := $(shell pkg-config --cflags lua5.4 2>/dev/null || echo -I/usr/include/lua5.4)
LUA_LIBS := $(shell pkg-config --libs lua5.4 2>/dev/null || echo -llua5.4)
ATF_C_LIBS := $(shell pkg-config --libs atf-c 2>/dev/null || echo -latf-c)

HARNESS_DIR := tests/harness
HARNESS_OBJ := $(B)/tests/harness
HARNESS_CFLAGS := $(HOST_CFLAGS) $(LUA_CFLAGS) -I$(HARNESS_DIR) -Ireference/lib -Iromboot \
  -DHVSPEC_ROOT='"$(CURDIR)"' -DHVSPEC_BUILD_DIR='"$(B)"'

# The library shared by the test program, hvrun and the harness unit tests.
HARNESS_LIB_SRCS := strbuf.c fileutil.c shell_quote.c layout.c spec_load.c pattern.c \
  transcript.c judge.c process.c engine.c engine_bochs.c engine_qemu.c rom.c boot.c \
  run_cache.c case_run.c sha256.c json_out.c case_batch.c batch_json.c case_select.c \
  image_check.c debug_session.c gcov_stream.c dirty_ram.c
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

$(B)/tests/conformance: $(HARNESS_OBJ)/conformance.o $(HARNESS_LIB)
	@mkdir -p $(@D)
	$(CC) -o $@ $^ $(LUA_LIBS) $(ATF_C_LIBS)

$(B)/bin/hvrun: $(HARNESS_OBJ)/hvrun.o $(HARNESS_LIB)
	@mkdir -p $(@D)
	$(CC) -o $@ $^ $(LUA_LIBS)

HARNESS_TESTS := $(addprefix $(B)/tests/harness/,judge_test spec_load_test engine_test sha256_test gcov_stream_test)

# A static pattern rule, so make keeps the objects (no intermediates).
$(HARNESS_TESTS): $(B)/tests/harness/%: $(HARNESS_OBJ)/%.o $(HARNESS_LIB)
	@mkdir -p $(@D)
	$(CC) -o $@ $^ $(LUA_LIBS) $(ATF_C_LIBS)

# The catalogue of every case, from the same loader the harness uses, and
# the traceability matrix beside it (traceability.md/.html: which cases judge
# which spec/contract.md statement); a malformed table, a case without
# 'judges' or naming an unknown statement stops the build here with its
# file:line. Statement coverage is checked by tests/harness/traceability_test.
SPEC_FILES := $(wildcard spec/*.lua)
$(B)/spec/catalogue.md: ci/catalogue ci/traceability.lua spec/contract.md $(SPEC_FILES) $(MAKEFILE_LIST)
	@mkdir -p $(@D)
	lua5.4 ci/catalogue spec $@ --probes "$(PROBE_NAMES)" --contract spec/contract.md $(notdir $(SPEC_FILES))

.PHONY: catalogue
catalogue: $(B)/spec/catalogue.md

ALL_TARGETS += $(B)/tests/conformance $(B)/bin/hvrun $(HARNESS_TESTS) $(B)/spec/catalogue.md

# Unit tests of portable code: each fragment builds its *_test programs into
# $(B)/tests/unit/ and appends them to ALL_TARGETS / CHECK_TARGETS.
include $(wildcard tests/unit/*.mk)

# The GRUB ISO boot test.
include tests/iso/build.mk

# Legal variants of the reference must pass the suite (tests/variants/).
# (A student handout ships without tests/variants: -include.)
-include tests/variants/build.mk

# The harness's atf-sh test programs: each script with this tree's paths
# filled in. The runner test boots a hypervisor that hangs.
HARNESS_SH_TESTS := $(addprefix $(B)/tests/harness/,runner_test run_suite_test catalogue_test traceability_test)
$(HARNESS_SH_TESTS): $(B)/tests/harness/%: tests/harness/%.sh
	@mkdir -p $(@D)
	sed -e 's|@ROOT@|$(CURDIR)|g' -e 's|@B@|$(abspath $(B))|g' $< >$@
	chmod +x $@
$(B)/tests/harness/runner_test: $(B)/tests/harness/spin_kernel.elf \
  $(B)/tests/harness/ram_probe_kernel.elf
$(B)/tests/harness/%_kernel.elf: tests/harness/fixtures/%_kernel.asm
	@mkdir -p $(@D)
	nasm -f bin -o $@ $<
ALL_TARGETS += $(HARNESS_SH_TESTS)

# The reference's own tests (tests/reference/).
$(B)/tests/reference/reference_test: tests/reference/reference_test.sh
	@mkdir -p $(@D)
	sed -e 's|@ROOT@|$(CURDIR)|g' -e 's|@B@|$(abspath $(B))|g' $< >$@
	chmod +x $@
ALL_TARGETS += $(B)/tests/reference/reference_test
