#! /usr/bin/env atf-sh
# The GRUB boot path: the image `make iso` builds boots the hypervisor and a
# probe under Bochs with its BIOS, and both command lines arrive. The suite
# itself boots through romboot/; this keeps the path real machines use honest.
# @ROOT@ and @B@ are filled in by tests/iso/build.mk.
ROOT='@ROOT@'
B='@B@'
BOCHS_TIMEOUT=150      # GRUB costs tens of millions of emulated instructions

atf_test_case grub_iso_boot
grub_iso_boot_head()
{
	atf_set "descr" "make iso's GRUB image boots hypervisor + boot_state under Bochs (BIOS, CD-ROM)"
	atf_set "require.progs" "bochs grub-mkrescue xorriso timeout"
	atf_set "timeout" "240"
}
grub_iso_boot_body()
{
	bash "$ROOT/ci/mkiso.sh" hvspec.iso "$B/reference/hvspec.elf" \
		"$B/guest-probes/boot_state.elf" "mem=32M" "via=grub x=1" >mkiso.out 2>&1 ||
		atf_fail "ci/mkiso.sh failed: $(tail -1 mkiso.out)"
	cat >bochsrc <<CFG
megs: 128
cpu: model=corei7_skylake_x, count=1, ips=4000000, reset_on_triple_fault=0
romimage: file=/usr/share/bochs/BIOS-bochs-latest, options=fastboot
vgaromimage: file=/usr/share/vgabios/vgabios.bin
ata0-master: type=cdrom, path=hvspec.iso, status=inserted
boot: cdrom
com1: enabled=1, mode=file, dev=serial.txt
clock: sync=none, time0=local
log: bochs.log
panic: action=fatal
display_library: term
CFG
	echo c >cont
	# timeout(1) runs Bochs in its own process group and kills the group.
	timeout --kill-after=5 "$BOCHS_TIMEOUT" bochs -q -f bochsrc -rc cont </dev/null >bochs.out 2>&1
	rc=$?
	[ "$rc" -ne 124 ] && [ "$rc" -ne 137 ] ||
		atf_fail "timeout after $BOCHS_TIMEOUT s; last serial lines: $(tail -3 serial.txt 2>/dev/null | tr '\n' '|')"
	[ -f serial.txt ] || atf_fail "Bochs wrote no serial output (exit status $rc)"
	tr -d '\r' <serial.txt >transcript.txt
	for line in '[hv] guest: ram=0x2000000 entry=0x100018' \
		    'mb2: cmdline="via=grub x=1"' \
		    '[hv] end: halted code=0x0' \
		    '[hv] power off'; do
		grep -qxF "$line" transcript.txt ||
			atf_fail "missing line '$line'; last lines: $(tail -3 transcript.txt | tr '\n' '|')"
	done
}

atf_init_test_cases()
{
	atf_add_test_case grub_iso_boot
}
