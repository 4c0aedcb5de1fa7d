-- grading/handout/spec_writer.lua: writes spec tables that hold only some
-- cases (a handout's public ones). The source tables build cases with
-- helper functions and loops, so rows cannot be cut out of their text;
-- instead each kept case is written back, field by field, from the record
-- spec/loader.lua made of it, and the result is checked by loading it again.
--
-- Use: local w = dofile(".../spec_writer.lua")
--      w.write(spec_dir, set, keep_ids, loader, header) -- header(area) -> lines -> { area files written }

local M = {}

-- A Lua string literal: printable ASCII verbatim, everything else escaped,
-- so the file is plain ASCII whatever the spec strings hold.
local function quote(s)
  return '"' .. s:gsub('[%c"\\\127-\255]', function(c)
    if c == '"' then return '\\"' end
    if c == "\\" then return "\\\\" end
    if c == "\n" then return "\\n" end
    if c == "\t" then return "\\t" end
    return string.format("\\x%02x", c:byte())
  end) .. '"'
end

local function list(items)
  local out = {}
  for i, s in ipairs(items) do out[i] = quote(s) end
  return "{ " .. table.concat(out, ", ") .. " }"
end

-- The case{} source of one loaded case record. Optional fields equal to the
-- loader's defaults are left out, as an author would.
local function case_source(c, defaults)
  local out = { "case {" }
  local function put(k, v) out[#out + 1] = "  " .. k .. " = " .. v .. "," end
  put("id", quote(c.id))
  if c.judges and #c.judges > 0 then put("judges", list(c.judges)) end
  put("behavior", quote(c.behavior))
  put("source", quote(c.source))
  put("probe", quote(c.probe))
  if c.extra_module then put("extra_module", quote(c.extra_module)) end
  if c.disk then
    local d = c.disk
    local size = d.from and ("from = " .. quote(d.from))
      or ("bytes = " .. tostring(d.bytes) .. ", fill = " .. quote(d.fill))
    put("disk", "{ " .. size .. ", string = " .. quote(d.string) .. ", first = " .. tostring(d.first) .. " }")
  end
  for _, f in ipairs({ "cmdline", "hv_cmdline", "cpu" }) do
    if c[f] ~= defaults[f] then put(f, quote(c[f])) end
  end
  for _, f in ipairs({ "machine_mib", "timeout" }) do
    if c[f] ~= defaults[f] then put(f, tostring(c[f])) end
  end
  if #c.engines > 0 then put("engines", list(c.engines)) end
  if c.requires and #c.requires > 0 then put("requires", list(c.requires)) end
  out[#out + 1] = "  expect = {"
  if c.expect.report_is_pattern then
    out[#out + 1] = "    report = { pattern = " .. quote(c.expect.report) .. " },"
  else
    out[#out + 1] = "    report = " .. quote(c.expect.report) .. ","
  end
  for _, f in ipairs({ "lines", "ordered", "forbid" }) do
    if #c.expect[f] > 0 then out[#out + 1] = "    " .. f .. " = " .. list(c.expect[f]) .. "," end
  end
  out[#out + 1] = "  },"
  put("points", tostring(c.points))
  out[#out + 1] = "}"
  return table.concat(out, "\n")
end

-- Deep equality of two loaded records, ignoring where they were declared.
local IGNORED = { file = true, line = true }
local function same(a, b)
  if type(a) ~= type(b) then return false end
  if type(a) ~= "table" then return a == b end
  for k, v in pairs(a) do
    if not IGNORED[k] and not same(v, b[k]) then return false end
  end
  for k in pairs(b) do
    if not IGNORED[k] and a[k] == nil then return false end
  end
  return true
end

local function write_file(path, text)
  local f, err = io.open(path, "wb")
  if not f then error("cannot write " .. path .. ": " .. tostring(err), 0) end
  f:write(text)
  f:close()
end

-- Writes spec_dir/<area>.lua for every area with at least one kept case
-- (spec_dir must hold no area tables any more) and checks the result:
-- loading spec_dir gives exactly the kept cases, equal to the originals.
function M.write(spec_dir, set, keep, loader, header)
  local written = {}
  for _, a in ipairs(set.areas) do
    local rows = {}
    for _, c in ipairs(a.cases) do
      if keep[c.id] then rows[#rows + 1] = case_source(c, loader.DEFAULTS) end
    end
    if #rows > 0 then
      local text = {}
      for _, h in ipairs(header(a.name)) do text[#text + 1] = "-- " .. h end
      text[#text + 1] = ""
      text[#text + 1] = "area { name = " .. quote(a.name) .. ", doc = " .. quote(a.doc) .. " }"
      for _, r in ipairs(rows) do
        text[#text + 1] = ""
        text[#text + 1] = r
      end
      local name = a.name .. ".lua"
      write_file(spec_dir .. "/" .. name, table.concat(text, "\n") .. "\n")
      written[#written + 1] = name
    end
  end

  local again = loader.load_dir(spec_dir, written)
  local by_id, n_keep = {}, 0
  for _ in pairs(keep) do n_keep = n_keep + 1 end
  for _, c in ipairs(again.cases) do by_id[c.id] = c end
  if #again.cases ~= n_keep then
    error(string.format("spec_writer: wrote %d cases, expected %d", #again.cases, n_keep), 0)
  end
  for _, c in ipairs(set.cases) do
    if keep[c.id] and not same(c, by_id[c.id] or {}) then
      error("spec_writer: case " .. c.id .. " changed when written back", 0)
    end
  end
  return written
end

return M
