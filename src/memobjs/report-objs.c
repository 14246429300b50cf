/* report-objs.c: memory objects from mappings, sharer counting, per-process/all/hidden views (accounting layer) */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "arena.h"
#include "parse-util.h"
#include "report-objs.h"
#include "source-fds.h"

/* ---- object keys ---- */

typedef struct {
	guint32 dev_major, dev_minor;
	guint64 inode;
} ObjKey;

static guint key_hash(gconstpointer p)
{
	const ObjKey *k = p;
	guint64 h = k->inode * 0x9e3779b97f4a7c15ull ^ ((guint64)k->dev_major << 32 | k->dev_minor);
	return (guint)(h ^ (h >> 29));
}

static gboolean key_equal(gconstpointer a, gconstpointer b)
{
	const ObjKey *x = a, *y = b;
	return x->inode == y->inode && x->dev_major == y->dev_major && x->dev_minor == y->dev_minor;
}

/* A mapping belongs to a shared-able object when it has an inode; inode 0 is private anonymous memory
 * (or a special mapping such as [vdso]): its own object. */
static gboolean has_inode(const MemMapping *m)
{
	return m->inode != 0;
}

static void add_pid(GArray *pids, guint32 pid)
{
	if (pids->len == 0 || g_array_index(pids, guint32, pids->len - 1) != pid)
		g_array_append_val(pids, pid);
}

static int compare_u32(gconstpointer a, gconstpointer b)
{
	guint32 x = *(const guint32 *)a, y = *(const guint32 *)b;
	return x < y ? -1 : x > y;
}

/* Sorts and removes duplicates (a tar delivers processes in any order); returns the new count. */
static guint sort_unique_n(guint32 *pids, guint n)
{
	guint w = 0;

	if (n > 1)
		qsort(pids, n, sizeof *pids, compare_u32);
	for (guint i = 0; i < n; i++)
		if (w == 0 || pids[w - 1] != pids[i])
			pids[w++] = pids[i];
	return w;
}

static void sort_unique(GArray *pids)
{
	g_array_set_size(pids, sort_unique_n((guint32 *)(gpointer)pids->data, pids->len));
}

/* ---- sharers ---- */

static MemObjsSharers *sharers_new(void)
{
	MemObjsSharers *s = g_new0(MemObjsSharers, 1);

	s->by_key = g_hash_table_new_full(key_hash, key_equal, g_free, (GDestroyNotify)g_array_unref);
	s->unreadable = g_array_new(FALSE, FALSE, sizeof(guint32));
	s->vanished = g_array_new(FALSE, FALSE, sizeof(guint32));
	s->problems = g_ptr_array_new_with_free_func(g_free);
	return s;
}

void mem_objs_sharers_free(MemObjsSharers *s)
{
	if (!s)
		return;
	g_hash_table_unref(s->by_key);
	g_array_unref(s->unreadable);
	g_array_unref(s->vanished);
	g_ptr_array_unref(s->problems);
	g_free(s);
}

static void sharers_add(MemObjsSharers *s, guint32 pid, guint32 maj, guint32 min, guint64 inode)
{
	ObjKey k = { maj, min, inode };
	GArray *pids = g_hash_table_lookup(s->by_key, &k);

	if (!pids) {
		pids = g_array_sized_new(FALSE, FALSE, sizeof(guint32), 2);
		g_hash_table_insert(s->by_key, g_memdup2(&k, sizeof k), pids);
	}
	add_pid(pids, pid);
}

static void sharers_finish(MemObjsSharers *s)
{
	GHashTableIter it;
	gpointer v;

	g_hash_table_iter_init(&it, s->by_key);
	while (g_hash_table_iter_next(&it, NULL, &v))
		sort_unique(v);
	sort_unique(s->unreadable);
	sort_unique(s->vanished);
	s->partial = s->unreadable->len > 0;
}

static GArray *sharers_lookup(const MemObjsSharers *s, guint32 maj, guint32 min, guint64 inode)
{
	ObjKey k = { maj, min, inode };
	return s ? g_hash_table_lookup(s->by_key, &k) : NULL;
}

/* Checks that a process's mappings go forward and do not overlap; fills *what on failure. */
static gboolean order_ok(guint64 start, guint64 end, guint64 prev_end, gboolean first, const char **what)
{
	if (end <= start) {
		*what = "address range goes backwards or is empty";
		return FALSE;
	}
	if (!first && start < prev_end) {
		*what = "mapping overlaps or precedes the one before it";
		return FALSE;
	}
	return TRUE;
}

typedef struct {
	MemObjsSharers *s;
	gboolean live;
} ScanCtx;

