#! /usr/bin/env atf-sh
# The runner as graders meet it: the image judged is named everywhere, a
# typo in a suite variable is refused, shared runs follow content not paths,
# the batch budget and Ctrl-C leave nothing behind.
# @ROOT@ and @B@ are filled in by tests/build.mk.
ROOT='@ROOT@'
B='@B@'
HVRUN="$B/bin/hvrun"
REFERENCE="$B/reference/hvspec.elf"
SPIN="$B/harness/cli/spin_kernel.elf"

sha_of() { sha256sum "$1" | cut -d' ' -f1; }

# Fails when a process still works in FOLDER (below the test's folder)
# five seconds on: every emulator must go with its harness.
require_nothing_left_in() {
	for _ in $(seq 50); do
		left=$(for p in /proc/[0-9]*; do
			readlink "$p/cwd" 2>/dev/null | grep -q "^$PWD/$1" && echo "${p#/proc/}"
		done)
		[ -z "$left" ] && return 0
		sleep 0.1
	done
	atf_fail "processes left in the run folder: $left"
}

atf_test_case unknown_suite_variables_refused
unknown_suite_variables_refused_head()
{
	atf_set "descr" "A mistyped suite variable fails the case naming it; it never judges the reference"
	atf_set "timeout" "60"
}
unknown_suite_variables_refused_body()
{
	# kyua hands suite variables to the program as -v NAME=VALUE.
	"$B/tests/conformance" -r res -v kernal=/nowhere.elf -v engin=bochs \
		hypercall.halt_code >out 2>err && atf_fail "the case passed with a mistyped variable"
	grep -q "^failed: ERROR: unknown configuration variables 'kernal', 'engin' of test suite hvspec (known: engine, kernel, run_dir, run_timeout, bochs_model)" res ||
		atf_fail "wrong result: $(cat res)"
	# The known ones alone are accepted (and judge the reference).
	"$B/tests/conformance" -r res2 -v engine=bochs -v run_timeout=30 hypercall.halt_code \
		>out2 2>err2 || atf_fail "known variables refused: $(cat res2)"
	grep -q "^passed" res2 || atf_fail "$(cat res2)"
	grep -q "^image: $REFERENCE (sha256 $(sha_of "$REFERENCE"))$" err2 ||
		atf_fail "the stored output does not name the image: $(head -5 err2)"
	"$B/tests/conformance" -r res3 -v run_timeout=0 hypercall.halt_code >/dev/null 2>&1 &&
		atf_fail "run_timeout=0 accepted"
	grep -q "run_timeout wants whole seconds" res3 || atf_fail "$(cat res3)"
	# A run folder whose parent is missing is a typo, not a tree to create.
	"$B/tests/conformance" -r res4 -v run_dir="$PWD/no/such/runs" hypercall.halt_code \
		>/dev/null 2>&1 && atf_fail "run_dir with a missing parent accepted"
	grep -q "its parent folder $PWD/no/such does not exist" res4 || atf_fail "$(cat res4)"
	[ ! -e no ] || atf_fail "the folder was created"
}

atf_test_case results_name_the_image
results_name_the_image_head()
{
	atf_set "descr" "hvrun --results: every case and the file name the image by path and SHA-256"
	atf_set "timeout" "120"
}
results_name_the_image_body()
{
	cp "$REFERENCE" their.elf
	sum=$(sha_of their.elf)
	"$HVRUN" --kernel their.elf --jobs 2 --results r.json 'hypercall%.halt_code.*' >out 2>err ||
		atf_fail "exit status $?: $(cat out err)"
	grep -q "^image: $PWD/their.elf (sha256 $sum)$" out || atf_fail "$(cat out)"
	grep -q '^4 passed, 0 failed, 0 crashed, 0 timed out, 0 errors, 0 skipped, 0 not run; 6/6 points$' out ||
		atf_fail "closing line: $(tail -1 out)"
	n=$(grep -o "\"image_sha256\": \"$sum\"" r.json | wc -l)
	[ "$n" -eq 4 ] || atf_fail "$n of 4 cases name the image's hash"
	grep -q "\"image\": {\"path\": \"$PWD/their.elf\", \"sha256\": \"$sum\"}" r.json ||
		atf_fail "no image record in r.json"
	lua5.4 -e '
		local t = io.open("r.json"):read("a")
		assert(t:find("\"schema\": \"hvspec%-run%-2\""), "schema")
		assert(t:find("\"counts\": {\"pass\": 4, \"fail\": 0, \"crash\": 0, \"timeout\": 0, \"error\": 0, \"skip\": 0, \"not_run\": 0}", 1, true), "counts")
	' || atf_fail "r.json: $(cat r.json)"
	# The run folder was temporary: no report points into it.
	grep -q 'files in /' r.json && atf_fail "a removed folder is named"
	return 0
}

