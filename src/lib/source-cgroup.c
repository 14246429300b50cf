/* source-cgroup.c: the real /proc's cgroup files answered from the cgroup filesystem, one cgroup.procs read per cgroup instead of one file per process (source layer)
 *
 * /proc/PID/cgroup costs an open, a read and a close per process, and the kernel builds it under its
 * cgroup locks.  The cgroup filesystem says the same thing the other way round: each cgroup's
 * cgroup.procs lists its processes.  A scan of the real /proc that wants the cgroup files walks the
 * hierarchies once and then writes each process's file itself: "ID:CONTROLLERS:PATH" lines, as
 * /proc/PID/cgroup has them, for the hierarchies the job rule reads (the unified one, and v1
 * name=systemd and memory; mem_parse_cgroup_hierarchy()).
 *
 * It is used only where it gives the same paths as /proc/PID/cgroup: every such hierarchy of
 * /proc/self/cgroup is mounted (its root, per /proc/self/mountinfo) and this process is found in its
 * cgroup.procs at the path /proc/self/cgroup gives (a cgroup namespace or a mount of a subtree would
 * make paths differ: then nothing is used).  A process listed in no cgroup (it started after the walk),
 * in two (v1 and threaded cgroups list a process once per cgroup holding one of its threads; or it moved
 * during the walk) or below a cgroup whose name holds a newline (one line of /proc/PID/cgroup cannot
 * say it) has its own file read.  A process moved to another cgroup after the walk shows where it was
 * then, as if its file had been read first.  The walk stops, and every file is read, past a budget of
 * cgroups (a third of the processes: a cgroup costs about three times what a file does).
 *
 * The walk runs on a thread of its own (mem_cgroup_walk_start) beside the listing of /proc; once the
 * pids are listed, the caller walks the hierarchies nobody has started (mem_cgroup_walk_budget) and
 * goes on to read the pids without waiting for the thread.  The map is published when every hierarchy
 * is walked and the budget is known; until then the reading threads read their pids' files themselves
 * (mem_cgroup_walk_map says NULL).  At 10 000 processes on a v1 host (three hierarchies, each root's
 * cgroup.procs listing every process, ~5 ms of kernel time each) the caller waited ~10-20 ms for the
 * thread with the second CPU idle. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source-private.h"

#define AMBIGUOUS G_MAXUINT32
#define N_HIERARCHIES 3 /* the unified one, name=systemd and memory: each is on one line at most */

typedef struct {
	guint32 pid;
	guint32 path;         /* index in the hierarchy's paths, or AMBIGUOUS */
} Member;

typedef struct {
	char *prefix;         /* "4:memory:", as /proc/self/cgroup has it */
	gsize prefix_len;
	char *mnt;            /* where its root is mounted */
	char *mine;           /* this process's cgroup in it, as /proc/self/cgroup says */
	GPtrArray *paths;     /* char*: the cgroups' paths ("/", "/a", "/a/b") */
	GArray *members;      /* Member by pid; NULL when the root is the only cgroup (every process is in it) */
} Hierarchy;

typedef struct _MemCgroupMap MemCgroupMap;

struct _MemCgroupMap {
	GArray *hier;         /* Hierarchy, in /proc/self/cgroup's order */
};

struct _MemCgroupWalk {
	MemCgroupMap *map;    /* the hierarchies to walk; NULL: the walk cannot be used */
	gint next;            /* atomic: index of the next hierarchy to walk */
	gint visited;         /* atomic: cgroups visited so far, by every walker */
	gint limit;           /* atomic: the budget, G_MAXINT while the caller does not know it */
	gint failed;          /* atomic: a hierarchy cannot be used (or the caller needs the map no more) */
	gint walked;          /* atomic: hierarchies walked and settled */
	gpointer ready;       /* atomic: the map, once published (walked, within the known budget) */
	pthread_mutex_t lock; /* publishing */
	gboolean budgeted;    /* under lock: the budget is known */
	MemSource view;       /* the thread's view of the source: its own buffer */
	pthread_t thread;
	gboolean started;
};

static void hierarchy_clear(gpointer data)
{
	Hierarchy *h = data;

	g_free(h->prefix);
	g_free(h->mnt);
	g_free(h->mine);
	if (h->paths)
		g_ptr_array_unref(h->paths);
	if (h->members)
		g_array_unref(h->members);
}

