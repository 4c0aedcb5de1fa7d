-- Guest-physical memory as the guest sees it (contract sections 2 and 9):
-- what RAM, the guest ROM and the no-execute page allow, what every other
-- guest-physical address does, and whether the Multiboot2 memory map states
-- exactly what is backed. Probes: guest-probes/ept_perms, guest-probes/ept_map.
-- Expected values come from the contract (device map, ROM contents) and the
-- instruction set; a report's rip is known because the probe runs the access
-- from code it copied to BLOB_PAGE (0x300000, guest-probes/memlib). On SVM a
-- nested page fault ends the VM with the same 'ept violation' line
-- (contract 3), so every case here holds on both vendors.
area { name = "ept", doc = "Guest-physical memory: access rights of RAM, ROM, no-execute page and holes, and the memory map against what is backed (contract sections 2 and 9)." }

-- The contract statements (spec/contract.md ids) that each case made by a
-- helper or loop below judges; cases written out in full name theirs inline.
local JUDGES = {
  ["ept.above_4g_read"] = { "map.hole", "end.ept-violation" },
  ["ept.apic_read"] = { "map.hole" },
  ["ept.doorbell_fetch"] = { "dev.fetch" },
  ["ept.hole_fetch"] = { "map.hole", "end.ept-violation" },
  ["ept.hole_read"] = { "map.hole", "end.ept-violation" },
  ["ept.hole_write"] = { "map.hole", "end.ept-violation" },
  ["ept.mmap_ram_1g"] = { "guest.info.mmap-ram", "host.cmdline.mem-range", "pager.untouched" },
  ["ept.mmap_ram_4m"] = { "guest.info.mmap-ram", "map.ram", "host.cmdline.mem-range" },
  ["ept.mmap_ram_default"] = { "guest.info.mmap-ram", "map.ram", "host.cmdline.mem-default" },
  ["ept.noexec_fetch"] = { "map.noexec" },
  ["ept.noexec_read_write"] = { "map.noexec" },
  ["ept.past_ram_1g"] = { "map.hole", "host.cmdline.mem" },
  ["ept.past_ram_4m"] = { "map.hole", "host.cmdline.mem" },
  ["ept.past_ram_default"] = { "map.hole", "host.cmdline.mem-default" },
  ["ept.ram_read_first_is_rwx"] = { "map.ram", "pager.fill" },
  ["ept.ram_write_then_fetch"] = { "map.ram", "pager.rerun" },
  ["ept.rom_fetch"] = { "map.rom" },
  ["ept.rom_pattern"] = { "dev.rom" },
  ["ept.rom_signature"] = { "dev.rom" },
  ["ept.rom_write_dropped"] = { "map.rom" },
  ["ept.testdev_fetch"] = { "dev.fetch" },
}

local BLOB_RIP = "0x300000"
local HOLE = "0xd0000abc"

local function hex(v) return string.format("0x%x", v) end

------------------------------------------------------------------------------
-- What must work (one boot of ept_perms)

local function perms_case(name, behavior, lines, points, source)
  case {
    id = "ept." .. name,
    judges = JUDGES["ept." .. name],
    behavior = behavior,
    source = source or "contract 9",
    probe = "ept_perms",
    expect = {
      lines = lines,
      ordered = { "^ept_perms: done$" },
      forbid = { "^runtime: error", "^exception:" },
      report = "halted code=0x0",
    },
    points = points,
  }
end

-- lea (%rdi,%rsi,1),%rax; ret run at 0x300000 with RDI=0x1111000000000000, RSI=0x2222.
perms_case("ram_write_then_fetch",
  "Code the guest writes into a fresh RAM page runs there: RAM is writable and executable.",
  { "ept_perms: ram fetch result=0x1111000000002222" }, 2, "seed 000 (KeV project 3, EPT permissions); contract 9")
perms_case("ram_read_first_is_rwx",
  "A RAM page first touched by a read reads zero and is then writable and executable (the pager grants all rights).",
  { "ept_perms: ram read_first value=0x0 written=0xa5 fetch=0x1111000000002222" }, 2)

perms_case("rom_signature",
  "Guest ROM bytes 0..15 read 'hvspec-guest-rom'.",
  { "ept_perms: rom signature=hvspec-guest-rom" }, 1)

