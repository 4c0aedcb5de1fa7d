-- The disk (contract sections 2 and 14): the `disk` boot module, the block
-- hypercalls and their errors, and the write-back of the guest's writes to
-- the host. Expected values come from the contract and from the image the
-- harness builds (field 'disk', fill "pattern": spec/loader.lua), never from
-- a hypervisor's output. Probes: guest-probes/disk_hc, guest-probes/disk_modes32.
area { name = "disk", doc = "The disk (contract sections 2 and 14): the disk module, the block hypercalls DiskInfo, DiskRead and DiskWrite with their errors (an erroring call changes neither guest memory nor the disk), and the write-back that carries the guest's writes to the host's image, judged by a second boot." }

-- Every single-boot case shares one run of disk_hc on this disk.
local SECTORS = 64
local DISK = { sectors = SECTORS, fill = "pattern" }
local ENODEV, E2BIG, ERANGE, EINVAL, EFAULT = "-19", "-7", "-34", "-22", "-14"

-- The probe's line for one check: its result and what it found in its
-- buffer or, read back, on the disk.
local function line(name, rax) return "disk_hc: case=" .. name .. " rax=" .. rax .. " data=ok" end

local function disk_case(t)
  case {
    id = "disk." .. t.name,
    judges = t.judges,
    behavior = t.behavior,
    source = t.source or "contract 14",
    probe = "disk_hc",
    cmdline = t.cmdline,
    disk = t.disk or DISK,
    expect = { lines = t.lines, report = t.report or "halted code=0x0" },
    points = t.points or 1,
  }
end

------------------------------------------------------------------------------
-- The disk module and DiskInfo

disk_case {
  name = "info",
  judges = { "guest.disk.module", "hc.disk-info", "disk.info.sectors", "disk.info.sector-size" },
  behavior = "With a 64-sector `disk` module, DiskInfo returns the sector count (selector 0) and the sector size 512 (selector 1).",
  source = "seed 003 (cs360v project 1: hard drive emulation over a disk image); contract 2 and 14",
  lines = { "disk_hc: sectors=" .. SECTORS .. " sector_size=512" },
  points = 2,
}

disk_case {
  name = "info_bad_selector",
  judges = { "disk.info.bad-selector" },
  behavior = "DiskInfo with selector 2, or one above 2^32 (0x100000000), returns HC_EINVAL.",
  lines = { "disk_hc: case=info_bad_selector rax=" .. EINVAL,
            "disk_hc: case=info_bad_selector_high rax=" .. EINVAL },
}

disk_case {
  name = "module_first",
  judges = { "guest.disk.module", "host.module.guest" },
  behavior = "The disk module may come before the guest's, with words after `disk` in its string: the guest is still the first module that is not the disk, and the disk has its 64 sectors.",
  source = "contract 1 and 2",
  cmdline = "mode=info",
  disk = { sectors = SECTORS, fill = "pattern", first = true, string = "disk image=test" },
  lines = { "disk_hc: sectors=" .. SECTORS .. " sector_size=512", "disk_hc: done" },
}

case {
  id = "disk.no_disk",
  judges = { "disk.hc.enodev" },
  behavior = "Without a disk module, DiskInfo (both selectors), DiskRead and DiskWrite return HC_ENODEV, and DiskRead leaves its buffer alone.",
  source = "contract 14",
  probe = "disk_hc",
  cmdline = "mode=nodisk",
  expect = {
    lines = { "disk_hc: case=nodisk_info_sectors rax=" .. ENODEV,
              "disk_hc: case=nodisk_info_sector_size rax=" .. ENODEV,
              line("nodisk_read", ENODEV), "disk_hc: case=nodisk_write rax=" .. ENODEV },
    report = "halted code=0x0",
  },
  points = 2,
}

