#!/usr/bin/env bash
# Builds the reference with one patch applied (to a temporary copy of the
# tree, never to the tree itself) and runs conformance cases against it with
# this tree's harness. The shared step of the legal variants
# (tests/variants/) and the planted bugs (ci/plant-bugs.sh).
#
# usage: ci/patched-suite.sh [--build DIR] [--jobs N] [--run-timeout S] [--engine E] [--also PATCH]... [--reuse-tree] PATCH WORKDIR [CASE_OR_PATTERN...]
#   --build DIR   the build folder whose bin/hvrun judges the image
#                 (default: $HVSPEC_BUILD, else build)
#   --engine E    hvrun's engine (default: hvrun's own, bochs)
#   --also PATCH  a further patch applied after PATCH (repeatable, in order):
#                 several legal variants judged together
#   WORKDIR       created if missing; receives tree/ (the patched copy),
#                 build/ (its objects), build.log, apply.log, suite.txt
#                 (hvrun's lines) and results.json (schema hvspec-run-2)
#   --reuse-tree  keep tree/ and build/ for the next call with the same
#                 WORKDIR, which restores the copy and rebuilds only what the
#                 patches touch (a series of patches; the copy is not
#                 refreshed from the tree)
#   CASE_OR_PATTERN  ids or Lua patterns for hvrun (default: every case)
# Exit status: hvrun's (0 every case passed or skipped, 1 some did not,
# 77 every case skipped), 2 bad usage, 3 the patch does not apply, 4 the
# patched tree does not build.
set -euo pipefail
. "$(dirname "$0")/lib/forward-signals.sh"
trap 'forward_stop; exit 130' INT
trap 'forward_stop; exit 143' TERM

usage()
{
	echo "usage: ci/patched-suite.sh [--build DIR] [--jobs N] [--run-timeout S] [--engine E] [--also PATCH]... [--reuse-tree] PATCH WORKDIR [CASE_OR_PATTERN...]" >&2
	exit 2
}

root=$(cd "$(dirname "$0")/.." && pwd)
build=${HVSPEC_BUILD:-$root/build}
jobs=2
reuse=0
run_timeout=()
engine=()
also=()
while [ $# -gt 0 ]; do
	case $1 in
	--build) [ $# -ge 2 ] || usage; build=$2; shift 2 ;;
	--jobs) [ $# -ge 2 ] || usage; jobs=$2; shift 2 ;;
	--run-timeout) [ $# -ge 2 ] || usage; run_timeout=(--run-timeout "$2"); shift 2 ;;
	--engine) [ $# -ge 2 ] || usage; engine=(--engine "$2"); shift 2 ;;
	--also) [ $# -ge 2 ] || usage; also+=("$2"); shift 2 ;;
	--reuse-tree) reuse=1; shift ;;
	--) shift; break ;;
	-*) echo "patched-suite: unknown option '$1'" >&2; usage ;;
	*) break ;;
	esac
done
[ $# -ge 2 ] || usage
patch=$1 work=$2
shift 2
[ $# -gt 0 ] || set -- '.*'
case $jobs in ''|*[!0-9]*) echo "patched-suite: --jobs wants a number, not '$jobs'" >&2; exit 2 ;; esac
for p in "$patch" ${also[@]+"${also[@]}"}; do
	if [ ! -f "$p" ] || [ ! -r "$p" ]; then
		echo "patched-suite: no readable patch file '$p'" >&2
		exit 2
	fi
done
case $build in /*) ;; *) build=$PWD/$build ;; esac
hvrun=$build/bin/hvrun
[ -x "$hvrun" ] ||
	{ echo "patched-suite: no $hvrun; build the harness first (make B=$build all)" >&2; exit 2; }
absolute() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
patch=$(absolute "$patch")
patches=("$patch")
for p in ${also[@]+"${also[@]}"}; do patches+=("$(absolute "$p")"); done
mkdir -p "$work"
work=$(cd "$work" && pwd)

# The copy: every file of the work tree that git does not ignore (build
# folders stay out; new files of work in progress come along, as the
# Makefiles may name them), committed in a repository of its own (so git
# apply never resolves paths against an enclosing repository, and the copy
# can be restored). With --reuse-tree a copy left by an earlier call is
# restored instead (git rewrites only the files the last patch changed, so
# make rebuilds only what they touch).
if [ "$reuse" -eq 0 ] || [ ! -d "$work/tree/.git" ]; then
	rm -rf "$work/tree" "$work/build"
	mkdir -p "$work/tree"
	(cd "$root" && git ls-files -z --cached --others --exclude-standard | tar --null --ignore-failed-read -T - -cf - 2>/dev/null) |
		tar -xf - -C "$work/tree"
	(cd "$work/tree" && git init -q . && git add -A &&
		git -c user.name=hvspec -c user.email=hvspec@localhost commit -qm "pristine copy") >/dev/null
else
	(cd "$work/tree" && git checkout -q -- . && git clean -fdq)
fi
# The patches, strictly (no fuzz), each on the result of the one before.
: >"$work/apply.log"
for p in "${patches[@]}"; do
	if ! (cd "$work/tree" && git apply --whitespace=nowarn "$p") >>"$work/apply.log" 2>&1; then
		echo "patched-suite: $p no longer applies to reference/${also[0]+ (after the patches before it)}: $(tail -1 "$work/apply.log")" >&2
		exit 3
	fi
done
if ! run_forwarding make -C "$work/tree" B="$work/build" "$work/build/reference/hvspec.elf" >"$work/build.log" 2>&1; then
	echo "patched-suite: the patched tree does not build ($work/build.log):" >&2
	grep -m3 -E 'error|Error' "$work/build.log" >&2 || tail -3 "$work/build.log" >&2
	exit 4
fi

status=0
run_forwarding "$hvrun" --kernel "$work/build/reference/hvspec.elf" --jobs "$jobs" ${run_timeout[@]+"${run_timeout[@]}"} ${engine[@]+"${engine[@]}"} \
	--results "$work/results.json" "$@" >"$work/suite.txt" 2>&1 || status=$?
exit $status
