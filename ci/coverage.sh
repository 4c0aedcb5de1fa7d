#!/usr/bin/env bash
# make coverage: what the conformance suite executes of the reference,
# measured from inside the running hypervisor, merged with host coverage of
# the portable modules (tests/unit), and the harness's coverage by its own
# tests (issue 11).
#  1. builds everything with HV_COVERAGE=1 HOST_COVERAGE=1 into build-cov/
#     (the reference streams its gcov counters through the Bochs debug port
#     at every VM end; the harness decodes them into each run's folder and
#     refuses a broken stream; host programs are built with --coverage);
#  2. runs every case on the coverage build AND on the normal build, under
#     bochs (the VMX layer) and under qemu (the SVM layer): a case whose
#     verdict differs between the two builds fails make coverage; then the
#     boots of the reference's own tests (tests/reference), for coverage;
#  3. runs the host unit tests (tests/unit) and the harness's tests
#     (harness/; their own *_test.c sources are left out of its figures):
#     a failing test fails make coverage;
#  4. turns each run's .gcda files into an lcov tracefile, merges them (with
#     a zero baseline, so files no case reaches count too) with the unit
#     tests' and writes build-cov/coverage/: reference.info (suite and unit
#     tests), suite.info, unit.info, harness.info, the HTML reports
#     (html/index.html with html/cases.html and html/exclusions.html;
#     html-harness/index.html), cases.md and cases.tsv (which case reaches
#     which function), catalogue.md/.html (the case catalogue with the
#     functions each case reaches), summary.txt and reference.sha256 (the
#     hash of the sources measured and their commit, for ci/mutate.sh);
#  5. checks line coverage of reference/ (suite and unit tests) against
#     ci/coverage-threshold (the ratchet): below it fails; above it says so,
#     to raise the threshold.
# Settings: COV_B (default build-cov), NORMAL_B (the normal build, default
# build), JOBS (parallel boots, default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
cov_b=${COV_B:-build-cov}
normal_b=${NORMAL_B:-build}
out="$root/$cov_b/coverage"
jobs=${JOBS:-2}
threshold_file=ci/coverage-threshold
lcov_rc=(--rc lcov_branch_coverage=1)
started=$SECONDS

die() {
	echo "coverage: $*" >&2
	exit 1
}
for tool in lcov genhtml kyua lua5.4 gcov; do
	command -v "$tool" >/dev/null || die "'$tool' is not installed: run make deps"
