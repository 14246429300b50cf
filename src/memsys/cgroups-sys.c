/* cgroups-sys.c: memsys --cgroups, each cgroup v2's charged memory beside the PSS of its processes, the difference named term by term (accounting layer) */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "account-pss.h"
#include "cgroups-sys.h"
#include "error.h"
#include "explain-sys.h"

static const char *const figure_names[MEM_CG_N] = {
	"current", "anon", "file", "shmem", "kernel", "sock", "other", "pss", "anon_gap", "file_gap",
};

const char *mem_sys_cgroup_figure_name(MemSysCgroupFigure f)
{
	return f < MEM_CG_N ? figure_names[f] : NULL;
}

/* a + b and a - b in *out; FALSE on overflow (the figure is then unknown, never wrapped). */
static gboolean add(gint64 a, gint64 b, gint64 *out)
{
	return !__builtin_add_overflow(a, b, out);
}

static gboolean sub(gint64 a, gint64 b, gint64 *out)
{
	return !__builtin_sub_overflow(a, b, out);
}

/* A memory.stat key as signed bytes. */
static gboolean stat_key(const MemSysCgroup *c, MemCgStatKey k, gint64 *v)
{
	guint64 u;

	if (c->stat_err || !mem_cgstat_get(&c->stat, k, &u) || u > (guint64)G_MAXINT64)
		return FALSE;
	*v = (gint64)u;
	return TRUE;
}

/* kernel: the kernel's own total when it writes one, else the sum of the parts it writes (at least
 * kernel_stack, pagetables and slab, which every cgroup v2 kernel has). */
static gboolean kernel(const MemSysCgroup *c, gint64 *v)
{
	static const MemCgStatKey parts[] = { MEM_CGSTAT_KERNEL_STACK, MEM_CGSTAT_PAGETABLES, MEM_CGSTAT_SEC_PAGETABLES,
		                              MEM_CGSTAT_PERCPU, MEM_CGSTAT_VMALLOC, MEM_CGSTAT_SLAB };
	gint64 x;

	if (stat_key(c, MEM_CGSTAT_KERNEL, v))
		return TRUE;
	if (c->stat_err || !stat_key(c, MEM_CGSTAT_KERNEL_STACK, &x) || !stat_key(c, MEM_CGSTAT_PAGETABLES, &x) ||
	    !stat_key(c, MEM_CGSTAT_SLAB, &x))
		return FALSE;
	*v = 0;
	for (guint i = 0; i < G_N_ELEMENTS(parts); i++)
		if (stat_key(c, parts[i], &x) && !add(*v, x, v))
			return FALSE;
	return TRUE;
}

gboolean mem_sys_cgroup_figure(const MemSysCgroup *c, MemSysCgroupFigure f, gint64 *v)
{
	gint64 a, b, d, e;

	switch (f) {
	case MEM_CG_CURRENT:
		if (c->current_err || c->current > (guint64)G_MAXINT64)
			return FALSE;
		*v = (gint64)c->current;
		return TRUE;
	case MEM_CG_ANON:
		return stat_key(c, MEM_CGSTAT_ANON, v);
	case MEM_CG_FILE:
		return stat_key(c, MEM_CGSTAT_FILE, v);
	case MEM_CG_SHMEM:
		return stat_key(c, MEM_CGSTAT_SHMEM, v);
	case MEM_CG_KERNEL:
		return kernel(c, v);
	case MEM_CG_SOCK:
		return stat_key(c, MEM_CGSTAT_SOCK, v);
	case MEM_CG_OTHER:
		return mem_sys_cgroup_figure(c, MEM_CG_CURRENT, &a) && mem_sys_cgroup_figure(c, MEM_CG_ANON, &b) &&
		       mem_sys_cgroup_figure(c, MEM_CG_FILE, &d) && mem_sys_cgroup_figure(c, MEM_CG_KERNEL, &e) &&
		       sub(a, b, &a) && sub(a, d, &a) && sub(a, e, &a) && mem_sys_cgroup_figure(c, MEM_CG_SOCK, &b) &&
		       sub(a, b, v);
	case MEM_CG_PSS:
		*v = c->pss;
		return TRUE;
	case MEM_CG_ANON_GAP:
		return c->unreadable == 0 && c->split && stat_key(c, MEM_CGSTAT_ANON, &a) && sub(a, c->pss_anon, v);
	case MEM_CG_FILE_GAP:
		return c->unreadable == 0 && c->split && stat_key(c, MEM_CGSTAT_FILE, &a) && sub(a, c->pss, &a) &&
		       add(a, c->pss_anon, v);
	default:
		return FALSE;
	}
}

