#! /usr/bin/env atf-sh
# ci/mutate/select.lua, which picks the cases that judge each mutant of
# ci/mutate.sh from make coverage's data: a line's cases are those whose run
# executed it, and with --spec a case whose disk is the image another case
# left (disk.from) follows that case. Fixtures: a tiny coverage folder (an
# hvrun results file naming each case's run folder, one lcov tracefile per
# run) and a tiny spec folder, both written into the work dir.

ROOT=@ROOT@
SEL="lua5.4 $ROOT/ci/mutate/select.lua"
# The tree the tracefiles measured (their SF: paths start with it).
SRC=/build/tree

# The runs, and the lines of ref/disk.c each executed:
#   a-x1, a-x2, a-x3  dk.x1, dk.x2, dk.x3   40
#   b-write           dk.write              10 25 40
#   c-other           dk.other              10 20
#   d-read            dk.read               25
# Line 30 is instrumented and no run executed it. dk.read's disk is the one
# dk.write's run left (spec/dk.lua below).
make_coverage()
{
	mkdir -p cov/info
	{
		printf '{"schema":1,"cases":['
		sep=
		for c in x1:a-x1 x2:a-x2 x3:a-x3 write:b-write other:c-other read:d-read; do
			printf '%s{"id":"dk.%s","outcome":"pass","details":"case dk.%s\\nrun: engine bochs; files in /build/cov/runs/%s\\nrerun: hvrun dk.%s\\n"}' \
				"$sep" "${c%%:*}" "${c%%:*}" "${c#*:}" "${c%%:*}"
			sep=,
		done
		printf ']}\n'
	} >cov/cases.json
	# tracefile RUN HIT_LINES...: every one of 10 20 25 30 40 instrumented.
	tracefile()
	{
		run=$1; shift
		{
			printf 'TN:\nSF:%s/ref/other.c\nDA:10,1\nend_of_record\n' "$SRC"
			printf 'TN:\nSF:%s/ref/disk.c\n' "$SRC"
			for l in 10 20 25 30 40; do
				n=0
				for h in "$@"; do [ "$h" = "$l" ] && n=3; done
				printf 'DA:%s,%s\n' "$l" "$n"
			done
			printf 'end_of_record\n'
		} >"cov/info/$run.info"
	}
	tracefile a-x1 40
	tracefile a-x2 40
	tracefile a-x3 40
	tracefile b-write 10 25 40
	tracefile c-other 10 20
	tracefile d-read 25
	printf 'dk.x1\ndk.x2\ndk.x3\ndk.write\ndk.other\ndk.read\n' >ids.txt
}

# mutant LINE: one generate.lua line for a mutant of ref/disk.c:LINE, in a
# function spanning only that line.
mutant()
{
	printf 'ref/disk.c:%s:5:constant:1->0\tref/disk.c\t%s\t5\tconstant\tf%s\t%s\t%s\n' "$1" "$1" "$1" "$1" "$1"
}

# A spec folder: the suite's loader and one area with a disk written by
# dk.write and read back by dk.read.
make_spec()
{
	mkdir -p spec
	cp "$ROOT/spec/loader.lua" spec/
	cat >spec/dk.lua <<'EOF'
area { name = "dk", doc = "select_test's fixture" }
local function c(name, disk)
  case {
    id = "dk." .. name, behavior = "b", source = "s", probe = "p",
    expect = { report = "PASS" }, points = 1, disk = disk,
  }
end
c("x1"); c("x2"); c("x3")
c("other")
c("write", { sectors = 8, fill = "zero" })
c("read", { from = "dk.write" })
EOF
}

