#! /usr/bin/env atf-sh
# grading/lib/json.lua: the strict decoder (errors with byte offsets, depth
# limit, escapes and surrogate pairs) and the deterministic encoder.
# @ROOT@ is filled in by grading/submission/build.mk.
ROOT='@ROOT@'

# Runs a Lua chunk with `json` loaded and `check(cond, msg)` and
# `fails(fn_source, pattern)` available; the chunk's failures exit non-zero.
run_lua()
{
	cat >prelude.lua <<PRELUDE
json = dofile("$ROOT/grading/lib/json.lua")
function check(cond, msg) if not cond then error("check failed: " .. msg, 2) end end
function eq(got, want, msg)
  if got ~= want then
    error(string.format("%s: got %s, want %s", msg, tostring(got), tostring(want)), 2)
  end
end
function fails(fn, pattern)
  local ok, err = pcall(fn)
  if ok then error("expected an error matching '" .. pattern .. "'", 2) end
  if not tostring(err):find(pattern) then
    error("error '" .. tostring(err) .. "' does not match '" .. pattern .. "'", 2)
  end
end
PRELUDE
	cat prelude.lua - >chunk.lua
	lua5.4 chunk.lua >out 2>&1 || atf_fail "$(cat out)"
}

atf_test_case decode_values
decode_values_head()
{
	atf_set "descr" "decodes every JSON kind: integers stay integers, arrays and objects are marked"
	atf_set "require.progs" "lua5.4"
	atf_set "timeout" "30"
}
decode_values_body()
{
	run_lua <<'LUA'
local v = json.decode(' {"a": [1, -2, 3.5, 1e3, -0.25E-1, true, false, null], "b": {}, "c": []} ')
check(json.is_object(v), "top is an object")
check(json.is_array(v.a), "a is an array")
eq(#v.a, 8, "array length")
eq(math.type(v.a[1]), "integer", "1 is an integer")
eq(v.a[2], -2, "negative integer")
eq(math.type(v.a[3]), "float", "3.5 is a float")
eq(v.a[4], 1000.0, "exponent")
eq(v.a[5], -0.025, "negative exponent")
eq(v.a[6], true, "true"); eq(v.a[7], false, "false"); eq(v.a[8], json.null, "null")
check(json.is_object(v.b) and next(v.b) == nil, "empty object marked")
check(json.is_array(v.c) and #v.c == 0, "empty array marked")
eq(json.encode(v), '{"a":[1,-2,3.5,1000.0,-0.025,true,false,null],"b":{},"c":[]}', "round trip")
eq(json.decode("9223372036854775807"), math.maxinteger, "int64 max")
eq(math.type(json.decode("18446744073709551616")), "float", "beyond int64 becomes a float")
LUA
}

atf_test_case decode_strings
decode_strings_head()
{
	atf_set "descr" "string escapes, \\u escapes, surrogate pairs and raw UTF-8"
	atf_set "require.progs" "lua5.4"
	atf_set "timeout" "30"
}
decode_strings_body()
{
	run_lua <<'LUA'
eq(json.decode([["a\"b\\c\/d\b\f\n\r\t"]]), 'a"b\\c/d\b\f\n\r\t', "simple escapes")
eq(json.decode([["\u0041\u00e9\u20ac"]]), "A\u{e9}\u{20ac}", "BMP escapes")
eq(json.decode([["\ud83d\ude00"]]), "\u{1F600}", "surrogate pair")
eq(json.decode('"h\u{e9}llo \u{1F600}"'), "h\u{e9}llo \u{1F600}", "raw UTF-8")
eq(json.decode([["\u0000x"]]), "\0x", "NUL via escape")
LUA
}

atf_test_case decode_errors
decode_errors_head()
{
	atf_set "descr" "malformed input is refused with the problem and its byte offset"
	atf_set "require.progs" "lua5.4"
	atf_set "timeout" "30"
}
decode_errors_body()
{
	run_lua <<'LUA'
local cases = {
  { '', "value expected, found end of input at byte 1" },
  { '{"a":1,}', "object key %(a string%) expected, found '}' at byte 8" },
  { '[1,2', "',' or ']' expected, found end of input at byte 5" },
  { '[1] x', "trailing data after the value: 'x' at byte 5" },
  { '{"a":1,"a":2}', 'duplicate key "a" at byte 8' },
  { '"abc', "unterminated string at byte 1" },
  { '"a\nb"', "raw control character 0x0a in string at byte 3" },
  { '"\\x"', "invalid escape \\'x' at byte 2" },
  { '"\\u12"', "\\u needs four hex digits at byte 4" },
  { '"\\ud83d"', "high surrogate without a following low surrogate at byte 2" },
  { '"\\ud83d\\u0041"', "high surrogate followed by a non%-low surrogate at byte 8" },
  { '"\\ude00"', "lone low surrogate at byte 2" },
  { '"\255"', "invalid UTF%-8 byte 0xff at byte 2" },
  { '"\195"', "truncated UTF%-8 sequence at byte 2" },
  { '"\192\128"', "invalid UTF%-8 byte 0xc0 at byte 2" },
  { '"\237\160\128"', "invalid UTF%-8 sequence at byte 2" },
  { '01', "leading zero in number at byte 1" },
  { '1.', "digit expected after '.' at byte 3" },
  { '1e', "digit expected in exponent at byte 3" },
  { '-', "invalid number at byte 1" },
  { '1e400', "number out of range at byte 1" },
  { 'nul', "value expected, found 'n' at byte 1" },
  { 'NaN', "value expected, found 'N' at byte 1" },
  { "\239\187\191{}", "byte%-order mark is not allowed at byte 1" },
  { '{"a" 1}', "':' expected, found '1' at byte 6" },
}
for _, c in ipairs(cases) do
  fails(function() json.decode(c[1]) end, "^json: " .. c[2] .. "$")
end
-- Depth limit: the default stops at 200 levels, an option changes it.
local deep = string.rep("[", 201) .. string.rep("]", 201)
fails(function() json.decode(deep) end, "nesting deeper than 200 levels at byte 201")
json.decode(string.rep("[", 200) .. string.rep("]", 200))
fails(function() json.decode("[[[]]]", { max_depth = 2 }) end, "nesting deeper than 2 levels at byte 3")
fails(function() json.decode(42) end, "expected a string, got number")
LUA
}

atf_test_case encode_deterministic
encode_deterministic_head()
{
	atf_set "descr" "the encoder sorts keys, honours key_order, marks and indentation"
	atf_set "require.progs" "lua5.4"
	atf_set "timeout" "30"
}
encode_deterministic_body()
{
	run_lua <<'LUA'
local t = { zeta = 1, alpha = { 3, 2, 1 }, mid = json.object(), list = json.array(),
            schema = "x", s = 'q"\\\n\t\1\127' }
eq(json.encode(t), '{"alpha":[3,2,1],"list":[],"mid":{},"s":"q\\"\\\\\\n\\t\\u0001\\u007f","schema":"x","zeta":1}',
   "sorted one-line output")
eq(json.encode(t, { key_order = { "schema", "zeta" } }):sub(1, 22), '{"schema":"x","zeta":1', "key_order first")
eq(json.encode({ a = { 1 } }, { indent = 2 }), '{\n  "a": [\n    1\n  ]\n}', "indent")
eq(json.encode(0.1), "0.1", "shortest float")
eq(json.encode(61.2), "61.2", "shortest float 2")
eq(json.encode(0.1 + 0.2), "0.30000000000000004", "17 digits when needed")
eq(json.decode(json.encode(1/3)), 1/3, "round trip of 1/3")
eq(json.encode(12.0), "12.0", "integral float keeps a fraction")
eq(json.encode(json.null), "null", "null")
eq(json.encode("\u{1F600}"), '"\u{1F600}"', "UTF-8 passes through")
eq(json.encode("a\255b\195"), '"a\u{FFFD}b\u{FFFD}"', "invalid bytes become U+FFFD")
-- The same table encodes to the same text every time.
local big = {}
for i = 1, 200 do big["k" .. i] = i end
local first = json.encode(big)
for _ = 1, 5 do eq(json.encode(big), first, "stable output") end
local back = json.decode(first)
for i = 1, 200 do eq(back["k" .. i], i, "decoded back") end
LUA
}

atf_test_case encode_refusals
encode_refusals_head()
{
	atf_set "descr" "NaN, infinities, cycles, ambiguous and mixed tables are refused with their path"
	atf_set "require.progs" "lua5.4"
	atf_set "timeout" "30"
}
encode_refusals_body()
{
	run_lua <<'LUA'
fails(function() json.encode({ cases = { { seconds = 0/0 } } }) end, "^json: cannot encode NaN at %$%.cases%[1%]%.seconds$")
fails(function() json.encode({ x = math.huge }) end, "cannot encode an infinity at %$%.x$")
fails(function() json.encode(-math.huge) end, "cannot encode an infinity at %$$")
local c = {}; c.self = c
fails(function() json.encode(c) end, "cannot encode a cycle at %$%.self$")
fails(function() json.encode({ a = {} }) end, "unmarked empty table .* at %$%.a$")
fails(function() json.encode({ 1, 2, x = 3 }) end, "mixing array and object keys at %$$")
fails(function() json.encode(json.array({ 1, nil, 3 })) end, "an array with a hole %(nil%) at index 2 at %$$")
fails(function() json.encode(json.array({ 1, x = 2 })) end, "an array with a non%-index key x at %$$")
fails(function() json.encode(json.object({ [1] = "a" })) end, "object key of type number")
fails(function() json.encode({ f = print }) end, "a value of type function at %$%.f$")
-- A repeated (not cyclic) table is fine.
local shared = { 1 }
eq(json.encode({ a = shared, b = shared }), '{"a":[1],"b":[1]}', "shared subtable")
LUA
}

atf_test_case files
files_head()
{
	atf_set "descr" "write_file is atomic and read_file names the file in its errors"
	atf_set "require.progs" "lua5.4"
	atf_set "timeout" "30"
}
files_body()
{
	run_lua <<'LUA'
json.write_file("out.json", { b = 2, a = json.array({ "x" }) }, { indent = 2 })
local f = assert(io.open("out.json")); local text = f:read("a"); f:close()
eq(text, '{\n  "a": [\n    "x"\n  ],\n  "b": 2\n}\n', "file text")
check(io.open("out.json.tmp") == nil, "no temporary left")
eq(json.read_file("out.json").b, 2, "read back")
f = assert(io.open("bad.json", "w")); f:write('{"a":}'); f:close()
fails(function() json.read_file("bad.json") end, "^bad%.json: json: value expected, found '}' at byte 6$")
fails(function() json.read_file("missing.json") end, "cannot open missing%.json")
LUA
}

atf_init_test_cases()
{
	atf_add_test_case decode_values
	atf_add_test_case decode_strings
	atf_add_test_case decode_errors
	atf_add_test_case encode_deterministic
	atf_add_test_case encode_refusals
	atf_add_test_case files
}
