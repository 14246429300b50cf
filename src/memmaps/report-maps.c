/* report-maps.c: memmaps's regions, display order and totals over a process's mappings (accounting layer) */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "report-maps.h"

static int extra_index(const MemMapsProc *p, const char *key)
{
	for (guint i = 0; i < p->extra_keys->len; i++) {
		const char *k = g_ptr_array_index(p->extra_keys, i);
		if (k == key || strcmp(k, key) == 0)
			return (int)i;
	}
	return -1;
}

MemMapsColumn *mem_maps_column_key(const char *name, gsize len)
{
	MemMapsColumn *col = g_new0(MemMapsColumn, 1);

	for (int f = 0; f < MEM_F_COUNT; f++) {
		const char *fname = mem_field_name(f);
		if (strlen(fname) == len && g_ascii_strncasecmp(fname, name, len) == 0) {
			col->kind = MEM_MAPS_COL_FIELD;
			col->f[0] = col->f[1] = f;
			col->tag = g_strdup(fname);
			return col;
		}
	}
	if (len == 7 && g_ascii_strncasecmp(name, "VmFlags", 7) == 0) {
		col->kind = MEM_MAPS_COL_VMFLAGS;
		col->tag = g_strdup("VmFlags");
		return col;
	}
	col->kind = MEM_MAPS_COL_EXTRA;
	col->key = g_strndup(name, len);
	col->tag = g_strndup(name, len);
	return col;
}

void mem_maps_column_free(gpointer data)
{
	MemMapsColumn *col = data;

	if (!col)
		return;
	g_free(col->tag);
	g_free(col->key);
	g_free(col);
}

gboolean mem_maps_report_check_key(const MemMapsReport *r, const MemMapsColumn *col, GError **error)
{
	gboolean any_read = FALSE;

	if (!col || col->kind != MEM_MAPS_COL_EXTRA)
		return TRUE;
	for (guint i = 0; i < r->procs->len; i++) {
		const MemMapsProc *p = g_ptr_array_index(r->procs, i);
		if (p->proc->state != MEM_PROC_OK)
			continue;
		any_read = TRUE;
		if (extra_index(p, col->key) >= 0)
			return TRUE;
	}
	if (!any_read)
		return TRUE;
	g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID,
	            "unknown field '%s': neither a name of -o nor a key in the smaps of a process shown (valid: "
	            "sz res pss priv shr dirty swap swappss, the smaps keys, VmFlags)", col->key);
	return FALSE;
}

gboolean mem_maps_column_counter(const MemMapsColumn *col, const MemCounters *c, guint64 *v)
{
	switch (col->kind) {
	case MEM_MAPS_COL_FIELD:
		if (!mem_counters_has(c, col->f[0]))
			return FALSE;
		*v = c->v[col->f[0]];
		return TRUE;
	case MEM_MAPS_COL_SUM:
		if (!mem_counters_has(c, col->f[0]) || !mem_counters_has(c, col->f[1]))
			return FALSE;
		*v = c->v[col->f[0]] + c->v[col->f[1]];
		if (*v < c->v[col->f[0]])
			*v = G_MAXUINT64;
		return TRUE;
	default:
		return FALSE;
	}
}

gboolean mem_field_additive(MemField f)
{
	return f != MEM_F_KERNEL_PAGE_SIZE && f != MEM_F_MMU_PAGE_SIZE;
}

gboolean mem_maps_extra_kb(const char *value, guint64 *bytes)
{
	const char *p = value;
	guint64 kb = 0;

	if (!g_ascii_isdigit(*p))
		return FALSE;
	for (; g_ascii_isdigit(*p); p++) {
		if (kb > (G_MAXUINT64 / 1024 - 9) / 10)
			return FALSE;
		kb = kb * 10 + (guint64)(*p - '0');
	}
	while (*p == ' ')
		p++;
	if (p[0] != 'k' || p[1] != 'B')
		return FALSE;
	for (p += 2; *p == ' '; p++)
		;
	if (*p)
		return FALSE;
	*bytes = kb * 1024;
	return TRUE;
}