static void cgroup_map_free(MemCgroupMap *m)
{
	if (!m)
		return;
	g_array_unref(m->hier);
	g_free(m);
}

/* Whether the comma-separated list [p, end) holds `name`. */
static gboolean list_has(const char *p, const char *end, const char *name, gsize n)
{
	while (p < end) {
		const char *comma = memchr(p, ',', (gsize)(end - p));
		const char *e = comma ? comma : end;

		if ((gsize)(e - p) == n && memcmp(p, name, n) == 0)
			return TRUE;
		p = e + 1;
	}
	return FALSE;
}

/* Whether every name of the comma-separated list [p, end) is in [q, qend). */
static gboolean list_within(const char *p, const char *end, const char *q, const char *qend)
{
	while (p < end) {
		const char *comma = memchr(p, ',', (gsize)(end - p));
		const char *e = comma ? comma : end;

		if (!list_has(q, qend, p, (gsize)(e - p)))
			return FALSE;
		p = e + 1;
	}
	return TRUE;
}

/* The n-th (0-based) space-separated field of [p, end), or NULL. */
static const char *field(const char *p, const char *end, guint n, gsize *len)
{
	for (;;) {
		const char *sp = memchr(p, ' ', (gsize)(end - p));
		const char *e = sp ? sp : end;

		if (n-- == 0) {
			*len = (gsize)(e - p);
			return p;
		}
		if (!sp)
			return NULL;
		p = sp + 1;
	}
}

/* The mount point of the root of the hierarchy with these controllers ("" for the unified one) in
 * /proc/self/mountinfo, or NULL (none; or one whose name needs mountinfo's escapes). */
static char *find_mount(const char *info, gsize info_len, const char *ctl, gsize ctl_len)
{
	const char *p = info, *limit = info + info_len;

	while (p < limit) {
		const char *le = memchr(p, '\n', (gsize)(limit - p));
		const char *sep, *root, *mnt, *type, *opts;
		gsize root_len = 0, mnt_len = 0, type_len = 0, opts_len = 0;

		if (!le)
			le = limit;
		sep = g_strstr_len(p, le - p, " - ");
		root = field(p, le, 3, &root_len);
		mnt = field(p, le, 4, &mnt_len);
		type = sep ? field(sep + 3, le, 0, &type_len) : NULL;
		opts = sep ? field(sep + 3, le, 2, &opts_len) : NULL;
		if (root && mnt && type && opts && root_len == 1 && *root == '/' && !memchr(mnt, '\\', mnt_len) &&
		    (ctl_len == 0 ? type_len == 7 && memcmp(type, "cgroup2", 7) == 0
		                  : type_len == 6 && memcmp(type, "cgroup", 6) == 0 &&
		                            list_within(ctl, ctl + ctl_len, opts, opts + opts_len)))
			return g_strndup(mnt, mnt_len);
		p = le + 1;
	}
	return NULL;
}

