-- grading/handout/regions.lua: the solution-region markers of the reference.
--
-- A solution region is code of reference/** that a handout removes. In the
-- reference it sits between two comment markers, followed by the stub that
-- replaces it, itself inside a comment (so the reference compiles the
-- solution and ignores the stub):
--
--     /* hvspec-solution begin: NAME */
--     ... the solution ...
--     /* hvspec-solution stub: NAME
--     ... the stub: code that calls vm_end_not_implemented("NAME") ...
--     hvspec-solution end: NAME */
--
-- Each marker stands alone on its line (leading blanks allowed). A region
-- NAME ([a-z][a-z0-9_]*) may have several marker blocks, in several files
-- (one per function it covers); a handout replaces all of them. Regions do
-- not nest. The stub may not contain "/*" or "*/" (it lives in a comment).
-- No region sits in reference/lib/ (built without vm_end_not_implemented for
-- the host unit tests), so a handout's unit tests behave as the reference's.
--
-- Use: local regions = dofile(ROOT .. "/grading/handout/regions.lua")
--      local found = regions.scan_tree(ROOT)      -- every block under reference/
--      local text = regions.apply(text, display, { name = true, ... })
-- Problems are raised as "reference/<file>:<line>: <problem>".

local M = {}

M.TAG = "hvspec-solution"
M.NAME_PATTERN = "^[a-z][a-z0-9_]*$"
M.STUB_CALL = 'vm_end_not_implemented("%s")'
-- Portable code shared with the host unit tests and romboot: no regions.
M.LIB_DIR = "reference/lib/"
-- Files the scan reads (the reference's C and assembly sources).
M.SOURCE_SUFFIXES = { ".c", ".h", ".S" }

local function fail(display, line, what)
  error(string.format("%s:%d: %s", display, line, what), 0)
end

-- Classifies one line: kind ("begin", "stub", "end") and name, or nil when
-- the line holds no marker. A line that mentions the tag in any other shape
-- is an error: a mistyped marker must never be silently kept as code.
local function classify(line, display, n)
  if not line:find(M.TAG, 1, true) then return nil end
  local body = line:match("^%s*(.-)%s*$")
  local name = body:match("^/%* hvspec%-solution begin: (%S+) %*/$")
  if name then return "begin", name end
  name = body:match("^/%* hvspec%-solution stub: (%S+)$")
  if name then return "stub", name end
  name = body:match("^hvspec%-solution end: (%S+) %*/$")
  if name then return "end", name end
  fail(display, n, "malformed solution marker " .. string.format("%q", body) ..
    " (the three forms, each alone on its line: '/* hvspec-solution begin: NAME */', "
    .. "'/* hvspec-solution stub: NAME', 'hvspec-solution end: NAME */')")
end

-- Splits text into lines, remembering whether it ended with a newline.
local function split_lines(text)
  local lines = {}
  for l in (text .. (text:sub(-1) == "\n" and "" or "\n")):gmatch("(.-)\n") do
    lines[#lines + 1] = l
  end
  return lines, text:sub(-1) == "\n"
end

-- Parses the markers of one file's text. Returns the list of blocks
-- { name, file, begin_line, stub_line, end_line, stub = {lines} } and the
-- file's lines.
function M.parse(text, display)
  local lines = split_lines(text)
  local in_lib = display:find(M.LIB_DIR, 1, true) == 1
  local blocks, open = {}, nil   -- open: the block being read
  for n, line in ipairs(lines) do
    local kind, name = classify(line, display, n)
    if kind then
      if not name:match(M.NAME_PATTERN) then
        fail(display, n, string.format("bad region name %q: use [a-z][a-z0-9_]*", name))
      end
    end
    if kind == "begin" and in_lib then
      fail(display, n, string.format("region '%s': no solution region may sit in %s, which the host "
        .. "unit tests and romboot build without vm_end_not_implemented (put it in reference/core/ "
        .. "or reference/vmx/)", name, M.LIB_DIR))
    end
    if kind == "begin" then
      if open then
        fail(display, n, string.format("region '%s' begins inside region '%s' (begun at line %d): "
          .. "regions cannot nest; end the first one before", name, open.name, open.begin_line))
      end
      open = { name = name, file = display, begin_line = n, stub = {} }
    elseif kind == "stub" then
      if not open then
        fail(display, n, string.format("stub marker of region '%s' without a begin marker before it", name))
      end
      if open.name ~= name then
        fail(display, n, string.format("stub marker names region '%s' but the open region is '%s' (begun at line %d)",
          name, open.name, open.begin_line))
      end
      if open.stub_line then
        fail(display, n, string.format("second stub marker of region '%s' (first at line %d)", name, open.stub_line))
      end
      open.stub_line = n
    elseif kind == "end" then
      if not open then
        fail(display, n, string.format("end marker of region '%s' without a begin marker before it", name))
      end
      if open.name ~= name then
        fail(display, n, string.format("end marker names region '%s' but the open region is '%s' (begun at line %d)",
          name, open.name, open.begin_line))
      end
      if not open.stub_line then
        fail(display, n, string.format("region '%s' (begun at line %d) has no stub: put "
          .. "'/* hvspec-solution stub: %s', the stub's code, then this end marker",
          name, open.begin_line, name))
      end
      if #open.stub == 0 then
        fail(display, n, string.format("the stub of region '%s' is empty", name))
      end
      local call = string.format(M.STUB_CALL, name)
      local calls = false
      for _, s in ipairs(open.stub) do
        if s:find(call, 1, true) then calls = true end
      end
      if not calls then
        fail(display, open.stub_line, string.format("the stub of region '%s' never calls %s, "
          .. "so reaching it would not end the VM visibly", name, call))
      end
      open.end_line = n
      blocks[#blocks + 1] = open
      open = nil
    elseif open and open.stub_line then
      if line:find("/*", 1, true) or line:find("*/", 1, true) then
        fail(display, n, string.format("the stub of region '%s' contains a comment delimiter; "
          .. "the stub lives inside a comment (use // comments there)", open.name))
      end
      open.stub[#open.stub + 1] = line
    end
  end
  if open then
    fail(display, open.begin_line, string.format("region '%s' is never ended (no 'hvspec-solution end: %s */')",
      open.name, open.name))
  end
  return blocks, lines
end

-- Rewrites one file's text for a handout: blocks of regions in `remove`
-- become their stub (after a one-line note), every other block keeps its
-- solution; all marker lines disappear.
function M.apply(text, display, remove, lab_name)
  local blocks, lines = M.parse(text, display)
  if #blocks == 0 then return text end
  local _, had_newline = split_lines(text)
  local out, i = {}, 1
  for _, b in ipairs(blocks) do
    for k = i, b.begin_line - 1 do out[#out + 1] = lines[k] end
    if remove[b.name] then
      local indent = lines[b.begin_line]:match("^(%s*)")
      out[#out + 1] = string.format('%s/* Lab %s, region "%s": write this part (see README.md). '
        .. "Until then the stub below ends the VM. */", indent, lab_name, b.name)
      for _, s in ipairs(b.stub) do out[#out + 1] = s end
    else
      for k = b.begin_line + 1, b.stub_line - 1 do out[#out + 1] = lines[k] end
    end
    i = b.end_line + 1
  end
  for k = i, #lines do out[#out + 1] = lines[k] end
  return table.concat(out, "\n") .. (had_newline and "\n" or "")
end

local function shell_quote(s)
  return "'" .. s:gsub("'", "'\\''") .. "'"
end

-- Source files under ROOT/reference, relative to ROOT, sorted.
function M.source_files(root)
  local p = io.popen("cd " .. shell_quote(root) .. " && find reference/ -type f 2>/dev/null | LC_ALL=C sort")
  local files = {}
  for f in p:lines() do
    for _, suffix in ipairs(M.SOURCE_SUFFIXES) do
      if f:sub(-#suffix) == suffix then files[#files + 1] = f end
    end
  end
  p:close()
  return files
end

local function read_file(path)
  local f, err = io.open(path, "rb")
  if not f then error(tostring(err), 0) end
  local text = f:read("a")
  f:close()
  return text
end
M.read_file = read_file

-- Every marker block of the reference: { blocks = {...}, by_name = { name
-- = { block, ... } }, names = { sorted names } }.
function M.scan_tree(root)
  local found = { blocks = {}, by_name = {}, names = {} }
  for _, f in ipairs(M.source_files(root)) do
    local blocks = M.parse(read_file(root .. "/" .. f), f)
    for _, b in ipairs(blocks) do
      found.blocks[#found.blocks + 1] = b
      if not found.by_name[b.name] then
        found.by_name[b.name] = {}
        found.names[#found.names + 1] = b.name
      end
      table.insert(found.by_name[b.name], b)
    end
  end
  table.sort(found.names)
  return found
end

return M
