#!/bin/bash
# Packs the synthetic bzImage (guest-probes/bzboot/): the setup header's
# sectors, then the protected-mode kernel padded to BZBOOT_KERNEL_BYTES.
# Refuses a kernel that needs relocations (it runs wherever it is loaded),
# one larger than the header says, or a real-mode part of the wrong size.
# Usage: pack.sh KERNEL_ELF SETUP_OBJ BZBOOT_H OUT
set -euo pipefail
kernel_elf=$1 setup_obj=$2 header=$3 out=$4

define() {
	local v
	v=$(sed -n "s/^#define $1 \([0-9a-fx]*\).*/\1/p" "$header")
	[[ -n $v ]] || { echo "pack.sh: $header has no #define $1" >&2; exit 1; }
	echo $((v))
}
kernel_bytes=$(define BZBOOT_KERNEL_BYTES)
setup_bytes=$(( ($(define BZBOOT_SETUP_SECTS) + 1) * 512 ))

if readelf -rW "$kernel_elf" | grep -q 'R_386_'; then
	echo "pack.sh: $kernel_elf has relocations; bzboot must be position independent:" >&2
	readelf -rW "$kernel_elf" >&2
	exit 1
fi

tmp=$(mktemp -d "${out}.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
objcopy -O binary -j .setup "$setup_obj" "$tmp/setup.bin"
objcopy -O binary -j .text -j .rodata -j .got -j .data "$kernel_elf" "$tmp/kernel.bin"
got=$(stat -c %s "$tmp/setup.bin")
if (( got != setup_bytes )); then
	echo "pack.sh: real-mode part is $got bytes, (setup_sects + 1) * 512 is $setup_bytes" >&2
	exit 1
fi
got=$(stat -c %s "$tmp/kernel.bin")
if (( got > kernel_bytes )); then
	echo "pack.sh: kernel is $got bytes, more than BZBOOT_KERNEL_BYTES ($kernel_bytes): raise it in $header" >&2
	exit 1
fi
truncate -s "$kernel_bytes" "$tmp/kernel.bin"
cat "$tmp/setup.bin" "$tmp/kernel.bin" > "$out"