done
[ "$cov_b" != "$normal_b" ] || die "COV_B and NORMAL_B are both '$cov_b': the two builds need their own folders"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hvspec-coverage.XXXXXX")
cleanup() { # nothing left running, no temporary files
	local running
	running=$(jobs -p)
	# shellcheck disable=SC2086 # one pid a word
	[ -z "$running" ] || kill $running 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

# lcov and genhtml, quiet, without the Perl warnings of Debian's lcov 1.16.
# A failure still fails the script (pipefail), with lcov's own message.
lcov_q() { lcov --quiet "${lcov_rc[@]}" "$@" 2> >(grep -v 'redefined at' >&2); }

# Every exclusion marker of reference/ has its reason (checked before the
# long runs; listed again with its line counts at the end).
find reference -name '*.[chS]' | sort >"$tmp/sources"
# shellcheck source=ci/reference-hash.sh
. ci/reference-hash.sh
measured="$(reference_hash "$root")  $(reference_commit "$root")"
lua5.4 ci/coverage-summary.lua exclusions "$root/" <"$tmp/sources" >/dev/null

echo "coverage: building the normal and the coverage trees"
# Make does not track flags: a coverage tree built by another version of
# this script (or without HOST_COVERAGE) is rebuilt from scratch.
stamp="$root/$cov_b/.coverage-build"
stamp_text="HV_COVERAGE=1 HOST_COVERAGE=1"
if [ -d "$cov_b" ] && [ "$(cat "$stamp" 2>/dev/null)" != "$stamp_text" ]; then
	echo "  $cov_b was built with other flags: removing it"
	rm -rf "${root:?}/$cov_b"
fi
make --no-print-directory -s B="$normal_b" all >/dev/null
make --no-print-directory -s B="$cov_b" HV_COVERAGE=1 HOST_COVERAGE=1 all >/dev/null
# The Linux guest (make linux-guest) is data, the same for both builds: the
# coverage build boots the normal build's, so the linux cases run on both.
# Built here as make check builds it, so that make coverage alone runs the
# linux cases too; without it (offline) they are skipped, as in make check.
bash ci/linux-guest.sh "$normal_b" >/dev/null ||
	echo "coverage: no Linux guest (ci/linux-guest.sh failed above): the linux cases are skipped" >&2
if [ -e "$normal_b/linux/bzImage" ] && [ ! -e "$cov_b/linux" ]; then
	ln -s "$(cd "$normal_b" && pwd)/linux" "$cov_b/linux"
fi
echo "$stamp_text" >"$stamp"
rm -rf "$out"
mkdir -p "$out/runs" "$out/info" "$out/reference-tests"
echo "$measured" >"$out/reference.sha256"
# Counters of earlier runs would add to this one's (and a stale .gcda of a
# rebuilt object makes libgcov complain on stderr, which kyua counts as a failure).
find "$cov_b" -name '*.gcda' -delete

echo "coverage: every case on the normal build"
start=$SECONDS
"$normal_b/bin/hvrun" --kernel "$normal_b/reference/hvspec.elf" --jobs "$jobs" \
	--results "$out/normal.json" '.*' >"$out/normal.txt" 2>&1 || true
normal_seconds=$((SECONDS - start))
echo "coverage: every case on the coverage build"
start=$SECONDS
"$cov_b/bin/hvrun" --kernel "$cov_b/reference/hvspec.elf" --jobs "$jobs" --run-dir "$out/runs" \
	--results "$out/cases.json" '.*' >"$out/cases.txt" 2>&1 || true
cov_seconds=$((SECONDS - start))
# The SVM layer runs under QEMU TCG: the same pair of runs there. The run
# keys name the engine, so both engines' runs share one run folder.
echo "coverage: every case under qemu (the SVM layer), normal and coverage builds"
start=$SECONDS
"$normal_b/bin/hvrun" --engine qemu --kernel "$normal_b/reference/hvspec.elf" --jobs "$jobs" \
	--results "$out/normal-qemu.json" '.*' >"$out/normal-qemu.txt" 2>&1 || true
"$cov_b/bin/hvrun" --engine qemu --kernel "$cov_b/reference/hvspec.elf" --jobs "$jobs" --run-dir "$out/runs" \
	--results "$out/cases-qemu.json" '.*' >"$out/cases-qemu.txt" 2>&1 || true
qemu_seconds=$((SECONDS - start))
for run in normal cases normal-qemu cases-qemu; do
	tail -1 "$out/$run.txt" | sed "s/^/  $run: /"
	[ -s "$out/$run.json" ] || die "the $run run wrote no results ($out/$run.txt says why)"
done

# Same verdict on both builds, case by case, on each engine.
lua5.4 ci/coverage-map.lua compare "$out/normal.json" "$out/cases.json" ||
	die "the coverage build is judged differently under bochs (above); its figures would lie"
lua5.4 ci/coverage-map.lua compare "$out/normal-qemu.json" "$out/cases-qemu.json" ||
	die "the coverage build is judged differently under qemu (above); its figures would lie"

# The reference's own tests (tests/reference) boot it with self-test faults
# no spec case uses; their boots, replayed here with their runs kept, count
# too. Their verdicts are make check's business.
echo "coverage: the boots of tests/reference"
n=0
while read -r args; do
	case $args in
	*[\"\'\$\`\\]*) die "tests/reference/reference_test.sh: cannot replay 'boot $args' (quotes or variables)" ;;
	esac
	n=$((n + 1))
	# shellcheck disable=SC2086 # the test's own word splitting
	"$cov_b/bin/hvrun" --kernel "$cov_b/reference/hvspec.elf" --timeout 60 \
		--keep "$out/reference-tests/$n" $args >"$out/reference-tests/$n.txt" 2>&1 || true
	[ -d "$out/reference-tests/$n/gcov" ] ||
		die "boot $args (tests/reference) sent no coverage data: see $out/reference-tests/$n.txt"
done < <(sed -n 's/^[[:space:]]*boot \(--.*\)$/\1/p' tests/reference/reference_test.sh)
echo "  $n boots"

# Harness counters so far come from the suite's hvrun; the harness's figures
# are those of its own tests.
find "$cov_b/harness" -name '*.gcda' -delete

run_tests() { # what kyuafile build-root
	local what=$1 kyuafile=$2 build_root=$3 db="$tmp/$1.db"
	if ! kyua test --results-file="$db" --kyuafile="$kyuafile" --build-root="$build_root" \
		>"$out/$what-tests.txt" 2>&1; then
		kyua report --results-file="$db" --results-filter=broken,failed >&2 || true
		die "the $what tests failed (above; all of it in $out/$what-tests.txt): fix them first, make coverage measures a tree whose tests pass"
	fi
	tail -1 "$out/$what-tests.txt" | sed "s/^/  $what tests: /"
}
echo "coverage: the host unit tests and the harness's tests"
run_tests unit tests/unit/Kyuafile "$cov_b/tests/unit"
run_tests harness harness/Kyuafile "$cov_b/harness"

echo "coverage: tracefiles"
gcno_tree() { # copies the .gcno files of the reference next to a run's .gcda files
	(cd "$root/$cov_b" && find reference -name '*.gcno' -exec cp --parents {} "$1/" \;)
}
capture_run() { # gcda_root name run_folder
	# No stream at all: the run ended before the C code of reference/ ran
	# (the 32-bit refusal of a processor without long mode). A broken
	# stream is another matter: hvrun made that case an ERROR.
	if [ ! -d "$1/reference" ]; then
		# hv_main's first line means C code ran: its counters must have come.
		if grep -q '^\[hv\] hvspec reference hypervisor' "$3/serial.txt" 2>/dev/null; then
			die "$2: the hypervisor's C code ran but no coverage data came back (does the engine pass port 0xE9 on?)"
		fi
		echo "  $2: no coverage data (nothing instrumented ran)"
		return 0
	fi
	gcno_tree "$1"
	lcov_q --capture --directory "$1/reference" --base-directory "$root" \
		--output-file "$out/info/$2.info"
	[ -s "$out/info/$2.info" ] || die "lcov wrote no tracefile for $1"
	find "$1" -name '*.gcno' -delete
}
# JOBS captures at a time (lcov runs gcov once per file: the slow part).
n=0
pids=()
for run in "$out"/runs/*/ "$out"/reference-tests/*/; do
	run=${run%/}
	name=$(basename "$run")
	[[ $run == "$out/reference-tests/"* ]] && name="reference-test-$name"
	capture_run "$run/gcov$root/$cov_b" "$name" "$run" &
	pids+=($!)
	n=$((n + 1))
	if [ "${#pids[@]}" -ge "$jobs" ]; then
		wait "${pids[0]}" || die "capturing a run's coverage failed (above)"
		pids=("${pids[@]:1}")
	fi
done
for pid in "${pids[@]}"; do wait "$pid" || die "capturing a run's coverage failed (above)"; done
echo "  $n runs"

# The zero baseline: every instrumented file of the hypervisor, reached or not.
mkdir -p "$tmp/baseline"
gcno_tree "$tmp/baseline"
lcov_q --capture --initial --directory "$tmp/baseline/reference" --base-directory "$root" \
	--output-file "$tmp/zero-baseline.info"
args=()
for f in "$out"/info/*.info "$tmp/zero-baseline.info"; do args+=(--add-tracefile "$f"); done
lcov_q "${args[@]}" --output-file "$tmp/suite-all.info"
lcov_q --extract "$tmp/suite-all.info" "$root/reference/*" --output-file "$out/suite.info"

# Host: the unit tests (their reference/ files) and the harness's tests.
lcov_q --capture --directory "$cov_b/tests/unit" --base-directory "$root" --output-file "$tmp/unit-all.info"
lcov_q --extract "$tmp/unit-all.info" "$root/reference/*" --output-file "$out/unit.info"
lcov_q --capture --directory "$cov_b/harness" --base-directory "$root" --output-file "$tmp/harness-all.info"
lcov_q --extract "$tmp/harness-all.info" "$root/harness/*" --output-file "$tmp/harness-and-tests.info"
lcov_q --remove "$tmp/harness-and-tests.info" '*_test.c' --output-file "$out/harness.info"
lcov_q --add-tracefile "$out/suite.info" --add-tracefile "$out/unit.info" --output-file "$out/reference.info"

# Which lines the markers exclude: the baseline again, from a copy of the
# sources whose markers are disabled.
mkdir -p "$tmp/unmarked"
cp -r reference "$tmp/unmarked/"
find "$tmp/unmarked/reference" -type f -exec sed -i 's/LCOV_EXCL_/LCOV_KEPT_/g' {} +
lcov_q --capture --initial --directory "$tmp/baseline/reference" --base-directory "$tmp/unmarked" \
	--output-file "$tmp/unmarked.info"

echo "coverage: reports"
cat >"$tmp/epilog.html" <<'EOF'
<p><a href="@basedir@cases.html">Which cases reach which function</a> ·
<a href="@basedir@exclusions.html">Lines excluded, with their reasons</a></p>
</body>
</html>
EOF
genhtml --quiet "${lcov_rc[@]}" --legend --prefix "$root/reference" --html-epilog "$tmp/epilog.html" \
	--title "hvspec reference/: the conformance suite and the host unit tests" \
	--output-directory "$out/html" "$out/reference.info" 2> >(grep -v 'redefined at' >&2)
genhtml --quiet "${lcov_rc[@]}" --legend --prefix "$root/harness" \
	--title "hvspec harness/: its own tests" \
	--output-directory "$out/html-harness" "$out/harness.info" 2> >(grep -v 'redefined at' >&2)
lua5.4 ci/coverage-map.lua map "$out/cases.json,$out/cases-qemu.json" "$out/info" "$out/reference.info" "$out/unit.info" \
	"$out" "$root/"
# The case catalogue with, per case, the functions its run reached.
# shellcheck disable=SC2046 # one argument per spec file, as the Makefile passes them
lua5.4 ci/catalogue spec "$out/catalogue.md" --coverage-map "$out/cases.tsv" $(cd spec && ls -- *.lua)
{
	lua5.4 ci/coverage-summary.lua summary "$root/" "$out/reference.info" "$out/suite.info" \
		"$out/unit.info" "$out/harness.info"
	echo
	lua5.4 ci/coverage-summary.lua exclusions "$root/" "$tmp/unmarked.info" "$tmp/unmarked/" \
		"$out/html/exclusions.html" <"$tmp/sources"
	echo
	echo "boots: $cov_seconds s on the coverage build, $normal_seconds s on the normal build" \
		"(ratio $(awk -v c="$cov_seconds" -v n="$normal_seconds" 'BEGIN { printf "%.2f", n ? c / n : 0 }'), one run, bochs);" \
		"both builds under qemu $qemu_seconds s;" \
		"make coverage took $((SECONDS - started)) s"
} | tee "$out/summary.txt"
echo "coverage: report $out/html/index.html (cases: $out/html/cases.html;" \
	"excluded lines: $out/html/exclusions.html), harness $out/html-harness/index.html," \
	"map $out/cases.md, catalogue $out/catalogue.html, tracefile $out/reference.info"

# The ratchet, on reference/ covered by the suite and the unit tests.
line_rate=$(lcov --summary "$out/reference.info" 2>&1 | sed -n 's/^ *lines\.*: \([0-9.]*\)%.*/\1/p')
[ -n "$line_rate" ] || die "no line rate in $out/reference.info"
threshold=$(grep -v '^#' "$threshold_file" | head -1)
[[ $threshold =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "$threshold_file holds '$threshold', not a percentage"
if awk -v r="$line_rate" -v t="$threshold" 'BEGIN { exit !(r + 0 < t + 0) }'; then
	die "line coverage of reference/ fell to $line_rate%, below the threshold $threshold% ($threshold_file)"
fi
if awk -v r="$line_rate" -v t="$threshold" 'BEGIN { exit !(r - t >= 0.5) }'; then
	echo "coverage: $line_rate% is above the threshold $threshold%: raise $threshold_file"
fi
echo "coverage: line coverage of reference/ $line_rate% (threshold $threshold%)"
