# grading/submission/: tests of grading/grade and of grading/lib/json.lua
# (atf-sh programs with this tree's paths filled in).
SUBMISSION_TESTS := json_test grade_test

$(B)/grading/submission/%: grading/submission/%.sh
	@mkdir -p $(@D)
	sed -e 's|@ROOT@|$(CURDIR)|g' -e 's|@B@|$(abspath $(B))|g' $< >$@
	chmod +x $@

ALL_TARGETS += $(addprefix $(B)/grading/submission/,$(SUBMISSION_TESTS))
