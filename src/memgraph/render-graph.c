/* render-graph.c: memgraph's JSON records, one a line: kernel nodes, jobs, processes and threads, objects, __META (rendering layer) */
#include "config.h"

#include <string.h>

#include "json-writer.h"
#include "render-graph.h"

typedef struct {
	GString *out;
	const MemFlush *flush;
	gboolean first;
	MemJsonWriter *w;        /* the record being written */
	GString *id;             /* scratch for ids */
} Records;

/* Starts a record: its line, and the four keys every record has (`parent` NULL for a root: ""). */
static MemJsonWriter *record(Records *r, const char *id, gsize id_len, const char *type, const char *parent,
                             gsize parent_len, const char *name, gsize name_len)
{
	g_string_append(r->out, r->first ? "" : ",\n");
	r->first = FALSE;
	r->w = mem_json_writer_new(r->out, FALSE);
	mem_json_begin_object(r->w);
	mem_json_key(r->w, "id");
	mem_json_string_len(r->w, id, id_len);
	mem_json_key(r->w, "type");
	mem_json_string(r->w, type);
	mem_json_key(r->w, "parent");
	mem_json_string_len(r->w, parent ? parent : "", parent ? parent_len : 0);
	mem_json_key(r->w, "name");
	mem_json_string_len(r->w, name, name_len);
	return r->w;
}

static void record_end(Records *r)
{
	mem_json_end_object(r->w);
	g_clear_pointer(&r->w, mem_json_writer_free);
	mem_flush_maybe(r->out, r->flush);
}

/* ---- kernel nodes ---- */

static void kernel_node(Records *r, const char *key, gboolean known, gint64 bytes)
{
	g_autofree char *id = g_strconcat("kernel/", key, NULL);

	record(r, id, strlen(id), "kernel", "kernel/physmem", strlen("kernel/physmem"), key, strlen(key));
	mem_json_member_int(r->w, "size_bytes", known, bytes);
}

static void kernel_nodes(Records *r, const MemGraph *g)
{
	const MemSysCategoryInfo *info = mem_sys_category_info();
	const MemSysCategories *c = &g->cat;
	static const MemSysCategory user[] = { MEM_SYS_ANON, MEM_SYS_FILE, MEM_SYS_SHMEM };
	static const char *const user_keys[] = { "anon_bytes", "file_bytes", "shmem_bytes" };

	record(r, "kernel/physmem", strlen("kernel/physmem"), "kernel", NULL, 0, "physmem", strlen("physmem"));
	mem_json_member_uint(r->w, "size_bytes", g->has_cat, c->total);
	record_end(r);
	for (guint k = 0; k < MEM_SYS_N; k++) {
		if (k == MEM_SYS_FILE || k == MEM_SYS_SHMEM)
			continue;
		if (k != MEM_SYS_ANON) {
			kernel_node(r, info[k].id, g->has_cat && c->known[k], c->bytes[k]);
			record_end(r);
			continue;
		}
		/* the user pages: one node, parent of the root job (Zircon's kernel/vmo) */
		gboolean all = g->has_cat;
		gint64 sum = 0;
		for (guint i = 0; i < G_N_ELEMENTS(user); i++)
			all = all && c->known[user[i]] && !__builtin_add_overflow(sum, c->bytes[user[i]], &sum);
		kernel_node(r, "user", all, sum);
		for (guint i = 0; i < G_N_ELEMENTS(user); i++)
			mem_json_member_int(r->w, user_keys[i], g->has_cat && c->known[user[i]], c->bytes[user[i]]);
		record_end(r);
	}
}

/* ---- jobs and processes ---- */

/* "j" + the job's canonical cgroup path into r->id. */
static void job_id(Records *r, const MemPsNode *job)
{
	g_string_assign(r->id, "j");
	g_string_append_len(r->id, job->id, job->id_len);
}

