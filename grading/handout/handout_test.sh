#! /usr/bin/env atf-sh
# Labs and handouts: every shipped lab's handout builds and, booted by the
# case runner, passes exactly the lab's cases that need none of its removed
# regions and fails the others with "[hv] end: not implemented: <region>"
# (which cases need which region comes from the lab table's declarations,
# never from running a handout); hidden cases appear nowhere in a handout;
# malformed lab tables and solution markers are refused with file:line;
# mkhandout refuses an unknown lab and an existing tree.
# @ROOT@ and @B@ are filled in by grading/handout/build.mk.
ROOT='@ROOT@'
B='@B@'
MKHANDOUT="$ROOT/grading/handout/mkhandout"
EXPECT="$ROOT/grading/handout/expect.lua"

# One shipped lab, end to end. The handout of a lab that removes nothing
# must compile to the very image of the reference (then booting it again
# would only repeat the conformance suite).
check_lab()
{
	lab=$1
	"$MKHANDOUT" "$lab" out >mk.out 2>mk.err ||
		atf_fail "mkhandout $lab failed: $(cat mk.err)"
	tree=$(tail -n 1 mk.out)
	[ "$tree" = "$PWD/out/hvspec-$lab" ] || atf_fail "last line of mkhandout is '$tree', not the tree"
	[ -f "out/hvspec-$lab.tar.gz" ] || atf_fail "no tarball out/hvspec-$lab.tar.gz"
	for f in README.md EDITABLE Makefile spec/loader.lua spec/contract.md; do
		[ -f "$tree/$f" ] || atf_fail "the handout has no $f"
	done
	[ ! -e "$tree/grading" ] || atf_fail "the handout ships grading/"
	if grep -rn "hvspec-solution" "$tree" >markers.out; then
		atf_fail "solution markers left in the handout: $(head -3 markers.out)"
	fi

	# Hidden cases: not in any file of the tree or the tarball, nor in the
	# catalogue the handout's build writes.
	lua5.4 "$EXPECT" hidden "$ROOT" "$lab" >hidden.ids || atf_fail "expect.lua hidden $lab failed"
	hb="$PWD/hb"
	make -s -C "$tree" B="$hb" "$hb/spec/catalogue.md" >cat.log 2>&1 ||
		atf_fail "the handout's catalogue did not build: $(tail -3 cat.log)"
	if [ -s hidden.ids ]; then
		if grep -rlF -f hidden.ids "$tree" "$hb/spec/catalogue.md" >leak.out; then
			atf_fail "hidden case ids in the handout: $(head -3 leak.out | tr '\n' ' ')"
		fi
		if gzip -dc "out/hvspec-$lab.tar.gz" | grep -aqF -f hidden.ids; then
			atf_fail "hidden case ids in the tarball"
		fi
	fi

	# Every rule the handout's `make all` needs exists (probes taken out
	# included), and the hypervisor image builds.
	make -n -C "$tree" B="$hb" all >dry.log 2>&1 ||
		atf_fail "make -n all fails in the handout: $(grep -m3 -i 'error\|no rule' dry.log)"
	make -s -j2 -C "$tree" B="$hb" "$hb/reference/hvspec.elf" >build.log 2>&1 ||
		atf_fail "the handout's hypervisor did not build: $(grep -m3 -i error build.log)"

	lua5.4 "$EXPECT" ids "$ROOT" "$lab" >lab.ids || atf_fail "expect.lua ids $lab failed"
	regions=$(lua5.4 -e "local L = dofile('$ROOT/grading/lib/lab.lua').load('$ROOT', '$lab'); print(#L.regions)")
	if [ "$regions" = 0 ] && cmp -s "$hb/reference/hvspec.elf" "$B/reference/hvspec.elf"; then
		echo "lab $lab removes no region and its image is the reference's: not booted again"
		return 0
	fi
	# xargs: the ids as arguments; hvrun exits 1 when a case fails, which
	# the stubs make certain; the judgement is expect.lua's.
	xargs "$B/bin/hvrun" --results run.json --jobs 2 --kernel "$hb/reference/hvspec.elf" \
		<lab.ids >run.out 2>&1
	[ -f run.json ] || atf_fail "hvrun wrote no results: $(tail -3 run.out)"
	lua5.4 "$EXPECT" check "$ROOT" "$lab" run.json >expect.out 2>&1 ||
		atf_fail "lab $lab: $(head -5 expect.out | tr '\n' ' ')"
	cat expect.out
}

lab_case()
{
	atf_test_case "lab_$2"
	eval "lab_$2_head() { atf_set descr 'handout of lab $1: builds, no hidden case in it, passes exactly the cases that need no removed region'; atf_set require.progs 'bochs lua5.4 gcc make'; atf_set timeout 240; }"
	eval "lab_$2_body() { check_lab '$1'; }"
}
lab_case suite suite
lab_case vmx-basics vmx_basics
lab_case pio-msr pio_msr
lab_case memory memory

