-- The virtio block device (contract section 14, "Virtio block device";
-- section 9's window row): virtio-mmio registers, feature negotiation, one
-- split virtqueue, block requests, malformed chains and protocol errors.
-- Probe: guest-probes/disk_virtio, which drives the device as a virtio 1.2
-- driver does and prints what it saw. One boot with a 64-sector "pattern"
-- disk serves every case but virtio.no_disk. Expected values come from the
-- contract, the virtio 1.2 specification and the disk's fill (spec/loader.lua,
-- field 'disk'), never from a hypervisor's output.
area { name = "virtio", doc = "Virtio block device over virtio-mmio: registers, features, the split virtqueue, IN/OUT/FLUSH/GET_ID, malformed descriptors, DEVICE_NEEDS_RESET (contract sections 9 and 14)." }

local SECTORS = 64
local DISK = { sectors = SECTORS, fill = "pattern" }
local OK, IOERR, UNSUPP = 0, 1, 2   -- VIRTIO_BLK_S_* (virtio 1.2 5.2.6)
local UNTOUCHED = 0xee              -- the probe's status byte before a request
local SECTOR = 512

local function hex(v) return string.format("0x%x", v) end

-- The disk's fill "pattern" (spec/loader.lua): byte k of sector s is s's
-- k-th byte (little endian) for k < 8, else (7 s + k) mod 256.
local function pattern_sum(s)
  local sum = 0
  for k = 0, SECTOR - 1 do
    sum = sum + (k < 8 and (s >> (8 * k)) & 0xff or (7 * s + k) % 256)
  end
  return sum
end

local function sector_line(s)
  return string.format("disk_virtio: sector=%d first8=%s sum=%s", s, hex(s), hex(pattern_sum(s)))
end

-- A request served: its status byte and used element (advanced by 1, id 0: head 0).
local function served(name, status, len, id)
  return string.format("disk_virtio: req=%s status=%s len=%d advanced=1 id=%d", name, hex(status), len,
    id or 0)
end
-- A request dropped: used element of length 0, status byte not written.
local function dropped(name, id)
  return served(name, UNTOUCHED, 0, id)
end

local function virtio_case(t)
  t.probe = "disk_virtio"
  if t.disk == nil and t.cmdline == nil then t.disk = DISK end
  t.source = t.source or "contract 14; virtio 1.2 sections 2, 4.2.2 and 5.2"
  t.expect.report = t.expect.report or "halted code=0x0"
  t.expect.forbid = t.expect.forbid or { "^runtime: error", "^exception:" }
  case(t)
end

virtio_case {
  id = "virtio.ident",
  judges = { "virtio.ident", "map.virtio-blk" },
  behavior = "The window at 0xcafe4000 reads MagicValue 0x74726976, Version 2 and DeviceID 2 (block) with a disk attached; VendorID is free.",
  expect = { ordered = { "^disk_virtio: ident magic=0x74726976 version=2 device_id=2 vendor=0x%x+$" } },
  points = 1,
}

virtio_case {
  id = "virtio.register_width",
  judges = { "virtio.reg-width" },
  behavior = "A 1-byte and an 8-byte read of MagicValue read 0, and a 2-byte write of Status is ignored: the registers below 0x100 take 4-byte accesses only.",
  expect = { lines = { "disk_virtio: widths magic_byte=0x0 magic_qword=0x0 status_after_word_write=0x0" } },
  points = 1,
}

virtio_case {
  id = "virtio.capacity",
  judges = { "virtio.capacity" },
  behavior = "The configuration space holds the capacity in 512-byte sectors (64 for a 32 KiB disk), read as 8, 4 and 1 bytes; the bytes after it and ConfigGeneration read 0.",
  expect = { lines = { string.format("disk_virtio: config capacity=%s lo=%s hi=0x0 byte0=%s past=0x0 generation=0",
    hex(SECTORS), hex(SECTORS), hex(SECTORS)) } },
  points = 1,
}

virtio_case {
  id = "virtio.features",
  judges = { "virtio.features" },
  behavior = "DeviceFeatures offers exactly VIRTIO_BLK_F_FLUSH (bit 9, selector 0) and VIRTIO_F_VERSION_1 (bit 32, selector 1); selector 2 reads 0.",
  expect = { lines = { "disk_virtio: features sel0=0x200 sel1=0x1 sel2=0x0" } },
  points = 1,
}