static gboolean on_maps_file(const MemFile *f, gpointer user_data, GError **error)
{
	ScanCtx *ctx = user_data;
	MemObjsSharers *s = ctx->s;
	const char *p = f->data, *end = f->data + f->len;
	guint lineno = 0;
	guint64 prev_end = 0;
	g_autoptr(GArray) keys = g_array_new(FALSE, FALSE, sizeof(ObjKey));

	if (f->pid == 0 || f->file != MEM_FILE_MAPS)
		return TRUE;
	if (f->err) {
		if (f->err == ENOENT || f->err == ESRCH)
			g_array_append_val(s->vanished, f->pid);
		else
			g_array_append_val(s->unreadable, f->pid);
		return TRUE;
	}
	while (p < end) {
		const char *le = mem_line_end(p, end), *what = NULL;
		MemMapsLine line;
		g_autoptr(GError) err = NULL;

		lineno++;
		if (le == end)
			mem_parse_fail(&err, MEM_ERROR_TRUNCATED, lineno, "last line has no newline");
		else if (mem_parse_maps_line_at(p, (gsize)(le - p), lineno, &line, &err) &&
		         /* live, an overlap is the process remapping between two reads, not bad input */
		         !order_ok(line.start, line.end, prev_end, lineno == 1 || ctx->live, &what))
			mem_parse_fail(&err, MEM_ERROR_PARSE, lineno, "%s", what);
		if (err) {
			if (err->code == MEM_ERROR_TRUNCATED && ctx->live)
				g_array_append_val(s->vanished, f->pid);
			else {
				g_array_append_val(s->unreadable, f->pid);
				g_ptr_array_add(s->problems, g_strdup_printf("%s: %s", f->path, err->message));
			}
			return TRUE;
		}
		if (line.inode != 0) {
			ObjKey k = { line.dev_major, line.dev_minor, line.inode };
			g_array_append_val(keys, k);
		}
		prev_end = line.end;
		p = le + 1;
	}
	for (guint i = 0; i < keys->len; i++) {
		const ObjKey *k = &g_array_index(keys, ObjKey, i);
		sharers_add(s, f->pid, k->dev_major, k->dev_minor, k->inode);
	}
	s->n_processes++;
	(void)error;
	return TRUE;
}

MemObjsSharers *mem_objs_sharers_scan(MemSource *src, GError **error)
{
	g_autoptr(MemObjsSharers) s = sharers_new();
	ScanCtx ctx = { s, mem_source_kind(src) == MEM_SOURCE_LIVE };

	if (!mem_source_scan(src, MEM_FILE_MAPS, 0, NULL, 0, on_maps_file, &ctx, error))
		return NULL;
	sharers_finish(s);
	return g_steal_pointer(&s);
}

MemObjsSharers *mem_objs_sharers_from_snapshot(MemSnapshot *snap)
{
	MemObjsSharers *s = sharers_new();

	for (guint i = 0; i < snap->procs->len; i++) {
		const MemProcess *p = g_ptr_array_index(snap->procs, i);
		if (p->state == MEM_PROC_UNREADABLE)
			g_array_append_val(s->unreadable, p->pid);
		else if (p->state == MEM_PROC_VANISHED)
			g_array_append_val(s->vanished, p->pid);
		if (p->state != MEM_PROC_OK || !p->maps)
			continue;
		for (guint j = 0; j < p->maps->len; j++) {
			const MemMapping *m = &g_array_index(p->maps, MemMapping, j);
			if (has_inode(m))
				sharers_add(s, p->pid, m->dev_major, m->dev_minor, m->inode);
		}
		s->n_processes++;
	}
	sharers_finish(s);
	return s;
}

/* ---- objects ---- */

/* Frees what an object owns; the object itself lives in an arena (ObjSet's, then the report's). */
static void object_clear(gpointer data)
{
	MemObject *o = data;

	if (o && o->pids_cap)
		g_free(o->pids);
}

static void object_append_pid(MemObject *o, guint32 pid)
{
	if (o->n_pids == 0) {
		/* Most objects have one sharer (every anonymous one): it lives in the object. */
		o->pid_one = pid;
		o->pids = &o->pid_one;
		o->n_pids = 1;
		return;
	}
	if (o->n_pids == (o->pids_cap ? o->pids_cap : 1u)) {
		guint cap = MAX(4u, 2 * o->n_pids);
		guint32 *grown = g_new(guint32, cap);
		memcpy(grown, o->pids, sizeof(guint32) * o->n_pids);
		if (o->pids_cap)
			g_free(o->pids);
		o->pids = grown;
		o->pids_cap = cap;
	}
	o->pids[o->n_pids++] = pid;
}

/* Adds a sharer; a process's mappings come together, so a repeat is the last one. */
static void object_add_pid(MemObject *o, guint32 pid)
{
	if (o->n_pids == 0 || o->pids[o->n_pids - 1] != pid)
		object_append_pid(o, pid);
}

/* Objects being gathered: the keyed ones in a table, every one in order of first sight.  Objects come
 * from an arena: a system holds 15 000 of them, mostly one anonymous mapping each. */
typedef struct {
	GHashTable *by_key;      /* MemObject* (keyed by dev:inode) -> itself */
	GPtrArray *list;
	MemArena *arena;         /* where the objects live */
} ObjSet;

static guint obj_hash(gconstpointer p)
{
	const MemObject *o = p;
	ObjKey k = { o->dev_major, o->dev_minor, o->inode };
	return key_hash(&k);
}

static gboolean obj_equal(gconstpointer a, gconstpointer b)
{
	const MemObject *x = a, *y = b;
	return x->inode == y->inode && x->dev_major == y->dev_major && x->dev_minor == y->dev_minor;
}

static void objset_init(ObjSet *set)
{
	set->by_key = g_hash_table_new(obj_hash, obj_equal);
	set->list = g_ptr_array_new_with_free_func(object_clear);
	set->arena = mem_arena_new();
}

static MemObject *objset_new_object(ObjSet *set)
{
	return mem_arena_alloc0(set->arena, sizeof(MemObject));
}

