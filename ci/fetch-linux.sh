#!/bin/bash
# Unpacks the Linux kernel Debian's linux-image-amd64 depends on into
# build/linux/ (or $1): `apt-get download` of the linux-image-6.1.*-amd64
# package and `dpkg-deb -x`; the package is never installed. Prints the
# bzImage's path. Idempotent: an unpacked kernel is kept.
set -euo pipefail

dest=${1:-build/linux}
meta=linux-image-amd64

# The versioned package the meta-package depends on (linux-image-6.1.0-57-amd64).
pkg=$(apt-cache depends "$meta" 2>/dev/null |
      sed -n 's/^ *Depends: \(linux-image-6\.1\.[^ ]*-amd64\)$/\1/p' | head -n 1)
if [[ -z "$pkg" ]]; then
  echo "ci/fetch-linux.sh: apt-cache knows no linux-image-6.1.*-amd64 that $meta depends on" >&2
  echo "  (run 'apt-get update' as root; Debian 12 'bookworm' sources are needed)" >&2
  exit 1
fi
version=${pkg#linux-image-}
kernel="$dest/boot/vmlinuz-$version"
if [[ -f "$kernel" ]]; then
  echo "$kernel"
  exit 0
fi

mkdir -p "$dest/deb"
if ! ls "$dest/deb/${pkg}_"*.deb >/dev/null 2>&1; then
  if ! (cd "$dest/deb" && apt-get download "$pkg" >download.log 2>&1); then
    echo "ci/fetch-linux.sh: 'apt-get download $pkg' failed (offline, or no Debian mirror):" >&2
    sed 's/^/  /' "$dest/deb/download.log" >&2
    exit 1
  fi
fi
deb=$(ls "$dest/deb/${pkg}_"*.deb | head -n 1)
# Unpack into a fresh folder and move it in place: an interrupted run
# leaves no half-unpacked kernel behind that the check above would trust.
tmp=$(mktemp -d "$dest/unpack.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
dpkg-deb -x "$deb" "$tmp"
rm -rf "$dest/boot" "$dest/lib"
mv "$tmp/boot" "$dest/boot"
mv "$tmp/lib" "$dest/lib"
echo "$kernel"