disk_case {
  name = "not_a_disk",
  judges = { "guest.disk.module", "disk.hc.enodev" },
  behavior = "A module whose string's first word is `diskette`, not `disk`, is no disk: every disk hypercall returns HC_ENODEV.",
  source = "contract 2 and 14",
  cmdline = "mode=nodisk",
  disk = { sectors = SECTORS, fill = "pattern", string = "diskette" },
  lines = { "disk_hc: case=nodisk_info_sectors rax=" .. ENODEV, line("nodisk_read", ENODEV),
            "disk_hc: case=nodisk_write rax=" .. ENODEV },
}

case {
  id = "disk.refuse_bad_size",
  judges = { "guest.refuse.bad-disk", "end.refused" },
  behavior = "A disk module of 1000 bytes (not a multiple of 512) is refused before any guest code runs: 'refused: bad disk image'.",
  source = "contract 2",
  probe = "disk_hc",
  disk = { bytes = 1000, fill = "pattern" },
  expect = { report = "refused: bad disk image", forbid = { "^disk_hc:" } },
  points = 1,
}

------------------------------------------------------------------------------
-- DiskRead and DiskWrite

disk_case {
  name = "read_first_last",
  judges = { "hc.disk-read", "disk.read" },
  behavior = "DiskRead of the first and of the last sector returns 1 and copies exactly that sector's 512 bytes (the byte after the buffer's sector stays as it was).",
  source = "seed 003 (cs360v project 1); contract 14",
  lines = { line("read_first", "1"), line("read_first_rest_untouched", "0"), line("read_last", "1") },
  points = 2,
}

disk_case {
  name = "read_max",
  judges = { "disk.read", "disk.hc.e2big" },
  behavior = "DiskRead of HC_DISK_MAX_SECTORS = 16 sectors (8 KiB) returns 16 with every byte from its sector.",
  lines = { line("read_max", "16") },
}

disk_case {
  name = "read_cross_pages",
  judges = { "disk.hc.buffer" },
  behavior = "A DiskRead buffer over three guest pages mapped to frames in shuffled order (starting in the middle of the first) receives each byte in the frame the guest's page tables give.",
  lines = { line("read_cross_pages", "16") },
  points = 2,
}

disk_case {
  name = "write_read_back",
  judges = { "hc.disk-write", "disk.write" },
  behavior = "DiskWrite of two sectors returns 2, and DiskRead in the same boot returns the new bytes; the sectors on either side keep theirs; the last sector can be written too.",
  source = "seed 003 (cs360v project 1); contract 14",
  lines = { line("write_read_back", "2"), line("write_neighbours_kept", "0"),
            line("write_neighbours_kept_after", "0"), line("write_last", "1") },
  points = 2,
}

disk_case {
  name = "write_cross_pages",
  judges = { "disk.hc.buffer", "disk.write" },
  behavior = "A 16-sector DiskWrite from three pages mapped to frames in shuffled order writes the bytes of the right frames, in buffer order.",
  lines = { line("write_cross_pages", "16") },
  points = 2,
}

-- The buffer in the 32-bit paging modes (guest-probes/disk_modes32): in
-- each mode two sectors are written from, and read into, a buffer that
-- crosses a page boundary into a lower, non-adjacent frame.
local function modes32_lines(mode)
  local function l(c) return "disk_modes32: mode=" .. mode .. " case=" .. c .. " rax=2 data=ok" end
  return { l("write"), l("read") }
end

local function modes32_case(name, mode, judges, behavior)
  case {
    id = "disk." .. name,
    judges = judges,
    behavior = behavior,
    source = "contract 5 and 14",
    probe = "disk_modes32",
    disk = DISK,
    expect = { lines = modes32_lines(mode), report = "halted code=0x0" },
    points = 1,
  }
end

modes32_case("buffer_paging_off", "off", { "disk.hc.buffer" },
  "With paging off (a 32-bit guest) the DiskWrite and DiskRead buffer is guest-physical: two sectors from and into a buffer crossing a 4-KiB boundary.")
modes32_case("buffer_32bit_paging", "pse32", { "disk.hc.buffer" },
  "Under 32-bit paging the DiskWrite and DiskRead buffer crosses from one 4-KiB page into another mapped to a lower, non-adjacent frame: each byte comes from, and lands in, the frame the guest's page tables give.")
