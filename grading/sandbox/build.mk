# grading/sandbox/: the sandbox's atf tests, with this tree's paths filled in.
$(B)/grading/sandbox/sandbox_test: grading/sandbox/sandbox_test.sh
	@mkdir -p $(@D)
	sed -e 's|@ROOT@|$(CURDIR)|g' -e 's|@B@|$(abspath $(B))|g' $< >$@
	chmod +x $@

ALL_TARGETS += $(B)/grading/sandbox/sandbox_test
