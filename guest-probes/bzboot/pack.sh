#!/bin/bash
# Packs the synthetic bzImage (guest-probes/bzboot/): the setup header's
# sectors, then the protected-mode kernel padded to BZBOOT_KERNEL_BYTES.
# Refuses a kernel that needs relocations (it runs wherever it is loaded),
# one larger than the header says, or a real-mode part of the wrong size.
# With init-size-exact (bzboot_init_exact, bzboot.mk) it also refuses an
# image whose header's init_size is not exactly its protected-mode part's
# bytes (file size - (setup_sects + 1) * 512, boot.rst), read back from the
# packed file.
# Usage: pack.sh KERNEL_ELF SETUP_OBJ BZBOOT_H OUT [init-size-exact]
set -euo pipefail
kernel_elf=$1 setup_obj=$2 header=$3 out=$4 rule=${5:-}
[[ -z $rule || $rule == init-size-exact ]] || { echo "pack.sh: unknown rule '$rule'" >&2; exit 1; }

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
cat "$tmp/setup.bin" "$tmp/kernel.bin" > "$tmp/image"

# Little-endian field of the packed image: le OFFSET BYTES.
le() {
	local v=0 i bytes
	read -ra bytes <<< "$(od -An -v -tu1 -j "$(($1))" -N "$2" "$tmp/image")"
	(( ${#bytes[@]} == $2 )) || { echo "pack.sh: image too short for offset $1" >&2; exit 1; }
	for (( i = $2 - 1; i >= 0; i-- )); do
		v=$(( v << 8 | bytes[i] ))
	done
	echo $v
}
if [[ $rule == init-size-exact ]]; then
	sects=$(le 0x1f1 1)                 # setup_sects (boot.rst: 0 means 4)
	(( sects )) || sects=4
	init_size=$(le 0x260 4)             # init_size (protocol 2.10+)
	pm_bytes=$(( $(stat -c %s "$tmp/image") - (sects + 1) * 512 ))
	if (( init_size != pm_bytes )); then
		echo "pack.sh: init_size is $init_size, the protected-mode part $pm_bytes bytes: not exact" >&2
		exit 1
	fi
fi
mv "$tmp/image" "$out"
