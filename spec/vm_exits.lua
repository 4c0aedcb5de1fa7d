-- Exits outside the hypercall, port, MSR, CPUID and device paths that a
-- guest can cause on every conforming hypervisor (probe vm_exits, one boot
-- per test=): HLT ends the VM, CR0 writes of the bits a hypervisor may
-- keep for itself (CD, NW: the reference's on VMX) read back as written. (The reference's own INVD handling is its choice
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
  behavior = "A guest that sets and clears CR0.CD and CR0.NW, bits a hypervisor may keep for itself (on VMX through the guest/host mask and read shadow), reads back exactly what it wrote and goes on.",
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

case {
  id = "vm_exits.cr0_cd_with_wp",
  judges = { "guest.cr0.reads-back" },
  behavior = "One MOV to CR0 that sets CD (the hypervisor's bit) together with WP (the guest's) reads back as written and WP takes effect at once: a ring-0 write to a read-only page faults with #PF (error code P|W = 0x3). One MOV clearing both again reads back as written and the write succeeds.",
  source = "contract 2; SDM vol. 3A 2.5 (CR0.WP), 4.7 (page-fault error code)",
  probe = "vm_exits",
  cmdline = "test=cr0_wp",
  expect = {
    ordered = {
      "^vm_exits: cr0_wp wrote=0x(%x+) read=0x%1 readonly_write_vector=14 error=0x3$",
      "^vm_exits: cr0_wp cleared wrote=0x(%x+) read=0x%1 readonly_write_vector=%-1 byte=0x5a$",
    },
    report = "halted code=0x0",
  },
  points = 1,
}
