/* compare-diff.c: matching rows across sides, their sums, deltas and medians (accounting layer) */
#include "config.h"

#include <string.h>

#include "account.h"
#include "compare-diff.h"

#define ALL_FIGURES ((guint8)((1u << MEM_DIFF_N_FIGURES) - 1))

const char *mem_diff_match_name(MemDiffMatch m)
{
	return m == MEM_DIFF_MATCH_CMDLINE ? "cmdline" : m == MEM_DIFF_MATCH_ARGV0 ? "argv0" : "comm";
}

gboolean mem_diff_row_delta(const MemDiffRow *r, MemDiffFigure f, gint64 *delta)
{
	guint64 a = r->old.v[f], b = r->new.v[f];

	if (!((r->old.known >> f) & 1u) || !((r->new.known >> f) & 1u) || a > G_MAXINT64 || b > G_MAXINT64)
		return FALSE;
	*delta = (gint64)b - (gint64)a;
	return TRUE;
}

gboolean mem_diff_row_changed(const MemDiffRow *r)
{
	if (!r->old.present || !r->new.present)
		return TRUE;
	for (int f = 0; f < MEM_DIFF_N_FIGURES; f++) {
		gint64 d;
		if (!mem_diff_row_delta(r, (MemDiffFigure)f, &d) || d != 0)
			return TRUE;
	}
	return FALSE;
}

const char *mem_diff_row_status(const MemDiffRow *r)
{
	gint64 d;

	if (!r->old.present)
		return "appeared";
	if (!r->new.present)
		return "disappeared";
	if (!mem_diff_row_delta(r, MEM_DIFF_PSS, &d))
		return "unknown";
	return mem_diff_row_changed(r) ? "changed" : "same";
}

static void row_free(gpointer data)
{
	MemDiffRow *r = data;

	g_free(r->job);
	g_free(r->cmdline);
	g_free(r->name);
	g_free(r);
}

void mem_diff_report_free(MemDiffReport *r)
{
	if (!r)
		return;
	g_ptr_array_unref(r->rows);
	g_free(r->maps_of);
	g_free(r);
}

static void sum_init(MemDiffSum *s)
{
	memset(s, 0, sizeof *s);
	s->known = ALL_FIGURES;   /* an empty sum is an exact 0 */
}

static void sum_add(MemDiffSum *s, const MemDiffProc *p)
{
	s->present = TRUE;
	s->n_procs++;
	if (!p->measured)
		s->n_unmeasured++;
	s->known &= p->measured ? p->known : 0;
	for (int f = 0; f < MEM_DIFF_N_FIGURES; f++)
		s->v[f] = p->v[f] > G_MAXUINT64 - s->v[f] ? G_MAXUINT64 : s->v[f] + p->v[f];
}

/* Per side: row key (GBytes) -> MemDiffSum*. */
typedef struct {
	GHashTable *rows;     /* GBytes* -> MemDiffRow*, every side's (owns the rows until they are moved) */
	GHashTable **sums;    /* per side: GBytes* -> MemDiffSum* */
	guint side;
} Builder;

static MemDiffSum *sum_for(Builder *b, GBytes *key, MemDiffRow *(*make)(gconstpointer), gconstpointer make_data)
{
	MemDiffSum *s = g_hash_table_lookup(b->sums[b->side], key);

	if (!g_hash_table_contains(b->rows, key))
		g_hash_table_insert(b->rows, g_bytes_ref(key), make(make_data));
	if (!s) {
		s = g_new(MemDiffSum, 1);
		sum_init(s);
		g_hash_table_insert(b->sums[b->side], g_bytes_ref(key), s);
	}
	return s;
}

static MemDiffRow *make_total(gconstpointer data)
{
	MemDiffRow *r = g_new0(MemDiffRow, 1);

	r->kind = MEM_DIFF_TOTAL;
	r->name = g_strdup("total");
	return r;
}

static MemDiffRow *make_job(gconstpointer data)
{
	MemDiffRow *r = g_new0(MemDiffRow, 1);

	r->kind = MEM_DIFF_JOB;
	r->job = g_strdup(data);
	r->name = g_strdup(data);
	return r;
}

typedef struct {
	const MemDiffProc *p;
	MemDiffMatch match;
	GString *shown;       /* the command line joined by spaces, or comm */
} ProgramKey;

