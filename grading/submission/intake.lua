-- grading/submission/intake.lua: turns SUBMISSION (a folder, a tar/tar.gz or
-- zip archive, a git repository, or a prebuilt Multiboot2 image) into a
-- source tree in the grader's work folder, or an image file.
--
-- intake.open(path, ref, work) returns one of
--   {kind = "directory"|"tar"|"zip"|"git", tree = "/abs/folder"[, commit = sha]}
--   {kind = "image", image = "/abs/file", what = "..."}
--   {kind = ..., refused = "one line"}   -- a recognised but unsafe or broken
--                                          submission: graded intake_failed
-- and raises util.usage_error for anything it cannot recognise (exit 2).

local util = require("util")

local M = {}

-- Limits on what an archive or repository may unpack to; a student's
-- hypervisor tree is a few MiB, so these only stop bombs.
M.MAX_ARCHIVE_BYTES = 64 * 1024 * 1024     -- the compressed file itself
M.MAX_TOTAL_BYTES = 256 * 1024 * 1024      -- sum of unpacked file sizes
M.MAX_FILES = 20000                        -- entries of any kind
M.LIST_TIMEOUT = 120                       -- seconds to list or unpack
-- A Multiboot2 header must lie within this many bytes of the image's start
-- (Multiboot2 specification 3.1.1), aligned on 8 bytes.
M.MB2_SEARCH_BYTES = 32768
M.MB2_MAGIC = 0xE85250D6

M.ACCEPTED = "a source folder, a .tar/.tar.gz/.tgz or .zip archive, a git repository " ..
  "(folder with .git, or a bare repository; --ref picks the commit), or a prebuilt " ..
  "x86-64 Multiboot2 ELF image"

