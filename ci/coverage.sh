#!/usr/bin/env bash
# make coverage: what the conformance suite executes of the reference,
# measured from inside the running hypervisor (issue 11).
#  1. builds everything with HV_COVERAGE=1 into build-cov/ (the reference
#     streams its gcov counters through the Bochs debug port at every VM end;
#     the harness decodes them into each run's folder and refuses a broken
#     stream);
#  2. runs every case on the coverage build AND on the normal build: a case
#     whose verdict differs between the two fails make coverage;
#  3. turns each run's .gcda files into an lcov tracefile, merges them (with
#     a zero baseline, so files no case reaches count too) and writes
#     build-cov/coverage/reference.info, an HTML report (html/index.html),
#     the per-case and per-function map (cases.md) and summary.txt;
#  4. checks line coverage of reference/ against ci/coverage-threshold (the
#     ratchet): below it fails; above it says so, to raise the threshold.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
cov_b=${COV_B:-build-cov}
out="$root/$cov_b/coverage"
jobs=${JOBS:-2}
threshold_file=ci/coverage-threshold

lcov_q() { lcov --quiet "$@" 2>&1 | grep -v 'redefined at' || true; }

echo "coverage: building the normal and the coverage trees"
make --no-print-directory -s all >/dev/null
make --no-print-directory -s B="$cov_b" HV_COVERAGE=1 all >/dev/null
rm -rf "$out"
mkdir -p "$out/runs" "$out/info"

echo "coverage: every case on the normal build"
start=$SECONDS
build/bin/hvrun --jobs "$jobs" --results "$out/normal.json" '.*' >"$out/normal.txt" 2>&1 || true
normal_seconds=$((SECONDS - start))
echo "coverage: every case on the coverage build"
start=$SECONDS
"$cov_b/bin/hvrun" --kernel "$cov_b/reference/hvspec.elf" --jobs "$jobs" --run-dir "$out/runs" \
	--results "$out/cases.json" '.*' >"$out/cases.txt" 2>&1 || true
cov_seconds=$((SECONDS - start))
tail -1 "$out/normal.txt" | sed 's/^/  normal:   /'
tail -1 "$out/cases.txt" | sed 's/^/  coverage: /'

# Same verdict on both builds, case by case.
lua5.4 ci/coverage-map.lua compare "$out/normal.json" "$out/cases.json" || {
	echo "coverage: the coverage build is judged differently (above); its figures would lie" >&2
	exit 1
}

echo "coverage: one tracefile per run"
gcno_tree() { # copies the .gcno files next to a run's .gcda files
	(cd "$root/$cov_b" && find reference -name '*.gcno' -exec cp --parents {} "$1/" \;)
}
n=0
for run in "$out"/runs/*/; do
	run=${run%/}
	gcda_root="$run/gcov$root/$cov_b"
	[ -d "$gcda_root/reference" ] || { echo "coverage: $run has no coverage data" >&2; exit 1; }
	gcno_tree "$gcda_root"
	lcov_q --capture --directory "$gcda_root/reference" --base-directory "$root" \
		--output-file "$out/info/$(basename "$run").info"
	[ -s "$out/info/$(basename "$run").info" ] || { echo "coverage: lcov failed on $run" >&2; exit 1; }
	n=$((n + 1))
done
echo "  $n runs"

# The zero baseline: every instrumented file, reached or not.
base="$out/baseline"
mkdir -p "$base"
gcno_tree "$base"
lcov_q --capture --initial --directory "$base/reference" --base-directory "$root" \
	--output-file "$out/info/zero-baseline.info.base"
args=()
for f in "$out"/info/*.info "$out"/info/zero-baseline.info.base; do args+=(--add-tracefile "$f"); done
lcov_q "${args[@]}" --output-file "$out/reference.info"
lcov_q --extract "$out/reference.info" "$root/reference/*" --output-file "$out/reference.info"

genhtml --quiet --legend --title "hvspec reference: the conformance suite" \
	--output-directory "$out/html" "$out/reference.info" 2>&1 | grep -v 'redefined at' || true
lua5.4 ci/coverage-map.lua map "$out/cases.json" "$out/info" "$out/cases.md" "$root/"
{
	lcov --summary "$out/reference.info" 2>&1 | grep -E 'lines|functions'
	echo "per directory (lines):"
	for d in boot core vmx lib cov; do
		lcov --quiet --extract "$out/reference.info" "$root/reference/$d/*" --output-file "$out/dir.info" 2>/dev/null || continue
		[ -s "$out/dir.info" ] || continue
		printf '  reference/%-5s %s\n' "$d" "$(lcov --summary "$out/dir.info" 2>&1 | sed -n 's/^ *lines\.*: //p')"
	done
	rm -f "$out/dir.info"
	echo "boots: $cov_seconds s on the coverage build, $normal_seconds s on the normal build" \
		"(ratio $(awk -v c="$cov_seconds" -v n="$normal_seconds" 'BEGIN { printf "%.2f", n ? c / n : 0 }'), one run)"
} | tee "$out/summary.txt"
echo "coverage: report $out/html/index.html, map $out/cases.md, tracefile $out/reference.info"

# The ratchet.
line_rate=$(lcov --summary "$out/reference.info" 2>&1 | sed -n 's/^ *lines\.*: \([0-9.]*\)%.*/\1/p')
threshold=$(grep -v '^#' "$threshold_file" | head -1)
if awk -v r="$line_rate" -v t="$threshold" 'BEGIN { exit !(r + 0 < t + 0) }'; then
	echo "coverage: line coverage of reference/ fell to $line_rate%, below the threshold $threshold% ($threshold_file)" >&2
	exit 1
fi
if awk -v r="$line_rate" -v t="$threshold" 'BEGIN { exit !(r - t >= 0.5) }'; then
	echo "coverage: $line_rate% is above the threshold $threshold%: raise $threshold_file"
fi
echo "coverage: line coverage of reference/ $line_rate% (threshold $threshold%)"