atf_test_case shared_runs_follow_content
shared_runs_follow_content_head()
{
	atf_set "descr" "A different image at the same path never reuses a stored run"
	atf_set "timeout" "120"
}
shared_runs_follow_content_body()
{
	cp "$REFERENCE" their.elf
	"$HVRUN" --kernel their.elf --run-dir "$PWD/runs" hypercall.halt_code >first ||
		atf_fail "the reference failed: $(cat first)"
	cp "$SPIN" their.elf  # same path, other bytes: a hypervisor that hangs
	"$HVRUN" --kernel their.elf --run-dir "$PWD/runs" --run-timeout 2 hypercall.halt_code \
		>second && atf_fail "the stored pass of other bytes was reused: $(cat second)"
	grep -q '^hypercall.halt_code  ->  timeout  ' second && grep -q 'TIMEOUT: timeout after 2 s' second ||
		atf_fail "$(cat second)"
	grep -q "^image: $PWD/their.elf (sha256 $(sha_of "$SPIN"))$" second ||
		atf_fail "$(cat second)"
	# The same bytes again do reuse it (the cache still works).
	cp "$REFERENCE" their.elf
	"$HVRUN" --kernel their.elf --run-dir "$PWD/runs" --results r.json hypercall.halt_code \
		>third || atf_fail "$(cat third)"
	grep -q 'shared with an earlier case' r.json || atf_fail "the reference run was not reused"
}

atf_test_case budget_stops_booting
budget_stops_booting_head()
{
	atf_set "descr" "Once the budget is spent, the remaining cases are 'not run' with that reason"
	atf_set "timeout" "60"
}
budget_stops_booting_body()
{
	"$HVRUN" --kernel "$SPIN" --jobs 1 --budget 1 --run-timeout 2 --results r.json \
		'hypercall%.halt_code.*' >out 2>err
	[ $? -eq 1 ] || atf_fail "exit status should be 1: $(cat out err)"
	grep -q '^0 passed, 0 failed, 0 crashed, 1 timed out, 0 errors, 0 skipped, 3 not run; 0/6 points$' out ||
		atf_fail "$(cat out)"
	n=$(grep -c 'NOT RUN: the time budget of 1 s for this hypervisor was spent' out)
	[ "$n" -eq 3 ] || atf_fail "$n reasons: $(cat out)"
	grep -q '"not_run": 3' r.json || atf_fail "$(cat r.json)"
}