gboolean mem_maps_mapping_value(const MemMapsProc *p, const MemMapping *m, const MemMapsColumn *col,
                                guint64 *bytes, gboolean *has_bytes, const char **text)
{
	(void)p;
	*has_bytes = FALSE;
	*text = NULL;
	switch (col->kind) {
	case MEM_MAPS_COL_FIELD:
		*has_bytes = mem_mapping_has(m, col->f[0]);
		*bytes = mem_mapping_value(m, col->f[0]);
		return *has_bytes;
	case MEM_MAPS_COL_SUM: {
		MemCounters c;

		mem_mapping_counters(m, &c);
		*has_bytes = mem_maps_column_counter(col, &c, bytes);
		return *has_bytes;
	}
	case MEM_MAPS_COL_VMFLAGS:
		*text = mem_mapping_vmflags(m);
		return *text != NULL;
	case MEM_MAPS_COL_EXTRA: {
		const MemMapExtra *extra = mem_mapping_extra(m);
		for (guint i = 0; i < mem_mapping_n_extra(m); i++)
			if (strcmp(extra[i].key, col->key) == 0) {
				*has_bytes = mem_maps_extra_kb(extra[i].value, bytes);
				if (!*has_bytes)
					*text = extra[i].value;
				return TRUE;
			}
		return FALSE;
	}
	}
	return FALSE;
}

gboolean mem_maps_sum_value(const MemMapsProc *p, const MemMapsSum *s, const MemMapsColumn *col, guint64 *v)
{
	int x;

	if (col->kind == MEM_MAPS_COL_FIELD || col->kind == MEM_MAPS_COL_SUM)
		return mem_field_additive(col->f[0]) && mem_maps_column_counter(col, &s->c, v);
	if (col->kind != MEM_MAPS_COL_EXTRA || !p || !s->xsum || (x = extra_index(p, col->key)) < 0 || !s->xknown[x])
		return FALSE;
	*v = s->xsum[x];
	return TRUE;
}

static void sum_init(MemMapsSum *s, guint n_keys)
{
	memset(s, 0, sizeof *s);
	s->xsum = g_new0(guint64, n_keys ? n_keys : 1);
	s->xknown = g_new0(guint8, n_keys ? n_keys : 1);
}

static void sum_clear(MemMapsSum *s)
{
	g_free(s->xsum);
	g_free(s->xknown);
	s->xsum = NULL;
	s->xknown = NULL;
}

/* The fields the sums take from each mapping and where they sit among its packed values, kept while
 * mappings have the same set of fields (neighbours mostly do): a place is a count of bits, and the
 * text views sum three fields of 25. */
typedef struct {
	guint32 fields;        /* the fields summed; G_MAXUINT32: every one */
	guint32 known;         /* the mapping's fields the places are for (0 at first: no place) */
	guint n;
	guint8 f[MEM_F_COUNT], at[MEM_F_COUNT];
} Picks;

static void sum_add(MemMapsProc *p, MemMapsSum *s, const MemMapping *m, Picks *pk)
{
	if (pk->fields == G_MAXUINT32) {
		mem_counters_add_mapping(&s->c, m);
	} else {
		if (m->known != pk->known) {
			guint32 rest = m->known & pk->fields;
			pk->known = m->known;
			for (pk->n = 0; rest; rest &= rest - 1, pk->n++) {
				guint f = (guint)__builtin_ctz(rest);
				pk->f[pk->n] = (guint8)f;
				pk->at[pk->n] = (guint8)mem_bits_set(m->known & (MEM_FIELD_BIT(f) - 1u));
			}
		}
		for (guint k = 0; k < pk->n; k++) {
			guint64 v = m->cv[pk->at[k]], *sum = &s->c.v[pk->f[k]];
			*sum = *sum + v < v ? G_MAXUINT64 : *sum + v;
		}
		s->c.known |= m->known & pk->fields;
	}
	s->n++;
	const MemMapExtra *extra = mem_mapping_extra(m);

	for (guint i = 0; i < mem_mapping_n_extra(m); i++) {
		guint64 b;
		int x = extra_index(p, extra[i].key);
		if (x < 0 || !mem_maps_extra_kb(extra[i].value, &b))
			continue;
		s->xsum[x] = s->xsum[x] + b < s->xsum[x] ? G_MAXUINT64 : s->xsum[x] + b;
		s->xknown[x] = 1;
	}
}

