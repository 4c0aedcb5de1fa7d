#!/usr/bin/env bash
# Planted bugs (a benchmark of the suite's strength, not part of make check):
# each tests/bugs/<area>-<name>.patch is a small realistic student bug in the
# reference. This plants each one in a temporary copy of the tree, builds
# it, runs the whole suite against it and reports which cases catch it
# (fail or error), and whether the cases its header declares are among them.
#
# usage: ci/plant-bugs.sh [--jobs N] [--build DIR] [--out DIR] [--run-timeout S] [--engine E] [--cases PATTERN | --own-area] [BUG...]
#   BUG        a bug name (tests/bugs/NAME.patch) or a patch file; default: every bug
#   --jobs     parallel boots of each suite run (default 2)
#   --build    build folder whose bin/hvrun judges (default: $HVSPEC_BUILD, else build)
#   --out      where each bug's suite.txt / results.json are kept
#              (default: <build>/plant-bugs)
#   --run-timeout  caps every boot (default 30 s: a bug that hangs costs
#              one cap per boot, not each case's own limit)
#   --engine   hvrun's engine (default bochs; qemu runs the suite several times
#              faster but plays the SVM layer, so a bug in reference/vmx/ needs
#              bochs, and cases only an Intel engine plays are skipped there)
#   --cases    only the cases matching these ids or Lua patterns (blank
#              separated; default every case: the benchmark proper)
#   --own-area each bug against the cases of its own area and its declared
#              catchers only (a quick pass, about 5 times faster; a bug it
#              does not catch may still be caught elsewhere: rerun those
#              without --own-area)
# A patch's header: '# bug: <one sentence>', '# area: <area>',
# '# catchers: <case ids or Lua patterns over whole ids>'.
# Exit status: 0 every bug caught; 1 a bug was not caught, or a patch no
# longer applies or builds; 2 bad usage.
set -euo pipefail
. "$(dirname "$0")/lib/forward-signals.sh"

usage()
{
	echo "usage: ci/plant-bugs.sh [--jobs N] [--build DIR] [--out DIR] [--run-timeout S] [--engine E] [--cases PATTERN | --own-area] [BUG...]" >&2
	exit 2
}

root=$(cd "$(dirname "$0")/.." && pwd)
build=${HVSPEC_BUILD:-$root/build}
jobs=2
out=
run_timeout=30
cases=".*"
own_area=0
engine=()
while [ $# -gt 0 ]; do
	case $1 in
	--jobs) [ $# -ge 2 ] || usage; jobs=$2; shift 2 ;;
	--build) [ $# -ge 2 ] || usage; build=$2; shift 2 ;;
	--out) [ $# -ge 2 ] || usage; out=$2; shift 2 ;;
	--run-timeout) [ $# -ge 2 ] || usage; run_timeout=$2; shift 2 ;;
	--cases) [ $# -ge 2 ] || usage; cases=$2; shift 2 ;;
	--engine) [ $# -ge 2 ] || usage; engine=(--engine "$2"); shift 2 ;;
	--own-area) own_area=1; shift ;;
	--) shift; break ;;
	-*) echo "plant-bugs: unknown option '$1'" >&2; usage ;;
	*) break ;;
	esac
done
for n in "$jobs" "$run_timeout"; do
	case $n in ''|*[!0-9]*) echo "plant-bugs: '$n' is not a number" >&2; exit 2 ;; esac
