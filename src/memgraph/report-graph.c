/* report-graph.c: what memgraph's records are made of: categories, job tree, processes, objects and threads, from the core (accounting layer) */
#include "config.h"

#include <string.h>

#include "error.h"
#include "parse.h"
#include "report-graph.h"

struct _MemGraphPartsThread {
	gboolean open;
	guint32 pid;
	GArray *cur;             /* MemGraphPart: one per mapping of the process being read */
	GPtrArray *done;         /* MemGraphParts* of the processes read whole */
};

static void parts_free(gpointer data)
{
	MemGraphParts *p = data;

	g_free(p->parts);
	g_free(p);
}

void mem_graph_gather_init(MemGraphGather *g)
{
	g->all = mem_objs_gather_new(MEM_OBJS_ALL);
	g->threads = g_new0(MemGraphPartsThread, MEM_SCAN_MAX_THREADS);
}

void mem_graph_gather_clear(MemGraphGather *g)
{
	g_clear_pointer(&g->all, mem_objs_gather_free);
	for (guint i = 0; g->threads && i < MEM_SCAN_MAX_THREADS; i++) {
		if (g->threads[i].cur)
			g_array_unref(g->threads[i].cur);
		if (g->threads[i].done)
			g_ptr_array_unref(g->threads[i].done);
	}
	g_clear_pointer(&g->threads, g_free);
}

static int compare_part(const void *a, const void *b)
{
	const MemGraphPart *x = a, *y = b;

	if (x->anon != y->anon)
		return x->anon ? 1 : -1;
	if (x->dev_major != y->dev_major)
		return x->dev_major < y->dev_major ? -1 : 1;
	if (x->dev_minor != y->dev_minor)
		return x->dev_minor < y->dev_minor ? -1 : 1;
	return x->inode < y->inode ? -1 : x->inode > y->inode;
}

/* Sorts the parts and sums those of one file object, in place. */
static void parts_compact(GArray *cur)
{
	MemGraphPart *v = (MemGraphPart *)(gpointer)cur->data;
	guint n = 0;

	qsort(v, cur->len, sizeof *v, compare_part);
	for (guint i = 0; i < cur->len; i++) {
		if (n > 0 && !v[i].anon && compare_part(&v[n - 1], &v[i]) == 0) {
			v[n - 1].pss += v[i].pss;
			v[n - 1].has_pss &= v[i].has_pss;
			continue;
		}
		v[n++] = v[i];
	}
	g_array_set_size(cur, n);
}

/* The process's parts, once its last mapping came. */
static MemGraphParts *parts_finish(guint32 pid, GArray *cur)
{
	MemGraphParts *p = g_new0(MemGraphParts, 1);

	parts_compact(cur);
	p->pid = pid;
	p->n = cur->len;
	p->parts = g_memdup2(cur->data, cur->len * sizeof(MemGraphPart));
	return p;
}

void mem_graph_gather_mappings(guint thread, guint32 pid, const MemMapping *maps, guint n, MemMappingsStep step,
                               gpointer data)
{
	MemGraphGather *g = data;
	MemGraphPartsThread *t;

	mem_objs_gather_mappings(thread, pid, maps, n, step, g->all);
	g_return_if_fail(thread < MEM_SCAN_MAX_THREADS);
	t = &g->threads[thread];
	if (!t->open) {
		t->open = TRUE;
		t->pid = pid;
		if (!t->cur)
			t->cur = g_array_new(FALSE, FALSE, sizeof(MemGraphPart));
		g_array_set_size(t->cur, 0);
	}
	for (guint i = 0; i < n; i++) {
		const MemMapping *m = &maps[i];
		MemGraphPart part = { .dev_major = m->dev_major, .dev_minor = m->dev_minor, .inode = m->inode,
		                      .has_pss = mem_mapping_has(m, MEM_F_PSS) };

		part.anon = mem_object_is_private_anon(m->dev_major, m->dev_minor, m->inode);
		if (part.anon)
			part.inode = m->start;
		part.pss = part.has_pss ? mem_mapping_value(m, MEM_F_PSS) : 0;
		g_array_append_val(t->cur, part);
	}
	if (step == MEM_MAPPINGS_MORE) {
		parts_compact(t->cur); /* a batch of a large process: its file objects' mappings summed now */
		return;
	}
	t->open = FALSE;
	if (step == MEM_MAPPINGS_DONE) {
		if (!t->done)
			t->done = g_ptr_array_new_with_free_func(parts_free);
		g_ptr_array_add(t->done, parts_finish(pid, t->cur));
	}
	if (t->cur->len > MEM_MAPPINGS_BATCH)
		g_clear_pointer(&t->cur, g_array_unref); /* a huge process's: not kept for the next */
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

/* The parts of the processes the objects count: memobjs's gather leaves out a process whose
 * mappings go backwards or overlap (a problem), and its parts go with it. */
static void drop_uncounted_parts(MemGraph *g)
{
	g_autoptr(GHashTable) counted = g_hash_table_new(g_direct_hash, g_direct_equal);
	GHashTableIter it;
	gpointer pid;

	for (guint i = 0; i < g->objects->objects->len; i++) {
		const MemObject *o = g_ptr_array_index(g->objects->objects, i);
		for (guint k = 0; k < o->n_pids; k++)
			g_hash_table_add(counted, GUINT_TO_POINTER(o->pids[k]));
	}
	g_hash_table_iter_init(&it, g->parts_by_pid);
	while (g_hash_table_iter_next(&it, &pid, NULL))
		if (!g_hash_table_contains(counted, pid))
			g_hash_table_iter_remove(&it);
}

gboolean mem_graph_build(MemGraph *g, MemSnapshot *snap, MemGraphGather *gather, GError **error)
{
	MemPsOptions po = { .tree = MEM_TREE_CGROUP, .kernel = TRUE };
	MemObjsOptions oo = { 0 };

	memset(g, 0, sizeof *g);
	g->snap = snap;
	if (snap->meminfo) {
		if (!mem_sys_categories(snap->meminfo, &g->cat, error) ||
		    (snap->zram && !mem_sys_categories_zram(&g->cat, snap->zram, error)))
			return FALSE;
		g->has_cat = TRUE;
	}
	g->tree = mem_ps_report_new(snap, &po);
	g->timestamp = timestamp(snap);
	if (!gather)
		return TRUE;
	oo.view = MEM_OBJS_ALL;
	g->objects = mem_objs_report_gathered(snap, gather->all, &oo);
	g->parts_by_pid = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, parts_free);
	for (guint t = 0; t < MEM_SCAN_MAX_THREADS; t++) {
		GPtrArray *done = gather->threads[t].done;
		for (guint i = 0; done && i < done->len; i++) {
			MemGraphParts *p = g_ptr_array_steal_index_fast(done, i--);
			g_hash_table_replace(g->parts_by_pid, GUINT_TO_POINTER(p->pid), p);
		}
	}
	drop_uncounted_parts(g);
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
	g_clear_pointer(&g->threads, g_array_unref);
	g_clear_pointer(&g->timestamp, g_free);
}

char *mem_graph_summary(const MemGraph *g)
{
	return mem_ps_report_summary(g->tree);
}
