#! /usr/bin/env atf-sh
# ci/catalogue, which the build runs over every spec table: a case naming a
# probe the build does not make stops the build with its file:line.
# @ROOT@ and @B@ are filled in by tests/build.mk.
ROOT='@ROOT@'
B='@B@'

atf_test_case unknown_probe_stops_the_build
unknown_probe_stops_the_build_head()
{
	atf_set "descr" "A spec case with an unknown probe is refused with file:line and the probe list"
	atf_set "timeout" "30"
}
unknown_probe_stops_the_build_body()
{
	mkdir spec
	cp "$ROOT/spec/loader.lua" spec/
	cat >spec/alpha.lua <<'LUA'
area { name = "alpha", doc = "d" }
case { id = "alpha.good", behavior = "b", source = "s", probe = "hc_halt", points = 1,
       expect = { report = "x" } }
case { id = "alpha.none", behavior = "b", source = "s", probe = "none", points = 1,
       expect = { report = "x" } }
case { id = "alpha.typo", behavior = "b", source = "s", probe = "hc_hlat", points = 1,
       expect = { report = "x" } }
LUA
	lua5.4 "$ROOT/ci/catalogue" spec out.md --probes "hc_halt hc_print" alpha.lua 2>err &&
		atf_fail "the catalogue accepted an unknown probe"
	grep -qxF "spec/alpha.lua:6: case 'alpha.typo': unknown probe 'hc_hlat' (the build makes: hc_halt hc_print, or \"none\" for no guest module)" err ||
		atf_fail "$(cat err)"
	[ ! -e out.md ] || atf_fail "a catalogue was written"
	# Known probes and "none" pass.
	sed -i 's/hc_hlat/hc_print/' spec/alpha.lua
	lua5.4 "$ROOT/ci/catalogue" spec out.md --probes "hc_halt hc_print" alpha.lua 2>err ||
		atf_fail "$(cat err)"
	grep -q 'alpha.typo' out.md || atf_fail "the case is missing from the catalogue"
}

atf_test_case make_iso_unknown_probe
make_iso_unknown_probe_head()
{
	atf_set "descr" "make iso PROBE=nope names the problem and lists the probes"
	atf_set "require.progs" "make"
	atf_set "timeout" "60"
}
make_iso_unknown_probe_body()
{
	make -C "$ROOT" --no-print-directory B="$B" iso PROBE=nope >out 2>err &&
		atf_fail "make iso accepted an unknown probe"
	grep -q "make iso: no probe 'nope'; the probes are: .*hc_print" err ||
		atf_fail "$(tr '\n' ' ' <err)"
}

atf_init_test_cases()
{
	atf_add_test_case make_iso_unknown_probe
	atf_add_test_case unknown_probe_stops_the_build
}
