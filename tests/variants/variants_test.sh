#! /usr/bin/env atf-sh
# Legal variants of the reference must pass the whole suite (issue 9,
# section 3): each tests/variants/<name>.patch makes a different choice the
# contract leaves free. Each case applies patches to a temporary copy of
# the tree (ci/patched-suite.sh), builds it and runs every case against it:
# zero failures and errors, and a case may skip only where it skips for the
# reference too. A failure means the suite over-specifies: fix the case or
# the contract, never the variant.
# Engines: each variant alone runs the whole suite under qemu (the SVM
# layer, the fast engine), and every variant together (the choices are
# independent, so the patches stack) runs it once under bochs (the VMX
# layer, and the cases only an Intel engine plays; all but the Linux boot,
# which the conformance program and the qemu runs judge). Measured at load 8:
# 35-94 s per variant under qemu, 199 s for all together under bochs,
# where one variant under bochs took 184-202 s.
# One more case keeps ci/plant-bugs.sh honest: a planted bug is caught by
# the case that should catch it, and a patch that changes nothing is not.
# @ROOT@ and @B@ are filled in by tests/variants/build.mk.
ROOT='@ROOT@'
B='@B@'
VARIANT_TIMEOUT=600   # a copy, a build and a suite run (measured: qemu 35-94 s, bochs 199 s at load 8)

# header_field NAME KEY: the value of "# KEY: ..." in tests/variants/NAME.patch,
# with its "#   " continuation lines joined.
header_field()
{
	awk -v key="# $2: " 'index($0, key) == 1 { s = substr($0, length(key) + 1); on = 1; next }
		on && /^#   / { sub(/^#   */, ""); s = s " " $0; next } { on = 0 } END { print s }' \
		"$ROOT/tests/variants/$1.patch"
}

# expected_failures NAME...: the union of the "expected failure cases" the
# patch headers name, sorted, blank separated.
expected_failures()
{
	local name
	for name in "$@"; do
		header_field "$name" "expected failure cases" | tr ' ' '\n'
	done | awk NF | sort -u | tr '\n' ' '
}

# run_variant ENGINE NAME...: the suite under ENGINE against the reference
# patched with tests/variants/NAME.patch (several: applied in this order);
# every case, or the ids in VARIANT_CASES (blank-separated) when set.
run_variant()
{
	local engine=$1 rc=0
	shift
	local name="$*" p also=() cases=('.*')
	[ -z "${VARIANT_CASES:-}" ] || read -ra cases <<<"$VARIANT_CASES"
	for p in "${@:2}"; do also+=(--also "$ROOT/tests/variants/$p.patch"); done
	bash "$ROOT/ci/patched-suite.sh" --build "$B" --jobs 2 --engine "$engine" ${also[@]+"${also[@]}"} \
		"$ROOT/tests/variants/$1.patch" work "${cases[@]}" 2>stderr.txt || rc=$?
	case $rc in
	0) ;;
	1) ;;   # judged below, case by case
	3) atf_fail "tests/variants/$name.patch no longer applies to reference/; refresh it: $(tail -1 stderr.txt)" ;;
	4) atf_fail "the variant $name does not build: $(tail -3 stderr.txt | tr '\n' ' ')" ;;
	77) atf_fail "every case was skipped for the variant $name: nothing was judged" ;;
	*) atf_fail "the suite could not run against the variant $name (status $rc): $(tail -2 stderr.txt | tr '\n' ' ')" ;;
	esac
	[ -s work/suite.txt ] || atf_fail "hvrun printed nothing for the variant $name"
	grep -q ' passed, ' work/suite.txt || atf_fail "hvrun's closing line is missing: $(tail -2 work/suite.txt | tr '\n' ' ')"
	# hvrun prints "<id>  ->  <outcome>  [...]" per case.
	local bad failing expected reason
	bad=$(grep -E '^[^ ]+  ->  (fail|crash|timeout|error|not_run)' work/suite.txt | cut -c1-200 || true)
	failing=$(echo "$bad" | awk 'NF { print $1 }' | sort | tr '\n' ' ')
	# shellcheck disable=SC2086  # names have no blanks
	expected=$(expected_failures $name)
	if [ -n "$expected" ] && [ "$failing" = "$expected" ]; then
		# A finding not fixed yet (named in the patch header) stays visible
		# as an expected failure without turning make check red.
		reason=$(for p in $name; do header_field "$p" "expected failure"; done | tr '\n' ' ')
		atf_expect_fail "$reason"
		atf_fail "the cases $failing fail against the legal variant $name (a known finding)"
	fi
	if [ -n "$bad" ]; then
		echo "cases the variant(s) $name fail under $engine (each over-specifies: the contract allows these variants):" >&2
		echo "$bad" >&2
		[ $# -eq 1 ] || echo "to find which variant: bash ci/patched-suite.sh --engine $engine tests/variants/NAME.patch /tmp/v $failing" >&2
		atf_fail "case(s) fail under $engine against the legal variant(s) $name: $failing${expected:+(the patch headers expect exactly: $expected)}"
	fi
	[ -z "$expected" ] ||
		atf_fail "every case passes, but the patch header of $name still expects $expected to fail: the finding is fixed, drop its 'expected failure' lines"
	local skipped
	skipped=$(sed -n 's/^\([^ ]*\)  ->  skip.*/\1/p' work/suite.txt)
	if [ -n "$skipped" ]; then
		# A skip is fine only where the reference skips the same case here.
		# shellcheck disable=SC2086  # ids have no blanks
		"$B/bin/hvrun" --kernel "$B/reference/hvspec.elf" --engine "$engine" --jobs 2 $skipped >reference.txt 2>&1 || true
		local not_skipped
		not_skipped=$(grep -E '^[^ ]+  ->  ' reference.txt | grep -v '  ->  skip' | awk '{print $1}' || true)
		[ -z "$not_skipped" ] ||
			atf_fail "skipped under $engine for the variant(s) $name but not for the reference: $not_skipped"
	fi
}

