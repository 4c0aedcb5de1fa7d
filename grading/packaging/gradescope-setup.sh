#!/bin/bash
# Gradescope setup.sh of the hvspec autograder for lab @LAB@ (made by
# `make gradescope LAB=@LAB@`). Gradescope unpacks the zip into
# /autograder/source and runs this once, as root, when it builds the image:
# it installs the Debian/Ubuntu packages hvspec needs (ci/install-deps.sh, the
# project's one list; nothing is installed when they are all present), copies
# the hvspec tree shipped in the zip to /autograder/hvspec and builds it.
# HVSPEC_AUTOGRADER_DIR replaces /autograder (tests lay the folders out
# in a temporary directory).
set -euo pipefail

autograder=${HVSPEC_AUTOGRADER_DIR:-/autograder}
source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
shipped=$source_dir/hvspec
tree=$autograder/hvspec

[[ -f $shipped/Makefile && -f $shipped/ci/install-deps.sh ]] ||
	{ echo "setup.sh: $shipped is not the hvspec tree this zip should hold; rebuild the zip with make gradescope LAB=@LAB@" >&2; exit 1; }

bash "$shipped/ci/install-deps.sh"

rm -rf "$tree"
mkdir -p "$tree"
cp -a "$shipped/." "$tree/"
make -C "$tree" -j "$(nproc)" all
echo "setup.sh: hvspec built in $tree; run_autograder grades lab @LAB@"
