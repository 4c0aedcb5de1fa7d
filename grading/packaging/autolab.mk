# Autolab autograder Makefile of hvspec lab @LAB@ (made by `make autolab
# LAB=@LAB@`). In the assessment's autograder settings, upload this file as
# the autograder Makefile and autolab-@LAB@.tar as autograde.tar, and name
# the handin file handin.tar.gz, handin.zip, handin.tar or handin.elf. The
# grading machine's image needs the packages of hvspec's ci/install-deps.sh.
#
# Problems of the assessment (name, maximum score), as the scores line names them:
@PROBLEMS@
#
# The default target unpacks the grader, grades the handin and prints
# {"scores": {...}} as its last line (every score 0, with the reason above it,
# when grading cannot happen).
HANDIN ?= $(firstword $(wildcard handin.tar.gz handin.tgz handin.tar handin.zip handin.elf handin))

autograde:
	@if tar xf autograde.tar; then \
		bash hvspec-autolab/run "$(HANDIN)"; \
	else \
		echo "The hvspec autograder (lab @LAB@) could not unpack autograde.tar"; \
		echo '@ZERO_SCORES@'; \
	fi

.PHONY: autograde
