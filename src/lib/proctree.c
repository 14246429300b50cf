/* proctree.c: the processes selected, in their job (cgroup) or parent tree with subtree sums, groups and sorting: memps's report, memgraph's jobs (accounting layer) */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "error.h"
#include "proctree.h"


static void node_free(gpointer data)
{
	MemPsNode *n = data;
	g_free(n->id);
	g_free(n->tally);
	if (n->kids)
		g_ptr_array_unref(n->kids);
	g_free(n);
}

static MemPsNode *node_new(MemPsReport *r, int kind)
{
	MemPsNode *n = g_new0(MemPsNode, 1);
	n->kind = kind;
	if (kind != MEM_PS_PROC) {
		n->tally = g_new(MemTally, 1);
		mem_tally_init(n->tally);
	}
	g_ptr_array_add(r->nodes, n);
	return n;
}

static void node_adopt(MemPsNode *parent, MemPsNode *kid)
{
	if (!parent->kids)
		parent->kids = g_ptr_array_new();
	g_ptr_array_add(parent->kids, kid);
	kid->parent = parent;
}

/* ---- selection ---- */

static gboolean pid_selected(const MemPsOptions *o, guint32 pid)
{
	return mem_source_pid_selected(pid, o->pids, o->n_pids);
}

static gboolean cgroup_selected(const char *filter, const char *job)
{
	gsize n;

	if (!filter)
		return TRUE;
	n = strlen(filter);
	while (n > 1 && filter[n - 1] == '/')
		n--;
	if (n == 1 && filter[0] == '/')
		return TRUE;
	if (!job)
		return FALSE;
	return strncmp(job, filter, n) == 0 && (job[n] == '\0' || job[n] == '/');
}

char *mem_ps_join_cmdline(const GPtrArray *argv)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; argv && i < argv->len; i++) {
		if (i)
			g_string_append_c(s, ' ');
		g_string_append(s, g_ptr_array_index(argv, i));
	}
	return g_string_free(s, FALSE);
}

/* As pgrep, the tool never matches its own pattern: its command line holds the pattern. */
static gboolean pattern_selected(GRegex *re, guint32 self_pid, const MemProcess *p)
{
	g_autofree char *cmd = NULL;

	if (!re)
		return TRUE;
	if (self_pid && p->pid == self_pid)
		return FALSE;
	if (g_regex_match(re, p->name, 0, NULL))
		return TRUE;
	cmd = mem_ps_join_cmdline(p->cmdline);
	return g_regex_match(re, cmd, 0, NULL);
}

gboolean mem_ps_cgroup_exists(const MemSnapshot *snap, const char *cgroup)
{
	for (guint i = 0; i < snap->procs->len; i++) {
		const MemProcess *p = g_ptr_array_index(snap->procs, i);
		if (cgroup_selected(cgroup, p->job))
			return TRUE;
	}
	return FALSE;
}

static gboolean selected(const MemPsOptions *o, const MemProcess *p)
{
	return pid_selected(o, p->pid) && (!o->has_uid || (p->has_uid && p->uid == o->uid)) &&
	       cgroup_selected(o->cgroup, p->job) && pattern_selected(o->pattern, o->self_pid, p);
}

/* Kernel threads are hidden unless asked for, by -k or by naming their pids. */
static gboolean shown(const MemPsOptions *o, const MemProcess *p)
{
	return p->state != MEM_PROC_KERNEL || o->kernel || o->pids;
}

/* ---- trees ---- */

static MemPsNode *proc_node(MemPsReport *r, MemProcess *p)
{
	MemPsNode *n = node_new(r, MEM_PS_PROC);
	n->proc = p;
	return n;
}

/* Canonical cgroup path: "/" + non-empty components joined by "/".  A (hostile) path deeper than
 * MAX_JOB_DEPTH levels is cut there: the process is shown in that ancestor, which bounds the jobs
 * one process can create. */
