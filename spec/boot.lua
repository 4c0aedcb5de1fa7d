-- Guest boot: the hypervisor command line, the Multiboot2-style start of the
-- guest and image refusals (contract sections 1-3; processor requirements,
-- section 4, are spec/cpu.lua).
-- Expected values come from the contract, the Multiboot2 specification and
-- the probes' own images (guest-probes/), never from a hypervisor's output.
area { name = "boot", doc = "Guest boot: hypervisor options, guest entry state, Multiboot2 information and image refusals (contract sections 1-3)." }

-- The contract statements (spec/contract.md ids) that each case made by a
-- helper or loop below judges; cases written out in full name theirs inline.
local JUDGES = {
  ["boot.bad_class"] = { "guest.refuse.class", "guest.refuse" },
  ["boot.bad_cmdline_mem_not_2m_multiple"] = { "host.cmdline.mem-range", "host.cmdline.refused", "end.refused" },
  ["boot.bad_cmdline_mem_too_large"] = { "host.cmdline.mem-range", "host.cmdline.refused", "end.refused" },
  ["boot.bad_cmdline_mem_too_small"] = { "host.cmdline.mem-range", "host.cmdline.refused", "end.refused" },
  ["boot.bad_cmdline_unknown_option"] = { "host.cmdline.refused", "end.refused" },
  ["boot.bad_endian"] = { "guest.refuse.machine", "guest.refuse" },
  ["boot.bad_entry"] = { "guest.refuse.entry", "guest.refuse" },
  ["boot.bad_entry_end"] = { "guest.refuse.entry", "guest.refuse" },
  ["boot.bad_file_bytes"] = { "guest.refuse.outside-ram", "guest.refuse" },
  ["boot.bad_filesz"] = { "guest.refuse.outside-ram", "guest.refuse" },
  ["boot.bad_machine"] = { "guest.refuse.machine", "guest.refuse" },
  ["boot.bad_magic"] = { "guest.refuse.not-elf", "guest.refuse" },
  ["boot.bad_no_room"] = { "guest.refuse.no-room", "guest.refuse" },
  ["boot.bad_not_elf"] = { "guest.refuse.not-elf", "guest.refuse" },
  ["boot.bad_phentsize"] = { "guest.refuse.phdrs", "guest.refuse" },
  ["boot.bad_phoff"] = { "guest.refuse.phdrs", "guest.refuse" },
  ["boot.bad_segment_outside_ram"] = { "guest.refuse.outside-ram", "guest.refuse" },
  ["boot.bad_segment_straddle"] = { "guest.refuse.outside-ram", "guest.refuse" },
  ["boot.bad_segment_window"] = { "guest.refuse.device-window", "guest.refuse" },
  ["boot.bad_segment_window_tail"] = { "guest.refuse.device-window", "guest.refuse" },
  ["boot.bad_truncated"] = { "guest.refuse.not-elf", "guest.refuse" },
  ["boot.bad_type"] = { "guest.refuse.machine", "guest.refuse" },
}

