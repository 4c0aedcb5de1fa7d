-- MMIO emulation (contract section 9): every instruction form the contract
-- lists against the register test device (Jailhouse's mmio-access inmate is
-- the model), every width at every offset, the register rules, the doorbell
-- print device (KeV's mmio_print) and the forms that must end the VM.
-- Probes: guest-probes/mmio_access (encodings.S holds the forms),
-- mmio_doorbell, mmio_bad. Expected values are computed below from the
-- contract's register definitions and the instruction set (SDM vol. 1
-- section 3.4.1.1: 8/16-bit register writes keep the other bits, 32-bit ones
-- clear bits 63:32; vol. 2 MOV, MOVZX, MOVSX), never taken from a run.
area { name = "mmio", doc = "MMIO emulation: the MOV forms of contract section 9 against the register test device, register widths and offsets, the doorbell device, undecodable instructions." }

-- The contract statements (spec/contract.md ids) that each case made by a
-- helper or loop below judges; cases written out in full name theirs inline.
local JUDGES = {
  ["mmio.absolute_disp32"] = { "mmio.addressing", "mmio.prefixes" },
  ["mmio.addr16_forms"] = { "mmio.addressing", "mmio.prefixes", "mmio.mov" },
  ["mmio.code16_forms"] = { "mmio.mov", "mmio.mov-imm", "mmio.moffs", "mmio.movzx-movsx", "mmio.prefixes", "mmio.addressing", "mmio.rip", "map.rom" },
  ["mmio.counters"] = { "dev.testdev.reads", "dev.testdev.writes" },
  ["mmio.counters_at_start"] = { "dev.testdev.reads", "dev.testdev.writes" },
  ["mmio.compat_ds_base"] = { "mmio.addressing", "mmio.mov", "dev.operand-in-one-window", "arch.as-processor" },
  ["mmio.doorbell_cross_page"] = { "dev.doorbell.ring" },
  ["mmio.doorbell_empty"] = { "dev.doorbell.ring", "dev.doorbell.status" },
  ["mmio.doorbell_hello"] = { "dev.doorbell.buffer-length", "dev.doorbell.ring", "dev.doorbell.status", "map.doorbell" },
  ["mmio.doorbell_max_length"] = { "dev.doorbell.ring", "dev.doorbell.e2big" },
  ["mmio.doorbell_outside_ram"] = { "dev.doorbell.efault" },
  ["mmio.doorbell_readonly_registers"] = { "dev.doorbell.status", "dev.doorbell.ring" },
  ["mmio.doorbell_register_halves"] = { "dev.doorbell.buffer-length", "dev.register-bytes" },
  ["mmio.doorbell_too_long"] = { "dev.doorbell.e2big" },
  ["mmio.id_widths_offsets"] = { "dev.register-bytes", "dev.testdev.id", "map.testdev" },
  ["mmio.insn_across_pages"] = { "mmio.fetch" },
  ["mmio.load_8a"] = { "mmio.mov", "arch.as-processor" },
  ["mmio.load_8b"] = { "mmio.mov", "arch.as-processor" },
  ["mmio.load_moffs"] = { "mmio.moffs", "mmio.prefixes" },
  ["mmio.modrm_displacement"] = { "mmio.addressing", "mmio.rip" },
  ["mmio.movsx"] = { "mmio.movzx-movsx", "arch.as-processor" },
  ["mmio.movzx"] = { "mmio.movzx-movsx", "arch.as-processor" },
  ["mmio.operand_prefix32"] = { "mmio.prefixes", "mmio.mov", "mmio.mov-imm", "mmio.moffs", "mmio.movzx-movsx", "mmio.rip" },
  ["mmio.prefix_rules"] = { "mmio.prefixes" },
  ["mmio.register_rules"] = { "dev.testdev.id", "dev.register-bytes", "dev.unlisted" },
  ["mmio.rip_relative"] = { "mmio.addressing", "mmio.rip" },
  ["mmio.scratch_widths_offsets"] = { "dev.register-bytes", "dev.testdev.scratch" },
  ["mmio.segment_overrides"] = { "mmio.prefixes", "msr.fs-base", "msr.gs-base" },
  ["mmio.sib_forms"] = { "mmio.addressing" },
  ["mmio.stack_segment32"] = { "mmio.addressing", "mmio.prefixes", "dev.operand-in-one-window", "arch.as-processor" },
  ["mmio.stack_bases"] = { "mmio.addressing" },
  ["mmio.store_88"] = { "mmio.mov", "mmio.prefixes" },
  ["mmio.store_89"] = { "mmio.mov", "mmio.prefixes" },
  ["mmio.store_immediate"] = { "mmio.mov-imm", "arch.as-processor" },
  ["mmio.store_moffs"] = { "mmio.moffs", "mmio.prefixes" },
  ["mmio.undecodable_add_store"] = { "mmio.undecodable", "end.mmio-undecodable" },
  ["mmio.undecodable_cmp_load"] = { "mmio.undecodable", "end.mmio-undecodable" },
  ["mmio.undecodable_lock_add"] = { "mmio.undecodable", "end.mmio-undecodable" },
  ["mmio.undecodable_mov_sreg"] = { "mmio.undecodable", "end.mmio-undecodable" },
  ["mmio.undecodable_movs"] = { "mmio.undecodable", "end.mmio-undecodable" },
  ["mmio.undecodable_xchg"] = { "mmio.undecodable", "end.mmio-undecodable" },
}