virtio_case {
  id = "virtio.features_ok",
  judges = { "virtio.features-ok" },
  behavior = "FEATURES_OK reads back clear when the driver leaves out VIRTIO_F_VERSION_1 or accepts a bit the device does not offer (bit 0), and set for VERSION_1 + FLUSH.",
  expect = { lines = {
    "disk_virtio: negotiate without_version_1 status=0x3",
    "disk_virtio: negotiate unoffered_bit status=0x3",
    "disk_virtio: negotiate offered status=0xb",
  } },
  points = 2,
}

virtio_case {
  id = "virtio.queue_num_max",
  judges = { "virtio.queue-num-max" },
  behavior = "QueueNumMax reads 16 for queue 0 and 0 for queue 1 (the device has one queue).",
  expect = { lines = { "disk_virtio: queue_num_max q0=16 q1=0" } },
  points = 1,
}

virtio_case {
  id = "virtio.notify_before_driver_ok",
  judges = { "virtio.notify-before-driver-ok", "virtio.notify" },
  behavior = "A read published and notified before DRIVER_OK is not served (used idx, status byte and InterruptStatus unchanged); the first notify after DRIVER_OK serves it.",
  expect = { lines = {
    "disk_virtio: before_driver_ok advanced=0 status=0xee isr=0x0",
    served("after_driver_ok", OK, SECTOR + 1),
  } },
  points = 2,
}

virtio_case {
  id = "virtio.interrupt_status",
  judges = { "virtio.interrupt-status" },
  behavior = "After a served request InterruptStatus reads 1 (used buffer); writing 1 to InterruptACK clears it.",
  expect = { lines = { "disk_virtio: isr=0x1 isr_after_ack=0x0" } },
  points = 1,
}

virtio_case {
  id = "virtio.read_first_last",
  judges = { "virtio.req.in", "virtio.notify", "virtio.request-layout" },
  behavior = "VIRTIO_BLK_T_IN of sector 0 and of the last sector returns their bytes from the disk image, status OK, used len 513 (512 data bytes and the status byte).",
  expect = { lines = {
    served("read_first", OK, SECTOR + 1), sector_line(0),
    served("read_last", OK, SECTOR + 1), sector_line(SECTORS - 1),
  } },
  points = 2,
}

virtio_case {
  id = "virtio.write_read_back",
  judges = { "virtio.req.out" },
  behavior = "VIRTIO_BLK_T_OUT of sector 1 and of the last sector returns status OK and used len 1; reading them back returns the bytes written.",
  expect = { lines = {
    served("write_one", OK, 1), served("read_back_one", OK, SECTOR + 1), "disk_virtio: match write_one=1",
    served("write_last", OK, 1), served("read_back_last", OK, SECTOR + 1), "disk_virtio: match write_last=1",
  } },
  points = 2,
}

virtio_case {
  id = "virtio.multi_descriptor",
  judges = { "virtio.request-layout", "virtio.req.in", "virtio.req.out" },
  behavior = "Requests split over descriptors freely are served: a header in 4 + 12 bytes with data in 100 + 924 bytes (two sectors), data and status byte in one 1025-byte descriptor, a 3-sector write in 1 + 1000 + 535 bytes.",
  expect = { lines = {
    served("read_split", OK, 2 * SECTOR + 1), sector_line(2), sector_line(3),
    served("read_data_and_status_in_one", OK, 2 * SECTOR + 1),
    "disk_virtio: match read_data_and_status_in_one=1",
    served("write_split", OK, 1), served("read_back_split", OK, 3 * SECTOR + 1),
    "disk_virtio: match write_split=1",
  } },
  points = 2,
}

virtio_case {
  id = "virtio.past_end",
  judges = { "virtio.ioerr.range" },
  behavior = "Reads at the capacity, across the last sector and at sector 2^64-1 (the count overflows) end with IOERR and used len 1; a write across the end ends with IOERR and leaves the last sector as it was.",
  expect = { lines = {
    served("read_past_end", IOERR, 1), served("read_across_end", IOERR, 1),
    served("read_sector_wraps", IOERR, 1), served("write_across_end", IOERR, 1),
    "disk_virtio: match last_unchanged=1",
  } },
  points = 2,
}

