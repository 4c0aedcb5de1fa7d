#!/bin/bash
# ci/run-suite.sh conformance|all
#   conformance: only the conformance test program (tests/conformance);
#   all:         every test program the top-level Kyuafile names.
# Runs kyua with two cases at a time and a fresh run folder (build/runs/
# <timestamp>) in which cases share probe runs; prints kyua's line per case,
# the details of every failed or broken case, the image judged (path and
# SHA-256) and a closing line "N passed, N failed, N skipped" (broken cases
# count as failed). Writes the kyua results and a JUnit file (with the image
# as properties) to build/reports/. Exit status 1 when any case failed or
# broke, 2 when the suite could not run (bad settings, kyua failed), 77 when
# every case was skipped (nothing was judged).
# Settings, from the environment (make run passes its own variables):
#   KERNEL       the hypervisor image to judge (default: the reference)
#   ENGINE       bochs (default), bochs-amd, qemu or qemu-kvm (spec/loader.lua ENGINES)
#   CASES        conformance only: case ids or Lua patterns over whole ids,
#                separated by blanks (hvrun --list CASES shows the choice)
#   RUN_TIMEOUT  seconds: caps every boot's time limit
#   PARALLELISM  cases at a time (default 2); KEEP_RUNS (default 5)
#   SUITE_OUT    absolute folder for runs/ and reports/ (default: the build folder)
# Only the newest KEEP_RUNS run folders and result databases are kept: a
# suite run leaves some 25 MB of ROM images and logs behind.
set -euo pipefail

