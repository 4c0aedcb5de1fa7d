#!/usr/bin/env bash
# Mutation testing of the reference hypervisor (issue 9 section 4), a
# benchmark of the suite's strength, not part of make check: small mutants of
# reference/**/*.c (ci/mutate/generate.lua), each built in a scratch copy of
# the committed tree and judged by the suite. A mutant whose loaded image
# equals the original's is equivalent ("same image"); one that does not
# compile is stillborn; one that fails any case it was judged by is killed; one that
# passes them all survives. Cases are chosen by coverage (make coverage's
# build-cov/coverage): only those whose run executed the mutated line.
#
# usage: ci/mutate.sh [options] [MUTANT_ID...]
#   --seed N         sample seed (default 1)
#   --count N        mutants in the sample, stratified by file (default 150)
#   --build DIR      the build folder whose bin/hvrun judges (default:
#                    $HVSPEC_BUILD, else build)
#   --out DIR        mutants.json, report.md and the per-mutant logs
#                    (default: <build>/mutate)
#   --coverage DIR   make coverage's output (default build-cov/coverage)
#   --coverage-rev REV  the commit whose reference/ make coverage measured
#                    (default: the one COVERAGE/reference.sha256 names when
#                    its hash is not this tree's, else none; without that
#                    file, the last commit of reference/ before the data)
#   --all-cases      judge every mutant with every case (no coverage data needed)
#   --engine E       the engine that judges: bochs (default; the VMX layer)
#                    or qemu (the SVM layer, several times faster); cases
#                    come from that engine's coverage runs
#   --under DIR      sample only the files under DIR (repeatable), e.g.
#                    reference/vmx with bochs, the other folders with qemu:
#                    a layer the engine never runs would only give mutants
#                    no case reaches
#   --jobs N         parallel boots (default 2)
#   --run-timeout S  caps every boot (default 30)
#   --rev REV        the commit whose reference/ is mutated (default HEAD)
#   --time-limit S   start no mutant after S seconds (default: none); the
#                    report says how many of the sample were not judged
#   --list           print the sample with each mutant's cases; build nothing
#   MUTANT_ID        judge only these mutants (ids as generate.lua prints them)
# Survivors a human judged equivalent are listed in ci/mutate/equivalent.txt
# ("ID  reason", one a line); the report counts them apart.
# Exit status: 0 the run completed (whatever the score), 1 the original
# fails cases or the tree does not build, 2 bad usage, 130/143 interrupted.
set -euo pipefail

help() { sed -n '/^# usage:/,/^set -euo/p' "$0" | sed -n 's/^# \{0,1\}//p'; }
usage() { help >&2; exit 2; }

root=$(cd "$(dirname "$0")/.." && pwd)
here=$root/ci/mutate
build=${HVSPEC_BUILD:-$root/build}
seed=1 count=150 jobs=2 run_timeout=30 rev=HEAD time_limit=0 coverage_rev=
out= coverage=$root/build-cov/coverage all_cases=0 list_only=0 engine=bochs under=()
while [ $# -gt 0 ]; do
	case $1 in
	--seed|--count|--build|--out|--coverage|--coverage-rev|--jobs|--run-timeout|--rev|--time-limit|--engine|--under)
		[ $# -ge 2 ] || { echo "mutate: $1 wants a value" >&2; usage; }
		case $1 in
		--seed) seed=$2 ;; --count) count=$2 ;; --build) build=$2 ;; --out) out=$2 ;;
		--coverage) coverage=$2 ;; --jobs) jobs=$2 ;; --run-timeout) run_timeout=$2 ;;
		--rev) rev=$2 ;; --time-limit) time_limit=$2 ;; --coverage-rev) coverage_rev=$2 ;;
		--engine) engine=$2 ;; --under) under+=("${2%/}") ;;
		esac
		shift 2 ;;
	--all-cases) all_cases=1; shift ;;
	--list) list_only=1; shift ;;
	--help|-h) help; exit 0 ;;
	--) shift; break ;;
	-*) echo "mutate: unknown option '$1'" >&2; usage ;;
	*) break ;;
	esac
done
for n in "$seed" "$count" "$jobs" "$run_timeout" "$time_limit"; do
	case $n in ''|*[!0-9]*) echo "mutate: '$n' is not a whole number" >&2; usage ;; esac
