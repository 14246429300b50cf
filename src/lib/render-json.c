/* render-json.c: what every tool's JSON document starts with (rendering layer) */
#include "config.h"

#include <string.h>

#include "render.h"

/* "missing": [ { "feature", "since", "processes", "judged", "effect" }, ... ] */
static void json_missing(MemJsonWriter *w, const MemFeatures *f)
{
	mem_json_key(w, "missing");
	mem_json_begin_array(w);
	for (int x = 0; f && x < MEM_FEATURE_COUNT; x++) {
		const MemFeatureInfo *fi = mem_feature_info((MemFeature)x);

		if (!mem_features_missing(f, (MemFeature)x))
			continue;
		mem_json_begin_object(w);
		mem_json_key(w, "feature");
		mem_json_string(w, fi->id);
		mem_json_key(w, "since");
		mem_json_string(w, fi->since);
		mem_json_key(w, "processes");
		mem_json_uint(w, f->lacking[x]);
		mem_json_key(w, "judged");
		mem_json_uint(w, f->judged[x]);
		mem_json_key(w, "effect");
		mem_json_string(w, fi->effect);
		mem_json_end_object(w);
	}
	mem_json_end_array(w);
}

void mem_json_header(MemJsonWriter *w, const char *schema, MemSourceKind kind, const char *path,
                     const char *kernel, const MemFeatures *missing)
{
	mem_json_header_recorded(w, schema, kind, path, kernel, missing, NULL);
}

void mem_json_header_recorded(MemJsonWriter *w, const char *schema, MemSourceKind kind, const char *path,
                              const char *kernel, const MemFeatures *missing, const MemRecInfo *recorded)
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
	if (recorded) {
		mem_json_key(w, "recorded");
		mem_json_begin_object(w);
		mem_json_key(w, "tool");
		mem_json_string(w, recorded->tool);
		mem_json_key(w, "time");
		if (recorded->has_time)
			mem_json_int(w, recorded->time);
		else
			mem_json_null(w);
		mem_json_key(w, "pagesize");
		if (recorded->has_pagesize)
			mem_json_uint(w, recorded->pagesize);
		else
			mem_json_null(w);
		mem_json_key(w, "cmdline");
		mem_json_string(w, recorded->cmdline);
		mem_json_key(w, "pids");
		mem_json_string(w, recorded->pids);
		mem_json_end_object(w);
	}
	json_missing(w, missing);
	mem_json_end_object(w);
}

void mem_json_header_snapshot(MemJsonWriter *w, const char *schema, const MemSnapshot *snap)
{
	MemFeatures f;

	mem_features_from_snapshot(&f, snap);
	mem_json_header_recorded(w, schema, snap->kind, snap->path, snap->kernel, &f, snap->recorded);
}

void mem_json_process_head(MemJsonWriter *w, const MemProcess *p)
{
	mem_json_key(w, "pid");
	mem_json_uint(w, p->pid);
	mem_json_key(w, "name");
	mem_json_string(w, p->name);
	mem_json_key(w, "state");
	mem_json_string(w, mem_proc_state_name(p->state));
	mem_json_key(w, "error");
	mem_json_string(w, mem_proc_error_name(p));
}