local function hex(v) return string.format("0x%x", v) end
-- Bytes 0..w-1 set (w = 8: all 64 bits).
local function mask(w) return w >= 8 and -1 or (1 << (8 * w)) - 1 end
-- A register write of width w into old, keeping bits above w.
local function merge(old, new, w) return (old & ~mask(w)) | (new & mask(w)) end
-- v's low w bytes, sign-extended to 64 bits.
local function sext(v, w)
  local sign = 1 << (8 * w - 1)
  return ((v & mask(w)) ~ sign) - sign
end
local function byte(v, i) return (v >> (8 * i)) & 0xff end

-- The probe's constants (guest-probes/mmio_access/main.c).
local STORE_BACKGROUND = 0xa5a5a5a5a5a5a5a5 -- SCRATCH before a store form
local STORE_VALUE = 0x0123456789abcdef      -- the register a store form writes
local LOAD_SCRATCH = 0xf1e2d3c4b5a69788     -- SCRATCH before a load form (hex numerals wrap in Lua 5.4)
local LOAD_PRESET = 0x5a5a5a5a5a5a5a5a      -- the destination register before a load form
local SWEEP_VALUE = 0xa1a2a3a4a5a6a7a8      -- what the SCRATCH sweep stores
local ID = 0x1122334455667788               -- contract 9
local SCRATCH_GPA = 0xcafe1008
assert(hex(LOAD_SCRATCH) == "0xf1e2d3c4b5a69788" and hex(SWEEP_VALUE) == "0xa1a2a3a4a5a6a7a8")

local function form_line(name, value, base)
  local kind = name:sub(1, 2) == "st" and "scratch" or "value"
  local line = "mmio_access: form=" .. name .. " " .. kind .. "=" .. hex(value)
  if base then line = line .. " base=" .. hex(base) end
  return line
end

-- Store forms: SCRATCH = STORE_BACKGROUND, then the store.
local function stored(w, v) return merge(STORE_BACKGROUND, v, w) end
local S, P = LOAD_SCRATCH, LOAD_PRESET

local function access_case(name, behavior, lines, points, source)
  case {
    id = "mmio." .. name,
    judges = JUDGES["mmio." .. name],
    behavior = behavior,
    source = source or "anchor: Jailhouse mmio-access inmate; contract 9",
    probe = "mmio_access",
    expect = {
      lines = lines,
      ordered = { "^mmio_access: done$" },
      forbid = { "^runtime: error", "^exception:" },
      report = "halted code=0x0",
    },
    points = points,
  }
end

access_case("counters_at_start",
  "The test device's READS and WRITES read 0 before any other access of the VM (READS counts reads completed before itself).",
  { "mmio_access: counters_at_start reads=0 writes=0" }, 1, "contract 9")

access_case("store_88",
  "MOV r/m8, r8 (88) stores the byte register: CL, AH (no REX), SIL (REX 40, not DH), R10B (REX.R, not DL).",
  { form_line("st_88_cl", stored(1, STORE_VALUE)),
    form_line("st_88_ah", stored(1, STORE_VALUE >> 8)),
    form_line("st_40_88_sil", stored(1, STORE_VALUE)),
    form_line("st_44_88_r10b", stored(1, STORE_VALUE)) }, 2)

access_case("store_89",
  "MOV r/m, r (89) stores 2 bytes with 66, 4 without, 8 with REX.W, from R9 with REX.R and through R14 with REX.B.",
  { form_line("st_66_89_cx", stored(2, STORE_VALUE)),
    form_line("st_89_ecx", stored(4, STORE_VALUE)),
    form_line("st_48_89_rcx", stored(8, STORE_VALUE)),
    form_line("st_4c_89_r9", stored(8, STORE_VALUE)),
    form_line("st_4d_89_r15_r14", stored(8, STORE_VALUE), SCRATCH_GPA) }, 2)

access_case("store_immediate",
  "MOV r/m, imm (C6 /0, C7 /0) stores imm8, imm16 (66, also through R8), imm32, and with REX.W the imm32 sign-extended to 64 bits.",
  { form_line("st_c6_imm8", stored(1, 0x5a)),
    form_line("st_66_c7_imm16", stored(2, 0x1234)),
    form_line("st_66_41_c7_imm16_r8", stored(2, 0x1234), SCRATCH_GPA),
    form_line("st_c7_imm32", stored(4, 0x87654321)),
    form_line("st_48_c7_imm32_neg", sext(0x87654321, 4)),
    form_line("st_48_c7_imm32_pos", 0x12345678) }, 2)

access_case("store_moffs",
  "MOV moffs, AL/AX/EAX/RAX (A2, A3 with 66 or REX.W) stores to a 64-bit absolute address, and with 67 to a 32-bit one.",
  { form_line("st_a2_al", stored(1, STORE_VALUE)),
    form_line("st_66_a3_ax", stored(2, STORE_VALUE)),
    form_line("st_a3_eax", stored(4, STORE_VALUE)),
    form_line("st_48_a3_rax", stored(8, STORE_VALUE)),
    form_line("st_67_a3_eax", stored(4, STORE_VALUE)) }, 2)