static MemDiffRow *make_program(gconstpointer data)
{
	const ProgramKey *k = data;
	MemDiffRow *r = g_new0(MemDiffRow, 1);
	const char *a0 = k->p->argv && k->p->argv->len ? g_ptr_array_index(k->p->argv, 0) : NULL;
	gsize len = 0;
	const char *name = mem_program_name(a0, k->p->name, &len);

	r->kind = MEM_DIFF_PROGRAM;
	r->job = g_strdup(k->p->job);
	r->cmdline = g_strndup(k->shown->str, k->shown->len);
	r->name = g_strndup(name, len);
	r->match = k->match;
	return r;
}

/* A program's key: its cgroup and what it is matched by, each part NUL-terminated. */
static GBytes *program_key(const MemDiffProc *p, gboolean argv0_only, ProgramKey *k)
{
	GString *key = g_string_new("p");
	guint n = p->argv ? p->argv->len : 0;

	if (n && argv0_only)
		n = 1;
	k->p = p;
	k->match = n == 0 ? MEM_DIFF_MATCH_COMM : argv0_only ? MEM_DIFF_MATCH_ARGV0 : MEM_DIFF_MATCH_CMDLINE;
	g_string_truncate(k->shown, 0);
	if (p->job)
		g_string_append(key, p->job);
	g_string_append_c(key, '\0');
	g_string_append_c(key, (char)('0' + k->match));
	for (guint a = 0; a < n; a++) {
		const char *arg = g_ptr_array_index(p->argv, a);
		g_string_append_len(key, arg, (gssize)strlen(arg) + 1);
		if (a)
			g_string_append_c(k->shown, ' ');
		g_string_append(k->shown, arg);
	}
	if (n == 0) {
		g_string_append(key, p->name);
		g_string_append(k->shown, p->name);
	}
	{
		gsize len = key->len;
		return g_bytes_new_take(g_string_free(key, FALSE), len);
	}
}

static void add_side(Builder *b, const MemDiffSide *s, gboolean argv0_only)
{
	g_autoptr(GBytes) total = g_bytes_new_static("t", 1);
	ProgramKey k = { .shown = g_string_new(NULL) };

	for (guint i = 0; i < s->procs->len; i++) {
		const MemDiffProc *p = g_ptr_array_index(s->procs, i);
		g_autoptr(GBytes) pkey = program_key(p, argv0_only, &k);

		sum_add(sum_for(b, total, make_total, NULL), p);
		sum_add(sum_for(b, pkey, make_program, &k), p);
		if (p->job && p->job[0] == '/') { /* the job and every cgroup above it */
			g_autofree char *path = g_strdup(p->job);
			for (;;) {
				g_autofree char *kb = g_strconcat("j", path, NULL);
				g_autoptr(GBytes) jkey = g_bytes_new(kb, strlen(kb));
				char *slash;

				sum_add(sum_for(b, jkey, make_job, path), p);
				if (strcmp(path, "/") == 0)
					break;
				slash = strrchr(path, '/');
				slash[slash == path] = '\0';
			}
		}
	}
	g_string_free(k.shown, TRUE);
}

