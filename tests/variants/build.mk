# tests/variants/: the legal-variants test program (atf-sh), with this tree's
# paths filled in. It applies each tests/variants/*.patch to a copy of the
# tree and runs the suite with $(B)/bin/hvrun against the patched image.
$(B)/tests/variants/variants_test: tests/variants/variants_test.sh
	@mkdir -p $(@D)
	sed -e 's|@ROOT@|$(CURDIR)|g' -e 's|@B@|$(abspath $(B))|g' $< >$@
	chmod +x $@

ALL_TARGETS += $(B)/tests/variants/variants_test
