-- Control registers (contract section 13): CR0, CR3 and CR4 as the guest
-- reads them, MOV to and from them through every general-purpose register,
-- the CR0 bits a hypervisor may keep for itself (NE, NW, CD) read back as
-- written, writes the processor refuses (#GP(0) at the MOV, nothing
-- changed), CR4.VMXE never visible nor settable, CLTS, LMSW and SMSW. Two
-- probes: cr_regs in 64-bit mode (the runtime's long mode: CR0 =
-- PG|ET|PE = 0x80000011, CR4 = PAE = 0x20) and cr_modes32 in 32-bit
-- protected mode with paging off (CR0 = 0x11, CR4 = 0). Every expected
-- value comes from the SDM bit definitions (vol. 3A 2.5) and what the probe
-- wrote, never from a hypervisor's output.
area { name = "cr", doc = "Control registers: CR0/CR3/CR4 read-back through every register operand, the bits a hypervisor keeps (CR0.NE/NW/CD, CR4.VMXE), #GP(0) for refused writes, CLTS, LMSW, SMSW, in 64-bit and 32-bit mode; CR8 plain and as the x2APIC TPR (contract sections 2, 11 and 13)." }

local SRC = "contract 13; SDM vol. 2 MOV CR, CLTS, LMSW, SMSW; vol. 3A 2.5"

-- SDM 2.5 bit values the expectations are built from.
local CR0_PE, CR0_TS, CR0_ET, CR0_NE = 0x1, 0x8, 0x10, 0x20
local CR0_NW, CR0_CD, CR0_PG = 0x20000000, 0x40000000, 0x80000000
local CR4_TSD, CR4_PAE, CR4_VMXE, CR4_BIT15 = 0x4, 0x20, 0x2000, 0x8000
local HIGH = 0x100000000   -- bit 32: CR0[63:32] and CR4[63:32] are reserved

