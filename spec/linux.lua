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

------------------------------------------------------------------------------
-- The synthetic bzImage (guest-probes/bzboot/): a setup header and a 32-bit
-- kernel that reports what the loader gave it. Cheap, so every engine runs
-- it, at RAM sizes the Debian kernel cannot use. Its header (bzboot.h):
-- relocatable, kernel_alignment 1 MiB (4 MiB in bzboot_align4m), pref_address 16 MiB, init_size
-- 8 MiB (in bzboot_init_exact 0x8000, exactly its protected-mode part:
-- the 35328-byte file less its 5 sectors of real-mode part),
-- initrd_addr_max 28 MiB - 1, cmdline_size 255.

local BZ_CMDLINE = "console=ttyS0 hvspec-bzboot"
local BZ_PREF = "0x1000000"
-- bzboot_initrd: byte k = (7 k + 3) mod 256, 5000 bytes (bzboot_initrd_pages:
-- 8192, two whole pages); the probe prints the sum of byte k times (k + 1),
-- modulo 2^32.
local BZ_INITRD_BYTES = 5000
local BZ_INITRD_PAGES_BYTES = 8192
local function bz_initrd_sum(bytes)
  local s = 0
  for k = 0, bytes - 1 do s = (s + ((7 * k + 3) % 256) * (k + 1)) % (1 << 32) end
  return string.format("0x%x", s)
end
-- The initrd lines of a run whose initrd of `bytes` bytes was loaded.
local function bz_initrd_lines(bytes)
  return {
    string.format("^bzboot: initrd ramdisk_image=0x%%x+ ramdisk_size=0x%x$", bytes),
    "^bzboot: initrd sum=" .. bz_initrd_sum(bytes) .. " ends_at_or_below_initrd_addr_max=yes overlaps_init_size=no$",
  }
end