done
[ "$jobs" -ge 1 ] && [ "$run_timeout" -ge 1 ] || { echo "mutate: --jobs and --run-timeout want at least 1" >&2; usage; }
case $engine in
bochs) cov_results=cases.json ;;
qemu) cov_results=cases-qemu.json ;;
*) echo "mutate: --engine is bochs or qemu (the engines make coverage measures), not '$engine'" >&2; usage ;;
esac
command -v lua5.4 >/dev/null || { echo "mutate: lua5.4 is missing (ci/install-deps.sh installs it)" >&2; exit 2; }
git -C "$root" rev-parse --verify -q "$rev^{commit}" >/dev/null ||
	{ echo "mutate: '$rev' is not a commit of $root" >&2; exit 2; }
case $build in /*) ;; *) build=$PWD/$build ;; esac
hvrun=$build/bin/hvrun
[ -x "$hvrun" ] || { echo "mutate: no $hvrun; build the harness first (make B=$build all)" >&2; exit 2; }
out=${out:-$build/mutate}
case $out in /*) ;; *) out=$PWD/$out ;; esac
if [ "$all_cases" -eq 0 ] && [ ! -f "$coverage/$cov_results" ]; then
	echo "mutate: no coverage data in $coverage ($cov_results): run 'make coverage' first," \
		"or judge every mutant with every case: --all-cases (slower)" >&2
	exit 2
fi

mkdir -p "$out"
scratch=$out/scratch
# run_forwarding: a build or suite run that INT/TERM stop too.
. "$root/ci/lib/forward-signals.sh"
cleanup() { rm -rf "$scratch"; }
exec 3>&2   # the traps' own stderr (a trap may run inside a redirected build)
trap cleanup EXIT
trap 'forward_stop; echo "mutate: interrupted; scratch copy removed" >&3; exit 130' INT
trap 'forward_stop; echo "mutate: terminated; scratch copy removed" >&3; exit 143' TERM

# The committed tree (never others' work in progress), once; the mutants are
# applied to tree/ and reverted from pristine/.
rm -rf "$scratch"
mkdir -p "$scratch/tree" "$scratch/pristine"
git -C "$root" archive "$rev" | tar -x -C "$scratch/tree"
git -C "$root" archive "$rev" reference | tar -x -C "$scratch/pristine"
commit=$(git -C "$root" rev-parse --short "$rev")

# The coverage data must describe these sources, or name the commit it
# describes (ci/coverage.sh writes "<hash>  <commit>|uncommitted").
# shellcheck source=ci/reference-hash.sh
. "$root/ci/reference-hash.sh"
stale= diff_arg=()
if [ "$all_cases" -eq 0 ]; then
	want=$(reference_hash "$scratch/tree")
	if [ -z "$coverage_rev" ] && [ -f "$coverage/reference.sha256" ]; then
		read -r have recorded _ <"$coverage/reference.sha256" || true
		if [ "$have" = "$want" ]; then
			:   # the same sources: lines map one to one
		elif [[ "${recorded:-}" =~ ^[0-9a-f]{40}$ ]] && git -C "$root" cat-file -e "$recorded^{commit}" 2>/dev/null; then
			coverage_rev=$recorded
		else
			echo "mutate: $coverage was measured on other sources than reference/ of $commit," \
				"and on no commit this repository holds (${recorded:-none recorded});" \
				"rerun make coverage on a committed tree, name its commit with --coverage-rev, or use --all-cases" >&2
			exit 2
		fi
	elif [ -z "$coverage_rev" ]; then
		# No record of the sources: the newest commit of reference/ before
		# the data was measured, with a warning.
		measured=$(stat -c %Y "$coverage/cases.json")
		coverage_rev=$(git -C "$root" log -1 --format=%H --before="@$measured" "$rev" -- reference)
		[ -n "$coverage_rev" ] || { echo "mutate: no commit of reference/ precedes $coverage; use --coverage-rev" >&2; exit 2; }
		stale="no record of the sources make coverage measured ($coverage/reference.sha256); taken to be reference/ of $(git -C "$root" rev-parse --short "$coverage_rev"), the last commit before $(date -u -d "@$measured" '+%F %T'): if make coverage ran on uncommitted changes, rerun it"
		echo "mutate: WARNING: $stale" >&2
	fi
	# Data of other sources: the mutants' lines mapped through the diff.
	if [ -n "$coverage_rev" ]; then
		git -C "$root" diff -U0 "$coverage_rev" "$rev" -- reference >"$scratch/coverage.diff" ||
			{ echo "mutate: cannot diff $coverage_rev and $rev" >&2; exit 2; }
		if [ -s "$scratch/coverage.diff" ]; then
			diff_arg=("$scratch/coverage.diff")
			echo "mutate: reference/ changed since the coverage data ($(git -C "$root" diff --shortstat "$coverage_rev" "$rev" -- reference)); lines mapped through the diff, changed lines judged by their function's cases" >&2
		fi
	fi
fi

tree=$scratch/tree mbuild=$scratch/build
elf=$mbuild/reference/hvspec.elf
# The project's flags, but warnings stay warnings: a mutant that only warns
# (an unused parameter once its use is deleted) is still a program to judge.
printf '#!/bin/sh\nexec gcc "$@" -Wno-error\n' >"$scratch/cc"
chmod +x "$scratch/cc"
build_mutant() { run_forwarding make -C "$tree" B="$mbuild" CC="$scratch/cc" "$elf" >"$1" 2>&1; }
echo "mutate: building the original reference of $commit"
build_mutant "$out/original-build.log" ||
	{ echo "mutate: the original reference does not build ($out/original-build.log)" >&2; exit 1; }
objcopy -O binary "$elf" "$scratch/original.bin"
# The C files of the hypervisor: those the build of the original compiled.
mapfile -t files < <(cd "$mbuild" && find reference -name '*.c.o' | sed 's/\.o$//' | LC_ALL=C sort)
[ ${#files[@]} -gt 0 ] || { echo "mutate: the build of the original holds no reference/**/*.c.o" >&2; exit 1; }
if [ ${#under[@]} -gt 0 ]; then
	kept=()
	for f in "${files[@]}"; do
		for d in "${under[@]}"; do
			case $f in "$d"/*) kept+=("$f"); break ;; esac
		done
	done
	[ ${#kept[@]} -gt 0 ] || { echo "mutate: no C file of the hypervisor under ${under[*]}" >&2; exit 2; }
	files=("${kept[@]}")
fi

mutants=$out/mutants.tsv
if [ $# -gt 0 ]; then
	lua5.4 "$here/generate.lua" --root "$tree" "${files[@]}" >"$scratch/all.tsv"
	: >"$mutants"
	for id in "$@"; do
		awk -F'\t' -v id="$id" '$1 == id { print; found = 1 } END { exit !found }' "$scratch/all.tsv" >>"$mutants" ||
			{ echo "mutate: no mutant '$id' in reference/ of $commit (generate.lua lists them)" >&2; exit 2; }
	done
else
	lua5.4 "$here/generate.lua" --root "$tree" --seed "$seed" --count "$count" "${files[@]}" >"$mutants"
fi

# Which cases judge each mutant.
"$hvrun" --list | awk '{ print $1 }' >"$scratch/case-ids.txt"
selection=$out/selection.tsv
if [ "$all_cases" -eq 1 ]; then
	ids=$(tr '\n' ' ' <"$scratch/case-ids.txt")
	awk -F'\t' -v ids="$ids" '{ print $1 "\teverything\t" ids "\t" }' "$mutants" >"$selection"
else
	lua5.4 "$here/select.lua" --results "$cov_results" --spec "$tree/spec" "$coverage" "$root" "$mutants" "$scratch/case-ids.txt" ${diff_arg[@]+"${diff_arg[@]}"} >"$selection"
fi
if [ "$list_only" -eq 1 ]; then
	awk -F'\t' '{ n = split($3 " " $4, a, " "); print $1 "\t" $2 "\t" n " case(s)" }' "$selection"
	exit 0
fi

# The original must pass every case that judges (else a case that fails
# anyway would "kill" every mutant): those it does not pass are left out.
echo "mutate: the original against the suite"
rc=0
run_forwarding "$hvrun" --engine "$engine" --kernel "$elf" --jobs "$jobs" --run-timeout "$run_timeout" \
	--results "$out/original.json" '.*' >"$out/original.txt" 2>&1 || rc=$?
lua5.4 "$here/outcome.lua" failing "$out/original.json" >"$scratch/original-failing.txt" ||
	{ echo "mutate: could not judge the original ($out/original.txt)" >&2; exit 1; }
if [ -s "$scratch/original-failing.txt" ]; then
	echo "mutate: WARNING: the original does not pass $(wc -l <"$scratch/original-failing.txt") case(s); they judge no mutant:" \
		"$(tr '\n' ' ' <"$scratch/original-failing.txt")" >&2
fi
original_seconds=$(lua5.4 "$here/outcome.lua" seconds "$out/original.json")
# A mutant may take at most 4 times the original's whole suite (plus a boot).
budget=$(awk -v s="$original_seconds" -v t="$run_timeout" 'BEGIN { printf "%d", 4 * s + t + 30 }')

# Judges one mutant: prints "status<TAB>killing cases".
results=$out/results.tsv
: >"$results"
logs=$out/logs
rm -rf "$logs"
mkdir -p "$logs"
total=$(wc -l <"$mutants")
n=0 start_all=$SECONDS unjudged=0
while IFS=$'\t' read -r id how first rest; do
	if [ "$time_limit" -gt 0 ] && [ $((SECONDS - start_all)) -ge "$time_limit" ]; then
		unjudged=$((total - n))
		echo "mutate: time limit of $time_limit s reached; $unjudged mutant(s) of the sample not judged" >&2
		break
	fi
	n=$((n + 1))
	start=$SECONDS
	file=${id%%:*}
	log=$logs/$n
	mkdir -p "$log"
	status= killers=
	lua5.4 "$here/generate.lua" --root "$tree" --apply "$id" 2>"$log/apply.txt" ||
		{ echo "mutate: $(cat "$log/apply.txt")" >&2; exit 1; }
	if ! build_mutant "$log/build.log"; then
		status=stillborn
	elif objcopy -O binary "$elf" "$scratch/mutant.bin" && cmp -s "$scratch/original.bin" "$scratch/mutant.bin"; then
		status=same-image
	elif [ "$how" = unreached ]; then
		status=unreached
	else
		status=survived
		for stage in "$first" "$rest"; do
			read -ra cases <<<"$stage"
			# Cases the original fails judge nothing.
			read -ra cases <<<"$(printf '%s\n' "${cases[@]}" | grep -vxF -f "$scratch/original-failing.txt" -e '' | tr '\n' ' ')"
			[ ${#cases[@]} -gt 0 ] || continue
			rc=0
			rm -f "$log/results.json"
			run_forwarding timeout --kill-after=10 "$((budget + run_timeout + 60))" "$hvrun" --engine "$engine" --kernel "$elf" --jobs "$jobs" \
				--run-timeout "$run_timeout" --budget "$budget" --results "$log/results.json" \
				"${cases[@]}" >>"$log/suite.txt" 2>&1 || rc=$?
			if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
				status=killed killers="(hvrun exceeded the mutant's budget)"
				break
			fi
			if [ ! -s "$log/results.json" ]; then
				status=error killers="(hvrun status $rc, no verdicts: $(tail -1 "$log/suite.txt"))"
				break
			fi
			killers=$(lua5.4 "$here/outcome.lua" failing "$log/results.json" | tr '\n' ' ')
			if [ -n "$killers" ]; then status=killed; break; fi
		done
	fi
	# Back to the original source (a new mtime: make rebuilds it next time).
	cat "$scratch/pristine/$file" >"$tree/$file"
	seconds=$((SECONDS - start))
	printf '%s\t%s\t%s\t%s\t%s\n' "$id" "$status" "$how" "$seconds" "${killers% }" >>"$results"
	printf '[%d/%d %ds] %-10s %s\n' "$n" "$total" "$((SECONDS - start_all))" "$status" "$id"
done <"$selection"

lua5.4 "$here/report.lua" --root "$tree" --results "$results" --equivalent "$here/equivalent.txt" \
	--json "$out/mutants.json" --markdown "$out/report.md" \
	--commit "$commit" --seed "$seed" --count "$count" --seconds "$((SECONDS - start_all))" --unjudged "$unjudged" \
	--selection "$([ "$all_cases" -eq 1 ] && echo "every case" || echo "coverage of $coverage/$cov_results"), judged under $engine${under[0]+, files under ${under[*]}}" \
	--warning "$stale"
echo "mutate: $out/report.md, $out/mutants.json"
