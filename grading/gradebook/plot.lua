-- grading/gradebook/plot.lua: the class's score histogram as a PNG picture,
-- drawn by gnuplot (Debian gnuplot-nox: headless, pngcairo or png terminal).
--
-- Use: local plot = dofile(ROOT .. "/grading/gradebook/plot.lua")
--      local ok, problem = plot.histogram(png_path, title, bins)
-- bins: array of {label=, count=}.

local M = {}

-- gnuplot strings in single quotes: a quote is written twice.
local function gp_string(s)
  return "'" .. tostring(s):gsub("'", "''") .. "'"
end

local function shell_quote(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end

-- True when `gnuplot` runs here and knows terminal `name`.
local function has_terminal(name)
  return os.execute("gnuplot -e " .. shell_quote("set terminal " .. name) .. " >/dev/null 2>&1") == true
end

-- The picture's terminal: pngcairo draws smoother text; the libgd png
-- terminal is the fallback of builds without cairo.
function M.terminal()
  if has_terminal("pngcairo") then return "pngcairo size 800,480 font ',10'" end
  if has_terminal("png") then return "png size 800,480" end
  return nil
end

local function read_all(path)
  local f = io.open(path, "rb")
  if not f then return "" end
  local s = f:read("a")
  f:close()
  return s
end

function M.script(png_path, title, bins, terminal)
  local top = 0
  for _, b in ipairs(bins) do top = math.max(top, b.count) end
  local lines = {
    "set terminal " .. terminal,
    "set output " .. gp_string(png_path),
    "set title " .. gp_string(title),
    "set style fill solid 0.7 border -1",
    "set boxwidth 0.8",
    "set yrange [0:*]",
    -- Whole numbers of submissions on the y axis: one tick each while few.
    top <= 10 and "set ytics 1" or "set format y '%.0f'",
    "set grid ytics",
    "set xlabel 'score (percent of the maximum)'",
    "set ylabel 'submissions'",
    "$bins << EOD",
  }
  for i, b in ipairs(bins) do
    lines[#lines + 1] = string.format('%d "%s" %d', i - 1, b.label, b.count)
  end
  lines[#lines + 1] = "EOD"
  lines[#lines + 1] = "plot $bins using 1:3:xtic(2) with boxes notitle"
  return table.concat(lines, "\n") .. "\n"
end

-- Draws the picture; returns true, or false and the reason (no gnuplot, no
-- PNG terminal, gnuplot's own error message).
function M.histogram(png_path, title, bins)
  local terminal = M.terminal()
  if not terminal then
    return false, "gnuplot with a PNG terminal is not installed (Debian package gnuplot-nox)"
  end
  local script_path = os.tmpname()
  local err_path = os.tmpname()
  local f = assert(io.open(script_path, "wb"))
  f:write(M.script(png_path .. ".tmp", title, bins, terminal))
  f:close()
  local ok = os.execute("gnuplot " .. shell_quote(script_path) .. " 2>" .. shell_quote(err_path))
  local err = read_all(err_path)
  os.remove(script_path)
  os.remove(err_path)
  if ok ~= true then
    os.remove(png_path .. ".tmp")
    local last = (err:match("([^\n]*%S[^\n]*)\n?$") or "no message")
    return false, "gnuplot failed: " .. last
  end
  local renamed, rerr = os.rename(png_path .. ".tmp", png_path)
  if not renamed then return false, rerr end
  return true
end

return M