/* Orders paths as a tree walk: a parent before its children, siblings by bytes ('/' sorts first, so
 * "/a/b" comes before "/a-b"). */
static gint compare_paths(gconstpointer a, gconstpointer b)
{
	const unsigned char *x = (const unsigned char *)(*(MemSysCgroup *const *)a)->path;
	const unsigned char *y = (const unsigned char *)(*(MemSysCgroup *const *)b)->path;

	for (; *x && *x == *y; x++, y++)
		;
	return (*x == '/' ? 1 : *x ? *x + 2 : 0) - (*y == '/' ? 1 : *y ? *y + 2 : 0);
}

static void cgroup_free(gpointer data)
{
	MemSysCgroup *c = data;

	g_free(c->path);
	g_free(c);
}

/* The row of `path`, made (with depth) when new. */
static MemSysCgroup *row(GHashTable *by_path, const char *path, gsize len)
{
	g_autofree char *key = g_strndup(path, len ? len : 1);
	MemSysCgroup *c = g_hash_table_lookup(by_path, key);

	if (!c) {
		c = g_new0(MemSysCgroup, 1);
		c->path = g_strdup(key);
		c->split = TRUE;
		for (const char *p = key + 1; *p; p++)
			c->depth += *p == '/';
		c->depth += key[1] != '\0';
		g_hash_table_insert(by_path, c->path, c);
	}
	return c;
}

/* Adds p to c's sums. */
static void count(MemSysCgroup *c, const MemProcess *p)
{
	gint64 pss, anon, file, shmem;

	c->procs++;
	if (p->state != MEM_PROC_OK || !mem_process_figure(p, MEM_F_PSS, &pss) || !add(c->pss, pss, &c->pss)) {
		c->unreadable++;
		return;
	}
	if (!mem_process_figure(p, MEM_F_PSS_ANON, &anon) || !mem_process_figure(p, MEM_F_PSS_FILE, &file) ||
	    !mem_process_figure(p, MEM_F_PSS_SHMEM, &shmem) ||
	    !add(c->pss_anon, anon, &c->pss_anon) || !add(c->pss_file, file, &c->pss_file) ||
	    !add(c->pss_shmem, shmem, &c->pss_shmem))
		c->split = FALSE;
}

/* Reads one of the cgroup's files: 0, an errno, or -1 (malformed: the message kept in *malformed
 * when it is the first). */
static int read_file(MemCgroupFs *fs, MemSysCgroup *c, const char *name, char **malformed)
{
	g_autoptr(GError) err = NULL;
	const char *data;
	gsize len;
	int e = mem_cgroup_fs_read(fs, c->path, name, &data, &len);
	gboolean ok;

	if (e)
		return e;
	ok = strcmp(name, "memory.current") == 0 ? mem_parse_memcurrent(data, len, &c->current, &err)
	                                         : mem_parse_memstat(data, len, &c->stat, &err);
	if (ok)
		return 0;
	if (!*malformed)
		*malformed = g_strdup_printf("%s%s/%s: %s", mem_cgroup_fs_root(fs), c->path[1] ? c->path : "", name,
		                             err->message);
	return -1;
}