atf_test_case shipped_labs
shipped_labs_head()
{
	atf_set "descr" "the labs this test covers are exactly the shipped ones; the rubric prints each"
	atf_set "timeout" "60"
}
shipped_labs_body()
{
	"$ROOT/grading/rubric" >list.out 2>&1 || atf_fail "grading/rubric failed: $(cat list.out)"
	labs=$(lua5.4 -e "for _, n in ipairs(dofile('$ROOT/grading/lib/lab.lua').list('$ROOT')) do print(n) end" | tr '\n' ' ')
	[ "$labs" = "memory pio-msr suite vmx-basics " ] ||
		atf_fail "shipped labs are '$labs'; add a lab_case for each new one in handout_test.sh"
	for lab in $labs; do
		"$ROOT/grading/rubric" "$lab" >rubric.out 2>&1 || atf_fail "grading/rubric $lab: $(cat rubric.out)"
		grep -q "^total: .* points$" rubric.out || atf_fail "grading/rubric $lab prints no total"
	done
	grep -q '^suite .* 0 ' list.out || atf_fail "the suite lab should have no hidden case: $(grep ^suite list.out)"
}

# A root whose grading/labs/ holds the given tables and whose other parts
# are the real tree's (read-only links).
fake_root()
{
	mkdir -p fake/grading/labs fake/grading/lib fake/tests
	for p in spec reference guest-probes; do ln -s "$ROOT/$p" "fake/$p"; done
	ln -s "$ROOT/tests/unit" fake/tests/unit
	ln -s "$ROOT/grading/handout" fake/grading/handout
	ln -s "$ROOT/grading/lib/lab.lua" fake/grading/lib/lab.lua
	ln -s "$ROOT/grading/lib/json.lua" fake/grading/lib/json.lua
}

# refused FILE_BODY EXPECTED_MESSAGE: a lab "bad" with that body is refused
# by grading/rubric with the message (grep -F), at grading/labs/bad.lua:LINE.
refused()
{
	printf '%s\n' "$1" >fake/grading/labs/bad.lua
	if "$ROOT/grading/rubric" --root fake bad >out 2>err; then
		atf_fail "accepted a bad lab table: $1"
	fi
	grep -qF "grading/labs/bad.lua:" err || atf_fail "no file:line in: $(cat err)"
	grep -qF -- "$2" err || atf_fail "expected '$2' in: $(cat err)"
}

atf_test_case malformed_labs
malformed_labs_head()
{
	atf_set "descr" "malformed lab tables are refused with grading/labs/<file>:<line> and the problem"
	atf_set "timeout" "60"
}
malformed_labs_body()
{
	fake_root
	ok='name = "bad", title = "t", doc = "d", source = "s", editable = { "reference/core/exit_io.c" }'
	refused "lab { $ok, cases = { \"pio\" }, casez = {} }" "bad.lua:1: unknown field 'casez'"
	refused "lab { $ok, cases = { \"nosuch_area\" } }" 'selector "nosuch_area" matches no case'
	refused "lab { $ok, cases = { \"pio%.nothing_.*\" } }" 'selector "pio%.nothing_.*" matches no case'
	refused "lab { $ok, cases = { \"pio\" }, hidden = { \"msr\" } }" 'hidden[1]: selector "msr" matches no case of this lab'
	refused "lab { $ok, cases = { \"pio\" }, regions = { { name = \"no_such_region\", needs = { \"pio\" } } } }" \
		"region \"no_such_region\" has no markers in reference/"
	refused "lab { $ok, cases = { \"pio\" }, regions = { { name = \"cpuid\", needs = { \"pio\" } } } }" \
		"region 'cpuid' is in reference/core/exit_cpuid.c"
	refused "lab { $ok, cases = { \"pio\" }, regions = { { name = \"pio_ports\" } } }" "missing 'needs'"
	refused "lab { $ok, cases = { \"pio\" }, run_timeout = \"10\" }" "field 'run_timeout' must be a whole number of seconds from 1 to 600"
	refused "lab { $ok, cases = { \"pio\" }, budget = 5 }" "field 'budget' must be a whole number"
	refused "lab { name = \"bad\", title = \"t\", doc = \"d\", source = \"s\", cases = { \"pio\" }, editable = { \"reference/nosuch.c\" } }" \
		'editable[1] "reference/nosuch.c": no such file or folder'
	refused "lab { $ok, cases = { \"pio\" }, builds_on = \"bad\" }" "builds_on cycle: bad -> bad"
	refused "lab { $ok, cases = { \"pio\" }, cumulative = true }" "field 'cumulative' needs 'builds_on'"
	refused "lab { $ok, cases = { \"pio\" }, vendor = \"arm\" }" "field 'vendor' must be one of intel, amd"
	refused "lab { $ok, cases = { \"pio\" }, units = { { program = \"tests/unit/nosuch_test\", points = 1 } } }" \
		"no tests/unit/nosuch_test.c"
	refused "$(printf 'local x = 1\n\nlab { %s, cases = { "pio" }, hidden = { "pio" } }' "$ok")" \
		"bad.lua:3: every case of the lab is hidden"
	refused "$(printf '\nlab { %s, cases = { "pio" } ' "$ok")" "bad.lua:3: '}' expected (to close '{' at line 2)"
	refused "while true do end" "evaluation exceeded"
	refused "os.exit(1)" "attempt to index a nil value (global 'os')"
	refused "lab { $ok, name = \"other\", cases = { \"pio\" } }" "does not match the file name 'bad.lua'"
	refused "-- nothing" "bad.lua:1: no lab {} in this file"

	# An unknown lab is an error listing the known ones.
	if "$ROOT/grading/rubric" --root fake nosuch >out 2>err; then atf_fail "rubric accepted an unknown lab"; fi
	grep -qF "unknown lab 'nosuch' (known labs: bad)" err || atf_fail "unexpected: $(cat err)"
}

