# tests/bugs/: the atf-sh test that keeps the planted bugs of
# ci/plant-bugs.sh applicable, with this tree's path filled in.
$(B)/tests/bugs/patches_test: tests/bugs/patches_test.sh
	@mkdir -p $(@D)
	sed -e 's|@ROOT@|$(CURDIR)|g' $< >$@
	chmod +x $@

ALL_TARGETS += $(B)/tests/bugs/patches_test