atf_test_case bad_input_is_refused
bad_input_is_refused_head()
{
	atf_set "descr" "No matching case, a bad pattern, a missing or folder image: exit 2, a message, no file"
	atf_set "timeout" "30"
}
bad_input_is_refused_body()
{
	"$HVRUN" --results r.json 'nosuch%..*' >out 2>err
	[ $? -eq 2 ] || atf_fail "no-match exit status"
	grep -q "'nosuch%..\*' matches no case id" err || atf_fail "$(cat err)"
	"$HVRUN" --results r.json 'hypercall[' >out 2>err
	[ $? -eq 2 ] && grep -q "is not a valid Lua pattern" err || atf_fail "$(cat err)"
	"$HVRUN" --kernel /nonexistent.elf --results r.json hypercall.halt_code >out 2>err
	[ $? -eq 2 ] && grep -q "cannot read the hypervisor image /nonexistent.elf: No such file" err ||
		atf_fail "$(cat err)"
	"$HVRUN" --kernel "$PWD" --jobs 1 hypercall.halt_code >out 2>err
	[ $? -eq 2 ] && grep -q "is a folder, not a hypervisor image" err || atf_fail "$(cat err)"
	"$HVRUN" --kernel /bin/true --results r.json hypercall.halt_code >out 2>err
	[ $? -eq 2 ] && grep -q "/bin/true is not a bootable hypervisor image: it has no Multiboot2 header" err ||
		atf_fail "$(cat err)"
	echo "not a kernel" >text.elf
	"$HVRUN" --kernel text.elf --check-image >out 2>err
	[ $? -eq 2 ] && grep -q "text.elf is not a bootable hypervisor image: it is not an ELF file" err ||
		atf_fail "$(cat err)"
	# In kyua, every case of such an image is one ERROR that boots nothing.
	"$B/tests/conformance" -r res -v kernel="$PWD/text.elf" hypercall.halt_code >/dev/null 2>&1
	grep -q "^failed: ERROR: $PWD/text.elf is not a bootable hypervisor image" res || atf_fail "$(cat res)"
	"$HVRUN" --jobs 0 hypercall.halt_code >out 2>err
	[ $? -eq 2 ] && grep -q -- "--jobs wants an integer from 1 to 64, got '0'" err ||
		atf_fail "$(cat err)"
	[ ! -e r.json ] || atf_fail "a results file was written"
}

atf_test_case interrupt_leaves_nothing
interrupt_leaves_nothing_head()
{
	atf_set "descr" "Ctrl-C on a batch kills every emulator and removes its temporary folder"
	atf_set "timeout" "60"
}
interrupt_leaves_nothing_body()
{
	mkdir tmp
	TMPDIR="$PWD/tmp" "$HVRUN" --kernel "$SPIN" --jobs 2 --run-timeout 50 \
		'hypercall%.halt_code.*' >out 2>err &
	pid=$!
	# Wait until both emulators run (their work folders are below tmp/).
	for _ in $(seq 100); do
		[ "$(find tmp -name bochsrc 2>/dev/null | wc -l)" -eq 2 ] && break
		sleep 0.1
	done
	kill -INT "$pid"
	wait "$pid"
	status=$?
	[ "$status" -eq 130 ] || atf_fail "exit status $status, not death by SIGINT: $(cat err)"
	require_nothing_left_in tmp
	[ -z "$(ls -A tmp)" ] || atf_fail "temporary files left: $(ls -A tmp)"
	grep -q "stopped by signal 2" err || atf_fail "$(cat err)"
}

atf_test_case single_case_signal_leaves_nothing
single_case_signal_leaves_nothing_head()
{
	atf_set "descr" "A signal on hvrun CASE_ID kills the emulator and removes the temporary run folder"
	atf_set "timeout" "60"
}
single_case_signal_leaves_nothing_body()
{
	mkdir tmp
	TMPDIR="$PWD/tmp" "$HVRUN" --kernel "$SPIN" hypercall.halt_code >out 2>err &
	pid=$!
	for _ in $(seq 100); do
		[ -n "$(find tmp -name bochsrc 2>/dev/null)" ] && break
		sleep 0.1
	done
	[ -n "$(find tmp -name bochsrc)" ] || atf_fail "the emulator never started"
	# TERM: a shell starts background jobs with SIGINT ignored.
	kill -TERM "$pid"
	wait "$pid"
	status=$?
	[ "$status" -eq 143 ] || atf_fail "exit status $status, not death by SIGTERM"
	require_nothing_left_in tmp
	[ -z "$(ls -A tmp)" ] || atf_fail "temporary files left: $(ls -A tmp)"
}

