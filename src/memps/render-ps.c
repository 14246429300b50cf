/* render-ps.c: the JSON renderer of the memps report (schema memps/1) (rendering layer) */
#include "config.h"

#include <pthread.h>
#include <string.h>

#include "error.h"
#include "columns-ps.h"
#include "json-writer.h"
#include "render-ps.h"

/* Key of every byte metric in JSON, by MemMetric. */
static const char *const metric_keys[MEM_M_COUNT] = {
	[MEM_M_PSS] = "pss_bytes",
	[MEM_M_PRIVATE] = "private_bytes",
	[MEM_M_SHARED] = "shared_bytes",
	[MEM_M_RSS] = "rss_bytes",
	[MEM_M_USS] = "uss_bytes",
	[MEM_M_SWAP] = "swap_bytes",
	[MEM_M_SWAP_PSS] = "swap_pss_bytes",
	[MEM_M_PSS_ANON] = "pss_anon_bytes",
	[MEM_M_PSS_FILE] = "pss_file_bytes",
	[MEM_M_PSS_SHMEM] = "pss_shmem_bytes",
	[MEM_M_PSS_DIRTY] = "pss_dirty_bytes",
	[MEM_M_PRIVATE_CLEAN] = "private_clean_bytes",
	[MEM_M_PRIVATE_DIRTY] = "private_dirty_bytes",
	[MEM_M_SHARED_CLEAN] = "shared_clean_bytes",
	[MEM_M_SHARED_DIRTY] = "shared_dirty_bytes",
	[MEM_M_VSS] = "vss_bytes",
	[MEM_M_HUGETLB] = "hugetlb_bytes",
};

static void metric(MemJsonWriter *w, const MemMetrics *m, MemMetric i)
{
	mem_json_key(w, metric_keys[i]);
	if (mem_metrics_has(m, i))
		mem_json_uint(w, m->v[i]);
	else
		mem_json_null(w);
}

static void write_process(const MemPsReport *r, MemJsonWriter *w, const MemProcess *p)
{
	MemMetrics m;
	const char *user = p->has_uid ? mem_snapshot_user_name(r->snap, p->uid) : NULL;

	mem_process_metrics(p, &m);
	mem_json_begin_object(w);
	mem_json_key(w, "pid");
	mem_json_uint(w, p->pid);
	mem_json_key(w, "ppid");
	if (p->ppid >= 0)
		mem_json_int(w, p->ppid);
	else
		mem_json_null(w);
	mem_json_key(w, "uid");
	if (p->has_uid)
		mem_json_uint(w, p->uid);
	else
		mem_json_null(w);
	mem_json_key(w, "user");
	mem_json_string(w, user);
	mem_json_key(w, "name");
	mem_json_string(w, p->name);
	mem_json_key(w, "cmdline");
	mem_json_begin_array(w);
	for (guint i = 0; p->cmdline && i < p->cmdline->len; i++)
		mem_json_string(w, g_ptr_array_index(p->cmdline, i));
	mem_json_end_array(w);
	mem_json_key(w, "cmdline_cut");
	if (p->cmdline_cut.args_dropped || p->cmdline_cut.bytes_dropped) {
		mem_json_begin_object(w);
		mem_json_key(w, "args_dropped");
		mem_json_uint(w, p->cmdline_cut.args_dropped);
		mem_json_key(w, "bytes_dropped");
		mem_json_uint(w, p->cmdline_cut.bytes_dropped);
		mem_json_end_object(w);
	} else {
		mem_json_null(w);
	}
	mem_json_key(w, "job");
	mem_json_string(w, p->job);
	mem_json_key(w, "job_hierarchy");
	mem_json_string(w, p->job ? mem_job_hierarchy_name(p->job_hierarchy) : NULL);
	mem_json_key(w, "state");
	mem_json_string(w, mem_proc_state_name(p->state));
	mem_json_key(w, "error");
	mem_json_string(w, mem_proc_error_name(p));
	mem_json_key(w, "source");
	mem_json_string(w, p->state != MEM_PROC_OK ? NULL : p->mem_from_rollup ? "smaps_rollup" : "smaps");
	for (int i = 0; i < MEM_M_COUNT; i++)
		metric(w, &m, i);
	mem_json_key(w, "status_rss_bytes");
	if (p->has_status_rss)
		mem_json_uint(w, p->status_rss);
	else
		mem_json_null(w);
	mem_json_end_object(w);
}

/* A sum: every metric key, null where the metric does not add up or no member was measured. */
static void write_tally(MemJsonWriter *w, const MemTally *t)
{
	MemMetrics m;

	mem_ps_sum_metrics(t, &m);
	for (int i = 0; i < MEM_M_COUNT; i++)
		metric(w, &m, i);
	mem_json_key(w, "processes");
	mem_json_uint(w, t->n_ok);
	mem_json_key(w, "missing");
	mem_json_uint(w, t->n_missing);
	mem_json_key(w, "partial");
	mem_json_bool(w, t->n_missing > 0);
}

