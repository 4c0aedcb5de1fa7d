#! /usr/bin/env atf-sh
# make gradescope / make autolab: the packages' contents, and the packages
# run for real in their platform's folder layout, laid out in a temporary
# directory (setup.sh builds the shipped tree; the grade is of a prebuilt
# image, the cheapest real submission). The packages are made from a copy
# of the tree, of its lab t-basics (grading/lib/grader-copy.sh: five Bochs
# boots; packaging does not depend on the lab, and grading/handout judges the
# shipped labs' cases).
# @ROOT@ and @B@ are filled in by grading/packaging/build.mk.
ROOT='@ROOT@'
B='@B@'
. "$ROOT/grading/lib/grader-copy.sh"
GRADEBOOK="$ROOT/grading/gradebook/gradebook"
LAB=vmx-basics     # the smallest shipped lab (bad_lab names it)

# A file's lines joined with '|': atf wants one-line failure reasons.
flat()
{
	tr '\n' '|' <"$1"
}

# Prints the value of a top-level field of a JSON file (numbers, strings),
# or the length of an array field with "#field".
json_field()
{
	lua5.4 - "$ROOT" "$1" "$2" <<'LUA'
local json = dofile(arg[1] .. "/grading/lib/json.lua")
local v = json.read_file(arg[2])
local key = arg[3]
if key:sub(1, 1) == "#" then print(#v[key:sub(2)]) else print(tostring(v[key])) end
LUA
}

lab_max()
{
	"$GRADEBOOK" labinfo "$LAB" | sed -n 's/^max_score //p'
}

lab_cases()
{
	lua5.4 - "$ROOT" "$LAB" <<'LUA'
print(#dofile(arg[1] .. "/grading/lib/lab.lua").load(arg[1], arg[2]).cases)
LUA
}

# The grade inside a package must use the package's own build, never this one.
use_package_build()
{
	[ -f "$B/reference/hvspec.elf" ] || atf_skip "build first: make B=$B all"
	unset HVSPEC_BUILD
}

atf_test_case gradescope_zip
gradescope_zip_head()
{
	atf_set "descr" "make gradescope: the zip's files; setup.sh builds the shipped tree and run_autograder grades a submission into results/results.json (score 0 and a reason when it cannot)"
	atf_set "require.progs" "lua5.4 zip unzip make bwrap"
	atf_set "timeout" "600"
}
gradescope_zip_body()
{
	use_package_build
	copy_grader_tree "$ROOT" "$B" tree || atf_fail "cannot copy $ROOT"
	local ROOT=$PWD/tree LAB=t-basics
	local GRADEBOOK=$ROOT/grading/gradebook/gradebook
	local zip max
	make -C "$ROOT" --no-print-directory B="$PWD/b" gradescope LAB="$LAB" >make.out 2>&1 ||
		atf_fail "make gradescope failed: $(flat make.out)"
	zip=$PWD/b/autograders/gradescope-$LAB.zip
	[ "$(tail -n 1 make.out)" = "$zip" ] || atf_fail "make gradescope did not print the zip's path: $(flat make.out)"

	unzip -Z1 "$zip" >files
	for f in setup.sh run_autograder hvspec/Makefile hvspec/ci/install-deps.sh hvspec/grading/grade \
		 hvspec/grading/lib/json.lua "hvspec/grading/labs/$LAB.lua" hvspec/reference/core/exit_cpuid.c; do
		grep -qxF "$f" files || atf_fail "the zip lacks $f"
	done
	! grep -E '^hvspec/(build|build-[^/]*)/|(^|/)\.git/' files ||
		atf_fail "the zip holds build folders or git history: $(grep -E '^hvspec/build|\.git/' files | head -3 | tr '\n' ' ')"
	unzip -Z "$zip" run_autograder setup.sh hvspec/grading/grade | grep -c '^-rwx' >modes
	[ "$(cat modes)" -eq 3 ] || atf_fail "setup.sh, run_autograder or grading/grade is not executable in the zip"

	# Gradescope's layout: the zip in source/, the submission, the results.
	local ag=$PWD/autograder
	mkdir -p "$ag/source" "$ag/submission" "$ag/results"
	(cd "$ag/source" && unzip -q "$zip")
	HVSPEC_AUTOGRADER_DIR=$ag bash "$ag/source/setup.sh" >setup.out 2>&1 ||
		atf_fail "setup.sh failed: $(tail -n 5 setup.out | tr '\n' '|')"
	[ -x "$ag/hvspec/build/bin/hvrun" ] && [ -f "$ag/hvspec/build/reference/hvspec.elf" ] ||
		atf_fail "setup.sh did not build the tree in $ag/hvspec"
	cp "$ag/source/run_autograder" "$ag/run_autograder"

	# Nothing handed in: still a results.json, score 0, with the reason.
	HVSPEC_AUTOGRADER_DIR=$ag "$ag/run_autograder" >empty.out 2>&1 ||
		atf_fail "run_autograder failed on an empty submission: $(flat empty.out)"
	[ "$(json_field "$ag/results/results.json" score)" = 0 ] || atf_fail "empty submission: score is not 0"
	json_field "$ag/results/results.json" output | grep -q 'the submission is empty' ||
		atf_fail "empty submission: output does not say why: $(json_field "$ag/results/results.json" output)"

	# A prebuilt image of the reference: full marks, one test per case.
	rm -f "$ag/results/results.json"
	cp "$B/reference/hvspec.elf" "$ag/submission/hvspec.elf"
	HVSPEC_AUTOGRADER_DIR=$ag "$ag/run_autograder" >image.out 2>&1 ||
		atf_fail "run_autograder failed: $(tail -n 5 image.out | tr '\n' '|')"
	max=$(lab_max)
	[ "$(json_field "$ag/results/results.json" score)" = "$max" ] ||
		atf_fail "score $(json_field "$ag/results/results.json" score), expected $max: $(tail -n 5 image.out | tr '\n' '|')"
	[ "$(json_field "$ag/results/results.json" '#tests')" -ge "$(lab_cases)" ] ||
		atf_fail "results.json has fewer tests than the lab's $(lab_cases) cases"
	grep -q "^score: $max/$max" image.out || atf_fail "run_autograder does not show the grader's table: $(tail -n 3 image.out | tr '\n' '|')"
}

atf_test_case autolab_tarball
autolab_tarball_head()
{
	atf_set "descr" "make autolab: the Makefile's default target unpacks autograde.tar, grades the handin and prints the scores line last (zeros and a reason without a handin)"
	atf_set "require.progs" "lua5.4 make tar bwrap"
	atf_set "timeout" "600"
}
autolab_tarball_body()
{
	use_package_build
	copy_grader_tree "$ROOT" "$B" tree || atf_fail "cannot copy $ROOT"
	local ROOT=$PWD/tree LAB=t-basics
	local GRADEBOOK=$ROOT/grading/gradebook/gradebook
	make -C "$ROOT" --no-print-directory B="$PWD/b" autolab LAB="$LAB" >make.out 2>&1 ||
		atf_fail "make autolab failed: $(flat make.out)"
	local tarball=$PWD/b/autograders/autolab-$LAB.tar mk=$PWD/b/autograders/autolab-$LAB.Makefile
	[ -f "$tarball" ] && [ -f "$mk" ] || atf_fail "make autolab wrote no tarball or Makefile: $(flat make.out)"
	tar -tf "$tarball" >files
	for f in hvspec-autolab/run hvspec/Makefile hvspec/grading/grade; do
		grep -qxF "$f" files || atf_fail "autograde.tar lacks $f"
	done

	# The expected scores line: every area of the lab at its maximum.
	local want='{"scores": {' sep='' area max
	while read -r area max; do
		want+="$sep\"$area\": $max"
		sep=', '
	done < <("$GRADEBOOK" areas "$LAB")
	want+='}}'

	# Autolab's layout: autograde.tar, the Makefile and the handin in one folder.
	mkdir job
	cp "$tarball" job/autograde.tar
	cp "$mk" job/Makefile
	cp "$B/reference/hvspec.elf" job/handin.elf
	make -C job --no-print-directory >job.out 2>&1 || atf_fail "make failed: $(tail -n 5 job.out | tr '\n' '|')"
	lua5.4 - "$ROOT" "$(tail -n 1 job.out)" "$want" <<'LUA' >cmp.out 2>&1 ||
local json = dofile(arg[1] .. "/grading/lib/json.lua")
local got, want = json.decode(arg[2]), json.decode(arg[3])
for k, v in pairs(want.scores) do
  assert(got.scores[k] == v, "area " .. k .. ": got " .. tostring(got.scores[k]) .. ", want " .. v)
end
for k in pairs(got.scores) do assert(want.scores[k], "unexpected area " .. k) end
LUA
		atf_fail "last line '$(tail -n 1 job.out)' is not $want: $(flat cmp.out)"

	# No handin: a reason, and every score 0 on the last line.
	rm job/handin.elf
	make -C job --no-print-directory >nohandin.out 2>&1 || atf_fail "make failed without a handin: $(flat nohandin.out)"
	grep -q 'no handin file' nohandin.out || atf_fail "no reason given: $(flat nohandin.out)"
	[ "$(tail -n 1 nohandin.out)" = "$(echo "$want" | sed 's/: [0-9][0-9]*/: 0/g')" ] ||
		atf_fail "last line without a handin: $(tail -n 1 nohandin.out)"
}

atf_test_case bad_lab
bad_lab_head()
{
	atf_set "descr" "make gradescope/autolab without LAB or with an unknown one says so and lists the labs"
	atf_set "require.progs" "lua5.4 make"
	atf_set "timeout" "60"
}
bad_lab_body()
{
	local target
	for target in gradescope autolab; do
		! make -C "$ROOT" --no-print-directory B="$PWD/b" "$target" >out 2>&1 || atf_fail "make $target without LAB succeeded"
		grep -q "make $target: no lab given; run make $target LAB=name (known labs: .*$LAB" out ||
			atf_fail "make $target without LAB: $(flat out)"
		! make -C "$ROOT" --no-print-directory B="$PWD/b" "$target" LAB=nolab >out 2>&1 || atf_fail "make $target LAB=nolab succeeded"
		grep -q "make $target: unknown lab 'nolab' (known labs: " out || atf_fail "make $target LAB=nolab: $(flat out)"
	done
	[ ! -e b/autograders ] || [ -z "$(ls b/autograders)" ] || atf_fail "a package was written for a bad lab"
}

atf_init_test_cases()
{
	atf_add_test_case gradescope_zip
	atf_add_test_case autolab_tarball
	atf_add_test_case bad_lab
}