static MemObject *objset_add(ObjSet *set, guint32 pid, const MemMapping *m)
{
	MemObject *o;
	guint64 extent;

	if (has_inode(m)) {
		MemObject probe = { .dev_major = m->dev_major, .dev_minor = m->dev_minor, .inode = m->inode };
		o = g_hash_table_lookup(set->by_key, &probe);
		if (!o) {
			o = objset_new_object(set);
			o->dev_major = m->dev_major;
			o->dev_minor = m->dev_minor;
			o->inode = m->inode;
			o->kind = m->kind;
			o->name = m->name;
			o->name_len = m->name_len;
			o->name_pid = pid;
			g_hash_table_insert(set->by_key, o, o);
			g_ptr_array_add(set->list, o);
		} else if (pid < o->name_pid) {
			/* Processes may come in any order (threads read the biggest first): the name and kind
			 * are those of the lowest pid's first mapping, whatever the order. */
			o->name = m->name;
			o->name_len = m->name_len;
			o->kind = m->kind;
			o->name_pid = pid;
		}
		extent = m->offset + (m->end - m->start);
		if (extent < m->offset)
			extent = G_MAXUINT64;
		o->size = MAX(o->size, extent);
	} else {
		o = objset_new_object(set);
		o->dev_major = m->dev_major;
		o->dev_minor = m->dev_minor;
		o->anon_start = m->start;
		o->kind = m->kind;
		o->name = m->name;
		o->name_len = m->name_len;
		o->name_pid = pid;
		o->size = m->end - m->start;
		g_ptr_array_add(set->list, o);
	}
	o->n_maps++;
	mem_counters_add_mapping(&o->c, m);
	object_add_pid(o, pid);
	return o;
}

/* Hands the set's object storage to the report that shows its objects. */
static void objset_give_arena(ObjSet *set, MemObjsReport *r)
{
	if (!r->arenas)
		r->arenas = g_ptr_array_new_with_free_func((GDestroyNotify)mem_arena_free);
	g_ptr_array_add(r->arenas, set->arena);
	set->arena = NULL;
}

static void objset_clear(ObjSet *set)
{
	g_hash_table_unref(set->by_key);
	g_ptr_array_unref(set->list); /* before the arena its objects live in */
	mem_arena_free(set->arena);
}

/* ---- values ---- */

static gboolean counter(const MemObject *o, MemField f, guint64 *v)
{
	if (!mem_counters_has(&o->c, f))
		return FALSE;
	*v = o->c.v[f];
	return TRUE;
}

static gboolean counter_sum(const MemObject *o, MemField a, MemField b, guint64 *v)
{
	guint64 x, y;

	if (!counter(o, a, &x) || !counter(o, b, &y))
		return FALSE;
	*v = x + y < x ? G_MAXUINT64 : x + y;
	return TRUE;
}

gboolean mem_object_alloc(const MemObject *o, guint64 *v)
{
	return counter(o, MEM_F_RSS, v);
}

gboolean mem_object_private(const MemObject *o, guint64 *v)
{
	guint64 a;

	if (!mem_object_alloc(o, &a))
		return FALSE;
	if (o->n_pids > 1) {
		*v = 0;
		return TRUE;
	}
	/* One sharer known, but an unreadable process may map it too. */
	if (o->sharers_partial)
		return FALSE;
	*v = a;
	return TRUE;
}

gboolean mem_object_shared(const MemObject *o, guint64 *v)
{
	guint64 a;

	if (!mem_object_alloc(o, &a))
		return FALSE;
	if (o->n_pids > 1) {
		*v = a;
		return TRUE;
	}
	if (o->sharers_partial)
		return FALSE;
	*v = 0;
	return TRUE;
}

gboolean mem_object_uss(const MemObject *o, guint64 *v)
{
	return counter_sum(o, MEM_F_PRIVATE_CLEAN, MEM_F_PRIVATE_DIRTY, v);
}

gboolean mem_object_page_shared(const MemObject *o, guint64 *v)
{
	return counter_sum(o, MEM_F_SHARED_CLEAN, MEM_F_SHARED_DIRTY, v);
}

gboolean mem_object_value(const MemObject *o, MemObjsColId col, guint64 *v)
{
	switch (col) {
	case MEM_OCOL_MAPS: *v = o->n_maps; return TRUE;
	case MEM_OCOL_SHR: *v = o->n_pids; return TRUE;
	case MEM_OCOL_SIZE: *v = o->size; return TRUE;
	case MEM_OCOL_ALLOC: return mem_object_alloc(o, v);
	case MEM_OCOL_PSS: return counter(o, MEM_F_PSS, v);
	case MEM_OCOL_SWAP: return counter(o, MEM_F_SWAP, v);
	case MEM_OCOL_SWAP_PSS: return counter(o, MEM_F_SWAP_PSS, v);
	case MEM_OCOL_PRIVATE: return mem_object_private(o, v);
	case MEM_OCOL_SHARED: return mem_object_shared(o, v);
	case MEM_OCOL_USS: return mem_object_uss(o, v);
	case MEM_OCOL_PAGE_SHARED: return mem_object_page_shared(o, v);
	case MEM_OCOL_DIRTY: return counter_sum(o, MEM_F_SHARED_DIRTY, MEM_F_PRIVATE_DIRTY, v);
	case MEM_OCOL_INODE: *v = o->inode; return TRUE;
	default: return FALSE;
	}
}

const char *mem_object_dev_text(char buf[MEM_DEV_TEXT_LEN], guint32 maj, guint32 min)
{
	g_snprintf(buf, MEM_DEV_TEXT_LEN, "%02x:%02x", maj, min);
	return buf;
}

/* ---- columns ---- */