#define MAX_JOB_DEPTH 64

static char *canonical_path(const char *path)
{
	GString *s = g_string_new(NULL);
	const char *p = path ? path : "/";
	guint depth = 0;

	while (*p) {
		const char *e;
		while (*p == '/')
			p++;
		if (!*p)
			break;
		if (++depth > MAX_JOB_DEPTH)
			break;
		e = strchr(p, '/');
		if (!e)
			e = p + strlen(p);
		g_string_append_c(s, '/');
		g_string_append_len(s, p, e - p);
		p = e;
	}
	if (s->len == 0)
		g_string_append_c(s, '/');
	return g_string_free(s, FALSE);
}

/* The job for a canonical path, creating it and its ancestors (iteratively). */
static MemPsNode *job_get(MemPsReport *r, GHashTable *jobs, const char *path)
{
	MemPsNode *n = g_hash_table_lookup(jobs, path), *kid = NULL, *first = NULL;
	g_autofree char *cur = g_strdup(path);

	if (n)
		return n;
	for (;;) {
		char *slash;
		n = g_hash_table_lookup(jobs, cur);
		if (n) {
			if (kid)
				node_adopt(n, kid);
			break;
		}
		n = node_new(r, MEM_PS_JOB);
		n->id = g_strdup(cur);
		n->id_len = strlen(cur);
		slash = strrchr(n->id, '/');
		n->base = n->id[1] ? slash + 1 : n->id;
		g_hash_table_insert(jobs, n->id, n);
		if (!first)
			first = n;
		if (kid)
			node_adopt(n, kid);
		if (strcmp(cur, "/") == 0) {
			g_ptr_array_add(r->roots, n);
			break;
		}
		kid = n;
		slash = strrchr(cur, '/');
		if (slash == cur)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	return first;
}

static gint compare_depth_desc(gconstpointer a, gconstpointer b)
{
	const MemPsNode *x = *(MemPsNode *const *)a, *y = *(MemPsNode *const *)b;
	return x->depth < y->depth ? 1 : x->depth > y->depth ? -1 : 0;
}

static void build_cgroup_tree(MemPsReport *r, GPtrArray *procs)
{
	g_autoptr(GHashTable) jobs = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GPtrArray) order = g_ptr_array_new();
	const MemProcess *prev = NULL; /* the last process placed, and its job: neighbours share one */
	MemPsNode *prev_job = NULL;

	for (guint i = 0; i < procs->len; i++) {
		MemProcess *p = g_ptr_array_index(procs, i);
		MemPsNode *job, *n;

		if (prev && g_strcmp0(prev->job, p->job) == 0) {
			job = prev_job;
		} else {
			g_autofree char *path = canonical_path(p->job);
			job = job_get(r, jobs, path);
		}
		prev = p;
		prev_job = job;
		n = proc_node(r, p);
		node_adopt(job, n);
		/* The path's hierarchy goes to the job and its ancestors (the root has none). */
		for (MemPsNode *j = job; j && j->id[1] && !j->hierarchy; j = j->parent)
			j->hierarchy = p->job_hierarchy;
		mem_tally_add(job->tally, p);
	}
	/* Subtree sums: children before parents.  Jobs were created leaf-first along each path, but a
	 * later path may hang a new subtree under an old job, so order by depth explicitly. */
	for (guint i = 0; i < r->nodes->len; i++) {
		MemPsNode *n = g_ptr_array_index(r->nodes, i);
		if (n->kind != MEM_PS_JOB)
			continue;
		n->depth = 0;
		if (n->id[1])
			for (const char *c = n->id; *c; c++)
				n->depth += *c == '/';
		g_ptr_array_add(order, n);
	}
	g_ptr_array_sort(order, compare_depth_desc);
	for (guint i = 0; i < order->len; i++) {
		MemPsNode *n = g_ptr_array_index(order, i);
		if (n->parent)
			mem_tally_merge(n->parent->tally, n->tally);
	}
}

