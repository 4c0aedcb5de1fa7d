-- grading/gradebook/csv.lua: gradebook.csv, one row per submission (RFC 4180
-- quoting, CRLF-free: LF line ends, which spreadsheets and LMS uploads read).
--
-- Use: local csv = dofile(ROOT .. "/grading/gradebook/csv.lua")
--      csv.write(path, areas, records)   -- records sorted by id already

local M = {}

-- A field is quoted when it holds a comma, a quote or a line break; quotes
-- inside are doubled. Text a spreadsheet would run as a formula (a
-- submission named "=HYPERLINK(...)", OWASP's CSV injection: a leading =, +,
-- -, @, tab or carriage return) gets a leading apostrophe. Numbers here are
-- never negative.
function M.field(v)
  local s = v == nil and "" or tostring(v)
  if s:find("^[=+%-@\t\r]") then s = "'" .. s end
  if s:find('[,"\r\n]') then
    s = '"' .. s:gsub('"', '""') .. '"'
  end
  return s
end

-- Points print as integers when whole, otherwise with up to two decimals.
function M.number(v)
  if v == nil then return "" end
  if math.type(v) == "integer" then return tostring(v) end
  if v == math.floor(v) and math.abs(v) < 2^53 then return string.format("%d", v) end
  return (string.format("%.2f", v):gsub("0+$", ""):gsub("%.$", ""))
end

function M.row(fields)
  local out = {}
  for i, v in ipairs(fields) do out[i] = M.field(v) end
  return table.concat(out, ",")
end

-- Header: id, score, max, one column per area, status, status_reason,
-- image_sha256. A submission without a grade has empty score cells, so a
-- missing grade can never pass for a zero.
function M.lines(areas, records)
  local header = { "id", "score", "max" }
  for _, a in ipairs(areas) do header[#header + 1] = a end
  for _, k in ipairs({ "status", "status_reason", "image_sha256" }) do header[#header + 1] = k end
  local lines = { M.row(header) }
  for _, r in ipairs(records) do
    local f = { r.id, M.number(r.score), M.number(r.max_score) }
    for _, a in ipairs(areas) do
      f[#f + 1] = r.graded and M.number(r.areas[a] or 0) or ""
    end
    f[#f + 1] = r.status
    f[#f + 1] = r.reason
    f[#f + 1] = r.image_sha256
    lines[#lines + 1] = M.row(f)
  end
  return lines
end

-- Writes the file atomically (temporary file renamed into place).
function M.write(path, areas, records)
  local tmp = path .. ".tmp"
  local f = assert(io.open(tmp, "wb"))
  f:write(table.concat(M.lines(areas, records), "\n"), "\n")
  f:close()
  assert(os.rename(tmp, path))
end

return M
