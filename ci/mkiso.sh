#!/usr/bin/env bash
# Builds a GRUB (Multiboot2) ISO with the hypervisor and one guest probe, for
# QEMU+KVM on Intel hosts and for real machines.
# usage: ci/mkiso.sh OUT.iso HYPERVISOR.elf PROBE.elf "HV CMDLINE" "PROBE CMDLINE"
set -euo pipefail
out=$1 hv=$2 probe=$3 hv_cmdline=${4:-} probe_cmdline=${5:-}
for f in "$hv" "$probe"; do
	[ -f "$f" ] || { echo "mkiso: $f does not exist" >&2; exit 2; }
done
command -v grub-mkrescue >/dev/null || { echo "mkiso: grub-mkrescue missing (install grub-pc-bin grub-common xorriso mtools)" >&2; exit 2; }
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/boot/grub"
cp "$hv" "$stage/boot/hvspec.elf"
cp "$probe" "$stage/boot/probe.elf"
cat > "$stage/boot/grub/grub.cfg" <<CFG
set timeout=0
serial --unit=0 --speed=115200
terminal_output serial
menuentry "hvspec" {
	multiboot2 /boot/hvspec.elf $hv_cmdline
	module2 /boot/probe.elf $probe_cmdline
	boot
}
CFG
grub-mkrescue -o "$out" "$stage" >/dev/null 2>&1 || { echo "mkiso: grub-mkrescue failed" >&2; exit 1; }
echo "mkiso: wrote $out"
