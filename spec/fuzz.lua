-- Adversarial guests (issue 9 section 6): the seeded fuzz probe
-- (guest-probes/fuzz/README.md) issues thousands of random hypercalls,
-- port and string I/O, MSR accesses, CPUID leaves, device-window MMIO
-- instructions with random encodings and first touches of fresh RAM, from
-- each paging mode its image offers, and checks every outcome against
-- the contract itself (op by op: a probe-side oracle, since the expected
-- values depend on the seed). A case passes when the probe saw no
-- mismatch, MemStats agreed with the pages it touched, the hypervisor
-- counted at least as many exits as the probe made certain, and the VM
-- ended with the normal HaltCpu. Any failure reruns exactly with the
-- seed and ops from the case (add trace=1 to the command line to print
-- every instruction before it runs).
area {
  name = "fuzz",
  doc = "Adversarial guests: a seeded fuzz probe from every guest paging mode (contract sections 3, 5-10). "
    .. "Excluded, because the contract documents them as ending the VM or they could forge transcript lines: "
    .. "HaltCpu (the probe's normal end); Print, doorbell rings and COM1 output of anything but the probe's "
    .. "safe text (digits, '~', newlines); MMIO with a register operand, LOCK or another opcode, operands "
    .. "crossing a window's end, accesses to holes and instruction fetches from windows; HLT. Also left out, "
    .. "where the contract gives no single outcome or the op would take the probe out of its mode: EFER.LME changes, non-canonical values in the address MSRs, "
    .. "port accesses straddling a listed port from another port number, faulting string I/O on the queue "
    .. "port, 16-bit addressing in 32-bit modes, non-canonical Print buffers, CR0 writes of PE, PG, ET, EM, TS "
    .. "or NW without CD. Details: guest-probes/fuzz/README.md.",
}

