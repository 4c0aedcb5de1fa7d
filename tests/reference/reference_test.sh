#! /usr/bin/env atf-sh
# The reference hypervisor's own behaviours that the contract leaves to each
# hypervisor, so the conformance suite never judges them (issue 9): its
# inject= self-test faults and the reports they give, and its choice to leave
# INVD unhandled with a one-line FATAL register dump. These boot only the
# reference, carry no points and are never run against another image.
# @ROOT@ and @B@ are filled in by tests/build.mk.
ROOT='@ROOT@'
B='@B@'
HVRUN="$B/bin/hvrun"

# Boots a probe under the reference; the transcript goes to out.
boot() {
	"$HVRUN" --kernel "$B/reference/hvspec.elf" --timeout 60 "$@" >out 2>err ||
		atf_fail "hvrun $*: exit status $? ($(tail -2 out | tr '\n' ' '))"
}

has_line() { # extended regular expression over whole lines
	grep -aqE "^($1)$" out || atf_fail "no line matching '$1'; last lines: $(tail -4 out | tr '\n' '|')"
}

atf_test_case entry_failure_guest_state
entry_failure_guest_state_head()
{
	atf_set "descr" "inject=bad-guest-state: RFLAGS bit 1 cleared, VM entry fails with exit reason 33 (SDM 27.8)"
	atf_set "timeout" "90"
}
entry_failure_guest_state_body()
{
	boot --probe hc_halt --hv-cmdline inject=bad-guest-state
	has_line '\[hv\] end: vm entry failed: reason=33 qual=0x0'
	has_line '\[hv\] power off'
	grep -aq '^hc_halt' out && atf_fail "the guest ran"
	return 0
}

atf_test_case entry_failure_controls
entry_failure_controls_head()
{
	atf_set "descr" "inject=bad-controls: too many CR3 targets, VMLAUNCH fails with VM-instruction error 7 (SDM 31.4)"
	atf_set "timeout" "90"
}
entry_failure_controls_body()
{
	boot --probe hc_halt --hv-cmdline inject=bad-controls
	has_line '\[hv\] end: vm entry failed: instruction error 7'
	has_line '\[hv\] power off'
	grep -aq '^hc_halt' out && atf_fail "the guest ran"
	return 0
}

atf_test_case unhandled_invd_dump
unhandled_invd_dump_head()
{
	atf_set "descr" "The reference leaves INVD (exit reason 13) unhandled: one FATAL line with every register, then the report"
	atf_set "timeout" "90"
}
unhandled_invd_dump_body()
{
	boot --probe vm_exits --cmdline test=invd
	has_line 'vm_exits: executing invd'
	h='0x[0-9a-f]+'
	has_line "\[hv\] FATAL: unhandled exit reason=13 qual=0x0 rip=$h rflags=$h cr0=$h cr3=$h cr4=$h efer=$h rax=$h rcx=$h rdx=$h rbx=$h rsp=$h rbp=$h rsi=$h rdi=$h r8=$h r9=$h r10=$h r11=$h r12=$h r13=$h r14=$h r15=$h"
	has_line "\[hv\] end: unhandled exit reason=13 qual=0x0 rip=$h"
	grep -aq '^vm_exits: invd returned' out && atf_fail "INVD returned"
	return 0
}

atf_init_test_cases()
{
	atf_add_test_case entry_failure_guest_state
	atf_add_test_case entry_failure_controls
	atf_add_test_case unhandled_invd_dump
}
