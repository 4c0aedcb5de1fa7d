-- grading/handout/probe_prune.lua: takes probes out of a handout tree. A
-- probe goes when only hidden cases boot it: its folder
-- guest-probes/<probe>/ (hand-made images have none) and its name in the
-- list variables of guest-probes/*.mk (GP_PROBES64, MV_PROBES, GP_IMAGES,
-- the explicit names in GP_TARGETS, ...), so the probe build still works.
--
-- Use: local prune = dofile(".../probe_prune.lua")
--      prune.remove(tree, { "pio_mem", ... })

local M = {}

local function shell_quote(s)
  return "'" .. s:gsub("'", "'\\''") .. "'"
end

local function read(path)
  local f = assert(io.open(path, "rb"))
  local t = f:read("a")
  f:close()
  return t
end

local function write(path, text)
  local f, err = io.open(path, "wb")
  if not f then error("cannot write " .. path .. ": " .. tostring(err), 0) end
  f:write(text)
  f:close()
end

-- A make word boundary on the left: start of line, blank or "=".
local function left_ok(line, i)
  return i == 1 or line:sub(i - 1, i - 1):match("[%s=]") ~= nil
end
-- On the right: end of line, blank, ")" or a continuation "\".
local function right_ok(line, j)
  return j == #line or line:sub(j + 1, j + 1):match("[%s%)\\]") ~= nil
end

-- Removes whole-word occurrences of `name` from one line; returns the new
-- line and how many went.
local function drop_word(line, name)
  local out, n, from = {}, 0, 1
  while true do
    local i, j = line:find(name, from, true)
    if not i then break end
    if left_ok(line, i) and right_ok(line, j) then
      out[#out + 1] = line:sub(from, i - 1)
      -- also drop one blank after it, so lists stay tidy
      if line:sub(j + 1, j + 1) == " " then j = j + 1 end
      n = n + 1
    else
      out[#out + 1] = line:sub(from, j)
    end
    from = j + 1
  end
  out[#out + 1] = line:sub(from)
  return table.concat(out), n
end

-- Rewrites the variable assignments of one makefile (an assignment and its
-- "\" continuation lines; rules and recipes are left alone).
local function prune_makefile(text, names, counts)
  local lines = {}
  local in_assignment = false
  for line in (text .. (text:sub(-1) == "\n" and "" or "\n")):gmatch("(.-)\n") do
    if not in_assignment and line:match("^%s*[%w_]+%s*[:+?]?=") then in_assignment = true end
    if in_assignment then
      local head, rest = line:match("^(%s*[%w_]+%s*[:+?]?=)(.*)$")
      if not head then head, rest = "", line end
      for _, n in ipairs(names) do
        local k
        rest, k = drop_word(rest, n)
        counts[n] = counts[n] + k
      end
      line = head .. rest
      in_assignment = line:sub(-1) == "\\"
    end
    lines[#lines + 1] = line
  end
  return table.concat(lines, "\n") .. "\n"
end

function M.remove(tree, names)
  if #names == 0 then return end
  local counts = {}
  for _, n in ipairs(names) do counts[n] = 0 end
  local p = io.popen("cd " .. shell_quote(tree) .. " && ls -1 guest-probes/*.mk 2>/dev/null | LC_ALL=C sort")
  local makefiles = {}
  for f in p:lines() do makefiles[#makefiles + 1] = f end
  p:close()
  for _, mk in ipairs(makefiles) do
    local path = tree .. "/" .. mk
    local before = read(path)
    local after = prune_makefile(before, names, counts)
    if after ~= before then write(path, after) end
  end
  for _, n in ipairs(names) do
    if counts[n] == 0 then
      error(string.format("probe_prune: no list in guest-probes/*.mk names probe '%s'; "
        .. "cannot take it out of the handout's build", n), 0)
    end
    local ok = os.execute("rm -rf -- " .. shell_quote(tree .. "/guest-probes/" .. n))
    if not ok then error("probe_prune: cannot remove guest-probes/" .. n, 0) end
  end
  -- The probe table of guest-probes/README.md: one row per probe.
  local readme = tree .. "/guest-probes/README.md"
  local f = io.open(readme, "rb")
  if f then
    local text = f:read("a")
    f:close()
    local drop = {}
    for _, n in ipairs(names) do drop["| " .. n .. " |"] = true; drop["| `" .. n .. "` |"] = true end
    local out = {}
    for line in (text .. (text:sub(-1) == "\n" and "" or "\n")):gmatch("(.-)\n") do
      local key = line:match("^(| `?[%w_%-]+`? |)")
      if not (key and drop[key]) then out[#out + 1] = line end
    end
    write(readme, table.concat(out, "\n") .. "\n")
  end
end

return M