/* In the parent tree, a process with children becomes a subtree node holding the process first and
 * then its children, as a job holds its processes: the subtree row carries the sums, the process row
 * its own figures. */
static void add_subtrees(MemPsReport *r, GPtrArray *procs)
{
	g_autoptr(GHashTable) sub = g_hash_table_new(g_direct_hash, g_direct_equal); /* process node -> its subtree */
	g_autoptr(GPtrArray) tops = g_ptr_array_new(); /* the process nodes that get a subtree */
	g_autoptr(GPtrArray) stack = g_ptr_array_new();
	g_autoptr(GPtrArray) order = g_ptr_array_new();

	for (guint i = 0; i < procs->len; i++) {
		MemPsNode *p = g_ptr_array_index(procs, i), *s;

		if (!p->kids)
			continue;
		s = node_new(r, MEM_PS_SUBTREE);
		s->proc = p->proc;
		s->kids = g_steal_pointer(&p->kids);
		g_hash_table_insert(sub, p, s);
		g_ptr_array_add(tops, p);
	}
	/* Relink in linear time: a subtree takes its process's place among the roots or in the subtree
	 * of the process's parent (which has a child, so it is a subtree too), and holds the process
	 * first, then the children.  Parents are read before any is changed. */
	for (guint i = 0; i < tops->len; i++) {
		MemPsNode *p = g_ptr_array_index(tops, i), *s = g_hash_table_lookup(sub, p);
		s->parent = p->parent ? g_hash_table_lookup(sub, p->parent) : NULL;
	}
	for (guint k = 0; k < r->roots->len; k++) {
		MemPsNode *s = g_hash_table_lookup(sub, r->roots->pdata[k]);
		if (s)
			r->roots->pdata[k] = s;
	}
	for (guint i = 0; i < tops->len; i++) {
		MemPsNode *p = g_ptr_array_index(tops, i), *s = g_hash_table_lookup(sub, p);
		for (guint k = 0; k < s->kids->len; k++) {
			MemPsNode *ks = g_hash_table_lookup(sub, s->kids->pdata[k]);
			if (ks)
				s->kids->pdata[k] = ks;
			else
				((MemPsNode *)s->kids->pdata[k])->parent = s;
		}
		g_ptr_array_insert(s->kids, 0, p);
		p->parent = s;
	}
	/* Sums: a preorder walk, then children before parents by walking it backwards. */
	for (guint i = 0; i < r->roots->len; i++)
		g_ptr_array_add(stack, g_ptr_array_index(r->roots, i));
	while (stack->len) {
		MemPsNode *n = g_ptr_array_steal_index_fast(stack, stack->len - 1);
		g_ptr_array_add(order, n);
		for (guint k = 0; n->kids && k < n->kids->len; k++)
			g_ptr_array_add(stack, g_ptr_array_index(n->kids, k));
	}
	for (guint i = order->len; i-- > 0;) {
		MemPsNode *n = g_ptr_array_index(order, i);
		if (n->kind != MEM_PS_SUBTREE)
			continue;
		for (guint k = 0; k < n->kids->len; k++) {
			const MemPsNode *kid = g_ptr_array_index(n->kids, k);
			if (kid->kind == MEM_PS_SUBTREE)
				mem_tally_merge(n->tally, kid->tally);
			else
				mem_tally_add(n->tally, kid->proc);
		}
	}
}

/* Process parentage.  A (hostile) snapshot can hold ppid cycles: each node walks up marking the path
 * "in progress"; meeting an in-progress node means a cycle, broken by making the node a root.
 * Linear in the number of processes. */
