#!/bin/bash
# make linux: the Linux guest (ci/linux-guest.sh) on the hypervisor under
# QEMU, COM1 on this terminal, so a person can type at the guest's shell.
# Use: ci/linux-boot.sh BUILD_DIR [HYPERVISOR_ELF]
set -euo pipefail

build=${1:?usage: ci/linux-boot.sh BUILD_DIR [HYPERVISOR_ELF]}
hv=${2:-$build/reference/hvspec.elf}
# The kernel asks for 64 MiB while it decompresses itself (init_size,
# spec/linux-design.md section 1); the machine holds the guest's RAM, the
# modules and the hypervisor.
guest_ram=256M
machine_mib=512
# pci=off nolapic: no PCI, no local APIC (contract 15: the 8259A pair);
# tsc_early_khz skips the TSC calibration against the PIT; panic=-1
# reboot=t turn a panic into a triple fault, which ends the run; nohz=off
# highres=off keep the 8254 periodic (a one-shot 8254 stalled the guest's
# first sleep, spec/linux-design.md section 8);
# linux_shell=1 reaches /init as an environment variable: a shell.
cmdline="console=ttyS0 earlyprintk=serial pci=off nolapic tsc_early_khz=2000000 panic=-1 reboot=t nohz=off highres=off rdinit=/init linux_shell=1"

bash ci/linux-guest.sh "$build"
kernel=$(readlink -f "$build/linux/bzImage")   # hvrun --probe takes a path with '/'
exec "$build/bin/hvrun" --kernel "$hv" --engine qemu --interactive --probe "$kernel" \
  --initrd "$(readlink -f "$build/linux/initramfs.cpio.gz")" --hv-cmdline "mem=$guest_ram platform=pc" \
  --cmdline "$cmdline" --machine-mib "$machine_mib"
