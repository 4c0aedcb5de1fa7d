#! /usr/bin/env atf-sh
# The traceability check: every statement of spec/contract.md is judged by a
# spec case (field 'judges') or listed in the contract's appendix with a
# reason, and every id a case names exists. ci/catalogue --require-coverage
# does the check; make all runs ci/catalogue without it (a student handout
# holds only the public cases), so this program is what fails make check.
# The negative tests run it over a copy of spec/ with one thing broken.
# @ROOT@ is filled in by tests/build.mk.
# shellcheck disable=SC2016 # backquotes in single quotes are Markdown code
ROOT='@ROOT@'

# ci/catalogue over the spec folder $1 (its contract.md), with any further
# options; output in ./out, messages in ./err.
catalogue()
{
	local spec="$1"
	shift
	rm -rf out
	mkdir out
	# shellcheck disable=SC2046 # one argument per table file
	lua5.4 "$ROOT/ci/catalogue" "$spec" out/catalogue.md --contract "$spec/contract.md" "$@" \
		$(cd "$spec" && ls -- *.lua) >out/stdout 2>err
}

# A student handout (a tree without grading/) holds only its lab's public
# cases: its statements are traced in hvspec itself, where the hidden cases
# are, so the tests of the whole spec skip there.
require_full_spec()
{
	[ -f "$ROOT/grading/lib/lab.lua" ] ||
		atf_skip "a student handout: statement coverage is checked in hvspec itself"
}

# A copy of the repository's spec folder to break.
copy_spec()
{
	cp -R "$ROOT/spec" spec
}

atf_test_case every_statement_traced
every_statement_traced_head()
{
	atf_set "descr" "Every contract statement of this tree has a case or a reason; the matrix is written"
	atf_set "timeout" "60"
}
every_statement_traced_body()
{
	require_full_spec
	catalogue "$ROOT/spec" --require-coverage ||
		atf_fail "statements without a case or a reason, or bad judges: $(tr '\n' ' ' <err)"
	[ ! -s err ] || atf_fail "unexpected messages: $(tr '\n' ' ' <err)"
	grep -q ' 0 without a case or a reason$' out/stdout || atf_fail "$(cat out/stdout)"
	for f in traceability.md traceability.html catalogue.md; do
		[ -s "out/$f" ] || atf_fail "out/$f was not written"
	done
	# Every case of the tree appears in the matrix, with its statements.
	local cases listed
	cases=$(grep -c '^| `' out/catalogue.md)
	listed=$(sed -n '/^## Case -> statements/,$p' out/traceability.md | grep -c '^| `')
	if [ "$cases" -eq 0 ] || [ "$listed" -ne "$cases" ]; then
		atf_fail "the matrix lists $listed cases, the catalogue $cases"
	fi
	grep -q '^## Statement -> cases' out/traceability.md || atf_fail "no statement -> cases section"
	grep -q 'href="#s-hc.print.size-zero"' out/traceability.html ||
		atf_fail "the HTML matrix does not link a case to its statements"
	echo "matrix: $listed cases; $(cat out/stdout)"
}