atf_test_case line_cases
line_cases_head()
{
	atf_set descr "a mutant's cases are those whose run executed its line, not those of" \
		"a run that did not; a line no run executed is unreached, with no case"
	atf_set timeout 20
}
line_cases_body()
{
	make_coverage
	{ mutant 20; mutant 30; } >mutants.tsv
	atf_check -o inline:"ref/disk.c:20:5:constant:1->0\tline\tdk.other\t\nref/disk.c:30:5:constant:1->0\tunreached\t\t\n" \
		$SEL cov "$SRC" mutants.tsv ids.txt
	# Run b-write executed line 10 and d-read did not: dk.write and dk.other
	# judge it, dk.read (without --spec) not.
	mutant 10 >mutants.tsv
	atf_check -o inline:"ref/disk.c:10:5:constant:1->0\tline\tdk.write dk.other\t\n" \
		$SEL cov "$SRC" mutants.tsv ids.txt
}

atf_test_case disk_from_follows_source
disk_from_follows_source_head()
{
	atf_set descr "with --spec, a case whose disk.from names a selected case comes right" \
		"after it (in the same column) though its own run never executed the line," \
		"and never twice; without --spec it is not selected"
	atf_set timeout 20
}
disk_from_follows_source_body()
{
	make_coverage
	make_spec
	{ mutant 10; mutant 40; mutant 25; } >mutants.tsv
	# 10: d-read did not execute it. 40: dk.write is in the other cases (the
	# three runs a-x* come first by name). 25: d-read executed it too.
	atf_check -o inline:"ref/disk.c:10:5:constant:1->0\tline\tdk.write dk.other\t
ref/disk.c:40:5:constant:1->0\tline\tdk.x1 dk.x2 dk.x3\tdk.write
ref/disk.c:25:5:constant:1->0\tline\tdk.write dk.read\t\n" \
		$SEL cov "$SRC" mutants.tsv ids.txt
	atf_check -o inline:"ref/disk.c:10:5:constant:1->0\tline\tdk.write dk.read dk.other\t
ref/disk.c:40:5:constant:1->0\tline\tdk.x1 dk.x2 dk.x3\tdk.write dk.read
ref/disk.c:25:5:constant:1->0\tline\tdk.write dk.read\t\n" \
		$SEL --spec spec cov "$SRC" mutants.tsv ids.txt
	# A case no longer in the suite is not added.
	grep -v '^dk.read$' ids.txt >ids-no-read.txt
	mutant 10 >mutants.tsv
	atf_check -o inline:"ref/disk.c:10:5:constant:1->0\tline\tdk.write dk.other\t\n" \
		$SEL --spec spec cov "$SRC" mutants.tsv ids-no-read.txt
}

atf_test_case bad_spec_fails
bad_spec_fails_head()
{
	atf_set descr "--spec naming a folder without loader.lua, or whose area file does not" \
		"load, exits 2 naming the problem and prints no selection"
	atf_set timeout 20
}
bad_spec_fails_body()
{
	make_coverage
	mutant 10 >mutants.tsv
	atf_check -s exit:2 -e match:'wants a folder' $SEL cov "$SRC" mutants.tsv ids.txt --spec
	mkdir empty
	atf_check -s exit:2 -e match:'cannot load empty/loader\.lua' \
		$SEL --spec empty cov "$SRC" mutants.tsv ids.txt
	make_spec
	sed -i 's/from = "dk.write"/from = "dk.gone"/' spec/dk.lua
	atf_check -s exit:2 -e match:'spec of spec does not load: .*dk\.read.*disk\.from names no case: "dk\.gone"' \
		$SEL --spec spec cov "$SRC" mutants.tsv ids.txt
	make_spec
	sed -i 's/fill = "zero"/fill = "ones"/' spec/dk.lua
	atf_check -s exit:2 -e match:'spec of spec does not load: spec/dk\.lua:[0-9]+: case .dk\.write.: unknown disk\.fill "ones"' \
		$SEL --spec spec cov "$SRC" mutants.tsv ids.txt
}

atf_init_test_cases()
{
	atf_add_test_case line_cases
	atf_add_test_case disk_from_follows_source
	atf_add_test_case bad_spec_fails
}
