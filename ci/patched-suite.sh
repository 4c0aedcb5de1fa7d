#!/usr/bin/env bash
# Builds the reference with one patch applied (to a temporary copy of the
# tree, never to the tree itself) and runs conformance cases against it with
# this tree's harness. The shared step of the legal variants
# (tests/variants/) and the planted bugs (ci/plant-bugs.sh).
#
# usage: ci/patched-suite.sh [--build DIR] [--jobs N] [--run-timeout S] [--reuse-tree] PATCH WORKDIR [CASE_OR_PATTERN...]
#   --build DIR   the build folder whose bin/hvrun judges the image
#                 (default: $HVSPEC_BUILD, else build)
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
	echo "usage: ci/patched-suite.sh [--build DIR] [--jobs N] [--run-timeout S] [--reuse-tree] PATCH WORKDIR [CASE_OR_PATTERN...]" >&2
	exit 2
}

root=$(cd "$(dirname "$0")/.." && pwd)
build=${HVSPEC_BUILD:-$root/build}
jobs=2
reuse=0
run_timeout=()
while [ $# -gt 0 ]; do
	case $1 in
	--build) [ $# -ge 2 ] || usage; build=$2; shift 2 ;;
	--jobs) [ $# -ge 2 ] || usage; jobs=$2; shift 2 ;;
	--run-timeout) [ $# -ge 2 ] || usage; run_timeout=(--run-timeout "$2"); shift 2 ;;
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
if [ ! -f "$patch" ] || [ ! -r "$patch" ]; then
	echo "patched-suite: no readable patch file '$patch'" >&2
	exit 2
fi
case $build in /*) ;; *) build=$PWD/$build ;; esac
hvrun=$build/bin/hvrun
[ -x "$hvrun" ] ||
	{ echo "patched-suite: no $hvrun; build the harness first (make B=$build all)" >&2; exit 2; }
patch=$(cd "$(dirname "$patch")" && pwd)/$(basename "$patch")
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
# The patch, strictly (no fuzz).
if ! (cd "$work/tree" && git apply --whitespace=nowarn "$patch") >"$work/apply.log" 2>&1; then
	echo "patched-suite: $patch no longer applies to reference/: $(head -1 "$work/apply.log")" >&2
	exit 3
fi
if ! run_forwarding make -C "$work/tree" B="$work/build" "$work/build/reference/hvspec.elf" >"$work/build.log" 2>&1; then
	echo "patched-suite: the patched tree does not build ($work/build.log):" >&2
	grep -m3 -E 'error|Error' "$work/build.log" >&2 || tail -3 "$work/build.log" >&2
	exit 4
fi

status=0
run_forwarding "$hvrun" --kernel "$work/build/reference/hvspec.elf" --jobs "$jobs" ${run_timeout[@]+"${run_timeout[@]}"} \
	--results "$work/results.json" "$@" >"$work/suite.txt" 2>&1 || status=$?
exit $status