static const MemObjsColumn columns[] = {
	{ MEM_OCOL_MAPS, "maps", "#MAP", FALSE, "mappings of the object (in the process, or in all sharers)" },
	{ MEM_OCOL_SHR, "shr", "#SHR", FALSE, "processes of the source that map the object" },
	{ MEM_OCOL_PIDS, "pids", "PIDS", FALSE, "those processes" },
	{ MEM_OCOL_SIZE, "size", "SIZE", TRUE, "extent mapped: largest offset+length (anonymous: its length)" },
	{ MEM_OCOL_ALLOC, "alloc", "ALLOC", TRUE, "resident (Rss) in the process, or summed over sharers" },
	{ MEM_OCOL_PSS, "pss", "PSS", TRUE, "proportional set size" },
	{ MEM_OCOL_SWAP, "swap", "SWAP", TRUE, "swapped out" },
	{ MEM_OCOL_SWAP_PSS, "swap_pss", "SWAPPSS", TRUE, "proportional swap" },
	{ MEM_OCOL_PRIVATE, "private", "PRIVATE", TRUE, "object level: alloc when #shr is 1, else 0" },
	{ MEM_OCOL_SHARED, "shared", "SHARED", TRUE, "object level: alloc when #shr is above 1, else 0" },
	{ MEM_OCOL_USS, "uss", "USS", TRUE, "page level: Private_Clean + Private_Dirty" },
	{ MEM_OCOL_PAGE_SHARED, "page_shared", "PGSHARED", TRUE, "page level: Shared_Clean + Shared_Dirty" },
	{ MEM_OCOL_DIRTY, "dirty", "DIRTY", TRUE, "Private_Dirty + Shared_Dirty" },
	{ MEM_OCOL_KIND, "kind", "KIND", FALSE, "file, memfd, sysv-shm, shared-anon, heap, stack, anon, ..." },
	{ MEM_OCOL_DEV, "dev", "DEV", FALSE, "device major:minor (hex)" },
	{ MEM_OCOL_INODE, "inode", "INODE", FALSE, "inode (the shmid for SysV segments; 0 for anonymous)" },
};

const MemObjsColumn *mem_objs_columns(guint *n)
{
	*n = G_N_ELEMENTS(columns);
	return columns;
}

const MemObjsColumn *mem_objs_column_lookup(const char *name)
{
	if (g_ascii_strcasecmp(name, "rss") == 0)
		name = "alloc";
	for (guint i = 0; i < G_N_ELEMENTS(columns); i++)
		if (g_ascii_strcasecmp(columns[i].name, name) == 0)
			return &columns[i];
	return NULL;
}

GArray *mem_objs_columns_parse(const char *list, GError **error)
{
	g_autoptr(GArray) cols = g_array_new(FALSE, FALSE, sizeof(MemObjsColId));
	g_auto(GStrv) names = g_strsplit(list, ",", -1);

	for (guint i = 0; names[i]; i++) {
		const MemObjsColumn *c = mem_objs_column_lookup(g_strstrip(names[i]));
		if (!c) {
			g_autoptr(GString) valid = g_string_new(NULL);
			for (guint j = 0; j < G_N_ELEMENTS(columns); j++)
				g_string_append_printf(valid, "%s%s", j ? " " : "", columns[j].name);
			g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "unknown column '%s' (valid: %s)",
			            names[i], valid->str);
			return NULL;
		}
		g_array_append_val(cols, c->id);
	}
	if (cols->len == 0) {
		g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "no columns given");
		return NULL;
	}
	return g_steal_pointer(&cols);
}

GArray *mem_objs_columns_default(MemObjsView view)
{
	static const MemObjsColId per_process[] = {
		MEM_OCOL_MAPS, MEM_OCOL_SHR, MEM_OCOL_SIZE, MEM_OCOL_ALLOC, MEM_OCOL_PSS, MEM_OCOL_SWAP,
		MEM_OCOL_PRIVATE, MEM_OCOL_SHARED, MEM_OCOL_USS, MEM_OCOL_KIND,
	};
	static const MemObjsColId all[] = {
		MEM_OCOL_SHR, MEM_OCOL_ALLOC, MEM_OCOL_PSS, MEM_OCOL_SWAP, MEM_OCOL_USS, MEM_OCOL_KIND,
		MEM_OCOL_PIDS,
	};
	GArray *cols = g_array_new(FALSE, FALSE, sizeof(MemObjsColId));

	if (view == MEM_OBJS_ALL)
		g_array_append_vals(cols, all, G_N_ELEMENTS(all));
	else
		g_array_append_vals(cols, per_process, G_N_ELEMENTS(per_process));
	return cols;
}

/* ---- sorting ---- */

typedef struct {
	MemObjsColId col;
	gboolean reverse;
} SortBy;

/* What ties are broken by: dev:inode, then (anonymous objects) the owner's pid and the start address. */
typedef struct {
	guint64 inode, anon_start;
	guint32 dev_major, dev_minor, pid0;
} ObjOrder;

static ObjOrder order_of(const MemObject *o)
{
	ObjOrder k = { o->inode, o->anon_start, o->dev_major, o->dev_minor,
	               o->n_pids ? o->pids[0] : 0 };
	return k;
}

static int compare_order(const ObjOrder *a, const ObjOrder *b)
{
	if (a->dev_major != b->dev_major)
		return a->dev_major < b->dev_major ? -1 : 1;
	if (a->dev_minor != b->dev_minor)
		return a->dev_minor < b->dev_minor ? -1 : 1;
	if (a->inode != b->inode)
		return a->inode < b->inode ? -1 : 1;
	if (a->pid0 != b->pid0)
		return a->pid0 < b->pid0 ? -1 : 1;
	return a->anon_start < b->anon_start ? -1 : a->anon_start > b->anon_start;
}

static int compare_key(const MemObject *a, const MemObject *b)
{
	ObjOrder x = order_of(a), y = order_of(b);
	return compare_order(&x, &y);
}

static int compare_text(const char *a, gsize alen, const char *b, gsize blen)
{
	int c = memcmp(a, b, MIN(alen, blen));
	return c ? c : alen < blen ? -1 : alen > blen;
}

