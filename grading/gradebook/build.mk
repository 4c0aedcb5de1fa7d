# grading/gradebook/: tests of grading/batch and its gradebook (atf-sh, with
# this tree's paths filled in).
GRADEBOOK_TESTS := batch_test

$(B)/grading/gradebook/%: grading/gradebook/%.sh
	@mkdir -p $(@D)
	sed -e 's|@ROOT@|$(CURDIR)|g' -e 's|@B@|$(abspath $(B))|g' $< >$@
	chmod +x $@

ALL_TARGETS += $(addprefix $(B)/grading/gradebook/,$(GRADEBOOK_TESTS))
