-- ci/coverage-tracefile.lua: reads lcov tracefiles (geninfo(1), "TRACEFILE
-- FORMAT") for ci/coverage-map.lua and ci/coverage-summary.lua.
--   local T = dofile("ci/coverage-tracefile.lua")
--   local files = T.read(path)   -- { [source path] = record }, counts of a
--                                -- file recorded twice are added
-- A record: lines = { [line] = hits }, functions = { [name] = { line, hits } },
-- branches = { ["line,block,branch"] = taken (a number, or false: never
-- evaluated) }.
local M = {}

local function record(files, path)
  local r = files[path]
  if not r then
    r = { path = path, lines = {}, functions = {}, branches = {} }
    files[path] = r
  end
  return r
end

function M.read(path)
  local f, err = io.open(path)
  if not f then error(string.format("cannot read the tracefile %s: %s", path, err), 0) end
  local files, r = {}, nil
  local n = 0
  for line in f:lines() do
    n = n + 1
    local tag, value = line:match("^(%u+):(.*)$")
    if tag == "SF" then
      r = record(files, value)
    elseif tag and not r and tag ~= "TN" then
      f:close()
      error(string.format("%s:%d: %s before any SF: record: not an lcov tracefile", path, n, tag), 0)
    elseif tag == "DA" then
      local ln, hits = value:match("^(%d+),(%-?%d+)")
      if not ln then error(string.format("%s:%d: malformed DA: %q", path, n, line), 0) end
      ln = tonumber(ln)
      r.lines[ln] = (r.lines[ln] or 0) + math.max(tonumber(hits), 0)
    elseif tag == "FN" then
      local ln, name = value:match("^(%d+),(.+)$")
      if not ln then error(string.format("%s:%d: malformed FN: %q", path, n, line), 0) end
      local fn = r.functions[name] or { hits = 0 }
      fn.line = tonumber(ln)
      r.functions[name] = fn
    elseif tag == "FNDA" then
      local hits, name = value:match("^(%d+),(.+)$")
      if not hits then error(string.format("%s:%d: malformed FNDA: %q", path, n, line), 0) end
      local fn = r.functions[name] or { hits = 0 }
      fn.hits = fn.hits + tonumber(hits)
      r.functions[name] = fn
    elseif tag == "BRDA" then
      local ln, block, branch, taken = value:match("^(%d+),(%d+),(%d+),(.+)$")
      if not ln then error(string.format("%s:%d: malformed BRDA: %q", path, n, line), 0) end
      local key = ln .. "," .. block .. "," .. branch
      local old = r.branches[key]
      if taken == "-" then
        r.branches[key] = old or false
      else
        r.branches[key] = (old or 0) + tonumber(taken)
      end
    end
  end
  f:close()
  return files
end

-- { lines = {hit, found}, functions = {hit, found}, branches = {hit, found} }
-- of one record, or added over several.
function M.counts(records)
  local c = { lines = { 0, 0 }, functions = { 0, 0 }, branches = { 0, 0 } }
  for _, r in ipairs(records) do
    for _, hits in pairs(r.lines) do
      c.lines[2] = c.lines[2] + 1
      if hits > 0 then c.lines[1] = c.lines[1] + 1 end
    end
    for _, fn in pairs(r.functions) do
      c.functions[2] = c.functions[2] + 1
      if fn.hits > 0 then c.functions[1] = c.functions[1] + 1 end
    end
    for _, taken in pairs(r.branches) do
      c.branches[2] = c.branches[2] + 1
      if taken and taken > 0 then c.branches[1] = c.branches[1] + 1 end
    end
  end
  return c
end

-- "93.1% (1750 of 1880)", or "-" when nothing was found.
function M.rate(pair)
  if pair[2] == 0 then return "-" end
  return string.format("%.1f%% (%d of %d)", 100 * pair[1] / pair[2], pair[1], pair[2])
end

-- The records of files under root .. prefix, sorted by path.
function M.under(files, prefix)
  local out = {}
  for p, r in pairs(files) do
    if p:sub(1, #prefix) == prefix then out[#out + 1] = r end
  end
  table.sort(out, function(a, b) return a.path < b.path end)
  return out
end

-- Groups items by key(item), keeping the order keys first appear in:
-- returns the keys and { [key] = { items } }.
function M.group_by(items, key)
  local order, groups = {}, {}
  for _, item in ipairs(items) do
    local k = key(item)
    if not groups[k] then
      groups[k] = {}
      order[#order + 1] = k
    end
    table.insert(groups[k], item)
  end
  return order, groups
end

function M.html_escape(s)
  return (tostring(s):gsub("[&<>\"]", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;",
    ['"'] = "&quot;" }))
end

-- Writes through a temporary name so a reader never sees half a file.
function M.write(path, text)
  local tmp = path .. ".tmp"
  local f, err = io.open(tmp, "w")
  if not f then error(string.format("cannot write %s: %s", path, err), 0) end
  f:write(text)
  f:close()
  local ok, rerr = os.rename(tmp, path)
  if not ok then error(string.format("cannot write %s: %s", path, rerr), 0) end
end

return M
