#! /usr/bin/env atf-sh
# grading/grade end to end: sample submissions made from the reference by
# grading/submission/mksample score what their bug says they must, every
# intake kind grades, failing builds are graded outcomes, bad input exits 2,
# and grading is deterministic. @ROOT@ and @B@ are filled in by
# grading/submission/build.mk.
#
# Every test grades small labs of its own (a few cases, seconds each) in a
# private copy of the grader tree; the whole-suite test grades lab suite less
# its one Linux boot.
ROOT='@ROOT@'
B='@B@'
. "$ROOT/grading/lib/grader-copy.sh"

# A copy of the grader tree with two test labs:
#   t-small: the CPUID, Print and 0xBB-queue cases (41), one of them hidden;
#            students may edit exit_cpuid.c, exit_hypercall.c and io_queue.c
#   t-build: one case, all of reference/ editable, a 60 s build limit (the
#            handout alone takes 13 s of CPU with make -j1; 20 s failed at load 8)
#   t-units: one case and the EPT and MMIO-decoder unit-test programs
#   t-budget: every case, 2 s per boot, 10 s of boots in all
#   t-det:   the CPUID cases and Print's control-bytes case (two boots)
#   t-basics: (grading/lib/grader-copy.sh) vmx-basics in small, with its
#            solution regions; grading/handout judges vmx-basics' own cases
#   t-suite: (full_solution_suite writes it) lab suite less linux.boots_to_init
setup_grader()
{
	copy_grader_tree "$ROOT" "$B" grader || atf_fail "cannot copy $ROOT"
	cat >grader/grading/labs/t-small.lua <<'LAB'
lab {
  name = "t-small", title = "grade tests: CPUID, Print and the queue", doc = "Test lab.",
  source = "grading/submission/grade_test",
  cases = { "cpuid", "hypercall%.print_.*", "pio%.queue_.*" },
  hidden = { "cpuid.stable_leaf7" },
  editable = { "reference/core/exit_cpuid.c", "reference/core/exit_hypercall.c",
               "reference/lib/io_queue.c" },
  build_timeout = 300, budget = 300, run_timeout = 60,
}
LAB
	cat >grader/grading/labs/t-build.lua <<'LAB'
lab {
  name = "t-build", title = "grade tests: builds", doc = "Test lab.",
  source = "grading/submission/grade_test",
  cases = { "cpuid.leaf0_vendor" }, editable = { "reference/" }, build_timeout = 60,
}
LAB
	cat >grader/grading/labs/t-det.lua <<'LAB'
lab {
  name = "t-det", title = "grade tests: a quick lab", doc = "Test lab.",
  source = "grading/submission/grade_test",
  cases = { "cpuid", "hypercall.print_control_bytes" },
  editable = { "reference/core/exit_cpuid.c", "reference/core/exit_hypercall.c" },
}
LAB
	cat >grader/grading/labs/t-budget.lua <<'LAB'
lab {
  name = "t-budget", title = "grade tests: the boot budget", doc = "Test lab.",
  source = "grading/submission/grade_test",
  cases = { ".*" }, editable = { "reference/core/main.c" }, run_timeout = 2, budget = 10,
}
LAB
	cat >grader/grading/labs/t-units.lua <<'LAB'
lab {
  name = "t-units", title = "grade tests: unit-test programs", doc = "Test lab.",
  source = "grading/submission/grade_test",
  cases = { "cpuid.leaf0_vendor" },
  editable = { "reference/lib/stage2.c", "reference/lib/mmio_decode.c", "reference/core/exit_cpuid.c" },
  units = { { program = "tests/unit/ept_test", points = 5 },
            { program = "tests/unit/mmio_decode_test", points = 4, visibility = "hidden" } },
}
LAB
}

# grade ARGS...: runs the copy's grade with our build; stdout/stderr kept.
grade()
{
	HVSPEC_BUILD=$B ./grader/grading/grade "$@" >grade.out 2>grade.err
}

sample()
{
	"$ROOT/grading/submission/mksample" "$1" "$2" >/dev/null || atf_fail "mksample $1 failed"
}

# rj FILE LUA: runs LUA with r = the decoded JSON file.
rj()
{
	lua5.4 -e "package.path = '$ROOT/grading/lib/?.lua'; json = require('json'); r = json.read_file('$1'); $2"
}

# The ids of the cases that did not pass, one per line, in lab order.
failed_ids()
{
	rj "$1" 'for _, c in ipairs(r.cases) do if c.outcome ~= "pass" then print(c.id) end end'
}

