-- Exits outside the hypercall, port, MSR, CPUID and device paths that a
-- guest can cause on every conforming hypervisor (probe vm_exits, one boot
-- per test=): HLT ends the VM, CR0 writes of the bits the hypervisor owns
-- read back as written. (The reference's own INVD handling is its choice
-- and is tested in tests/reference/, not here.)
area { name = "vm_exits", doc = "Exits outside the hypercall and device paths: HLT ends the VM, CR0.CD/NW read back as the guest wrote them (contract sections 2 and 3)." }

case {
  id = "vm_exits.hlt_ends_vm",
  judges = { "end.hlt" },
  behavior = "HLT with interrupts off ends the VM with 'hlt rip=...': nothing can ever wake the vCPU.",
  source = "contract 3",
  probe = "vm_exits",
  cmdline = "test=hlt",
  expect = {
    lines = { "vm_exits: executing hlt" },
    forbid = { "^vm_exits: hlt returned" },
    report = { pattern = "^hlt rip=0x%x+$" },
  },
  points = 1,
}

case {
  id = "vm_exits.cr0_owned_bits_shadowed",
  judges = { "guest.cr0.reads-back" },
  behavior = "CR0.CD and CR0.NW belong to the hypervisor: a guest that sets and clears them reads back exactly what it wrote (the read shadow) and goes on.",
  source = "seed 004 (Muen CR0 guest/host mask); contract 2",
  probe = "vm_exits",
  cmdline = "test=cr0",
  expect = {
    -- SDM 2.5: CD is bit 30, NW bit 29; PG (bit 31) is on in long mode.
    ordered = { "^vm_exits: cr0 before=0x8(%x%x%x%x%x%x%x) with_cd_nw=0xe%1 restored=0x8%1$" },
    report = "halted code=0x0",
  },
  points = 1,
}