access_case("load_8a",
  "MOV r8, r/m8 (8A) writes only the byte register: CL, AH (bits 15:8), DIL with REX 40 (not BH) and R11B with REX.R (not BL); the base register RBX is left alone.",
  { form_line("ld_8a_cl", merge(P, S, 1)),
    form_line("ld_8a_ah", (P & ~0xff00) | ((S & 0xff) << 8), SCRATCH_GPA),
    form_line("ld_40_8a_dil", merge(P, S, 1), SCRATCH_GPA),
    form_line("ld_44_8a_r11b", merge(P, S, 1), SCRATCH_GPA) }, 2)

access_case("load_8b",
  "MOV r, r/m (8B): a 16-bit load keeps bits 63:16, a 32-bit load clears bits 63:32, REX.W loads 64 bits; REX.R selects R12/R13D.",
  { form_line("ld_66_8b_cx", merge(P, S, 2)),
    form_line("ld_8b_ecx", S & mask(4)),
    form_line("ld_48_8b_rcx", S),
    form_line("ld_4c_8b_r12", S),
    form_line("ld_44_8b_r13d", S & mask(4)) }, 2)

access_case("movzx",
  "MOVZX (0F B6, 0F B7) zero-extends a byte or word into a 16-, 32- or 64-bit register (16-bit keeps bits 63:16).",
  { form_line("ld_0f_b6_movzbl", S & 0xff),
    form_line("ld_66_0f_b6_movzbw", merge(P, S & 0xff, 2)),
    form_line("ld_48_0f_b6_movzbq", S & 0xff),
    form_line("ld_0f_b7_movzwl", S & 0xffff),
    form_line("ld_48_0f_b7_movzwq", S & 0xffff) }, 2)

access_case("movsx",
  "MOVSX (0F BE, 0F BF) sign-extends a byte or word into a 16-, 32- or 64-bit register, also with REX.RXB and a scaled index.",
  { form_line("ld_0f_be_movsbl", sext(S, 1) & mask(4)),
    form_line("ld_66_0f_be_movsbw", merge(P, sext(S, 1), 2)),
    form_line("ld_48_0f_be_movsbq", sext(S, 1)),
    form_line("ld_0f_bf_movswl", sext(S, 2) & mask(4)),
    form_line("ld_48_0f_bf_movswq", sext(S, 2)),
    form_line("ld_4f_0f_bf_movswq_sib", sext(S, 2), SCRATCH_GPA) }, 2)

access_case("load_moffs",
  "MOV AL/AX/EAX/RAX, moffs (A0, A1 with 66 or REX.W) loads from a 64-bit absolute address, and with 67 from a 32-bit one.",
  { form_line("ld_a0_al", merge(P, S, 1)),
    form_line("ld_66_a1_ax", merge(P, S, 2)),
    form_line("ld_a1_eax", S & mask(4)),
    form_line("ld_48_a1_rax", S),
    form_line("ld_67_a0_al", merge(P, S, 1)) }, 2)

access_case("modrm_displacement",
  "Base-plus-displacement operands work with disp8, negative disp8 and disp32.",
  { form_line("am_disp8", S, SCRATCH_GPA),
    form_line("am_disp8_negative", S, SCRATCH_GPA),
    form_line("am_disp32", S, SCRATCH_GPA) }, 1)

access_case("sib_forms",
  "SIB operands work: index scaled by 8 and by 2 with disp8, index without base, REX.B/REX.X (R8 + R9*2), and the R12 (SIB) and R13 (disp8) bases.",
  { form_line("am_sib_scale8", S, SCRATCH_GPA),
    form_line("am_sib_scale2_disp8", S, SCRATCH_GPA),
    form_line("am_sib_no_base", S, SCRATCH_GPA),
    form_line("am_rex_b_x", S, SCRATCH_GPA),
    form_line("am_r12_base", S, SCRATCH_GPA),
    form_line("am_r13_base", S, SCRATCH_GPA) }, 2)

access_case("absolute_disp32",
  "An absolute disp32 operand (SIB without base and index) works both sign-extended to 64 bits and, with 67, as a 32-bit address.",
  { form_line("am_abs_disp32", S), form_line("am_67_abs_disp32", S) }, 1)

access_case("stack_bases",
  "RBP and RSP bases (stack segment by default) address the device like any other base.",
  { form_line("am_rbp_base", S, SCRATCH_GPA), form_line("am_rsp_base", S, SCRATCH_GPA) }, 1)

access_case("rip_relative",
  "RIP-relative operands reach the device, for a load and for a store whose immediate follows the displacement.",
  { form_line("am_rip_relative", S), form_line("st_c7_rip_imm32", stored(4, 0x87654321)) }, 2)

access_case("segment_overrides",
  "FS and GS overrides add the base set with WRMSR (FS_BASE/GS_BASE) to the offset; an ES override is ignored in 64-bit mode.",
  { form_line("am_fs_override", S), form_line("am_fs_base_reg", S),
    form_line("st_65_gs_rsi", stored(8, STORE_VALUE)),
    form_line("am_es_override", S, SCRATCH_GPA) }, 2, "contract 8 and 9")

