#!/bin/bash
# ci/bench-grading.sh: a benchmark, not a test. For each shipped lab (or the
# labs named), grades COPIES copies of the full solution (a source submission
# made by grading/submission/mksample) with grading/batch and prints how many
# submissions this machine grades per hour, and what one submission costs:
# grading/grade's wall time ("seconds" of results.json), split with its
# "timing" record into build (the sandboxed build), boots (hvrun running the
# lab's cases) and judging (everything else: intake, the lab's unit
# programs, judging and the reports), means over the copies.
#
#   ci/bench-grading.sh [-n COPIES] [-j JOBS] [LAB...]
#     -n  submissions per lab (default 3)
#     -j  submissions graded at once (grading/batch -j; default: batch's own)
# Uses the build in $HVSPEC_BUILD or build/ (run make first).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
copies=3 jobs=''

usage()
{
	echo "usage: ci/bench-grading.sh [-n COPIES] [-j JOBS] [LAB...]" >&2
	exit 2
}
while [[ $# -gt 0 ]]; do
	case $1 in
	-n) [[ $# -ge 2 && $2 =~ ^[1-9][0-9]*$ ]] || usage; copies=$2; shift 2 ;;
	-j) [[ $# -ge 2 && $2 =~ ^[1-9][0-9]*$ ]] || usage; jobs=$2; shift 2 ;;
	-h | --help) usage ;;
	-*) echo "bench-grading: unknown option '$1'" >&2; usage ;;
	*) break ;;
	esac
done

build=${HVSPEC_BUILD:-$root/build}
[[ -x $build/bin/hvrun ]] ||
	{ echo "bench-grading: no build in $build (run make, or set HVSPEC_BUILD)" >&2; exit 2; }
export HVSPEC_BUILD=$build

labs=("$@")
if [[ ${#labs[@]} -eq 0 ]]; then
	mapfile -t labs < <(lua5.4 - "$root" <<'LUA'
for _, name in ipairs(dofile(arg[1] .. "/grading/lib/lab.lua").list(arg[1])) do print(name) end
LUA
)
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hvspec-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# json_eval FILE EXPR: evaluates Lua expressions over the decoded file
# (as `r`), one printed value each.
json_eval()
{
	lua5.4 - "$root" "$@" <<'LUA'
local json = dofile(arg[1] .. "/grading/lib/json.lua")
local r = json.read_file(arg[2])
print(load("local r = ...; return " .. arg[3])(r))
LUA
}

now() { date +%s.%N; }
# Arithmetic on decimals (awk is in every Debian base system; bc is not).
calc() { awk "BEGIN { print $1 }"; }

"$root/grading/submission/mksample" full "$tmp/full" >/dev/null
batch_jobs=()
[[ -n $jobs ]] && batch_jobs=(-j "$jobs")

echo "hvspec grading benchmark: $(nproc) cores, $copies submissions per lab, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
printf '%-11s %6s %7s %9s %10s %8s %8s %8s %8s\n' lab cases wall_s subs/hour per_sub_s build_s boots_s judge_s score
for lab in "${labs[@]}"; do
	mkdir -p "$tmp/$lab/subs"
	for i in $(seq -w 1 "$copies"); do
		cp -R "$tmp/full" "$tmp/$lab/subs/copy-$i"
	done
	start=$(now)
	"$root/grading/batch" --lab "$lab" "${batch_jobs[@]}" --out "$tmp/$lab/out" "$tmp/$lab/subs" >"$tmp/$lab/batch.log" 2>&1 ||
		{ echo "bench-grading: lab $lab: the batch did not grade every copy:" >&2; tail -n 5 "$tmp/$lab/batch.log" >&2; exit 1; }
	wall=$(calc "$(now) - $start")

	status=$(json_eval "$tmp/$lab/out/copy-1/results.json" 'r.status .. ": " .. r.status_reason')
	[[ $status == "graded: "* ]] ||
		{ echo "bench-grading: lab $lab: the full solution was not graded normally: $status" >&2; exit 1; }

	# Sums over the copies of: total, build, boots.
	sums=(0 0 0)
	for i in $(seq -w 1 "$copies"); do
		read -r t b h < <(json_eval "$tmp/$lab/out/copy-$i/results.json" \
			'r.seconds .. " " .. r.timing.build_seconds .. " " .. r.timing.boots_seconds') ||
			{ echo "bench-grading: lab $lab: copy-$i's results.json has no timing record (update grading/grade)" >&2; exit 1; }
		sums=("$(calc "${sums[0]} + $t")" "$(calc "${sums[1]} + $b")" "$(calc "${sums[2]} + $h")")
	done
	per_sub=$(calc "${sums[0]} / $copies")
	build_s=$(calc "${sums[1]} / $copies")
	boots_s=$(calc "${sums[2]} / $copies")
	score=$(json_eval "$tmp/$lab/out/copy-1/results.json" 'r.score .. "/" .. r.max_score')
	cases=$(json_eval "$tmp/$lab/out/copy-1/results.json" '#r.cases')

	printf '%-11s %6d %7.0f %9.0f %10.1f %8.1f %8.1f %8.1f %8s\n' "$lab" "$cases" "$wall" \
		"$(calc "$copies * 3600 / $wall")" "$per_sub" "$build_s" "$boots_s" \
		"$(calc "$per_sub - $build_s - $boots_s")" "$score"
done
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