atf_test_case vendor_selects_cases
vendor_selects_cases_head()
{
	atf_set "descr" "a lab grades only the cases its vendor's processors run: the cpu area of an Intel lab has no AMD-profile case, that of an AMD lab no Intel-profile case, both keep the vendor-neutral ones, and the rubric names what was left out"
	atf_set "timeout" "60"
}
vendor_selects_cases_body()
{
	fake_root
	ok='title = "t", doc = "d", source = "s", editable = { "reference/core/exit_io.c" }, cases = { "cpu", "cpuid" }'
	printf 'lab { name = "intel", %s }\n' "$ok" >fake/grading/labs/intel.lua
	printf 'lab { name = "amd", vendor = "amd", %s }\n' "$ok" >fake/grading/labs/amd.lua
	"$ROOT/grading/rubric" --root fake intel >intel.txt 2>&1 || atf_fail "rubric intel: $(cat intel.txt)"
	"$ROOT/grading/rubric" --root fake amd >amd.txt 2>&1 || atf_fail "rubric amd: $(cat amd.txt)"
	grep -q '^cpu\.no_vmx ' intel.txt || atf_fail "the Intel lab lost cpu.no_vmx: $(cat intel.txt)"
	grep -q '^cpu\.no_svm ' intel.txt && atf_fail "the Intel lab grades the AMD case cpu.no_svm"
	grep -q '^left out, the processor of another vendor than intel: .*cpu\.no_svm' intel.txt ||
		atf_fail "the rubric does not name the left-out cases: $(cat intel.txt)"
	grep -q '^cpu\.no_svm ' amd.txt || atf_fail "the AMD lab lost cpu.no_svm: $(cat amd.txt)"
	grep -q '^cpu\.no_vmx ' amd.txt && atf_fail "the AMD lab grades the Intel case cpu.no_vmx"
	# virt (the default profile) is either vendor's: both labs keep such a case.
	grep -q '^cpuid\.svm_hidden ' intel.txt || atf_fail "the Intel lab lost the vendor-neutral cpuid.svm_hidden"
	grep -q '^cpuid\.svm_hidden ' amd.txt || atf_fail "the AMD lab lost the vendor-neutral cpuid.svm_hidden"
	return 0
}

