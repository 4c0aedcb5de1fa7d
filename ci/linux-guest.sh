#!/bin/bash
# make linux-guest: the Linux guest of issue 15 in BUILD_DIR/linux/: bzImage
# (Debian's kernel, ci/fetch-linux.sh) and initramfs.cpio.gz (a static
# busybox, ci/linux-init.sh as /init, the user-space hypercall helper
# guest-probes/linux_hc/ as /bin/linux_hc and the virtio modules, built by
# ci/mkinitramfs.lua). The linux spec cases and make linux boot these two.
# Use: ci/linux-guest.sh BUILD_DIR
set -euo pipefail

build=${1:?usage: ci/linux-guest.sh BUILD_DIR}
dir="$build/linux"
busybox=/bin/busybox
# The virtio modules of spec/linux-design.md section 5 (their dependencies
# come along).
modules=(virtio_mmio virtio_blk)

if [[ ! -x "$busybox" ]]; then
  echo "ci/linux-guest.sh: $busybox is missing: install busybox-static (make deps)" >&2
  exit 1
fi
kernel=$(bash ci/fetch-linux.sh "$dir")
version=${kernel##*/vmlinuz-}
ln -sfn "boot/vmlinuz-$version" "$dir/bzImage"
# The helper: a static Linux program without libc, compiled by the host's
# gcc (its own _start and system calls; the ABI header it shares with the
# hypervisor and the probes).
hc_src=guest-probes/linux_hc/linux_hc.c
hc_abi=reference/lib/abi/hypercall.h
hc_helper="$dir/linux_hc"
if [[ ! -f "$hc_helper" || "$hc_src" -nt "$hc_helper" || "$hc_abi" -nt "$hc_helper" ]]; then
  "${CC:-gcc}" -std=gnu11 -Wall -Wextra -Werror -O2 -ffreestanding -fno-builtin \
    -fno-tree-loop-distribute-patterns -fno-stack-protector -fno-pie -no-pie -static -nostdlib \
    -Ireference/lib -o "$hc_helper.tmp" "$hc_src"
  mv "$hc_helper.tmp" "$hc_helper"
fi
initrd="$dir/initramfs.cpio.gz"
if [[ ! -f "$initrd" || ci/mkinitramfs.lua -nt "$initrd" || ci/linux-init.sh -nt "$initrd" ||
      "$busybox" -nt "$initrd" || "$kernel" -nt "$initrd" || "$hc_helper" -nt "$initrd" ]]; then
  lua5.4 ci/mkinitramfs.lua "$dir/initramfs.cpio" "$busybox" ci/linux-init.sh "$hc_helper" \
    "$dir/lib/modules/$version" "${modules[@]}"
  gzip -9nf "$dir/initramfs.cpio"
fi
