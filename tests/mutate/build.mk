# tests/mutate/: the atf-sh tests of ci/mutate/generate.lua, select.lua and
# ci/reference-hash.sh, with this tree's paths filled in.
MUTATE_TESTS := generate_test reference_hash_test select_test
$(addprefix $(B)/tests/mutate/,$(MUTATE_TESTS)): $(B)/tests/mutate/%: tests/mutate/%.sh
	@mkdir -p $(@D)
	sed -e 's|@ROOT@|$(CURDIR)|g' $< >$@
	chmod +x $@

ALL_TARGETS += $(addprefix $(B)/tests/mutate/,$(MUTATE_TESTS))
