#! /usr/bin/env atf-sh
# grading/batch and its gradebook: the reports from hand-written grading
# records, bad usage, and real batches graded by grading/grade (five mixed
# submissions, resuming, --regrade, a hung grade).
# @ROOT@ and @B@ are filled in by grading/gradebook/build.mk.
ROOT='@ROOT@'
B='@B@'
. "$ROOT/grading/lib/grader-copy.sh"
BATCH="$ROOT/grading/batch"
GRADEBOOK="$ROOT/grading/gradebook/gradebook"
# The smallest shipped lab (fewest boots per grade).
LAB=vmx-basics

# A file's lines joined with '|': atf wants one-line failure reasons.
flat()
{
	tr '\n' '|' <"$1"
}

# Writes OUT/ID/results.json (schema hvspec-grade-1) for lab $LAB, with the
# caller's $max as its maximum.
#   write_results OUT ID STATUS SCORE BOOT CPU CPUID HYPERCALL IMAGE_SHA CASES_JSON [LAB]
write_results()
{
	local out=$1 id=$2 status=$3 score=$4 boot=$5 cpu=$6 cpuid=$7 hc=$8 sha=$9 cases=${10}
	local lab=${11:-$LAB} image=null json_id
	json_id=$(printf '%s' "$id" | sed 's/"/\\"/g')
	[ -n "$sha" ] && image="{\"path\": \"/img.elf\", \"sha256\": \"$sha\"}"
	mkdir -p "$out/$id"
	cat >"$out/$id/results.json" <<JSON
{"schema": "hvspec-grade-1", "submission": "/subs/$json_id", "id": "$json_id",
 "lab": "$lab", "status": "$status", "status_reason": "reason of $status, with a comma",
 "image": $image, "score": $score, "max_score": $max,
 "areas": {"boot": {"score": $boot, "max_score": 68}, "cpu": {"score": $cpu, "max_score": 8},
           "cpuid": {"score": $cpuid, "max_score": 16}, "hypercall": {"score": $hc, "max_score": 48},
           "vm_exits": {"score": 0, "max_score": 3}},
 "ignored_files": [], "cases": [$cases], "units": [],
 "graded_at": "2026-12-06T10:00:00Z", "seconds": 30.5}
JSON
}

# One case of a results.json.
case_json()
{
	echo "{\"id\": \"$1\", \"area\": \"${1%%.*}\", \"visibility\": \"public\", \"outcome\": \"$2\", \"points\": $3, \"max_points\": $4, \"reason\": \"r\", \"details\": \"\", \"rerun\": \"x\", \"seconds\": 0.3, \"image_sha256\": \"ab\"}"
}

