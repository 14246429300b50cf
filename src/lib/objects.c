/* objects.c: memory objects from mappings, the per-process and all-objects views (accounting layer) */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "objects-private.h"

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

/* An object as it was before the process being gathered changed it (all view): put back when that
 * process is dropped. */
typedef struct {
	MemObject *o;
	MemObject was;
	guint values_at;         /* its values, in ObjSet.undo_values */
} Undo;

/* Objects being gathered: the keyed ones in a table, every one in order of first sight.  Objects come
 * from an arena: a system holds 15 000 of them, mostly one anonymous mapping each. */
typedef struct {
	GHashTable *by_key;      /* MemObject* (keyed by dev:inode) -> itself */
	GPtrArray *list;
	MemArena *arena;         /* where the objects live */
	/* Objects of earlier processes that the current one changed, while the set can take back a process
	 * (objset_mark / objset_undo: one whose mappings come in several batches) */
	gboolean tracking;
	GArray *undo;            /* Undo; NULL until the first mark */
	GArray *undo_values;     /* guint64 */
	guint mark;              /* list->len before the current process */
} ObjSet;

static guint obj_hash(gconstpointer p)
{
	const MemObject *o = p;
	ObjKey k = { o->dev_major, o->dev_minor, o->inode };
	return objs_key_hash(&k);
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

/* An object with room after it for the values of n_values fields (its first mapping's). */
static MemObject *objset_new_object(ObjSet *set, guint n_values)
{
	MemObject *o = mem_arena_alloc0(set->arena, sizeof(MemObject) + n_values * sizeof(guint64));

	o->cv = (const guint64 *)(o + 1);
	return o;
}

/* Adds packed counters (the values of the fields in `known`, in field order) to the object's, as
 * mem_counters_add() does: a field is known once one mapping had it.  The values move to a larger
 * array of the arena when a field is new to the object (rare: the mappings of one file carry the same
 * fields). */
static void object_add_values(MemObject *o, MemArena *arena, guint32 known, const guint64 *cv)
{
	guint32 all = o->known | known;
	guint64 *dst;
	guint k = 0, j = 0;

	if (all != o->known) {
		/* the first mapping's values go to the room after the object (n_maps counts it after) */
		guint64 *grown = o->n_maps == 0 ? (guint64 *)o->cv
		                 : mem_arena_alloc0(arena, sizeof(guint64) * (guint)__builtin_popcount(all));
		for (guint32 b = all; b; b &= b - 1, k++) {
			guint32 bit = b & -b;
			grown[k] = (o->known & bit) ? o->cv[j++] : 0;
		}
		o->cv = grown;
		o->known = all;
	}
	dst = (guint64 *)o->cv;
	k = j = 0;
	for (guint32 b = all; b; b &= b - 1, k++) {
		if (known & (b & -b)) {
			guint64 add = cv[j++], sum = dst[k] + add;
			dst[k] = sum < add ? G_MAXUINT64 : sum;
		}
	}
}

/* Before the current process `pid` first changes an object of an earlier process: what to put back. */
static void objset_save(ObjSet *set, MemObject *o, guint32 pid)
{
	Undo u = { o, *o, set->undo_values->len };

	if (o->pids[o->n_pids - 1] == pid)
		return; /* saved already, or made by this process */
	g_array_append_vals(set->undo_values, o->cv, (guint)__builtin_popcount(o->known));
	g_array_append_val(set->undo, u);
}

static MemObject *objset_add(ObjSet *set, guint32 pid, const MemMapping *m)
{
	MemObject *o;
	guint64 extent;

	if (objs_is_shareable(m)) {
		MemObject probe = { .dev_major = m->dev_major, .dev_minor = m->dev_minor, .inode = m->inode };
		o = g_hash_table_lookup(set->by_key, &probe);
		if (o && set->tracking)
			objset_save(set, o, pid);
		if (!o) {
			o = objset_new_object(set, (guint)__builtin_popcount(m->known));
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
		o = objset_new_object(set, (guint)__builtin_popcount(m->known));
		o->anon = TRUE;
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
	object_add_values(o, set->arena, m->known, m->cv);
	o->n_maps++;
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
	if (set->undo) {
		g_array_unref(set->undo);
		g_array_unref(set->undo_values);
	}
}

/* A process begins: what it adds or changes from here on can be taken back (objset_undo). */
static void objset_mark(ObjSet *set)
{
	if (!set->undo) {
		set->undo = g_array_new(FALSE, FALSE, sizeof(Undo));
		set->undo_values = g_array_new(FALSE, FALSE, sizeof(guint64));
	}
	g_array_set_size(set->undo, 0);
	g_array_set_size(set->undo_values, 0);
	set->mark = set->list->len;
	set->tracking = TRUE;
}

/* Takes back what the process begun at the mark added: its objects go, the objects of earlier processes
 * it changed are put back as they were (their memory in the arena is left: dropping is rare). */
static void objset_undo(ObjSet *set)
{
	for (guint i = set->mark; i < set->list->len; i++) {
		MemObject *o = g_ptr_array_index(set->list, i);
		if (!o->anon)
			g_hash_table_remove(set->by_key, o);
	}
	g_ptr_array_set_size(set->list, set->mark);
	for (guint i = 0; i < set->undo->len; i++) {
		const Undo *u = &g_array_index(set->undo, Undo, i);
		MemObject *o = u->o;

		/* the values go back into the array they were in (a grown copy is left in the arena); the pids
		 * keep their array, which may have grown, and lose the ones added */
		memcpy((guint64 *)u->was.cv, &g_array_index(set->undo_values, guint64, u->values_at),
		       sizeof(guint64) * (guint)__builtin_popcount(u->was.known));
		o->cv = u->was.cv;
		o->known = u->was.known;
		o->size = u->was.size;
		o->name = u->was.name;
		o->name_len = u->was.name_len;
		o->name_pid = u->was.name_pid;
		o->kind = u->was.kind;
		o->n_maps = u->was.n_maps;
		o->n_pids = u->was.n_pids;
	}
	objset_mark(set);
}
/* ---- the report ---- */

void objs_note_more_unreadable(MemObjsReport *r, const GArray *pids)
{
	g_autoptr(GArray) seen = g_array_copy((GArray *)pids);

	mem_pids_sort_unique(r->unreadable);
	for (guint i = 0; i < seen->len; i++) {
		guint32 pid = g_array_index(seen, guint32, i);
		if (r->unreadable->len == 0 ||
		    !bsearch(&pid, r->unreadable->data, r->unreadable->len, sizeof pid, mem_pid_compare))
			g_array_append_val(r->more_unreadable, pid);
	}
	mem_pids_sort_unique(r->more_unreadable);
	g_array_append_vals(r->unreadable, r->more_unreadable->data, r->more_unreadable->len);
	mem_pids_sort_unique(r->unreadable);
}

MemObjsReport *objs_report_new(MemObjsView view, const MemObjsOptions *opts)
{
	MemObjsReport *r = g_new0(MemObjsReport, 1);

	r->view = view;
	r->unreadable = g_array_new(FALSE, FALSE, sizeof(guint32));
	r->more_unreadable = g_array_new(FALSE, FALSE, sizeof(guint32));
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
	g_array_unref(r->more_unreadable);
	g_array_unref(r->vanished);
	g_array_unref(r->skipped);
	g_ptr_array_unref(r->problems);
	g_array_unref(r->columns);
	g_free(r);
}

static gboolean pid_wanted(const MemObjsOptions *o, guint32 pid)
{
	return !o || mem_source_pid_selected(pid, o->pids, o->n_pids);
}

static void note_state(MemObjsReport *r, const MemProcess *p)
{
	mem_state_tally_add(&r->tally, p);
	if (p->state == MEM_PROC_UNREADABLE)
		g_array_append_val(r->unreadable, p->pid);
	else if (p->state == MEM_PROC_VANISHED)
		g_array_append_val(r->vanished, p->pid);
	else if (p->state == MEM_PROC_SKIPPED)
		g_array_append_val(r->skipped, p->pid);
}

/* ---- objects gathered while the processes are read, a batch of mappings at a time ---- */

typedef struct {
	guint32 pid;
	guint line;
	const char *what;
} BadOrder;

/* Process view: the objects of one process and the sum over its mappings. */
typedef struct {
	guint32 pid;
	ObjSet set;
	MemCounters total;
} GatheredProcess;

/* What one reading thread gathers (a thread touches only its own). */
typedef struct {
	ObjSet set;              /* all view: the objects of the processes counted, and of the current one */
	GPtrArray *procs;        /* process view: GatheredProcess* */
	GArray *bad;             /* BadOrder: processes whose mappings were out of order */
	guint n_processes;       /* processes counted */
	/* the process whose mappings are coming */
	gboolean open;           /* some of them came */
	guint32 pid;
	guint n_seen;            /* its mappings so far */
	guint64 prev_end;
	BadOrder cur_bad;        /* what: NULL while in order; else the rest is ignored */
	GatheredProcess *cur;    /* process view */
} GatherThread;

struct _MemObjsGather {
	MemObjsView view;
	GatherThread threads[MEM_SCAN_MAX_THREADS];
};

MemObjsGather *mem_objs_gather_new(MemObjsView view)
{
	MemObjsGather *g = g_new0(MemObjsGather, 1);

	g->view = view;
	return g;
}

static void gathered_process_free(gpointer data)
{
	GatheredProcess *gp = data;

	if (!gp)
		return;
	if (gp->set.list)
		objset_clear(&gp->set);
	g_free(gp);
}

void mem_objs_gather_free(MemObjsGather *g)
{
	if (!g)
		return;
	for (guint i = 0; i < MEM_SCAN_MAX_THREADS; i++) {
		GatherThread *t = &g->threads[i];

		if (t->set.list)
			objset_clear(&t->set);
		if (t->procs)
			g_ptr_array_unref(t->procs);
		if (t->bad)
			g_array_unref(t->bad);
		gathered_process_free(t->cur);
	}
	g_free(g);
}

/* `whole`: every mapping of the process comes in this call (the usual case: below a batch), which is
 * checked before any of it is added: nothing to take back then. */
static void gather_begin(MemObjsGather *g, GatherThread *t, guint32 pid, gboolean whole)
{
	t->open = TRUE;
	t->pid = pid;
	t->n_seen = 0;
	t->prev_end = 0;
	t->cur_bad.what = NULL;
	if (g->view == MEM_OBJS_ALL) {
		if (!t->set.list)
			objset_init(&t->set);
		if (!whole)
			objset_mark(&t->set);
	} else {
		t->cur = g_new0(GatheredProcess, 1);
		t->cur->pid = pid;
		objset_init(&t->cur->set);
	}
}

/* Whether a batch goes on from the mappings before it, forward and without overlaps (the kernel writes
 * them so; a recording may not); else t->cur_bad says where it does not. */
static gboolean gather_in_order(GatherThread *t, const MemMapping *maps, guint n)
{
	for (guint j = 0; j < n; j++, t->n_seen++) {
		if (!objs_order_ok(maps[j].start, maps[j].end, t->prev_end, t->n_seen == 0, &t->cur_bad.what)) {
			t->cur_bad.pid = t->pid;
			t->cur_bad.line = maps[j].line;
			return FALSE;
		}
		t->prev_end = maps[j].end;
	}
	return TRUE;
}

/* Takes back everything the current process added. */
static void gather_forget(MemObjsGather *g, GatherThread *t)
{
	if (g->view == MEM_OBJS_ALL && t->set.tracking)
		objset_undo(&t->set);
	else
		g_clear_pointer(&t->cur, gathered_process_free);
}

/* The process's last call: it counts when DONE with its mappings in order (a process out of order is
 * a problem only if the model found it OK). */
static void gather_end(MemObjsGather *g, GatherThread *t, gboolean done)
{
	t->open = FALSE;
	if (done && t->cur_bad.what) {
		if (!t->bad)
			t->bad = g_array_new(FALSE, FALSE, sizeof(BadOrder));
		g_array_append_val(t->bad, t->cur_bad);
	}
	if (!done || t->cur_bad.what) {
		gather_forget(g, t);
		t->set.tracking = FALSE;
		return;
	}
	t->set.tracking = FALSE;
	t->n_processes++;
	if (g->view == MEM_OBJS_PROCESS) {
		if (!t->procs)
			t->procs = g_ptr_array_new_with_free_func(gathered_process_free);
		g_ptr_array_add(t->procs, g_steal_pointer(&t->cur));
	}
}

void mem_objs_gather_mappings(guint thread, guint32 pid, const MemMapping *maps, guint n, MemMappingsStep step,
                              gpointer data)
{
	MemObjsGather *g = data;
	GatherThread *t;

	g_return_if_fail(thread < MEM_SCAN_MAX_THREADS);
	t = &g->threads[thread];
	g_return_if_fail(!t->open || t->pid == pid); /* the calls of one pid come together */
	if (!t->open)
		gather_begin(g, t, pid, step != MEM_MAPPINGS_MORE);
	if (n && !t->cur_bad.what) {
		if (!gather_in_order(t, maps, n))
			gather_forget(g, t);
		else if (g->view == MEM_OBJS_ALL)
			for (guint j = 0; j < n; j++)
				objset_add(&t->set, pid, &maps[j]);
		else
			for (guint j = 0; j < n; j++) {
				objset_add(&t->cur->set, pid, &maps[j]);
				mem_counters_add_mapping(&t->cur->total, &maps[j]);
			}
	}
	if (step != MEM_MAPPINGS_MORE)
		gather_end(g, t, step == MEM_MAPPINGS_DONE);
}

static int compare_bad(gconstpointer a, gconstpointer b)
{
	const BadOrder *x = a, *y = b;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/* The processes whose mappings were out of order, as problems in pid order ("path:PID/smaps: line N:
 * ...", the process view's only of the processes it shows). */
static void gather_problems(MemObjsGather *g, MemSnapshot *snap, MemObjsReport *r, const MemObjsOptions *opts)
{
	g_autoptr(GArray) bad = g_array_new(FALSE, FALSE, sizeof(BadOrder));

	for (guint t = 0; t < MEM_SCAN_MAX_THREADS; t++)
		if (g->threads[t].bad)
			g_array_append_vals(bad, g->threads[t].bad->data, g->threads[t].bad->len);
	g_array_sort(bad, compare_bad);
	for (guint i = 0; i < bad->len; i++) {
		const BadOrder *b = &g_array_index(bad, BadOrder, i);
		if (r->view == MEM_OBJS_PROCESS && !pid_wanted(opts, b->pid))
			continue;
		g_ptr_array_add(r->problems, g_strdup_printf("%s%s%u/smaps: line %u: %s", snap->path ? snap->path : "/proc",
		                                             snap->path ? ":" : "/", b->pid, b->line, b->what));
	}
}

MemObjsReport *mem_objs_report_new(MemSnapshot *snap, MemObjsSharers *sharers, MemObjsGather *g,
                                   const MemObjsOptions *opts)
{
	MemObjsReport *r = objs_report_new(MEM_OBJS_PROCESS, opts);
	g_autoptr(MemObjsSharers) own = NULL;
	g_autoptr(MemObjsGather) own_gather = NULL;
	g_autoptr(GHashTable) by_pid = g_hash_table_new(g_direct_hash, g_direct_equal);
	SortBy sort = { r->sort, r->reverse };

	r->source_kind = snap->kind;
	r->source_path = snap->path;
	if (!sharers)
		sharers = own = mem_objs_sharers_from_snapshot(snap);
	if (!g) {
		/* the snapshot kept the mappings (one pass over a stream): gathered here the same way */
		g = own_gather = mem_objs_gather_new(MEM_OBJS_PROCESS);
		for (guint i = 0; i < snap->procs->len; i++) {
			MemProcess *p = g_ptr_array_index(snap->procs, i);
			if (pid_wanted(opts, p->pid) && p->state == MEM_PROC_OK && p->maps)
				mem_objs_gather_mappings(0, p->pid, (const MemMapping *)(gconstpointer)p->maps->data,
				                         p->maps->len, MEM_MAPPINGS_DONE, g);
		}
	}
	r->sharers_partial = sharers->partial;
	for (guint i = 0; i < sharers->problems->len; i++)
		g_ptr_array_add(r->problems, g_strdup(g_ptr_array_index(sharers->problems, i)));
	gather_problems(g, snap, r, opts);
	for (guint t = 0; t < MEM_SCAN_MAX_THREADS; t++)
		for (guint i = 0; g->threads[t].procs && i < g->threads[t].procs->len; i++) {
			GatheredProcess *gp = g_ptr_array_index(g->threads[t].procs, i);
			g_hash_table_insert(by_pid, GUINT_TO_POINTER(gp->pid), gp);
		}

	r->procs = g_ptr_array_new_with_free_func(objs_process_free);
	for (guint i = 0; i < snap->procs->len; i++) {
		MemProcess *p = g_ptr_array_index(snap->procs, i);
		GatheredProcess *gp;
		MemObjsProcess *op;

		if (!pid_wanted(opts, p->pid))
			continue;
		note_state(r, p);
		op = g_new0(MemObjsProcess, 1);
		op->proc = p;
		g_ptr_array_add(r->procs, op);
		gp = p->state == MEM_PROC_OK ? g_hash_table_lookup(by_pid, GUINT_TO_POINTER(p->pid)) : NULL;
		if (!gp) {
			op->objects = g_ptr_array_new();
			continue;
		}
		r->n_processes++;
		op->total = gp->total;
		for (guint j = 0; j < gp->set.list->len; j++) {
			MemObject *o = g_ptr_array_index(gp->set.list, j);
			GArray *all = !o->anon ? objs_sharers_lookup(sharers, o->dev_major, o->dev_minor, o->inode) : NULL;
			if (all) {
				/* The source-wide sharers, plus this process if it mapped the object only
				 * after the maps pass. */
				for (guint k = 0; k < all->len; k++)
					object_append_pid(o, g_array_index(all, guint32, k));
				o->n_pids = mem_pids_sort_unique_n(o->pids, o->n_pids);
			}
			o->sharers_partial = !o->anon && r->sharers_partial;
		}
		op->objects = g_ptr_array_ref(gp->set.list);
		objset_give_arena(&gp->set, r);
		objset_clear(&gp->set);
		memset(&gp->set, 0, sizeof gp->set);
		objs_sort_objects(op->objects, &sort);
	}
	mem_pids_sort_unique(r->unreadable);
	mem_pids_sort_unique(r->vanished);
	/* Processes outside the view whose mappings are unknown (the maps pass's, or the one load's of a
	 * stream) count as unreadable too: both forms of a recording say the same. */
	objs_note_more_unreadable(r, sharers->unreadable);
	return r;
}

/* Moves the objects of `from` into `into`: an object both threads saw is summed, and keeps the name and
 * kind its lowest pid gave it. */
static void objset_merge(ObjSet *into, ObjSet *from)
{
	for (guint i = 0; i < from->list->len; i++) {
		MemObject *o = g_ptr_array_index(from->list, i), *b;

		if (o->anon || !(b = g_hash_table_lookup(into->by_key, o))) {
			if (!o->anon)
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
		object_add_values(b, into->arena, o->known, o->cv);
		b->n_maps += o->n_maps;
		b->size = MAX(b->size, o->size);
		for (guint k = 0; k < o->n_pids; k++)
			object_append_pid(b, o->pids[k]);
	}
}

MemObjsReport *mem_objs_report_gathered(MemSnapshot *snap, MemObjsGather *g, const MemObjsOptions *opts)
{
	MemObjsReport *r = objs_report_new(MEM_OBJS_ALL, opts);
	SortBy sort = { r->sort, r->reverse };
	ObjSet *all = &g->threads[0].set;

	r->source_kind = snap->kind;
	r->source_path = snap->path;
	for (guint i = 0; i < snap->procs->len; i++)
		note_state(r, g_ptr_array_index(snap->procs, i));
	mem_pids_sort_unique(r->unreadable);
	mem_pids_sort_unique(r->vanished);
	/* a skipped process's mappings are unknown: it may share any object */
	r->sharers_partial = r->unreadable->len > 0 || r->skipped->len > 0;
	if (!all->list)
		objset_init(all);
	for (guint t = 0; t < MEM_SCAN_MAX_THREADS; t++) {
		r->n_processes += g->threads[t].n_processes;
		if (t > 0 && g->threads[t].set.list)
			objset_merge(all, &g->threads[t].set);
	}
	gather_problems(g, snap, r, opts);
	for (guint i = 0; i < all->list->len; i++) {
		MemObject *o = g_ptr_array_index(all->list, i);
		o->n_pids = mem_pids_sort_unique_n(o->pids, o->n_pids);
		o->sharers_partial = !o->anon && r->sharers_partial;
	}
	r->objects = g_ptr_array_ref(all->list);
	objs_sort_objects(r->objects, &sort);
	/* The report keeps the objects' storage; the gather lets go of everything it held. */
	for (guint t = 0; t < MEM_SCAN_MAX_THREADS; t++) {
		ObjSet *set = &g->threads[t].set;
		if (!set->list)
			continue;
		objset_give_arena(set, r);
		objset_clear(set);
		memset(set, 0, sizeof *set);
	}
	return r;
}
/* "pid 7" or "pids 7 9 ..." (the first 8). */
static void append_pids(GString *s, const GArray *pids)
{
	g_string_append_printf(s, "pid%s", pids->len == 1 ? "" : "s");
	for (guint i = 0; i < pids->len && i < 8; i++)
		g_string_append_printf(s, " %u", g_array_index(pids, guint32, i));
	if (pids->len > 8)
		g_string_append(s, " ...");
}

char *mem_objs_report_summary(const MemObjsReport *r)
{
	/* The processes the view read, in every tool's wording; then what is memobjs's own. */
	g_autofree char *states = mem_state_tally_summary(&r->tally);
	GString *s = g_string_new(states);
	guint n = r->more_unreadable->len;

	if (n) {
		g_string_append_printf(s, "%smappings of %u%s process%s unknown (", s->len ? "; " : "", n,
		                       states ? " more" : "", n == 1 ? "" : "es");
		append_pids(s, r->more_unreadable);
		g_string_append_c(s, ')');
	}
	if (r->sharers_partial) {
		g_string_append_printf(s, "%ssharer counts are partial", s->len ? "; " : "");
		/* Root helps on the live system; a recording holds what it holds. */
		if (r->source_kind == MEM_SOURCE_LIVE)
			g_string_append(s, " (try as root)");
	}
	if (r->skipped->len)
		g_string_append_printf(s, "%sskipped (resident above --max-rss)%s", s->len ? "; " : "",
		                       r->view == MEM_OBJS_ALL ? ": the objects they map are not counted" : "");
	if (r->view == MEM_OBJS_HIDDEN && !r->hidden_live)
		g_string_append_printf(s, "%sthis recording has no fds or dev-shm (not memcap's): memfd and /dev/shm files held by an fd or by nobody are not shown",
		                       s->len ? "; " : "");
	if (r->some_pids)
		g_string_append_printf(s, "%sthe recording holds some processes only: holders are not all known",
		                       s->len ? "; " : "");
	if (r->shm_unlisted)
		g_string_append_printf(s, "%sthe recording's /dev/shm listing is unknown (%s): orphan files are not shown",
		                       s->len ? "; " : "", r->shm_unlisted);
	if (r->n_hidden_errors)
		g_string_append_printf(s, "%s%u process%s' fds could not be read", s->len ? "; " : "",
		                       r->n_hidden_errors, r->n_hidden_errors == 1 ? "" : "es");
	if (s->len == 0) {
		g_string_free(s, TRUE);
		return NULL;
	}
	return g_string_free(s, FALSE);
}