atf_test_case debug_session
debug_session_head()
{
	atf_set "descr" "hvrun --debug: Bochs' prompt with the hypervisor's symbols on a terminal; refused without one"
	atf_set "require.progs" "script"
	atf_set "timeout" "90"
}
debug_session_body()
{
	"$HVRUN" --debug hypercall.halt_code </dev/null >out 2>err
	[ $? -eq 2 ] && grep -q -- "--debug needs a terminal" err ||
		atf_fail "no refusal: $(cat out err | tr '\n' ' ')"
	# script(1) gives the session a terminal; "c" at the prompt runs the case.
	printf 'c\n' | timeout -k 5 60 script -qec "'$HVRUN' --debug --keep '$PWD/dbg' hypercall.halt_code" \
		/dev/null >session.out 2>&1
	grep -q "symbols of the hypervisor are loaded" session.out ||
		atf_fail "no symbols: $(head -5 session.out | tr '\n' ' ')"
	grep -q '<bochs:1>' session.out || atf_fail "no debugger prompt"
	grep -q '^ldsym global "symbols.txt"$' dbg/bochs.cmd ||
		atf_fail "no ldsym in dbg/bochs.cmd: $(grep 'files stay' session.out)"
	grep -qa '^\[hv\] end: halted code=0xcafe' dbg/serial.txt || atf_fail "the case did not run"
}

atf_test_case all_skipped_is_not_success
all_skipped_is_not_success_head()
{
	atf_set "descr" "A run in which every case was skipped exits 77 and says nothing was judged"
	atf_set "timeout" "30"
}
all_skipped_is_not_success_body()
{
	# Ivy Bridge has no 1-GiB pages: both cases that require them skip.
	# (A pattern, not their ids: labs hide them, and handouts ship this.)
	"$HVRUN" --bochs-model corei7_ivy_bridge_3770k '.*%.print_1g_page.*' >out 2>err
	status=$?
	[ "$status" -eq 77 ] || atf_fail "exit status $status: $(tr '\n' ' ' <out)"
	grep -q '^every case was skipped: nothing was judged$' out || atf_fail "$(tr '\n' ' ' <out)"
	grep -q '^0 passed, 0 failed, 0 crashed, 0 timed out, 0 errors, 2 skipped, 0 not run; ' out ||
		atf_fail "closing line: $(tail -2 out | tr '\n' ' ')"
	grep -q 'lacks: the Bochs model has no 1-GiB pages' out || atf_fail "no reason given"
}

atf_test_case machines_hand_over_dirty_ram
machines_hand_over_dirty_ram_head()
{
	atf_set "descr" "The machine's RAM is not zero when the hypervisor starts: 0xa5 below 512 KiB and above 1 MiB"
	atf_set "timeout" "60"
}
machines_hand_over_dirty_ram_body()
{
	"$HVRUN" --kernel "$B/harness/cli/ram_probe_kernel.elf" --probe none >out 2>err ||
		atf_fail "exit status $?: $(tr '\n' ' ' <out)"
	grep -qx 'ram: low=a5 mid=a5 high=a5' out || atf_fail "$(head -3 out | tr '\n' ' ')"
}

atf_test_case machine_endings_in_words
machine_endings_in_words_head()
{
	atf_set "descr" "A triple fault before any output is a crash, not a start failure; a pass says how the machine powered off"
	atf_set "timeout" "60"
}
machine_endings_in_words_body()
{
	# A probe is a Multiboot2 kernel too, but as a hypervisor it dies at
	# once: its first VMCALL faults with no IDT.
	"$HVRUN" --kernel "$B/guest-probes/hc_halt.elf" hypercall.halt_code >out 2>err
	[ $? -eq 1 ] || atf_fail "exit status $?: $(cat out err)"
	grep -q "^summary: CRASH: no '\[hv\] end: ' line; the processor triple-faulted and Bochs stopped the machine; no output on COM1" out ||
		atf_fail "$(grep summary out)"
	"$HVRUN" hypercall.halt_code >out 2>err || atf_fail "$(cat out err)"
	grep -q "probe hc_halt, the machine powered off through the Bochs shutdown port 0x8900;" out ||
		atf_fail "$(grep '^run:' out)"
}

