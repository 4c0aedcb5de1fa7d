#!/bin/bash
# make linux: boots Debian's Linux kernel (ci/fetch-linux.sh) with a busybox
# initramfs (ci/mkinitramfs.lua) as the guest of the hypervisor under QEMU,
# COM1 on this terminal, so a person can type at the guest's shell.
# Use: ci/linux-boot.sh BUILD_DIR [HYPERVISOR_ELF]
set -euo pipefail

build=${1:?usage: ci/linux-boot.sh BUILD_DIR [HYPERVISOR_ELF]}
hv=${2:-$build/reference/hvspec.elf}
# Guest RAM: the kernel asks for 64 MiB while it decompresses itself
# (init_size, spec/linux-design.md section 1); the machine holds the guest,
# the modules and the hypervisor.
guest_ram=256M
machine_mib=512
# The virtio modules of spec/linux-design.md section 5 (their dependencies
# come along).
modules=(virtio_mmio virtio_blk)
# acpi=off pci=off nolapic: the reference offers no ACPI tables yet, no PCI
# and no local APIC (section 4); tsc_early_khz skips the TSC calibration
# against the PIT; panic=-1 reboots at once instead of hanging.
cmdline="console=ttyS0 earlyprintk=serial acpi=off pci=off nolapic tsc_early_khz=2000000 panic=-1 rdinit=/init linux_shell=1"

busybox=/bin/busybox
if [[ ! -x "$busybox" ]]; then
  echo "ci/linux-boot.sh: $busybox is missing: install busybox-static (make deps)" >&2
  exit 1
fi
kernel=$(bash ci/fetch-linux.sh "$build/linux")
version=${kernel##*/vmlinuz-}
[[ "$kernel" = /* ]] || kernel="$PWD/$kernel"   # hvrun --probe takes a path with '/'
initrd="$build/linux/initramfs.cpio.gz"
if [[ ! -f "$initrd" || ci/mkinitramfs.lua -nt "$initrd" || ci/linux-init.sh -nt "$initrd" ||
      "$busybox" -nt "$initrd" || "$kernel" -nt "$initrd" ]]; then
  lua5.4 ci/mkinitramfs.lua "$build/linux/initramfs.cpio" "$busybox" ci/linux-init.sh \
    "$build/linux/lib/modules/$version" "${modules[@]}"
  gzip -9nf "$build/linux/initramfs.cpio"
fi
exec "$build/bin/hvrun" --kernel "$hv" --engine qemu --interactive --probe "$kernel" \
  --initrd "$initrd" --hv-cmdline "mem=$guest_ram platform=pc" --cmdline "$cmdline" \
  --machine-mib "$machine_mib"