/* Numbers sort largest first, text A to Z; unknown values last either way; ties by key. */
static int compare_objects(gconstpointer pa, gconstpointer pb, gpointer data)
{
	const MemObject *a = *(MemObject *const *)pa, *b = *(MemObject *const *)pb;
	const SortBy *s = data;
	int c = 0;

	if (s->col == MEM_OCOL_KIND) {
		const char *x = mem_map_kind_name(a->kind), *y = mem_map_kind_name(b->kind);
		c = strcmp(x, y);
	} else if (s->col == MEM_OCOL_DEV || s->col == MEM_OCOL_PIDS) {
		c = 0;
	} else if (s->col == MEM_OCOL_NAME) {
		c = compare_text(a->name, a->name_len, b->name, b->name_len);
	} else {
		guint64 x = 0, y = 0;
		gboolean hx = mem_object_value(a, s->col, &x), hy = mem_object_value(b, s->col, &y);
		if (hx != hy)
			return hx ? -1 : 1;
		c = x > y ? -1 : x < y;
	}
	if (s->reverse)
		c = -c;
	return c ? c : compare_key(a, b);
}

/* An object with its sort value and its key copied in: ties are common (many objects of 0 or 4k), and
 * the tie-break then needs no pointer chasing. */
typedef struct {
	guint64 v;
	ObjOrder order;
	gboolean has;
	MemObject *o;
} Keyed;

static int compare_keyed(gconstpointer pa, gconstpointer pb, gpointer data)
{
	const Keyed *a = pa, *b = pb;
	const SortBy *s = data;
	int c;

	if (a->has != b->has)
		return a->has ? -1 : 1;
	c = a->v > b->v ? -1 : a->v < b->v;
	if (s->reverse)
		c = -c;
	return c ? c : compare_order(&a->order, &b->order);
}

/* Sorts objects as compare_objects() orders them; a numeric column's values are worked out once per
 * object, not twice per comparison. */
static void sort_objects(GPtrArray *objects, const SortBy *s)
{
	g_autofree Keyed *keys = NULL;

	if (s->col == MEM_OCOL_KIND || s->col == MEM_OCOL_DEV || s->col == MEM_OCOL_PIDS || s->col == MEM_OCOL_NAME) {
		g_ptr_array_sort_with_data(objects, compare_objects, (gpointer)s);
		return;
	}
	keys = g_new(Keyed, objects->len ? objects->len : 1);
	for (guint i = 0; i < objects->len; i++) {
		MemObject *o = g_ptr_array_index(objects, i);
		keys[i].o = o;
		keys[i].v = 0;
		keys[i].has = mem_object_value(o, s->col, &keys[i].v);
		keys[i].order = order_of(o);
	}
	g_qsort_with_data(keys, (gint)objects->len, sizeof(Keyed), compare_keyed, (gpointer)s);
	for (guint i = 0; i < objects->len; i++)
		objects->pdata[i] = keys[i].o;
}

/* ---- the report ---- */

static MemObjsReport *report_new(MemObjsView view, const MemObjsOptions *opts)
{
	MemObjsReport *r = g_new0(MemObjsReport, 1);

	r->view = view;
	r->unreadable = g_array_new(FALSE, FALSE, sizeof(guint32));
	r->vanished = g_array_new(FALSE, FALSE, sizeof(guint32));
	r->skipped = g_array_new(FALSE, FALSE, sizeof(guint32));
	r->problems = g_ptr_array_new_with_free_func(g_free);
	r->columns = opts && opts->columns ? g_array_ref(opts->columns) : mem_objs_columns_default(view);
	r->sort = opts && opts->has_sort ? opts->sort : view == MEM_OBJS_HIDDEN ? MEM_OCOL_ALLOC : MEM_OCOL_PSS;
	r->reverse = opts && opts->reverse;
	return r;
}

static void objs_process_free(gpointer data)
{
	MemObjsProcess *p = data;

	g_ptr_array_unref(p->objects);
	g_free(p);
}

static void hidden_free(gpointer data)
{
	MemHiddenObject *h = data;

	g_free(h->name);
	if (h->holders)
		g_array_unref(h->holders);
	g_free(h);
}

void mem_objs_report_free(MemObjsReport *r)
{
	if (!r)
		return;
	if (r->procs)
		g_ptr_array_unref(r->procs);
	if (r->objects)
		g_ptr_array_unref(r->objects);
	if (r->arenas)
		g_ptr_array_unref(r->arenas); /* after the lists of objects that live in them */
	if (r->hidden)
		g_ptr_array_unref(r->hidden);
	g_array_unref(r->unreadable);
	g_array_unref(r->vanished);
	g_array_unref(r->skipped);
	g_ptr_array_unref(r->problems);
	g_array_unref(r->columns);
	g_free(r);
}