caller_dir=$PWD # a relative KERNEL= is relative to where the caller stood
cd "$(dirname "$0")/.."
B=${B:-build}
# The build folder, absolute (B may be either).
if [[ $B == /* ]]; then bdir=$B; else bdir=$PWD/$B; fi
out=${SUITE_OUT:-$bdir}
[[ $out == /* ]] || { echo "ci/run-suite.sh: SUITE_OUT=$out must be an absolute path" >&2; exit 2; }
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

fail_settings() {
  echo "ci/run-suite.sh: $*" >&2
  exit 2
}
hvrun="$bdir/bin/hvrun"
[[ -x $hvrun ]] || fail_settings "$hvrun is missing (run 'make all' first)"

vars=()
if [[ -n ${KERNEL:-} ]]; then
  image=$(cd "$caller_dir" && realpath -e -- "$KERNEL" 2>/dev/null) ||
    fail_settings "KERNEL=$KERNEL does not exist (give the path of the hypervisor image to judge)"
  [[ -f $image ]] || fail_settings "KERNEL=$KERNEL is not a file (a folder?); give the hypervisor image"
  [[ -r $image ]] || fail_settings "KERNEL=$KERNEL cannot be read"
  vars+=(-v "test_suites.hvspec.kernel=$image")
else
  image="$bdir/reference/hvspec.elf"
fi
if [[ -n ${ENGINE:-} ]]; then
  "$hvrun" --engine "$ENGINE" --list >/dev/null || fail_settings "ENGINE=$ENGINE is not an engine"
  vars+=(-v "test_suites.hvspec.engine=$ENGINE")
fi
if [[ -n ${RUN_TIMEOUT:-} ]]; then
  # The bound is the spec loader's (one definition, as hvrun reads it).
  timeout_max=$(lua5.4 -e 'print(dofile("spec/loader.lua").TIMEOUT_MAX)')
  [[ $RUN_TIMEOUT =~ ^[1-9][0-9]*$ && $RUN_TIMEOUT -le $timeout_max ]] ||
    fail_settings "RUN_TIMEOUT=$RUN_TIMEOUT: give whole seconds from 1 to $timeout_max"
  vars+=(-v "test_suites.hvspec.run_timeout=$RUN_TIMEOUT")
fi
if [[ -n ${CASES:-} ]]; then
  [[ $mode == conformance ]] || fail_settings "CASES= chooses conformance cases: use it with 'make run'"
  read -r -a selectors <<<"$CASES"
  listing=$("$hvrun" --list "${selectors[@]}") || fail_settings "CASES=$CASES chooses no case"
  filters=()
  while IFS=$'\t' read -r id _; do
    filters+=("tests/conformance:$id")
  done <<<"$listing"
fi
# One clear error for an image the firmware cannot boot, instead of a
# crash in every case.
"$hvrun" --kernel "$image" --check-image >/dev/null || fail_settings "nothing was judged"
image_sha=$(sha256sum -- "$image" | cut -d' ' -f1) || fail_settings "cannot read $image"

stamp=$(date +%Y%m%d-%H%M%S)
run_dir="$out/runs/$stamp"
n=1
while [[ -e "$run_dir" ]]; do
  run_dir="$out/runs/$stamp-$n"
  n=$((n + 1))
done
reports="$out/reports"
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
prune "$out/runs" '*'
prune "$reports" "$mode-*.db"
results="$reports/$mode-$(basename "$run_dir").db"
junit="$reports/$mode-junit.xml"
log="$run_dir/kyua.log"

# Progress: each of kyua's lines gets "[done/total, elapsed, failures]".
total=$(kyua list --build-root="$B" ${filters[@]+"${filters[@]}"} 2>/dev/null | wc -l) || total=0
started=$SECONDS
done_count=0
failures=0
set +e
kyua -v parallelism="$PARALLELISM" -v test_suites.hvspec.run_dir="$run_dir" \
  ${vars[@]+"${vars[@]}"} \
  test --build-root="$B" --results-file="$results" ${filters[@]+"${filters[@]}"} \
  | tee "$log" | while IFS= read -r line; do
    if [[ $line == *"  ->  "* && $line != " "* ]]; then
      ((done_count += 1))
      [[ $line == *"  ->  failed"* || $line == *"  ->  broken"* ]] && ((failures += 1))
      printf '[%d/%d %ds %d failed] %s\n' "$done_count" "$total" $((SECONDS - started)) \
        "$failures" "$line"
    else
      printf '%s\n' "$line"
    fi
  done
kyua_status=${PIPESTATUS[0]}
set -e

if [[ $kyua_status -ne 0 && $kyua_status -ne 1 ]]; then
  echo "ci/run-suite.sh: kyua could not run the suite (exit status $kyua_status)" >&2
  exit 2
fi

kyua report-junit --results-file="$results" --output="$junit"
html="$reports/$mode-html"
kyua report-html --results-file="$results" --output="$html" --force \
  --results-filter=failed,broken,skipped,passed >/dev/null

# The image judged, as JUnit properties of the suite.
xml_escape() {
  local s=${1//&/&amp;}
  s=${s//</&lt;}
  s=${s//>/&gt;}
  s=${s//\"/&quot;}
  printf '%s' "$s"
}
properties="<property name=\"hvspec.image\" value=\"$(xml_escape "$image")\"/>"
properties+="<property name=\"hvspec.image_sha256\" value=\"$image_sha\"/>"
properties+="<property name=\"hvspec.engine\" value=\"$(xml_escape "${ENGINE:-bochs}")\"/>"
# kyua also lists its whole environment there: a grading machine's
# variables are nobody's business, so they go.
awk -v props="$properties" '
  /^<property name="env\./ { next }
  { print }
  /^<properties>$/ && !done { print props; done = 1 }
' "$junit" >"$junit.tmp" && mv "$junit.tmp" "$junit"

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
echo "results: $results, JUnit: $junit, HTML: $html/index.html, runs: $run_dir"
echo "catalogue: $bdir/spec/catalogue.html (and .md)"
echo "image: $image (sha256 $image_sha)"
image_changed=0
if [[ $(sha256sum -- "$image" 2>/dev/null | cut -d' ' -f1) != "$image_sha" ]]; then
  echo "ci/run-suite.sh: $image changed during the run: the verdicts may judge other bytes; run again" >&2
  image_changed=1
fi
echo "$passed passed, $((failed + broken)) failed, $skipped skipped"
if [[ $passed -eq 0 && $((failed + broken)) -eq 0 && $skipped -gt 0 && $kyua_status -eq 0 ]]; then
  # Nothing was judged: not a success (kvm-unit-tests' 77).
  echo "every case was skipped: nothing was judged"
  exit 77
fi

if [[ $((failed + broken)) -gt 0 || $kyua_status -ne 0 || $image_changed -ne 0 ]]; then
  exit 1
fi
