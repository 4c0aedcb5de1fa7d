#!/usr/bin/env bash
# Benchmark (not a test): long runs of the fuzz probe (guest-probes/fuzz/)
# through hvrun --probe, one boot per image and seed. For each run it
# reports operations per second of guest time (the probe's RDTSC deltas;
# Bochs advances its TSC by one per emulated instruction, so guest seconds
# = cycles / the ips= of the run's bochsrc) and of host wall time, the
# mismatches the probe's oracles saw, and any crash: a run that does not
# end with `fuzz: done`, `fuzz: counters consistent` and the normal
# `[hv] end: halted code=0x0` is printed with its seed, its last lines and
# the command that reruns it (add trace=1 to see the op that ended it).
# Exit status: 0 all runs clean, 1 a run failed or crashed, 2 bad usage.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
	cat >&2 <<'EOF'
usage: ci/bench-fuzz.sh [--build DIR] [--kernel FILE] [--ops N] [--seeds "S..."]
                        [--images "fuzz fuzz32"] [--timeout SECONDS] [--keep DIR]
                        [--extra "WORD..."]
  --build    the build folder holding bin/hvrun and guest-probes/ (default: build)
  --kernel   the hypervisor to run (default: DIR/reference/hvspec.elf)
  --ops      operations per run, at least 100000 for the benchmark figure (default: 100000)
  --seeds    seeds, one run each per image (default: "1")
  --images   fuzz (4-level long mode) and/or fuzz32 (paging off, 32-bit, PAE) (default: both)
  --timeout  seconds per boot, 1-600 (default: 600)
  --keep     keep every run's files (transcript, bochsrc, logs) in DIR/<image>-<seed>
  --extra    more words for the probe's command line (e.g. efer_lme=1: guest-probes/fuzz/README.md)
EOF
	exit 2
}
die_usage() { echo "bench-fuzz: $1" >&2; usage; }

build=build kernel= ops=100000 seeds=1 images="fuzz fuzz32" timeout=600 keep= extra=
while [ $# -gt 0 ]; do
	case "$1" in
	--build|--kernel|--ops|--seeds|--images|--timeout|--keep|--extra)
		[ $# -ge 2 ] || die_usage "$1 needs a value"
		opt=${1#--}
		printf -v "$opt" '%s' "$2"
		shift 2 ;;
	-h|--help) usage ;;
	*) die_usage "unknown argument '$1'" ;;
	esac
done
[[ "$ops" =~ ^[1-9][0-9]{0,9}$ ]] && [ "$ops" -le 4000000000 ] ||
	die_usage "--ops wants a count from 1 to 4000000000, got '$ops'"
[[ "$timeout" =~ ^[1-9][0-9]*$ ]] && [ "$timeout" -le 600 ] ||
	die_usage "--timeout wants seconds from 1 to 600 (hvrun's limit), got '$timeout'"
for s in $seeds; do
	[[ "$s" =~ ^[0-9]{1,19}$ ]] || die_usage "--seeds wants decimal numbers, got '$s'"
done
[ -n "${seeds// /}" ] || die_usage "--seeds is empty"
[[ "$extra" =~ ^[a-z0-9_=\ ]*$ ]] || die_usage "--extra wants words like efer_lme=1, got '$extra'"
for i in $images; do
	[ "$i" = fuzz ] || [ "$i" = fuzz32 ] || die_usage "--images takes fuzz and fuzz32, got '$i'"
done
[ -n "${images// /}" ] || die_usage "--images is empty"
hvrun=$build/bin/hvrun
kernel=${kernel:-$build/reference/hvspec.elf}
[ -x "$hvrun" ] || die_usage "no $hvrun: build first (make B=$build all) or give --build"
[ -f "$kernel" ] || die_usage "no hypervisor image '$kernel': build first or give --kernel"
for i in $images; do
	[ -f "$build/guest-probes/$i.elf" ] || die_usage "no $build/guest-probes/$i.elf: build first (make B=$build all)"
done
[ "$ops" -ge 100000 ] || echo "bench-fuzz: note: --ops $ops is below the 100000 of the benchmark figure" >&2

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -z "$keep" ] || mkdir -p "$keep"

# Ratio a/b with two decimals, in awk (bash has no floating point).
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }'; }