# expect_failed RESULTS ID...: exactly these cases failed, and the score is
# the maximum less exactly their points (and those of failed unit programs).
expect_failed()
{
	local results=$1
	shift
	printf '%s\n' "$@" >want.txt
	[ $# -gt 0 ] || : >want.txt
	failed_ids "$results" >got.txt
	diff -u want.txt got.txt >diff.txt || atf_fail "failed cases differ from the expected ones: $(tr '\n' ' ' <diff.txt)"
	rj "$results" '
	  local lost, earned = 0, 0
	  for _, c in ipairs(r.cases) do
	    if c.outcome ~= "pass" then lost = lost + c.max_points end
	    earned = earned + c.points
	  end
	  for _, u in ipairs(r.units) do
	    if u.outcome ~= "pass" then lost = lost + u.max_points end
	    earned = earned + u.points
	  end
	  assert(r.status == "graded", "status " .. r.status)
	  assert(r.score == earned, "score is not the sum of the cases and units")
	  assert(r.score == r.max_score - lost, string.format("score %d, expected %d - %d", r.score, r.max_score, lost))' ||
		atf_fail "score does not match the failed cases"
}

# The outputs every graded submission gets, consistent with each other.
check_outputs()
{
	local out=$1 score max
	for f in results.json gradescope/results.json autolab.txt junit.xml feedback.md feedback.html \
		summary.txt build.log; do
		[ -s "$out/$f" ] || atf_fail "$out/$f is missing or empty"
	done
	score=$(rj "$out/results.json" 'print(r.score)')
	max=$(rj "$out/results.json" 'print(r.max_score)')
	rj "$out/results.json" 'assert(r.schema == "hvspec-grade-1")' || atf_fail "schema"
	[ "$(rj "$out/gradescope/results.json" 'print(r.score)')" = "$score" ] || atf_fail "gradescope score differs"
	grep -qx "score: $score/$max" "$out/summary.txt" || atf_fail "summary.txt lacks 'score: $score/$max'"
	grep -qx "score: $score/$max" grade.out || atf_fail "stdout lacks 'score: $score/$max'"
	[ "$(tail -n 1 grade.out)" = "$(cat "$out/autolab.txt")" ] || atf_fail "stdout's last line is not autolab.txt"
	rj "$out/autolab.txt" '
	  local sum = 0
	  for _, v in pairs(r.scores) do sum = sum + v end
	  assert(sum == '"$score"', "autolab scores do not add up")' || atf_fail "autolab.txt"
	if rj "$out/results.json" 'os.exit(r.image ~= json.null and 0 or 1)'; then
		sha=$(sha256sum "$out/hvspec.elf" | cut -d' ' -f1)
		rj "$out/results.json" 'assert(r.image.sha256 == "'"$sha"'" and r.image.path == "'"$(realpath "$out")"'/hvspec.elf")
		  for _, c in ipairs(r.cases) do
		    assert(c.outcome == "not_run" or c.image_sha256 == r.image.sha256, c.id .. " judged another image")
		  end' || atf_fail "the record does not name the judged image"
		grep -q "<property name=\"image.sha256\" value=\"$sha\"/>" "$out/junit.xml" || atf_fail "junit lacks the image"
	fi
}

atf_test_case hvrun_verdicts
hvrun_verdicts_head()
{
	atf_set "descr" "hvrun's verdicts (schema hvspec-run-2): crash and timeout are accepted, score 0 and count as JUnit failures; schema hvspec-run-1 and unknown outcomes are refused"
	atf_set "require.progs" "lua5.4"
	atf_set "timeout" "30"
}
hvrun_verdicts_body()
{
	cat >check.lua <<LUA || atf_fail "cannot write check.lua"
package.path = "$ROOT/grading/submission/?.lua;$ROOT/grading/lib/?.lua;" .. package.path
local judge = require("judge")
local report = require("report")
local function case(id, outcome)
  return { id = id, outcome = outcome, image_sha256 = "ab", reason = outcome:upper() .. ": r" }
end
local rec = { schema = "hvspec-run-2", image = { sha256 = "ab" },
  cases = { case("a.pass", "pass"), case("a.fail", "fail"), case("a.crash", "crash"),
            case("a.timeout", "timeout"), case("a.error", "error") } }
local by_id = judge.check_record(rec, "ab", { "a.pass", "a.fail", "a.crash", "a.timeout", "a.error" })
assert(by_id["a.crash"].outcome == "crash" and by_id["a.timeout"].outcome == "timeout")
rec.schema = "hvspec-run-1"
local ok, err = pcall(judge.check_record, rec, "ab", {})
assert(not ok and err:find("expected hvspec%-run%-2"), "run-1 accepted: " .. tostring(err))
rec.schema = "hvspec-run-2"
rec.cases[2].outcome = "broken"
ok, err = pcall(judge.check_record, rec, "ab", {})
assert(not ok and err:find("unknown outcome broken"), "unknown outcome accepted: " .. tostring(err))
local xml = report.junit_xml({ lab = "l", id = "s", seconds = 1, units = {},
  image = { path = "p", sha256 = "ab" }, engine = "bochs",
  cases = { { area = "a", id = "a.crash", outcome = "crash", reason = "CRASH: r", details = "", rerun = "", seconds = 1 },
            { area = "a", id = "a.timeout", outcome = "timeout", reason = "TIMEOUT: r", details = "", rerun = "", seconds = 1 } } })
assert(select(2, xml:gsub("<failure ", "")) == 2, "crash and timeout are not JUnit failures: " .. xml)
LUA
	lua5.4 check.lua >out 2>&1 || atf_fail "$(cat out)"
	# Only pass earns points (grading/submission/main.lua).
	grep -q 'points = run.outcome == "pass" and c.points or 0' "$ROOT/grading/submission/main.lua" ||
		atf_fail "main.lua no longer scores only passes"
}

atf_test_case full_solution_suite
full_solution_suite_head()
{
	atf_set "descr" "the reference as a submission scores full marks on lab suite's every case but the Linux boot (t-suite: same limits and whitelist), and no shipped lab's cap cuts a case's own time limit"
	atf_set "require.progs" "lua5.4 bochs bwrap"
	atf_set "timeout" "900"
}
full_solution_suite_body()
{
	setup_grader
	# No shipped lab's cap may cut a case's own time limit (a 30 s cap once
	# failed linux.boots_to_init for the reference itself, and capped
	# boot.segment_fills_ram's 60 s in vmx-basics and pio-msr): checked here
	# from the tables, whatever the machine's load.
	lua5.4 -e "local lab = dofile('$ROOT/grading/lib/lab.lua')
	  local spec = lab.load_spec('$ROOT')
	  for _, name in ipairs(lab.list('$ROOT')) do
	    local L = lab.load('$ROOT', name)
	    for _, c in ipairs(L.cases) do
	      local t = spec.by_id[c.id].timeout
	      if t > L.run_timeout then
	        io.stderr:write(string.format('%s: timeout %d s, lab %s caps every boot at %d s\n', c.id, t, name, L.run_timeout))
	        os.exit(1)
	      end
	    end
	  end" 2>cap.txt || atf_fail "a shipped lab's run_timeout cuts a case's own time limit: $(cat cap.txt)"
	# t-suite is lab suite without linux.boots_to_init: its Bochs boot takes
	# 150-300 s and judges the hypervisor, not the grader; the conformance
	# program judges it (tests/conformance). linux.refused_without_platform_pc
	# boots the same Linux guest files, so the grader's copy still must find
	# them.
	lua5.4 -e "local lab = dofile('$ROOT/grading/lib/lab.lua')
	  local L = lab.load('$ROOT', 'suite')
	  local ids = {}
	  for _, c in ipairs(L.cases) do
	    if c.id ~= 'linux.boots_to_init' then ids[#ids + 1] = string.format('%q', c.id) end
	  end
	  assert(#ids == #L.cases - 1, 'lab suite has no case linux.boots_to_init')
	  print(string.format('lab { name = \"t-suite\", title = \"grade tests: lab suite but the Linux boot\", doc = \"Test lab.\",'
	    .. ' source = \"grading/submission/grade_test\", cases = { %s }, editable = { \"reference/\" },'
	    .. ' run_timeout = %d, budget = %d }', table.concat(ids, ', '), L.run_timeout, L.budget))" \
		>grader/grading/labs/t-suite.lua 2>lab.txt || atf_fail "cannot write lab t-suite: $(cat lab.txt)"
	sample full sub
	grade --lab t-suite --out out sub || atf_fail "grade exited $?: $(tail -3 grade.err | tr '\n' '|')"
	check_outputs out
	expect_failed out/results.json
	ncases=$(lua5.4 -e "L = dofile('$ROOT/grading/lib/lab.lua').load('$ROOT', 'suite')
	  local points = 0
	  for _, c in ipairs(L.cases) do if c.id == 'linux.boots_to_init' then points = c.points end end
	  print(#L.cases - 1, L.max_score - points)")
	got=$(rj out/results.json 'print(#r.cases, r.max_score)')
	[ "$got" = "$ncases" ] || atf_fail "cases and points $got, lab suite less linux.boots_to_init has $ncases"
	rj out/results.json 'assert(r.lab == "t-suite" and #r.ignored_files == 0)' || atf_fail "lab or ignored files"
	rj out/results.json 'for _, c in ipairs(r.cases) do if c.id == "linux.refused_without_platform_pc" then os.exit(0) end end
	  os.exit(1)' || atf_fail "linux.refused_without_platform_pc was not graded"
}

atf_test_case handout_baseline
handout_baseline_head()
{
	atf_set "descr" "the untouched handout of a lab with solution regions (t-basics, vmx-basics in small; as its tarball) fails exactly the cases that need its removed regions"
	atf_set "require.progs" "lua5.4 bochs bwrap"
	atf_set "timeout" "600"
}
handout_baseline_body()
{
	setup_grader
	"$ROOT/grading/handout/mkhandout" --root grader t-basics handout >/dev/null 2>&1 || atf_fail "mkhandout failed"
	grade --lab t-basics --out out handout/hvspec-t-basics.tar.gz || atf_fail "grade exited $?: $(tail -3 grade.err | tr '\n' '|')"
	check_outputs out
	# The baseline from the lab's own table: every case some region needs fails.
	lua5.4 -e "L = dofile('$ROOT/grading/lib/lab.lua').load('$PWD/grader', 't-basics')
	  local need = {}
	  for _, r in ipairs(L.regions) do for _, id in ipairs(L.needs[r]) do need[id] = true end end
	  for _, c in ipairs(L.cases) do if need[c.id] then print(c.id) end end" >needed.txt
	[ -s needed.txt ] || atf_fail "the lab removes no region"
	# shellcheck disable=SC2046
	expect_failed out/results.json $(cat needed.txt)
	rj out/results.json 'assert(#r.ignored_files == 0, "ignored: " .. table.concat(r.ignored_files, " "))
	  assert(r.intake.kind == "tar")' || atf_fail "the handout itself has ignored files or the wrong kind"
	# Public failures say why; hidden ones are named only.
	grep -q 'not implemented: hypercall_print' out/feedback.md || atf_fail "feedback lacks the not-implemented report"
	grep -q '^- hypercall.print\\_1g\\_page: hidden$' out/feedback.md || atf_fail "hidden case not listed as hidden"
	if awk '/^### /{p=0} /^### hypercall.print\\_1g\\_page/{p=1} p' out/feedback.md | grep -q .; then
		atf_fail "feedback shows the details of a hidden case"
	fi
	rj out/gradescope/results.json '
	  for _, t in ipairs(r.tests) do
	    if t.name == "hypercall.print_1g_page" then
	      assert(t.visibility == "after_published" and not t.output:find("expected"), "hidden test leaks")
	    elseif t.name == "hypercall.print_hello" then
	      assert(t.visibility == "visible" and t.output:find("not implemented"), "public test lacks details")
	    end
	  end' || atf_fail "gradescope visibility"
}

atf_test_case bug_cpuid_vendor_zip
bug_cpuid_vendor_zip_head()
{
	atf_set "descr" "CPUID leaf 0 with ECX/EDX swapped (a zip) loses exactly cpuid.leaf0_vendor"
	atf_set "require.progs" "lua5.4 bochs bwrap zip"
	atf_set "timeout" "300"
}
bug_cpuid_vendor_zip_body()
{
	setup_grader
	sample cpuid-vendor work/student-1
	(cd work && zip -qr ../student-1.zip student-1) || atf_fail "zip failed"
	grade --lab t-small --out out student-1.zip || atf_fail "grade exited $?: $(tail -3 grade.err | tr '\n' '|')"
	check_outputs out
	# The vendor string is the only thing leaf 0's registers carry that a
	# case checks; leaf 0 stays stable, so stable_leaf0 still passes.
	expect_failed out/results.json cpuid.leaf0_vendor
	grep -q 'vendor=GenuntelineI' out/feedback.md || atf_fail "feedback does not show what was seen"
	grep -qF "handout: \`make && build/bin/hvrun cpuid.leaf0_vendor\`" out/feedback.md || atf_fail "feedback lacks the student's rerun"
	rj out/results.json 'assert(r.id == "student-1" and r.intake.kind == "zip")' || atf_fail "id or kind"
}

atf_test_case bug_print_nul_git
bug_print_nul_git_head()
{
	atf_set "descr" "Print stopping at NUL (a git repository, --ref a branch) loses exactly hypercall.print_control_bytes"
	atf_set "require.progs" "lua5.4 bochs bwrap git"
	atf_set "timeout" "300"
}
bug_print_nul_git_body()
{
	setup_grader
	sample print-nul repo
	git -C repo init -q -b work || atf_fail "git init"
	git -C repo -c user.name=s -c user.email=s@x add -A && git -C repo -c user.name=s -c user.email=s@x commit -qm bug
	commit=$(git -C repo rev-parse HEAD)
	# HEAD moves on to a commit that does not build: --ref picks the branch.
	git -C repo checkout -q -b later
	echo 'syntax error' >>repo/reference/core/exit_hypercall.c
	git -C repo -c user.name=s -c user.email=s@x commit -qam broken
	grade --lab t-small --ref work --out out repo || atf_fail "grade exited $?: $(tail -3 grade.err | tr '\n' '|')"
	check_outputs out
	# Only the control-bytes case prints a NUL.
	expect_failed out/results.json hypercall.print_control_bytes
	rj out/results.json 'assert(r.intake.kind == "git" and r.intake.commit == "'"$commit"'")' ||
		atf_fail "the record does not name the graded commit"
	# Without --ref the grader takes HEAD, which does not build.
	grade --lab t-small --out out2 repo || atf_fail "grade exited $?: $(tail -3 grade.err | tr '\n' '|')"
	rj out2/results.json 'assert(r.status == "build_failed" and r.score == 0)' || atf_fail "HEAD was not graded"
}

atf_test_case bug_queue_lifo
bug_queue_lifo_head()
{
	atf_set "descr" "a 0xBB queue that pops the newest byte (a folder) loses exactly the order-sensitive queue cases"
	atf_set "require.progs" "lua5.4 bochs bwrap"
	atf_set "timeout" "300"
}
bug_queue_lifo_body()
{
	setup_grader
	sample queue-lifo sub
	grade --lab t-small --out out sub || atf_fail "grade exited $?: $(tail -3 grade.err | tr '\n' '|')"
	check_outputs out
	# A stack reverses multi-byte round trips, FIFO order, the bytes of a
	# short read and the capacity fill (a hashed, non-palindromic stream).
	# Unaffected: reads of an empty queue (all 0xFF).
	expect_failed out/results.json \
		pio.queue_dx_round_trip pio.queue_dx_order pio.queue_dx_empty pio.queue_dx_capacity \
		pio.queue_imm8_round_trip pio.queue_imm8_order pio.queue_imm8_empty pio.queue_imm8_capacity
}

atf_test_case unit_tests
unit_tests_head()
{
	atf_set "descr" "a lab's unit-test programs are built from the student's modules and scored; an EPT bug loses ept_test's points"
	atf_set "require.progs" "lua5.4 bochs bwrap"
	atf_set "timeout" "300"
}
unit_tests_body()
{
	setup_grader
	sample ept-exec-only sub
	# A student's copy of the unit test that always passes is not used.
	mkdir -p sub/tests/unit
	printf '#include <atf-c.h>\nATF_TC_WITHOUT_HEAD(t);\nATF_TC_BODY(t, tc) {}\nATF_TP_ADD_TCS(tp) { ATF_TP_ADD_TC(tp, t); return 0; }\n' \
		>sub/tests/unit/ept_test.c
	grade --lab t-units --out out sub || atf_fail "grade exited $?: $(tail -3 grade.err | tr '\n' '|')"
	check_outputs out
	expect_failed out/results.json
	rj out/results.json '
	  local u = {}
	  for _, x in ipairs(r.units) do u[x.name] = x end
	  local ept, mmio = u["tests/unit/ept_test"], u["tests/unit/mmio_decode_test"]
	  assert(ept.outcome == "fail" and ept.points == 0 and ept.max_points == 5, "ept_test: " .. ept.outcome)
	  assert(ept.reason:find("permissions"), "reason: " .. ept.reason)
	  assert(mmio.outcome == "pass" and mmio.points == 4, "mmio_decode_test: " .. mmio.outcome .. " " .. mmio.reason)
	  assert(r.areas.units.score == 4 and r.areas.units.max_score == 9)
	  assert(r.score == r.max_score - 5, "score " .. r.score)' || atf_fail "unit-test scores"
	grep -q '^tests/unit/ept_test' out/summary.txt || atf_fail "summary lacks the unit programs"
	rj out/gradescope/results.json '
	  for _, t in ipairs(r.tests) do
	    if t.name:find("mmio_decode_test") then assert(t.visibility == "after_published" and not t.output:find("test cases")) end
	  end' || atf_fail "hidden unit program leaks in gradescope"
}

atf_test_case budget_spent
budget_spent_head()
{
	atf_set "descr" "a hypervisor that hangs costs one run_timeout per boot; once the budget is spent the rest is not run (budget_spent)"
	atf_set "require.progs" "lua5.4 bochs bwrap"
	atf_set "timeout" "300"
}
budget_spent_body()
{
	setup_grader
	sample boot-hang sub
	grade --lab t-budget --out out sub || atf_fail "grade exited $?: $(tail -3 grade.err | tr '\n' '|')"
	check_outputs out
	rj out/results.json '
	  assert(r.status == "budget_spent", "status " .. r.status)
	  assert(r.status_reason:find("budget of 10 s"), r.status_reason)
	  assert(r.score == 0, "score " .. r.score)
	  local ran, not_run = 0, 0
	  for _, c in ipairs(r.cases) do
	    if c.outcome == "not_run" then
	      not_run = not_run + 1
	      assert(c.reason:find("budget"), c.id .. ": " .. c.reason)
	    else
	      ran = ran + 1
	      assert(c.outcome ~= "pass", c.id .. " passed")
	    end
	  end
	  assert(ran > 0 and not_run > 0, string.format("%d ran, %d not run", ran, not_run))' ||
		atf_fail "budget not applied"
}

atf_test_case non_whitelisted_ignored
non_whitelisted_ignored_head()
{
	atf_set "descr" "edits outside the whitelist (spec, harness, probe, Makefile) are ignored and listed by name"
	atf_set "require.progs" "lua5.4 bochs bwrap"
	atf_set "timeout" "300"
}
non_whitelisted_ignored_body()
{
	setup_grader
	sample cheat-spec sub
	# A build folder the student left behind is listed once, as a folder.
	mkdir -p sub/build/reference/core
	echo obj >sub/build/reference/core/exit_cpuid.o
	echo obj >sub/build/hvspec.elf
	# The results folder inside the submission is not part of it.
	mkdir -p sub/results
	echo old >sub/results/summary.txt
	out=sub/results
	grade --lab t-small --out "$out" sub || atf_fail "grade exited $?: $(tail -3 grade.err | tr '\n' '|')"
	check_outputs "$out"
	# The spec edit would let the vendor bug pass; the grader's spec judges.
	expect_failed "$out/results.json" cpuid.leaf0_vendor
	rj "$out/results.json" 'for _, f in ipairs(r.ignored_files) do print(f) end' >ignored.txt
	grep -qx 'build/' ignored.txt || atf_fail "the build folder is not listed once: $(tr '\n' ' ' <ignored.txt)"
	if grep -q '^build/.\|^results' ignored.txt; then
		atf_fail "files inside a new folder or the results folder are listed: $(tr '\n' ' ' <ignored.txt)"
	fi
	for f in Makefile guest-probes/extra_probe.S spec/cpuid.lua harness/judge/judge.c; do
		grep -qx "$f" ignored.txt || atf_fail "$f is not listed as ignored: $(tr '\n' ' ' <ignored.txt)"
		grep -qF -- "- ${f//_/\\_}" "$out/feedback.md" || atf_fail "feedback does not name $f"
	done
	if grep -q '^reference/core/exit_cpuid.c$' ignored.txt; then
		atf_fail "a whitelisted file is listed as ignored"
	fi
}

atf_test_case deterministic
deterministic_head()
{
	atf_set "descr" "grading one submission three times writes identical results (time fields and the output path aside)"
	atf_set "require.progs" "lua5.4 bochs bwrap"
	atf_set "timeout" "600"
}
deterministic_body()
{
	setup_grader
	sample print-nul sub
	for i in 1 2 3; do
		grade --lab t-det --out "out$i" sub || atf_fail "grading $i exited $?: $(tail -3 grade.err | tr '\n' '|')"
		mkdir "norm$i"
		for f in results.json gradescope/results.json autolab.txt junit.xml feedback.md feedback.html \
			summary.txt build.log; do
			# Time fields and the output folder's own path are allowed to differ.
			sed -e "s|$(realpath "out$i")|OUT|g" \
			    -e '/"graded_at": /d' -e '/"[a-z_]*seconds": /d' \
			    -e 's/ time="[0-9.]*"//g' "out$i/$f" >"norm$i/$(echo "$f" | tr / _)"
		done
		cmp -s "out1/hvspec.elf" "out$i/hvspec.elf" || atf_fail "grading $i judged different image bytes"
	done
	for i in 2 3; do
		diff -r norm1 "norm$i" >diff.txt || atf_fail "grading $i differs from grading 1: $(head -c 600 diff.txt | tr '\n' '|')"
	done
	grep -q '"seconds"' out1/results.json || atf_fail "the normalization removed nothing"
	rj out1/results.json 'assert(r.timing.build_seconds > 0 and r.timing.boots_seconds > 0)' || atf_fail "no timing"
}

# build_case KIND STATUS REASON-PATTERN: a failing build is graded 0 with
# that status and reason, every case not run, the log tail in the feedback.
build_case()
{
	setup_grader
	ESCAPE_MARKER=$PWD/escaped sample "$1" sub
	grade --lab t-build --out out sub || atf_fail "grade exited $? (a failed build must be a graded outcome): $(tail -3 grade.err | tr '\n' '|')"
	check_outputs out
	rj out/results.json 'assert(r.status == "'"$2"'", "status " .. r.status .. ": " .. r.status_reason)
	  assert(r.score == 0 and r.image == json.null)
	  assert(r.status_reason:find("'"$3"'"), "reason: " .. r.status_reason)
	  for _, c in ipairs(r.cases) do assert(c.outcome == "not_run" and c.points == 0) end' ||
		atf_fail "wrong record for a $1 build"
	grep -q '^## Build output' out/feedback.md || atf_fail "feedback lacks the build output"
}

atf_test_case build_error
build_error_head()
{
	atf_set "descr" "a build with a compile error is graded build_failed with the compiler's message"
	atf_set "require.progs" "lua5.4 bwrap"
	atf_set "timeout" "300"
}
build_error_body()
{
	build_case build-error build_failed "exit_cpuid%.c:%d+:%d+: error: expected ';'"
	grep -q "error: expected ';'" out/build.log || atf_fail "build.log lacks the error"
}

atf_test_case build_hang
build_hang_head()
{
	atf_set "descr" "a build that never ends is stopped at the lab's build_timeout and leaves nothing running"
	atf_set "require.progs" "lua5.4 bwrap pgrep"
	atf_set "timeout" "300"
}
build_hang_body()
{
	build_case build-hang build_timeout "did not finish within 60 s"
	! pgrep -f 'sleep 987' >/dev/null || atf_fail "the hung build is still running"
}

atf_test_case build_flood
build_flood_head()
{
	atf_set "descr" "a build that prints without end is stopped at the output limit"
	atf_set "require.progs" "lua5.4 bwrap pgrep"
	atf_set "timeout" "300"
}
build_flood_body()
{
	build_case build-flood build_limit "printed more than"
	[ "$(stat -c %s out/build.log)" -le 1100000 ] || atf_fail "build.log is not capped"
	! pgrep -f 'yes hvspec-sample-flood' >/dev/null || atf_fail "the flood is still running"
}

atf_test_case build_forkbomb
build_forkbomb_head()
{
	atf_set "descr" "a fork bomb is stopped at the process limit, and the next submission grades normally"
	atf_set "require.progs" "lua5.4 bwrap bochs"
	atf_set "timeout" "300"
}
build_forkbomb_body()
{
	build_case build-forkbomb build_limit "process limit"
	sample full next
	grade --lab t-det --out out-next next || atf_fail "the next grading exited $?: $(tail -3 grade.err | tr '\n' '|')"
	expect_failed out-next/results.json
}

atf_test_case build_escape
build_escape_head()
{
	atf_set "descr" "a build that reads the grader's files and writes outside its folder fails and changes nothing"
	atf_set "require.progs" "lua5.4 bwrap"
	atf_set "timeout" "300"
}
build_escape_body()
{
	build_case build-escape build_failed "the build failed"
	grep -q 'suite.lua: No such file or directory' out/build.log || atf_fail "the build could read the grader's files"
	grep -q '/dev/tcp/1.1.1.1/80: ' out/build.log || atf_fail "the socket attempt did not fail"
	[ ! -e escaped ] || atf_fail "the build wrote $PWD/escaped outside the sandbox"
}

atf_test_case prebuilt_image
prebuilt_image_head()
{
	atf_set "descr" "a prebuilt Multiboot2 image is judged as is, named by path and SHA-256"
	atf_set "require.progs" "lua5.4 bochs"
	atf_set "timeout" "300"
}
prebuilt_image_body()
{
	setup_grader
	cp "$B/reference/hvspec.elf" mine.elf
	grade --lab t-small mine.elf || atf_fail "grade exited $?: $(tail -3 grade.err | tr '\n' '|')"
	# The default output folder is ./grade-<id>.
	check_outputs grade-mine
	expect_failed grade-mine/results.json
	cmp -s mine.elf grade-mine/hvspec.elf || atf_fail "the judged copy differs from the submission"
	rj grade-mine/results.json 'assert(r.intake.kind == "image" and r.id == "mine")' || atf_fail "kind"
	grep -q 'no build' grade-mine/build.log || atf_fail "build.log does not say there was no build"
}

atf_test_case tarball_and_unsafe_archives
tarball_and_unsafe_archives_head()
{
	atf_set "descr" "a .tgz with a top folder grades; archives with '..', absolute paths or outward links are refused (intake_failed)"
	atf_set "require.progs" "lua5.4 bochs bwrap tar zip"
	atf_set "timeout" "300"
}
tarball_and_unsafe_archives_body()
{
	setup_grader
	sample full work/hvspec-t-small
	tar -C work -czf good.tgz hvspec-t-small
	grade --lab t-small --out out good.tgz || atf_fail "grade exited $?: $(tail -3 grade.err | tr '\n' '|')"
	expect_failed out/results.json
	rj out/results.json 'assert(r.id == "good" and r.intake.kind == "tar")' || atf_fail "id or kind"

	echo x >evil.txt
	tar -cf dotdot.tar --transform 's|^|../|' evil.txt 2>/dev/null
	tar -cPf absolute.tar "$PWD/evil.txt"
	ln -s /etc/passwd work/hvspec-t-small/link
	zip -qry outward.zip work/hvspec-t-small/link
	for a in dotdot.tar absolute.tar outward.zip; do
		grade --lab t-small --out "out-$a" "$a" || atf_fail "$a: grade exited $? (a refused archive is a graded outcome): $(tail -3 grade.err | tr '\n' '|')"
		rj "out-$a/results.json" 'assert(r.status == "intake_failed" and r.score == 0, r.status)
		  print(r.status_reason)' >reason.txt || atf_fail "$a was not refused"
	done
	grep -q "symbolic link pointing outside" reason.txt || atf_fail "reason: $(tr '\n' '|' <reason.txt)"
}

atf_test_case bad_inputs
bad_inputs_head()
{
	atf_set "descr" "unknown kinds, missing paths, bad options, unknown labs and a missing build exit 2 with a clear message"
	atf_set "require.progs" "lua5.4"
	atf_set "timeout" "120"
}
bad_inputs_body()
{
	setup_grader
	echo 'just text' >notes.txt
	mkdir plain
	expect2()      # MESSAGE-PATTERN ARGS...
	{
		local pattern=$1
		shift
		if grade "$@"; then atf_fail "grade $* exited 0"; fi
		grep -qE -- "$pattern" grade.err || atf_fail "grade $*: message '$(tr '\n' '|' <grade.err)' lacks '$pattern'"
		[ ! -e out/results.json ] || atf_fail "grade $* wrote results"
	}
	expect2 'does not exist; give a source folder' --out out nowhere.tgz
	expect2 'is ASCII text, which grade does not take' --out out notes.txt
	expect2 'without a Multiboot2 header' --out out "$B/bin/hvrun"
	expect2 "--ref main was given but plain is a plain folder" --ref main --out out plain
	expect2 "unknown lab 'nosuch' \\(known labs: .*suite" --lab nosuch --out out plain
	expect2 "unknown option '--colour'" --colour --out out plain
	expect2 "--jobs wants a whole number from 1 to 64" --jobs 0 --out out plain
	expect2 'no SUBMISSION given' --out out
	mkdir -p empty-build
	if HVSPEC_BUILD=$PWD/empty-build ./grader/grading/grade --out out plain 2>err.txt; then atf_fail "exit 0 without a build"; fi
	grep -q 'run make first' err.txt || atf_fail "missing build: $(tr '\n' '|' <err.txt)"
	if HVSPEC_BUILD=relative ./grader/grading/grade --out out plain 2>err.txt; then atf_fail "exit 0 with a relative HVSPEC_BUILD"; fi
	grep -q 'must be an absolute path' err.txt || atf_fail "relative build: $(tr '\n' '|' <err.txt)"
	# Exit status 2 exactly.
	set +e
	grade --out out notes.txt
	rc=$?
	set -e
	[ "$rc" -eq 2 ] || atf_fail "exit status $rc, expected 2"
}

atf_test_case broken_handout
broken_handout_head()
{
	atf_set "descr" "when the lab's handout itself does not build, grade exits 2 instead of scoring the student 0"
	atf_set "require.progs" "lua5.4 bwrap"
	atf_set "timeout" "300"
}
broken_handout_body()
{
	setup_grader
	echo 'this does not compile' >>grader/reference/core/main.c
	sample full sub
	if grade --lab t-det --out out sub; then atf_fail "grade graded a submission against a broken handout"; fi
	grep -q 'the handout of lab t-det does not build by itself.*main.c' grade.err ||
		atf_fail "message: $(tr '\n' '|' <grade.err)"
	[ ! -e out/results.json ] || atf_fail "results were written"
}

atf_test_case interrupted
interrupted_head()
{
	atf_set "descr" "a grade stopped by SIGTERM ends its build and leaves no temporary folder or process"
	atf_set "require.progs" "lua5.4 bwrap pgrep"
	atf_set "timeout" "120"
}
interrupted_body()
{
	setup_grader
	sample build-hang sub
	mkdir tmp
	TMPDIR=$PWD/tmp HVSPEC_BUILD=$B ./grader/grading/grade --lab t-build --out out sub >grade.out 2>&1 &
	pid=$!
	for _ in $(seq 1 60); do
		pgrep -f 'sleep 987' >/dev/null && break
		sleep 0.5
	done
	pgrep -f 'sleep 987' >/dev/null || atf_fail "the build never started: $(tr '\n' '|' <grade.out)"
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	[ "$rc" -eq 143 ] || atf_fail "exit status $rc after SIGTERM, expected 143"
	sleep 1
	! pgrep -f 'sleep 987' >/dev/null || atf_fail "the build still runs after grade was stopped"
	[ -z "$(ls -A tmp)" ] || atf_fail "temporary files left: $(ls -A tmp)"
	[ ! -e out/results.json ] || atf_fail "an interrupted grading wrote results"
}

atf_init_test_cases()
{
	atf_add_test_case hvrun_verdicts
	atf_add_test_case bad_inputs
	atf_add_test_case prebuilt_image
	atf_add_test_case bug_cpuid_vendor_zip
	atf_add_test_case bug_print_nul_git
	atf_add_test_case bug_queue_lifo
	atf_add_test_case non_whitelisted_ignored
	atf_add_test_case unit_tests
	atf_add_test_case budget_spent
	atf_add_test_case deterministic
	atf_add_test_case tarball_and_unsafe_archives
	atf_add_test_case build_error
	atf_add_test_case build_hang
	atf_add_test_case build_flood
	atf_add_test_case build_forkbomb
	atf_add_test_case build_escape
	atf_add_test_case broken_handout
	atf_add_test_case interrupted
	atf_add_test_case handout_baseline
	atf_add_test_case full_solution_suite
}