modes32_case("buffer_32bit_4m_page", "pse32_4m", { "disk.hc.buffer" },
  "Under 32-bit paging with CR4.PSE the DiskWrite and DiskRead buffer crosses from one 4-MiB page into the next, mapped 8 MiB lower: each byte comes from, and lands in, the right large page.")
modes32_case("buffer_pae", "pae", { "disk.hc.buffer" },
  "Under PAE paging the DiskWrite and DiskRead buffer crosses from one 4-KiB page into another mapped to a lower, non-adjacent frame: each byte comes from, and lands in, the frame the guest's page tables give.")
modes32_case("buffer_pae_2m_page", "pae_2m", { "disk.hc.buffer" },
  "Under PAE paging the DiskWrite and DiskRead buffer crosses from one 2-MiB page into the next, mapped 8 MiB lower: each byte comes from, and lands in, the right large page.")

disk_case {
  name = "cross_2m_pages",
  judges = { "disk.hc.buffer" },
  behavior = "Under 4-level paging a DiskRead (16 sectors) and a DiskWrite (12 sectors) buffer starting 2 KiB before the boundary of two 2-MiB pages, the second mapped 8 MiB below the first, moves each byte to or from the large page the guest's page tables give.",
  lines = { line("read_cross_2m", "16"), line("write_cross_2m", "12") },
}

disk_case {
  name = "count_zero",
  judges = { "disk.hc.count-zero" },
  behavior = "DiskRead and DiskWrite of 0 sectors return 0 and move nothing.",
  lines = { line("read_count_zero", "0"), line("write_count_zero", "0") },
}

------------------------------------------------------------------------------
-- Errors: each leaves the guest's buffer and the disk as they were

disk_case {
  name = "erange",
  judges = { "disk.hc.erange", "disk.hc.error-changes-nothing" },
  behavior = "DiskRead and DiskWrite of sectors not all on the disk (first sector = sector count; the last sector and one more; first sector 2^64-1 so first + count overflows) return HC_ERANGE; the buffer and the disk stay unchanged.",
  lines = { line("read_erange_first", ERANGE), line("read_erange_past_end", ERANGE),
            line("read_erange_overflow", ERANGE), line("write_erange_first", ERANGE),
            line("write_erange_past_end", ERANGE), line("write_erange_overflow", ERANGE) },
  points = 2,
}

disk_case {
  name = "e2big",
  judges = { "disk.hc.e2big", "disk.hc.error-changes-nothing" },
  behavior = "DiskRead and DiskWrite of 17 sectors return HC_E2BIG, and a count of 2^32 + 1 (too large and past the end) HC_E2BIG or HC_ERANGE, never one sector; nothing changes.",
  lines = { line("read_e2big", E2BIG), line("write_e2big", E2BIG),
            "disk_hc: case=read_e2big_high_bits too_large_or_past_end=1 data=ok",
            "disk_hc: case=write_e2big_high_bits too_large_or_past_end=1 data=ok" },
  points = 2,
}

disk_case {
  name = "efault",
  judges = { "disk.hc.efault", "disk.hc.error-changes-nothing" },
  behavior = "A buffer whose page is not present, whose second page is not present, that maps past guest RAM, or that runs from the last RAM page into the first page past RAM makes DiskRead and DiskWrite return HC_EFAULT; not even the buffer's good first page is written, and the disk is unchanged.",
  lines = { line("read_efault_not_present", EFAULT), line("write_efault_not_present", EFAULT),
            line("read_efault_second_page", EFAULT), line("write_efault_second_page", EFAULT),
            line("read_efault_outside_ram", EFAULT), line("write_efault_outside_ram", EFAULT),
            line("read_efault_ram_end", EFAULT), line("write_efault_ram_end", EFAULT) },
  points = 3,
}