local MODES = {
  ["64"] = { probe = "cr_regs", cr0 = CR0_PG | CR0_ET | CR0_PE, cr4 = CR4_PAE,
             gprs = { "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                      "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15" } },
  ["32"] = { probe = "cr_modes32", cr0 = CR0_ET | CR0_PE, cr4 = 0,
             gprs = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi" } },
}

local function hex(v) return string.format("0x%x", v) end

local function cr_case(mode, t)
  t.probe = MODES[mode].probe
  t.source = t.source or SRC
  t.expect.report = t.expect.report or "halted code=0x0"
  case(t)
end

-- A refused write's line: #GP, error code 0, RIP at the MOV, value unchanged.
local function refused(mode, what, wrote, before)
  return string.format("cr: refused mode=%s what=%s wrote=%s fault=13 error=0x0 rip_offset=0 before=%s after=%s",
    mode, what, hex(wrote), hex(before), hex(before))
end

for _, mode in ipairs({ "64", "32" }) do
  local m = MODES[mode]
  local bits = mode == "64" and "64-bit mode" or "32-bit protected mode"

  cr_case(mode, {
    id = "cr.start_state_" .. mode,
    judges = { "cr.start.cr4", "guest.start.cr0" },
    behavior = "At entry CR0 reads 0x11 (PE|ET) and CR4 reads 0 (no VMXE, nothing enabled).",
    expect = { lines = { string.format("cr: start mode=%s cr0=0x11 cr4=0x0", mode) } },
    points = 1,
  })

  local cr0_lines, cr4_lines, cr3_lines = {}, {}, {}
  for i, r in ipairs(m.gprs) do
    cr0_lines[i] = string.format("cr: cr0 mode=%s via=%s base=%s wrote=%s read=%s restored=%s",
      mode, r, hex(m.cr0), hex(m.cr0 | CR0_CD), hex(m.cr0 | CR0_CD), hex(m.cr0))
    cr4_lines[i] = string.format("cr: cr4 mode=%s via=%s base=%s wrote=%s read=%s restored=%s",
      mode, r, hex(m.cr4), hex(m.cr4 ~ CR4_TSD), hex(m.cr4 ~ CR4_TSD), hex(m.cr4))
    -- CR3's base is where the probe's page tables are: the line repeats it.
    cr3_lines[i] = string.format("^cr: cr3 mode=%s via=%s base=0x(%%x+) wrote=0x(%%x+) read=0x%%2 restored=0x%%1$", mode, r)
  end

  for _, c in ipairs({
    { "cr0", "setting CD, a bit a hypervisor may keep,", { lines = cr0_lines }, 2 },
    { "cr4", "toggling TSD,", { lines = cr4_lines }, 1 },
    { "cr3", "with PWT set,", { ordered = cr3_lines }, 1 },
  }) do
    cr_case(mode, {
      id = "cr.mov_" .. c[1] .. "_every_gpr_" .. mode,
      judges = { "cr.mov.operands", "cr.read-back" },
      behavior = "In " .. bits .. ", MOV to " .. c[1]:upper() .. " from each general-purpose register (the stack pointer too) " .. c[2] .. " then MOV from " .. c[1]:upper() .. " into the same register, reads the value written; the same MOV with the old value restores it.",
      expect = c[3],
      points = c[4],
    })
  end

  local base = m.cr0 & ~(CR0_NE | CR0_CD | CR0_NW)
  local owned = {}
  for i, step in ipairs({ { "ne_set", CR0_NE }, { "ne_clear", 0 }, { "cd", CR0_CD },
                          { "cd_nw", CR0_CD | CR0_NW }, { "ne_cd_nw", CR0_NE | CR0_CD | CR0_NW },
                          { "none", 0 } }) do
    local v = hex(base | step[2])
    owned[i] = string.format("cr: cr0_owned mode=%s step=%s wrote=%s read=%s", mode, step[1], v, v)
  end
  cr_case(mode, {
    id = "cr.cr0_owned_bits_" .. mode,
    judges = { "cr.read-back", "guest.cr0.reads-back" },
    behavior = "In " .. bits .. ", CR0.NE, CD and NW (bits a hypervisor may keep for itself) set and cleared one MOV at a time, in every valid combination, read back exactly as written.",
    expect = { lines = owned },
    points = 1,
  })

  local c0 = m.cr0
  local cr0_refused = {
    refused(mode, "cr0_nw_without_cd", c0 | CR0_NW, c0),
    refused(mode, "cr0_pg_without_pe", (c0 | CR0_PG) & ~CR0_PE, c0),
    refused(mode, "cr0_pg_without_pe_cd", (c0 | CR0_PG | CR0_CD) & ~CR0_PE, c0),
  }
  local judges = { "cr.refused", "cr.refused.cr0-nw-without-cd", "cr.refused.cr0-pg-without-pe" }
  if mode == "64" then
    cr0_refused[#cr0_refused + 1] = refused(mode, "cr0_high_bit", c0 | HIGH, c0)
    cr0_refused[#cr0_refused + 1] = refused(mode, "cr0_high_bit_cd", c0 | HIGH | CR0_CD, c0)
    cr0_refused[#cr0_refused + 1] = refused(mode, "cr0_pg_clear", c0 & ~CR0_PG, c0)
    judges[#judges + 1] = "cr.refused.cr0-high"
    judges[#judges + 1] = "cr.refused.cr0-pg-clear"
  end
  cr_case(mode, {
    id = "cr.cr0_refused_" .. mode,
    judges = judges,
    behavior = "In " .. bits .. ", MOV to CR0 with NW but not CD, or PG without PE" .. (mode == "64" and ", a bit of 63:32, or PG clear" or "") .. " raises #GP with error code 0 at the MOV and leaves CR0 as it was, also when the same MOV changes CD (a bit a hypervisor may keep, so the write may exit to it).",
    expect = { lines = cr0_refused },
    points = 2,
  })

  local cr4_refused = { refused(mode, "cr4_reserved", m.cr4 | CR4_BIT15, m.cr4) }
  local judges4 = { "cr.refused", "cr.refused.cr4-reserved" }
  if mode == "64" then
    cr4_refused[#cr4_refused + 1] = refused(mode, "cr4_high_bit", m.cr4 | HIGH, m.cr4)
    cr4_refused[#cr4_refused + 1] = refused(mode, "cr4_pae_clear", m.cr4 & ~CR4_PAE, m.cr4)
    cr4_refused[#cr4_refused + 1] =
      "^cr: refused mode=64 what=cr3_beyond_phys wrote=0x4" .. string.rep("%x", 15) .. " fault=13 error=0x0 rip_offset=0 before=0x(%x+) after=0x%1$"
    judges4[#judges4 + 1] = "cr.refused.cr4-pae-clear"
    judges4[#judges4 + 1] = "cr.refused.cr3-reserved"
  end
  cr_case(mode, {
    id = "cr.cr4_cr3_refused_" .. mode,
    judges = judges4,
    behavior = "In " .. bits .. ", MOV to CR4 with reserved bit 15" .. (mode == "64" and ", bit 32 or PAE clear in long mode, and MOV to CR3 with bit 62 (above every MAXPHYADDR)," or "") .. " raises #GP with error code 0 at the MOV and leaves the register as it was.",
    expect = mode == "64" and { lines = { cr4_refused[1], cr4_refused[2], cr4_refused[3] }, ordered = { cr4_refused[4] } }
                          or { lines = cr4_refused },
    points = mode == "64" and 2 or 1,
  })

  local vmxe_lines = {
    refused(mode, "cr4_vmxe", m.cr4 | CR4_VMXE, m.cr4),
    refused(mode, "cr4_vmxe_reserved", m.cr4 | CR4_VMXE | CR4_BIT15, m.cr4),
    string.format("cr: vmxe mode=%s cr4=%s visible=0", mode, hex(m.cr4)),
  }
  if mode == "64" then vmxe_lines[#vmxe_lines + 1] = "cr: vmxe mode=64 after_all cr4=0x20" end
  cr_case(mode, {
    id = "cr.vmxe_hidden_" .. mode,
    judges = { "cr.vmxe.hidden", "cr.vmxe.refused", "cr.refused" },
    behavior = "In " .. bits .. ", CR4.VMXE reads 0, and MOV to CR4 setting it (alone or with a reserved bit) raises #GP with error code 0 at the MOV and leaves CR4 as it was: the guest never sees VMX.",
    source = "contract 7 and 13; SDM vol. 2 MOV CR (#GP on a reserved CR4 bit)",
    expect = { lines = vmxe_lines },
    points = 2,
  })

  local b = m.cr0
  cr_case(mode, {
    id = "cr.clts_lmsw_smsw_" .. mode,
    judges = { "cr.clts", "cr.lmsw", "cr.smsw" },
    behavior = "In " .. bits .. ", CLTS clears CR0.TS alone; LMSW from a register sets MP, EM and TS, LMSW of 0 from memory clears them but not PE, LMSW of 0xfff0 ignores bits 15:4; SMSW to memory and to a register gives CR0[15:0].",
    expect = {
      lines = {
        string.format("cr: clts mode=%s base=%s ts_set=%s after=%s", mode, hex(b), hex(b | CR0_TS), hex(b)),
        string.format("cr: lmsw mode=%s base=%s reg_mp_em_ts=%s mem_zero=%s reg_fff0=%s", mode, hex(b), hex(b | 0xe), hex(b), hex(b)),
        string.format("cr: smsw mode=%s cr0=%s mem=%s reg_low16=%s", mode, hex(b | 0xe), hex((b | 0xe) & 0xffff), hex((b | 0xe) & 0xffff)),
      },
    },
    points = 2,
  })
end

local gpr_values = {}
for i, r in ipairs(MODES["64"].gprs) do gpr_values[i] = string.format("%s=0x%x", r, i - 1) end

cr_case("64", {
  id = "cr.cr8_every_gpr",
  judges = { "cr.cr8", "cr.cr8.plain" },
  behavior = "Without a local APIC, CR8 reads 0 at first; MOV to CR8 of 0..15 from each of the 16 registers, then MOV from CR8 into the same register, reads the value written; a write with bit 4 set raises #GP with error code 0 at the MOV and leaves CR8 as it was.",
  source = "contract 13; SDM vol. 2 MOV CR (#GP on a reserved CR8 bit), vol. 3A 2.5 (CR8)",
  expect = {
    lines = {
      "cr: cr8 initial=0x0 " .. table.concat(gpr_values, " "),
      "cr: cr8 reserved fault=13 error=0x0 rip_offset=0 after=0x0",
    },
  },
  points = 2,
})

-- LMSW m16 with its operand at 5 GiB, past the probe's 4-GiB identity map.
cr_case("64", {
  id = "cr.lmsw_unmapped_operand",
  judges = { "cr.lmsw" },
  behavior = "LMSW whose memory operand lies at a linear address with no translation raises #PF with error code 0 (not present, read, supervisor), RIP at the LMSW, and leaves CR0 as it was.",
  source = "contract 13; SDM vol. 2 LMSW (#PF), vol. 3A 4.7",
  expect = { lines = { "cr: lmsw_unmapped vector=14 error=0x0 at_lmsw=1 cr0_same=1" } },
  points = 1,
})

-- Bochs 2.7 (bochs-amd) reads CR2 0 after the #PF the SVM layer injects for
-- it, with the VMCB's CR2 written (spec/events-design.md): judged elsewhere.
cr_case("64", {
  id = "cr.lmsw_unmapped_cr2",
  judges = { "cr.lmsw" },
  behavior = "After that #PF, CR2 holds the LMSW operand's linear address (0x140000000).",
  source = "contract 13; SDM vol. 3A 4.7 (CR2)",
  engines = { "bochs", "qemu", "qemu-kvm" },
  expect = { lines = { "cr: lmsw_unmapped cr2=0x140000000" } },
  points = 1,
})

-- LMSW m16 through 64-bit memory operands (cr_regs/lmsw_mem.c): only the
-- word the encoding names holds MP|TS (0xa); the words a wrong register
-- choice reaches (R8 for RAX, R12 for RSP, RBP for R13, RCX for R9, no
-- index for R12, a base where there is none, 64-bit instead of 32-bit
-- addressing) hold EM (0x4) or are not mapped. next=1: the guest went on
-- at the instruction after the LMSW.
local LMSW_MEM_FORMS = { "base_index_disp8", "base_index_disp32", "base_rsp", "base_r12", "base_r13_disp8",
                         "index_r9", "index_r12", "base_r8_index_r15", "no_base", "no_base_index_r10",
                         "modrm_disp32", "modrm_r10", "rip_relative", "addr32",
                         "modrm_disp8_neg", "modrm_rbp_disp8_min", "base_index_disp8_neg" }
local lmsw_mem_lines = {}
for i, f in ipairs(LMSW_MEM_FORMS) do
  lmsw_mem_lines[i] = string.format("cr: lmsw_mem form=%s loaded=%s next=1", f, hex(MODES["64"].cr0 | 0xa))
end
cr_case("64", {
  id = "cr.lmsw_mem_operands",
  judges = { "cr.lmsw" },
  behavior = "In 64-bit mode, LMSW m16 loads the word at the address its memory operand encodes and the guest goes on at the next instruction: SIB forms (base+index with disp8 and disp32, base RSP, base R12 (REX.B), base R13 with disp8, index R9 and R12 (REX.X), base R8 with index R15, no base [index*scale + disp32], also with index R10), base+disp32 and base R10 without SIB, RIP-relative, 32-bit addressing (67h: bit 32 of the registers drops out), and negative 8-bit displacements, which are sign-extended: [RAX-8] (disp8 F8h), [RBP-0x80] (80h, the most negative) and SIB [RAX+RCX*2-4] (the word 256 bytes higher, where an unsigned disp8 leads, holds EM). The word named holds MP|TS, every word another register choice reaches holds EM, so CR0 reads PG|ET|PE|MP|TS after each.",
  source = "contract 13; SDM vol. 2A 2.1.5 (Tables 2-2, 2-3), 2.2.1 (REX.X, REX.B, RIP-relative), vol. 2 LMSW",
  expect = { lines = lmsw_mem_lines },
  points = 1,
})

-- 0x7000 and 0x17000 differ only above bit 15 (cr_modes32, paging off).
cr_case("32", {
  id = "cr.lmsw_addr16",
  judges = { "cr.lmsw" },
  behavior = "In 32-bit mode, LMSW with 16-bit addressing (address-size prefix) and EBX = 0x17000 loads the word at 0x7000 (MP and TS), not the one at 0x17000 (EM): the offset is BX, 16 bits.",
  source = "contract 13; SDM vol. 2A 2.1.5 (Table 2-1), vol. 2 LMSW",
  expect = { lines = { string.format("cr: lmsw_addr16 mode=32 base=%s loaded=%s", hex(MODES["32"].cr0), hex(MODES["32"].cr0 | 0xa)) } },
  points = 1,
})

-- 67 0F 01 36 90 90: the displacement bytes are NOPs, so a wrong length
-- shows only in the word loaded (0 holds EM, 0x9090 MP and TS).
cr_case("32", {
  id = "cr.lmsw_disp16",
  judges = { "cr.lmsw" },
  behavior = "In 32-bit mode, LMSW with a 16-bit absolute operand (address-size prefix, ModRM mod 00 rm 110: [disp16] = 0x9090) loads the word at 0x9090 (MP and TS), not the one at 0 (EM), and the guest goes on at the next instruction.",
  source = "contract 13; SDM vol. 2A 2.1.5 (Table 2-1), vol. 2 LMSW",
  expect = { lines = { string.format("cr: lmsw_disp16 mode=32 base=%s loaded=%s next=1", hex(MODES["32"].cr0), hex(MODES["32"].cr0 | 0xa)) } },
  points = 1,
})

-- guest-probes/cr_modes32/lmsw_segments.c and lmsw_forms.S: SS and DS bases
-- 2 apart, so the segment the processor uses reaches the word holding MP|TS
-- (0xa), any other one the word 2 bytes lower, holding EM (0x4). ES, FS and
-- GS share the wrong base unless an ES prefix names ES. [EBX-8] and
-- [BX+SI-2]: a disp8 read unsigned reaches the word 256 bytes higher (EM).
local LMSW_SEGMENT_FORMS = {
  { "ebp_disp8", "ss" }, { "esp", "ss" }, { "esp_disp8", "ss" }, { "ebp_index", "ss" },
  { "ebx", "ds" }, { "ebx_disp8_neg", "ds" }, { "ebp_index_no_base", "ds" },
  { "bp_si", "ss" }, { "bp_disp8", "ss" }, { "bx_si", "ds" }, { "bx_si_disp8_neg", "ds" },
  { "bx_si_disp16", "ds" }, { "bp_disp16", "ss" },
  { "ds_ebp", "ds" }, { "ss_ebx", "ss" }, { "es_ebp", "es" }, { "es_ebx", "es" }, { "es_bp_disp8", "es" },
}
local lmsw_segment_lines = {}
for i, f in ipairs(LMSW_SEGMENT_FORMS) do
  lmsw_segment_lines[i] = string.format("cr: lmsw_seg form=%s seg=%s loaded=%s", f[1], f[2], hex(MODES["32"].cr0 | 0xa))
end
cr_case("32", {
  id = "cr.lmsw_stack_segment32",
  judges = { "cr.lmsw", "arch.as-processor" },
  behavior = "In 32-bit protected mode, with SS and DS bases 2 apart, LMSW m16 loads the word its operand names through the segment the processor uses: SS for an EBP or ESP base ([EBP+disp8], [ESP], [ESP+disp8], SIB base EBP with index) and, with 67, for [BP+SI], [BP+disp8] and [BP+disp16]; DS for [EBX], for [BX+SI+disp16], for [EBX-8] and [BX+SI-2] (disp8 F8h and FEh are sign-extended, in 16-bit addressing too; the word 256 bytes higher holds EM), for a SIB without base with EBP as index and for [BX+SI]; an explicit DS (3E) prefix on [EBP], SS (36) on [EBX] and ES (26) on [EBP], on [EBX] and on 16-bit [BP+disp8] wins. That word holds MP|TS, the one the other segment reaches holds EM, so CR0 reads ET|PE|MP|TS (" .. hex(MODES["32"].cr0 | 0xa) .. ") after each; " .. hex(MODES["32"].cr0 | 0x4) .. " (ET|PE|EM) means LMSW read its word through the wrong segment or took a negative disp8 as unsigned.",
  source = "contract 13; SDM vol. 1 3.7.4, vol. 2A 2.1.5 (Tables 2-1, 2-2, 2-3 and their notes), vol. 2 LMSW",
  expect = { lines = lmsw_segment_lines },
  points = 1,
})

cr_case("64", {
  id = "cr.cr8_is_tpr",
  judges = { "cr.cr8.tpr", "cr.cr8", "irq.reg.tpr" },
  behavior = "With apic=x2apic, MOV to CR8 of 5 makes the TPR read 0x50 and CR8 read 5; a WRMSR of 0x9C to the TPR makes CR8 read 9; CR8 := 0 clears the TPR.",
  source = "contract 11 and 13; SDM vol. 3A 11.8.6.1",
  hv_cmdline = "apic=x2apic",
  cmdline = "apic=1",
  expect = { lines = { "cr: cr8_tpr cr8_write=0x5 cr8_read=0x5 tpr=0x50 tpr_write=0x9c cr8=0x9 tpr_after_zero=0x0" } },
  points = 2,
})

cr_case("32", {
  id = "cr.pae_cr3_switch",
  judges = { "cr.mov.effect" },
  behavior = "In 32-bit mode with PAE paging, turned on by a MOV to CR0 that also sets CD, one address reads the frame of the PDPT CR3 points to: MOV to CR3 between two PDPTs that map it to different frames switches what it reads at once, and back.",
  source = "contract 13; SDM vol. 3A 4.4.1 (PDPTEs loaded by MOV to CR3 and to CR0)",
  expect = { lines = { "cr: pae_cr3 pdpt_a=0xaaaa pdpt_b=0xbbbb pdpt_a_again=0xaaaa" } },
  points = 2,
})

-- The CR4 bits of features CPUID announces (contract 13, cr.cr4-features):
-- the probe prints, per feature, whether the guest's own CPUID announces it
-- (announced, and its complement not_announced) and what setting the bit
-- did. Which features a hypervisor passes on is not judged here: each line
-- must show the bit accepted and read back exactly where announced=1
-- (accepted, bit_reads = announced) and #GP(0) at the MOV exactly where
-- announced=0 (gp0_at_mov = not_announced), the other bits unchanged and
-- CR4 restored either way. SDM vol. 3A 2.5 (Figure 2-7) bit numbers.
local CR4_FEATURES = {
  { "umip", 11 }, { "fsgsbase", 16 }, { "pcide", 17 }, { "osxsave", 18 },
  { "smep", 20 }, { "smap", 21 }, { "pke", 22 },
}
local feature_lines = {}
for i, f in ipairs(CR4_FEATURES) do
  feature_lines[i] = string.format("^cr: cr4_feature name=%s bit=%d announced=([01]) not_announced=([01]) accepted=%%1 gp0_at_mov=%%2 bit_reads=%%1 other_bits_same=1 restored=1 ", f[1], f[2])
end
local FEATURE_SRC = "contract 13; SDM vol. 3A 2.5 (CR4), vol. 2 MOV CR (#GP on a reserved bit), vol. 2A CPUID leaves 1 and 7; AMD APM vol. 2 3.1.3"
local FEATURE_BEHAVIOR = "In 64-bit mode, for each CR4 bit that enables a feature CPUID reports (UMIP 11, FSGSBASE 16, PCIDE 17, OSXSAVE 18, SMEP 20, SMAP 21, PKE 22): when the guest's own CPUID (leaf 7 subleaf 0, or leaf 1) announces the feature (announced=1), MOV to CR4 setting the bit succeeds and CR4 reads it back set (accepted=1 bit_reads=1); when it does not (announced=0), the bit is reserved: the MOV raises #GP with error code 0, RIP at the MOV (gp0_at_mov=1), and CR4 keeps its value (bit_reads=0). Other CR4 bits never change and clearing the bit restores CR4."

cr_case("64", {
  id = "cr.cr4_feature_bits",
  judges = { "cr.cr4-features", "cr.refused" },
  behavior = FEATURE_BEHAVIOR .. " (The engine's default processor.)",
  source = FEATURE_SRC,
  expect = { ordered = feature_lines },
  points = 1,
})

cr_case("64", {
  id = "cr.cr4_feature_bits_announced",
  judges = { "cr.cr4-features", "cr.read-back" },
  behavior = FEATURE_BEHAVIOR .. " (A processor with FSGSBASE, SMEP, SMAP, UMIP and PKU, cpu profile cr4-features; the hypervisor may still hide any of them from its guest.)",
  source = FEATURE_SRC,
  cpu = "cr4-features",
  expect = { ordered = feature_lines },
  points = 2,
})