void mem_render_ps_json(const MemPsReport *r, gboolean pretty, const MemFlush *flush, GString *out)
{
	g_autoptr(MemJsonWriter) w = mem_json_writer_new(out, pretty);
	const MemSnapshot *snap = r->snap;

	mem_json_begin_object(w);
	mem_json_header_snapshot(w, "memps/1", snap);

	mem_json_key(w, "processes");
	mem_json_begin_array(w);
	for (guint i = 0; i < r->selected->len; i++) {
		write_process(r, w, g_ptr_array_index(r->selected, i));
		mem_flush_maybe(out, flush);
	}
	mem_json_end_array(w);

	mem_json_key(w, "jobs");
	mem_json_begin_array(w);
	for (guint i = 0; i < r->jobs->len; i++) {
		const MemPsNode *j = g_ptr_array_index(r->jobs, i);
		mem_json_begin_object(w);
		mem_json_key(w, "id");
		mem_json_string_len(w, j->id, j->id_len);
		mem_json_key(w, "parent");
		if (j->parent)
			mem_json_string_len(w, j->parent->id, j->parent->id_len);
		else
			mem_json_null(w);
		mem_json_key(w, "hierarchy");
		mem_json_string(w, mem_job_hierarchy_name(j->hierarchy));
		write_tally(w, j->tally);
		mem_json_end_object(w);
		mem_flush_maybe(out, flush);
	}
	mem_json_end_array(w);

	if (r->opts.group == MEM_GROUP_NONE && r->opts.tree == MEM_TREE_PARENT) {
		mem_json_key(w, "subtrees");
		mem_json_begin_array(w);
		for (guint i = 0; i < r->subtrees->len; i++) {
			const MemPsNode *s = g_ptr_array_index(r->subtrees, i);
			mem_json_begin_object(w);
			mem_json_key(w, "pid");
			mem_json_uint(w, s->proc->pid);
			mem_json_key(w, "parent");
			if (s->parent)
				mem_json_uint(w, s->parent->proc->pid);
			else
				mem_json_null(w);
			write_tally(w, s->tally);
			mem_json_end_object(w);
			mem_flush_maybe(out, flush);
		}
		mem_json_end_array(w);
	}

	if (r->opts.group != MEM_GROUP_NONE) {
		mem_json_key(w, "groups");
		mem_json_begin_array(w);
		for (guint i = 0; i < r->roots->len; i++) {
			const MemPsNode *g = g_ptr_array_index(r->roots, i);
			mem_json_begin_object(w);
			mem_json_key(w, "kind");
			mem_json_string(w, r->opts.group == MEM_GROUP_USER ? "user" : "program");
			mem_json_key(w, "name");
			mem_json_string_len(w, g->id, g->id_len);
			mem_json_key(w, "uid");
			if (g->has_uid)
				mem_json_uint(w, g->uid);
			else
				mem_json_null(w);
			write_tally(w, g->tally);
			mem_json_end_object(w);
		}
		mem_json_end_array(w);
	}

	mem_json_key(w, "totals");
	mem_json_begin_object(w);
	write_tally(w, &r->totals);
	mem_json_end_object(w);
	mem_json_key(w, "unreadable");
	mem_json_uint(w, r->states.n[MEM_PROC_UNREADABLE]);
	mem_json_key(w, "vanished");
	mem_json_uint(w, r->states.n[MEM_PROC_VANISHED]);
	mem_json_key(w, "zombies");
	mem_json_uint(w, r->states.n[MEM_PROC_ZOMBIE]);
	mem_json_key(w, "skipped");
	mem_json_uint(w, r->states.n[MEM_PROC_SKIPPED]);
	mem_json_key(w, "kernel_threads");
	mem_json_uint(w, r->states.n[MEM_PROC_KERNEL]);
	mem_json_key(w, "problems");
	mem_json_begin_array(w);
	for (guint i = 0; i < snap->problems->len; i++)
		mem_json_string(w, g_ptr_array_index(snap->problems, i));
	mem_json_end_array(w);
	mem_json_end_object(w);
	g_string_append_c(out, '\n');
}

typedef struct {
	const MemPsReport *r;
	const GPtrArray *cols;
} Pieces;

/* A MemPieceFunc over the report's rows (pos: a guint). */
static MemTable *next_piece(gconstpointer data, gpointer pos)
{
	const Pieces *p = data;

	return mem_ps_report_table_piece(p->r, p->cols, pos);
}

/* The text table of a big report is built and drawn by two threads: at 10 000 processes the pieces
 * (built twice: widths, then rows) are ~50 M instructions after the scan, on one CPU while the other
 * is idle.  The helper takes the odd pieces, the caller the even ones; the helper hands each drawn
 * piece over in one slot, so at most one waits, and the caller writes them in order.  The pieces are
 * half the size of one-thread pieces, and a drawn piece goes to the writer whole, not through the
 * caller's text: rows in memory at once stay at one piece's worth (peak RSS, a bench target). */
#define DUO_ROWS (MEM_PS_PIECE_ROWS / 2)