variant_head()
{
	atf_set descr "legal variant $1, the whole suite under qemu: $(header_field "$1" choice)"
	atf_set timeout "$VARIANT_TIMEOUT"
	atf_set require.progs "qemu-system-x86_64 git make"
}

add_variant()
{
	local name=$1 id
	id=$(echo "$name" | tr - _)
	eval "${id}_head() { variant_head $name; }"
	eval "${id}_body() { run_variant qemu $name; }"
	atf_add_test_case "$id"
}

# The variants' file names, in the order their patches stack.
variant_names()
{
	local p
	for p in "$ROOT"/tests/variants/*.patch; do
		[ -e "$p" ] && basename "$p" .patch
	done
}

atf_test_case every_variant_together_bochs
every_variant_together_bochs_head()
{
	atf_set descr "every legal variant at once, the whole suite but the Linux boot under bochs (the VMX layer and the Intel-only cases)"
	atf_set timeout "$VARIANT_TIMEOUT"
	atf_set require.progs "bochs git make"
}
every_variant_together_bochs_body()
{
	local names
	names=$(variant_names)
	[ -n "$names" ] || atf_fail "no patch under $ROOT/tests/variants"
	# Every case but linux.boots_to_init: its Bochs boot (150-300 s) runs
	# in the conformance program, and each variant alone runs it under qemu
	# (the Linux case's expectations do not depend on the engine); the one
	# VMX-only variant, invd-wbinvd-handled, changes instructions Linux does
	# not execute (the reference ends the VM on them, and Linux boots on it).
	VARIANT_CASES=$("$B/bin/hvrun" --list | awk '$1 != "linux.boots_to_init" { print $1 }' | tr '\n' ' ')
	[ -n "$VARIANT_CASES" ] || atf_fail "hvrun --list printed no case"
	# shellcheck disable=SC2086  # names have no blanks
	run_variant bochs $names
}

atf_test_case planted_bug_caught
planted_bug_caught_head()
{
	atf_set descr "ci/plant-bugs.sh reports a planted bug caught by the case that judges it, and a patch that changes nothing NOT caught (exit 1)"
	atf_set timeout 300
	atf_set require.progs "bochs git make lua5.4"
}
planted_bug_caught_body()
{
	local rc=0
	bash "$ROOT/ci/plant-bugs.sh" --build "$B" --out bugs --cases 'cpuid%..*' cpuid-hypervisor-bit-30 \
		>caught.txt 2>&1 || rc=$?
	[ "$rc" -eq 0 ] || atf_fail "plant-bugs exited $rc for a bug the suite catches: $(tail -3 caught.txt | tr '\n' ' ')"
	grep -q '^caught    cpuid-hypervisor-bit-30 .*cpuid\.hypervisor_bit .*declared catchers all among them' caught.txt ||
		atf_fail "cpuid.hypervisor_bit is not reported as catching the bug: $(head -1 caught.txt)"
	grep -qx '1 of 1 planted bugs caught' caught.txt || atf_fail "summary missing: $(tail -1 caught.txt)"

	# A "bug" that only edits a comment must not count as caught. The patch
	# is made from exit_cpuid.c as it is now, so edits there never stale it.
	local src="$ROOT/reference/core/exit_cpuid.c" first
	first=$(head -1 "$src")
	case $first in
	"/*"*" */") ;;
	*) atf_fail "$src no longer starts with a one-line comment; pick another file for the comment-only patch" ;;
	esac
	{
		printf '%s\n' "# bug: none: only a comment changes, so no case may catch it." \
			"# area: cpuid" "# catchers: cpuid.hypervisor_bit" \
			"--- a/reference/core/exit_cpuid.c" "+++ b/reference/core/exit_cpuid.c" "@@ -1,3 +1,3 @@" \
			"-$first" "+${first% \*/} (edited) */"
		sed -n '2,3s/^/ /p' "$src"
	} >cpuid-comment-only.patch
	rc=0
	bash "$ROOT/ci/plant-bugs.sh" --build "$B" --out nobug --cases 'cpuid%..*' "$PWD/cpuid-comment-only.patch" \
		>notcaught.txt 2>&1 || rc=$?
	[ "$rc" -eq 1 ] || atf_fail "plant-bugs exited $rc for a patch no case can catch (expected 1): $(tail -2 notcaught.txt | tr '\n' ' ')"
	grep -q '^NOT CAUGHT cpuid-comment-only' notcaught.txt ||
		atf_fail "the comment-only patch is not reported NOT CAUGHT: $(head -1 notcaught.txt)"
	grep -qx '0 of 1 planted bugs caught' notcaught.txt || atf_fail "summary missing: $(tail -1 notcaught.txt)"
}