static guint64 median_u64(guint64 *v, guint n)
{
	guint64 a, b;

	for (guint i = 1; i < n; i++) /* insertion sort: n is the number of NEW sides */
		for (guint j = i; j > 0 && v[j - 1] > v[j]; j--) {
			guint64 t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	if (n % 2)
		return v[n / 2];
	a = v[n / 2 - 1];
	b = v[n / 2];
	return a / 2 + b / 2 + (a % 2 + b % 2) / 2;
}

/* The NEW value of a row: the one side's, or the median over the sides holding it. */
static void median_sum(MemDiffSum *out, MemDiffSum **sums, guint n_sides)
{
	g_autofree guint64 *vals = g_new(guint64, n_sides);
	guint n = 0;

	sum_init(out);
	for (guint i = 0; i < n_sides; i++)
		n += sums[i] != NULL;
	if (n * 2 <= n_sides)
		return;           /* absent */
	out->present = TRUE;
	for (int f = 0; f <= MEM_DIFF_N_FIGURES; f++) { /* f == N: the process count */
		guint m = 0;
		for (guint i = 0; i < n_sides; i++) {
			if (!sums[i])
				continue;
			if (f == MEM_DIFF_N_FIGURES) {
				vals[m++] = sums[i]->n_procs;
				out->n_unmeasured = MAX(out->n_unmeasured, sums[i]->n_unmeasured);
			} else {
				vals[m++] = sums[i]->v[f];
				if (!((sums[i]->known >> f) & 1u))
					out->known &= (guint8)~(1u << f);
			}
		}
		if (f == MEM_DIFF_N_FIGURES)
			out->n_procs = (guint)median_u64(vals, m);
		else
			out->v[f] = median_u64(vals, m);
	}
}

static gint64 sort_key(const MemDiffRow *r, gboolean *known)
{
	gint64 d = 0;

	*known = mem_diff_row_delta(r, MEM_DIFF_PSS, &d);
	return d;
}

static gint compare_rows(gconstpointer pa, gconstpointer pb)
{
	const MemDiffRow *a = *(const MemDiffRow *const *)pa, *b = *(const MemDiffRow *const *)pb;
	gboolean ka, kb;
	gint64 da = sort_key(a, &ka), db = sort_key(b, &kb);
	int c;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (ka != kb)
		return ka ? -1 : 1;
	if (da != db)
		return da > db ? -1 : 1;
	if ((c = g_strcmp0(a->name, b->name)) != 0)
		return c;
	if ((c = g_strcmp0(a->job, b->job)) != 0)
		return c;
	return g_strcmp0(a->cmdline, b->cmdline);
}

MemDiffReport *mem_diff_report_new(MemDiffSide *old, GPtrArray *new_sides)
{
	MemDiffReport *r = g_new0(MemDiffReport, 1);
	guint n_sides = new_sides->len + 1;
	Builder b = { 0 };
	GHashTableIter it;
	gpointer key, value;
	g_autofree MemDiffSum **sums = g_new(MemDiffSum *, n_sides);

	r->old = old;
	r->new = new_sides;
	r->rows = g_ptr_array_new_with_free_func(row_free);
	r->argv0_only = old->argv0_only;
	for (guint i = 0; i < new_sides->len; i++)
		r->argv0_only |= ((MemDiffSide *)g_ptr_array_index(new_sides, i))->argv0_only;
	b.rows = g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, NULL);
	b.sums = g_new(GHashTable *, n_sides);
	for (b.side = 0; b.side < n_sides; b.side++) {
		b.sums[b.side] = g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, g_free);
		add_side(&b, b.side ? g_ptr_array_index(new_sides, b.side - 1) : old, r->argv0_only);
	}
	g_hash_table_iter_init(&it, b.rows);
	while (g_hash_table_iter_next(&it, &key, &value)) {
		MemDiffRow *row = value;
		MemDiffSum *o, empty;

		sum_init(&empty);
		empty.present = TRUE;
		for (guint i = 0; i < n_sides; i++) /* every side has a total, even one without processes */
			if (!(sums[i] = g_hash_table_lookup(b.sums[i], key)) && row->kind == MEM_DIFF_TOTAL)
				sums[i] = &empty;
		if ((o = sums[0]))
			row->old = *o;
		else
			sum_init(&row->old);
		median_sum(&row->new, sums + 1, n_sides - 1);
		if (!row->old.present && !row->new.present) { /* in a minority of the NEW sides only */
			row_free(row);
			continue;
		}
		g_ptr_array_add(r->rows, row);
	}
	if (!g_hash_table_size(b.rows)) {   /* no process on any side: the total is still a row */
		MemDiffRow *row = make_total(NULL);
		sum_init(&row->old);
		sum_init(&row->new);
		row->old.present = row->new.present = TRUE;
		g_ptr_array_add(r->rows, row);
	}
	g_ptr_array_sort(r->rows, compare_rows);
	for (guint i = 0; i < n_sides; i++)
		g_hash_table_unref(b.sums[i]);
	g_free(b.sums);
	g_hash_table_unref(b.rows);
	return r;
}

const MemDiffRow *mem_diff_report_find(const MemDiffReport *r, MemDiffKind kind, const char *job)
{
	for (guint i = 0; i < r->rows->len; i++) {
		const MemDiffRow *row = g_ptr_array_index(r->rows, i);
		if (row->kind == kind && (kind == MEM_DIFF_TOTAL || g_strcmp0(row->job, job) == 0))
			return row;
	}
	return NULL;
}