-- Default guest RAM (contract 1: mem=64M) and what Multiboot2 says of it:
-- mem_upper is the KiB above 1 MiB (contract 2).
local MIB = 1024 * 1024
local function mem_upper(bytes) return string.format("%d", bytes // 1024 - 1024) end
local function hex(n) return string.format("0x%x", n) end

-- Code the hand-made images (guest-probes/elf_images/elf_image.asm) pass
-- to HaltCpu when they run.
local IMAGE_HALT = "halted code=0x600d"

------------------------------------------------------------------------------
-- Console lines every run prints (contract 3)

case {
  id = "boot.startup_lines",
  judges = { "host.multiboot2", "console.startup", "host.cmdline.mem-default" },
  behavior = "The hypervisor starts with '[hv] hvspec reference hypervisor', then '[hv] guest: ram=<bytes> entry=<e_entry>' for the default 64 MiB.",
  source = "contract 3",
  probe = "good_elf64",
  expect = {
    ordered = { "^%[hv%] hvspec reference hypervisor$", "^%[hv%] guest: ram=0x4000000 entry=0x%x+$" },
    report = IMAGE_HALT,
  },
  points = 1,
}

case {
  id = "boot.exit_accounting",
  judges = { "console.exits", "end.line", "end.power-off" },
  behavior = "Before the end line the hypervisor prints '[hv] exits: total=N' (the names=N pairs after it are the hypervisor's own and not judged), and '[hv] power off' follows the end line.",
  source = "contract 3",
  probe = "hc_halt",
  expect = {
    ordered = { "^%[hv%] exits: total=%d+", "^%[hv%] end: halted code=0xcafe$", "^%[hv%] power off$" },
    report = "halted code=0xcafe",
  },
  points = 1,
}

------------------------------------------------------------------------------
-- Guest entry state (contract 2)

case {
  id = "boot.initial_registers",
  judges = { "guest.start.eax-ebx", "guest.start.gprs" },
  behavior = "The guest starts with EAX = 0x36d76289 and every general-purpose register other than EAX and EBX zero.",
  source = "contract 2; Multiboot2 spec 3.3",
  probe = "boot_state",
  expect = {
    lines = {
      "boot: eax=0x36d76289",
      "boot: gprs ecx=0x0 edx=0x0 esi=0x0 edi=0x0 ebp=0x0 esp=0x0",
    },
    report = "halted code=0x0",
  },
  points = 2,
}

case {
  id = "boot.initial_eflags",
  judges = { "guest.start.eflags" },
  behavior = "The guest starts with EFLAGS = 0x2 (interrupts disabled).",
  source = "contract 2",
  probe = "boot_state",
  expect = { lines = { "boot: eflags=0x2" }, report = "halted code=0x0" },
  points = 1,
}

case {
  id = "boot.initial_cr0",
  judges = { "guest.start.cr0" },
  behavior = "The guest reads CR0 = PE|ET (0x11) at entry: protected mode, paging off.",
  source = "contract 2",
  probe = "boot_state",
  expect = { lines = { "boot: cr0=0x11" }, report = "halted code=0x0" },
  points = 1,
}

case {
  id = "boot.entry_point",
  judges = { "guest.start.entry" },
  behavior = "The guest starts at the ELF entry point e_entry.",
  source = "contract 2",
  probe = "boot_state",
  expect = { ordered = { "^boot: entry eip=(0x%x+) elf_entry=%1$" }, report = "halted code=0x0" },
  points = 1,
}

-- The segment registers at entry, judged by what they do (the hypervisor
-- may load any selectors and need not give the guest a GDT): the guest
-- ROM's first dword "hvsp" (contract 9) through every segment shows base 0,
-- a limit above 3 GiB and read access; a write through every data segment
-- to the no-execute page reads back; a push from ESP 0x20000 leaves ESP at
-- 0x1fffc (SS is a 32-bit stack). Probe: guest-probes/boot_segments.
local ROM_DWORD = "0x70737668"
local segment_lines = { "segments: seg=cs rom=" .. ROM_DWORD }
for i, seg in ipairs({ "ds", "es", "fs", "gs", "ss" }) do
  segment_lines[#segment_lines + 1] = string.format("segments: seg=%s rom=%s readback=0x%x", seg, ROM_DWORD, 0x5e600000 + i)
end
segment_lines[#segment_lines + 1] = "segments: ss push_esp=0x1fffc"
case {
  id = "boot.initial_segments",
  judges = { "guest.start.segments" },
  behavior = "At entry CS is a flat 32-bit execute/read segment and DS, ES, FS, GS and SS flat 32-bit read/write ones: each reads the guest ROM at 0xcafe2000 through base 0 and a 4 GiB limit, each data segment writes and reads back the no-execute page, and SS pushes as a 32-bit stack (ESP 0x20000 -> 0x1fffc). Selector values are free.",
  source = "contract 2 and 9; SDM 3.4.5 (segment descriptors)",
  probe = "boot_segments",
  expect = { lines = segment_lines, forbid = { "^runtime: error", "^exception:" }, report = "halted code=0x0" },
  points = 2,
}

case {
  id = "boot.segments_loaded",
  judges = { "guest.elf.load" },
  behavior = "PT_LOAD segments are copied to p_paddr: initialized data holds its file bytes and memory up to p_memsz reads as zero.",
  source = "contract 2",
  probe = "boot_state",
  expect = {
    lines = { "boot: data marker=0x5eed1234", "boot: bss nonzero_bytes=0" },
    report = "halted code=0x0",
  },
  points = 2,
}

case {
  id = "boot.long_mode_switch",
  judges = { "guest.long-mode" },
  behavior = "The guest switches itself to long mode (EFER.LME by WRMSR, then CR0.PG); EFER then reads LME and LMA set.",
  source = "contract 2 and 8",
  probe = "boot_state",
  expect = {
    ordered = { "^runtime: long mode active efer=0x%x+$", "^runtime: efer lme=1 lma=1$" },
    report = "halted code=0x0",
  },
  points = 3,
}

case {
  id = "boot.elf32_image",
  judges = { "guest.elf.classes", "guest.start.eax-ebx" },
  behavior = "An ELF32 (EM_386) guest is loaded and started like an ELF64 one, with EAX = 0x36d76289.",
  source = "contract 2",
  probe = "gp_modes32",
  expect = { lines = { "modes32: start eax=0x36d76289", "modes32: done" }, report = "halted code=0x0" },
  points = 2,
}

case {
  id = "boot.minimal_elf64",
  judges = { "guest.elf.classes" },
  behavior = "A minimal ELF64 image (one PT_LOAD holding the whole file, entry in it) runs: the control for every refusal case below.",
  source = "contract 2",
  probe = "good_elf64",
  expect = { report = IMAGE_HALT },
  points = 1,
}

case {
  id = "boot.minimal_elf32",
  judges = { "guest.elf.classes" },
  behavior = "The same minimal image as ELF32/EM_386 runs.",
  source = "contract 2",
  probe = "good_elf32",
  expect = { report = IMAGE_HALT },
  points = 1,
}

-- Half a Linux signature (contract 16, linux.bzimage): only boot_flag 0xaa55
-- at 0x1fe together with "HdrS" at 0x202 makes a bzImage. These two ELF64
-- images (good_elf64 padded to 0x206 bytes, guest-probes/build.mk) carry
-- one half each and must boot as ELF guests; no platform=pc, so an image
-- taken for a bzImage is refused instead.
for _, c in ipairs({
  { "elf_half_bz_flag", "0xaa at file offset 0x1ff and \"HdrS\" at 0x202 but 0x00, not 0x55, at 0x1fe" },
  { "elf_bz_flag_no_hdrs", "boot_flag 0xaa55 at file offset 0x1fe but \"HdrT\", not \"HdrS\", at 0x202" },
}) do
  case {
    id = "boot." .. c[1]:gsub("^elf_", "elf_with_"),
    judges = { "linux.bzimage", "guest.elf.classes", "guest.elf.load" },
    behavior = "An ELF64 image whose bytes hold " .. c[2] .. " is an ELF guest: it boots and halts with its code.",
    source = "contract 2 and 16; Documentation/arch/x86/boot.rst",
    probe = c[1],
    expect = { report = IMAGE_HALT, forbid = { "refused" } },
    points = 1,
  }
end

case {
  id = "boot.segment_fills_ram",
  judges = { "guest.info.placement", "guest.refuse.no-room" },
  behavior = "A segment may end one page below the end of guest RAM: the Multiboot2 information still fits after it.",
  source = "contract 2",
  probe = "good_fills_ram",
  expect = { report = IMAGE_HALT },
  points = 1,
  timeout = 60,
}

case {
  id = "boot.triple_fault",
  judges = { "end.triple-fault" },
  behavior = "A guest triple fault (INT3 with a zero-limit IDT) ends the VM with 'triple fault rip=0x<hex>'.",
  source = "contract 3",
  probe = "triple_fault",
  expect = {
    forbid = { "^triple_fault: survived" },
    report = { pattern = "^triple fault rip=0x%x+$" },
  },
  points = 2,
}

------------------------------------------------------------------------------
-- Multiboot2 information (contract 2)

case {
  id = "boot.info_placement",
  judges = { "guest.info.placement", "guest.start.eax-ebx" },
  behavior = "EBX holds the guest-physical address of the Multiboot2 information, at the first page boundary at or after the end of the highest loaded segment: for this image, whose segment ends on a page boundary, exactly that end.",
  source = "contract 2",
  probe = "boot_state",
  expect = {
    ordered = { "^boot: ebx=0x%x+$" },
    lines = { "boot: info aligned8=1 page_aligned=1 above_image=1", "boot: info at_image_end=1" },
    report = "halted code=0x0",
  },
  points = 2,
}

-- Images whose highest segment ends one byte past a page boundary
-- (guest-probes/boot_tail/boot_tail.h, layout checked when built): the
-- information belongs on the next page, and the image keeps every byte.
for _, t in ipairs({
  { "file", "boot_tail_file", "its last byte, 0xc3, from the file (p_filesz = p_memsz = 0x1001)",
    "boot: tail start=0x200000 file_end=0x201001 end=0x201001 mismatched=0 bss_nonzero=0 last=0xc3 info=0x202000" },
  { "bss", "boot_tail_bss", "one page of file bytes, then 0x1001 bytes of bss whose last byte must read 0",
    "boot: tail start=0x200000 file_end=0x201000 end=0x202001 mismatched=0 bss_nonzero=0 last=0x0 info=0x203000" },
}) do
  case {
    id = "boot.info_after_image_tail_" .. t[1],
    judges = { "guest.info.placement", "guest.elf.load" },
    behavior = "An image whose highest PT_LOAD segment (at 0x200000) ends one byte past a page boundary, with " .. t[3] .. ", gets the Multiboot2 information at the next page boundary (EBX), and every byte of that segment reads as the image says (mismatched file bytes 0, non-zero bss bytes 0): the information never overlaps the image.",
    source = "contract 2; Multiboot2 3.6 (boot information), ELF gABI (PT_LOAD p_filesz, p_memsz)",
    probe = t[2],
    expect = { lines = { t[4] }, report = "halted code=0x0" },
    points = 1,
  }
end

case {
  id = "boot.info_well_formed",
  judges = { "guest.info.end-tag" },
  behavior = "The Multiboot2 information is well formed: tags in bounds, 8-byte aligned, ending with the end tag.",
  source = "contract 2; Multiboot2 spec 3.6",
  probe = "boot_state",
  expect = {
    ordered = { "^mb2: tag type=0 size=8$", "^mb2: total_size=%d+ tags=%d+ end_tag=1$" },
    forbid = { "^mb2: error=" },
    report = "halted code=0x0",
  },
  points = 2,
}

case {
  id = "boot.loader_name",
  judges = { "guest.info.loader-name" },
  behavior = "The boot loader name tag (type 2) reads 'hvspec-reference'.",
  source = "contract 2",
  probe = "boot_state",
  expect = { lines = { 'mb2: loader_name="hvspec-reference"' }, report = "halted code=0x0" },
  points = 1,
}

case {
  id = "boot.guest_cmdline",
  judges = { "host.module.guest", "guest.info.cmdline" },
  behavior = "The module's string reaches the guest as the command-line tag (type 1), spaces and '=' included.",
  source = "contract 1 and 2",
  probe = "boot_state",
  cmdline = "hello world=1 last",
  expect = { lines = { 'mb2: cmdline="hello world=1 last"' }, report = "halted code=0x0" },
  points = 2,
}

case {
  id = "boot.extra_module_ignored",
  judges = { "host.module.extra-ignored", "host.module.guest" },
  behavior = "With a second boot module after the guest's (here the triple_fault probe, with an empty string), "
    .. "the first module still runs as the guest with its own string as the command line.",
  source = "contract 1",
  probe = "boot_state",
  extra_module = "triple_fault",
  cmdline = "first module",
  expect = { lines = { 'mb2: cmdline="first module"' }, report = "halted code=0x0" },
  points = 1,
}

case {
  id = "boot.guest_cmdline_empty",
  judges = { "guest.info.cmdline" },
  behavior = "With an empty module string the command-line tag is present and empty.",
  source = "contract 2",
  probe = "boot_state",
  expect = { lines = { 'mb2: cmdline=""' }, report = "halted code=0x0" },
  points = 1,
}

case {
  id = "boot.meminfo",
  judges = { "guest.info.meminfo" },
  behavior = "The basic memory information tag (type 4) says mem_lower = 640 and mem_upper = KiB of guest RAM above 1 MiB (64 MiB by default).",
  source = "contract 1 and 2",
  probe = "boot_state",
  expect = { lines = { "mb2: meminfo mem_lower=640 mem_upper=" .. mem_upper(64 * MIB) }, report = "halted code=0x0" },
  points = 2,
}

case {
  id = "boot.mmap_ram",
  judges = { "guest.info.mmap-ram" },
  behavior = "The memory map (type 6, version-0 entries) lists exactly the 64 MiB of guest RAM as available (type 1), nothing past it, and every entry's reserved field is 0.",
  source = "contract 2; Multiboot2 spec 3.6.8",
  probe = "boot_state",
  expect = {
    ordered = { "^mb2: mmap entry_size=%d+ entry_version=0 entries=%d+$" },
    lines = {
      "mb2: mmap available_total=" .. hex(64 * MIB),
      "mb2: mmap entries_with_reserved_nonzero=0",
      "mb2: mmap_at gpa=0x0 type=1",
      "mb2: mmap_at gpa=0x100000 type=1",
      "mb2: mmap_at gpa=" .. hex(64 * MIB - 0x1000) .. " type=1",
      "mb2: mmap_at gpa=" .. hex(64 * MIB) .. " type=0",
    },
    report = "halted code=0x0",
  },
  points = 2,
}

case {
  id = "boot.mmap_device_windows",
  judges = { "guest.info.mmap-windows" },
  behavior = "The memory map lists each device window (doorbell, test device, guest ROM, no-execute page, virtio block device at 0xcafe0000-0xcafe4fff) as reserved (type 2), and nothing after them.",
  source = "contract 2 and 9",
  probe = "boot_state",
  expect = {
    lines = {
      "mb2: mmap_at gpa=0xcafe0000 type=2", "mb2: mmap_at gpa=0xcafe1000 type=2",
      "mb2: mmap_at gpa=0xcafe2000 type=2", "mb2: mmap_at gpa=0xcafe3000 type=2",
      "mb2: mmap_at gpa=0xcafe4000 type=2", "mb2: mmap_at gpa=0xcafe5000 type=0",
    },
    report = "halted code=0x0",
  },
  points = 1,
}

------------------------------------------------------------------------------
-- Hypervisor command line (contract 1)

case {
  id = "boot.mem_option",
  judges = { "host.cmdline.mem", "console.startup", "guest.info.meminfo", "guest.info.mmap-ram" },
  behavior = "mem=16M gives the guest 16 MiB: the startup line, mem_upper and the memory map all say so.",
  source = "contract 1 and 2",
  probe = "boot_state",
  hv_cmdline = "mem=16M",
  expect = {
    ordered = { "^%[hv%] guest: ram=" .. hex(16 * MIB) .. " entry=0x%x+$" },
    lines = {
      "mb2: meminfo mem_lower=640 mem_upper=" .. mem_upper(16 * MIB),
      "mb2: mmap available_total=" .. hex(16 * MIB),
      "mb2: mmap_at gpa=" .. hex(16 * MIB - 0x1000) .. " type=1",
      "mb2: mmap_at gpa=" .. hex(16 * MIB) .. " type=0",
    },
    report = "halted code=0x0",
  },
  points = 2,
}

case {
  id = "boot.mem_option_kib",
  judges = { "host.cmdline.mem", "host.cmdline.mem-range" },
  behavior = "mem=4096K (the 4 MiB minimum, in KiB) gives the guest 4 MiB.",
  source = "contract 1",
  probe = "boot_state",
  hv_cmdline = "mem=4096K",
  expect = {
    lines = {
      "mb2: meminfo mem_lower=640 mem_upper=" .. mem_upper(4 * MIB),
      "mb2: mmap available_total=" .. hex(4 * MIB),
    },
    report = "halted code=0x0",
  },
  points = 1,
}

local function refused_cmdline(name, option, why)
  case {
    id = "boot.bad_cmdline_" .. name,
    judges = JUDGES["boot.bad_cmdline_" .. name],
    behavior = "The hypervisor option '" .. option .. "' (" .. why .. ") is refused naming the option.",
    source = "contract 1",
    probe = "hc_halt",
    hv_cmdline = option,
    expect = { report = "refused: bad command line: " .. option, forbid = { "^%[hv%] guest: " } },
    points = 1,
  }
end
refused_cmdline("mem_too_small", "mem=3M", "below 4 MiB")
refused_cmdline("mem_not_2m_multiple", "mem=5M", "not a multiple of 2 MiB")
refused_cmdline("mem_too_large", "mem=2G", "above 1 GiB")
refused_cmdline("unknown_option", "bogus=1", "unknown option")

------------------------------------------------------------------------------
-- Refused images (contract 2); each image differs from good_elf64 in one
-- defect, see guest-probes/elf_images/elf_image.asm.

local function refused_image(name, probe, reason, what)
  case {
    id = "boot." .. name,
    judges = JUDGES["boot." .. name],
    behavior = "An image with " .. what .. " is refused with '" .. reason .. "' and never runs.",
    source = "contract 2",
    probe = probe,
    expect = { report = "refused: " .. reason, forbid = { "^%[hv%] guest: " } },
    points = 1,
  }
end

case {
  id = "boot.missing_module",
  judges = { "guest.refuse.no-module", "guest.refuse", "end.refused" },
  behavior = "Without a Multiboot2 module the run ends with 'refused: no guest module'.",
  source = "contract 2",
  probe = "none",
  expect = { report = "refused: no guest module", forbid = { "^%[hv%] guest: " } },
  points = 1,
}
refused_image("bad_not_elf", "bad_notelf", "not an ELF image", "no ELF magic (a text file)")
refused_image("bad_magic", "bad_magic", "not an ELF image", "one wrong magic byte")
refused_image("bad_truncated", "bad_truncated", "not an ELF image", "a header cut after 20 bytes")
refused_image("bad_class", "bad_class", "unsupported ELF class", "EI_CLASS = 3")
refused_image("bad_machine", "bad_machine", "unsupported ELF machine", "e_machine = EM_ARM")
refused_image("bad_endian", "bad_endian", "unsupported ELF machine", "EI_DATA = big endian")
refused_image("bad_type", "bad_type", "unsupported ELF machine", "e_type = ET_DYN")
refused_image("bad_phentsize", "bad_phentsize", "bad program headers", "e_phentsize = 40")
refused_image("bad_phoff", "bad_phoff", "bad program headers", "a program header table past the end of the file")
refused_image("bad_segment_outside_ram", "bad_segment_outside_ram", "segment outside guest RAM", "a PT_LOAD at 1 GiB (guest RAM is 64 MiB)")
refused_image("bad_segment_straddle", "bad_segment_straddle", "segment outside guest RAM", "a PT_LOAD that starts in RAM and ends past it")
refused_image("bad_filesz", "bad_filesz", "segment outside guest RAM", "p_filesz > p_memsz")
refused_image("bad_file_bytes", "bad_file_bytes", "segment outside guest RAM", "a PT_LOAD whose file bytes lie past the end of the file")
-- A segment in a device window is also outside guest RAM (windows lie above
-- any RAM size); contract section 2 names the window reason first.
refused_image("bad_segment_window", "bad_segment_window", "segment overlaps device window", "a PT_LOAD at the doorbell window 0xcafe0000")
refused_image("bad_segment_window_tail", "bad_segment_window_tail", "segment overlaps device window", "a PT_LOAD whose tail runs into the doorbell window")
refused_image("bad_entry", "bad_entry", "entry point outside loaded segments", "e_entry 2 MiB past its only segment")
refused_image("bad_entry_end", "bad_entry_end", "entry point outside loaded segments", "e_entry exactly at the end of its segment")
refused_image("bad_no_room", "bad_no_room", "no room for boot information", "a segment ending exactly at the end of guest RAM")