# Prints the cell of COLUMN in the row of ID of a gradebook.csv, parsing the
# CSV quoting properly (so quoting mistakes fail the test).
#   csv_cell FILE ID COLUMN
csv_cell()
{
	lua5.4 - "$@" <<'LUA'
local path, want_id, want_col = arg[1], arg[2], arg[3]
local f = assert(io.open(path, "rb"))
local text = f:read("a")
f:close()
local rows, row, field, i, n = {}, {}, {}, 1, #text
while i <= n do
  local ch = text:sub(i, i)
  if ch == '"' and #field == 0 then
    local j = i + 1
    while true do
      local q = assert(text:find('"', j, true), "unterminated quoted field")
      if text:sub(q + 1, q + 1) == '"' then
        field[#field + 1] = text:sub(j, q); j = q + 2
      else
        field[#field + 1] = text:sub(j, q - 1); i = q + 1; break
      end
    end
  elseif ch == "," then
    row[#row + 1] = table.concat(field); field = {}; i = i + 1
  elseif ch == "\n" then
    row[#row + 1] = table.concat(field); field = {}; rows[#rows + 1] = row; row = {}; i = i + 1
  else
    field[#field + 1] = ch; i = i + 1
  end
end
local header = rows[1]
local col
for k, name in ipairs(header) do if name == want_col then col = k end end
if not col then io.stderr:write("no column " .. want_col .. "\n"); os.exit(1) end
for r = 2, #rows do
  if #rows[r] ~= #header then io.stderr:write("row " .. r .. " has " .. #rows[r] .. " cells\n"); os.exit(1) end
  if rows[r][1] == want_id then print(rows[r][col]); os.exit(0) end
end
io.stderr:write("no row " .. want_id .. "\n")
os.exit(1)
LUA
}

# expect_cell FILE ID COLUMN VALUE: the cell holds VALUE.
expect_cell()
{
	local got
	got=$(csv_cell "$1" "$2" "$3" 2>&1) || atf_fail "gradebook.csv: $got"
	[ "$got" = "$4" ] || atf_fail "gradebook.csv: $2's $3 is '$got', expected '$4'"
}

# The lab's maximum score and the handout's documented baseline (the points
# of the cases that need none of the removed solution regions).
lab_max()
{
	"$GRADEBOOK" labinfo "$LAB" | sed -n 's/^max_score //p'
}
area_max()
{
	"$GRADEBOOK" areas "$LAB" | sed -n "s/^$1 //p"
}
handout_baseline()
{
	lua5.4 - "$ROOT" "$LAB" <<'LUA'
local lab = dofile(arg[1] .. "/grading/lib/lab.lua")
local L = lab.load(arg[1], arg[2])
local points = 0
for _, c in ipairs(L.cases) do
  if #lab.regions_needed(L, c.id) == 0 then points = points + c.points end
end
print(points)
LUA
}

# A sample submission of grading/submission/mksample: KIND in DIR.
sample()
{
	"$ROOT/grading/submission/mksample" "$1" "$2" >mksample.out 2>&1 ||
		atf_fail "mksample $1 failed: $(flat mksample.out)"
}

# Grading needs this tree's build (the case runner, the probes, the image).
require_build()
{
	[ -x "$B/bin/hvrun" ] && [ -f "$B/reference/hvspec.elf" ] ||
		atf_skip "build first: make B=$B all"
	export HVSPEC_BUILD="$B"
}

atf_test_case report_from_records
report_from_records_head()
{
	atf_set "descr" "gradebook.csv, summary.md/.txt and histogram.png from hand-written records: quoting, sorting, rows without a grade"
	atf_set "require.progs" "lua5.4 gnuplot"
	atf_set "timeout" "60"
}
report_from_records_body()
{
	local sha_a sha_b all_pass bob_cases max
	max=$(lab_max)
	sha_a=$(printf a | sha256sum | cut -c1-64)
	sha_b=$(printf b | sha256sum | cut -c1-64)
	all_pass="$(case_json cpu.no_vmx pass 2 2), $(case_json cpuid.stable_leaf0 pass 1 1), $(case_json hypercall.preserve_rflags pass 1 1)"
	bob_cases="$(case_json cpu.no_vmx pass 2 2), $(case_json cpuid.stable_leaf0 fail 0 1), $(case_json hypercall.preserve_rflags pass 1 1)"
	write_results out alice graded 136 64 8 16 48 "$sha_a" "$all_pass"
	write_results out bob graded 135 64 8 15 48 "$sha_b" "$bob_cases"
	write_results out 'c,d "e"' build_failed 0 0 0 0 0 "" ""
	mkdir -p out/.batch
	printf 'status=grade_timeout\nreason=killed after 10 s\nexit=124\nseconds=10\n' >out/.batch/dave.outcome
	write_results out frank graded 171 0 0 0 0 "$sha_a" "" memory
	printf '%s\n' frank eve dave 'c,d "e"' bob alice >ids

	"$GRADEBOOK" report out "$LAB" ids >report.out 2>&1 || atf_fail "report failed: $(flat report.out)"

	cat >expected.csv <<CSV
id,score,max,boot,cpu,cpuid,hypercall,vm_exits,status,status_reason,image_sha256
alice,136,$max,64,8,16,48,0,graded,"reason of graded, with a comma",$sha_a
bob,135,$max,64,8,15,48,0,graded,"reason of graded, with a comma",$sha_b
"c,d ""e""",0,$max,0,0,0,0,0,build_failed,"reason of build_failed, with a comma",
dave,,$max,,,,,,grade_timeout,killed after 10 s,
eve,,$max,,,,,,not_graded,no grading record: the batch stopped before this submission ran,
frank,,$max,,,,,,grade_failed,"out/frank/results.json: graded for lab ""memory"", not ""$LAB""",
CSV
	diff -u expected.csv out/gradebook.csv >csv.diff || atf_fail "gradebook.csv differs: $(grep '^[-+][^-+]' csv.diff | tr '\n' '|')"

	# Cases by failures: cpuid.stable_leaf0 fails for bob and the failed build.
	grep -A 4 '^| case ' out/summary.md >cases.md
	sed -n 3p cases.md | grep -q '^| cpuid.stable_leaf0 | cpuid | public | 1 | 2 | 1 | 33.3% |$' ||
		atf_fail "most failed case is not first: $(flat cases.md)"
	sed -n 4p cases.md | grep -q '^| cpu.no_vmx | cpu | public | 2 | 1 | 2 | 66.7% |$' ||
		atf_fail "case order: $(flat cases.md)"
	grep -q '^| mean | 90.33 | [0-9.]*% |$' out/summary.md || atf_fail "mean: $(grep -A8 '## Scores' out/summary.md)"
	grep -q '^!\[score histogram](histogram.png)$' out/summary.md || atf_fail "no picture in summary.md"
	# The lab's maximum grows with the suite, so the buckets of alice's 136
	# and bob's 135 points follow it (the labels are right-aligned to 8).
	local b136 b135
	b136=$(awk -v s=136 -v m="$max" 'BEGIN { b = int(s * 100 / m / 10) * 10; if (b > 90) b = 90
		printf "%8s", b "-" (b == 90 ? 100 : b + 9) "%" }')
	b135=$(awk -v s=135 -v m="$max" 'BEGIN { b = int(s * 100 / m / 10) * 10; if (b > 90) b = 90
		printf "%8s", b "-" (b == 90 ? 100 : b + 9) "%" }')
	if [ "$b136" = "$b135" ]; then
		grep -q "^$b136 | ## *2\$" out/summary.txt || atf_fail "text histogram: $(grep '%' out/summary.txt)"
	else
		grep -q "^$b136 | # *1\$" out/summary.txt && grep -q "^$b135 | # *1\$" out/summary.txt ||
			atf_fail "text histogram: $(grep '%' out/summary.txt)"
	fi
	grep -q '^    0-9% | # *1$' out/summary.txt || atf_fail "text histogram: $(grep '%' out/summary.txt)"
	grep -q '^dave  *grade_timeout  *no grade  *killed after 10 s$' out/summary.txt ||
		atf_fail "dave not listed to look at: $(flat out/summary.txt)"
	[ "$(head -c 8 out/histogram.png | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
		atf_fail "histogram.png is not a PNG picture"
}

atf_test_case mixed_batch
mixed_batch_head()
{
	atf_set "descr" "five mixed submissions (full, handout, bugged, non-building, prebuilt image) give the expected gradebook (lab t-basics, vmx-basics in small); a rerun skips all five"
	atf_set "require.progs" "lua5.4 parallel gnuplot bwrap zip"
	atf_set "timeout" "900"
}
mixed_batch_body()
{
	require_build
	# Real batches test the batch, not a lab's many Bochs boots: the copy's
	# batch, gradebook, samples, handout and its lab t-basics (every helper
	# below reads these names).
	copy_grader_tree "$ROOT" "$B" grader || atf_fail "cannot copy $ROOT"
	local ROOT=$PWD/grader LAB=t-basics
	local BATCH=$ROOT/grading/batch GRADEBOOK=$ROOT/grading/gradebook/gradebook
	local max base sha rc
	max=$(lab_max)
	base=$(handout_baseline)
	[ -n "$max" ] && [ -n "$base" ] && [ "$base" -lt "$max" ] || atf_fail "lab $LAB: max '$max', handout baseline '$base'"
	mkdir subs
	sample full subs/full
	"$ROOT/grading/handout/mkhandout" --root "$ROOT" "$LAB" handout >mkhandout.out 2>&1 ||
		atf_fail "mkhandout failed: $(flat mkhandout.out)"
	cp "handout/hvspec-$LAB.tar.gz" subs/handout.tar.gz
	# A realistic bug: CPUID leaf 0 returns the vendor's ECX and EDX swapped.
	sample cpuid-vendor bugged
	(cd bugged && tar -czf ../subs/bugged.tar.gz .)
	sample build-error nobuild
	(cd nobuild && zip -q -r ../subs/nobuild.zip .)
	cp "$B/reference/hvspec.elf" subs/image.elf
	sha=$(sha256sum subs/image.elf | cut -c1-64)

	set +e
	"$BATCH" --lab "$LAB" -j 2 --out out subs >batch.out 2>&1
	rc=$?
	set -e
	[ "$rc" -eq 0 ] || atf_fail "batch exit status $rc: $(flat batch.out)"
	[ "$(wc -l <out/gradebook.csv)" -eq 6 ] || atf_fail "gradebook.csv has not 1 + 5 lines: $(flat out/gradebook.csv)"
	[ "$(cut -d, -f1 out/gradebook.csv | tr '\n' ' ')" = "id bugged full handout image nobuild " ] ||
		atf_fail "rows not sorted by id: $(cut -d, -f1 out/gradebook.csv | tr '\n' ' ')"

	expect_cell out/gradebook.csv full status graded
	expect_cell out/gradebook.csv full score "$max"
	expect_cell out/gradebook.csv full max "$max"
	expect_cell out/gradebook.csv image status graded
	expect_cell out/gradebook.csv image score "$max"
	expect_cell out/gradebook.csv image image_sha256 "$sha"
	expect_cell out/gradebook.csv handout status graded
	expect_cell out/gradebook.csv handout score "$base"
	expect_cell out/gradebook.csv nobuild status build_failed
	expect_cell out/gradebook.csv nobuild score 0
	expect_cell out/gradebook.csv nobuild image_sha256 ""
	csv_cell out/gradebook.csv nobuild status_reason | grep -q 'exit_cpuid.c' ||
		atf_fail "nobuild's reason does not name the failing file: $(csv_cell out/gradebook.csv nobuild status_reason)"
	# The bug costs CPUID points only: every hypercall point, fewer than all CPUID ones.
	expect_cell out/gradebook.csv bugged status graded
	expect_cell out/gradebook.csv bugged hypercall "$(area_max hypercall)"
	local bug_score bug_cpuid
	bug_score=$(csv_cell out/gradebook.csv bugged score)
	bug_cpuid=$(csv_cell out/gradebook.csv bugged cpuid)
	[ "$bug_cpuid" -lt "$(area_max cpuid)" ] && [ "$bug_score" -lt "$max" ] && [ "$bug_score" -gt "$base" ] ||
		atf_fail "bugged: score $bug_score (cpuid $bug_cpuid), expected between the baseline $base and $max with CPUID points lost"
	for f in summary.md summary.txt histogram.png; do
		[ -s "out/$f" ] || atf_fail "no out/$f"
	done
	grep -q '^| full marks | 2 of 5 | 40.0% |$' out/summary.md ||
		atf_fail "summary.md: full marks row: $(grep 'full marks' out/summary.md)"

	# Resuming: every submission has a complete record, none is graded again.
	stat -c '%n %Y %i' out/*/results.json >before
	"$BATCH" --lab "$LAB" -j 2 --out out subs >rerun.out 2>&1 || atf_fail "rerun failed: $(flat rerun.out)"
	grep -q '5 submissions: 0 to grade' rerun.out || atf_fail "rerun grades again: $(flat rerun.out)"
	grep -q 'skipping the 5 already graded' rerun.out || atf_fail "rerun does not say it skips: $(flat rerun.out)"
	stat -c '%n %Y %i' out/*/results.json >after
	cmp -s before after || atf_fail "rerun rewrote results: $(diff before after | tr '\n' '|')"
	[ "$(wc -l <out/gradebook.csv)" -eq 6 ] || atf_fail "rerun's gradebook.csv lost rows"
}

atf_test_case regrade
regrade_head()
{
	atf_set "descr" "--regrade grades a submission again although its record is complete"
	atf_set "require.progs" "lua5.4 parallel gnuplot bwrap"
	atf_set "timeout" "300"
}
regrade_body()
{
	require_build
	mkdir subs
	sample build-error subs/nobuild
	"$BATCH" --lab "$LAB" --out out subs >first.out 2>&1 || atf_fail "first batch failed: $(flat first.out)"
	expect_cell out/gradebook.csv nobuild status build_failed
	local first
	first=$(stat -c '%Y %i' out/nobuild/results.json)
	"$BATCH" --lab "$LAB" --out out subs >skip.out 2>&1 || atf_fail "second batch failed: $(flat skip.out)"
	grep -q '1 submissions: 0 to grade' skip.out || atf_fail "no skip: $(flat skip.out)"
	sleep 1
	"$BATCH" --lab "$LAB" --regrade --out out subs >regrade.out 2>&1 || atf_fail "regrade failed: $(flat regrade.out)"
	grep -q '1 submissions: 1 to grade' regrade.out || atf_fail "--regrade did not grade: $(flat regrade.out)"
	grep -q '^nobuild: 0/[0-9]* (build_failed' regrade.out || atf_fail "no job line: $(flat regrade.out)"
	[ "$(stat -c '%Y %i' out/nobuild/results.json)" != "$first" ] || atf_fail "results.json was not rewritten"
	expect_cell out/gradebook.csv nobuild status build_failed
}

atf_test_case hung_grade
hung_grade_head()
{
	atf_set "descr" "a grade that hangs is killed at the batch's limit and gets a row with the reason; the batch goes on to the next submission; nothing is left running"
	atf_set "require.progs" "lua5.4 parallel gnuplot pgrep"
	atf_set "timeout" "120"
}
hung_grade_body()
{
	require_build
	mkdir subs
	: >subs/a-hang.elf
	echo "not a zip" >subs/b-junk.zip
	# grading/grade, except that it hangs on the entry named *hang*.
	cat >hanging-grade <<SH
#!/bin/bash
case "\${@: -1}" in
*hang*) echo "hanging on purpose"; exec sleep 617 ;;
esac
exec "$ROOT/grading/grade" "\$@"
SH
	chmod +x hanging-grade
	local rc
	set +e
	HVSPEC_GRADE=$PWD/hanging-grade "$BATCH" --lab "$LAB" -j 1 --timeout 5 --out out subs >batch.out 2>&1
	rc=$?
	set -e
	[ "$rc" -eq 1 ] || atf_fail "batch exit status $rc, expected 1 (submissions without a grade): $(flat batch.out)"
	expect_cell out/gradebook.csv a-hang status grade_timeout
	expect_cell out/gradebook.csv a-hang score ""
	csv_cell out/gradebook.csv a-hang status_reason | grep -q 'longer than the batch.s limit of 5 s' ||
		atf_fail "a-hang's reason: $(csv_cell out/gradebook.csv a-hang status_reason)"
	# One job at a time: the junk archive was graded after the hang was killed.
	expect_cell out/gradebook.csv b-junk status grade_refused
	csv_cell out/gradebook.csv b-junk status_reason | grep -q 'which grade does not take' ||
		atf_fail "b-junk's reason is not grade's message: $(csv_cell out/gradebook.csv b-junk status_reason)"
	grep -n '^a-hang: no grade: grade_timeout\|^b-junk: no grade: grade_refused' batch.out | cut -d: -f2 | tr '\n' ' ' >order
	[ "$(cat order)" = "a-hang b-junk " ] || atf_fail "job lines: '$(cat order)': $(flat batch.out)"
	grep -q '0 with a grade, 2 without' batch.out || atf_fail "closing line: $(flat batch.out)"
	grep -q '^| a-hang | grade_timeout | no grade |' out/summary.md || atf_fail "summary.md does not list a-hang"
	! pgrep -f 'sleep 617' >/dev/null || atf_fail "the hung grade's process is still running"
}

atf_test_case bad_usage
bad_usage_head()
{
	atf_set "descr" "bad usage is refused with exit status 2 and a message naming the problem"
	atf_set "require.progs" "lua5.4 parallel"
	atf_set "timeout" "60"
}
bad_usage_body()
{
	mkdir subs empty
	: >subs/alice.elf
	# expect_usage PATTERN ARGS...: exit status 2, stderr matches PATTERN.
	expect_usage()
	{
		local pattern=$1
		shift
		set +e
		"$BATCH" "$@" >out 2>err
		local rc=$?
		set -e
		[ "$rc" -eq 2 ] || atf_fail "grading/batch $*: exit status $rc, expected 2; $(flat err)"
		grep -q -- "$pattern" err || atf_fail "grading/batch $*: '$(head -1 err)' does not say '$pattern'"
		[ ! -s out ] || atf_fail "grading/batch $*: printed on stdout: $(flat out)"
	}
	expect_usage "no submissions folder given"
	expect_usage "'nowhere' does not exist" nowhere
	expect_usage "unknown option '--bogus'" --bogus subs
	expect_usage "-j needs a positive whole number, not '0'" -j 0 subs
	expect_usage "--timeout needs a positive whole number, not 'x'" --timeout x subs
	expect_usage "--lab needs a value" subs --lab
	expect_usage "unknown lab 'nolab' (known labs: " --lab nolab subs
	expect_usage "--sshloginfile 'missing' is not a readable file" --sshloginfile missing subs
	expect_usage "one submissions folder only" subs empty
	expect_usage "no submissions in" empty
	expect_usage "inside the submissions folder" --out subs/results subs
	[ ! -e subs/results ] || atf_fail "a refused --out was created"
	mkdir subs/summary.md
	expect_usage "would be graded into DIR/summary.md, the batch's own report; rename it" subs
	rmdir subs/summary.md
	mkdir subs/alice
	expect_usage "are both submission 'alice'; rename or remove one" subs
	"$BATCH" --help >help 2>&1 || atf_fail "--help failed"
	grep -q '^usage: grading/batch' help || atf_fail "--help prints no usage"
}

atf_test_case csv_cells_are_inert
csv_cells_are_inert_head()
{
	atf_set "descr" "gradebook.csv never holds a cell a spreadsheet runs as a formula (a submission named =...)"
	atf_set "require.progs" "lua5.4"
	atf_set "timeout" "30"
}
csv_cells_are_inert_body()
{
	row=$(lua5.4 -e 'local csv = dofile("'"$ROOT"'/grading/gradebook/csv.lua")
		io.write(csv.row({ "=HYPERLINK(\"x\")", "+1", "-2", "@a", "ok", "12" }))')
	[ "$row" = "\"'=HYPERLINK(\"\"x\"\")\",'+1,'-2,'@a,ok,12" ] || atf_fail "row: $row"
}

atf_init_test_cases()
{
	atf_add_test_case csv_cells_are_inert
	atf_add_test_case report_from_records
	atf_add_test_case bad_usage
	atf_add_test_case mixed_batch
	atf_add_test_case regrade
	atf_add_test_case hung_grade
}