access_case("prefix_rules",
  "REP is ignored; REX.W wins over 66; a REX that does not immediately precede the opcode is ignored (48 66 8B is a 16-bit load).",
  { form_line("am_rep_prefix", S, SCRATCH_GPA),
    form_line("am_66_rex_w", S, SCRATCH_GPA),
    form_line("am_rex_before_66", merge(P, S, 2), SCRATCH_GPA) }, 1, "contract 9; SDM vol. 2 2.2.1")

-- The two 32-bit form probes (addr16_modes32, stackseg_modes32): form i
-- (from 1) loads the preset 0x5ca10000 + i - 1 from SCRATCH and stores
-- 0x600d0000 + i - 1; `line` writes one form's line, `done` ends the list.
local function preset_form_lines(forms, line, done)
  local lines = {}
  for i, f in ipairs(forms) do
    lines[i] = line(f, hex(0x5ca10000 + i - 1), hex(0x600d0000 + i - 1))
  end
  lines[#lines + 1] = done
  return lines
end

local function forms32_case(id, probe, behavior, source, lines)
  case {
    id = id,
    judges = JUDGES[id],
    behavior = behavior,
    source = source,
    probe = probe,
    expect = {
      ordered = lines,
      forbid = { "^exception:", "^runtime: error" },
      report = "halted code=0x0",
    },
    points = 2,
  }
end

-- guest-probes/addr16_modes32 (forms16.S): in 32-bit code with the 67
-- prefix, each form of SDM vol. 2A Table 2-1 addresses FS:2 = SCRATCH (FS
-- base 0xcafe1006), its registers' upper halves set and some sums past
-- 0xffff; form i loads the preset LOAD_BASE + i and stores STORE_BASE + i.
-- In [BX+SI], [BX+DI], [BP+SI] and [BP+DI] the registers the form does not
-- use give offset 0 in place of its base or index: a decoder that takes the
-- wrong register starts the operand 2 bytes early, across the ID/SCRATCH
-- edge. The reference emulates at the fault's address and uses the decoded
-- one only for that check, so a far-off wrong address would go unseen.
local ADDR16_FORMS = { "bx_si", "bx_di", "bp_si", "bp_di", "si", "di", "disp16", "bx",
  "bx_si_disp8", "si_disp8", "bp_disp8", "bp_di_disp16", "di_disp16", "bp_disp16", "bx_disp16" }
forms32_case("mmio.addr16_forms", "addr16_modes32",
  "In 32-bit mode with the address-size prefix 67, a 4-byte MOV load and store through each 16-bit addressing form ([BX+SI], [BX+DI], [BP+SI], [BP+DI], [SI], [DI], [disp16], [BX], and with disp8/disp16) reaches SCRATCH at FS:2: the offset is computed in 16 bits (upper register halves ignored, sums wrap at 64 KiB), mod 00 rm 110 is [disp16] without BP; the load returns SCRATCH and the store lands in it.",
  "contract 9; SDM vol. 2A 2.1.5 (Table 2-1), vol. 1 3.7.5",
  preset_form_lines(ADDR16_FORMS, function(name, load, store)
    return string.format("addr16: mmio form=%s load=%s store=%s", name, load, store)
  end, "addr16: done"))

-- guest-probes/stackseg_modes32 (forms.S): in 32-bit code, paging off, SS
-- and DS bases 2 apart for each form, so only the segment the processor
-- uses (SDM vol. 1 3.7.4; vol. 2A Tables 2-1 to 2-3 and their notes) puts
-- the operand on SCRATCH; the other one starts it 2 bytes early, across the
-- ID/SCRATCH edge (a hypervisor that decodes the segment wrongly then ends
-- the VM with 'access crosses window end' or reads other bytes). Form i
-- loads the preset LOAD_BASE + i and stores STORE_BASE + i.
local STACKSEG_FORMS = {
  { "ebp_disp8", "ss" }, { "ebp_disp32", "ss" }, { "esp_disp8", "ss" }, { "esp_index", "ss" },
  { "ebp_index", "ss" }, { "ebp_index_no_base", "ds" }, { "disp32", "ds" }, { "esi_base_ebp_index", "ds" },
  { "ebx", "ds" }, { "ebx_disp8", "ds" }, { "ebx_esi2_disp8", "ds" }, { "esi_ebx4_disp8", "ds" }, { "esi_edi2", "ds" }, { "ds_ebp_disp8", "ds" }, { "ss_ebx_disp8", "ss" }, { "es_ebx_disp8", "es" },
  { "bp_si", "ss" }, { "bp_di", "ss" }, { "bp_disp8", "ss" }, { "bp_disp16", "ss" },
  { "bx_si", "ds" }, { "disp16", "ds" }, { "ds_bp_disp8", "ds" } }
forms32_case("mmio.stack_segment32", "stackseg_modes32",
  "In 32-bit protected mode, with SS and DS bases 2 apart, a 4-byte MOV load and store reach SCRATCH through the segment the processor uses: SS for an EBP or ESP base ([EBP+disp8], [EBP+disp32], SIB base ESP with and without index, SIB base EBP with index) and, with 67, for [BP+SI], [BP+DI], [BP+disp8], [BP+disp16]; DS for other bases ([EBX], [EBX+disp8]), for a SIB without base even with EBP as index, for [disp32], [ESI+EBP], [EBX+ESI*2+disp8], [ESI+EBX*4+disp8], [ESI+EDI*2], [BX+SI] and [disp16] (the registers a form does not use are set so that a wrong base, index or scale also starts the operand early); an explicit DS (3E), SS (36) or ES (26) prefix wins. The load returns SCRATCH, the store lands in it, and the VM does not end (the other segment would start the operand 2 bytes early, across the ID/SCRATCH edge).",
  "contract 9; SDM vol. 1 3.7.4, vol. 2A 2.1.5 (Tables 2-1, 2-2, 2-3 and their notes)",
  preset_form_lines(STACKSEG_FORMS, function(f, load, store)
    return string.format("stackseg: form=%s seg=%s load=%s store=%s", f[1], f[2], load, store)
  end, "stackseg: done"))

-- guest-probes/code16_modes32 (forms16.S): MMIO from a 16-bit code segment
-- (CS.D = 0) in protected mode, paging off: 16-bit operands and addresses by
-- default, 32-bit ones with 66/67 (SDM vol. 1 3.6, vol. 2A 2.1.5 Table 2-1).
-- DS = a 64-KiB window based at the test device (SCRATCH at 8, the ROM at
-- 0x1000); FS:0x0b0f0008 = SCRATCH for the 32-bit-address forms. The probe
-- presets SCRATCH (loads: CODE16_LOAD_SCRATCH, stores: CODE16_BACKGROUND),
-- EAX (CODE16_LOAD_EAX / CODE16_STORE_EAX) and ECX (CODE16_STORE_ECX, what
-- 89/88 store); the instruction after each access sets EDX to
-- CODE16_NEXT_MARK, and the registers a form does not write must keep
-- their presets. The last bytes of a 32-bit immediate, displacement or
-- moffs are 0F 0B (UD2): RIP advanced by a 16-bit field's length runs them.
local CODE16_LOAD_SCRATCH = 0xf1e2d3c4b5a69788
local CODE16_BACKGROUND = 0xa5a5a5a5a5a5a5a5
local CODE16_LOAD_EAX = 0x5a5a5a5a
local CODE16_STORE_EAX = 0x0b0f2468
local CODE16_STORE_ECX = 0x13579bdf
local CODE16_NEXT_MARK = 0x600dc0de
local CODE16_IMM16, CODE16_IMM32 = 0x1234, 0x0b0f5678
local ROM_BYTES_20 = 0x23222120   -- ROM bytes 0x20..0x23 (contract 9: byte i holds i)
local ROM_SIGNATURE4 = 0x70737668 -- "hvsp", the ROM's first 4 bytes
local ROM_WORD_10 = 0x1110        -- ROM bytes 0x10, 0x11
local ROM_BYTE_90 = 0x90
local function eax32(v) return v & 0xffffffff end
-- A 16-bit load into AX keeps EAX's bits 31:16 (vol. 1 3.4.1.1).
local function load16(v) return eax32(merge(CODE16_LOAD_EAX, v, 2)) end
local S16 = load16(CODE16_LOAD_SCRATCH)
local S32 = eax32(CODE16_LOAD_SCRATCH)
local SB = byte(CODE16_LOAD_SCRATCH, 0)
local CODE16_LOADS = {
  { "ld_8b_bx_si_disp8", S16 }, { "ld_8b_bx_disp16", S16 }, { "ld_66_8b_bx", S32 },
  { "ld_67_8b_ebx_disp32", S16 }, { "ld_66_67_8b_ebx_disp32", S32 },
  { "ld_a1_moffs16", S16 }, { "ld_66_a1_moffs16", S32 },
  { "ld_67_a1_moffs32", S16 }, { "ld_66_67_a1_moffs32", S32 },
  { "ld_8a_ah_bx_disp8", (CODE16_LOAD_EAX & ~0xff00) | (SB << 8) },
  { "ld_3e_8a_ah_bx_disp8", (CODE16_LOAD_EAX & ~0xff00) | (SB << 8) },
  { "movzx_b6_ax", load16(SB) }, { "movsx_be_ax", load16(sext(SB, 1)) },
  { "movzx_b7_ax", S16 }, { "movsx_bf_ax", S16 },
  { "movsx_66_be_eax", eax32(sext(SB, 1)) },
  { "movzx_66_b7_eax", S32 & 0xffff },
  { "movsx_66_bf_eax", eax32(sext(CODE16_LOAD_SCRATCH, 2)) },
  { "movsx_67_be_ax", load16(sext(SB, 1)) },
  { "rom_8b_disp16", load16(ROM_WORD_10) }, { "rom_66_8b_disp16", ROM_SIGNATURE4 },
  { "rom_movsx_be_ax", load16(sext(ROM_BYTE_90, 1)) },
}
-- Stores: SCRATCH after the store, from the background.
local function st(v, w) return merge(CODE16_BACKGROUND, v, w) end
local CODE16_STORES = {
  { "st_89_bx_di_disp8", st(CODE16_STORE_ECX, 2) }, { "st_66_89_bx", st(CODE16_STORE_ECX, 4) },
  { "st_67_89_ebx_disp32", st(CODE16_STORE_ECX, 2) }, { "st_66_67_89_ebx_disp32", st(CODE16_STORE_ECX, 4) },
  { "st_88_ch", st(CODE16_STORE_ECX >> 8, 1) }, { "st_3e_88_ch", st(CODE16_STORE_ECX >> 8, 1) },
  { "st_c7_imm16", st(CODE16_IMM16, 2) }, { "st_66_c7_imm32", st(CODE16_IMM32, 4) },
  { "st_c7_disp16_imm16", st(CODE16_IMM16, 2) },
  { "st_67_c7_disp32_imm16", st(CODE16_IMM16, 2) }, { "st_66_67_c7_disp32_imm32", st(CODE16_IMM32, 4) },
  { "st_a3_moffs16", st(CODE16_STORE_EAX, 2) }, { "st_66_a3_moffs16", st(CODE16_STORE_EAX, 4) },
  { "st_67_a3_moffs32", st(CODE16_STORE_EAX, 2) }, { "st_66_67_a3_moffs32", st(CODE16_STORE_EAX, 4) },
  { "rom_st_66_c7_imm32", CODE16_BACKGROUND },
}
local function code16_line(name, eax, scratch)
  return string.format("code16: form=%s eax=0x%x scratch=0x%016x next=0x%x others=kept",
    name, eax, scratch, CODE16_NEXT_MARK)
end
local code16_lines = {}
for _, f in ipairs(CODE16_LOADS) do code16_lines[#code16_lines + 1] = code16_line(f[1], f[2], CODE16_LOAD_SCRATCH) end
for _, f in ipairs(CODE16_STORES) do code16_lines[#code16_lines + 1] = code16_line(f[1], CODE16_STORE_EAX, f[2]) end
code16_lines[#code16_lines + 1] = "code16: rom offset=0x20 value=" .. hex(ROM_BYTES_20)
code16_lines[#code16_lines + 1] = "code16: done"
forms32_case("mmio.code16_forms", "code16_modes32",
  "From a 16-bit code segment (protected mode, CS.D = 0), MMIO MOVs use 16-bit operands and addresses by default and 32-bit ones with 66/67: 8B loads AX (EAX's upper half kept) and with 66 EAX, through [BX+SI+disp8], [BX+disp16] (wrapping at 64 KiB), [BX] and with 67 [EBX+disp32]; A1/A3 take a 2-byte moffs, with 67 a 4-byte one; 8A loads AH (also after a DS prefix 3E); MOVZX/MOVSX 0F B6/B7/BE/BF extend into AX (EAX's upper half kept) or with 66 into EAX; 89 and 88 store CX, ECX with 66, CH (also after 3E); C7 /0 stores an imm16, with 66 an imm32; a store to the ROM is dropped and the guest goes on. SCRATCH (read back from 32-bit code) holds exactly the stored bytes, RIP lands on the next instruction (which runs: EDX = 0x600dc0de), and no other register changes.",
  "contract 9; SDM vol. 1 3.6 (Table 3-3: CS.D, 66, 67), 3.4.1.1; vol. 2A 2.1.5 (Table 2-1), MOV, MOVZX, MOVSX",
  code16_lines)

-- The same probe's code32_* forms: from a 32-bit code segment with the same
-- base (CS.D = 1), 66 selects 16-bit operands and a 2-byte C7 immediate.
local code32_lines = {}
for _, f in ipairs({
  { "code32_ld_66_8b_ebx", S16, CODE16_LOAD_SCRATCH }, { "code32_ld_66_a1_moffs32", S16, CODE16_LOAD_SCRATCH },
  { "code32_movzx_66_b6_ebx", load16(SB), CODE16_LOAD_SCRATCH },
  { "code32_movsx_66_be_ebx", load16(sext(SB, 1)), CODE16_LOAD_SCRATCH },
  { "code32_st_66_89_ebx", CODE16_STORE_EAX, st(CODE16_STORE_ECX, 2) },
  { "code32_st_66_c7_ebx_imm16", CODE16_STORE_EAX, st(CODE16_IMM16, 2) },
  { "code32_st_66_a3_moffs32", CODE16_STORE_EAX, st(CODE16_STORE_EAX, 2) },
}) do
  code32_lines[#code32_lines + 1] = code16_line(f[1], f[2], f[3])
end
code32_lines[#code32_lines + 1] = "code16: done"
forms32_case("mmio.operand_prefix32", "code16_modes32",
  "From a 32-bit code segment (protected mode, CS.D = 1), the operand-size prefix 66 makes MMIO MOVs 16 bits wide: 66 8B and 66 A1 load AX (EAX's upper half kept), 66 0F B6/BE extend a byte into AX, 66 89 and 66 A3 store AX/CX (2 bytes of SCRATCH), 66 C7 /0 stores an imm16 and RIP lands after it (EDX = 0x600dc0de set by the next instruction); no other register changes.",
  "contract 9; SDM vol. 1 3.6 (Table 3-3), 3.4.1.1; vol. 2A MOV, MOVZX, MOVSX",
  code32_lines)

-- Width w at offset o of a register r sees bytes o .. o+w-1 of r; bytes past
-- the register read 0 (contract 9).
local function reg_read(r, w, o)
  local v = 0
  for i = 0, w - 1 do
    if o + i < 8 then v = v | (byte(r, o + i) << (8 * i)) end
  end
  return v
end
-- A store of width w at offset o into a register holding 0.
local function reg_write(v, w, o)
  local r = 0
  for i = 0, w - 1 do
    if o + i < 8 then r = r | (byte(v, i) << (8 * (o + i))) end
  end
  return r
end

local id_lines, scratch_lines = {}, {}
for _, w in ipairs({ 1, 2, 4, 8 }) do
  for o = 0, 7 do
    id_lines[#id_lines + 1] = string.format("mmio_access: id width=%d offset=%d value=%s", w, o, hex(reg_read(ID, w, o)))
    scratch_lines[#scratch_lines + 1] = string.format("mmio_access: scratch width=%d offset=%d value=%s", w, o, hex(reg_write(SWEEP_VALUE, w, o)))
  end
end
access_case("id_widths_offsets",
  "Reads of 1, 2, 4 and 8 bytes at each offset 0-7 of ID (0x1122334455667788) see the bytes from that offset on, and 0 past the register.",
  id_lines, 3, "contract 9")
access_case("scratch_widths_offsets",
  "Stores of 1, 2, 4 and 8 bytes at each offset 0-7 of SCRATCH change exactly those bytes; bytes past the register are dropped.",
  scratch_lines, 2, "contract 9")

access_case("register_rules",
  "ID ignores stores; an 8-byte store at ID+4 does not spill into SCRATCH; unlisted offsets read 0 after stores.",
  { "mmio_access: id_readonly value=" .. hex(ID),
    "mmio_access: no_spill scratch=0x0",
    "mmio_access: unlisted offset=0x20 value=0x0",
    "mmio_access: unlisted offset=0x800 value=0x0",
    "mmio_access: unlisted offset=0xff8 value=0x0" }, 2, "contract 9")

-- Between two READS reads: the first READS read, one WRITES read, 10 ID
-- reads (12 reads) and 5 SCRATCH stores, which READS must not count.
access_case("counters",
  "READS counts completed reads and nothing else, not the read that returns it (2 after the first two device reads of the VM; 12 between two READS reads with 5 stores among them); WRITES counts the 5 stores.",
  { "mmio_access: counters reads_delta=12 writes_delta=5",
    "mmio_access: counters after_two_reads reads=2" }, 1, "contract 9")

access_case("insn_across_pages",
  "An MMIO instruction whose bytes span two pages mapped to non-adjacent frames is fetched through the guest page tables: the stored immediate is right for splits after 1, 3 and 5 bytes.",
  { "mmio_access: cross_page split=1 scratch=0x11223344",
    "mmio_access: cross_page split=3 scratch=0x11223344",
    "mmio_access: cross_page split=5 scratch=0x11223344" }, 2, "contract 9")

-- Compatibility mode (long mode, CS.L = 0): the DS base applies (SDM vol. 3A
-- 3.2.4). Base 2, offsets 2 below ID and SCRATCH: a hypervisor that drops
-- the base sees operands starting 2 bytes early, running across a register
-- or window edge, and ends the VM with 'access crosses window end'.
case {
  id = "mmio.compat_ds_base",
  judges = JUDGES["mmio.compat_ds_base"],
  behavior = "In compatibility mode (long mode, CS.L = 0, CS.D = 1), with DS loaded from a descriptor whose base is 2, the 4-byte load at DS:0xcafe0ffe reads ID (0xcafe1000, low half 0x55667788) and the 4-byte store at DS:0xcafe1006 reaches SCRATCH (0xcafe1008): the operands start at base + offset, inside the test device's window (not 2 bytes early, across a window or register edge).",
  source = "contract 9; SDM vol. 3A 3.2.4 and 5.2.1, vol. 1 3.4.2.1; APM vol. 2 4.5.3",
  probe = "mmio_access",
  cmdline = "mode=compat",
  expect = {
    lines = { "mmio_access: compat_ds load=0x55667788 scratch=" .. hex(stored(4, 0x600dc0de)) },
    forbid = { "^runtime: error", "^exception:" },
    report = "halted code=0x0",
  },
  points = 2,
}

------------------------------------------------------------------------------
-- The doorbell print device (mmio_doorbell, one boot)

local function doorbell_case(name, behavior, lines, points, extra_forbid, source)
  local forbid = { "LEAKED", "^runtime: error", "^exception:" }
  if extra_forbid then forbid[#forbid + 1] = extra_forbid end
  case {
    id = "mmio." .. name,
    judges = JUDGES["mmio." .. name],
    behavior = behavior,
    source = source or "contract 9",
    probe = "mmio_doorbell",
    expect = {
      lines = lines,
      ordered = { "^mmio_doorbell: done$" },
      forbid = forbid,
      report = "halted code=0x0",
    },
    points = points,
  }
end

doorbell_case("doorbell_hello",
  "Writing BUFFER (0xcafe0000) and LENGTH (0xcafe0008) then ringing (0xcafe0010) prints the buffer verbatim; STATUS then holds the byte count.",
  { "Hello mmio!", "mmio_doorbell: ring=hello status=12" }, 3, nil, "seed 000 (KeV mmio_print); contract 9")
doorbell_case("doorbell_empty",
  "A ring with LENGTH 0 prints nothing and sets STATUS to 0.",
  { "mmio_doorbell: ring=empty status=0" }, 1)
doorbell_case("doorbell_cross_page",
  "A doorbell buffer spanning two pages prints whole.",
  { "mmio_doorbell: cross page text", "mmio_doorbell: ring=cross_page status=31" }, 1)
doorbell_case("doorbell_register_halves",
  "A 4-byte store at offset 4 of BUFFER fills its upper half (0x12345678 reads back as 0x1234567800000000); BUFFER written as two 4-byte stores (offsets 0 and 4) replaces both halves: the ring prints the buffer, and BUFFER reads back as its address, upper half 0.",
  { "mmio_doorbell: buffer written in halves", "mmio_doorbell: ring=halves status=40",
    "mmio_doorbell: halves high_store=0x1234567800000000",
    "mmio_doorbell: halves buffer_is_text=1 high_half=0x0" }, 1)
doorbell_case("doorbell_max_length",
  "A ring with LENGTH 4096 prints all 4096 bytes.",
  { "mmio_doorbell: max line=00 ....................................",
    "mmio_doorbell: max line=63 ....................................",
    "mmio_doorbell: ring=max status=4096" }, 1)
doorbell_case("doorbell_too_long",
  "A ring with LENGTH 4097 prints nothing and sets STATUS to -7 (HC_E2BIG).",
  { "mmio_doorbell: ring=too_long status=-7" }, 2)
doorbell_case("doorbell_outside_ram",
  "A ring whose buffer is outside guest RAM prints nothing and sets STATUS to -14 (HC_EFAULT).",
  { "mmio_doorbell: ring=outside_ram status=-14" }, 2)
doorbell_case("doorbell_readonly_registers",
  "STATUS ignores stores and RING reads 0.",
  { "mmio_doorbell: status_readonly status=-14", "mmio_doorbell: ring_reads=0x0" }, 1)

------------------------------------------------------------------------------
-- Device accesses by instructions outside the list (mmio_bad, one boot each)

local function undecodable_case(test, bytes, behavior, points)
  case {
    id = "mmio.undecodable_" .. test,
    judges = JUDGES["mmio.undecodable_" .. test],
    behavior = behavior,
    source = "contract 3 and 9",
    probe = "mmio_bad",
    cmdline = "test=" .. test,
    expect = {
      forbid = { "^mmio_bad: survived", "^runtime: error" },
      -- The instruction's bytes first; what the report shows after them
      -- (the probe's RET and INT3 padding) is not judged.
      report = { pattern = "^mmio: undecodable instruction rip=0x300000 bytes=" .. bytes .. "[ 0-9a-f]*$" },
    },
    points = points,
  }
end
undecodable_case("add_store", "01 07",
  "ADD to a device register (01 /r) ends the VM with 'mmio: undecodable instruction' showing rip and the bytes 01 07.", 2)
undecodable_case("lock_add", "f0 01 07",
  "A LOCK-prefixed read-modify-write of a device register ends the VM with the undecodable report showing f0 01 07.", 1)
undecodable_case("cmp_load", "80 3f 00",
  "CMP with a device operand (80 /7 ib) ends the VM with the undecodable report.", 1)
undecodable_case("movs", "a4",
  "MOVSB into a device window ends the VM with the undecodable report.", 1)
undecodable_case("xchg", "87 07",
  "XCHG with a device register ends the VM with the undecodable report.", 1)
undecodable_case("mov_sreg", "8c 1f",
  "MOV r/m16, Sreg (8C), a MOV outside the contract's list, ends the VM with the undecodable report.", 1)

-- The instruction behind an MMIO exit does not translate: the probe clears
-- the PTE of the 4-KiB page it runs from, without INVLPG, and reads the
-- device ID from that page. The processor may go on fetching through its
-- TLB (SDM 4.10.4.3), which Bochs (Intel and AMD models) and QEMU's TCG
-- do; a real processor may also drop the stale entry and raise #PF
-- instead, so the case runs on the emulators only, not on qemu-kvm.
case {
  id = "mmio.cannot_fetch",
  judges = { "end.mmio-cannot-fetch", "mmio.fetch" },
  behavior = "A device read by an instruction whose page is no longer present in the guest's page tables (PTE cleared, still in the TLB) ends the VM with 'mmio: cannot fetch instruction rip=0x8000000007', the RIP of that instruction.",
  source = "contract 3 and 9; SDM 4.10.4.3",
  probe = "mmio_bad",
  cmdline = "test=nofetch",
  engines = { "bochs", "bochs-amd", "qemu" },
  expect = {
    forbid = { "^mmio_bad: survived", "^runtime: error", "^exception:" },
    report = "mmio: cannot fetch instruction rip=0x8000000007",
  },
  points = 1,
}