-- Byte i of the ROM (i >= 16) is i & 0xff: an 8-byte read at offset o packs bytes o..o+7.
local function rom_qword(o)
  local v = 0
  for i = 7, 0, -1 do v = (v << 8) | ((o + i) & 0xff) end
  return v
end
perms_case("rom_pattern",
  "Guest ROM byte i (16 <= i < 4096) holds i & 0xff, read byte by byte and 8 bytes at a time.",
  { "ept_perms: rom pattern mismatches=0 first=none",
    "ept_perms: rom qword offset=0x10 value=" .. hex(rom_qword(0x10)),
    "ept_perms: rom qword offset=0x100 value=" .. hex(rom_qword(0x100)),
    "ept_perms: rom qword offset=0xff8 value=" .. hex(rom_qword(0xff8)) }, 1)

-- ROM bytes b9 ba bb bc bd | be bf c0 c1 c2 | c3 decode as
-- mov $0xbdbcbbba,%ecx; mov $0xc2c1c0bf,%esi; ret (MOV B8+rd id, RET C3).
perms_case("rom_fetch",
  "The guest ROM is executable: a call to ROM offset 0xb9 runs the ROM's own bytes as instructions and returns.",
  { "ept_perms: rom fetch ecx=0xbdbcbbba esi=0xc2c1c0bf" }, 2)

perms_case("rom_write_dropped",
  "Writes to the guest ROM (byte immediate, 32-bit and 64-bit register stores) are dropped and the guest goes on.",
  { "ept_perms: rom write imm8 offset=0x20 before=" .. hex(rom_qword(0x20)) .. " after=" .. hex(rom_qword(0x20)),
    "ept_perms: rom write reg32 offset=0x40 before=" .. hex(rom_qword(0x40)) .. " after=" .. hex(rom_qword(0x40)),
    "ept_perms: rom write reg64 offset=0x80 before=" .. hex(rom_qword(0x80)) .. " after=" .. hex(rom_qword(0x80)) }, 2)

perms_case("noexec_read_write",
  "The no-execute page reads zero at start and keeps what the guest writes.",
  { "ept_perms: noexec zero_bytes=4096 written=0x123456789abcdef" }, 1)

------------------------------------------------------------------------------
-- Accesses that end the VM (one boot each)

local function fatal_case(name, test, report, behavior, points, source)
  case {
    id = "ept." .. name,
    judges = JUDGES["ept." .. name],
    behavior = behavior,
    source = source or "contract 3 and 9",
    probe = "ept_perms",
    cmdline = "test=" .. test,
    expect = {
      forbid = { "^ept_perms: survived", "^runtime: error" },
      report = report,
    },
    points = points,
  }
end

fatal_case("hole_read", "hole_read",
  "ept violation gpa=" .. HOLE .. " access=read rip=" .. BLOB_RIP,
  "A read of a guest-physical address outside RAM and every window ends the VM with 'ept violation gpa=<exact address> access=read rip=<the instruction>'.", 2)
fatal_case("hole_write", "hole_write",
  "ept violation gpa=" .. HOLE .. " access=write rip=" .. BLOB_RIP,
  "A write to an unbacked guest-physical address ends the VM with an 'access=write' EPT-violation report.", 2)
fatal_case("hole_fetch", "hole_fetch",
  "ept violation gpa=" .. HOLE .. " access=fetch rip=" .. HOLE,
  "An instruction fetch from an unbacked guest-physical address ends the VM with an 'access=fetch' report whose rip is that address.", 2)
fatal_case("testdev_fetch", "testdev_fetch",
  "ept violation gpa=0xcafe1010 access=fetch rip=0xcafe1010",
  "An instruction fetch from the register test device's window ends the VM with the EPT-violation report.", 1)
fatal_case("doorbell_fetch", "doorbell_fetch",
  "ept violation gpa=0xcafe0000 access=fetch rip=0xcafe0000",
  "An instruction fetch from the doorbell device's window ends the VM with the EPT-violation report.", 1)
fatal_case("noexec_fetch", "noexec_fetch",
  "ept violation gpa=0xcafe3010 access=fetch rip=0xcafe3010",
  "Jumping to a RET the guest wrote into the no-execute page ends the VM with 'access=fetch' instead of running it.", 2)