static void build_parent_tree(MemPsReport *r, GPtrArray *procs)
{
	g_autoptr(GHashTable) by_pid = g_hash_table_new(g_direct_hash, g_direct_equal);
	g_autoptr(GHashTable) mark = g_hash_table_new(g_direct_hash, g_direct_equal); /* node -> 1 walking, 2 done */
	g_autoptr(GPtrArray) nodes = g_ptr_array_new();
	g_autoptr(GPtrArray) path = g_ptr_array_new();

	for (guint i = 0; i < procs->len; i++) {
		MemProcess *p = g_ptr_array_index(procs, i);
		MemPsNode *n = proc_node(r, p);
		g_hash_table_insert(by_pid, GUINT_TO_POINTER(p->pid), n);
		g_ptr_array_add(nodes, n);
	}
	for (guint i = 0; i < nodes->len; i++) {
		MemPsNode *n = g_ptr_array_index(nodes, i);
		g_ptr_array_set_size(path, 0);
		while (n && !g_hash_table_contains(mark, n)) {
			MemPsNode *up = NULL;
			gint64 ppid = n->proc->ppid;
			g_hash_table_insert(mark, n, GINT_TO_POINTER(1));
			g_ptr_array_add(path, n);
			if (ppid > 0 && ppid <= G_MAXUINT32 && (guint32)ppid != n->proc->pid)
				up = g_hash_table_lookup(by_pid, GUINT_TO_POINTER((guint32)ppid));
			if (up && GPOINTER_TO_INT(g_hash_table_lookup(mark, up)) == 1)
				up = NULL; /* cycle: n becomes a root */
			if (up)
				node_adopt(up, n);
			else
				g_ptr_array_add(r->roots, n);
			n = up;
		}
		for (guint k = 0; k < path->len; k++)
			g_hash_table_insert(mark, g_ptr_array_index(path, k), GINT_TO_POINTER(2));
	}
	add_subtrees(r, nodes);
}

const char *mem_ps_program_name(const MemProcess *p, gsize *len)
{
	return mem_program_name(p->cmdline && p->cmdline->len ? g_ptr_array_index(p->cmdline, 0) : NULL, p->name, len);
}

static void build_groups(MemPsReport *r, GPtrArray *procs)
{
	g_autoptr(GHashTable) groups = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	for (guint i = 0; i < procs->len; i++) {
		MemProcess *p = g_ptr_array_index(procs, i);
		g_autofree char *key = NULL;
		MemPsNode *g;

		gsize prog_len = 0;
		const char *prog = r->opts.group == MEM_GROUP_PROGRAM ? mem_ps_program_name(p, &prog_len) : NULL;

		if (r->opts.group == MEM_GROUP_USER)
			key = p->has_uid ? g_strdup_printf("%u", p->uid) : g_strdup("?");
		else
			key = g_strndup(prog, prog_len);
		g = g_hash_table_lookup(groups, key);
		if (!g) {
			g = node_new(r, MEM_PS_GROUP);
			if (r->opts.group == MEM_GROUP_USER) {
				const char *user = p->has_uid ? mem_snapshot_user_name(r->snap, p->uid) : NULL;
				g->has_uid = p->has_uid;
				g->uid = p->uid;
				g->id = g_strdup(user ? user : key);
			} else {
				g->id = g_strdup(key);
			}
			g->id_len = strlen(g->id);
			g_hash_table_insert(groups, g_steal_pointer(&key), g);
			g_ptr_array_add(r->roots, g);
		}
		mem_tally_add(g->tally, p);
	}
}

/* ---- sorting ---- */

static const char *node_user(const MemPsReport *r, const MemPsNode *n)
{
	if (!n->proc || !n->proc->has_uid)
		return NULL;
	return mem_snapshot_user_name(r->snap, n->proc->uid);
}

static int cmp_u64(guint64 a, guint64 b)
{
	return a < b ? -1 : a > b;
}

void mem_ps_node_metrics(const MemPsNode *n, MemMetrics *out)
{
	if (n->kind == MEM_PS_PROC) {
		mem_process_metrics(n->proc, out);
		return;
	}
	mem_ps_sum_metrics(n->tally, out);
}