/* Adds the pids of cgroup.procs below dirfd as members of cgroup `path`. */
static void read_procs(MemSource *src, int dirfd, guint32 path, GArray *members)
{
	int fd = openat(dirfd, "cgroup.procs", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	gsize len = 0;
	const char *p, *end;

	if (fd < 0)
		return; /* (a threaded cgroup's cannot be read) its processes are not known: their files are read */
	if (mem_source_read_fd(src, fd, 0, FALSE, &len) != 0)
		len = 0;
	close(fd);
	/* "PID\n" lines; anything else ends the list (by hand: strtoull per pid was a visible part of a
	 * 10 000-process scan) */
	for (p = src->buf, end = src->buf + len; p < end;) {
		const char *e = p;
		guint64 v = 0;
		Member m;

		while (e < end && (unsigned char)(*e - '0') < 10 && v <= G_MAXUINT32)
			v = v * 10 + (guint64)(*e++ - '0');
		if (e == p || v == 0 || v > G_MAXUINT32)
			break;
		m.pid = (guint32)v;
		m.path = path;
		g_array_append_val(members, m);
		p = e < end && *e == '\n' ? e + 1 : end;
	}
	mem_source_release_big(src); /* a huge list: the other walker may need the big buffer too */
}

/* Walks the hierarchy mounted at `mnt`: its cgroups' paths and processes.  FALSE past the walk's
 * budget of cgroups (counted over every hierarchy), when another hierarchy failed, or when the root
 * cannot be opened.  Only the directory being read is open (a cgroup with thousands of children must
 * not hold thousands of descriptors): the others wait as paths, opened below the root in their turn. */
static gboolean walk(MemSource *src, const char *mnt, Hierarchy *h, MemCgroupWalk *w)
{
	g_autoptr(GArray) todo = g_array_new(FALSE, FALSE, sizeof(guint32)); /* paths' indexes, to walk */
	union {
		struct dirent64 align;
		char bytes[16384];
	} dbuf;
	int rootfd = open(mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	guint32 root = 0;

	if (rootfd < 0)
		return FALSE;
	h->paths = g_ptr_array_new_with_free_func(g_free);
	h->members = g_array_new(FALSE, FALSE, sizeof(Member));
	g_ptr_array_add(h->paths, g_strdup("/"));
	g_array_append_val(todo, root);
	while (todo->len) {
		guint32 idx = g_array_index(todo, guint32, todo->len - 1);
		const char *path = g_ptr_array_index(h->paths, idx);
		guint kids;
		int dfd;
		ssize_t n;

		g_array_set_size(todo, todo->len - 1);
		if (g_atomic_int_add(&w->visited, 1) >= g_atomic_int_get(&w->limit) || g_atomic_int_get(&w->failed)) {
			close(rootfd);
			return FALSE;
		}
		dfd = idx == 0 ? dup(rootfd) : openat(rootfd, path + 1, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (dfd < 0)
			continue; /* removed meanwhile: its processes (if any) have their files read */
		kids = h->paths->len;
		while ((n = getdents64(dfd, dbuf.bytes, sizeof dbuf.bytes)) > 0) {
			for (ssize_t off = 0; off < n;) {
				const struct dirent64 *d = (const struct dirent64 *)(dbuf.bytes + off);
				guint32 kid = h->paths->len;

				off += d->d_reclen;
				if (d->d_type != DT_DIR || strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
					continue;
				g_ptr_array_add(h->paths, idx == 0 ? g_strconcat("/", d->d_name, NULL)
				                                   : g_strconcat(path, "/", d->d_name, NULL));
				g_array_append_val(todo, kid);
			}
		}
		/* A hierarchy with no cgroup but its root has every process there: its cgroup.procs, which
		 * lists them all (~5 ms of kernel time at 10 000 processes), need not be read.  A cgroup made
		 * after this listing holds, for this walk, processes that were in the root when it looked. */
		if (idx != 0 || h->paths->len > kids)
			read_procs(src, dfd, strchr(path, '\n') ? AMBIGUOUS : idx, h->members);
		close(dfd);
	}
	close(rootfd);
	return TRUE;
}

/* Sorts members by pid, a byte of the pid at a time (LSD radix: four passes over a few thousand
 * members instead of a comparison callback per step of a merge sort); a list already in order (v1
 * sorts each cgroup.procs, and most processes sit in one cgroup) is left as it is. */
static void sort_members(GArray *members)
{
	Member *m = (Member *)(gpointer)members->data, *tmp, *from, *to;
	guint n = members->len, i;

	for (i = 1; i < n && m[i - 1].pid <= m[i].pid; i++)
		;
	if (i >= n)
		return;
	tmp = g_new(Member, n);
	from = m;
	to = tmp;
	for (guint shift = 0; shift < 32; shift += 8) {
		guint count[257] = { 0 };
		Member *swap;

		for (i = 0; i < n; i++)
			count[((from[i].pid >> shift) & 0xff) + 1]++;
		for (i = 1; i < 257; i++)
			count[i] += count[i - 1];
		for (i = 0; i < n; i++)
			to[count[(from[i].pid >> shift) & 0xff]++] = from[i];
		swap = from;
		from = to;
		to = swap;
	}
	/* four passes: the sorted members are back in m */
	g_free(tmp);
}

/* Sorts the members by pid; a pid listed in two cgroups becomes AMBIGUOUS. */
static void settle(Hierarchy *h)
{
	guint kept = 0;
	Member *m;

	sort_members(h->members);
	m = (Member *)(gpointer)h->members->data;
	for (guint i = 0; i < h->members->len; i++) {
		if (kept && m[kept - 1].pid == m[i].pid) {
			if (m[kept - 1].path != m[i].path)
				m[kept - 1].path = AMBIGUOUS;
			continue;
		}
		m[kept++] = m[i];
	}
	g_array_set_size(h->members, kept);
}

/* The path of pid's cgroup in h, or NULL when unknown. */
static const char *lookup(const Hierarchy *h, guint32 pid)
{
	const Member *m;
	guint lo = 0, hi;

	if (!h->members)
		return g_ptr_array_index(h->paths, 0);
	/* (by hand: bsearch's call per step was a visible part of a 10 000-process scan) */
	m = (const Member *)(gconstpointer)h->members->data;
	hi = h->members->len;
	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;

		if (m[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < h->members->len && m[lo].pid == pid && m[lo].path != AMBIGUOUS
	               ? g_ptr_array_index(h->paths, m[lo].path)
	               : NULL;
}

/* A file of the real /proc's "self" directory, copied (NULL when it cannot be read). */
static char *read_self(MemSource *src, const char *name, gsize *len)
{
	int fd = mem_source_open_pid_file(src, (guint32)getpid(), name);
	int err;

	if (fd < 0)
		return NULL;
	err = mem_source_read_fd(src, fd, 0, FALSE, len);
	close(fd);
	return err ? NULL : g_strndup(src->buf, *len);
}

/* The hierarchies the job rule reads, from /proc/self/cgroup, each with its mount point: NULL when
 * one is not mounted at its root (or none is there). */
static MemCgroupMap *hierarchies(MemSource *src)
{
	g_autofree char *self = NULL, *info = NULL;
	gsize self_len = 0, info_len = 0;
	MemCgroupMap *m;
	const char *p, *limit;

	if (!(self = read_self(src, "cgroup", &self_len)) || !(info = read_self(src, "mountinfo", &info_len)))
		return NULL;
	m = g_new0(MemCgroupMap, 1);
	m->hier = g_array_new(FALSE, TRUE, sizeof(Hierarchy));
	g_array_set_clear_func(m->hier, hierarchy_clear);
	for (p = self, limit = self + self_len; p < limit;) {
		const char *le = memchr(p, '\n', (gsize)(limit - p));
		const char *c1, *c2;
		Hierarchy h = { 0 };
		gsize ctl_len;

		if (!le)
			le = limit;
		c1 = memchr(p, ':', (gsize)(le - p));
		c2 = c1 ? memchr(c1 + 1, ':', (gsize)(le - c1 - 1)) : NULL;
		if (!c2)
			goto unusable;
		ctl_len = (gsize)(c2 - c1 - 1);
		/* the hierarchies the job rule reads: the unified one, v1 name=systemd and memory */
		if (!(ctl_len == 0 && c1 - p == 1 && *p == '0') && !list_has(c1 + 1, c2, "name=systemd", 12) &&
		    !list_has(c1 + 1, c2, "memory", 6)) {
			p = le + 1;
			continue;
		}
		if (m->hier->len == N_HIERARCHIES || !(h.mnt = find_mount(info, info_len, c1 + 1, ctl_len)))
			goto unusable;
		h.prefix_len = (gsize)(c2 + 1 - p);
		h.prefix = g_strndup(p, h.prefix_len);
		h.mine = g_strndup(c2 + 1, (gsize)(le - c2 - 1));
		g_array_append_val(m->hier, h);
		p = le + 1;
	}
	if (m->hier->len == 0)
		goto unusable;
	return m;

unusable:
	cgroup_map_free(m);
	return NULL;
}

/* Walks the hierarchies no walker has taken yet, through src's buffer. */
static void walk_some(MemCgroupWalk *w, MemSource *src)
{
	for (;;) {
		gint i = g_atomic_int_add(&w->next, 1);
		Hierarchy *h;
		const char *found;

		if (i < 0 || (guint)i >= w->map->hier->len || g_atomic_int_get(&w->failed))
			break;
		h = &g_array_index(w->map->hier, Hierarchy, i);
		if (!walk(src, h->mnt, h, w)) {
			g_atomic_int_set(&w->failed, 1);
			break;
		}
		if (h->paths->len == 1)
			g_clear_pointer(&h->members, g_array_unref); /* the root alone: everyone is there */
		else
			settle(h);
		/* this process must be where /proc/self/cgroup says: else paths differ (a namespace) */
		found = lookup(h, (guint32)getpid());
		if (!found || strcmp(found, h->mine) != 0) {
			g_atomic_int_set(&w->failed, 1);
			break;
		}
		g_atomic_int_inc(&w->walked);
	}
}

/* Publishes the map once every hierarchy is walked and the budget is known, if the walk stayed within
 * the budget (what was visited before the budget was known counts against it too).  Called by each
 * walker when it has nothing more to take, and by the caller when it gives the budget. */
static void publish(MemCgroupWalk *w, gboolean budgeted)
{
	pthread_mutex_lock(&w->lock);
	w->budgeted |= budgeted;
	if ((guint)g_atomic_int_get(&w->walked) == w->map->hier->len && w->budgeted && !g_atomic_int_get(&w->failed) &&
	    g_atomic_int_get(&w->visited) <= g_atomic_int_get(&w->limit))
		g_atomic_pointer_set(&w->ready, w->map);
	pthread_mutex_unlock(&w->lock);
}

static void *walk_thread(void *data)
{
	MemCgroupWalk *w = data;

	walk_some(w, &w->view);
	mem_source_release_big(&w->view);
	publish(w, FALSE);
	return NULL;
}

MemCgroupWalk *mem_cgroup_walk_start(MemSource *src, gboolean background)
{
	MemCgroupWalk *w = g_new0(MemCgroupWalk, 1);

	w->limit = G_MAXINT;
	pthread_mutex_init(&w->lock, NULL);
	if (!src->trusted || !(w->map = hierarchies(src)))
		return w;
	if (background) {
		w->view = *src;
		w->view.buf = NULL;
		w->view.buf_size = 0;
		w->view.big = FALSE;
		w->view.pathbuf = NULL;
		w->started = pthread_create(&w->thread, NULL, walk_thread, w) == 0;
	}
	return w;
}

void mem_cgroup_walk_budget(MemCgroupWalk *w, MemSource *src, guint budget)
{
	if (!w || !w->map)
		return;
	g_atomic_int_set(&w->limit, (gint)MIN(budget, (guint)G_MAXINT));
	walk_some(w, src);
	publish(w, TRUE);
}

void mem_cgroup_walk_end(MemCgroupWalk *w)
{
	if (!w)
		return;
	g_atomic_int_set(&w->failed, 1); /* a walk still going is of no use any more: it stops */
	if (w->started)
		pthread_join(w->thread, NULL);
	g_free(w->view.buf);
	cgroup_map_free(w->map);
	pthread_mutex_destroy(&w->lock);
	g_free(w);
}

gboolean mem_cgroup_walk_file(MemCgroupWalk *w, MemSource *src, guint32 pid, gsize *len)
{
	const MemCgroupMap *m = w ? g_atomic_pointer_get(&w->ready) : NULL;
	const char *path[N_HIERARCHIES];
	gsize path_len[N_HIERARCHIES], need = 0;

	if (!m)
		return FALSE;
	for (guint i = 0; i < m->hier->len; i++) {
		const Hierarchy *h = &g_array_index(m->hier, Hierarchy, i);

		if (!(path[i] = lookup(h, pid)))
			return FALSE;
		path_len[i] = strlen(path[i]);
		need += h->prefix_len + path_len[i] + 1;
	}
	mem_source_reserve(src, need);
	*len = 0;
	for (guint i = 0; i < m->hier->len; i++) {
		const Hierarchy *h = &g_array_index(m->hier, Hierarchy, i);

		memcpy(src->buf + *len, h->prefix, h->prefix_len);
		memcpy(src->buf + *len + h->prefix_len, path[i], path_len[i]);
		*len += h->prefix_len + path_len[i];
		src->buf[(*len)++] = '\n';
	}
	src->buf[*len] = '\0';
	return TRUE;
}

char *mem_source_cgroup2_mount(MemSource *src)
{
	g_autofree char *info = NULL;
	gsize info_len = 0;

	if (!src->trusted || !(info = read_self(src, "mountinfo", &info_len)))
		return NULL;
	return find_mount(info, info_len, "", 0);
}
