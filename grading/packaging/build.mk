# grading/packaging/: course-platform autograders of a lab.
#   make gradescope LAB=name   -> $(B)/autograders/gradescope-LAB.zip
#   make autolab LAB=name      -> $(B)/autograders/autolab-LAB.tar + autolab-LAB.Makefile
# Both ship this source tree; the platform builds it (nothing here is built first).
.PHONY: gradescope autolab
gradescope:
	@bash grading/packaging/mkgradescope $(CURDIR) "$(LAB)" $(B)/autograders

autolab:
	@bash grading/packaging/mkautolab $(CURDIR) "$(LAB)" $(B)/autograders

# Tests (atf-sh, with this tree's paths filled in).
PACKAGING_TESTS := autograders_test

$(B)/grading/packaging/%: grading/packaging/%.sh
	@mkdir -p $(@D)
	sed -e 's|@ROOT@|$(CURDIR)|g' -e 's|@B@|$(abspath $(B))|g' $< >$@
	chmod +x $@

ALL_TARGETS += $(addprefix $(B)/grading/packaging/,$(PACKAGING_TESTS))
