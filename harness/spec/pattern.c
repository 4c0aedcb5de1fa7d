#include "spec/pattern.h"

#include "util/strbuf.h"

#include <stdio.h>
#include <stdlib.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

struct pattern_matcher {
	lua_State *L;
	int find_ref; /* registry reference to string.find */
};

struct pattern_matcher *pattern_matcher_new(void)
{
	lua_State *L = luaL_newstate();
	if (!L) {
		fputs("hvspec harness: cannot create a Lua state\n", stderr);
		abort();
	}
	/* Only the string library: patterns need nothing else. */
	luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 0);
	lua_getfield(L, -1, "find");
	struct pattern_matcher *m = xmalloc(sizeof(*m));
	m->L = L;
	m->find_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	lua_pop(L, 1);
	return m;
}

int pattern_find(struct pattern_matcher *m, const char *subject, size_t len,
		 const char *pattern, char **error)
{
	lua_State *L = m->L;
	lua_rawgeti(L, LUA_REGISTRYINDEX, m->find_ref);
	lua_pushlstring(L, subject, len);
	lua_pushstring(L, pattern);
	if (lua_pcall(L, 2, 1, 0) != LUA_OK) {
		if (error)
			*error = xstrdup(lua_tostring(L, -1) ? lua_tostring(L, -1) : "bad pattern");
		lua_pop(L, 1);
		return -1;
	}
	int found = !lua_isnil(L, -1);
	lua_pop(L, 1);
	return found;
}

void pattern_matcher_free(struct pattern_matcher *m)
{
	if (!m)
		return;
	lua_close(m->L);
	free(m);
}