-- What every bzboot run shows (contract 16), for a guest of mem_mib MiB:
-- the entry state (linux.entry), the zero page below 1 MiB with the file's
-- header, type_of_loader and the command line (linux.load), the e820 map
-- (linux.e820; the probe sorts it and merges touching ranges of one type,
-- so any split or order of the same map passes). `load` and `initrd` are
-- the case's own lines, `init_size` the image's header value.
local function bz_expect(mem_mib, load, initrd, init_size)
  local ordered = {
    "^bzboot: entry esi=0x%x+ below_1mib=yes$",
    "^bzboot: e820 0x0%-0x9fc00 ram$",
    "^bzboot: e820 0x9fc00%-0x100000 reserved$",
    string.format("^bzboot: e820 0x100000%%-0x%x ram$", mem_mib << 20),
    -- Section 9's windows, back to back: doorbell .. virtio block.
    "^bzboot: e820 0xcafe0000%-0xcafe5000 reserved$",
    "^bzboot: e820 end$",
    "^bzboot: entry cs=0x10 ds=0x18 es=0x18 ss=0x18$",
    "^bzboot: entry eflags=0x2 ebx=0x0 ebp=0x0 edi=0x0$",
    "^bzboot: gdtr base=0x%x+ limit=0x%x+ in_ram=yes$",
    "^bzboot: gdt 0x10 flat 32%-bit execute/read=yes ",
    "^bzboot: gdt 0x18 flat 32%-bit read/write=yes ",
    "^bzboot: zeropage setup_sects=0x4 boot_flag=0xaa55 header=0x53726448 version=0x20c$",
    string.format("^bzboot: zeropage initrd_addr_max=0x1bfffff relocatable=0x1 cmdline_size=0xff pref_address=0x1000000 init_size=0x%x$", init_size),
    "^bzboot: zeropage type_of_loader=0xff$",
    '^bzboot: cmdline "' .. BZ_CMDLINE:gsub("%-", "%%-") .. '"$',
    load,
  }
  for _, l in ipairs(initrd) do ordered[#ordered + 1] = l end
  ordered[#ordered + 1] = "^bzboot: done$"
  return { ordered = ordered, forbid = { "^bzboot: e820 0x%x+%-0x%x+ type=", "^bzboot: initrd ext_" },
           report = "halted code=0x0" }
end
local BZ_AT_PREF = "^bzboot: load=" .. BZ_PREF .. " at_pref_address=yes kernel_alignment_multiple=yes init_size_in_ram=yes$"
local BZ_NO_INITRD = { "^bzboot: initrd ramdisk_image=0x0 ramdisk_size=0x0$" }
local BZ_ELSEWHERE = "^bzboot: load=0x%x+ at_pref_address=no kernel_alignment_multiple=yes init_size_in_ram=yes$"

-- One bzboot case: t.mem (MiB of guest RAM), t.load (its load line), t.initrd
-- (its initrd lines, default none), t.probe (default "bzboot"), t.init_size
-- (its header's, default 8 MiB), t.extra_module; the rest as in any case.
local function bz_case(t)
  case {
    id = t.id,
    judges = t.judges,
    behavior = t.behavior,
    source = SOURCE,
    probe = t.probe or "bzboot",
    extra_module = t.extra_module,
    hv_cmdline = string.format("mem=%dM platform=pc", t.mem),
    cmdline = BZ_CMDLINE,
    expect = bz_expect(t.mem, t.load, t.initrd or BZ_NO_INITRD, t.init_size or 0x800000),
    points = t.points,
  }
end

bz_case {
  id = "linux.bz_no_initrd",
  judges = { "linux.bzimage", "linux.load", "linux.e820", "linux.initrd", "linux.entry" },
  behavior = "A relocatable bzImage booted without an initrd module on a 32-MiB guest starts at its pref_address (16 MiB, where its 8-MiB init_size fits) in the 32-bit boot protocol's state, with a zero page below 1 MiB holding its header, type_of_loader 0xFF, its command line and the e820 map, and ramdisk_image = ramdisk_size = 0.",
  mem = 32, load = BZ_AT_PREF, points = 2,
}

bz_case {
  id = "linux.bz_pref_address_used",
  judges = { "linux.load" },
  behavior = "A relocatable bzImage whose init_size bytes end exactly at the end of guest RAM (pref_address 16 MiB + init_size 8 MiB = mem 24 MiB) is loaded at its pref_address.",
  mem = 24, load = BZ_AT_PREF, points = 1,
}

bz_case {
  id = "linux.bz_pref_address_too_high",
  judges = { "linux.load" },
  behavior = "A relocatable bzImage whose pref_address (16 MiB) lies in a 20-MiB guest's RAM but whose init_size (8 MiB) would run past its end is loaded elsewhere: at a multiple of kernel_alignment (1 MiB) with all init_size bytes in RAM.",
  mem = 20, load = BZ_ELSEWHERE, points = 1,
}

bz_case {
  id = "linux.bz_relocated_kernel_alignment",
  judges = { "linux.load" },
  behavior = "The same relocatable bzImage with kernel_alignment 4 MiB (bzboot_align4m), its 16-MiB pref_address too high for its 8-MiB init_size in a 20-MiB guest, is loaded at a multiple of 4 MiB (4, 8 or 12 MiB) with all init_size bytes in RAM: not at 1 MiB.",
  probe = "bzboot_align4m", mem = 20, load = BZ_ELSEWHERE, points = 1,
}

bz_case {
  id = "linux.bz_init_size_exact",
  judges = { "linux.bzimage", "linux.load" },
  behavior = "A bzImage whose init_size is exactly its protected-mode kernel's size (bzboot_init_exact: 0x8000 bytes, the file after its (setup_sects + 1) * 512-byte real-mode part, so the kernel needs no memory beyond its own bytes) is valid and is booted: on a 20-MiB guest, where those bytes fit at its 16-MiB pref_address, it starts there (a multiple of kernel_alignment, 1 MiB, with all init_size bytes in RAM) and reports the 32-bit boot protocol's state and the zero page's header copy with init_size 0x8000.",
  probe = "bzboot_init_exact", init_size = 0x8000, mem = 20, load = BZ_AT_PREF, points = 1,
}

bz_case {
  id = "linux.bz_initrd_placed",
  judges = { "linux.initrd", "linux.load" },
  behavior = "The module after a bzImage is its initrd: ramdisk_image and ramdisk_size describe an exact copy of its 5000 bytes in RAM, ending at or below the kernel's initrd_addr_max (28 MiB - 1, below the end of the 32-MiB guest) and outside the kernel's [load, load + init_size).",
  extra_module = "bzboot_initrd", mem = 32, load = BZ_AT_PREF, points = 2,
  initrd = bz_initrd_lines(BZ_INITRD_BYTES),
}

bz_case {
  id = "linux.bz_initrd_whole_pages",
  judges = { "linux.initrd" },
  behavior = "An initrd of two whole pages (8192 bytes) is loaded like any other: an exact copy in RAM, its last byte at or below initrd_addr_max (28 MiB - 1) and outside the kernel's init_size bytes. Its last byte may be initrd_addr_max itself: a loader that places it at the top of the allowed range (as GRUB does) puts it at 28 MiB - 8 KiB, and must not count that as past the limit.",
  extra_module = "bzboot_initrd_pages", mem = 32, load = BZ_AT_PREF, points = 1,
  initrd = bz_initrd_lines(BZ_INITRD_PAGES_BYTES),
}