/* Adds the sum src (over other mappings) to dst: sums saturate, so adding a region's sum once gives
 * what adding each of its members would. */
static void sum_merge(MemMapsSum *dst, const MemMapsSum *src, guint n_keys)
{
	mem_counters_add(&dst->c, &src->c);
	dst->n += src->n;
	for (guint x = 0; x < n_keys; x++) {
		dst->xsum[x] = dst->xsum[x] + src->xsum[x] < dst->xsum[x] ? G_MAXUINT64 : dst->xsum[x] + src->xsum[x];
		dst->xknown[x] |= src->xknown[x];
	}
}

static gboolean is_plain_anon(const MemMapping *m)
{
	return m->kind == MEM_MAP_ANON && m->inode == 0 && m->name_len == 0;
}

static gboolean same_object(const MemMapping *a, const MemMapping *b)
{
	return a->inode != 0 && a->inode == b->inode && a->dev_major == b->dev_major && a->dev_minor == b->dev_minor;
}

/* A thread stack's guard is a few pages (glibc: one page by default, pthread_attr_setguardsize for
 * more); a glibc malloc arena's reserve is what is left of its 64 MiB heap, usually far more. */
#define MAX_GUARD (1024 * 1024)
#define ARENA_HEAP (64 * 1024 * 1024)

/* The rw-p mapping right below maps[i] (---p) and maps[i] are one glibc arena heap: the heap starts
 * on a 64 MiB boundary and with its reserve spans exactly 64 MiB. */
static gboolean is_arena_reserve(const MemMapping *maps, guint i)
{
	const MemMapping *h = i > 0 ? &maps[i - 1] : NULL;

	return h && is_plain_anon(h) && mem_mapping_perms_are(h, "rw-p") && h->end == maps[i].start &&
	       h->start % ARENA_HEAP == 0 && maps[i].end - h->start == ARENA_HEAP;
}

static gboolean named(const MemMapping *m, const char *name)
{
	gsize n = strlen(name);
	return m->name_len == n && memcmp(m->name, name, n) == 0;
}

static gboolean named_prefix(const MemMapping *m, const char *prefix)
{
	gsize n = strlen(prefix);
	return m->name_len > n && memcmp(m->name, prefix, n) == 0;
}

/* A thread stack as the kernel or the C library names it: "[stack:TID]" (Linux 3.4 to 4.4) or bionic's
 * "[anon:stack_and_tls:TID]" (Android); its guard: bionic's "[anon:thread stack guard]". */
static gboolean is_named_stack(const MemMapping *m)
{
	return m->inode == 0 && (named_prefix(m, "[stack:") || named_prefix(m, "[anon:stack_and_tls:"));
}

/* maps[i] is a thread stack's guard: an unnamed anonymous ---p of at most MAX_GUARD, not an arena's
 * reserve, directly followed (no gap) by an unnamed anonymous rw-p mapping, the stack above it, which
 * is not itself an arena's heap; or a guard and a stack that say so by their names. */
static gboolean is_stack_guard(const MemMapping *maps, guint i, guint n)
{
	const MemMapping *m = &maps[i];
	const MemMapping *s = i + 1 < n ? &maps[i + 1] : NULL;
	gboolean guard = (is_plain_anon(m) || (m->inode == 0 && named(m, "[anon:thread stack guard]"))) &&
	                 mem_mapping_perms_are(m, "---p") && m->end - m->start <= MAX_GUARD && !is_arena_reserve(maps, i);

	if (!guard || !s || !mem_mapping_perms_are(s, "rw-p") || s->start != m->end)
		return FALSE;
	if (is_named_stack(s))
		return TRUE;
	return is_plain_anon(m) && is_plain_anon(s) && !(i + 2 < n && is_arena_reserve(maps, i + 2));
}