typedef struct {
	const MemPsReport *r;
	const GPtrArray *cols;
	const MemTextOptions *o;
	MemTextOptions quiet; /* the helper's: *o without flushing (the caller writes) */
	guint n;              /* pieces */
	MemTextWidths w;      /* the first pass: the helper's widths; the second: every piece's */
	gboolean draw;        /* the second pass */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	GString *slot;        /* under lock: a drawn piece the caller has not taken */
} Duo;

static MemTable *piece_at(const Duo *d, guint k)
{
	return mem_ps_report_table_span(d->r, d->cols, k * DUO_ROWS, (k + 1) * DUO_ROWS);
}

static void *duo_helper(void *data)
{
	Duo *d = data;

	for (guint k = 1; k < d->n; k += 2) {
		g_autoptr(MemTable) t = piece_at(d, k);
		GString *s;

		if (!d->draw) {
			mem_text_widths_add(&d->w, t, d->o);
			continue;
		}
		s = g_string_new(NULL);
		mem_text_rows(t, &d->quiet, &d->w, s);
		pthread_mutex_lock(&d->lock);
		while (d->slot)
			pthread_cond_wait(&d->cond, &d->lock);
		d->slot = s;
		pthread_cond_broadcast(&d->cond);
		pthread_mutex_unlock(&d->lock);
	}
	return NULL;
}

/* Whether the report's table is worth two threads, and may be built on two: not the USER column,
 * which looks names up in the snapshot's cache as it goes. */
static gboolean duo_fits(const GPtrArray *cols, guint n)
{
	if (n < 8 || mem_cpu_count() < 2)
		return FALSE;
	for (guint c = 0; c < cols->len; c++)
		if (((const MemColumn *)g_ptr_array_index(cols, c))->kind == MEM_COL_USER)
			return FALSE;
	return TRUE;
}

static void render_duo(Duo *d, const MemTable *first, GString *out)
{
	MemTextWidths w;
	pthread_t thread;
	gboolean started;

	d->quiet = *d->o;
	d->quiet.flush.func = NULL;
	mem_text_widths_init(&w, first);
	mem_text_widths_init(&d->w, first);
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->cond, NULL);
	for (int pass = 0; pass < 2; pass++) {
		d->draw = pass == 1;
		if (!(started = pthread_create(&thread, NULL, duo_helper, d) == 0) && pass == 0)
			duo_helper(d); /* no thread: the caller takes the helper's widths too */
		for (guint k = 0; k < d->n; k++) {
			gboolean mine = k % 2 == 0 || (!started && pass == 1);
			g_autoptr(MemTable) t = k > 0 && mine ? piece_at(d, k) : NULL;
			const MemTable *tk = k == 0 ? first : t;

			if (pass == 0) {
				if (mine)
					mem_text_widths_add(&w, tk, d->o);
				continue;
			}
			if (k == 0)
				mem_text_header(first, d->o, &d->w, out);
			if (mine) {
				mem_text_rows(tk, d->o, &d->w, out);
			} else {
				GString *s;

				pthread_mutex_lock(&d->lock);
				while (!d->slot)
					pthread_cond_wait(&d->cond, &d->lock);
				s = d->slot;
				d->slot = NULL;
				pthread_cond_broadcast(&d->cond);
				pthread_mutex_unlock(&d->lock);
				if (d->o->flush.func) { /* written as it is, after what the caller has */
					d->o->flush.func(out, d->o->flush.data);
					d->o->flush.func(s, d->o->flush.data);
				} else {
					g_string_append_len(out, s->str, (gssize)s->len);
				}
				g_string_free(s, TRUE);
			}
			mem_flush_maybe(out, &d->o->flush);
		}
		if (started)
			pthread_join(thread, NULL);
		if (pass == 0) {
			/* every piece's widths: the caller's and the helper's */
			d->w.w0 = MAX(d->w.w0, w.w0);
			for (guint c = 0; c < w.n_cols; c++)
				d->w.w[c] = MAX(d->w.w[c], w.w[c]);
		}
	}
	if (first->repeat_header)
		mem_text_header(first, d->o, &d->w, out);
	pthread_mutex_destroy(&d->lock);
	pthread_cond_destroy(&d->cond);
	mem_text_widths_clear(&w);
	mem_text_widths_clear(&d->w);
}

void mem_render_ps_table(const MemPsReport *r, const GPtrArray *cols, gboolean csv, const MemTextOptions *o,
                         GString *out)
{
	Pieces data = { r, cols };
	guint pos = 0, n = MAX(1u, (r->nodes->len + DUO_ROWS - 1) / DUO_ROWS);
	g_autoptr(MemTable) first = NULL;

	if (!csv && duo_fits(cols, n)) {
		Duo d = { .r = r, .cols = cols, .o = o, .n = n };

		first = piece_at(&d, 0);
		render_duo(&d, first, out);
		return;
	}
	first = mem_ps_report_table_piece(r, cols, &pos);
	mem_render_pieces(first, next_piece, &data, &pos, sizeof pos, csv, o, out);
}
