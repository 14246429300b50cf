/* report-graph.c: what memgraph's records are made of: categories, job tree, processes, objects and threads, from the core (accounting layer) */
#include "config.h"

#include <string.h>

#include "error.h"
#include "parse.h"
#include "report-graph.h"

void mem_graph_gather_init(MemGraphGather *g)
{
	g->all = mem_objs_gather_new(MEM_OBJS_ALL);
	g->parts = mem_objs_gather_new(MEM_OBJS_PROCESS);
}

void mem_graph_gather_clear(MemGraphGather *g)
{
	g_clear_pointer(&g->all, mem_objs_gather_free);
	g_clear_pointer(&g->parts, mem_objs_gather_free);
}

void mem_graph_gather_mappings(guint thread, guint32 pid, const MemMapping *maps, guint n, MemMappingsStep step,
                               gpointer data)
{
	MemGraphGather *g = data;

	mem_objs_gather_mappings(thread, pid, maps, n, step, g->all);
	mem_objs_gather_mappings(thread, pid, maps, n, step, g->parts);
}

/* ISO 8601 UTC with milliseconds: "2026-11-28T10:00:00.000Z". */
static char *iso_time(GDateTime *t)
{
	g_autofree char *s = g_date_time_format(t, "%Y-%m-%dT%H:%M:%S");

	return g_strdup_printf("%s.%03dZ", s, g_date_time_get_microsecond(t) / 1000);
}

/* Now for a live source; a recording's own time (memcap.info) when it tells one, else unknown. */
static char *timestamp(const MemSnapshot *snap)
{
	g_autoptr(GDateTime) t = NULL;

	if (snap->kind == MEM_SOURCE_LIVE)
		t = g_date_time_new_now_utc();
	else if (snap->recorded && snap->recorded->has_time)
		t = g_date_time_new_from_unix_utc(snap->recorded->time);
	return t ? iso_time(t) : NULL;
}

gboolean mem_graph_build(MemGraph *g, MemSnapshot *snap, MemGraphGather *gather, GError **error)
{
	MemPsOptions po = { .tree = MEM_TREE_CGROUP, .kernel = TRUE };
	MemObjsOptions oo = { 0 };

	memset(g, 0, sizeof *g);
	g->snap = snap;
	if (snap->meminfo) {
		if (!mem_sys_categories(snap->meminfo, &g->cat, error))
			return FALSE;
		g->has_cat = TRUE;
	}
	g->tree = mem_ps_report_new(snap, &po);
	g->timestamp = timestamp(snap);
	if (!gather)
		return TRUE;
	oo.view = MEM_OBJS_ALL;
	g->objects = mem_objs_report_gathered(snap, gather->all, &oo);
	oo.view = MEM_OBJS_PROCESS;
	g->parts = mem_objs_report_new(snap, NULL, gather->parts, &oo);
	g->parts_by_pid = g_hash_table_new(g_direct_hash, g_direct_equal);
	for (guint i = 0; i < g->parts->procs->len; i++) {
		MemObjsProcess *op = g_ptr_array_index(g->parts->procs, i);
		g_hash_table_insert(g->parts_by_pid, GUINT_TO_POINTER(op->proc->pid), op);
	}
	return TRUE;
}

static gboolean on_task(guint32 pid, guint32 tid, const char *stat, gsize len, int err, gpointer data)
{
	GArray *threads = data;
	MemGraphThread t = { .pid = pid, .tid = tid, .state = '?' };
	MemStat st;

	if (!err && mem_parse_stat(stat, len, &st, NULL)) {
		t.comm = g_strndup(st.comm, st.comm_len);
		t.comm_len = st.comm_len;
		t.state = st.state ? st.state : '?';
	}
	g_array_append_val(threads, t);
	return TRUE;
}

static void thread_clear(gpointer data)
{
	g_free(((MemGraphThread *)data)->comm);
}

gboolean mem_graph_read_threads(MemGraph *g, MemSource *src)
{
	if (mem_source_kind(src) != MEM_SOURCE_LIVE) {
		g->threads_note = "not recorded";
		return FALSE;
	}
	g->threads_note = "read";
	g->threads = g_array_new(FALSE, FALSE, sizeof(MemGraphThread));
	g_array_set_clear_func(g->threads, thread_clear);
	for (guint i = 0; i < g->snap->procs->len; i++) {
		const MemProcess *p = g_ptr_array_index(g->snap->procs, i);

		if (p->state != MEM_PROC_VANISHED)
			mem_source_tasks(src, p->pid, on_task, g->threads, NULL); /* live: cannot fail */
	}
	return TRUE;
}

void mem_graph_clear(MemGraph *g)
{
	g_clear_pointer(&g->tree, mem_ps_report_free);
	g_clear_pointer(&g->objects, mem_objs_report_free);
	g_clear_pointer(&g->parts_by_pid, g_hash_table_unref);
	g_clear_pointer(&g->parts, mem_objs_report_free);
	g_clear_pointer(&g->threads, g_array_unref);
	g_clear_pointer(&g->timestamp, g_free);
}

char *mem_graph_summary(const MemGraph *g)
{
	return mem_ps_report_summary(g->tree);
}
