/* objects-figures.c: the figures of an object, the columns a view shows by default and how objects sort (accounting layer) */
#include "config.h"

#include <string.h>

#include "objects-private.h"

/* ---- values ---- */

static gboolean counter(const MemObject *o, MemField f, guint64 *v)
{
	return mem_object_counter(o, f, v);
}

void mem_object_counters(const MemObject *o, MemCounters *out)
{
	guint k = 0;

	memset(out, 0, sizeof *out);
	out->known = o->known;
	for (guint32 b = o->known; b; b &= b - 1)
		out->v[__builtin_ctz(b)] = o->cv[k++];
}

static gboolean counter_sum(const MemObject *o, MemField a, MemField b, guint64 *v)
{
	guint64 x, y;

	if (!counter(o, a, &x) || !counter(o, b, &y))
		return FALSE;
	*v = x + y < x ? G_MAXUINT64 : x + y;
	return TRUE;
}

gsize mem_object_id_of(const MemObject *o, char buf[MEM_OBJECT_ID_LEN])
{
	return mem_object_id(buf, o->dev_major, o->dev_minor, o->inode, o->name_pid, o->anon_start);
}

gboolean mem_object_alloc(const MemObject *o, guint64 *v)
{
	return counter(o, MEM_F_RSS, v);
}

/* Zircon's object-level split: ALLOC is SHARED when the object has several sharers, else PRIVATE. */
static gboolean object_level(const MemObject *o, gboolean shared, guint64 *v)
{
	guint64 a;

	if (!mem_object_alloc(o, &a))
		return FALSE;
	if (o->n_pids > 1) {
		*v = shared ? a : 0;
		return TRUE;
	}
	/* One sharer known, but an unreadable process may map it too. */
	if (o->sharers_partial)
		return FALSE;
	*v = shared ? 0 : a;
	return TRUE;
}

gboolean mem_object_private(const MemObject *o, guint64 *v)
{
	return object_level(o, FALSE, v);
}

gboolean mem_object_shared(const MemObject *o, guint64 *v)
{
	return object_level(o, TRUE, v);
}

gboolean mem_object_uss(const MemObject *o, guint64 *v)
{
	return counter_sum(o, MEM_F_PRIVATE_CLEAN, MEM_F_PRIVATE_DIRTY, v);
}

gboolean mem_object_page_shared(const MemObject *o, guint64 *v)
{
	return counter_sum(o, MEM_F_SHARED_CLEAN, MEM_F_SHARED_DIRTY, v);
}

gboolean mem_object_hugetlb(const MemObject *o, guint64 *v)
{
	return counter_sum(o, MEM_F_SHARED_HUGETLB, MEM_F_PRIVATE_HUGETLB, v); /* mem_counters_hugetlb's rule */
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
	case MEM_OCOL_HUGETLB: return mem_object_hugetlb(o, v);
	case MEM_OCOL_INODE: *v = o->inode; return TRUE;
	default: return FALSE;
	}
}

const char *mem_object_dev_text(char buf[MEM_DEV_TEXT_LEN], guint32 maj, guint32 min)
{
	g_snprintf(buf, MEM_DEV_TEXT_LEN, "%02x:%02x", maj, min);
	return buf;
}

/* ---- the columns a view shows by default ---- */

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

#define KEYED_MAX 262144

/* Sorts objects as compare_objects() orders them; a numeric column's values are worked out once per
 * object, not twice per comparison. */
void objs_sort_objects(GPtrArray *objects, const SortBy *s)
{
	g_autofree Keyed *keys = NULL;

	/* Keyed copies are 56 bytes an object: above KEYED_MAX objects (a process of millions of mappings,
	 * issue 8) they would outweigh the objects' own 8-byte pointers, so those are sorted in place. */
	if (s->col == MEM_OCOL_KIND || s->col == MEM_OCOL_DEV || s->col == MEM_OCOL_PIDS || s->col == MEM_OCOL_NAME ||
	    objects->len > KEYED_MAX) {
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
