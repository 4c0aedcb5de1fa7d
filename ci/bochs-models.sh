#!/usr/bin/env bash
# The suite on every Bochs processor model (a sweep, not part of make check):
# the models with VMX, EPT and unrestricted guest (Westmere to Tiger Lake)
# each play the vmx-ept profile of every case, with zero failures allowed
# (cases requiring a feature the model lacks, such as 1-GiB pages on Sandy
# and Ivy Bridge, are skipped); the older VMX models must end with the
# documented refusal (contract 4).
# usage: ci/bochs-models.sh [--kernel IMAGE] [--out DIR]   (about 4 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
hvrun=build/bin/hvrun
[ -x "$hvrun" ] || { echo "bochs-models: build first (make all)" >&2; exit 2; }
kernel=()
out=build/bochs-models
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=(--kernel "$2"); shift 2 ;;
	--out) out=$2; shift 2 ;;
	*) echo "usage: ci/bochs-models.sh [--kernel IMAGE] [--out DIR]" >&2; exit 2 ;;
	esac
done
mkdir -p "$out"

full_models=(corei5_arrandale_m520 corei7_sandy_bridge_2600k corei7_ivy_bridge_3770k
	corei7_haswell_4770 broadwell_ult corei7_skylake_x corei3_cnl corei7_icelake_u tigerlake)
# model:the refusal it must end with
old_models=(corei5_lynnfield_750:"unrestricted guest" core2_penryn_t9600:"ept"
	p4_prescott_celeron_336:"vmx")

status=0
for m in "${full_models[@]}"; do
	start=$SECONDS
	"$hvrun" ${kernel[@]+"${kernel[@]}"} --bochs-model "$m" --jobs 2 --results "$out/$m.json" \
		'.*' >"$out/$m.txt" 2>&1 || true
	closing=$(tail -1 "$out/$m.txt")
	echo "$m: $closing ($((SECONDS - start)) s)"
	case $closing in
	*" 0 failed, 0 crashed, 0 timed out, 0 errors,"*" 0 not run;"*) ;;
	*) status=1; grep -E '  ->  (fail|crash|timeout|error)' "$out/$m.txt" | sed 's/^/    /' | head -20 ;;
	esac
done
for entry in "${old_models[@]}"; do
	m=${entry%%:*}
	want="[hv] end: unsupported: ${entry#*:}"
	got=$("$hvrun" ${kernel[@]+"${kernel[@]}"} --probe hc_halt --cpu "bochs:$m" 2>&1 |
		grep -a '^\[hv\] end: ' || true)
	if [ "$got" = "$want" ]; then
		echo "$m: refused as documented ('$got')"
	else
		echo "$m: expected '$want', got '${got:-no end line}'"
		status=1
	fi
done
exit $status
