/* render-json.c: what every tool's JSON document starts with (rendering layer) */
#include "config.h"

#include "render.h"

void mem_json_header(MemJsonWriter *w, const char *schema, const MemSnapshot *snap)
{
	mem_json_key(w, "schema");
	mem_json_string(w, schema);
	mem_json_key(w, "source");
	mem_json_begin_object(w);
	mem_json_key(w, "kind");
	mem_json_string(w, snap->live ? "live" : "snapshot");
	mem_json_key(w, "path");
	mem_json_string(w, snap->path);
	mem_json_key(w, "kernel");
	mem_json_string(w, snap->kernel);
	mem_json_end_object(w);
}
