#! /usr/bin/env atf-sh
# The reference hypervisor's own behaviours that the contract leaves to each
# hypervisor, so the conformance suite never judges them (issue 9): its
# inject= self-test faults and the reports they give, and its choice to leave
# INVD unhandled with a one-line FATAL register dump, under each of its
# vendor layers; and the build's check of its layering. These boot only the
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

atf_test_case svm_entry_failure
svm_entry_failure_head()
{
	atf_set "descr" "Under SVM (QEMU TCG), inject=bad-guest-state (guest EFER.SVME clear) and inject=bad-controls (ASID 0) make VMRUN refuse the VMCB (APM 15.5.1): 'vm entry failed: invalid vmcb', the guest never runs"
	atf_set "timeout" "90"
	atf_set "require.progs" "qemu-system-x86_64"
}
svm_entry_failure_body()
{
	boot --engine qemu --probe hc_halt --hv-cmdline inject=bad-guest-state
	has_line '\[hv\] end: vm entry failed: invalid vmcb'
	has_line '\[hv\] power off'
	grep -aq '^hc_halt' out && atf_fail "the guest ran (bad guest state)"
	boot --engine qemu --probe hc_halt --hv-cmdline inject=bad-controls
	has_line '\[hv\] end: vm entry failed: invalid vmcb'
	grep -aq '^hc_halt' out && atf_fail "the guest ran (bad controls)"
	return 0
}

atf_test_case svm_unhandled_invd_dump
svm_unhandled_invd_dump_head()
{
	atf_set "descr" "Under SVM (Bochs' AMD model) INVD (exit code 76h, APM appendix C) goes through the same one FATAL path: the register dump, then the report with the vendor's exit code. Not under QEMU: its TCG executes INVD without checking the intercept"
	atf_set "timeout" "90"
	atf_set "require.progs" "bochs"
}
svm_unhandled_invd_dump_body()
{
	boot --engine bochs-amd --probe vm_exits --cmdline test=invd
	has_line 'vm_exits: executing invd'
	h='0x[0-9a-f]+'
	has_line "\[hv\] FATAL: unhandled exit reason=118 qual=$h rip=$h rflags=$h cr0=$h cr3=$h cr4=$h efer=$h rax=$h rcx=$h rdx=$h rbx=$h rsp=$h rbp=$h rsi=$h rdi=$h r8=$h r9=$h r10=$h r11=$h r12=$h r13=$h r14=$h r15=$h"
	has_line "\[hv\] end: unhandled exit reason=118 qual=$h rip=$h"
	grep -aq '^vm_exits: invd returned' out && atf_fail "INVD returned"
	return 0
}

atf_test_case layering_check
layering_check_head()
{
	atf_set "descr" "reference/core/check_layers.sh passes the tree and, on a copy, names file:line for a vendor header included by core/, a vendor instruction in lib/, and a header named like a vendor's; a comment naming an instruction is no violation"
	atf_set "timeout" "60"
}
layering_check_body()
{
	bash "$ROOT/reference/core/check_layers.sh" "$ROOT" >clean.txt 2>&1 ||
		atf_fail "the tree itself fails the layering check: $(tr '\n' ' ' <clean.txt)"
	mkdir -p copy/reference
	cp -r "$ROOT/reference/core" "$ROOT/reference/lib" "$ROOT/reference/vmx" "$ROOT/reference/svm" copy/reference/
	printf '#include "vmcb.h"\n' >copy/reference/core/planted_include.c
	printf '/* a comment may name vmrun */\nstatic void f(void) { __asm__("invept %%0, %%%%rax" :: "m"(f)); }\n' \
		>copy/reference/lib/planted_insn.c
	printf '#include "vmx_anything.h"\n' >copy/reference/lib/planted_name.h
	if bash "$ROOT/reference/core/check_layers.sh" copy >bad.txt 2>&1; then
		atf_fail "planted violations passed the layering check"
	fi
	grep -q 'reference/core/planted_include.c:1: includes vmcb.h, a header of reference/svm/' bad.txt ||
		atf_fail "the vendor include is not reported: $(tr '\n' ' ' <bad.txt)"
	grep -q 'reference/lib/planted_insn.c:2: uses the vendor instruction INVEPT' bad.txt ||
		atf_fail "the vendor instruction is not reported at its line: $(tr '\n' ' ' <bad.txt)"
	grep -q 'reference/lib/planted_insn.c:1:' bad.txt &&
		atf_fail "a comment naming an instruction was reported: $(tr '\n' ' ' <bad.txt)"
	grep -q 'reference/lib/planted_name.h:1: includes vmx_anything.h, a vendor header by its name' bad.txt ||
		atf_fail "the vendor-named header is not reported: $(tr '\n' ' ' <bad.txt)"
	return 0
}

atf_init_test_cases()
{
	atf_add_test_case svm_entry_failure
	atf_add_test_case svm_unhandled_invd_dump
	atf_add_test_case layering_check
	atf_add_test_case entry_failure_guest_state
	atf_add_test_case entry_failure_controls
	atf_add_test_case unhandled_invd_dump
}