atf_test_case statement_without_case_fails
statement_without_case_fails_head()
{
	atf_set "descr" "A statement no case judges and the appendix does not list fails, named with its contract line"
	atf_set "timeout" "60"
}
statement_without_case_fails_body()
{
	require_full_spec
	copy_spec
	# msr.kernel-gs-base: remove it from every case that names it.
	sed -i -e 's/, "msr\.kernel-gs-base"//g' -e 's/"msr\.kernel-gs-base", //g' spec/*.lua
	if grep -q '"msr\.kernel-gs-base"' spec/*.lua; then
		atf_fail "the test could not remove msr.kernel-gs-base from every case"
	fi
	local line
	line=$(grep -n '{#msr\.kernel-gs-base}' spec/contract.md | cut -d: -f1)
	catalogue spec --require-coverage && atf_fail "an untraced statement passed the check"
	grep -q "^spec/contract.md:$line: statement 'msr.kernel-gs-base' has no case and no reason" err ||
		atf_fail "the message does not name the statement: $(tr '\n' ' ' <err)"
	[ "$(wc -l <err)" -eq 1 ] || atf_fail "more than the one problem reported: $(tr '\n' ' ' <err)"
	[ ! -e out/traceability.md ] || atf_fail "a matrix was written despite the failure"

	# Without --require-coverage (make all, a handout) the build goes on and
	# the matrix shows the statement as uncovered.
	catalogue spec || atf_fail "make all's catalogue refused: $(tr '\n' ' ' <err)"
	grep -q ' 1 without a case or a reason$' out/stdout || atf_fail "$(cat out/stdout)"
	grep -q '^| `msr.kernel-gs-base` | .* | (none) |$' out/traceability.md ||
		atf_fail "the matrix does not show the statement without a case"

	# A 'not judged yet' line in the appendix makes it a listed hole.
	printf -- '- `msr.kernel-gs-base`: not judged yet: a case writing and reading it back.\n' >>spec/contract.md
	catalogue spec --require-coverage || atf_fail "a listed hole failed the check: $(tr '\n' ' ' <err)"
	sed -n '/^### Holes/,/^### Not judged/p' out/traceability.md | grep -q '`msr.kernel-gs-base`' ||
		atf_fail "the hole is not listed among the holes"
}

atf_test_case unknown_statement_fails
unknown_statement_fails_head()
{
	atf_set "descr" "A case naming an id the contract does not define fails with the case's file:line"
	atf_set "timeout" "60"
}
unknown_statement_fails_body()
{
	require_full_spec
	copy_spec
	# The case that judges cpuid.hv-range alone, written out in full: its
	# judges line follows its id line, which follows "case {". (Its id is
	# read from the table, not written here: a handout must not name the
	# cases its lab hides.)
	local judges_line line id
	judges_line=$(grep -n '^  judges = { "cpuid\.hv-range" },$' spec/cpuid.lua | head -n 1 | cut -d: -f1)
	[ -n "$judges_line" ] || atf_fail "no case of spec/cpuid.lua judges cpuid.hv-range alone"
	line=$((judges_line - 2))
	id=$(sed -n "$((judges_line - 1))s/^  id = \"\\([a-z0-9_.]*\\)\",\$/\\1/p" spec/cpuid.lua)
	[ -n "$id" ] || atf_fail "no id line above spec/cpuid.lua:$judges_line"
	sed -i "${judges_line}s/\"cpuid\\.hv-range\"/\"cpuid.hv-ranges\"/" spec/cpuid.lua
	grep -q '"cpuid\.hv-ranges"' spec/cpuid.lua || atf_fail "the test could not plant the unknown id"
	# Both in make all's build of the catalogue and in the check.
	for opt in "" --require-coverage; do
		# shellcheck disable=SC2086 # no option, or one
		catalogue spec $opt && atf_fail "an unknown statement id passed ($opt)"
		grep -qF "spec/cpuid.lua:$line: case '$id': judges unknown statement 'cpuid.hv-ranges' (spec/contract.md has no {#cpuid.hv-ranges})" err ||
			atf_fail "the message does not name the case's file:line: $(tr '\n' ' ' <err)"
		[ ! -e out/catalogue.md ] || atf_fail "a catalogue was written despite the failure"
	done
}

atf_test_case judges_shape_checked
judges_shape_checked_head()
{
	atf_set "descr" "A missing, empty or malformed judges field is refused with the case's file:line"
	atf_set "timeout" "60"
}
judges_shape_checked_body()
{
	mkdir spec
	cp "$ROOT/spec/loader.lua" spec/
	printf '# C\n\nA thing holds. {#alpha.thing}\n' >spec/contract.md
	write_alpha()
	{
		cat >spec/alpha.lua <<LUA
area { name = "alpha", doc = "d" }
case { id = "alpha.one", behavior = "b", source = "s", probe = "none", points = 1,
       $1 expect = { report = "x" } }
LUA
	}
	write_alpha 'judges = { "alpha.thing" },'
	catalogue spec --require-coverage || atf_fail "a good table was refused: $(tr '\n' ' ' <err)"

	write_alpha ''
	catalogue spec && atf_fail "a case without judges passed"
	grep -qF "spec/alpha.lua:2: case 'alpha.one': missing field 'judges'" err || atf_fail "$(tr '\n' ' ' <err)"

	write_alpha 'judges = {},'
	catalogue spec && atf_fail "an empty judges passed"
	grep -qF "spec/alpha.lua:2: case 'alpha.one': field 'judges' must be a non-empty list" err || atf_fail "$(tr '\n' ' ' <err)"

	write_alpha 'judges = { "Alpha.Thing" },'
	catalogue spec && atf_fail "a malformed id passed"
	grep -qF "spec/alpha.lua:2: case 'alpha.one': judges[1]: \"Alpha.Thing\" is not a statement id" err ||
		atf_fail "$(tr '\n' ' ' <err)"

	write_alpha 'judges = { "alpha.thing", "alpha.thing" },'
	catalogue spec && atf_fail "an id named twice passed"
	grep -qF "spec/alpha.lua:2: case 'alpha.one': judges names \"alpha.thing\" twice" err || atf_fail "$(tr '\n' ' ' <err)"
}

atf_test_case contract_rules
contract_rules_head()
{
	atf_set "descr" "Duplicate anchors, bad appendix lines and stale appendix lines are refused with the contract's line"
	atf_set "timeout" "60"
}
contract_rules_body()
{
	mkdir spec
	cp "$ROOT/spec/loader.lua" spec/
	cat >spec/alpha.lua <<'LUA'
area { name = "alpha", doc = "d" }
case { id = "alpha.one", behavior = "b", source = "s", probe = "none", points = 1,
       judges = { "alpha.thing" }, expect = { report = "x" } }
LUA
	cat >contract.base <<'MD'
# C

A thing holds. {#alpha.thing} Another does. {#alpha.other}
`{#not.an.anchor}` is code, not a statement.

| a | b | id |
|---|---|---|
| x | y | {#alpha.row} |

## Appendix: statements no case judges

- `alpha.other`: not judged: no conforming guest can reach it.
- `alpha.row`: not judged yet: a case reading the row,
  written later.
MD
	cp contract.base spec/contract.md
	catalogue spec --require-coverage || atf_fail "a good contract was refused: $(tr '\n' ' ' <err)"
	grep -q ' 3 statements: 1 judged, 1 not judged, 1 holes (not judged yet), 0 without' out/stdout ||
		atf_fail "$(cat out/stdout)"
	grep -qF '| `alpha.row` | x; y | a case reading the row, written later. |' out/traceability.md ||
		atf_fail "the hole's row or reason is wrong: $(grep alpha.row out/traceability.md | tr '\n' ' ')"

	sed '4a Again. {#alpha.thing}' contract.base >spec/contract.md
	catalogue spec && atf_fail "a duplicate anchor passed"
	grep -qF "spec/contract.md:5: statement id 'alpha.thing' is given twice (first at line 3)" err ||
		atf_fail "$(tr '\n' ' ' <err)"

	{ cat contract.base; echo 'A late statement. {#alpha.late}'; } >spec/contract.md
	catalogue spec && atf_fail "an anchor inside the appendix passed"
	grep -qF "spec/contract.md:15: an anchor in the appendix" err ||
		atf_fail "$(tr '\n' ' ' <err)"

	sed 's/^- `alpha.other`: not judged:/- `alpha.other`: skipped:/' contract.base >spec/contract.md
	catalogue spec && atf_fail "an appendix line without a kind passed"
	grep -qF "spec/contract.md:12: appendix item 'alpha.other' must say 'not judged: <reason>'" err ||
		atf_fail "$(tr '\n' ' ' <err)"

	{ cat contract.base; echo '- `alpha.thing`: not judged: stale.'; } >spec/contract.md
	catalogue spec && atf_fail "an appendix line on a judged statement passed"
	grep -qF "spec/contract.md:15: the appendix says 'alpha.thing' is not judged, but case 'alpha.one' judges it" err ||
		atf_fail "$(tr '\n' ' ' <err)"

	{ cat contract.base; echo '- `alpha.ghost`: not judged: no such statement.'; } >spec/contract.md
	catalogue spec && atf_fail "an appendix line for an unknown statement passed"
	grep -qF "spec/contract.md:15: the appendix names 'alpha.ghost', which no {#alpha.ghost} anchor defines" err ||
		atf_fail "$(tr '\n' ' ' <err)"
}

atf_init_test_cases()
{
	atf_add_test_case every_statement_traced
	atf_add_test_case statement_without_case_fails
	atf_add_test_case unknown_statement_fails
	atf_add_test_case judges_shape_checked
	atf_add_test_case contract_rules
}
