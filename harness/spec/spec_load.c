/* C side of the spec loader: lists the spec folder, runs spec/loader.lua in
 * an embedded Lua and copies the checked cases into C structures. */
#include "spec/spec.h"

#include "util/strbuf.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Pushes a Lua list of the *.lua names in dir, sorted; NULL on success. */
static char *push_file_names(lua_State *L, const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return xasprintf("cannot open spec folder '%s': %s", dir, strerror(errno));
	char **names = NULL;
	size_t count = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		if (n <= 4 || strcmp(e->d_name + n - 4, ".lua") != 0)
			continue;
		names = xrealloc(names, (count + 1) * sizeof(*names));
		names[count++] = xstrdup(e->d_name);
	}
	closedir(d);
	qsort(names, count, sizeof(*names), compare_names);
	lua_createtable(L, (int)count, 0);
	for (size_t i = 0; i < count; i++) {
		lua_pushstring(L, names[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
		free(names[i]);
	}
	free(names);
	return NULL;
}

/* Field readers for tables the loader built; a wrong type there is a loader
 * bug, reported through *bad instead of crashing. */
static char *get_string(lua_State *L, int t, const char *key, const char **bad)
{
	char *s = NULL;
	if (lua_getfield(L, t, key) == LUA_TSTRING)
		s = xstrdup(lua_tostring(L, -1));
	else if (!*bad)
		*bad = key;
	lua_pop(L, 1);
	return s ? s : xstrdup("");
}

static int get_int(lua_State *L, int t, const char *key, const char **bad)
{
	int isnum = 0;
	lua_getfield(L, t, key);
	lua_Integer v = lua_tointegerx(L, -1, &isnum);
	lua_pop(L, 1);
	if (!isnum || v < 0 || v > 1000000) {
		if (!*bad)
			*bad = key;
		return 0;
	}
	return (int)v;
}

static bool get_bool(lua_State *L, int t, const char *key)
{
	lua_getfield(L, t, key);
	bool v = lua_toboolean(L, -1);
	lua_pop(L, 1);
	return v;
}

static void get_list(lua_State *L, int t, const char *key, struct spec_list *out,
		     const char **bad)
{
	out->items = NULL;
	out->count = 0;
	if (lua_getfield(L, t, key) != LUA_TTABLE) {
		if (!*bad)
			*bad = key;
		lua_pop(L, 1);
		return;
	}
	size_t n = (size_t)lua_rawlen(L, -1);
	out->items = xcalloc(n, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		if (lua_rawgeti(L, -1, (lua_Integer)i + 1) == LUA_TSTRING)
			out->items[out->count++] = xstrdup(lua_tostring(L, -1));
		else if (!*bad)
			*bad = key;
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
}

static char *get_optional_string(lua_State *L, int t, const char *key)
{
	char *v = lua_getfield(L, t, key) == LUA_TSTRING ? xstrdup(lua_tostring(L, -1)) : NULL;
	lua_pop(L, 1);
	return v;
}

static struct spec_disk *read_disk(lua_State *L, int t, const char **bad)
{
	struct spec_disk *d = xcalloc(1, sizeof(*d));
	d->from = get_optional_string(L, t, "from");
	d->fill = get_optional_string(L, t, "fill");
	d->string = get_string(L, t, "string", bad);
	d->first = get_bool(L, t, "first");
	if (!d->from) {
		int isnum = 0;
		lua_getfield(L, t, "bytes");
		d->bytes = (long long)lua_tointegerx(L, -1, &isnum);
		lua_pop(L, 1);
		if (!isnum || d->bytes <= 0 || !d->fill)
			if (!*bad)
				*bad = "disk";
	}
	return d;
}

static void read_case(lua_State *L, int t, struct spec_case *c, const char **bad)
{
	c->id = get_string(L, t, "id", bad);
	c->area = get_string(L, t, "area", bad);
	c->behavior = get_string(L, t, "behavior", bad);
	c->source = get_string(L, t, "source", bad);
	c->probe = get_string(L, t, "probe", bad);
	c->cmdline = get_string(L, t, "cmdline", bad);
	if (lua_getfield(L, t, "extra_module") == LUA_TSTRING)
		c->extra_module = xstrdup(lua_tostring(L, -1));
	lua_pop(L, 1);
	if (lua_getfield(L, t, "disk") == LUA_TTABLE)
		c->disk = read_disk(L, lua_gettop(L), bad);
	lua_pop(L, 1);
	c->hv_cmdline = get_string(L, t, "hv_cmdline", bad);
	c->cpu = get_string(L, t, "cpu", bad);
	c->file = get_string(L, t, "file", bad);
	c->line = get_int(L, t, "line", bad);
	c->points = get_int(L, t, "points", bad);
	c->machine_mib = get_int(L, t, "machine_mib", bad);
	c->timeout = get_int(L, t, "timeout", bad);
	get_list(L, t, "engines", &c->engines, bad);
	get_list(L, t, "requires", &c->requires, bad);
	get_list(L, t, "judges", &c->judges, bad);
	if (lua_getfield(L, t, "expect") == LUA_TTABLE) {
		int e = lua_gettop(L);
		get_list(L, e, "lines", &c->expect.lines, bad);
		get_list(L, e, "ordered", &c->expect.ordered, bad);
		get_list(L, e, "forbid", &c->expect.forbid, bad);
		c->expect.report = get_string(L, e, "report", bad);
		c->expect.report_is_pattern = get_bool(L, e, "report_is_pattern");
	} else {
		c->expect.report = xstrdup("");
		if (!*bad)
			*bad = "expect";
	}
	lua_pop(L, 1);
}

/* Reads the bounds and defaults from the loader module at index m. */
static char *read_limits(lua_State *L, int m, struct spec_limits *out)
{
	const char *bad = NULL;
	out->machine_mib_min = get_int(L, m, "MACHINE_MIB_MIN", &bad);
	out->machine_mib_max = get_int(L, m, "MACHINE_MIB_MAX", &bad);
	out->timeout_max = get_int(L, m, "TIMEOUT_MAX", &bad);
	if (lua_getfield(L, m, "DEFAULTS") == LUA_TTABLE) {
		int d = lua_gettop(L);
		out->default_machine_mib = get_int(L, d, "machine_mib", &bad);
		out->default_timeout = get_int(L, d, "timeout", &bad);
	} else if (!bad) {
		bad = "DEFAULTS";
	}
	lua_pop(L, 1);
	if (!bad && (out->machine_mib_min < 1 || out->machine_mib_max < out->machine_mib_min ||
		     out->timeout_max < 1))
		bad = "MACHINE_MIB_MIN, MACHINE_MIB_MAX or TIMEOUT_MAX";
	return bad ? xasprintf("spec loader has no usable %s (a whole number)", bad) : NULL;
}

/* Runs the loader file; on success its module table is on the stack top. */
static char *load_loader(lua_State *L, const char *loader_path)
{
	if (luaL_loadfile(L, loader_path) != LUA_OK || lua_pcall(L, 0, 1, 0) != LUA_OK)
		return xasprintf("cannot load the spec loader %s: %s", loader_path,
				 lua_tostring(L, -1) ? lua_tostring(L, -1) : "(no message)");
	if (!lua_istable(L, -1))
		return xasprintf("spec loader %s returns no module table", loader_path);
	return NULL;
}

int spec_limits_load(const char *loader_path, struct spec_limits *limits, char **error)
{
	memset(limits, 0, sizeof(*limits));
	lua_State *L = luaL_newstate();
	if (!L) {
		*error = xstrdup("cannot create a Lua state");
		return -1;
	}
	luaL_openlibs(L);
	char *msg = load_loader(L, loader_path);
	if (!msg)
		msg = read_limits(L, lua_gettop(L), limits);
	lua_close(L);
	*error = msg;
	return msg ? -1 : 0;
}

/* Copies the loader's result (on the stack top) into set. */
static char *read_set(lua_State *L, struct spec_set *set)
{
	const char *bad = NULL;
	int top = lua_gettop(L);
	if (lua_getfield(L, top, "cases") != LUA_TTABLE)
		return xstrdup("spec loader returned no case list");
	int cases = lua_gettop(L);
	set->count = (size_t)lua_rawlen(L, cases);
	set->cases = xcalloc(set->count, sizeof(*set->cases));
	for (size_t i = 0; i < set->count; i++) {
		lua_rawgeti(L, cases, (lua_Integer)i + 1);
		read_case(L, lua_gettop(L), &set->cases[i], &bad);
		lua_pop(L, 1);
	}
	if (lua_getfield(L, top, "areas") != LUA_TTABLE)
		return xstrdup("spec loader returned no area list");
	int areas = lua_gettop(L);
	set->area_count = (size_t)lua_rawlen(L, areas);
	set->areas = xcalloc(set->area_count, sizeof(*set->areas));
	size_t next_case = 0;
	for (size_t i = 0; i < set->area_count; i++) {
		struct spec_area *a = &set->areas[i];
		lua_rawgeti(L, areas, (lua_Integer)i + 1);
		int t = lua_gettop(L);
		a->name = get_string(L, t, "name", &bad);
		a->doc = get_string(L, t, "doc", &bad);
		a->file = get_string(L, t, "file", &bad);
		lua_getfield(L, t, "cases");
		a->first_case = next_case;
		a->case_count = (size_t)lua_rawlen(L, -1);
		next_case += a->case_count;
		lua_pop(L, 2);
	}
	if (next_case != set->count)
		return xstrdup("spec loader returned areas and cases that disagree");
	for (size_t i = 0; i < set->count; i++) {
		struct spec_disk *d = set->cases[i].disk;
		if (d && d->from && !(d->from_case = spec_find(set, d->from)))
			return xasprintf("case '%s': disk.from names no case '%s'", set->cases[i].id,
					 d->from);
	}
	if (bad)
		return xasprintf("spec loader returned a bad '%s' field", bad);
	return NULL;
}

int spec_load(const char *loader_path, const char *spec_dir, struct spec_set *set,
	      char **error)
{
	memset(set, 0, sizeof(*set));
	*error = NULL;
	/* Checked first: a missing folder is the likelier mistake, and the
	 * loader file lives in it. */
	DIR *d = opendir(spec_dir);
	if (!d) {
		*error = xasprintf("cannot open spec folder '%s': %s", spec_dir, strerror(errno));
		return -1;
	}
	closedir(d);
	lua_State *L = luaL_newstate();
	if (!L) {
		*error = xstrdup("cannot create a Lua state");
		return -1;
	}
	luaL_openlibs(L);

	char *msg = load_loader(L, loader_path);
	if (msg)
		goto out;
	msg = read_limits(L, lua_gettop(L), &set->limits);
	if (msg)
		goto out;
	if (lua_getfield(L, -1, "load_dir") != LUA_TFUNCTION) {
		msg = xasprintf("spec loader %s has no load_dir function", loader_path);
		goto out;
	}
	lua_pushstring(L, spec_dir);
	msg = push_file_names(L, spec_dir);
	if (msg)
		goto out;
	if (lua_pcall(L, 2, 1, 0) != LUA_OK) {
		msg = xstrdup(lua_tostring(L, -1) ? lua_tostring(L, -1) : "(error without message)");
		goto out;
	}
	if (!lua_istable(L, -1)) {
		msg = xstrdup("spec loader returned no table");
		goto out;
	}
	msg = read_set(L, set);
out:
	lua_close(L);
	if (msg) {
		spec_free(set);
		*error = msg;
		return -1;
	}
	return 0;
}

const struct spec_case *spec_find(const struct spec_set *set, const char *id)
{
	for (size_t i = 0; i < set->count; i++)
		if (!strcmp(set->cases[i].id, id))
			return &set->cases[i];
	return NULL;
}

bool spec_case_allows_engine(const struct spec_case *c, const char *engine)
{
	if (c->engines.count == 0)
		return true;
	for (size_t i = 0; i < c->engines.count; i++)
		if (!strcmp(c->engines.items[i], engine))
			return true;
	return false;
}

static void free_list(struct spec_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->count = 0;
}

void spec_free(struct spec_set *set)
{
	for (size_t i = 0; i < set->count; i++) {
		struct spec_case *c = &set->cases[i];
		free(c->id);
		free(c->area);
		free(c->behavior);
		free(c->source);
		free(c->probe);
		free(c->cmdline);
		free(c->hv_cmdline);
		free(c->extra_module);
		if (c->disk) {
			free(c->disk->fill);
			free(c->disk->from);
			free(c->disk->string);
			free(c->disk);
		}
		free(c->cpu);
		free(c->file);
		free_list(&c->engines);
		free_list(&c->requires);
		free_list(&c->judges);
		free_list(&c->expect.lines);
		free_list(&c->expect.ordered);
		free_list(&c->expect.forbid);
		free(c->expect.report);
	}
	free(set->cases);
	for (size_t i = 0; i < set->area_count; i++) {
		free(set->areas[i].name);
		free(set->areas[i].doc);
		free(set->areas[i].file);
	}
	free(set->areas);
	memset(set, 0, sizeof(*set));
}