-- What every fuzz run must show, in this order; modes: the modes the image
-- runs (each reports its own counts and MemStats check); halt: the HaltCpu
-- code it ends with (all 64 bits of RDI in long mode).
local function fuzz_expect(image, seed, ops, modes, halt)
  local ordered = { "^fuzz: seed=" .. seed .. " ops=" .. ops .. " image=" .. image .. "$" }
  for _, mode in ipairs(modes) do
    ordered[#ordered + 1] = "^fuzz: mode=" .. mode .. " ops=%d+ .* mismatches=0 tsc=%d+$"
    ordered[#ordered + 1] = "^fuzz: mode=" .. mode .. " memstats .* consistent$"
  end
  ordered[#ordered + 1] = "^fuzz: done ops=" .. ops .. " .* mismatches=0 tsc=%d+$"
  ordered[#ordered + 1] = "^fuzz: counters consistent$"
  -- The probe makes more than 1000 exits certain (VMCALL, I/O, CPUID and
  -- device MMIO each exit); the hypervisor's count must not be smaller.
  ordered[#ordered + 1] = "^%[hv%] exits: total=[1-9]%d%d%d+"
  return {
    ordered = ordered,
    -- Teardown frees every frame the VM held (the fuzz touches every window).
    forbid = { "^fuzz: mismatch", "INCONSISTENT", "^exception: ", "^runtime: ",
      "^%[hv%] teardown: .*leaked=[1-9]" },
    report = "halted code=" .. halt,
  }
end

-- The statements every fuzz case judges: its oracles check each one on
-- every op of that kind.
local JUDGES = {
  "end.only-documented", "end.halted", "hc.halt", "console.exits", "console.teardown", "arch.as-processor",
  "hc.abi.registers", "hc.abi.preserved", "hc.abi.rip", "hc.print", "hc.memstats",
  "hc.memstats.bad-selector", "hc.error.enosys", "hc.error.efault", "hc.error.e2big",
  "hc.error.einval", "hc.print.size-zero",
  "pio.exits", "pio.widths", "pio.forms", "pio.string.rep", "pio.string.df", "pio.string.fault",
  "pio.string.translate",
  "pio.fifo", "pio.com1.other", "pio.com1.lsr", "pio.port3", "pio.other",
  "cpuid.leaf1.vmx", "cpuid.leaf1.hypervisor", "cpuid.hv-leaf", "cpuid.hv-range", "cpuid.stable",
  "msr.emulated", "msr.efer", "msr.efer-lme-paging", "msr.scratch", "msr.other-gp",
  "dev.register-bytes", "dev.unlisted", "dev.testdev.id", "dev.testdev.scratch",
  "dev.doorbell.ring", "dev.doorbell.status", "dev.rom", "map.noexec",
  "mmio.mov", "mmio.mov-imm", "mmio.moffs", "mmio.movzx-movsx", "mmio.prefixes",
  "mmio.addressing", "mmio.rip", "mmio.fetch", "guest.cr0.reads-back",
  "pager.first-touch", "pager.fill", "pager.footprint",
}

-- In long mode the probe puts random bits in RCX[63:32] of every
-- RDMSR/WRMSR, and QEMU 7.2's TCG indexes the SVM MSR permission map with
-- all 64 bits of RCX (spec/msr.lua, ENGINES_MSR_BY_ECX): such an access is
-- then not intercepted, whatever the hypervisor set up. The long-mode fuzz
-- cases run on the other engines.
local ENGINES_MSR_BY_ECX = { "bochs", "bochs-amd", "qemu-kvm" }

local function judges(extra)
  local j = {}
  for _, s in ipairs(JUDGES) do j[#j + 1] = s end
  for _, s in ipairs(extra or {}) do j[#j + 1] = s end
  return j
end

-- One fuzz run: image, seed, ops, the modes it runs, and what it adds.
local function fuzz_case(c)
  case {
    id = c.id,
    judges = judges(c.judges),
    behavior = c.behavior .. " Every outcome is the contract's, MemStats matches the pages touched, "
      .. "and the VM ends with HaltCpu and the code it chose.",
    source = "issue 9 section 6; contract 3, 5-10",
    probe = c.image,
    cmdline = "seed=" .. c.seed .. " ops=" .. c.ops .. " halt=" .. c.halt .. " efer_lme=1",
    hv_cmdline = c.hv_cmdline,
    expect = fuzz_expect(c.image, c.seed, c.ops, c.modes, c.halt),
    timeout = 120,
    engines = c.engines,
    points = c.points,
  }
end

fuzz_case {
  id = "fuzz.long_mode_seed1", image = "fuzz", seed = 1, ops = 5000, modes = { "long4" },
  halt = "0xf00d0000cafe0001", engines = ENGINES_MSR_BY_ECX,
  judges = { "hc.print.4level", "guest.long-mode" }, points = 3,
  behavior = "5000 random operations (seed 1) from 4-level long mode.",
}

fuzz_case {
  id = "fuzz.modes32_seed2", image = "fuzz32", seed = 2, ops = 6000, modes = { "off", "pse32", "pae" },
  halt = "0xcafe0002",
  judges = { "hc.print.paging-off", "hc.print.32bit", "hc.print.pae", "guest.elf.classes" }, points = 3,
  behavior = "6000 random operations (seed 2), 2000 from each 32-bit mode (paging off, 32-bit paging, PAE).",
}

fuzz_case {
  id = "fuzz.long_mode_small_ram_seed3", image = "fuzz", seed = 3, ops = 4000, modes = { "long4" },
  halt = "0xf00d0000cafe0003", engines = ENGINES_MSR_BY_ECX,
  hv_cmdline = "mem=12M", judges = { "host.cmdline.mem" }, points = 2,
  behavior = "4000 random operations (seed 3) from long mode with mem=12M: RAM ends at 12 MiB, so the "
    .. "past-the-end Print, string I/O and doorbell buffers sit elsewhere.",
}
