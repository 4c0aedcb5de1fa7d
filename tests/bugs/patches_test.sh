#! /usr/bin/env atf-sh
# The planted bugs of ci/plant-bugs.sh (tests/bugs/*.patch): each still
# applies to the reference of this tree and says what it is. Running them
# is a benchmark; this only keeps them usable as the reference changes.

ROOT=@ROOT@

atf_test_case every_bug_applies
every_bug_applies_head()
{
	atf_set descr "every tests/bugs/*.patch applies to reference/ of this tree (git apply" \
		"--check on a copy, as ci/patched-suite.sh applies it), and touches only reference/"
	atf_set timeout 120
}
every_bug_applies_body()
{
	mkdir tree
	(cd "$ROOT" && git ls-files -z reference) | (cd "$ROOT" && xargs -0 cp --parents -t "$OLDPWD/tree") ||
		atf_fail "cannot copy reference/ of $ROOT"
	stale=
	for p in "$ROOT"/tests/bugs/*.patch; do
		name=$(basename "$p" .patch)
		(cd tree && git apply --check --whitespace=nowarn "$p") >/dev/null 2>&1 || stale="$stale $name"
		outside=$(sed -n 's|^+++ b/||p; s|^--- a/||p' "$p" | grep -v '^reference/' | sort -u)
		[ -z "$outside" ] || atf_fail "$name patches files outside reference/: $outside"
	done
	[ -z "$stale" ] || atf_fail "no longer apply (make the same one-bug edit on the current source and regenerate the diff):$stale"
}

atf_test_case every_bug_has_header
every_bug_has_header_head()
{
	atf_set descr "every planted bug names its sentence, an area that prefixes its file name," \
		"and its catchers; there are at least 40 (issue 9)"
	atf_set timeout 30
}
every_bug_has_header_body()
{
	n=0
	for p in "$ROOT"/tests/bugs/*.patch; do
		n=$((n + 1))
		name=$(basename "$p" .patch)
		grep -q '^# bug: .' "$p" || atf_fail "$name: no '# bug: <sentence>' line"
		grep -q '^# catchers: .' "$p" || atf_fail "$name: no '# catchers: <case ids>' line"
		area=$(sed -n 's/^# area: *\([a-z_0-9]*\).*/\1/p' "$p" | head -1)
		[ -n "$area" ] || atf_fail "$name: no '# area: <area>' line"
		case $name in "$area"-*) ;; *) atf_fail "$name: its area '$area' does not prefix its name" ;; esac
		[ -f "$ROOT/spec/$area.lua" ] || atf_fail "$name: area '$area' has no spec/$area.lua"
	done
	[ "$n" -ge 40 ] || atf_fail "only $n planted bugs (issue 9 asks for at least 40)"
}

atf_init_test_cases()
{
	atf_add_test_case every_bug_applies
	atf_add_test_case every_bug_has_header
}