/* The .bss after a program's or library's writable segment: unnamed private anonymous memory, or
 * Android's "[anon:.bss]". */
static gboolean is_bss(const MemMapping *m)
{
	return (is_plain_anon(m) || (m->kind == MEM_MAP_ANON_NAMED && named(m, "[anon:.bss]"))) &&
	       mem_mapping_perms_are(m, "rw-p");
}

/* maps[i] and maps[i + 1] are one named anonymous area in two pieces (Android's "[anon:dalvik-main
 * space]": the used part rw-p, the reserve ---p): the same "[anon:NAME]", no gap between them. */
static gboolean same_named_anon(const MemMapping *a, const MemMapping *b)
{
	return a->kind == MEM_MAP_ANON_NAMED && b->kind == MEM_MAP_ANON_NAMED && a->end == b->start &&
	       a->name_len == b->name_len && memcmp(a->name, b->name, a->name_len) == 0;
}

/* Groups the mappings into regions.  Rules (see memmaps(1), REGIONS):
 *  - a file region: two or more mappings next to each other in the list with the same dev:inode
 *    (inode != 0), plus the mapping right after its last one when that is an unnamed private anonymous
 *    rw-p mapping starting exactly where the last one ends and the last one is rw-p too (its .bss);
 *  - a stack region: an unnamed anonymous ---p mapping of at most 1 MiB (the guard) directly followed,
 *    with no gap, by an unnamed anonymous rw-p mapping (the thread's stack), unless the ---p is the
 *    reserve of a glibc malloc arena (is_arena_reserve); the stack may be named "[stack:TID]" or
 *    "[anon:stack_and_tls:TID]" and the guard "[anon:thread stack guard]" (is_stack_guard);
 *  - a named region: two or more mappings next to each other, with no gap, with the same
 *    "[anon:NAME]" name (Android's "[anon:dalvik-main space]" and its reserve);
 *  - an arena region: an unnamed anonymous rw-p mapping (a glibc malloc arena's heap, on a 64 MiB
 *    boundary) directly followed by the ---p reserve of the rest of its 64 MiB. */
static void find_regions(MemMapsProc *p, guint n)
{
	const MemMapping *maps;
	guint i = 0;

	if (!n)
		return;
	maps = (const MemMapping *)p->proc->maps->data;
	while (i < n) {
		const MemMapping *m = &maps[i];
		MemMapsRegion g; /* set below once it is a region: zeroing it for every mapping cost more */
		MemRegionKind kind = MEM_REGION_FILE;
		const char *name = NULL;
		gsize name_len = 0;
		guint j = i + 1;

		if (m->inode != 0) {
			while (j < n && same_object(m, &maps[j]))
				j++;
			if (j < n && mem_mapping_perms_are(&maps[j - 1], "rw-p") && is_bss(&maps[j]) &&
			    maps[j].start == maps[j - 1].end)
				j++;
			if (j - i >= 2) {
				name = m->name;
				name_len = m->name_len;
			}
		} else if (is_stack_guard(maps, i, n)) {
			j = i + 2;
			kind = MEM_REGION_STACK;
		} else if (i + 1 < n && same_named_anon(m, &maps[i + 1])) {
			while (j < n && same_named_anon(&maps[j - 1], &maps[j]))
				j++;
			kind = MEM_REGION_NAMED;
			name = m->name;
			name_len = m->name_len;
		} else if (i + 1 < n && is_plain_anon(&maps[i + 1]) && mem_mapping_perms_are(&maps[i + 1], "---p") &&
		           is_arena_reserve(maps, i + 1)) {
			j = i + 2;
			kind = MEM_REGION_ARENA;
		}
		if (j - i < 2) {
			i++;
			continue;
		}
		memset(&g, 0, sizeof g);
		g.kind = kind;
		g.name = name;
		g.name_len = name_len;
		g.first = i;
		g.n = j - i;
		g.shown = g_array_sized_new(FALSE, FALSE, sizeof(guint), g.n);
		for (guint k = i; k < j; k++)
			p->region_of[k] = p->regions->len;
		g_array_append_val(p->regions, g);
		i = j;
	}
}

