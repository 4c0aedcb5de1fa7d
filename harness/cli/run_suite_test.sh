#! /usr/bin/env atf-sh
# make run's settings (ci/run-suite.sh): a bad KERNEL, ENGINE, CASES or
# RUN_TIMEOUT is refused before anything boots, and a run against another
# image names that image in its closing lines and JUnit properties.
# @ROOT@ and @B@ are filled in by tests/build.mk.
ROOT='@ROOT@'
B='@B@'
SPIN="$B/harness/cli/spin_kernel.elf"

# Runs the suite script from the source root with its output kept here.
suite() {
	env SUITE_OUT="$PWD/out" B="${B#"$ROOT"/}" "$@" bash "$ROOT/ci/run-suite.sh" conformance \
		>stdout 2>stderr
}

atf_test_case bad_settings_refused
bad_settings_refused_head()
{
	atf_set "descr" "Bad KERNEL/ENGINE/CASES/RUN_TIMEOUT: exit 2 with a message, nothing run"
	atf_set "timeout" "60"
}
bad_settings_refused_body()
{
	check() { # expected-message, settings...
		msg=$1
		shift
		suite "$@"
		status=$?
		[ "$status" -eq 2 ] || atf_fail "$*: exit status $status"
		grep -qF -- "$msg" stderr || atf_fail "$*: $(cat stderr)"
		[ ! -d out/reports ] || atf_fail "$*: the suite ran"
	}
	check "KERNEL=/nonexistent.elf does not exist" KERNEL=/nonexistent.elf
	check "KERNEL=$PWD is not a file (a folder?)" KERNEL="$PWD"
	check "ENGINE=qemu-tcg is not an engine" ENGINE=qemu-tcg
	check "CASES=nosuch chooses no case" CASES=nosuch
	check "'nosuch' matches no case id" CASES=nosuch
	check "RUN_TIMEOUT=0: give whole seconds from 1 to 600" RUN_TIMEOUT=0
}

atf_test_case other_image_named
other_image_named_head()
{
	atf_set "descr" "KERNEL= judges that image: closing lines and JUnit name it, CASES picks the cases"
	atf_set "timeout" "120"
}
other_image_named_body()
{
	cp "$SPIN" hangs.elf
	sum=$(sha256sum hangs.elf | cut -d' ' -f1)
	suite KERNEL=hangs.elf RUN_TIMEOUT=2 CASES='hypercall.halt_code cpuid%.leaf0_vendor'
	[ $? -eq 1 ] || atf_fail "exit status should be 1: $(tail -3 stdout | tr "\n" " ") $(tr "\n" " " <stderr)"
	grep -q "^image: $PWD/hangs.elf (sha256 $sum)$" stdout || atf_fail "$(tail -3 stdout)"
	grep -q '^0 passed, 2 failed, 0 skipped$' stdout || atf_fail "$(tail -1 stdout)"
	grep -q "<property name=\"hvspec.image_sha256\" value=\"$sum\"/>" out/reports/conformance-junit.xml ||
		atf_fail "JUnit properties lack the image"
	grep -q 'TIMEOUT: ' stdout || atf_fail "the hanging image was not judged"
	# The grading machine's environment stays out of the report.
	grep -q '<property name="env\.' out/reports/conformance-junit.xml &&
		atf_fail "JUnit lists environment variables"
	suite KERNEL=/bin/true
	[ $? -eq 2 ] || atf_fail "an image that is no Multiboot2 kernel was run"
	grep -q "/bin/true is not a bootable hypervisor image" stderr || atf_fail "$(cat stderr)"
}

atf_init_test_cases()
{
	atf_add_test_case bad_settings_refused
	atf_add_test_case other_image_named
}
