-- grading/submission/util.lua: process and file helpers shared by grade's
-- modules (Lua has no directory or process API of its own, so these go
-- through sh, find and coreutils with every argument quoted).

local M = {}

-- A problem with the grader's input or environment: grade prints the
-- message and exits with status 2 (interface E: bad usage / unreadable
-- submission). Anything else raised is a bug and also exits 2, with a trace.
local USAGE = {}
M.USAGE = USAGE

function M.usage_error(msg)
  error(setmetatable({ msg = msg }, USAGE), 0)
end

function M.is_usage_error(e)
  return type(e) == "table" and getmetatable(e) == USAGE
end

-- Quotes one word for sh.
function M.q(s)
  s = tostring(s)
  if s:match("^[%w%%+,./:=@_-]+$") then return s end
  return "'" .. s:gsub("'", "'\\''") .. "'"
end

-- Builds a sh command line from a list of words.
function M.cmdline(words)
  local out = {}
  for i, w in ipairs(words) do out[i] = M.q(w) end
  return table.concat(out, " ")
end

-- Runs a list of words (plus optional sh redirections appended verbatim);
-- returns the exit status (128+N for a signal).
function M.run(words, redirect)
  local cmd = M.cmdline(words) .. (redirect and (" " .. redirect) or "")
  local ok, how, code = os.execute(cmd)
  if ok then return 0 end
  if how == "signal" then return 128 + code end
  return code
end

-- Runs words and returns their stdout (stderr passes through unless
-- redirect says otherwise) and exit status.
function M.capture(words, redirect)
  local cmd = M.cmdline(words) .. (redirect and (" " .. redirect) or "")
  local p = assert(io.popen(cmd, "r"))
  local out = p:read("a")
  local ok, how, code = p:close()
  if ok then return out, 0 end
  if how == "signal" then return out, 128 + code end
  return out, code
end

function M.read_file(path, max_bytes)
  local f = io.open(path, "rb")
  if not f then return nil end
  local data = f:read(max_bytes or "a") or ""
  f:close()
  return data
end

function M.write_file(path, data)
  local f, err = io.open(path, "wb")
  if not f then error("cannot write " .. tostring(err), 0) end
  f:write(data)
  f:close()
end

-- Writes data to path through a temporary file renamed into place.
function M.write_atomic(path, data)
  local tmp = path .. ".tmp"
  M.write_file(tmp, data)
  local ok, err = os.rename(tmp, path)
  if not ok then
    os.remove(tmp)
    error("cannot rename " .. tmp .. ": " .. tostring(err), 0)
  end
end

-- The last n bytes of a file (nil when missing), starting at a line.
function M.tail_bytes(path, n)
  local f = io.open(path, "rb")
  if not f then return nil end
  local size = f:seek("end")
  local start = math.max(0, size - n)
  f:seek("set", start)
  local data = f:read("a") or ""
  f:close()
  if start > 0 then
    local nl = data:find("\n", 1, true)
    if nl then data = data:sub(nl + 1) end
    data = "[... " .. start .. " earlier bytes not shown]\n" .. data
  end
  return data
end

-- Type letter of a path without following a final symlink ("f", "d",
-- "l", "p", "s", "c", "b"), nil when it does not exist.
function M.kind(path)
  local out, rc = M.capture({ "stat", "-c", "%F", "--", path }, "2>/dev/null")
  if rc ~= 0 then return nil end
  out = out:gsub("\n$", "")
  if out:match("^regular") then return "f" end
  if out == "directory" then return "d" end
  if out == "symbolic link" then return "l" end
  if out == "fifo" then return "p" end
  if out == "socket" then return "s" end
  if out == "character special file" then return "c" end
  if out == "block special file" then return "b" end
  return "?"
end

function M.exists(path) return M.kind(path) ~= nil end
function M.is_dir(path) return M.kind(path) == "d" end
function M.is_file(path) return M.kind(path) == "f" end

function M.mkdir_p(path)
  if M.run({ "mkdir", "-p", "--", path }) ~= 0 then
    error("cannot create the folder " .. path, 0)
  end
end

function M.rm_rf(path)
  M.run({ "rm", "-rf", "--", path })
end

-- Every entry under dir (not dir itself) as {path = relative path,
-- type = find's %y letter, size = bytes}, sorted by path; folders named in
-- prune (relative paths) are left out with their contents.
function M.walk(dir, prune)
  local words = { "find", dir, "-mindepth", "1" }
  for _, p in ipairs(prune or {}) do
    words[#words + 1] = "("
    words[#words + 1] = "-path"
    words[#words + 1] = dir .. "/" .. p
    words[#words + 1] = "-prune"
    words[#words + 1] = ")"
    words[#words + 1] = "-o"
  end
  words[#words + 1] = "-printf"
  words[#words + 1] = "%y %s %P\\0"
  local out, rc = M.capture(words)
  if rc ~= 0 then error("cannot list " .. dir, 0) end
  local entries = {}
  for rec in out:gmatch("([^%z]+)%z") do
    local t, size, path = rec:match("^(%S) (%d+) (.*)$")
    if t and path ~= "" then
      -- find prints the pruned folder itself too; drop it.
      local pruned = false
      for _, p in ipairs(prune or {}) do
        if path == p then pruned = true end
      end
      if not pruned then
        entries[#entries + 1] = { path = path, type = t, size = tonumber(size) }
      end
    end
  end
  table.sort(entries, function(a, b) return a.path < b.path end)
  return entries
end

-- True when two regular files have the same bytes.
function M.same_content(a, b)
  local fa, fb = io.open(a, "rb"), io.open(b, "rb")
  if not fa or not fb then
    if fa then fa:close() end
    if fb then fb:close() end
    return false
  end
  local same = true
  while true do
    local ca, cb = fa:read(65536), fb:read(65536)
    if ca ~= cb then same = false break end
    if ca == nil then break end
  end
  fa:close()
  fb:close()
  return same
end

function M.sha256(path)
  local out, rc = M.capture({ "sha256sum", "--", path })
  local hex = out:match("^(%x+)")
  if rc ~= 0 or not hex or #hex ~= 64 then error("cannot hash " .. path, 0) end
  return hex
end

function M.realpath(path)
  local out, rc = M.capture({ "realpath", "-e", "--", path }, "2>/dev/null")
  if rc ~= 0 then return nil end
  return (out:gsub("\n$", ""))
end

function M.basename(path)
  path = path:gsub("/+$", "")
  return path:match("([^/]*)$")
end

function M.dirname(path)
  local d = path:gsub("/+$", ""):match("^(.*)/[^/]*$")
  if d == nil then return "." end
  if d == "" then return "/" end
  return d
end

-- Lines of a string, without their newlines.
function M.lines(s)
  local out = {}
  for line in (s .. "\n"):gmatch("(.-)\r?\n") do out[#out + 1] = line end
  if out[#out] == "" then out[#out] = nil end
  return out
end

-- The first line of s, trimmed, cut to max characters.
function M.one_line(s, max)
  s = tostring(s or ""):match("^%s*([^\n]*)") or ""
  s = s:gsub("%s+$", "")
  max = max or 200
  if #s > max then s = s:sub(1, max - 3) .. "..." end
  return s
end

function M.utc_now()
  return os.date("!%Y-%m-%dT%H:%M:%SZ")
end

-- Monotonic-enough wall clock in seconds with sub-second precision.
function M.clock()
  local out = M.capture({ "date", "+%s.%N" })
  return tonumber(out) or os.time()
end

return M