virtio_case {
  id = "virtio.get_id",
  judges = { "virtio.req.get-id", "virtio.ioerr.length" },
  behavior = "GET_ID writes 'hvspec-virtio-blk' padded with NULs to 20 bytes (used len 21); with an 8-byte buffer it ends with IOERR.",
  expect = { lines = {
    served("get_id", OK, 21), "disk_virtio: get_id id=hvspec-virtio-blk pad_zero=1 beyond=0xff",
    served("get_id_short", IOERR, 1),
  } },
  points = 1,
}

virtio_case {
  id = "virtio.flush",
  judges = { "virtio.req.flush" },
  behavior = "VIRTIO_BLK_T_FLUSH returns status OK, used len 1.",
  expect = { lines = { served("flush", OK, 1) } },
  points = 1,
}

virtio_case {
  id = "virtio.unsupported_type",
  judges = { "virtio.req.unsupp" },
  behavior = "Type 11 (DISCARD, whose feature is not offered) and type 0x12345678 end with status UNSUPP, used len 1.",
  expect = { lines = { served("unsupported", UNSUPP, 1), served("unsupported_big", UNSUPP, 1) } },
  points = 1,
}

virtio_case {
  id = "virtio.malformed_chains",
  judges = { "virtio.dropped", "virtio.isolation" },
  behavior = "A two-descriptor loop, a NEXT index of 16, a head index of 16 and an INDIRECT descriptor are dropped: used element (head, 0), status byte untouched, and the notify returns.",
  expect = { lines = {
    dropped("loop"), dropped("next_out_of_range"), dropped("head_out_of_range", 16), dropped("indirect"),
  } },
  points = 2,
}

virtio_case {
  id = "virtio.malformed_outside_ram",
  judges = { "virtio.ioerr.outside-ram", "virtio.dropped", "virtio.isolation" },
  behavior = "A data or header descriptor at 0xd0000000 (no RAM) ends with IOERR; a status descriptor there is dropped (used len 0); the guest goes on.",
  expect = { lines = {
    served("data_outside_ram", IOERR, 1), served("header_outside_ram", IOERR, 1),
    dropped("status_outside_ram"),
  } },
  points = 2,
}

virtio_case {
  id = "virtio.malformed_status",
  judges = { "virtio.dropped" },
  behavior = "A request whose last descriptor is device-readable, or device-writable with length 0, has no status byte: it is dropped with used len 0 and the status byte stays untouched.",
  expect = { lines = { dropped("status_read_only"), dropped("status_length_zero") } },
  points = 1,
}

virtio_case {
  id = "virtio.malformed_order",
  judges = { "virtio.ioerr.order" },
  behavior = "A FLUSH (which takes any data) whose chain has a device-readable descriptor after a device-writable one (virtio 1.2 2.7.4.2) ends with IOERR, used len 1.",
  expect = { lines = { served("readable_after_writable", IOERR, 1) } },
  points = 1,
}

virtio_case {
  id = "virtio.malformed_lengths",
  judges = { "virtio.ioerr.length" },
  behavior = "A read of 100 bytes (not a sector multiple), an 8-byte header, a write with device-writable data, a read with device-readable data and a header in a device-writable descriptor each end with IOERR, used len 1; the next good read is served.",
  expect = { lines = {
    served("length_not_sectors", IOERR, 1), served("header_short", IOERR, 1),
    served("write_with_writable_data", IOERR, 1), served("read_with_readable_data", IOERR, 1),
    served("header_writable", IOERR, 1), served("read_after_malformed", OK, SECTOR + 1),
  } },
  points = 2,
}

virtio_case {
  id = "virtio.needs_reset",
  judges = { "virtio.needs-reset" },
  behavior = "A notify with the descriptor table outside guest RAM, QueueNum 3 (not a power of 2) or 32 (above QueueNumMax), or the available idx 17 ahead on a 16-entry queue serves nothing and sets DEVICE_NEEDS_RESET (Status 0x4f), with InterruptStatus bit 1; later notifies are ignored until reset.",
  expect = { lines = {
    "disk_virtio: needs_reset status=0x4f isr=0x2 advanced=0",
    "disk_virtio: needs_reset_again advanced=0",
    "disk_virtio: needs_reset_num_not_power_of_2 status=0x4f advanced=0",
    "disk_virtio: needs_reset_num_above_max status=0x4f advanced=0",
    "disk_virtio: needs_reset_avail_idx_ahead status=0x4f advanced=0",
  } },
  points = 2,
}

