#include "report/batch_json.h"

#include "report/json_out.h"
#include "util/strbuf.h"

#include <stdlib.h>

static void add_int_or_null(struct strbuf *sb, const char *name, int v)
{
	strbuf_addf(sb, ", \"%s\": ", name);
	if (v > 0)
		strbuf_addf(sb, "%d", v);
	else
		strbuf_adds(sb, "null");
}

char *batch_results_json(const struct batch_summary *s, const struct batch_entry *entries,
			 size_t count)
{
	struct strbuf sb = STRBUF_INIT;
	int counts[VERDICT_COUNT] = { 0 };
	strbuf_adds(&sb, "{");
	json_add_field_string(&sb, 1, "schema", BATCH_JSON_SCHEMA);
	strbuf_adds(&sb, ",\n \"image\": {");
	json_add_field_string(&sb, 1, "path", s->image_path);
	json_add_field_string(&sb, 0, "sha256", s->image_sha256);
	strbuf_adds(&sb, "},\n ");
	json_add_field_string(&sb, 1, "engine", s->engine);
	add_int_or_null(&sb, "budget_s", s->budget_s);
	add_int_or_null(&sb, "run_timeout_s", s->run_timeout);
	strbuf_addf(&sb, ", \"seconds\": %.3f,\n \"cases\": [", s->seconds);
	for (size_t i = 0; i < count; i++) {
		const struct batch_entry *e = &entries[i];
		const struct spec_case *c = e->c;
		if ((unsigned)e->verdict < VERDICT_COUNT)
			counts[e->verdict]++;
		strbuf_adds(&sb, i ? ",\n  {" : "\n  {");
		json_add_field_string(&sb, 1, "id", c->id);
		json_add_field_string(&sb, 0, "area", c->area);
		char *spec = xasprintf("%s:%d", c->file, c->line);
		json_add_field_string(&sb, 0, "spec", spec);
		free(spec);
		strbuf_addf(&sb, ", \"points\": %d", c->points);
		json_add_field_string(&sb, 0, "outcome", verdict_name(e->verdict));
		json_add_field_string(&sb, 0, "reason", e->r.reason);
		json_add_field_string(&sb, 0, "details", e->r.details);
		json_add_field_string(&sb, 0, "rerun", e->rerun);
		strbuf_addf(&sb, ", \"seconds\": %.3f", e->r.seconds);
		json_add_field_string(&sb, 0, "image_sha256", e->r.image_sha256);
		strbuf_adds(&sb, "}");
	}
	strbuf_adds(&sb, "\n ],\n \"counts\": {");
	for (int i = 0; i < VERDICT_COUNT; i++)
		strbuf_addf(&sb, "%s\"%s\": %d", i ? ", " : "", verdict_name((enum verdict)i), counts[i]);
	strbuf_adds(&sb, "}}\n");
	return strbuf_detach(&sb);
}