disk_case {
  name = "einval",
  judges = { "disk.hc.einval", "disk.hc.error-changes-nothing" },
  behavior = "A two-sector buffer starting 512 bytes below 2^64 (every page present) wraps past the address width: DiskRead and DiskWrite return HC_EINVAL and change nothing.",
  lines = { line("read_einval_wrap", EINVAL), line("write_einval_wrap", EINVAL) },
}

------------------------------------------------------------------------------
-- Write-back: boot 1 writes and halts, boot 2 starts from the image boot 1
-- left (its write-back applied by the harness) and reads the data back.

case {
  id = "disk.writeback_first_boot",
  judges = { "disk.write", "disk.writeback.stream" },
  behavior = "Boot 1 of the write-back pair: DiskWrite of sector 1 (then again with other bytes), sectors 0-1, 5-7 and the last sector return their counts; at the end of the VM the hypervisor sends the write-back stream on COM2, which the harness checks and applies (a missing, truncated or corrupt stream is an ERROR).",
  source = "seed 003 (cs360v project 1: the guest's file system persists in the image); contract 14",
  probe = "disk_hc",
  cmdline = "mode=write",
  disk = { sectors = SECTORS, fill = "pattern" },
  expect = {
    lines = { "disk_hc: case=boot1_write_early rax=1", "disk_hc: case=boot1_write rax=2 lba=0",
              "disk_hc: case=boot1_write rax=3 lba=5", "disk_hc: case=boot1_write_last rax=1",
              "disk_hc: done" },
    report = "halted code=0x0",
  },
  points = 2,
}

-- Boot 2 of a pair: the same reads whatever ended boot 1.
local function second_boot(name, first, behavior, judges, points)
  case {
    id = "disk." .. name,
    judges = judges,
    behavior = behavior,
    source = "seed 003 (cs360v project 1); issue 14 section 2; contract 14",
    probe = "disk_hc",
    cmdline = "mode=readback",
    disk = { from = "disk." .. first },
    expect = {
      lines = { "disk_hc: case=boot2_read rax=0 lba=0 data=ok", "disk_hc: case=boot2_read rax=0 lba=5 data=ok",
                line("boot2_read_last", "0"), line("boot2_unwritten_kept", "0"), "disk_hc: done" },
      report = "halted code=0x0",
    },
    points = points,
  }
end

second_boot("writeback_second_boot", "writeback_first_boot",
  "Boot 2 of the write-back pair starts from the image boot 1 left: sectors 0-1 (sector 1 with its last write), 5-7 and the last hold what boot 1 wrote, and sectors 3-4, never written, keep their original bytes.",
  { "disk.writeback.sectors", "disk.writeback.persists" }, 3)

-- The same pair where boot 1 ends with HLT (interrupts off) instead of
-- HaltCpu: the write-back is due whatever ends the VM.
case {
  id = "disk.writeback_hlt_first_boot",
  judges = { "disk.writeback.stream", "end.hlt" },
  behavior = "Boot 1 writes as in disk.writeback_first_boot (on a disk of 130 sectors, so its last sector is 129), then executes HLT with interrupts off: the VM ends with 'hlt rip=...', and the write-back stream still arrives whole on COM2.",
  source = "issue 14 section 2; contract 3 and 14",
  probe = "disk_hc",
  cmdline = "mode=write_hlt",
  -- 130 sectors: the last one written, 129, lies past sector 64, so a
  -- hypervisor that tracks written sectors only for small disks fails
  -- boot 2 (found by mutation testing: a dirty-sector map indexed s / 65
  -- survived every case on 64-sector disks).
  disk = { sectors = 130, fill = "pattern" },
  expect = {
    lines = { "disk_hc: case=boot1_write rax=3 lba=5", "disk_hc: case=boot1_write_last rax=1", "disk_hc: done" },
    report = { pattern = "^hlt rip=0x%x+$" },
  },
  points = 1,
}

second_boot("writeback_hlt_second_boot", "writeback_hlt_first_boot",
  "Boot 2 from the image the HLT-ended boot 1 left reads every sector boot 1 wrote, and the unwritten ones as they were.",
  { "disk.writeback.persists" }, 1)
