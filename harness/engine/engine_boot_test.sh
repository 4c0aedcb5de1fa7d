#! /usr/bin/env atf-sh
# The engines for real: each cpu profile an engine maps boots a kernel that
# reports the processor it sees (fixtures/cpu_facts_kernel.asm), and the
# processor is the one spec/loader.lua's CPU_PROFILE_MEANING describes.
# Profiles an engine cannot play are refused with the reason, never booted.
# @ROOT@ and @B@ are filled in by harness/build.mk.
ROOT='@ROOT@'
B='@B@'
HVRUN="$B/bin/hvrun"
FACTS="$B/harness/engine/cpu_facts_kernel.elf"

require_program() {
	command -v "$1" >/dev/null || atf_skip "$1 is not installed (make deps)"
}

# Boots the facts kernel on ENGINE with PROFILE; fails unless the run
# powered off and the kernel's line reads EXPECTED.
facts_are() {
	engine=$1 profile=$2 expected=$3
	"$HVRUN" --engine "$engine" --cpu "$profile" --kernel "$FACTS" --probe none \
		--timeout 30 >out 2>err ||
		atf_fail "$engine $profile: exit status $?: $(tr '\n' ' ' <out) $(tr '\n' ' ' <err)"
	seen=$(grep '^cpu: ' out) || atf_fail "$engine $profile: no cpu line: $(tr '\n' ' ' <out)"
	[ "$seen" = "cpu: $expected" ] ||
		atf_fail "$engine $profile: expected 'cpu: $expected', seen '$seen'"
	grep -q 'powered off' out || atf_fail "$engine $profile: no power-off: $(tr '\n' ' ' <out)"
}

# A profile the engine cannot play is refused before anything boots.
refused() {
	engine=$1 profile=$2 reason=$3
	if "$HVRUN" --engine "$engine" --cpu "$profile" --kernel "$FACTS" --probe none \
		>out 2>err; then
		atf_fail "$engine $profile: booted: $(tr '\n' ' ' <out)"
	fi
	grep -q "cannot express cpu profile '$profile': .*$reason" out err ||
		atf_fail "$engine $profile: no reason '$reason': $(cat out err | tr '\n' ' ')"
}

atf_test_case qemu_plays_amd_profiles
qemu_plays_amd_profiles_head()
{
	atf_set "descr" "QEMU TCG: virt and svm-npt are SVM with nested paging, no-svm and no-npt lack them, every profile has 1-GiB pages"
	atf_set "timeout" "120"
}
qemu_plays_amd_profiles_body()
{
	require_program qemu-system-x86_64
	amd="vendor=AuthenticAMD vmx=0"
	facts_are qemu virt "$amd svm=1 npt=1 lm=1 page1gb=1 vm_cr=00000000"
	facts_are qemu svm-npt "$amd svm=1 npt=1 lm=1 page1gb=1 vm_cr=00000000"
	facts_are qemu no-svm "$amd svm=0 npt=0 lm=1 page1gb=1 vm_cr=00000000"
	facts_are qemu no-npt "$amd svm=1 npt=0 lm=1 page1gb=1 vm_cr=00000000"
	refused qemu vmx-ept "TCG emulates no VMX"
	refused qemu svm-locked-off "ignores writes to VM_CR"
}

atf_test_case bochs_amd_plays_amd_profiles
bochs_amd_plays_amd_profiles_head()
{
	atf_set "descr" "Bochs' AMD models: ryzen for virt, athlon64_venice for no-svm, turion64_tyler for no-npt"
	atf_set "timeout" "180"
}
bochs_amd_plays_amd_profiles_body()
{
	require_program bochs
	amd="vendor=AuthenticAMD vmx=0"
	facts_are bochs-amd virt "$amd svm=1 npt=1 lm=1 page1gb=1 vm_cr=00000000"
	facts_are bochs-amd no-svm "$amd svm=0 npt=0 lm=1 page1gb=0 vm_cr=00000000"
	facts_are bochs-amd no-npt "$amd svm=1 npt=0 lm=1 page1gb=0 vm_cr=00000000"
	refused bochs-amd vmx-ept "engine bochs plays this one"
	refused bochs-amd svm-locked-off "Bochs 2.7 has no VM_CR"
}

atf_test_case bochs_plays_intel_profiles
bochs_plays_intel_profiles_head()
{
	atf_set "descr" "Bochs' Intel models: virt is the vmx-ept processor; AMD profiles are refused"
	atf_set "timeout" "120"
}
bochs_plays_intel_profiles_body()
{
	require_program bochs
	facts_are bochs virt "vendor=GenuineIntel vmx=1 svm=0 npt=0 lm=1 page1gb=1 vm_cr=00000000"
	refused bochs svm-npt "engine bochs-amd plays this one"
}

# The firmware's svm-locked-off option checks that VM_CR took its write: on
# QEMU's TCG, which ignores VM_CR, it refuses to boot instead of handing a
# kernel a processor with SVM usable. Should a QEMU implement VM_CR, this
# fails and the qemu engine can play svm-locked-off.
atf_test_case firmware_svm_locked_off_checks_vm_cr
firmware_svm_locked_off_checks_vm_cr_head()
{
	atf_set "descr" "mkrom -f svm-locked-off: the firmware refuses when the processor ignores VM_CR"
	atf_set "timeout" "60"
}
firmware_svm_locked_off_checks_vm_cr_body()
{
	require_program qemu-system-x86_64
	"$B/bin/mkrom" -o hv.rom -l "$B/romboot/loader.bin" -k "$FACTS" -f svm-locked-off -r 32 ||
		atf_fail "mkrom refused svm-locked-off"
	status=0
	timeout -k 5 30 qemu-system-x86_64 -accel tcg -cpu qemu64,+svm,+npt -m 32 -bios ./hv.rom \
		-nodefaults -display none -serial file:serial.txt -monitor none -no-reboot \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 >qemu.out 2>&1 || status=$?
	[ "$status" = 3 ] || atf_fail "QEMU exit status $status (expected 3: the firmware failed)"
	grep -qx '\[romboot\] svm-locked-off: the processor ignored the write to VM_CR (SVMDIS and LOCK read back clear)' \
		serial.txt || atf_fail "$(tr '\n' ' ' <serial.txt)"
	if "$B/bin/mkrom" -o bad.rom -l "$B/romboot/loader.bin" -k "$FACTS" -f svm-off -r 32 \
		2>err; then
		atf_fail "mkrom took an unknown firmware option"
	fi
	grep -q "known: vmx-locked-off, svm-locked-off" err || atf_fail "$(cat err)"
}

atf_test_case unknown_engine_lists_the_known
unknown_engine_lists_the_known_head()
{
	atf_set "descr" "hvrun --engine with a bad name says which engines there are"
	atf_set "timeout" "30"
}
unknown_engine_lists_the_known_body()
{
	if "$HVRUN" --engine qemu-tcg --list >out 2>err; then
		atf_fail "hvrun took engine qemu-tcg"
	fi
	grep -q "unknown engine 'qemu-tcg' (known: bochs, bochs-amd, qemu, qemu-kvm)" err ||
		atf_fail "$(cat err)"
}

atf_init_test_cases()
{
	atf_add_test_case qemu_plays_amd_profiles
	atf_add_test_case bochs_amd_plays_amd_profiles
	atf_add_test_case bochs_plays_intel_profiles
	atf_add_test_case firmware_svm_locked_off_checks_vm_cr
	atf_add_test_case unknown_engine_lists_the_known
}