/* Checks the order of the records: every range goes forward and none overlaps the one before.
 * Returns the number of good records before the first bad one, and sets p->problem. */
static guint check_order(MemMapsReport *r, MemMapsProc *p)
{
	const GArray *maps = p->proc->maps;
	guint64 prev_end = 0;
	g_autofree char *path = NULL;
	const char *what = NULL;
	guint i;

	for (i = 0; i < maps->len; i++) {
		const MemMapping *m = &g_array_index(maps, MemMapping, i);
		if (m->end <= m->start) {
			what = "address range goes backwards or is empty";
			break;
		}
		if (i > 0 && m->start < prev_end) {
			what = "mapping overlaps the one before it";
			break;
		}
		prev_end = m->end;
	}
	if (!what)
		return i;
	{
		const MemMapping *m = &g_array_index(maps, MemMapping, i);
		const char *file = p->proc->maps_from_smaps ? "smaps" : "maps";
		if (r->snap->live)
			path = g_strdup_printf("/proc/%u/%s", p->proc->pid, file);
		else if (r->snap->kind == MEM_SOURCE_TAR)
			path = g_strdup_printf("%s:%u/%s", r->snap->path ? r->snap->path : "-", p->proc->pid, file);
		else
			path = g_strdup_printf("%s/%u/%s", r->snap->path ? r->snap->path : ".", p->proc->pid, file);
		p->problem = g_strdup_printf("%s: line %u: %s (%" G_GINT64_MODIFIER "x-%" G_GINT64_MODIFIER
		                             "x); %u of %u mappings shown", path, m->line, what, m->start, m->end,
		                             i, maps->len);
	}
	return i;
}

/* Sort key of a mapping or a region under the sort column. */
static gboolean item_key(const MemMapsProc *p, const MemMapsItem *it, const MemMapsColumn *col, guint64 *v)
{
	if (it->is_region)
		return mem_maps_sum_value(p, &g_array_index(p->regions, MemMapsRegion, it->index).sum, col, v);
	{
		gboolean has_bytes;
		const char *text;
		const MemMapping *m = &g_array_index(p->proc->maps, MemMapping, it->index);
		return mem_maps_mapping_value(p, m, col, v, &has_bytes, &text) && has_bytes;
	}
}

static guint64 item_start(const MemMapsProc *p, const MemMapsItem *it)
{
	if (it->is_region)
		return g_array_index(p->regions, MemMapsRegion, it->index).start;
	return g_array_index(p->proc->maps, MemMapping, it->index).start;
}

typedef struct {
	const MemMapsProc *p;
	const MemMapsColumn *col;
} SortCtx;

/* Descending by the sort column (unknown last), then by address. */
static gint compare_items(gconstpointer a, gconstpointer b, gpointer data)
{
	const SortCtx *s = data;
	const MemMapsItem *x = a, *y = b;
	guint64 vx = 0, vy = 0;
	gboolean kx = FALSE, ky = FALSE;

	if (s->col) {
		kx = item_key(s->p, x, s->col, &vx);
		ky = item_key(s->p, y, s->col, &vy);
		if (kx != ky)
			return kx ? -1 : 1;
		if (vx != vy)
			return vx > vy ? -1 : 1;
	}
	vx = item_start(s->p, x);
	vy = item_start(s->p, y);
	return vx < vy ? -1 : vx > vy;
}

static gint compare_members(gconstpointer a, gconstpointer b, gpointer data)
{
	MemMapsItem x = { FALSE, *(const guint *)a }, y = { FALSE, *(const guint *)b };
	return compare_items(&x, &y, data);
}

