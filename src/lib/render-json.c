/* render-json.c: what every tool's JSON document starts with (rendering layer) */
#include "config.h"

#include <string.h>

#include "render.h"

void mem_json_header(MemJsonWriter *w, const char *schema, MemSourceKind kind, const char *path,
                     const char *kernel)
{
	gboolean is_stdin = kind == MEM_SOURCE_TAR && path && strcmp(path, "-") == 0;
	const char *format = kind == MEM_SOURCE_LIVE ? "proc" : kind == MEM_SOURCE_DIR ? "dir" : is_stdin ? "stdin" : "tar";

	mem_json_key(w, "schema");
	mem_json_string(w, schema);
	mem_json_key(w, "source");
	mem_json_begin_object(w);
	mem_json_key(w, "kind");
	mem_json_string(w, kind == MEM_SOURCE_LIVE ? "live" : "snapshot");
	mem_json_key(w, "format");
	mem_json_string(w, format);
	mem_json_key(w, "path");
	mem_json_string(w, is_stdin ? NULL : path);
	mem_json_key(w, "kernel");
	mem_json_string(w, kernel);
	mem_json_end_object(w);
}

void mem_json_header_snapshot(MemJsonWriter *w, const char *schema, const MemSnapshot *snap)
{
	mem_json_header(w, schema, snap->kind, snap->path, snap->kernel);
}