fatal_case("apic_read", "apic_read",
  "ept violation gpa=0xfee00000 access=read rip=" .. BLOB_RIP,
  "The local APIC's default page (0xfee00000) is no guest memory: reading it ends the VM with the EPT-violation report.", 1)
fatal_case("above_4g_read", "high_read",
  "ept violation gpa=0x100000010 access=read rip=" .. BLOB_RIP,
  "A read of a guest-physical address above 4 GiB reports all of the address's bits.", 1)

------------------------------------------------------------------------------
-- The memory map against what is backed (ept_map)

local WINDOW_BYTES = { 0xcafe0000, 0xcafe0fff, 0xcafe1000, 0xcafe1fff, 0xcafe2000, 0xcafe2fff,
                       0xcafe3000, 0xcafe3fff }

local function map_lines(ram)
  return {
    "ept_map: ram start=0x0 end=" .. hex(ram),
    "ept_map: ends pages=32 readable=yes fresh_nonzero=0",
    "ept_map: last_qword gpa=" .. hex(ram - 8) .. " value=0x123456789abcdef",
  }
end

local function map_case(name, mem, ram, points, behavior)
  case {
    id = "ept." .. name,
    judges = JUDGES["ept." .. name],
    behavior = behavior,
    source = "contract 1, 2 and 9",
    probe = "ept_map",
    hv_cmdline = mem and ("mem=" .. mem) or "",
    expect = {
      lines = map_lines(ram),
      ordered = { "^ept_map: done$" },
      -- The first byte past RAM is not RAM in the map.
      forbid = { "^ept_map: type gpa=" .. hex(ram) .. " type=1$", "^runtime: error" },
      report = "halted code=0x0",
    },
    points = points,
  }
end

map_case("mmap_ram_default", nil, 0x4000000, 2,
  "Without mem= the memory map's available RAM is exactly [0, 64 MiB); the first and last 16 pages read (fresh ones as zero) and the last 8 bytes keep what is written.")
map_case("mmap_ram_4m", "4M", 0x400000, 1,
  "With mem=4M (the minimum) the memory map's RAM is exactly [0, 4 MiB) and its ends are backed.")
map_case("mmap_ram_1g", "1G", 0x40000000, 2,
  "With mem=1G (the maximum) on a 160 MiB machine the map's RAM is [0, 1 GiB) and its last page is backed on demand: untouched RAM costs no host memory.")

local window_lines = {}
for i, a in ipairs(WINDOW_BYTES) do window_lines[i] = "ept_map: type gpa=" .. hex(a) .. " type=2" end
case {
  id = "ept.mmap_windows_reserved",
  judges = { "guest.info.mmap-windows" },
  behavior = "Every device window (doorbell, test device, ROM, no-execute page), first and last byte, is type 2 'reserved' in the memory map.",
  source = "contract 2 and 9",
  probe = "ept_map",
  expect = { lines = window_lines, report = "halted code=0x0" },
  points = 1,
}

case {
  id = "ept.every_page_backed",
  judges = { "map.ram" },
  behavior = "Every page of a 16 MiB guest RAM reads without ending the VM.",
  source = "contract 9 and 10",
  probe = "ept_map",
  cmdline = "sweep=all",
  hv_cmdline = "mem=16M",
  expect = {
    lines = { "ept_map: sweep pages=0x1000" },
    ordered = { "^ept_map: done$" },
    report = "halted code=0x0",
  },
  points = 2,
}

local function past_ram_case(name, mem, ram, points)
  case {
    id = "ept." .. name,
    judges = JUDGES["ept." .. name],
    behavior = "The first byte past RAM as the memory map states it is not backed: reading it ends the VM with an 'ept violation' report at that address"
      .. (mem and (" (mem=" .. mem .. ").") or " (default 64 MiB)."),
    source = "contract 2 and 9",
    probe = "ept_map",
    cmdline = "test=past_ram",
    hv_cmdline = mem and ("mem=" .. mem) or "",
    expect = {
      forbid = { "^ept_map: survived", "^runtime: error" },
      report = "ept violation gpa=" .. hex(ram) .. " access=read rip=" .. BLOB_RIP,
    },
    points = points,
  }
end
past_ram_case("past_ram_default", nil, 0x4000000, 2)
past_ram_case("past_ram_4m", "4M", 0x400000, 1)
past_ram_case("past_ram_1g", "1G", 0x40000000, 1)
