#!/bin/bash
# make linux-guest: the Linux guest of issue 15 in BUILD_DIR/linux/: bzImage
# (Debian's kernel, ci/fetch-linux.sh) and initramfs.cpio.gz (a static
# busybox, ci/linux-init.sh as /init and the virtio modules, built by
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
initrd="$dir/initramfs.cpio.gz"
if [[ ! -f "$initrd" || ci/mkinitramfs.lua -nt "$initrd" || ci/linux-init.sh -nt "$initrd" ||
      "$busybox" -nt "$initrd" || "$kernel" -nt "$initrd" ]]; then
  lua5.4 ci/mkinitramfs.lua "$dir/initramfs.cpio" "$busybox" ci/linux-init.sh \
    "$dir/lib/modules/$version" "${modules[@]}"
  gzip -9nf "$dir/initramfs.cpio"
fi
