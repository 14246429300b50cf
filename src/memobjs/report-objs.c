/* report-objs.c: memory objects from mappings, the per-process and all-objects views (accounting layer) */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "objs-private.h"

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

static MemObject *objset_add(ObjSet *set, guint32 pid, const MemMapping *m)
{
	MemObject *o;
	guint64 extent;

	if (objs_is_shareable(m)) {
		MemObject probe = { .dev_major = m->dev_major, .dev_minor = m->dev_minor, .inode = m->inode };
		o = g_hash_table_lookup(set->by_key, &probe);
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
}
/* ---- the report ---- */

void objs_note_more_unreadable(MemObjsReport *r, const GArray *pids)
{
	g_autoptr(GArray) seen = g_array_copy((GArray *)pids);

	objs_sort_unique(r->unreadable);
	for (guint i = 0; i < seen->len; i++) {
		guint32 pid = g_array_index(seen, guint32, i);
		if (r->unreadable->len == 0 ||
		    !bsearch(&pid, r->unreadable->data, r->unreadable->len, sizeof pid, objs_compare_u32))
			g_array_append_val(r->more_unreadable, pid);
	}
	objs_sort_unique(r->more_unreadable);
	g_array_append_vals(r->unreadable, r->more_unreadable->data, r->more_unreadable->len);
	objs_sort_unique(r->unreadable);
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

/* Checks the order of a process's mappings (the model keeps them as the kernel wrote them). */
static gboolean mappings_ok(MemSnapshot *snap, const MemProcess *p, GPtrArray *problems)
{
	guint64 prev_end = 0;

	for (guint j = 0; j < p->maps->len; j++) {
		const MemMapping *m = &g_array_index(p->maps, MemMapping, j);
		const char *what;
		if (!objs_order_ok(m->start, m->end, prev_end, j == 0, &what)) {
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
	mem_state_tally_add(&r->tally, p);
	if (p->state == MEM_PROC_UNREADABLE)
		g_array_append_val(r->unreadable, p->pid);
	else if (p->state == MEM_PROC_VANISHED)
		g_array_append_val(r->vanished, p->pid);
	else if (p->state == MEM_PROC_SKIPPED)
		g_array_append_val(r->skipped, p->pid);
}

MemObjsReport *mem_objs_report_new(MemSnapshot *snap, MemObjsSharers *sharers, const MemObjsOptions *opts)
{
	MemObjsReport *r = objs_report_new(MEM_OBJS_PROCESS, opts);
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
				GArray *all = !o->anon ? objs_sharers_lookup(sharers, o->dev_major, o->dev_minor, o->inode) : NULL;
				if (all) {
					/* The source-wide sharers, plus this process if it mapped the object only
					 * after the maps pass. */
					for (guint k = 0; k < all->len; k++)
						object_append_pid(o, g_array_index(all, guint32, k));
					o->n_pids = objs_sort_unique_n(o->pids, o->n_pids);
				}
				o->sharers_partial = !o->anon && r->sharers_partial;
			}
			op->objects = g_ptr_array_ref(set.list);
			objset_give_arena(&set, r);
			objset_clear(&set);
			objs_sort_objects(op->objects, &sort);
		}
	}
	objs_sort_unique(r->unreadable);
	objs_sort_unique(r->vanished);
	if (own == NULL) {
		/* Processes only the maps pass could not read count as unreadable too. */
		objs_note_more_unreadable(r, sharers->unreadable);
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
		if (!objs_order_ok(maps[j].start, maps[j].end, prev_end, j == 0, &b.what)) {
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
	g_autoptr(GArray) bad = g_array_new(FALSE, FALSE, sizeof(BadOrder));
	ObjSet *all = &g->sets[0];

	r->source_kind = snap->kind;
	r->source_path = snap->path;
	for (guint i = 0; i < snap->procs->len; i++)
		note_state(r, g_ptr_array_index(snap->procs, i));
	objs_sort_unique(r->unreadable);
	objs_sort_unique(r->vanished);
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
		o->n_pids = objs_sort_unique_n(o->pids, o->n_pids);
		o->sharers_partial = !o->anon && r->sharers_partial;
	}
	r->objects = g_ptr_array_ref(all->list);
	objs_sort_objects(r->objects, &sort);
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