void mem_ps_sum_metrics(const MemTally *t, MemMetrics *out)
{
	*out = t->sum;
	for (int m = 0; m < MEM_M_COUNT; m++)
		if (!mem_metric_additive(m))
			out->known &= ~(1u << m);
	if (t->n_ok == 0 && (t->n_missing > 0 || t->n_kernel > 0))
		out->known = 0; /* no measured member: unknown, or for kernel threads only, no user memory */
}

/* The byte sort key of a node (a sum sorts by PSS when the metric does not add up). */
static void node_set_key(MemPsNode *n, const MemPsSort *sort)
{
	MemMetrics m;
	MemMetric i;

	if (sort->kind != MEM_PS_SORT_METRIC)
		return;
	i = sort->metric;
	if (n->kind != MEM_PS_PROC && !mem_metric_additive(i))
		i = MEM_M_PSS;
	mem_ps_node_metrics(n, &m);
	n->key_known = mem_metrics_has(&m, i);
	n->key = m.v[i];
}

/* Order within one level; unknown values always sort last. */
static gint compare_nodes(gconstpointer pa, gconstpointer pb, gpointer data)
{
	const MemPsReport *r = data;
	const MemPsNode *a = *(MemPsNode *const *)pa, *b = *(MemPsNode *const *)pb;
	const MemPsSort *sort = &r->opts.sort;
	int sign = r->opts.reverse ? -1 : 1, c = 0;

	/* A subtree's own process comes first in it. */
	if (a->parent && a->parent->kind == MEM_PS_SUBTREE && a->kind == MEM_PS_PROC && a->parent->proc == a->proc)
		return -1;
	if (b->parent && b->parent->kind == MEM_PS_SUBTREE && b->kind == MEM_PS_PROC && b->parent->proc == b->proc)
		return 1;
	if (a->kind != b->kind)
		return a->kind == MEM_PS_PROC ? -1 : 1; /* processes before child jobs and subtrees */

	switch (sort->kind) {
	case MEM_PS_SORT_METRIC:
		if (a->key_known != b->key_known)
			return a->key_known ? -1 : 1;
		if (a->key_known)
			c = -cmp_u64(a->key, b->key) * sign; /* largest first */
		break;
	case MEM_PS_SORT_PID:
	case MEM_PS_SORT_PPID:
		if (a->proc) {
			gint64 x = sort->kind == MEM_PS_SORT_PID ? a->proc->pid : a->proc->ppid;
			gint64 y = sort->kind == MEM_PS_SORT_PID ? b->proc->pid : b->proc->ppid;
			c = (x < y ? -1 : x > y) * sign;
		}
		break;
	case MEM_PS_SORT_USER: {
		const char *x = node_user(r, a), *y = node_user(r, b);
		if (!x != !y)
			return x ? -1 : 1;
		if (x)
			c = strcmp(x, y) * sign;
		break;
	}
	case MEM_PS_SORT_CMDLINE:
		if (a->proc) {
			g_autofree char *x = mem_ps_join_cmdline(a->proc->cmdline);
			g_autofree char *y = mem_ps_join_cmdline(b->proc->cmdline);
			c = strcmp(x, y) * sign;
		}
		break;
	}
	if (c)
		return c;
	if (a->proc)
		return a->proc->pid < b->proc->pid ? -1 : a->proc->pid > b->proc->pid;
	return strcmp(a->id, b->id);
}

/* ---- the report ---- */