/* The columns of one process: the chosen ones, or with -X every field it has, its extras and VmFlags. */
static GPtrArray *resolve_columns(const MemMapsOptions *o, const MemMapsProc *p)
{
	GPtrArray *cols = g_ptr_array_new_with_free_func(mem_maps_column_free);

	if (!o->all_fields) {
		for (guint i = 0; i < o->columns->len; i++) {
			const MemMapsColumn *c = g_ptr_array_index(o->columns, i);
			MemMapsColumn *copy = g_new0(MemMapsColumn, 1);
			*copy = *c;
			copy->tag = g_strdup(c->tag);
			copy->key = g_strdup(c->key);
			g_ptr_array_add(cols, copy);
		}
		return cols;
	}
	{
		guint32 known = 0;
		gboolean vmflags = FALSE;
		for (guint i = 0; p->proc->maps && i < p->proc->maps->len; i++) {
			const MemMapping *m = &g_array_index(p->proc->maps, MemMapping, i);
			known |= m->known;
			vmflags |= mem_mapping_vmflags(m) != NULL;
		}
		for (int f = 0; f < MEM_F_COUNT; f++)
			if (known & MEM_FIELD_BIT(f)) {
				const char *name = mem_field_name(f);
				g_ptr_array_add(cols, mem_maps_column_key(name, strlen(name)));
			}
		for (guint i = 0; i < p->extra_keys->len; i++) {
			const char *key = g_ptr_array_index(p->extra_keys, i);
			MemMapsColumn *c = g_new0(MemMapsColumn, 1);
			c->kind = MEM_MAPS_COL_EXTRA;
			c->key = g_strdup(key);
			c->tag = g_strdup(key);
			g_ptr_array_add(cols, c);
		}
		if (vmflags)
			g_ptr_array_add(cols, mem_maps_column_key("VmFlags", 7));
	}
	return cols;
}

static void proc_free(gpointer data)
{
	MemMapsProc *p = data;

	if (!p)
		return;
	if (p->regions) {
		for (guint i = 0; i < p->regions->len; i++) {
			MemMapsRegion *g = &g_array_index(p->regions, MemMapsRegion, i);
			g_array_unref(g->shown);
			sum_clear(&g->sum);
		}
		g_array_unref(p->regions);
	}
	g_free(p->region_of);
	if (p->items)
		g_array_unref(p->items);
	if (p->flat)
		g_array_unref(p->flat);
	if (p->extra_keys)
		g_ptr_array_unref(p->extra_keys);
	if (p->columns)
		g_ptr_array_unref(p->columns);
	sum_clear(&p->sum);
	g_free(p->problem);
	g_free(p);
}

guint32 mem_maps_fields_used(const MemMapsOptions *o)
{
	guint32 fields = 0;

	if (!o->column_sums || o->all_fields)
		return G_MAXUINT32;
	for (guint i = 0; i <= o->columns->len; i++) {
		const MemMapsColumn *c = i < o->columns->len ? g_ptr_array_index(o->columns, i) : o->sort;
		if (c && c->kind == MEM_MAPS_COL_FIELD)
			fields |= MEM_FIELD_BIT(c->f[0]);
		else if (c && c->kind == MEM_MAPS_COL_SUM)
			fields |= MEM_FIELD_BIT(c->f[0]) | MEM_FIELD_BIT(c->f[1]);
	}
	return fields;
}