failed=0 total_ops=0 total_wall_ms=0 total_guest_s=0
for image in $images; do
	for seed in $seeds; do
		run=$work/$image-$seed
		[ -z "$keep" ] || run=$keep/$image-$seed
		rm -rf "$run"
		cmdline="seed=$seed ops=$ops${extra:+ $extra}"
		rerun="$hvrun --kernel $kernel --probe $image --cmdline '$cmdline trace=1' --timeout $timeout"
		start=$(date +%s%N)
		set +e
		"$hvrun" --kernel "$kernel" --probe "$image" --cmdline "$cmdline" \
			--timeout "$timeout" --keep "$run" >"$work/out-$image-$seed.txt" 2>&1
		status=$?
		set -e
		wall_ms=$(( ($(date +%s%N) - start) / 1000000 ))
		serial=$run/serial.txt
		[ -f "$serial" ] || serial=$work/out-$image-$seed.txt
		done_line=$(grep -a '^fuzz: done ' "$serial" | tail -n 1 || true)
		end_line=$(grep -a '^\[hv\] end: ' "$serial" | tail -n 1 || true)
		exits_line=$(grep -a '^\[hv\] exits: ' "$serial" | tail -n 1 || true)
		ips=$(sed -n 's/.*ips=\([0-9][0-9]*\).*/\1/p' "$run/bochsrc" 2>/dev/null | head -n 1)
		if [ -z "$done_line" ] || ! grep -aq '^fuzz: counters consistent$' "$serial" ||
			[ "$end_line" != "[hv] end: halted code=0x0" ] ||
			! [[ "$done_line" =~ mismatches=0\  ]]; then
			failed=1
			echo "FAIL $image seed=$seed ops=$ops after $(ratio "$wall_ms" 1000) s (hvrun exit $status)"
			echo "  end line: ${end_line:-<none: the VM never reported its end>}"
			echo "  last lines of the transcript:"
			grep -a . "$serial" | tail -n 12 | sed 's/^/    | /'
			echo "  rerun (trace=1 prints every op before it runs): $rerun"
			continue
		fi
		tsc=${done_line##*tsc=}
		mismatches=$(sed 's/.* mismatches=\([0-9]*\).*/\1/' <<<"$done_line")
		exits_at_least=$(sed 's/.* exits_at_least=\([0-9]*\).*/\1/' <<<"$done_line")
		hv_exits=$(sed -n 's/^\[hv\] exits: total=\([0-9]*\).*/\1/p' <<<"$exits_line")
		if [ -n "$ips" ]; then
			guest_s=$(ratio "$tsc" "$ips")
			guest_rate=$(ratio "$ops" "$guest_s")
		else
			guest_s=n/a guest_rate="n/a (no ips= in the bochsrc: not Bochs?)"
		fi
		echo "ok   $image seed=$seed ops=$ops: wall $(ratio "$wall_ms" 1000) s ($(ratio "$((ops * 1000))" "$wall_ms") ops/s)," \
			"guest ${guest_s} s = tsc $tsc at ips ${ips:-?} (${guest_rate} ops/s)," \
			"mismatches $mismatches, exits >= $exits_at_least (hypervisor counted ${hv_exits:-?})"
		grep -a '^fuzz: mode=[a-z0-9]* ops=' "$serial" | while read -r line; do
			mode=$(sed 's/^fuzz: mode=\([a-z0-9]*\) .*/\1/' <<<"$line")
			mode_ops=$(sed 's/^fuzz: mode=[a-z0-9]* ops=\([0-9]*\) .*/\1/' <<<"$line")
			mode_tsc=${line##*tsc=}
			[ -z "$ips" ] || echo "       mode $mode: $mode_ops ops, $(ratio "$mode_ops" "$(ratio "$mode_tsc" "$ips")") ops/s guest"
		done
		total_ops=$((total_ops + ops))
		total_wall_ms=$((total_wall_ms + wall_ms))
		[ -z "$ips" ] || total_guest_s=$(awk -v a="$total_guest_s" -v b="$guest_s" 'BEGIN { print a + b }')
	done
done
if [ "$total_ops" -gt 0 ]; then
	echo "all clean runs: $total_ops ops, wall $(ratio "$total_wall_ms" 1000) s" \
		"($(ratio "$((total_ops * 1000))" "$total_wall_ms") ops/s), guest $total_guest_s s" \
		"($(ratio "$total_ops" "$total_guest_s") ops/s)"
fi
[ "$failed" -eq 0 ] || { echo "bench-fuzz: some runs failed or crashed (see FAIL above)"; exit 1; }
