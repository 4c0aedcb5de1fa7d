#!/bin/bash
# Makes sure the Debian packages hvspec needs are installed: quiet when they
# are; installs the missing ones when run as root with apt-get; otherwise
# prints the command to run and fails.
set -euo pipefail

packages=(
  gcc make binutils pkg-config nasm     # toolchain (nasm: hand-made ELF images)
  bochs bochsbios vgabios bochs-term    # the bochs (default) and bochs-amd engines
  qemu-system-x86                       # the qemu (TCG) and qemu-kvm engines
  kyua atf-sh libatf-dev                # test runner and test programs
  lua5.4 liblua5.4-dev                  # spec tables
  lcov                                  # coverage reports
  acpica-tools                          # iasl: the ACPI tables unit test disassembles them
  grub-pc-bin grub-common xorriso mtools  # make iso
  busybox-static                        # make linux: the guest's initramfs
)
# The grading tools' own needs; a student handout ships without grading/.
if [[ -d "$(dirname "$0")/../grading" ]]; then
  packages+=(
    bubblewrap                            # sandboxed builds of submissions
    parallel gnuplot-nox                  # batches, class histogram
    zip unzip git tar gzip                # submissions and autograder packages
  )
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  if [[ "$status" != "install ok installed" ]]; then
    missing+=("$p")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "ci/install-deps.sh: installing ${missing[*]}"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
  exit 0
fi

echo "ci/install-deps.sh: missing Debian packages: ${missing[*]}" >&2
echo "install them with:" >&2
echo "  sudo apt-get install -y ${missing[*]}" >&2
exit 1
