# grading/handout/: lab handouts (make handout LAB=name), the rubric
# (make rubric LAB=name) and the handout tests (atf-sh, with this tree's
# paths filled in).
HANDOUT_TESTS := handout_test
# Where make handout writes OUTDIR/hvspec-LAB/ and its tarball.
HANDOUT_OUT ?= $(B)/handouts

$(B)/grading/handout/%: grading/handout/%.sh
	@mkdir -p $(@D)
	sed -e 's|@ROOT@|$(CURDIR)|g' -e 's|@B@|$(abspath $(B))|g' $< >$@
	chmod +x $@

ALL_TARGETS += $(addprefix $(B)/grading/handout/,$(HANDOUT_TESTS))

.PHONY: handout rubric
# make handout LAB=name [HANDOUT_OUT=dir] [REPLACE=1]
handout:
	@if [ -z "$(LAB)" ]; then echo "usage: make handout LAB=name [REPLACE=1] (grading/rubric lists the labs)" >&2; exit 2; fi
	@out=$$(grading/handout/mkhandout $(if $(REPLACE),--replace) "$(LAB)" "$(HANDOUT_OUT)") || exit $$?; \
	  printf "%s\n" "$$out" | sed "$$ d" | grep -v "^tarball: "; tree=$$(printf "%s\n" "$$out" | tail -n 1); \
	  echo "handout tree: $$tree"; echo "handout tarball: $$tree.tar.gz"

# make rubric [LAB=name]: one lab's rubric, or the list of labs.
rubric:
	@grading/rubric $(LAB)
