#! /usr/bin/env atf-sh
# The harness's folders by job include one another only downwards, as
# harness/README.md ("Layout") orders them: a folder's sources name headers
# of the folders before it (and its own), never of one after it.
# @ROOT@ is filled in by harness/build.mk.
ROOT='@ROOT@'

# Each folder with the folders it may include, in the README's order. Any
# folder may also include the facts every component shares (abi/, from
# reference/lib/abi/: README, code shared between components).
ALLOWED='
util:util
spec:util,spec
engine:util,engine
judge:util,spec,judge
run:util,spec,engine,judge,run
report:util,spec,engine,judge,run,report
cli:util,spec,engine,judge,run,report,cli
'

atf_test_case includes_go_down
includes_go_down_head()
{
	atf_set "descr" "No harness folder includes a header of a folder above it (harness/README.md, Layout)"
	atf_set "timeout" "30"
}
includes_go_down_body()
{
	cd "$ROOT/harness" || atf_fail "no $ROOT/harness"
	bad=
	for entry in $ALLOWED; do
		dir=${entry%%:*}
		allowed=" $(echo "${entry#*:}" | tr ',' ' ') abi "
		[ -d "$dir" ] || atf_fail "harness/$dir is missing; update harness/layering_test.sh and the README"
		for used in $(grep -ho '^#include "[a-z_]*/' "$dir"/*.[ch] | sed 's|#include "||; s|/$||' | sort -u); do
			case $allowed in
			*" $used "*) ;;
			*) bad="$bad harness/$dir includes $used/;" ;;
			esac
		done
	done
	[ -z "$bad" ] || atf_fail "$bad"
	# Every folder with sources is in the list.
	for d in */; do
		d=${d%/}
		ls "$d"/*.c >/dev/null 2>&1 || continue
		echo "$ALLOWED" | grep -q "^$d:" || atf_fail "harness/$d is not in the layering (harness/layering_test.sh, README)"
	done
}

atf_init_test_cases()
{
	atf_add_test_case includes_go_down
}