virtio_case {
  id = "virtio.reset",
  judges = { "virtio.reset" },
  behavior = "Writing 0 to Status clears Status, InterruptStatus and QueueReady; after a new init sequence the first request lands in used-ring slot 0 (used idx 1).",
  expect = { lines = {
    "disk_virtio: after_reset status=0x0 isr=0x0 ready=0",
    served("read_after_reset", OK, SECTOR + 1),
    "disk_virtio: reset_used idx=1 slot0_len=513",
  } },
  points = 1,
}

virtio_case {
  id = "virtio.blk_shared_with_hypercalls",
  judges = { "disk.shared-store" },
  behavior = "A sector written through virtio reads back through DiskRead, and one written through DiskWrite reads back through virtio, in the same boot.",
  expect = { lines = {
    served("write_for_hc", OK, 1), "disk_virtio: shared virtio_to_hc rc=1 match=1",
    served("read_after_hc", OK, SECTOR + 1), "disk_virtio: shared hc_to_virtio rc=1 match=1",
  } },
  points = 2,
}

virtio_case {
  id = "virtio.no_disk",
  judges = { "virtio.no-disk" },
  behavior = "Without a disk module the window still reads MagicValue and Version 2, DeviceID 0, and every other register and the configuration space 0.",
  cmdline = "mode=nodisk",
  expect = {
    ordered = { "^disk_virtio: ident magic=0x74726976 version=2 device_id=0 vendor=0x%x+$" },
    lines = {
      "disk_virtio: features sel0=0x0 sel1=0x0 sel2=0x0",
      "disk_virtio: queue_num_max q0=0 q1=0",
      "disk_virtio: config capacity=0x0 lo=0x0 hi=0x0 byte0=0x0 past=0x0 generation=0",
      "disk_virtio: done",
    },
  },
  points = 1,
}

------------------------------------------------------------------------------
-- Write-back through virtio: boot 1 writes with virtio requests and halts,
-- boot 2 starts from the image boot 1 left (its write-back applied by the
-- harness) and reads through virtio.

-- Byte k of what the probe writes with salt t (disk_virtio's fill_written):
-- (13 k + 101 t + 1) mod 256, k counting from the request's first byte.
local function written_line(s, salt, first_k)
  local first8, sum = 0, 0
  for k = 0, SECTOR - 1 do
    local b = (13 * (first_k + k) + 101 * salt + 1) % 256
    if k < 8 then first8 = first8 | (b << (8 * k)) end
    sum = sum + b
  end
  return string.format("disk_virtio: sector=%d first8=%s sum=%s", s, hex(first8), hex(sum))
end

virtio_case {
  id = "virtio.writeback_first_boot",
  judges = { "virtio.req.out", "disk.writeback.stream" },
  behavior = "Boot 1 of the virtio write-back pair: VIRTIO_BLK_T_OUT of sectors 5-6, of the last sector, then of sector 5 again, each status OK; at the end of the VM the hypervisor sends the write-back stream, which the harness checks and applies (a missing or corrupt stream is an ERROR).",
  cmdline = "mode=persist-write",
  disk = DISK,
  expect = { lines = {
    served("persist_write_5_6", OK, 1), served("persist_write_last", OK, 1),
    served("persist_write_5_again", OK, 1), "disk_virtio: done",
  } },
  points = 2,
}

virtio_case {
  id = "virtio.writeback_second_boot",
  judges = { "disk.writeback.sectors", "disk.writeback.persists" },
  behavior = "Boot 2 starts from the image boot 1 left: sector 5 holds its last virtio write, sector 6 and the last sector what boot 1 wrote through virtio, and sector 3, never written, its original bytes.",
  cmdline = "mode=persist-read",
  disk = { from = "virtio.writeback_first_boot" },
  expect = { lines = {
    written_line(5, 9, 0), written_line(6, 7, SECTOR), sector_line(3),
    written_line(SECTORS - 1, 8, 0), "disk_virtio: done",
  } },
  points = 2,
}
