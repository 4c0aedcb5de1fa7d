# hvspec top-level build. Each folder owns a build.mk fragment; this file only
# holds the shared toolchain settings and the user-facing targets.
.DEFAULT_GOAL := all
SHELL := /bin/bash
B := build

CC := gcc
LD := ld
OBJCOPY := objcopy

# Host programs (harness, tools, unit tests).
HOST_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -O2 -g -MMD -MP
HOST_CFLAGS += $(if $(filter 1,$(HOST_COVERAGE)),--coverage)

# Freestanding x86-64 code (hypervisor, guest probes): no host libc, no SSE,
# no red zone (interrupt and VM-exit stacks), static non-PIC images.
FREE_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -O2 -g -MMD -MP \
  -ffreestanding -fno-builtin -fno-stack-protector -fno-pic -fno-pie \
  -mno-red-zone -mgeneral-regs-only -fno-asynchronous-unwind-tables \
  -fcf-protection=none -m64 -mcmodel=small
FREE_LDFLAGS := -nostdlib -static -no-pie -Wl,-z,max-page-size=0x1000 -Wl,-z,noexecstack -Wl,--build-id=none

ALL_TARGETS :=
CHECK_TARGETS :=

include reference/build.mk
include romboot/build.mk
-include guest-probes/build.mk
include $(filter-out guest-probes/build.mk,$(wildcard guest-probes/*.mk))
include harness/build.mk
-include tests/build.mk
include grading/build.mk

# Every probe the build makes (guest-probes/*.mk), by name.
PROBE_NAMES = $(sort $(basename $(notdir $(GP_TARGETS) $(MV_TARGETS))))

.PHONY: all deps run check iso probes catalogue debug coverage linux linux-guest linux-guest-if-possible clean
all: $(ALL_TARGETS)

# Installs the Debian packages the project needs (as root), or prints the
# apt-get command to run.
deps:
	@bash ci/install-deps.sh

# make run [KERNEL=their.elf] [ENGINE=bochs|bochs-amd|qemu|qemu-kvm] [CASES="id-or-pattern ..."]
#          [RUN_TIMEOUT=seconds]: the conformance suite, against the reference
# or the image given.
SUITE_SETTINGS = KERNEL="$(KERNEL)" ENGINE="$(ENGINE)" CASES="$(CASES)" RUN_TIMEOUT="$(RUN_TIMEOUT)" \
  $(if $(KEEP_RUNS),KEEP_RUNS="$(KEEP_RUNS)")

run: deps
	@$(MAKE) --no-print-directory all
	@$(SUITE_SETTINGS) bash ci/run-suite.sh conformance

# make check: every test program (the conformance suite under ENGINE, Bochs
# and the VMX layer by default), then, for the reference, the conformance
# suite again under QEMU TCG, which runs its SVM layer. Both passes always
# run; the first failure's status is the result.
check: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory linux-guest-if-possible
	@rc=0; $(SUITE_SETTINGS) bash ci/run-suite.sh all || rc=$$?; \
	if [ -z "$(KERNEL)" ] && [ "$(ENGINE)" != qemu ]; then \
	  echo "== the conformance suite under qemu (QEMU TCG: the reference's SVM layer) =="; \
	  ENGINE=qemu RUN_TIMEOUT="$(RUN_TIMEOUT)" bash ci/run-suite.sh conformance || { r=$$?; [ $$rc -ne 0 ] || rc=$$r; }; \
	fi; exit $$rc

# make iso [PROBE=name] [HV_CMDLINE="mem=64M"] [PROBE_CMDLINE=...]
PROBE ?= hc_print
# make probes: the probe names a spec case's probe (or extra_module) and
# make iso PROBE= accept.
probes:
	@printf '%s\n' $(PROBE_NAMES)

iso: deps
	@$(if $(filter $(PROBE),$(PROBE_NAMES)),,echo "make iso: no probe '$(PROBE)'; the probes are: $(PROBE_NAMES)" >&2; exit 2)
	@$(MAKE) --no-print-directory $(B)/reference/hvspec.elf $(B)/guest-probes/$(PROBE).elf
	@bash ci/mkiso.sh $(B)/hvspec.iso $(B)/reference/hvspec.elf $(B)/guest-probes/$(PROBE).elf "$(HV_CMDLINE)" "$(PROBE_CMDLINE)"

# make coverage: the suite's coverage of the reference, measured from inside
# the running hypervisor (ci/coverage.sh; reports in build-cov/coverage/).
coverage: deps
	@bash ci/coverage.sh

# make debug CASE=id [KERNEL=their.elf] [ENGINE=...]: the case booted with
# the engine's debugger attached (see README, "Debugging a case").
debug: deps
	@$(if $(CASE),,echo "make debug: give CASE=<case id> (build/bin/hvrun --list shows them)" >&2; exit 2)
	@$(MAKE) --no-print-directory all
	@build_hvrun=$(B)/bin/hvrun; exec $$build_hvrun --debug $(if $(KERNEL),--kernel "$(KERNEL)") \
	  $(if $(ENGINE),--engine "$(ENGINE)") "$(CASE)"

# make linux [KERNEL=their.elf]: Debian's Linux kernel and a busybox shell as
# the guest of the hypervisor under QEMU, COM1 on this terminal (issue 15;
# ci/linux-boot.sh). Ctrl-A X quits.
linux: deps
	@$(MAKE) --no-print-directory all
	@bash ci/linux-boot.sh $(B) $(KERNEL)

# make linux-guest: only the guest (kernel and initramfs in $(B)/linux/),
# which the linux spec cases boot; they are skipped without it.
linux-guest: deps
	@bash ci/linux-guest.sh $(B)

# make check tries it too: offline, the linux cases are skipped, not failed.
linux-guest-if-possible:
	@bash ci/linux-guest.sh $(B) >/dev/null || echo "make check: no Linux guest (ci/linux-guest.sh failed above): the linux cases are skipped" >&2

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
