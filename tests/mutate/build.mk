# tests/mutate/: the atf-sh test of ci/mutate/generate.lua, with this tree's
# paths filled in.
$(B)/tests/mutate/generate_test: tests/mutate/generate_test.sh
	@mkdir -p $(@D)
	sed -e 's|@ROOT@|$(CURDIR)|g' $< >$@
	chmod +x $@

ALL_TARGETS += $(B)/tests/mutate/generate_test
