-- Linux as a guest (contract section 16, issue 15): Debian's kernel with
-- the suite's busybox initramfs (make linux-guest; ci/linux-init.sh prints
-- the evidence lines, each "hvspec-linux: ..."). The guest is 9 MiB of
-- boot modules: QEMU takes them in its large ROM, Bochs from the firmware
-- disk (romboot/rom_format.h). Boot times: spec/linux-design.md sections 7
-- and 9.
area { name = "linux", doc = "A Linux bzImage guest: boot protocol, initrd, the MSRs a 64-bit kernel needs, Debian's kernel booting to a busybox /init that reports what it sees (contract section 16)." }

local SOURCE = "contract 16; Documentation/arch/x86/boot.rst, zero-page.rst"
-- Guest RAM: the kernel claims 64 MiB (init_size) while it decompresses.
local HV_CMDLINE = "mem=256M platform=pc"
-- pci=off nolapic: no PCI, no local APIC (the 8259A pair of contract 15);
-- tsc_early_khz skips calibrating the TSC against the 8254; panic=-1
-- reboots at once and reboot=t by a triple fault, which ends the run
-- (without it a panic spins until the time limit); nohz=off
-- highres=off keep the 8254 periodic (spec/linux-design.md section 8);
-- noxsave: the contract has no XSETBV (it ends the VM), and an Intel
-- processor announces XSAVE (spec/linux-design.md section 9, Bochs).
local CMDLINE = "console=ttyS0 earlyprintk=serial pci=off nolapic tsc_early_khz=2000000 panic=-1 reboot=t nohz=off highres=off noxsave rdinit=/init"

case {
  id = "linux.refused_without_platform_pc",
  judges = { "linux.bzimage", "linux.platform" },
  behavior = "A bzImage guest module without platform=pc is recognized by its setup header and refused before any guest code runs.",
  source = SOURCE,
  probe = "linux",
  hv_cmdline = "mem=256M",
  cmdline = CMDLINE,
  engines = { "qemu", "bochs" },
  machine_mib = 512,
  timeout = 60,
  expect = { report = "refused: a bzImage guest needs platform=pc", forbid = { "^%[hv%] guest: " } },
  points = 1,
}

case {
  id = "linux.boots_to_init",
  judges = { "linux.bzimage", "linux.load", "linux.e820", "linux.initrd", "linux.entry", "linux.msrs", "linux.boots", "linux.disk", "hc.abi.any-cpl", "hc.error.efault" },
  behavior = "Debian's Linux 6.1 with a busybox initramfs as its initrd boots to /init, which finds CPUID's hypervisor bit and no VMX/SVM in /proc/cpuinfo, the timer ticking and the virtio disk (vda), writes a line to the disk's second sector and reads it back, makes the Print hypercall from ring 3 (a static helper, guest-probes/linux_hc/: a line of its own memory is printed, an unmapped user page gives HC_EFAULT), then powers off through ACPI.",
  source = SOURCE,
  probe = "linux",
  hv_cmdline = HV_CMDLINE,
  cmdline = CMDLINE,
  engines = { "qemu", "bochs" },
  machine_mib = 512,
  disk = { bytes = 65536, fill = "zero" },
  -- Measured to power-off: 13 to 36 s on QEMU TCG, 300 s on Bochs (VMX)
  -- at a load average of 8.5 on the 2-core machine (linux-design.md 9).
  timeout = 600,
  expect = {
    ordered = {
      "^%[hv%] guest: ",
      "^%[ *[0-9.]+%] Linux version 6%.1%.",
      "^%[ *[0-9.]+%] Run /init as init process$",
      "^hvspec%-linux: init started$",
      "^hvspec%-linux: uname Linux 6%.1%.%S+ x86_64$",
      "^hvspec%-linux: cpuinfo hypervisor flag: yes$",
      "^hvspec%-linux: cpuinfo vmx/svm flag: no$",
      "^hvspec%-linux: timer ticks advance: yes ",
      "^hvspec%-linux: block devices: vda $",
      "^hvspec%-linux: disk read back: hvspec%-linux%-disk 6%.1%.",
      -- guest-probes/linux_hc/: VMMCALL on AMD, VMCALL elsewhere; 37 bytes.
      "^hvspec%-linux%-hc: printed from ring 3$",
      "^hvspec%-linux: user hypercall print of a user buffer through vm?m?call: 37$",
      "^hvspec%-linux: user hypercall print of an unmapped user page through vm?m?call: %-14$",
      "^hvspec%-linux: evidence done$",
    },
    report = "acpi power off",
  },
  points = 5,
}