-- The submission id: the base name without the archive/repo/image suffix.
function M.submission_id(path)
  local real = util.realpath(path) or path
  local base = util.basename(path)
  if base == "" or base == "." or base == ".." then base = util.basename(real) end
  for _, ext in ipairs({ ".tar.gz", ".tgz", ".tar", ".zip", ".git", ".elf" }) do
    if #base > #ext and base:sub(-#ext):lower() == ext then
      base = base:sub(1, -#ext - 1)
      break
    end
  end
  -- The id names the output folder: keep it a plain file name.
  base = base:gsub("[^%w%._+-]", "_")
  if base == "" or base:match("^%.+$") then base = "submission" end
  return base
end

---------------------------------------------------------------------------
-- Path safety
---------------------------------------------------------------------------

-- Why an archive member name is unsafe, or nil.
local function name_problem(name)
  if name == "" then return "an empty member name" end
  if name:sub(1, 1) == "/" then return "an absolute path (" .. name .. ")" end
  if name:find("%z") then return "a NUL byte in a member name" end
  for part in name:gmatch("[^/]+") do
    if part == ".." then return "a '..' path component (" .. name .. ")" end
  end
  return nil
end

-- Lexically resolves target relative to the folder of member name; nil
-- when it leaves the archive's root.
local function resolve_inside(name, target)
  if target:sub(1, 1) == "/" then return nil end
  local parts = {}
  for part in name:gmatch("[^/]+") do parts[#parts + 1] = part end
  parts[#parts] = nil -- the member itself
  for part in target:gmatch("[^/]+") do
    if part == ".." then
      if #parts == 0 then return nil end
      parts[#parts] = nil
    elseif part ~= "." then
      parts[#parts + 1] = part
    end
  end
  return table.concat(parts, "/")
end

-- Checks a member list {type = "f"|"d"|"l"|"h"|other, name, size, target}:
-- returns the reason to refuse the archive, or nil.
local function members_problem(members)
  if #members > M.MAX_FILES then
    return string.format("it has %d entries, more than the limit of %d", #members, M.MAX_FILES)
  end
  local total, links = 0, {}
  for _, m in ipairs(members) do
    local bad = name_problem(m.name)
    if bad then return "it contains " .. bad end
    total = total + (m.size or 0)
    if m.type == "l" then
      if not resolve_inside(m.name, m.target or "") then
        return string.format("it contains a symbolic link pointing outside it (%s -> %s)",
          m.name, m.target or "?")
      end
      links[m.name:gsub("/+$", "")] = true
    elseif m.type == "h" then
      local tbad = name_problem(m.target or "")
      if tbad then
        return string.format("it contains a hard link to %s (%s)", tbad, m.name)
      end
    elseif m.type ~= "f" and m.type ~= "d" then
      return string.format("it contains a special file (%s, type '%s'); only files, folders " ..
        "and links inside it are accepted", m.name, m.type)
    end
  end
  if total > M.MAX_TOTAL_BYTES then
    return string.format("it unpacks to %d bytes, more than the limit of %d", total, M.MAX_TOTAL_BYTES)
  end
  -- A member stored below a symbolic link member would be written through
  -- the link: refuse instead of trusting the unpacker.
  for _, m in ipairs(members) do
    local prefix = ""
    for part in m.name:gmatch("[^/]+") do
      if prefix ~= "" and links[prefix] then
        return string.format("it stores %s below the symbolic link %s", m.name, prefix)
      end
      prefix = prefix == "" and part or (prefix .. "/" .. part)
    end
  end
  return nil
end

-- After unpacking, a second check of what is actually on disk: only files,
-- folders and links that stay inside.
local function unpacked_problem(dir)
  local entries = util.walk(dir)
  if #entries > M.MAX_FILES then return "it unpacks to more than " .. M.MAX_FILES .. " entries" end
  for _, e in ipairs(entries) do
    if e.type == "l" then
      local target = util.capture({ "readlink", "--", dir .. "/" .. e.path })
      target = target:gsub("\n$", "")
      if not resolve_inside(e.path, target) then
        return "it contains a symbolic link pointing outside it (" .. e.path .. " -> " .. target .. ")"
      end
    elseif e.type ~= "f" and e.type ~= "d" then
      return "it contains a special file (" .. e.path .. ")"
    end
  end
  return nil
end

---------------------------------------------------------------------------
-- Archives
---------------------------------------------------------------------------

-- Undoes tar's --quoting-style=c escapes.
local C_ESCAPES = { a = "\a", b = "\b", f = "\f", n = "\n", r = "\r", t = "\t", v = "\v",
  ["\\"] = "\\", ['"'] = '"', ["?"] = "?" }
local function c_unquote(s)
  return (s:gsub("\\(%d%d%d)", function(o) return string.char(tonumber(o, 8) % 256) end)
           :gsub("\\(.)", function(c) return C_ESCAPES[c] or c end))
end

-- Reads the C-quoted string whose opening quote is at i; returns its text
-- (escapes undone) and the index after the closing quote.
local function read_quoted(line, i)
  local j = i + 1
  while j <= #line do
    local c = line:sub(j, j)
    if c == "\\" then
      j = j + 2
    elseif c == '"' then
      return c_unquote(line:sub(i + 1, j - 1)), j + 1
    else
      j = j + 1
    end
  end
  return nil
end

-- Lists a tar archive (compressed or not) as members; nil + reason when tar
-- cannot read it. Lines look like
--   -rw-r--r-- 0/0   5 2026-12-06 10:00 "name"   (also -> "target", link to "target")
local function tar_members(file)
  -- --absolute-names shows names as stored, so a leading "/" or "../" is
  -- seen here instead of being silently stripped.
  local errfile = os.tmpname()
  local out, rc = util.capture({ "timeout", tostring(M.LIST_TIMEOUT), "tar", "-tv", "--absolute-names",
    "--numeric-owner", "--quoting-style=c", "-f", file }, "2>" .. util.q(errfile))
  local err = util.read_file(errfile) or ""
  os.remove(errfile)
  if rc ~= 0 then
    return nil, "tar cannot read it: " .. util.one_line(err)
  end
  local members = {}
  for _, line in ipairs(util.lines(out)) do
    local t = line:sub(1, 1)
    local size = line:match("^%S+%s+%S+%s+(%d+)")
    local q = line:find('"', 1, true)
    local name, after = nil, nil
    if q then name, after = read_quoted(line, q) end
    if not name or not size then
      return nil, "tar listed a line grade cannot read: " .. util.one_line(line)
    end
    local member = { type = (t == "-" and "f") or t, name = name:gsub("/+$", ""),
                     size = tonumber(size) }
    local rest = line:sub(after)
    local tq = rest:find('"', 1, true)
    if (t == "l" or t == "h") then
      member.target = tq and read_quoted(rest, tq) or ""
      member.size = 0
    end
    if member.name ~= "" then members[#members + 1] = member end
  end
  return members
end

local function tar_unpack(file, dest)
  local rc = util.run({ "timeout", tostring(M.LIST_TIMEOUT), "tar", "-x", "-f", file,
    "-C", dest, "--no-same-owner", "--no-same-permissions", "--no-overwrite-dir" },
    ">/dev/null 2>&1")
  return rc == 0
end

-- Lists a zip archive; zipinfo prints "perms version os size tx method date
-- time name" per member (names may hold spaces, so they are the rest).
local function zip_members(file)
  local out, rc = util.capture({ "timeout", tostring(M.LIST_TIMEOUT), "zipinfo", "-l", "--", file },
    "2>&1 </dev/null")
  if rc ~= 0 and rc ~= 1 then
    return nil, "unzip cannot read it: " .. util.one_line(out)
  end
  local members = {}
  for _, line in ipairs(util.lines(out)) do
    local perms, size, name = line:match("^([%-dlrwxsStTbcp?]+)%s+%S+%s+%S+%s+(%d+)%s+%S+%s+%d+%s+%S+%s+%S+%s+%S+%s(.*)$")
    if perms then
      local t = perms:sub(1, 1)
      if t == "-" then t = "f" end
      if name:sub(-1) == "/" and t == "f" then t = "d" end
      local m = { type = t, name = name:gsub("/+$", ""), size = tonumber(size) }
      if t == "l" then
        local target, prc = util.capture({ "unzip", "-p", "--", file, name }, "2>/dev/null </dev/null")
        if prc ~= 0 then return nil, "unzip cannot read the link " .. name end
        m.target = target
      end
      members[#members + 1] = m
    end
  end
  return members
end

local function zip_unpack(file, dest)
  local rc = util.run({ "timeout", tostring(M.LIST_TIMEOUT), "unzip", "-qq", "-o", "-P", "",
    "--", file, "-d", dest }, ">/dev/null 2>&1 </dev/null")
  return rc == 0 or rc == 1
end

local function open_archive(file, kind, work)
  local size = tonumber((util.capture({ "stat", "-c", "%s", "--", file })))
  if size and size > M.MAX_ARCHIVE_BYTES then
    return { kind = kind, refused = string.format("the archive is %d bytes, more than the limit of %d",
      size, M.MAX_ARCHIVE_BYTES) }
  end
  local members, why
  if kind == "zip" then members, why = zip_members(file) else members, why = tar_members(file) end
  if not members then return { kind = kind, refused = why } end
  local bad = members_problem(members)
  if bad then return { kind = kind, refused = "unsafe archive: " .. bad } end
  local dest = work .. "/unpacked"
  util.mkdir_p(dest)
  local ok
  if kind == "zip" then ok = zip_unpack(file, dest) else ok = tar_unpack(file, dest) end
  if not ok then return { kind = kind, refused = "the archive could not be unpacked completely" } end
  bad = unpacked_problem(dest)
  if bad then return { kind = kind, refused = "unsafe archive: " .. bad } end
  return { kind = kind, tree = dest }
end

---------------------------------------------------------------------------
-- Git repositories
---------------------------------------------------------------------------

local function is_bare_repo(dir)
  return util.is_file(dir .. "/HEAD") and util.is_dir(dir .. "/objects") and util.is_dir(dir .. "/refs")
end

-- git with the submission's own configuration and hooks out of reach, no
-- network transport, no prompts.
local GIT = { "env", "GIT_TERMINAL_PROMPT=0", "GIT_CONFIG_NOSYSTEM=1", "GIT_ASKPASS=true",
  "git", "-c", "core.hooksPath=/dev/null", "-c", "protocol.allow=never",
  "-c", "protocol.file.allow=always", "-c", "safe.directory=*",
  "-c", "core.fsmonitor=false", "-c", "submodule.recurse=false" }

local function git(args)
  local words = {}
  for _, w in ipairs(GIT) do words[#words + 1] = w end
  for _, w in ipairs(args) do words[#words + 1] = w end
  return words
end

local function open_git(dir, ref, work)
  local clone = work .. "/clone"
  local out, rc = util.capture(git({ "clone", "--quiet", "--no-checkout", "--no-hardlinks",
    "file://" .. dir, clone }), "2>&1 </dev/null")
  if rc ~= 0 then
    util.usage_error("cannot clone the git repository " .. dir .. ": " .. util.one_line(out))
  end
  ref = ref or "HEAD"
  local sha
  for _, candidate in ipairs({ ref, "origin/" .. ref }) do
    local o, r = util.capture(git({ "-C", clone, "rev-parse", "--verify", "--quiet",
      "--end-of-options", candidate .. "^{commit}" }), "2>/dev/null")
    if r == 0 then
      sha = o:match("^(%x+)")
      break
    end
  end
  if not sha then
    if ref == "HEAD" then
      util.usage_error("the git repository " .. dir .. " has no commit at HEAD (empty repository?); " ..
        "commit the work or give --ref BRANCH")
    end
    util.usage_error("the git repository " .. dir .. " has no commit, branch or tag named '" .. ref ..
      "'; list them with: git -C " .. util.q(dir) .. " log --oneline --all")
  end
  local co_out, co_rc = util.capture(git({ "-C", clone, "checkout", "--quiet", "--detach", sha }),
    "2>&1 </dev/null")
  if co_rc ~= 0 then
    return { kind = "git", commit = sha, refused = "git cannot check out " .. sha .. ": " .. util.one_line(co_out) }
  end
  util.rm_rf(clone .. "/.git")
  local bad = unpacked_problem(clone)
  if bad then return { kind = "git", commit = sha, refused = "unsafe repository: " .. bad } end
  local total = 0
  for _, e in ipairs(util.walk(clone)) do total = total + e.size end
  if total > M.MAX_TOTAL_BYTES then
    return { kind = "git", commit = sha, refused = string.format(
      "the checked-out tree is %d bytes, more than the limit of %d", total, M.MAX_TOTAL_BYTES) }
  end
  return { kind = "git", commit = sha, tree = clone }
end

---------------------------------------------------------------------------
-- Prebuilt images
---------------------------------------------------------------------------

local function le32(s, i)
  local a, b, c, d = s:byte(i, i + 3)
  return a | (b << 8) | (c << 16) | (d << 24)
end

-- Why an ELF file is not an x86-64 Multiboot2 image, or nil.
local function image_problem(head)
  local class, data = head:byte(5), head:byte(6)
  local machine = #head >= 20 and (head:byte(19) | (head:byte(20) << 8)) or -1
  if class ~= 2 then
    return string.format("an ELF%s file, not ELF64", class == 1 and "32" or (" class " .. tostring(class)))
  end
  if data ~= 1 then return "a big-endian ELF64 file, not little-endian x86-64" end
  if machine ~= 62 then
    return string.format("an ELF64 file for machine %d, not x86-64 (62)", machine)
  end
  local limit = math.min(#head, M.MB2_SEARCH_BYTES)
  for off = 0, limit - 16, 8 do
    if le32(head, off + 1) == M.MB2_MAGIC then
      local arch, len, sum = le32(head, off + 5), le32(head, off + 9), le32(head, off + 13)
      if (M.MB2_MAGIC + arch + len + sum) & 0xFFFFFFFF ~= 0 then
        return string.format("an x86-64 ELF whose Multiboot2 header at offset %d has a bad checksum", off)
      end
      if len < 16 or off + len > M.MB2_SEARCH_BYTES then
        return string.format("an x86-64 ELF whose Multiboot2 header at offset %d has a bad length %d", off, len)
      end
      return nil
    end
  end
  return "an x86-64 ELF file without a Multiboot2 header in its first 32 KiB"
end

---------------------------------------------------------------------------

local function describe_file(path, head)
  local out, rc = util.capture({ "file", "-b", "--", path }, "2>/dev/null")
  if rc == 0 and out ~= "" then return util.one_line(out, 100) end
  if head == "" then return "an empty file" end
  local hex = {}
  for i = 1, math.min(8, #head) do hex[i] = string.format("%02x", head:byte(i)) end
  return "a file starting with bytes " .. table.concat(hex, " ")
end

function M.open(path, ref, work)
  local kind = util.kind(path)
  if kind == nil then
    util.usage_error("the submission " .. path .. " does not exist; give " .. M.ACCEPTED)
  end
  local real = util.realpath(path)
  if kind == "d" then
    if util.exists(path .. "/.git") then return open_git(real, ref, work) end
    if is_bare_repo(path) then return open_git(real, ref, work) end
    if ref then
      util.usage_error("--ref " .. ref .. " was given but " .. path .. " is a plain folder, not a git " ..
        "repository (no .git inside)")
    end
    return { kind = "directory", tree = real }
  end
  if kind == "l" then
    -- realpath followed the link; judge what it points at.
    return M.open(real, ref, work)
  end
  if kind ~= "f" then
    util.usage_error("the submission " .. path .. " is a special file; give " .. M.ACCEPTED)
  end
  local head = util.read_file(path, M.MB2_SEARCH_BYTES)
  if head == nil then
    util.usage_error("cannot read the submission " .. path .. " (permissions?)")
  end
  if ref then
    util.usage_error("--ref " .. ref .. " was given but " .. path .. " is a file, not a git repository")
  end
  if head:sub(1, 4) == "\127ELF" then
    local bad = image_problem(head)
    if bad then
      util.usage_error("the submission " .. path .. " is " .. bad .. "; a prebuilt image must be " ..
        "the hypervisor's x86-64 Multiboot2 ELF (reference/hvspec.elf of a build)")
    end
    return { kind = "image", image = real }
  end
  if head:sub(1, 2) == "\31\139" or head:sub(258, 262) == "ustar" then
    return open_archive(real, "tar", work)
  end
  if head:sub(1, 4) == "PK\3\4" or head:sub(1, 4) == "PK\5\6" then
    return open_archive(real, "zip", work)
  end
  util.usage_error("the submission " .. path .. " is " .. describe_file(path, head) ..
    ", which grade does not take; give " .. M.ACCEPTED)
end

-- Exposed for tests of the checks.
M.members_problem = members_problem
M.image_problem = image_problem

return M