done
case $build in /*) ;; *) build=$PWD/$build ;; esac
[ -x "$build/bin/hvrun" ] ||
	{ echo "plant-bugs: no $build/bin/hvrun; build first (make B=$build all)" >&2; exit 2; }
read -ra case_list <<<"$cases"   # split on blanks, no globbing
[ ${#case_list[@]} -gt 0 ] || { echo "plant-bugs: --cases is empty" >&2; exit 2; }
out=${out:-$build/plant-bugs}
mkdir -p "$out"

patches=()
if [ $# -eq 0 ]; then
	for p in "$root"/tests/bugs/*.patch; do
		[ -e "$p" ] && patches+=("$p")
	done
	[ ${#patches[@]} -gt 0 ] || { echo "plant-bugs: no patches in $root/tests/bugs" >&2; exit 2; }
else
	for b in "$@"; do
		if [ -f "$b" ]; then
			patches+=("$(cd "$(dirname "$b")" && pwd)/$(basename "$b")")
		elif [ -f "$root/tests/bugs/$b.patch" ]; then
			patches+=("$root/tests/bugs/$b.patch")
		else
			echo "plant-bugs: no bug '$b' (neither a file nor tests/bugs/$b.patch; ls tests/bugs lists them)" >&2
			exit 2
		fi
	done
fi

# Lua patterns (the harness's case patterns) over whole ids: prints each
# declared pattern that matches none of the catching ids.
missed_catchers()
{
	lua5.4 -e '
		local caught, declared = {}, {}
		for id in (arg[1] or ""):gmatch("%S+") do caught[#caught + 1] = id end
		for pat in (arg[2] or ""):gmatch("%S+") do
			local hit = false
			for _, id in ipairs(caught) do
				if id:match("^" .. pat .. "$") then hit = true break end
			end
			if not hit then io.write(pat, " ") end
		end' /dev/null "$1" "$2"   # -e runs first; the empty script gets the arguments
}

# One copy of the tree serves every bug (--reuse-tree): each patch is
# applied to the restored copy and only the files it touches are rebuilt.
work=$out/.work
rm -rf "$work"
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
trap 'forward_stop; cleanup; exit 130' INT
trap 'forward_stop; cleanup; exit 143' TERM

caught=0 total=0 broken=0
summary=$out/summary.txt
: >"$summary"
report() { echo "$*" | tee -a "$summary"; }
for patch in "${patches[@]}"; do
	name=$(basename "$patch" .patch)
	total=$((total + 1))
	# The sentence may continue on "#   " lines.
	sentence=$(awk '/^# bug: / { sub(/^# bug: /, ""); s = $0; on = 1; next }
		on && /^#   / { sub(/^#   /, ""); s = s " " $0; next } { on = 0 } END { print s }' "$patch")
	declared=$(sed -n 's/^# catchers: //p' "$patch" | head -1)
	if [ -z "$sentence" ] || [ -z "$declared" ]; then
		report "WARNING $name: header lacks '# bug:' or '# catchers:'"
	fi
	bug_cases=("${case_list[@]}")
	if [ "$own_area" -eq 1 ]; then
		area=$(sed -n 's/^# area: *\([a-z]*\).*/\1/p' "$patch" | head -1)
		read -ra bug_cases <<<"${area:-${name%%-*}}%..* $declared"
	fi
	start=$SECONDS
	rc=0
	run_forwarding bash "$root/ci/patched-suite.sh" --build "$build" --jobs "$jobs" --run-timeout "$run_timeout" ${engine[@]+"${engine[@]}"} \
		--reuse-tree "$patch" "$work" "${bug_cases[@]}" 2>"$out/$name.err" || rc=$?
	# What stays of each bug: its suite lines, verdicts and logs.
	rm -rf "${out:?}/$name"
	mkdir -p "$out/$name"
	for f in suite.txt results.json build.log apply.log; do
		if [ -f "$work/$f" ]; then mv "$work/$f" "$out/$name/"; fi
	done
	mv "$out/$name.err" "$out/$name/stderr.txt"
	case $rc in
	3) broken=$((broken + 1))
	   report "STALE     $name: the patch no longer applies to reference/; refresh it (make the same one-bug edit on the current source and regenerate the diff)"
	   continue ;;
	4) broken=$((broken + 1))
	   report "NO BUILD  $name: the patched reference does not build ($out/$name/build.log); refresh the patch"
	   continue ;;
	0|1|77) ;;
	*) broken=$((broken + 1))
	   report "ERROR     $name: the suite could not run (status $rc): $(tail -1 "$out/$name/stderr.txt")"
	   continue ;;
	esac
	# hvrun prints "<id>  ->  <outcome>  [...]" per case.
	catchers=$(sed -n 's/^\([^ ]*\)  ->  \(fail\|crash\|timeout\|error\).*/\1/p' "$out/$name/suite.txt" | sort | tr '\n' ' ')
	count=$(echo "$catchers" | wc -w)
	if [ "$count" -eq 0 ]; then
		report "NOT CAUGHT $name ($((SECONDS - start)) s): $sentence"
		continue
	fi
	caught=$((caught + 1))
	missed=$(missed_catchers "$catchers" "$declared")
	if [ -z "$missed" ]; then
		verdict="declared catchers all among them"
	else
		verdict="declared but did not catch: $missed"
	fi
	report "caught    $name ($((SECONDS - start)) s) by $count case(s): $catchers; $verdict"
done
report "$caught of $total planted bugs caught"
[ "$broken" -eq 0 ] || report "$broken patch(es) no longer apply or build: refresh them"
[ "$caught" -eq "$total" ] && [ "$broken" -eq 0 ]
