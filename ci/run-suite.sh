#!/bin/bash
# ci/run-suite.sh conformance|all
#   conformance: only the conformance test program (tests/conformance);
#   all:         every test program the top-level Kyuafile names.
# Runs kyua with two cases at a time and a fresh run folder (build/runs/
# <timestamp>) in which cases share probe runs; prints kyua's line per case,
# the details of every failed or broken case, and a closing line
# "N passed, N failed, N skipped" (broken cases count as failed). Writes the
# kyua results and a JUnit file to build/reports/. Exit status 1 when any
# case failed or broke, 2 when kyua could not run the suite.
# Only the newest KEEP_RUNS (default 5) run folders and result databases are
# kept: a suite run leaves some 25 MB of ROM images and logs behind.
set -euo pipefail

cd "$(dirname "$0")/.."
B=${B:-build}
PARALLELISM=${PARALLELISM:-2}
KEEP_RUNS=${KEEP_RUNS:-5}

mode=${1:-}
case "$mode" in
  conformance) filters=(tests/conformance) ;;
  all) filters=() ;;
  *)
    echo "usage: ci/run-suite.sh conformance|all" >&2
    exit 2
    ;;
esac

stamp=$(date +%Y%m%d-%H%M%S)
run_dir="$PWD/$B/runs/$stamp"
n=1
while [[ -e "$run_dir" ]]; do
  run_dir="$PWD/$B/runs/$stamp-$n"
  n=$((n + 1))
done
reports="$PWD/$B/reports"
mkdir -p "$run_dir" "$reports"

# Removes all but the newest $KEEP_RUNS entries of a folder matching a glob
# (their names are ours: timestamps, no blanks).
prune() {
  local dir=$1 pattern=$2 i
  local -a entries
  # shellcheck disable=SC2012,SC2086 # ls -t sorts by age; the glob must expand
  mapfile -t entries < <(cd "$dir" && ls -1dt -- $pattern 2>/dev/null)
  for ((i = KEEP_RUNS; i < ${#entries[@]}; i++)); do
    rm -rf -- "${dir:?}/${entries[i]}"
  done
}
prune "$PWD/$B/runs" '*'
prune "$reports" "$mode-*.db"
results="$reports/$mode-$(basename "$run_dir").db"
junit="$reports/$mode-junit.xml"
log="$run_dir/kyua.log"

set +e
kyua -v parallelism="$PARALLELISM" -v test_suites.hvspec.run_dir="$run_dir" \
  test --build-root="$B" --results-file="$results" ${filters[@]+"${filters[@]}"} \
  | tee "$log"
kyua_status=${PIPESTATUS[0]}
set -e

if [[ $kyua_status -ne 0 && $kyua_status -ne 1 ]]; then
  echo "ci/run-suite.sh: kyua could not run the suite (exit status $kyua_status)" >&2
  exit 2
fi

kyua report-junit --results-file="$results" --output="$junit"

count() {
  grep -cE "^[^ ].*  ->  $1" "$log" || true
}
passed=$(( $(count passed) + $(count expected_failure) ))
failed=$(count failed)
broken=$(count broken)
skipped=$(count skipped)

if [[ $((failed + broken)) -gt 0 ]]; then
  echo
  echo "==== details of the failed and broken cases"
  # kyua's verbose report without the environment dump and the metadata.
  kyua report --results-file="$results" --verbose --results-filter=failed,broken |
    awk '
      /^===> (Execution context|Skipped tests|Failed tests|Broken tests|Expected failures|Summary)/ { skip = 1; next }
      /^===> / { skip = 0 }
      /^Metadata:$/ { meta = 1; next }
      meta && /^$/ { meta = 0; next }
      !skip && !meta { print }
    '
  if [[ $broken -gt 0 ]]; then
    echo "($broken broken: the test program itself crashed or timed out; counted as failed)"
  fi
fi
echo "results: $results, JUnit: $junit, runs: $run_dir"
echo "$passed passed, $((failed + broken)) failed, $skipped skipped"

if [[ $((failed + broken)) -gt 0 || $kyua_status -ne 0 ]]; then
  exit 1
fi