/* Adds a row for every cgroup of fs's hierarchy without one (no process in or below it: the charge of
 * a finished job, page cache it left), at most MAX_CGROUPS rows in all.  A cgroup removed meanwhile,
 * or one that cannot be listed, is passed over. */
#define MAX_CGROUPS 100000
static void walk(MemCgroupFs *fs, GHashTable *by_path)
{
	g_autoptr(GPtrArray) todo = g_ptr_array_new_with_free_func(g_free);

	g_ptr_array_add(todo, g_strdup("/"));
	while (todo->len && g_hash_table_size(by_path) < MAX_CGROUPS) {
		g_autofree char *path = g_ptr_array_steal_index(todo, todo->len - 1);
		g_autoptr(GPtrArray) kids = g_ptr_array_new_with_free_func(g_free);

		row(by_path, path, strlen(path));
		if (mem_cgroup_fs_children(fs, path, kids) != 0)
			continue;
		for (guint i = 0; i < kids->len; i++)
			g_ptr_array_add(todo, g_strconcat(path[1] ? path : "", "/", (char *)g_ptr_array_index(kids, i), NULL));
	}
}

GPtrArray *mem_sys_cgroups(MemSnapshot *snap, MemCgroupFs *fs, char **malformed, guint *no_job)
{
	g_autoptr(GHashTable) by_path = g_hash_table_new(g_str_hash, g_str_equal);
	GPtrArray *rows = g_ptr_array_new_with_free_func(cgroup_free);
	GHashTableIter it;
	gpointer value;

	*no_job = 0;
	for (guint i = 0; i < snap->procs->len; i++) {
		const MemProcess *p = g_ptr_array_index(snap->procs, i);
		const char *path = p->job;

		if (p->state == MEM_PROC_KERNEL || p->state == MEM_PROC_ZOMBIE || p->state == MEM_PROC_VANISHED)
			continue;
		if (!path || path[0] != '/' || p->job_hierarchy != MEM_JOB_V2) {
			(*no_job)++;
			continue;
		}
		/* the cgroup and each ancestor: "/a/b" counts in "/a/b", "/a" and "/" */
		for (gsize len = strlen(path);;) {
			count(row(by_path, path, len), p);
			if (len <= 1)
				break;
			while (len > 1 && path[len - 1] != '/')
				len--;
			if (len > 1)
				len--; /* "/a/" -> "/a" */
		}
	}
	walk(fs, by_path);
	g_hash_table_iter_init(&it, by_path);
	while (g_hash_table_iter_next(&it, NULL, &value))
		g_ptr_array_add(rows, value);
	g_ptr_array_sort(rows, compare_paths);
	for (guint i = 0; i < rows->len; i++) {
		MemSysCgroup *c = g_ptr_array_index(rows, i);

		c->current_err = read_file(fs, c, "memory.current", malformed);
		c->stat_err = read_file(fs, c, "memory.stat", malformed);
	}
	return rows;
}

gboolean mem_sys_cgroups_check(MemCgroupFs *fs, GError **error)
{
	const char *data;
	gsize len;
	int e = mem_cgroup_fs_read(fs, "/", "cgroup.controllers", &data, &len);

	if (e) {
		g_set_error(error, MEM_ERROR, mem_error_from_errno(e), "%s/cgroup.controllers: %s (not a cgroup v2 filesystem?)",
		            mem_cgroup_fs_root(fs), g_strerror(e));
		return FALSE;
	}
	for (const char *p = data, *end = data + len; p < end;) {
		gsize n = strcspn(p, " \n");

		if (n == 6 && memcmp(p, "memory", 6) == 0)
			return TRUE;
		p += n + 1;
	}
	g_set_error(error, MEM_ERROR, MEM_ERROR_NOT_FOUND,
	            "%s: no memory controller in cgroup v2 (cgroup.controllers; it may be bound to a v1 hierarchy)",
	            mem_cgroup_fs_root(fs));
	return FALSE;
}
