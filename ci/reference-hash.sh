# ci/reference-hash.sh: the one hash of the reference's sources. make
# coverage (ci/coverage.sh) records it with the data it measures, and
# ci/mutate.sh checks it before choosing cases by that data. Sourced by both.

# reference_hash DIR: sha256 over the names and contents of every file
# under DIR/reference, in a fixed order.
reference_hash() {
	(cd "$1" && find reference -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum |
		sha256sum | cut -c1-64)
}

# reference_commit DIR: the commit whose reference/ DIR's reference/ is
# (HEAD, when nothing under reference/ differs from it, untracked files
# included), else "uncommitted".
reference_commit() {
	local head
	if head=$(git -C "$1" rev-parse --verify -q HEAD) &&
		[ -z "$(git -C "$1" status --porcelain -- reference)" ]; then
		echo "$head"
	else
		echo uncommitted
	fi
}
