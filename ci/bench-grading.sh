#!/bin/bash
# ci/bench-grading.sh: a benchmark, not a test. For each shipped lab (or the
# labs named), grades COPIES copies of the full solution (a source submission
# made by grading/submission/mksample) with grading/batch and prints how many
# submissions this machine grades per hour, and what one submission costs,
# split into build, boots and judging:
#   total    grading/grade's own wall time ("seconds" of results.json), mean
#            over the copies
#   boots    the lab's cases booted by hvrun on the reference image with
#            grade's parallelism (hvrun's "seconds")
#   judging  a grade of the prebuilt reference image (no build) minus boots:
#            intake, judging and the reports
#   build    total minus that image grade: the sandboxed build
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
image=$build/reference/hvspec.elf
[[ -x $build/bin/hvrun && -f $image ]] ||
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
printf '%-11s %6s %6s %9s %11s %8s %7s %7s %8s\n' lab cases wall_s subs/hour per_sub_s build_s boots_s judge_s score
for lab in "${labs[@]}"; do
	mkdir -p "$tmp/$lab/subs"
	for i in $(seq -w 1 "$copies"); do
		cp -R "$tmp/full" "$tmp/$lab/subs/copy-$i"
	done
	start=$(now)
	"$root/grading/batch" --lab "$lab" "${batch_jobs[@]}" --out "$tmp/$lab/out" "$tmp/$lab/subs" >"$tmp/$lab/batch.log" 2>&1 ||
		{ echo "bench-grading: lab $lab: the batch did not grade every copy; see below" >&2; tail -n 5 "$tmp/$lab/batch.log" >&2; exit 1; }
	wall=$(calc "$(now) - $start")

	total=0
	for i in $(seq -w 1 "$copies"); do
		total=$(calc "$total + $(json_eval "$tmp/$lab/out/copy-$i/results.json" 'r.seconds')")
	done
	per_sub=$(calc "$total / $copies")
	score=$(json_eval "$tmp/$lab/out/copy-1/results.json" 'r.score .. "/" .. r.max_score')

	"$root/grading/grade" --lab "$lab" --out "$tmp/$lab/image" "$image" >"$tmp/$lab/image.log" 2>&1 ||
		{ echo "bench-grading: lab $lab: grading the reference image failed" >&2; tail -n 5 "$tmp/$lab/image.log" >&2; exit 1; }
	image_s=$(json_eval "$tmp/$lab/image/results.json" 'r.seconds')
	mapfile -t ids < <(json_eval "$tmp/$lab/image/results.json" \
		'(function() local t = {} for _, c in ipairs(r.cases) do t[#t + 1] = c.id end return table.concat(t, "\n") end)()')
	HVSPEC_ROOT=$root "$build/bin/hvrun" --jobs 2 --kernel "$image" --results "$tmp/$lab/run.json" "${ids[@]}" \
		>"$tmp/$lab/hvrun.log" 2>&1 || true
	[[ -s $tmp/$lab/run.json ]] ||
		{ echo "bench-grading: lab $lab: hvrun wrote no results" >&2; tail -n 5 "$tmp/$lab/hvrun.log" >&2; exit 1; }
	boots=$(json_eval "$tmp/$lab/run.json" 'r.seconds')

	printf '%-11s %6d %6.0f %9.0f %11.1f %8.1f %7.1f %7.1f %8s\n' "$lab" "${#ids[@]}" "$wall" \
		"$(calc "$copies * 3600 / $wall")" "$per_sub" \
		"$(calc "$per_sub - $image_s")" "$boots" "$(calc "$image_s - $boots")" "$score"
done
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