# verdict_seen NAME STATUS [hvrun options...]: hvrun judges hypercall.halt_code
# with the options; its line, closing count, JSON outcome and exit status
# all say NAME.
verdict_seen()
{
	name=$1 want=$2
	shift 2
	rm -f r.json
	"$HVRUN" "$@" --results r.json hypercall.halt_code >out 2>err
	status=$?
	[ "$status" -eq "$want" ] || atf_fail "$name: exit status $status, not $want: $(cat out err | tr '\n' ' ')"
	grep -q "^hypercall.halt_code  ->  $name  \[" out || atf_fail "$name: line: $(head -2 out | tr '\n' ' ')"
	NAME=$name lua5.4 -e '
		local t = io.open("r.json"):read("a")
		local name = os.getenv("NAME")
		assert(t:find("\"outcome\": \"" .. name .. "\"", 1, true), "outcome")
		assert(t:find("\"" .. name .. "\": 1", 1, true), "count")
	' || atf_fail "$name: r.json: $(cat r.json)"
}

# kyua_seen RESULT [conformance -v options...]: kyua's result line of
# hypercall.halt_code starts with RESULT.
kyua_seen()
{
	want=$1
	shift
	"$B/tests/conformance" -r res "$@" hypercall.halt_code >/dev/null 2>&1
	grep -q "^$want" res || atf_fail "kyua: expected '$want', got: $(cat res)"
}

atf_test_case every_verdict_for_real
every_verdict_for_real_head()
{
	atf_set "descr" "Each verdict (pass, fail, crash, timeout, error) produced for real: hvrun's line, count, JSON outcome, exit status and kyua's result"
	atf_set "timeout" "240"
}
every_verdict_for_real_body()
{
	verdict_seen pass 0
	kyua_seen "passed"
	# Reports "[hv] end: halted code=0x0" and powers off: a report that breaks the spec.
	ram=$B/harness/cli/ram_probe_kernel.elf
	verdict_seen fail 1 --kernel "$ram"
	kyua_seen "failed: FAIL: report: expected 'halted code=0xcafe', seen 'halted code=0x0'" -v kernel="$ram"
	# A probe as the hypervisor triple-faults at once: no report at all.
	probe=$B/guest-probes/hc_halt.elf
	verdict_seen crash 1 --kernel "$probe"
	kyua_seen "failed: CRASH: no '\[hv\] end: ' line; the processor triple-faulted" -v kernel="$probe"
	verdict_seen timeout 1 --kernel "$SPIN" --run-timeout 2
	kyua_seen "failed: TIMEOUT: timeout after 2 s" -v kernel="$SPIN" -v run_timeout=2
	# The suite's set-up is broken: an emulator that dies before the
	# machine comes out of reset.
	mkdir fakebin
	printf '#!/bin/sh\nexit 1\n' >fakebin/bochs
	chmod +x fakebin/bochs
	saved_path=$PATH
	PATH=$PWD/fakebin:$PATH
	verdict_seen error 1
	grep -q 'ERROR: the emulator failed to start: bochs ended (exit status 1) before the machine came out of reset' out ||
		atf_fail "error: $(cat out)"
	kyua_seen "failed: ERROR: the emulator failed to start"
	PATH=$saved_path
	# Skip and not_run: all_skipped_is_not_success and budget_stops_booting.
}

atf_init_test_cases()
{
	atf_add_test_case every_verdict_for_real
	atf_add_test_case machine_endings_in_words
	atf_add_test_case machines_hand_over_dirty_ram
	atf_add_test_case all_skipped_is_not_success
	atf_add_test_case debug_session
	atf_add_test_case single_case_signal_leaves_nothing
	atf_add_test_case unknown_suite_variables_refused
	atf_add_test_case results_name_the_image
	atf_add_test_case shared_runs_follow_content
	atf_add_test_case budget_stops_booting
	atf_add_test_case bad_input_is_refused
	atf_add_test_case interrupt_leaves_nothing
}