atf_test_case mkhandout_refusals
mkhandout_refusals_head()
{
	atf_set "descr" "mkhandout refuses an unknown lab (listing the labs), bad usage and an existing non-empty tree"
	atf_set "timeout" "60"
}
mkhandout_refusals_body()
{
	"$MKHANDOUT" nosuch out >log.txt 2>err
	status=$?
	[ "$status" -eq 2 ] || atf_fail "mkhandout nosuch: exit status $status, expected 2"
	grep -qF "unknown lab 'nosuch' (known labs: memory, pio-msr, suite, vmx-basics)" err ||
		atf_fail "unexpected message: $(cat err)"
	[ ! -e out/hvspec-nosuch ] || atf_fail "mkhandout left a tree for an unknown lab"

	"$MKHANDOUT" only-one-arg >log.txt 2>err && atf_fail "mkhandout accepted one argument"
	grep -qF "usage:" err || atf_fail "no usage line: $(cat err)"

	mkdir -p out/hvspec-vmx-basics
	echo mine >out/hvspec-vmx-basics/notes.txt
	"$MKHANDOUT" vmx-basics out >log.txt 2>err && atf_fail "mkhandout replaced a non-empty tree"
	grep -qF "exists and is not empty; give --replace" err || atf_fail "unexpected message: $(cat err)"
	[ -f out/hvspec-vmx-basics/notes.txt ] || atf_fail "mkhandout touched the existing tree"
	"$MKHANDOUT" --replace vmx-basics out >log.txt 2>err || atf_fail "--replace failed: $(cat err)"
	[ ! -e out/hvspec-vmx-basics/notes.txt ] || atf_fail "--replace kept the old tree's files"
	for f in out/.hvspec*; do
		[ ! -e "$f" ] || atf_fail "mkhandout left its scratch folder $f"
	done

	# Same lab twice: the same tarball, byte for byte.
	cp out/hvspec-vmx-basics.tar.gz first.tar.gz
	"$MKHANDOUT" --replace vmx-basics out >log.txt 2>err || atf_fail "second run failed: $(cat err)"
	cmp -s first.tar.gz out/hvspec-vmx-basics.tar.gz || atf_fail "the tarball differs between two runs"
	true
}

# bad_marker TEXT EXPECTED [FILE]: a copy of the reference whose FILE
# (default reference/core/exit_io.c) ends with TEXT is refused by mkhandout
# with the message, at FILE:LINE.
bad_marker()
{
	rm -rf mroot && mkdir -p mroot/grading
	for p in spec guest-probes romboot harness tests ci Makefile Kyuafile; do ln -s "$ROOT/$p" "mroot/$p"; done
	for p in labs lib handout; do ln -s "$ROOT/grading/$p" "mroot/grading/$p"; done
	cp -R "$ROOT/reference" mroot/reference
	file=${3:-reference/core/exit_io.c}
	printf '%s\n' "$1" >>"mroot/$file"
	if "$MKHANDOUT" --root mroot vmx-basics mout >out 2>err; then atf_fail "accepted bad markers: $1"; fi
	grep -qE "$file:[0-9]+: " err || atf_fail "no $file:line in: $(cat err)"
	grep -qF -- "$2" err || atf_fail "expected '$2' in: $(cat err)"
	[ ! -e mout/hvspec-vmx-basics ] || atf_fail "a tree was written despite the bad marker"
}

atf_test_case bad_markers
bad_markers_head()
{
	atf_set "descr" "unbalanced, nested, unknown, stub-less or malformed solution markers are refused with file:line"
	atf_set "timeout" "60"
}
bad_markers_body()
{
	stub='/* hvspec-solution stub: pio_ports
	vm_end_not_implemented("pio_ports");
hvspec-solution end: pio_ports */'
	bad_marker "/* hvspec-solution begin: pio_ports */" "region 'pio_ports' is never ended"
	bad_marker "hvspec-solution end: pio_ports */" "end marker of region 'pio_ports' without a begin marker"
	bad_marker "/* hvspec-solution begin: pio_ports */
/* hvspec-solution begin: msr */" "region 'msr' begins inside region 'pio_ports'"
	bad_marker "/* hvspec-solution begin: pio_ports */
hvspec-solution end: pio_ports */" "region 'pio_ports' (begun at line"
	bad_marker "/* hvspec-solution begin: pio_portz */
${stub//pio_ports/pio_portz}" "unknown region 'pio_portz': no lab in grading/labs/ removes it"
	bad_marker "/* hvspec-solution begin: pio_ports */
/* hvspec-solution stub: pio_ports
	(void)0;
hvspec-solution end: pio_ports */" "never calls vm_end_not_implemented(\"pio_ports\")"
	bad_marker "/* hvspec-solution begin: pio_ports */
/* hvspec-solution stub: pio_ports
	vm_end_not_implemented(\"pio_ports\"); /* no */
hvspec-solution end: pio_ports */" "contains a comment delimiter"
	bad_marker "/* hvspec-solution begin pio_ports */" "malformed solution marker"
	bad_marker "/* hvspec-solution begin: pio_ports */
$stub
/* hvspec-solution stub: pio_ports" "stub marker of region 'pio_ports' without a begin marker"
	bad_marker "/* hvspec-solution begin: pio_ports */
$stub" "no solution region may sit in reference/lib/" reference/lib/io_queue.c
}

atf_init_test_cases()
{
	atf_add_test_case shipped_labs
	atf_add_test_case malformed_labs
	atf_add_test_case vendor_selects_cases
	atf_add_test_case mkhandout_refusals
	atf_add_test_case bad_markers
	atf_add_test_case lab_suite
	atf_add_test_case lab_vmx_basics
	atf_add_test_case lab_pio_msr
	atf_add_test_case lab_memory
}
