#! /usr/bin/env atf-sh
# ci/reference-hash.sh: the record make coverage writes of the sources it
# measured (build-cov/coverage/reference.sha256) and ci/mutate.sh checks
# against the commit it mutates, from a git archive of that commit.

ROOT=@ROOT@

# A repository with a small reference/ and one commit.
make_repo()
{
	mkdir -p repo/reference/lib
	printf 'int a;\n' >repo/reference/lib/a.c
	printf 'int b;\n' >repo/reference/b.h
	printf 'doc\n' >repo/README
	git -C repo init -q
	git -C repo -c user.name=t -c user.email=t@t add .
	git -C repo -c user.name=t -c user.email=t@t commit -q -m one
}

atf_test_case checkout_and_archive_agree
checkout_and_archive_agree_head()
{
	atf_set descr "a checkout and a git archive of its commit hash alike; any change of" \
		"a name or a content under reference/ changes the hash, a file outside it does not"
	atf_set timeout 30
}
checkout_and_archive_agree_body()
{
	. "$ROOT/ci/reference-hash.sh"
	make_repo
	mkdir archived
	git -C repo archive HEAD | tar -x -C archived
	h=$(reference_hash repo)
	atf_check -o match:'^[0-9a-f]{64}$' echo "$h"
	[ "$(reference_hash archived)" = "$h" ] || atf_fail "the archive hashes differently from the checkout"
	printf 'changed\n' >repo/README
	[ "$(reference_hash repo)" = "$h" ] || atf_fail "a file outside reference/ changed the hash"
	printf 'int a = 1;\n' >repo/reference/lib/a.c
	[ "$(reference_hash repo)" != "$h" ] || atf_fail "a changed content kept the hash"
	printf 'int a;\n' >repo/reference/lib/a.c
	[ "$(reference_hash repo)" = "$h" ] || atf_fail "restoring the content did not restore the hash"
	mv repo/reference/b.h repo/reference/c.h
	[ "$(reference_hash repo)" != "$h" ] || atf_fail "a renamed file kept the hash"
}

# expect_commit DIR WANT: reference_commit DIR prints WANT (a shell
# function, so not through atf_check).
expect_commit()
{
	got=$(reference_commit "$1") || atf_fail "reference_commit $1 failed"
	[ "$got" = "$2" ] || atf_fail "reference_commit $1 printed '$got', expected '$2'"
}

atf_test_case commit_only_when_clean
commit_only_when_clean_head()
{
	atf_set descr "reference_commit names HEAD only while nothing under reference/ differs" \
		"from it, untracked files included; else 'uncommitted'"
	atf_set timeout 30
}
commit_only_when_clean_body()
{
	. "$ROOT/ci/reference-hash.sh"
	make_repo
	head=$(git -C repo rev-parse HEAD)
	expect_commit repo "$head"
	printf 'changed\n' >repo/README
	expect_commit repo "$head"
	printf 'int a = 1;\n' >repo/reference/lib/a.c
	expect_commit repo uncommitted
	git -C repo checkout -q -- reference
	printf 'x\n' >repo/reference/new.c
	expect_commit repo uncommitted
	rm repo/reference/new.c
	mkdir notgit
	# No repository above it either, wherever the test runs.
	export GIT_CEILING_DIRECTORIES="$PWD"
	expect_commit notgit uncommitted
}

atf_init_test_cases()
{
	atf_add_test_case checkout_and_archive_agree
	atf_add_test_case commit_only_when_clean
}