static void jobs(Records *r, const MemGraph *g)
{
	for (guint i = 0; i < g->tree->jobs->len; i++) {
		const MemPsNode *n = g_ptr_array_index(g->tree->jobs, i);
		g_autofree char *parent = NULL;
		gsize parent_len = strlen("kernel/user");
		MemMetrics m;

		if (n->parent) {
			job_id(r, n->parent);
			parent_len = r->id->len;
			parent = g_strndup(r->id->str, r->id->len);
		} else {
			parent = g_strdup("kernel/user");
		}
		job_id(r, n);
		record(r, r->id->str, r->id->len, "j", parent, parent_len, n->base, n->id_len - (gsize)(n->base - n->id));
		mem_ps_sum_metrics(n->tally, &m);
		mem_json_member_uint(r->w, "pss_bytes", mem_metrics_has(&m, MEM_M_PSS), m.v[MEM_M_PSS]);
		mem_json_member_uint(r->w, "private_bytes", mem_metrics_has(&m, MEM_M_PRIVATE), m.v[MEM_M_PRIVATE]);
		mem_json_member_uint(r->w, "swap_pss_bytes", mem_metrics_has(&m, MEM_M_SWAP_PSS), m.v[MEM_M_SWAP_PSS]);
		if (n->tally->n_missing > 0) {
			mem_json_key(r->w, "partial");
			mem_json_bool(r->w, TRUE);
		}
		record_end(r);
	}
}

/* A process's part of each object it maps (-v); none unless it was read whole. */
static void process_objects(Records *r, const MemGraph *g, const MemProcess *p)
{
	const MemGraphParts *parts = p->state == MEM_PROC_OK ? g_hash_table_lookup(g->parts_by_pid, GUINT_TO_POINTER(p->pid))
	                                                    : NULL;
	char id[2 + MEM_OBJECT_ID_LEN] = "o/";

	mem_json_key(r->w, "objects");
	mem_json_begin_array(r->w);
	for (guint i = 0; parts && i < parts->n; i++) {
		const MemGraphPart *x = &parts->parts[i];
		gsize len = 2 + mem_object_id(id + 2, x->dev_major, x->dev_minor, x->anon ? 0 : x->inode, p->pid,
		                              x->anon ? x->inode : 0);

		mem_json_begin_object(r->w);
		mem_json_key(r->w, "id");
		mem_json_string_len(r->w, id, len);
		mem_json_member_uint(r->w, "pss_bytes", x->has_pss, x->pss);
		mem_json_end_object(r->w);
	}
	mem_json_end_array(r->w);
}

static void process(Records *r, const MemGraph *g, const MemProcess *p, const MemPsNode *job)
{
	char id[24];
	MemMetrics m;
	g_autofree char *cmdline = p->cmdline ? mem_ps_join_cmdline(p->cmdline) : NULL;

	g_snprintf(id, sizeof id, "p/%" G_GUINT32_FORMAT, p->pid);
	if (job)
		job_id(r, job);
	else
		g_string_assign(r->id, "j/");
	record(r, id, strlen(id), "p", r->id->str, r->id->len, p->name, strlen(p->name));
	mem_json_key(r->w, "cmdline");
	mem_json_string(r->w, cmdline);
	mem_json_key(r->w, "pid");
	mem_json_uint(r->w, p->pid);
	mem_json_member_int(r->w, "ppid", p->ppid >= 0, p->ppid);
	mem_json_key(r->w, "state");
	mem_json_string(r->w, mem_proc_state_name(p->state));
	mem_process_metrics(p, &m);
	mem_json_member_uint(r->w, "pss_bytes", mem_metrics_has(&m, MEM_M_PSS), m.v[MEM_M_PSS]);
	mem_json_member_uint(r->w, "private_bytes", mem_metrics_has(&m, MEM_M_PRIVATE), m.v[MEM_M_PRIVATE]);
	mem_json_member_uint(r->w, "shared_bytes", mem_metrics_has(&m, MEM_M_SHARED), m.v[MEM_M_SHARED]);
	mem_json_member_uint(r->w, "swap_pss_bytes", mem_metrics_has(&m, MEM_M_SWAP_PSS), m.v[MEM_M_SWAP_PSS]);
	mem_json_member_uint(r->w, "rss_bytes", mem_metrics_has(&m, MEM_M_RSS), m.v[MEM_M_RSS]);
	if (g->parts_by_pid)
		process_objects(r, g, p);
	record_end(r);
}