static void build_proc(MemMapsReport *r, MemMapsProc *p)
{
	const MemMapsOptions *o = r->opts;
	GArray *maps = p->proc->maps;
	guint n = maps ? maps->len : 0, n_good, n_items = 0;
	Picks picks = { mem_maps_fields_used(o), 0, 0, { 0 }, { 0 } };
	g_autofree guint *n_members = NULL; /* per region: its members shown so far */
	MemMapsItem *items;
	SortCtx ctx = { p, o->sort };

	p->regions = g_array_new(FALSE, FALSE, sizeof(MemMapsRegion));
	p->items = g_array_new(FALSE, FALSE, sizeof(MemMapsItem));
	p->flat = g_array_new(FALSE, FALSE, sizeof(guint));
	p->extra_keys = g_ptr_array_new();
	p->region_of = g_new(guint, n ? n : 1);
	for (guint i = 0; i < n; i++) {
		const MemMapping *m = &g_array_index(maps, MemMapping, i);
		const MemMapExtra *extra = mem_mapping_extra(m);

		p->region_of[i] = G_MAXUINT;
		for (guint k = 0; k < mem_mapping_n_extra(m); k++)
			if (extra_index(p, extra[k].key) < 0)
				g_ptr_array_add(p->extra_keys, (gpointer)extra[k].key);
	}
	n_good = n ? check_order(r, p) : 0;
	find_regions(p, n_good);
	sum_init(&p->sum, p->extra_keys->len);
	for (guint i = 0; i < p->regions->len; i++)
		sum_init(&g_array_index(p->regions, MemMapsRegion, i).sum, p->extra_keys->len);
	/* the lists are written in place, made as long as they can get and cut to length after */
	n_members = g_new0(guint, p->regions->len + 1);
	g_array_set_size(p->flat, n_good);
	items = (MemMapsItem *)(void *)g_array_set_size(p->items, n_good)->data;
	for (guint i = 0; i < n_good; i++) {
		const MemMapping *m = &g_array_index(maps, MemMapping, i);
		if (o->has_range && (m->end <= o->low || m->start >= o->high))
			continue;
		g_array_index(p->flat, guint, p->n_shown++) = i;
		if (p->region_of[i] == G_MAXUINT) {
			items[n_items++] = (MemMapsItem){ FALSE, i };
			sum_add(p, &p->sum, m, &picks);
		} else {
			MemMapsRegion *g = &g_array_index(p->regions, MemMapsRegion, p->region_of[i]);
			guint *k = &n_members[p->region_of[i]];
			if (!*k) {
				items[n_items++] = (MemMapsItem){ TRUE, p->region_of[i] };
				g->start = m->start;
				g_array_set_size(g->shown, g->n);
			}
			g->end = m->end;
			g_array_index(g->shown, guint, (*k)++) = i;
			sum_add(p, &g->sum, m, &picks);
		}
	}
	g_array_set_size(p->flat, p->n_shown);
	g_array_set_size(p->items, n_items);
	for (guint i = 0; i < p->regions->len; i++)
		g_array_set_size(g_array_index(p->regions, MemMapsRegion, i).shown, n_members[i]);
	/* the process's sum: the mappings outside regions (above), then each region's sum once */
	for (guint i = 0; i < p->regions->len; i++)
		sum_merge(&p->sum, &g_array_index(p->regions, MemMapsRegion, i).sum, p->extra_keys->len);
	p->use_rollup = p->proc->mem_from_rollup && !o->has_range && !p->problem;
	p->columns = resolve_columns(o, p);
	if (o->sort) {
		g_array_sort_with_data(p->items, compare_items, &ctx);
		g_array_sort_with_data(p->flat, compare_members, &ctx);
		for (guint i = 0; i < p->regions->len; i++)
			g_array_sort_with_data(g_array_index(p->regions, MemMapsRegion, i).shown, compare_members, &ctx);
	}
}

MemMapsReport *mem_maps_report_new(MemSnapshot *snap, const guint32 *pids, guint n_pids, const MemMapsOptions *o)
{
	MemMapsReport *r = g_new0(MemMapsReport, 1);

	r->snap = snap;
	r->opts = o;
	r->procs = g_ptr_array_new_with_free_func(proc_free);
	for (guint i = 0; i < n_pids; i++) {
		MemProcess *proc = mem_snapshot_find(snap, pids[i]);
		MemMapsProc *p;
		if (!proc)
			continue;
		p = g_new0(MemMapsProc, 1);
		p->proc = proc;
		build_proc(r, p);
		g_ptr_array_add(r->procs, p);
		mem_state_tally_add(&r->states, proc);
		if (proc->state == MEM_PROC_OK)
			mem_counters_add(&r->total, &p->sum.c);
		if (p->problem)
			r->n_bad++;
	}
	return r;
}

void mem_maps_report_free(MemMapsReport *r)
{
	if (!r)
		return;
	g_ptr_array_unref(r->procs);
	g_free(r);
}

char *mem_maps_report_summary(const MemMapsReport *r)
{
	return mem_state_tally_summary(&r->states);
}