atf_test_case every_patch_applies
every_patch_applies_head()
{
	atf_set descr "every planted bug (tests/bugs) and legal variant (tests/variants) still applies to reference/: a refactoring that leaves one stale fails here, in seconds, not in an hour-long plant-bugs run"
	atf_set timeout 120
	atf_set require.progs "git tar"
}
every_patch_applies_body()
{
	mkdir tree
	(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard reference |
		tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -xf - -C tree ||
		atf_fail "cannot copy reference/ of $ROOT"
	(cd tree && git init -q .) || atf_fail "git init failed"
	local p stale="" n=0
	for p in "$ROOT"/tests/bugs/*.patch "$ROOT"/tests/variants/*.patch; do
		[ -e "$p" ] || continue
		n=$((n + 1))
		(cd tree && git apply --check "$p") 2>>apply.txt || stale="$stale ${p#"$ROOT"/}"
	done
	[ "$n" -gt 0 ] || atf_fail "no patch found under $ROOT/tests/bugs or tests/variants"
	[ -z "$stale" ] || { cat apply.txt >&2; atf_fail "these patches no longer apply to reference/ (refresh each against the code it meant to change):$stale"; }
}

atf_init_test_cases()
{
	local p
	for p in "$ROOT"/tests/variants/*.patch; do
		add_variant "$(basename "$p" .patch)"
	done
	atf_add_test_case every_variant_together_bochs
	atf_add_test_case planted_bug_caught
	atf_add_test_case every_patch_applies
}