/* The threads of pid from *next on (g->threads is by pid then tid). */
static void threads(Records *r, const MemGraph *g, guint32 pid, guint *next)
{
	char id[24], parent[24];
	char state[2] = { 0, 0 };

	g_snprintf(parent, sizeof parent, "p/%" G_GUINT32_FORMAT, pid);
	for (; g->threads && *next < g->threads->len; (*next)++) {
		const MemGraphThread *t = &g_array_index(g->threads, MemGraphThread, *next);

		if (t->pid != pid)
			break;
		g_snprintf(id, sizeof id, "t/%" G_GUINT32_FORMAT, t->tid);
		record(r, id, strlen(id), "t", parent, strlen(parent), t->comm ? t->comm : "", t->comm ? t->comm_len : 0);
		state[0] = t->state;
		mem_json_key(r->w, "state");
		mem_json_string(r->w, state);
		record_end(r);
	}
}

static void processes(Records *r, const MemGraph *g)
{
	g_autoptr(GHashTable) job_of = g_hash_table_new(g_direct_hash, g_direct_equal);
	guint next_thread = 0;

	for (guint i = 0; i < g->tree->nodes->len; i++) {
		const MemPsNode *n = g_ptr_array_index(g->tree->nodes, i);
		if (n->kind == MEM_PS_PROC && n->parent)
			g_hash_table_insert(job_of, n->proc, n->parent);
	}
	for (guint i = 0; i < g->snap->procs->len; i++) {
		const MemProcess *p = g_ptr_array_index(g->snap->procs, i);

		process(r, g, p, g_hash_table_lookup(job_of, p));
		threads(r, g, p->pid, &next_thread);
	}
}

/* ---- objects ---- */

static void objects(Records *r, const MemGraph *g)
{
	char id[2 + MEM_OBJECT_ID_LEN] = "o/", parent[24];

	for (guint i = 0; g->objects && i < g->objects->objects->len; i++) {
		const MemObject *o = g_ptr_array_index(g->objects->objects, i);
		gsize len = 2 + mem_object_id_of(o, id + 2);
		guint64 v = 0;
		gboolean known;

		if (o->n_pids)
			g_snprintf(parent, sizeof parent, "p/%" G_GUINT32_FORMAT, o->pids[0]);
		else
			parent[0] = '\0';
		record(r, id, len, "o", parent, strlen(parent), o->name, o->name_len);
		mem_json_key(r->w, "kind");
		mem_json_string(r->w, mem_map_kind_name(o->kind));
		mem_json_key(r->w, "size_bytes");
		mem_json_uint(r->w, o->size);
		known = mem_object_alloc(o, &v);
		mem_json_member_uint(r->w, "alloc_bytes", known, v);
		known = mem_object_counter(o, MEM_F_PSS, &v);
		mem_json_member_uint(r->w, "pss_bytes", known, v);
		mem_json_key(r->w, "sharers");
		mem_json_uint(r->w, o->n_pids);
		mem_json_key(r->w, "pids");
		mem_json_begin_array(r->w);
		for (guint k = 0; k < o->n_pids; k++)
			mem_json_uint(r->w, o->pids[k]);
		mem_json_end_array(r->w);
		record_end(r);
	}
}

void mem_render_graph_json(const MemGraph *g, const MemFlush *flush, GString *out)
{
	Records r = { .out = out, .flush = flush, .first = TRUE, .id = g_string_new(NULL) };

	g_string_append(out, "[\n");
	kernel_nodes(&r, g);
	jobs(&r, g);
	processes(&r, g);
	objects(&r, g);
	record(&r, "__META", strlen("__META"), "__META", NULL, 0, "__META", strlen("__META"));
	mem_json_header_snapshot(r.w, "memgraph/1", g->snap);
	mem_json_key(r.w, "timestamp");
	mem_json_string(r.w, g->timestamp);
	if (g->threads_note) {
		mem_json_key(r.w, "threads");
		mem_json_string(r.w, g->threads_note);
	}
	record_end(&r);
	g_string_append(out, "\n]\n");
	g_string_free(r.id, TRUE);
	mem_flush_maybe(out, flush);
}
