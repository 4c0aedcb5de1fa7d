#!/usr/bin/env bash
# ci/bench-engines.sh [BOOTS]: what one boot costs on each engine, and what
# each part of the engine's configuration costs (issue 12 section 5). A
# benchmark, not a test: it prints figures and judges nothing but that every
# boot still ends the way the case expects.
#
# The boot is the empty one: the hypervisor refusing a missing guest (case
# boot.missing_module), so nearly all of it is the engine's own start-up.
# For bochs, bochs-amd and qemu it prepares that run once with hvrun --keep,
# then boots the kept machine BOOTS times (default 10) as configured and
# with one part of the configuration changed, the variants taking turns so
# that load from other work on the machine spreads over all of them. Then a
# whole hvrun of the case (ROM build and judgement included) per engine.
# With SUITE=1, last, the whole conformance suite under bochs and then under
# qemu (hvrun --jobs <cores>): its wall time, the boots it made, and the
# bound issue 12 section 5 sets, boots x bare engine start / cores.
#
# Settings, from the environment: B (build folder, default build), KERNEL
# (default $B/reference/hvspec.elf), SUITE (1: also the whole suite). Run it
# under nice on a shared machine.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
B=${B:-build}
[[ $B = /* ]] || B=$root/$B
KERNEL=${KERNEL:-$B/reference/hvspec.elf}
hvrun=$B/bin/hvrun
boots=${1:-10}
case_id=boot.missing_module
expected_end='[hv] end: refused: no guest module'
boot_timeout=60

die() { echo "bench-engines: $*" >&2; exit 2; }
[[ $boots =~ ^[1-9][0-9]*$ ]] || die "BOOTS must be a positive whole number, got '$boots'"
[[ -x $hvrun ]] || die "$hvrun is missing: run make B=${B#"$root"/} all first"
[[ -f $KERNEL ]] || die "KERNEL=$KERNEL does not exist"
for program in bochs qemu-system-x86_64; do
	command -v "$program" >/dev/null || die "$program is not installed (make deps)"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/bench-engines.XXXXXX")
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }

# prepare ENGINE: the kept run of the case in $work/ENGINE.
prepare() {
	"$hvrun" --engine "$1" --kernel "$KERNEL" --keep "$work/$1" "$case_id" >"$work/$1.hvrun" 2>&1 ||
		die "hvrun --engine $1 $case_id did not pass: $(grep -m1 -E 'FAIL|ERROR|CRASH' "$work/$1.hvrun")"
}

# Variants: a name and the command that boots the kept machine that way, run
# in a copy of the kept folder. Bochs variants edit bochsrc, QEMU ones the
# kept command line (qemu.cmd).
declare -a names=() commands=() folders=()
add_variant() {
	names+=("$1")
	folders+=("$2")
	commands+=("$3")
}

bochs_variants() {
	local engine=$1 dir=$work/$1
	local run="bochs -q -f bochsrc.bench -rc bochs.cmd"
	add_variant "$engine as configured" "$dir" "cp bochsrc bochsrc.bench && $run"
	add_variant "$engine without dirty RAM (contract 1 needs it)" "$dir" \
		"grep -v '^optramimage' bochsrc >bochsrc.bench && $run"
	add_variant "$engine 32 MiB, no dirty RAM (cases need more)" "$dir" \
		"grep -v '^optramimage' bochsrc | sed 's/^megs: .*/megs: 32/' >bochsrc.bench && $run"
	add_variant "$engine without optional plugins" "$dir" \
		"{ cat bochsrc; echo 'plugin_ctrl: speaker=0, gameport=0, parallel=0, extfpuirq=0, iodebug=0, biosdev=0'; } >bochsrc.bench && $run"
	add_variant "$engine without PCI" "$dir" \
		"{ cat bochsrc; echo 'pci: enabled=0'; } >bochsrc.bench && $run"
	add_variant "$engine ips=50M (was 4M)" "$dir" \
		"sed 's/ips=[0-9]*/ips=50000000/' bochsrc >bochsrc.bench && $run"
}

qemu_variants() {
	local dir=$work/qemu
	# The kept line has the RAM as a private mapping of the dirty-RAM file.
	add_variant "qemu as configured" "$dir" "sh qemu.cmd"
	add_variant "qemu with the default devices (no -nodefaults)" "$dir" \
		"sed 's/ -nodefaults//' qemu.cmd >qemu.bench && sh qemu.bench"
	add_variant "qemu without dirty RAM (contract 1 needs it)" "$dir" \
		"sed -e 's/ -object [^ ]*//' -e 's/ -machine [^ ]*//' qemu.cmd >qemu.bench && sh qemu.bench"
	local ram=$B/dirty-ram mib
	mib=$(sed -n 's/.* -m \([0-9]*\) .*/\1/p' "$dir/qemu.cmd")
	add_variant "qemu dirty RAM by loader devices (the old way)" "$dir" \
		"sed -e 's/ -object [^ ]*//' -e 's/ -machine [^ ]*//' qemu.cmd | tr -d '\n' >qemu.bench && echo ' -device loader,file=$ram/low-512k.ram,addr=0x0,force-raw=on -device loader,file=$ram/high-${mib}m.ram,addr=0x100000,force-raw=on' >>qemu.bench && sh qemu.bench"
}

for engine in bochs bochs-amd qemu; do
	prepare "$engine"
done
bochs_variants bochs
bochs_variants bochs-amd
qemu_variants

# A boot whose engine died of a signal still counts when its transcript is
# whole; the table says how many did.
declare -a total=() crashed=()
for i in "${!names[@]}"; do total[i]=0; crashed[i]=0; done
for ((round = 1; round <= boots; round++)); do
	for i in "${!names[@]}"; do
		dir=${folders[i]}
		rm -f "$dir/serial.txt"
		start=$(now)
		status=0
		(cd "$dir" && exec timeout -k 5 "$boot_timeout" bash -c "${commands[i]}") \
			>"$dir/bench.out" 2>&1 || status=$?
		end=$(now)
		((status < 124)) || crashed[i]=$((crashed[i] + 1))
		grep -qxF "$expected_end" "$dir/serial.txt" 2>/dev/null ||
			die "${names[i]}: the boot did not end with '$expected_end' (see $dir)"
		total[i]=$(echo "${total[i]} + $end - $start" | bc -l)
	done
done

declare -A bare=()
echo "bare engine start: $case_id booted $boots times per variant, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-52s %9s %9s %8s\n' variant "s/boot" "boots/s" "crashed"
for i in "${!names[@]}"; do
	per=$(echo "${total[i]} / $boots" | bc -l)
	printf '%-52s %9.3f %9.2f %8d\n' "${names[i]}" "$per" "$(echo "1 / $per" | bc -l)" \
		"${crashed[i]}"
	[[ ${names[i]} != *" as configured" ]] || bare[${names[i]% as configured}]=$per
done

echo "whole hvrun of $case_id (ROM build, boot, judgement), $boots times:"
for engine in bochs bochs-amd qemu; do
	start=$(now)
	for ((round = 1; round <= boots; round++)); do
		"$hvrun" --engine "$engine" --kernel "$KERNEL" "$case_id" >/dev/null 2>&1 ||
			die "hvrun --engine $engine $case_id did not pass"
	done
	end=$(now)
	printf '%-52s %9.3f\n' "hvrun --engine $engine" "$(echo "($end - $start) / $boots" | bc -l)"
done

[[ ${SUITE:-0} = 1 ]] || exit 0
cores=$(nproc)
declare -A suite_s=()
echo "whole suite, hvrun --jobs $cores '.*':"
printf '%-10s %9s %6s %9s %12s  %s\n' engine seconds boots "bound s" "suite/bound" verdicts
for engine in bochs qemu; do
	runs=$work/suite-$engine
	start=$(now)
	"$hvrun" --engine "$engine" --kernel "$KERNEL" --jobs "$cores" --run-dir "$runs" '.*' \
		>"$work/suite-$engine.out" 2>&1 || true
	end=$(now)
	grep -q ' passed, ' "$work/suite-$engine.out" ||
		die "the suite under $engine did not finish: $(tail -3 "$work/suite-$engine.out")"
	suite_s[$engine]=$(echo "$end - $start" | bc -l)
	made=$(find "$runs" -mindepth 1 -maxdepth 1 -type d | wc -l)
	bound=$(echo "$made * ${bare[$engine]} / $cores" | bc -l)
	printf '%-10s %9.1f %6d %9.1f %12.2f  %s\n' "$engine" "${suite_s[$engine]}" "$made" "$bound" \
		"$(echo "${suite_s[$engine]} / $bound" | bc -l)" "$(tail -1 "$work/suite-$engine.out")"
done
printf 'the suite under qemu is %.1f times faster than under bochs\n' \
	"$(echo "${suite_s[bochs]} / ${suite_s[qemu]}" | bc -l)"