static gboolean pid_wanted(const MemObjsOptions *o, guint32 pid)
{
	guint lo = 0, hi;

	if (!o || !o->pids)
		return TRUE;
	hi = o->n_pids;
	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;
		if (o->pids[mid] == pid)
			return TRUE;
		if (o->pids[mid] < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return FALSE;
}

/* Checks the order of a process's mappings (the model keeps them as the kernel wrote them). */
static gboolean mappings_ok(MemSnapshot *snap, const MemProcess *p, GPtrArray *problems)
{
	guint64 prev_end = 0;

	for (guint j = 0; j < p->maps->len; j++) {
		const MemMapping *m = &g_array_index(p->maps, MemMapping, j);
		const char *what;
		if (!order_ok(m->start, m->end, prev_end, j == 0, &what)) {
			g_ptr_array_add(problems, g_strdup_printf("%s%s%u/smaps: line %u: %s",
			                                          snap->path ? snap->path : "/proc",
			                                          snap->path ? ":" : "/", p->pid, m->line, what));
			return FALSE;
		}
		prev_end = m->end;
	}
	return TRUE;
}

static void note_state(MemObjsReport *r, const MemProcess *p)
{
	if (p->state == MEM_PROC_UNREADABLE)
		g_array_append_val(r->unreadable, p->pid);
	else if (p->state == MEM_PROC_VANISHED)
		g_array_append_val(r->vanished, p->pid);
	else if (p->state == MEM_PROC_SKIPPED)
		g_array_append_val(r->skipped, p->pid);
}

MemObjsReport *mem_objs_report_new(MemSnapshot *snap, MemObjsSharers *sharers, const MemObjsOptions *opts)
{
	MemObjsReport *r = report_new(MEM_OBJS_PROCESS, opts);
	g_autoptr(MemObjsSharers) own = NULL;
	SortBy sort = { r->sort, r->reverse };

	r->source_kind = snap->kind;
	r->source_path = snap->path;
	if (!sharers)
		sharers = own = mem_objs_sharers_from_snapshot(snap);
	r->sharers_partial = sharers->partial;
	for (guint i = 0; i < sharers->problems->len; i++)
		g_ptr_array_add(r->problems, g_strdup(g_ptr_array_index(sharers->problems, i)));

	{
		r->procs = g_ptr_array_new_with_free_func(objs_process_free);
		for (guint i = 0; i < snap->procs->len; i++) {
			MemProcess *p = g_ptr_array_index(snap->procs, i);
			MemObjsProcess *op;
			ObjSet set;

			if (!pid_wanted(opts, p->pid))
				continue;
			note_state(r, p);
			op = g_new0(MemObjsProcess, 1);
			op->proc = p;
			g_ptr_array_add(r->procs, op);
			objset_init(&set);
			if (p->state == MEM_PROC_OK && p->maps && mappings_ok(snap, p, r->problems)) {
				r->n_processes++;
				for (guint j = 0; j < p->maps->len; j++) {
					const MemMapping *m = &g_array_index(p->maps, MemMapping, j);
					objset_add(&set, p->pid, m);
					mem_counters_add_mapping(&op->total, m);
				}
			}
			for (guint j = 0; j < set.list->len; j++) {
				MemObject *o = g_ptr_array_index(set.list, j);
				GArray *all = o->inode ? sharers_lookup(sharers, o->dev_major, o->dev_minor, o->inode) : NULL;
				if (all) {
					/* The source-wide sharers, plus this process if it mapped the object only
					 * after the maps pass. */
					for (guint k = 0; k < all->len; k++)
						object_append_pid(o, g_array_index(all, guint32, k));
					o->n_pids = sort_unique_n(o->pids, o->n_pids);
				}
				o->sharers_partial = o->inode != 0 && r->sharers_partial;
			}
			op->objects = g_ptr_array_ref(set.list);
			objset_give_arena(&set, r);
			objset_clear(&set);
			sort_objects(op->objects, &sort);
		}
	}
	sort_unique(r->unreadable);
	sort_unique(r->vanished);
	if (own == NULL) {
		/* Processes only the maps pass could not read count as unreadable too. */
		g_array_append_vals(r->unreadable, sharers->unreadable->data, sharers->unreadable->len);
		sort_unique(r->unreadable);
	}
	return r;
}

/* ---- the all view: objects gathered while the processes are read ---- */

typedef struct {
	guint32 pid;
	guint line;
	const char *what;
} BadOrder;

struct _MemObjsGather {
	/* One of each per reading thread: a thread touches only its own. */
	ObjSet sets[MEM_SCAN_MAX_THREADS];
	GArray *bad[MEM_SCAN_MAX_THREADS];   /* BadOrder: processes whose mappings were out of order */
	guint n_processes[MEM_SCAN_MAX_THREADS];
};

MemObjsGather *mem_objs_gather_new(void)
{
	return g_new0(MemObjsGather, 1);
}

void mem_objs_gather_free(MemObjsGather *g)
{
	if (!g)
		return;
	for (guint t = 0; t < MEM_SCAN_MAX_THREADS; t++) {
		if (g->sets[t].list)
			objset_clear(&g->sets[t]);
		if (g->bad[t])
			g_array_unref(g->bad[t]);
	}
	g_free(g);
}

void mem_objs_gather_mappings(guint thread, guint32 pid, const MemMapping *maps, guint n, gpointer data)
{
	MemObjsGather *g = data;
	ObjSet *set = &g->sets[thread];
	guint64 prev_end = 0;

	g_return_if_fail(thread < MEM_SCAN_MAX_THREADS);
	for (guint j = 0; j < n; j++) {
		BadOrder b = { pid, maps[j].line, NULL };
		if (!order_ok(maps[j].start, maps[j].end, prev_end, j == 0, &b.what)) {
			if (!g->bad[thread])
				g->bad[thread] = g_array_new(FALSE, FALSE, sizeof(BadOrder));
			g_array_append_val(g->bad[thread], b);
			return;
		}
		prev_end = maps[j].end;
	}
	if (!set->list)
		objset_init(set);
	g->n_processes[thread]++;
	for (guint j = 0; j < n; j++)
		objset_add(set, pid, &maps[j]);
}

static int compare_bad(gconstpointer a, gconstpointer b)
{
	const BadOrder *x = a, *y = b;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/* Moves the objects of `from` into `into`: an object both threads saw is summed, and keeps the name and
 * kind its lowest pid gave it. */
static void objset_merge(ObjSet *into, ObjSet *from)
{
	for (guint i = 0; i < from->list->len; i++) {
		MemObject *o = g_ptr_array_index(from->list, i), *b;

		if (!o->inode || !(b = g_hash_table_lookup(into->by_key, o))) {
			if (o->inode)
				g_hash_table_insert(into->by_key, o, o);
			g_ptr_array_add(into->list, o);
			from->list->pdata[i] = NULL;
			continue;
		}
		if (o->name_pid < b->name_pid) {
			b->name = o->name;
			b->name_len = o->name_len;
			b->kind = o->kind;
			b->name_pid = o->name_pid;
		}
		b->n_maps += o->n_maps;
		b->size = MAX(b->size, o->size);
		mem_counters_add(&b->c, &o->c);
		for (guint k = 0; k < o->n_pids; k++)
			object_append_pid(b, o->pids[k]);
	}
}

MemObjsReport *mem_objs_report_gathered(MemSnapshot *snap, MemObjsGather *g, const MemObjsOptions *opts)
{
	MemObjsReport *r = report_new(MEM_OBJS_ALL, opts);
	SortBy sort = { r->sort, r->reverse };
	g_autoptr(GArray) bad = g_array_new(FALSE, FALSE, sizeof(BadOrder));
	ObjSet *all = &g->sets[0];

	r->source_kind = snap->kind;
	r->source_path = snap->path;
	for (guint i = 0; i < snap->procs->len; i++)
		note_state(r, g_ptr_array_index(snap->procs, i));
	sort_unique(r->unreadable);
	sort_unique(r->vanished);
	/* a skipped process's mappings are unknown: it may share any object */
	r->sharers_partial = r->unreadable->len > 0 || r->skipped->len > 0;
	if (!all->list)
		objset_init(all);
	for (guint t = 0; t < MEM_SCAN_MAX_THREADS; t++) {
		r->n_processes += g->n_processes[t];
		if (g->bad[t])
			g_array_append_vals(bad, g->bad[t]->data, g->bad[t]->len);
		if (t > 0 && g->sets[t].list)
			objset_merge(all, &g->sets[t]);
	}
	g_array_sort(bad, compare_bad);
	for (guint i = 0; i < bad->len; i++) {
		const BadOrder *b = &g_array_index(bad, BadOrder, i);
		g_ptr_array_add(r->problems, g_strdup_printf("%s%s%u/smaps: line %u: %s", snap->path ? snap->path : "/proc",
		                                             snap->path ? ":" : "/", b->pid, b->line, b->what));
	}
	for (guint i = 0; i < all->list->len; i++) {
		MemObject *o = g_ptr_array_index(all->list, i);
		o->n_pids = sort_unique_n(o->pids, o->n_pids);
		o->sharers_partial = o->inode != 0 && r->sharers_partial;
	}
	r->objects = g_ptr_array_ref(all->list);
	sort_objects(r->objects, &sort);
	/* The report keeps the objects' storage; the gather lets go of everything it held. */
	for (guint t = 0; t < MEM_SCAN_MAX_THREADS; t++) {
		if (!g->sets[t].list)
			continue;
		objset_give_arena(&g->sets[t], r);
		objset_clear(&g->sets[t]);
		memset(&g->sets[t], 0, sizeof g->sets[t]);
	}
	return r;
}

/* ---- hidden memory ---- */

const char *mem_hidden_kind_name(MemHiddenKind kind)
{
	switch (kind) {
	case MEM_HIDDEN_SYSV: return "sysv-unattached";
	case MEM_HIDDEN_HELD: return "fd-only";
	case MEM_HIDDEN_ORPHAN: return "shm-orphan";
	}
	return "?";
}

static MemHiddenObject *hidden_new(GPtrArray *list, MemHiddenKind kind)
{
	MemHiddenObject *h = g_new0(MemHiddenObject, 1);

	h->kind = kind;
	h->holders = g_array_new(FALSE, FALSE, sizeof(guint32));
	g_ptr_array_add(list, h);
	return h;
}

/* An fd whose file is shmem-backed: a memfd, or a file on the shm directory's filesystem. */
static gboolean fd_is_shmem(const MemFdEntry *e, gboolean has_shm_dev, guint32 smaj, guint32 smin)
{
	if (!e->has_stat || (e->mode & 0170000) != 0100000)
		return FALSE;
	if (e->target_len >= 7 && memcmp(e->target, "/memfd:", 7) == 0)
		return TRUE;
	return has_shm_dev && e->dev_major == smaj && e->dev_minor == smin;
}

static gboolean live_hidden(MemObjsReport *r, MemObjsSharers *sharers, GError **error)
{
	g_autoptr(MemFds) fds = mem_fds_open(NULL, NULL, error);
	g_autoptr(GArray) pids = NULL;
	g_autoptr(GArray) shm = NULL;
	g_autoptr(GHashTable) held = NULL;
	guint32 smaj = 0, smin = 0;
	gboolean has_shm_dev;

	if (!fds || !(pids = mem_fds_pids(fds, error)))
		return FALSE;
	has_shm_dev = mem_fds_shm_dev(fds, &smaj, &smin);
	held = g_hash_table_new_full(key_hash, key_equal, g_free, NULL);
	for (guint i = 0; i < pids->len; i++) {
		guint32 pid = g_array_index(pids, guint32, i);
		g_autoptr(GError) err = NULL;
		g_autoptr(GArray) list = mem_fds_list(fds, pid, &err);

		if (!list) {
			if (!g_error_matches(err, MEM_ERROR, MEM_ERROR_VANISHED))
				r->n_hidden_errors++;
			continue;
		}
		for (guint j = 0; j < list->len; j++) {
			const MemFdEntry *e = &g_array_index(list, MemFdEntry, j);
			ObjKey k = { e->dev_major, e->dev_minor, e->inode };
			MemHiddenObject *h;
			if (!fd_is_shmem(e, has_shm_dev, smaj, smin) || sharers_lookup(sharers, k.dev_major, k.dev_minor, k.inode))
				continue;
			h = g_hash_table_lookup(held, &k);
			if (!h) {
				h = hidden_new(r->hidden, MEM_HIDDEN_HELD);
				h->name = g_strndup(e->target, e->target_len);
				h->name_len = e->target_len;
				h->dev_major = e->dev_major;
				h->dev_minor = e->dev_minor;
				h->inode = e->inode;
				h->size = e->size;
				h->has_alloc = TRUE;
				h->alloc = e->blocks_bytes;
				g_hash_table_insert(held, g_memdup2(&k, sizeof k), h);
			}
			add_pid(h->holders, pid);
		}
	}
	if (!(shm = mem_fds_shm_files(fds, error)))
		return FALSE;
	for (guint i = 0; i < shm->len; i++) {
		const MemShmFile *s = &g_array_index(shm, MemShmFile, i);
		ObjKey k = { s->dev_major, s->dev_minor, s->inode };
		MemHiddenObject *h;
		if (g_hash_table_contains(held, &k) || sharers_lookup(sharers, k.dev_major, k.dev_minor, k.inode))
			continue;
		h = hidden_new(r->hidden, MEM_HIDDEN_ORPHAN);
		h->name = g_strconcat("/dev/shm/", s->name, NULL);
		h->name_len = strlen(h->name);
		h->dev_major = s->dev_major;
		h->dev_minor = s->dev_minor;
		h->inode = s->inode;
		h->size = s->size;
		h->has_alloc = TRUE;
		h->alloc = s->blocks_bytes;
	}
	r->hidden_live = TRUE;
	return TRUE;
}

static int compare_hidden(gconstpointer pa, gconstpointer pb, gpointer data)
{
	const MemHiddenObject *a = *(MemHiddenObject *const *)pa, *b = *(MemHiddenObject *const *)pb;
	const SortBy *s = data;
	guint64 x, y;
	int c;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	x = s->col == MEM_OCOL_SIZE ? a->size : a->alloc;
	y = s->col == MEM_OCOL_SIZE ? b->size : b->alloc;
	c = x > y ? -1 : x < y;
	if (s->reverse)
		c = -c;
	return c ? c : a->inode < b->inode ? -1 : a->inode > b->inode;
}

MemObjsReport *mem_objs_report_hidden(MemSourceKind kind, const char *path, const char *shm, gsize shm_len,
                                      MemObjsSharers *sharers, const MemObjsOptions *opts, GError **error)
{
	g_autoptr(MemObjsReport) r = report_new(MEM_OBJS_HIDDEN, opts);
	SortBy sort = { r->sort, r->reverse };

	r->source_kind = kind;
	r->source_path = path;
	r->hidden = g_ptr_array_new_with_free_func(hidden_free);
	if (shm) {
		g_autoptr(GArray) segs = mem_parse_sysvipc_shm(shm, shm_len, error);
		if (!segs)
			return NULL;
		for (guint i = 0; i < segs->len; i++) {
			const MemShmSegment *s = &g_array_index(segs, MemShmSegment, i);
			MemHiddenObject *h;
			if (s->nattch != 0)
				continue;
			h = hidden_new(r->hidden, MEM_HIDDEN_SYSV);
			h->name = g_strdup_printf("/SYSV%08x", (guint32)s->key);
			h->name_len = strlen(h->name);
			h->inode = s->shmid;
			h->key = s->key;
			h->size = s->size;
			h->has_alloc = h->has_swap = s->has_rss_swap;
			h->alloc = s->rss;
			h->swap = s->swap;
		}
	}
	if (kind == MEM_SOURCE_LIVE && sharers) {
		r->sharers_partial = sharers->partial;
		g_array_append_vals(r->unreadable, sharers->unreadable->data, sharers->unreadable->len);
		if (!live_hidden(r, sharers, error))
			return NULL;
	}
	g_ptr_array_sort_with_data(r->hidden, compare_hidden, &sort);
	return g_steal_pointer(&r);
}

char *mem_objs_report_summary(const MemObjsReport *r)
{
	GString *s = g_string_new(NULL);

	if (r->unreadable->len) {
		g_string_append_printf(s, "%u process%s unreadable (pid%s ", r->unreadable->len,
		                       r->unreadable->len == 1 ? "" : "es", r->unreadable->len == 1 ? "" : "s");
		for (guint i = 0; i < r->unreadable->len && i < 8; i++)
			g_string_append_printf(s, "%s%u", i ? " " : "", g_array_index(r->unreadable, guint32, i));
		if (r->unreadable->len > 8)
			g_string_append(s, " ...");
		g_string_append(s, "): the objects they map are not counted and sharer counts are partial (try as root)");
	}
	if (r->vanished->len)
		g_string_append_printf(s, "%s%u process%s exited while being read", s->len ? "; " : "",
		                       r->vanished->len, r->vanished->len == 1 ? "" : "es");
	if (r->skipped->len)
		g_string_append_printf(s, "%s%u process%s skipped (resident above --max-rss)%s", s->len ? "; " : "",
		                       r->skipped->len, r->skipped->len == 1 ? "" : "es",
		                       r->view == MEM_OBJS_ALL ? ": the objects they map are not counted and sharer counts are partial" : "");
	if (r->view == MEM_OBJS_HIDDEN && !r->hidden_live)
		g_string_append_printf(s, "%sa snapshot shows only unattached SysV segments: memfd and /dev/shm files held by an fd or by nobody are visible live only",
		                       s->len ? "; " : "");
	if (r->n_hidden_errors)
		g_string_append_printf(s, "%s%u process%s' fds could not be read", s->len ? "; " : "",
		                       r->n_hidden_errors, r->n_hidden_errors == 1 ? "" : "es");
	if (s->len == 0) {
		g_string_free(s, TRUE);
		return NULL;
	}
	return g_string_free(s, FALSE);
}