MemPsReport *mem_ps_report_new(MemSnapshot *snap, const MemPsOptions *opts)
{
	MemPsReport *r = g_new0(MemPsReport, 1);
	/* Arrays of every process sized once (doubling left up to half of each unused: 10 000 processes
	 * held 16 384 slots in each of four arrays). */
	g_autoptr(GPtrArray) visible = g_ptr_array_sized_new(snap->procs->len);

	r->snap = snap;
	r->opts = *opts;
	r->selected = g_ptr_array_sized_new(snap->procs->len);
	r->roots = g_ptr_array_new();
	r->nodes = g_ptr_array_new_with_free_func(node_free);
	r->jobs = g_ptr_array_new();
	r->subtrees = g_ptr_array_new();
	mem_tally_init(&r->totals);

	for (guint i = 0; i < snap->procs->len; i++) {
		MemProcess *p = g_ptr_array_index(snap->procs, i);
		if (!selected(&r->opts, p))
			continue;
		g_ptr_array_add(r->selected, p);
		mem_state_tally_add(&r->states, p);
		if (!shown(&r->opts, p))
			continue;
		g_ptr_array_add(visible, p);
		mem_tally_add(&r->totals, p); /* a kernel thread is counted, never summed */
	}

	if (r->opts.group != MEM_GROUP_NONE)
		build_groups(r, visible);
	else if (r->opts.tree == MEM_TREE_CGROUP)
		build_cgroup_tree(r, visible);
	else if (r->opts.tree == MEM_TREE_PARENT)
		build_parent_tree(r, visible);
	else
		for (guint i = 0; i < visible->len; i++)
			g_ptr_array_add(r->roots, proc_node(r, g_ptr_array_index(visible, i)));

	for (guint i = 0; i < r->nodes->len; i++)
		node_set_key(g_ptr_array_index(r->nodes, i), &r->opts.sort);
	g_ptr_array_sort_with_data(r->roots, compare_nodes, r);
	for (guint i = 0; i < r->nodes->len; i++) {
		MemPsNode *n = g_ptr_array_index(r->nodes, i);
		if (n->kids)
			g_ptr_array_sort_with_data(n->kids, compare_nodes, r);
	}

	/* Display order and depths: an explicit stack, no recursion (trees may be deep). */
	{
		g_autoptr(GPtrArray) stack = g_ptr_array_new();
		g_autoptr(GPtrArray) order = g_ptr_array_sized_new(r->nodes->len);
		for (guint i = r->roots->len; i-- > 0;) {
			MemPsNode *n = g_ptr_array_index(r->roots, i);
			n->depth = 0;
			g_ptr_array_add(stack, n);
		}
		while (stack->len) {
			MemPsNode *n = g_ptr_array_steal_index(stack, stack->len - 1);
			g_ptr_array_add(order, n);
			for (guint k = n->kids ? n->kids->len : 0; k-- > 0;) {
				MemPsNode *kid = g_ptr_array_index(n->kids, k);
				kid->depth = n->depth + 1;
				g_ptr_array_add(stack, kid);
			}
		}
		/* Reorder `nodes` (the owner) into display order: `order` becomes it (no third array of
		 * every node). */
		g_ptr_array_set_free_func(r->nodes, NULL);
		g_ptr_array_unref(r->nodes);
		r->nodes = g_steal_pointer(&order);
		g_ptr_array_set_free_func(r->nodes, node_free);
		for (guint i = 0; i < r->nodes->len; i++) {
			MemPsNode *n = g_ptr_array_index(r->nodes, i);
			if (n->kind == MEM_PS_JOB)
				g_ptr_array_add(r->jobs, n);
			else if (n->kind == MEM_PS_SUBTREE)
				g_ptr_array_add(r->subtrees, n);
		}
	}
	return r;
}

void mem_ps_report_free(MemPsReport *r)
{
	if (!r)
		return;
	g_ptr_array_unref(r->selected);
	g_ptr_array_unref(r->roots);
	g_ptr_array_unref(r->jobs);
	g_ptr_array_unref(r->subtrees);
	g_ptr_array_unref(r->nodes);
	g_free(r);
}

char *mem_ps_report_summary(const MemPsReport *r)
{
	return mem_state_tally_summary(&r->states);
}
