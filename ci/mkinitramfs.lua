-- ci/mkinitramfs.lua: writes the initramfs of the Linux guest (issue 15) as
-- an uncompressed newc cpio archive (Documentation/driver-api/
-- early-userspace/buffer-format.rst; the "new ASCII" format of cpio(5)),
-- without root: the device node dev/console is written straight into its
-- header, not made on disk. The caller compresses it (gzip: the kernel has
-- CONFIG_RD_GZIP).
--
-- Use: lua5.4 ci/mkinitramfs.lua OUT BUSYBOX INIT HC_HELPER MODULES_DIR [MODULE...]
--   OUT          the archive to write
--   BUSYBOX      a static busybox (Debian's busybox-static: /bin/busybox)
--   INIT         the script that becomes /init
--   HC_HELPER    the static user-space hypercall program that becomes
--                /bin/linux_hc (guest-probes/linux_hc/, built by
--                ci/linux-guest.sh)
--   MODULES_DIR  lib/modules/<version> of the unpacked kernel package
--   MODULE...    modules to carry (names, e.g. virtio_blk), with every
--                module they depend on; /etc/modules lists them in an
--                order insmod can follow (dependencies first)
-- Each module's dependencies come from its own .modinfo "depends=" string
-- (the unpacked package has no modules.dep: depmod runs at install time).

local USAGE = "usage: lua5.4 ci/mkinitramfs.lua OUT BUSYBOX INIT HC_HELPER MODULES_DIR [MODULE...]"

-- cpio(5) "New ASCII Format": mode bits of the entries.
local S_IFDIR, S_IFREG, S_IFLNK, S_IFCHR = 0x4000, 0x8000, 0xa000, 0x2000
local NEWC_MAGIC = "070701"
local TRAILER = "TRAILER!!!"
-- Documentation/admin-guide/devices.txt: char 5:1 is /dev/console.
local CONSOLE_MAJOR, CONSOLE_MINOR = 5, 1

local function die(fmt, ...)
  io.stderr:write("ci/mkinitramfs.lua: ", string.format(fmt, ...), "\n")
  os.exit(1)
end

local function read_file(path, what)
  local f, err = io.open(path, "rb")
  if not f then die("cannot read %s %s: %s", what, path, err) end
  local data = f:read("a")
  f:close()
  return data
end

-- The archive: entries in order, each a header, its name and its data,
-- both padded to 4 bytes.
local Archive = {}
Archive.__index = Archive

local function new_archive()
  return setmetatable({ parts = {}, ino = 1 }, Archive)
end

local function pad4(n)
  return string.rep("\0", (4 - n % 4) % 4)
end

function Archive:add(name, mode, data, rdev_major, rdev_minor)
  data = data or ""
  local nlink = (mode & 0xf000) == S_IFDIR and 2 or 1
  local header = string.format("%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
    NEWC_MAGIC, self.ino, mode, 0, 0, nlink, 0, #data, 0, 0,
    rdev_major or 0, rdev_minor or 0, #name + 1, 0)
  self.ino = self.ino + 1
  local t = self.parts
  t[#t + 1] = header .. name .. "\0"
  t[#t + 1] = pad4(#header + #name + 1)
  t[#t + 1] = data
  t[#t + 1] = pad4(#data)
end

function Archive:dir(name) self:add(name, S_IFDIR | 493) end           -- 0755
function Archive:file(name, data, exec) self:add(name, S_IFREG | (exec and 493 or 420), data) end
function Archive:symlink(name, target) self:add(name, S_IFLNK | 511, target) end

function Archive:write(path)
  self:add(TRAILER, 0)
  local f, err = io.open(path, "wb")
  if not f then die("cannot write %s: %s", path, err) end
  f:write(table.concat(self.parts))
  f:close()
end

-- Module names use '_' and '-' interchangeably (kmod does too).
local function norm(name) return (name:gsub("-", "_")) end

-- name -> path below modules_dir, from modules.order.
local function module_index(modules_dir)
  local index = {}
  local order = read_file(modules_dir .. "/modules.order", "module list")
  for rel in order:gmatch("[^\n]+") do
    local base = rel:match("([^/]+)%.ko$")
    if base then index[norm(base)] = rel end
  end
  return index
end

-- The "depends=" string of a module's .modinfo section.
local function depends_of(image, name)
  local list = image:match("%zdepends=([^%z]*)%z")
  if not list then die("module %s has no depends= in its .modinfo", name) end
  local deps = {}
  for d in list:gmatch("[^,]+") do deps[#deps + 1] = norm(d) end
  return deps
end

-- Every requested module and its dependencies, dependencies first.
local function resolve(modules_dir, wanted)
  local index = module_index(modules_dir)
  local order, state, images = {}, {}, {}
  local function visit(name, from)
    if state[name] == "done" then return end
    if state[name] == "visiting" then die("module dependency cycle through %s", name) end
    local rel = index[name]
    if not rel then
      die("no module %s in %s/modules.order%s", name, modules_dir,
          from and (" (needed by " .. from .. ")") or "")
    end
    state[name] = "visiting"
    local image = read_file(modules_dir .. "/" .. rel, "module")
    for _, d in ipairs(depends_of(image, name)) do visit(d, name) end
    state[name] = "done"
    images[name] = image
    order[#order + 1] = name
  end
  for _, name in ipairs(wanted) do visit(norm(name)) end
  return order, images
end

local out, busybox, init, hc_helper, modules_dir = arg[1], arg[2], arg[3], arg[4], arg[5]
if not modules_dir then die("%s", USAGE) end
local wanted = {}
for i = 6, #arg do wanted[#wanted + 1] = arg[i] end

local a = new_archive()
a:dir("dev")
a:add("dev/console", S_IFCHR | 384, nil, CONSOLE_MAJOR, CONSOLE_MINOR)   -- 0600
a:dir("bin")
a:file("bin/busybox", read_file(busybox, "busybox"), true)
a:symlink("bin/sh", "busybox")
a:file("bin/linux_hc", read_file(hc_helper, "hypercall helper"), true)
for _, d in ipairs({ "proc", "sys", "tmp", "etc", "lib", "lib/modules" }) do a:dir(d) end
a:file("init", read_file(init, "init script"), true)
local order, images = resolve(modules_dir, wanted)
for _, name in ipairs(order) do a:file("lib/modules/" .. name .. ".ko", images[name]) end
a:file("etc/modules", #order > 0 and table.concat(order, "\n") .. "\n" or "")
a:write(out)
