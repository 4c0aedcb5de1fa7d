-- The ACPI PM1 register blocks of platform=pc (contract section 15, "ACPI
-- power management ports"; ACPI 6.0 4.8.3.1-4.8.3.2) and the power-off
-- through PM1a_CNT (section 3, `acpi power off`). One probe, pc_acpi: its
-- default run reads and writes every register, then powers off as Linux
-- does; mode=byte powers off with one byte write; mode=none boots without
-- the option; mode=tables walks the ACPI tables (section 15, "ACPI tables"). Expected values come from the contract and the ACPI
-- specification, never from a hypervisor's output.
area { name = "acpi", doc = "ACPI power management ports of platform=pc: PM1 status, enable and control registers, powering the VM off by entering S5, and the ACPI tables a guest finds in the BIOS area (contract sections 3 and 15)." }

local PC = "platform=pc"

local function acpi_case(t)
  t.probe = "pc_acpi"
  if t.hv_cmdline == nil then t.hv_cmdline = PC end
  t.source = t.source or "contract 15; ACPI 6.0 4.8.3.1-4.8.3.2"
  if t.expect.report == nil then t.expect.report = "acpi power off" end
  case(t)
end

acpi_case {
  id = "acpi.pm1_reset_values",
  judges = { "pc.acpi.ports", "pc.acpi.pm1-status", "pc.acpi.pm1-enable", "pc.acpi.pm1-control" },
  behavior = "At reset PM1a_STS (0x600) and PM1a_EN (0x602) read 0 and PM1a_CNT (0x604) reads 1: SCI_EN set, the machine is in ACPI mode.",
  expect = { lines = { "pc_acpi: reset sts=0x0 en=0x0 cnt=0x1" } },
  points = 1,
}

acpi_case {
  id = "acpi.pm1_status_write_one_to_clear",
  judges = { "pc.acpi.pm1-status" },
  behavior = "Writing all ones to PM1a_STS (a word, then its high byte) leaves it reading 0: status bits are write-1-to-clear and no event ever sets one.",
  expect = { lines = { "pc_acpi: sts after_w1c=0x0 byte0=0x0 byte1=0x0" } },
  points = 1,
}

acpi_case {
  id = "acpi.pm1_enable_bits",
  judges = { "pc.acpi.pm1-enable", "pc.acpi.ports" },
  behavior = "PM1a_EN keeps exactly its defined bits (all ones reads 0x4721), reads back what was written, takes a byte write of its high byte alone, and a dword read at 0x600 returns status in bits 15:0 and enable in bits 31:16.",
  expect = { lines = { "pc_acpi: en all=0x4721 some=0x121 byte_hi=0x421 dword=0x4210000 cleared=0x0" } },
  points = 1,
}

acpi_case {
  id = "acpi.pm1_control_bits",
  judges = { "pc.acpi.pm1-control", "pc.acpi.power-off" },
  behavior = "PM1a_CNT keeps BM_RLD and SLP_TYP, reads SCI_EN as 1 even after a write of 0, reads GBL_RLS and SLP_EN as 0, and SLP_EN with a sleep type other than S5 (5) does nothing: the VM goes on.",
  expect = { lines = { "pc_acpi: cnt bm_rld=0x3 typ7=0x1c03 cleared=0x1 slp_en_s3=0xc01 survived=1 dword=0xffff0c01" } },
  points = 2,
}

acpi_case {
  id = "acpi.pm1_past_block",
  judges = { "pc.acpi.ports", "pio.other" },
  behavior = "The block ends at port 0x605: a dword read at 0x604 returns all-ones in the bytes of ports 0x606-0x607, and port 0x606 reads 0xff.",
  source = "contract 6 and 15",
  expect = {
    ordered = { "^pc_acpi: cnt .* dword=0xffff0c01$" },
    lines = { "pc_acpi: past_block in8=0xff" },
  },
  points = 1,
}

acpi_case {
  id = "acpi.power_off_s5",
  judges = { "pc.acpi.power-off", "end.acpi-power-off", "end.line" },
  behavior = "Linux's S5 sequence (clear PM1a_STS, write SLP_TYP=5, then SLP_TYP=5 with SLP_EN) ends the VM with `acpi power off` at the SLP_EN write; the SLP_TYP written first reads back.",
  expect = {
    ordered = { "pc_acpi: s5 slp_typ_written cnt=0x1401", "pc_acpi: powering off via=word" },
    forbid = { "still running" },
  },
  points = 2,
}

acpi_case {
  id = "acpi.power_off_byte_write",
  judges = { "pc.acpi.power-off", "pc.acpi.ports", "end.acpi-power-off" },
  behavior = "A single byte write of 0x34 (SLP_TYP=5, SLP_EN) to port 0x605, the high byte of PM1a_CNT, powers off too.",
  cmdline = "mode=byte",
  expect = { lines = { "pc_acpi: powering off via=byte" }, forbid = { "still running" } },
  points = 1,
}

acpi_case {
  id = "acpi.absent_without_platform",
  judges = { "pc.acpi.ports", "pio.other" },
  behavior = "Without platform=pc ports 0x600-0x605 are unknown ports: they read all-ones, and the S5 write does not end the VM.",
  source = "contract 6 and 15",
  hv_cmdline = "",
  cmdline = "mode=none",
  expect = {
    lines = { "pc_acpi: none sts=0xffff en=0xffff cnt=0xffff", "pc_acpi: none s5_write survived=1" },
    report = "halted code=0x0",
  },
  points = 1,
}

-- The ACPI tables (contract 15, "ACPI tables"): mode=tables searches the
-- BIOS area for the RSDP, follows both root tables to the FADT, FACS and
-- DSDT, and prints what it checked; then halts 0.
local function tables_case(t)
  t.cmdline = "mode=tables"
  t.source = t.source or "contract 15; ACPI 6.0 chapter 5"
  t.expect.report = "halted code=0x0"
  acpi_case(t)
end

tables_case {
  id = "acpi.tables_rsdp",
  judges = { "pc.acpi.rsdp" },
  behavior = "The first `RSD PTR ` on a 16-byte boundary in 0xE0000-0xFFFFF is an ACPI 2.0+ RSDP: revision 2, Length 36, both checksums 0.",
  source = "contract 15; ACPI 6.0 5.2.5.1, 5.2.5.3",
  expect = { lines = { "pc_acpi: rsdp found=1 checksum=0x0 revision=2 length=36 ext_checksum=0x0" } },
  points = 1,
}

tables_case {
  id = "acpi.tables_rsdt_xsdt",
  judges = { "pc.acpi.root-tables", "pc.acpi.rsdp" },
  behavior = "RsdtAddress and XsdtAddress lead to an `RSDT` and an `XSDT` whose Length is the header plus whole entries, whose checksum is 0, and whose every entry is a valid table, exactly one of them a FADT.",
  source = "contract 15; ACPI 6.0 5.2.6-5.2.8",
  expect = {
    lines = {
      "pc_acpi: RSDT signature_ok=1 length_ok=1 checksum=0x0 entries_bad=0 fadt_entries=1",
      "pc_acpi: XSDT signature_ok=1 length_ok=1 checksum=0x0 entries_bad=0 fadt_entries=1",
    },
    forbid = { "^pc_acpi: %u+ entry", "not in guest RAM" },
  },
  points = 2,
}

tables_case {
  id = "acpi.tables_fadt",
  judges = { "pc.acpi.fadt", "pc.acpi.ports" },
  behavior = "The FADT both root tables name gives SCI_INT 9, the PM1a event block at 0x600 (4 bytes) and control block at 0x604 (2 bytes), consistent X_ blocks, no PM timer or GPE blocks, CENTURY 0x32, not hardware-reduced, and points at a 64-byte aligned `FACS` of at least 64 bytes.",
  source = "contract 15; ACPI 6.0 5.2.9, 5.2.10",
  expect = {
    lines = {
      "pc_acpi: fadt via=rsdt sci_int=9 pm1a_evt=0x600 pm1_evt_len=4 pm1a_cnt=0x604 pm1_cnt_len=2 x_blocks_ok=1 pm_tmr_len=0 gpe0_len=0 gpe1_len=0 century=0x32 hw_reduced=0",
      "pc_acpi: facs via=rsdt in_ram=1 signature_ok=1 length_ok=1 aligned=1",
      "pc_acpi: fadt via=xsdt sci_int=9 pm1a_evt=0x600 pm1_evt_len=4 pm1a_cnt=0x604 pm1_cnt_len=2 x_blocks_ok=1 pm_tmr_len=0 gpe0_len=0 gpe1_len=0 century=0x32 hw_reduced=0",
      "pc_acpi: facs via=xsdt in_ram=1 signature_ok=1 length_ok=1 aligned=1",
    },
  },
  points = 2,
}

tables_case {
  id = "acpi.tables_dsdt",
  judges = { "pc.acpi.dsdt", "pc.acpi.power-off" },
  behavior = "The FADT's DSDT (through either root table) has signature `DSDT`, a valid Length and checksum, and a `\\_S5` package whose SLP_TYP is 5, the value PM1a_CNT powers off with.",
  source = "contract 15; ACPI 6.0 5.2.11.1, 7.4.2",
  expect = {
    lines = {
      "pc_acpi: dsdt via=rsdt in_ram=1 signature_ok=1 length_ok=1 checksum=0x0 s5_slp_typ=0x5",
      "pc_acpi: dsdt via=xsdt in_ram=1 signature_ok=1 length_ok=1 checksum=0x0 s5_slp_typ=0x5",
    },
  },
  points = 1,
}
