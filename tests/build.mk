# tests/: the unit-test fragments of tests/unit/, the GRUB ISO boot test, the
# legal variants, the reference's own tests and the case catalogue. The
# harness (build/tests/conformance, build/bin/hvrun) and its tests are built
# by harness/build.mk. Kyua finds the programs under $(B) at the paths the
# Kyuafiles name (kyua test --build-root=$(B)).

# The catalogue of every case, from the same loader the harness uses, and
# the traceability matrix beside it (traceability.md/.html: which cases judge
# which spec/contract.md statement); a malformed table, a case without
# 'judges' or naming an unknown statement stops the build here with its
# file:line. Statement coverage is checked by harness/spec/traceability_test.
SPEC_FILES := $(wildcard spec/*.lua)
$(B)/spec/catalogue.md: ci/catalogue ci/traceability.lua spec/contract.md $(SPEC_FILES) $(MAKEFILE_LIST)
	@mkdir -p $(@D)
	lua5.4 ci/catalogue spec $@ --probes "$(PROBE_NAMES)" --contract spec/contract.md $(notdir $(SPEC_FILES))

.PHONY: catalogue
catalogue: $(B)/spec/catalogue.md

ALL_TARGETS += $(B)/spec/catalogue.md

# Unit tests of portable code: each fragment builds its *_test programs into
# $(B)/tests/unit/ and appends them to ALL_TARGETS / CHECK_TARGETS.
include $(wildcard tests/unit/*.mk)

# The GRUB ISO boot test.
include tests/iso/build.mk

# Legal variants of the reference must pass the suite (tests/variants/).
# (A student handout ships without tests/variants: -include.)
-include tests/variants/build.mk
# The mutant generator's test (a handout ships without tests/mutate: -include).
-include tests/mutate/build.mk
# The planted bugs stay applicable (a handout ships without tests/bugs: -include).
-include tests/bugs/build.mk

# The reference's own tests (tests/reference/).
$(B)/tests/reference/reference_test: tests/reference/reference_test.sh
	@mkdir -p $(@D)
	sed -e 's|@ROOT@|$(CURDIR)|g' -e 's|@B@|$(abspath $(B))|g' $< >$@
	chmod +x $@
ALL_TARGETS += $(B)/tests/reference/reference_test
