/* watch-ps.c: memps -w: each process's figure (PSS, or the metric of -s) followed over the samples, as a flat table or JSON Lines (front-end support) */
#include "config.h"

#include <string.h>

#include "columns-ps.h"
#include "json-writer.h"
#include "render-ps.h"
#include "watch-ps.h"

void mem_watch_ps_init(MemWatchPs *w, gboolean growth, const MemColumn *col, MemSource *lazy)
{
	memset(w, 0, sizeof *w);
	w->tracker = mem_watch_tracker_new(lazy);
	w->jobs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	w->growth = growth;
	w->col = col ? col : mem_column_lookup("pss");
	w->title = g_strconcat("d", w->col->title, NULL);
	w->key[0] = g_strconcat(w->col->id, "_bytes", NULL);
	w->key[1] = g_strconcat(w->col->id, "_delta_bytes", NULL);
	w->key[2] = g_strconcat(w->col->id, "_growth_bytes", NULL);
}

void mem_watch_ps_clear(MemWatchPs *w)
{
	g_clear_pointer(&w->tracker, mem_watch_tracker_free);
	g_clear_pointer(&w->jobs, g_hash_table_unref);
	g_clear_pointer(&w->title, g_free);
	for (guint i = 0; i < G_N_ELEMENTS(w->key); i++)
		g_clear_pointer(&w->key[i], g_free);
}

/* The figure followed, of metrics m: FALSE when unknown. */
static gboolean value_of(const MemWatchPs *w, const MemMetrics *m, gint64 *v)
{
	*v = (gint64)m->v[w->col->metric];
	return mem_metrics_has(m, w->col->metric) && m->v[w->col->metric] <= G_MAXINT64;
}

static gboolean job_gone(gpointer key, gpointer value, gpointer data)
{
	(void)key;
	return ((MemWatchJob *)value)->seen != *(guint64 *)data;
}

/* The jobs' sums into the sample (matched by cgroup path). */
static void track_jobs(MemWatchPs *w, const MemPsReport *r)
{
	w->samples++;
	for (guint i = 0; i < r->jobs->len; i++) {
		const MemPsNode *j = g_ptr_array_index(r->jobs, i);
		g_autofree char *id = g_strndup(j->id, j->id_len);
		MemWatchJob *x = g_hash_table_lookup(w->jobs, id);
		MemMetrics m;
		gint64 v;
		gboolean known;

		if (x) {
			x->change = MEM_WATCH_SEEN;
		} else {
			x = g_new0(MemWatchJob, 1);
			x->change = w->samples == 1 ? MEM_WATCH_FIRST : MEM_WATCH_NEW;
			g_hash_table_insert(w->jobs, g_steal_pointer(&id), x);
		}
		x->seen = w->samples;
		mem_ps_sum_metrics(j->tally, &m);
		known = value_of(w, &m, &v);
		mem_watch_value_push(&x->value, known, v);
	}
	g_hash_table_foreach_remove(w->jobs, job_gone, &w->samples);
}

void mem_watch_ps_track(MemWatchPs *w, const MemPsReport *r)
{
	g_autoptr(GPtrArray) procs = g_ptr_array_sized_new(r->selected->len);
	MemMetrics m;
	gint64 total;
	gboolean known_total;

	for (guint i = 0; i < r->selected->len; i++) {
		const MemProcess *p = g_ptr_array_index(r->selected, i);

		if (p->state != MEM_PROC_KERNEL || r->opts.kernel)
			g_ptr_array_add(procs, (gpointer)p);
	}
	mem_watch_tracker_begin(w->tracker, procs);
	for (guint i = 0; i < procs->len; i++) {
		const MemProcess *p = g_ptr_array_index(procs, i);
		gint64 v;
		gboolean known;

		mem_process_metrics(p, &m);
		known = value_of(w, &m, &v);
		mem_watch_tracker_see(w->tracker, p, known, v);
	}
	w->vanished = mem_watch_tracker_end(w->tracker);
	mem_ps_sum_metrics(&r->totals, &m);
	known_total = value_of(w, &m, &total);
	mem_watch_value_push(&w->total, known_total, total);
	track_jobs(w, r);
}

/* The entries of the sample in the order shown: the report's processes (its order, or by growth), then
 * the vanished ones. */
static GPtrArray *entries_shown(MemWatchPs *w, const MemPsReport *r, gboolean only_nodes)
{
	GPtrArray *e = g_ptr_array_new();

	if (only_nodes) {
		for (guint i = 0; i < r->nodes->len; i++) {
			const MemPsNode *n = g_ptr_array_index(r->nodes, i);
			MemWatchEntry *x = n->kind == MEM_PS_PROC ? mem_watch_tracker_find(w->tracker, n->proc) : NULL;
			if (x)
				g_ptr_array_add(e, x);
		}
	} else {
		for (guint i = 0; i < r->selected->len; i++) {
			MemWatchEntry *x = mem_watch_tracker_find(w->tracker, g_ptr_array_index(r->selected, i));
			if (x)
				g_ptr_array_add(e, x);
		}
	}
	if (w->growth)
		g_ptr_array_sort_with_data(e, mem_watch_entry_compare_growth, r->opts.reverse ? e : NULL);
	g_ptr_array_extend(e, w->vanished, NULL, NULL);
	return e;
}

/* Copies a row of the report's table (its text cells pointing into that table, which outlives t). */
static MemRow *copy_row(MemTable *t, const MemRow *from, guint n_cols)
{
	MemRow *row = mem_table_add_row(t, from->kind, 0);

	mem_row_set_label(row, "", from->label, from->label_len);
	mem_row_set_name(row, from->name, from->name_len);
	if (from->note)
		mem_row_set_note(row, from->note);
	for (guint c = 0; c < n_cols; c++) {
		row->cells[c] = from->cells[c];
		if (row->cells[c].kind == MEM_CELL_TEXT)
			row->cells[c].text_static = TRUE;
	}
	return row;
}

void mem_watch_ps_render_table(MemWatchPs *w, const MemPsReport *r, const GPtrArray *cols, gboolean csv,
                               gboolean header, guint64 sample, const char *time, const MemTextOptions *o,
                               GString *out)
{
	g_autoptr(MemTable) base = mem_ps_report_table(r, cols);
	g_autoptr(MemTable) t = mem_table_new(base->first_title, base->last_title, cols->len + mem_watch_columns(csv));
	g_autoptr(GPtrArray) shown = entries_shown(w, r, TRUE);
	g_autoptr(GHashTable) rows = g_hash_table_new(NULL, NULL); /* MemWatchEntry* -> 1 + its node's index */
	guint at = cols->len;

	for (guint c = 0; c < cols->len; c++) {
		mem_table_set_column(t, c, base->titles[c], base->numeric[c]);
		if (base->flag_titles[c])
			mem_table_set_column_flag(t, c, base->flag_titles[c]);
	}
	mem_watch_set_columns(t, at, w->title, csv, o->ascii);
	for (guint i = 0; i < r->nodes->len; i++) {
		const MemPsNode *n = g_ptr_array_index(r->nodes, i);
		MemWatchEntry *x = n->kind == MEM_PS_PROC ? mem_watch_tracker_find(w->tracker, n->proc) : NULL;
		if (x)
			g_hash_table_insert(rows, x, GUINT_TO_POINTER(i + 1));
	}
	for (guint i = 0; i < shown->len; i++) {
		MemWatchEntry *x = g_ptr_array_index(shown, i);
		guint node = GPOINTER_TO_UINT(g_hash_table_lookup(rows, x)); /* 0: vanished */
		const MemRow *from = node ? g_ptr_array_index(base->rows, node - 1) : NULL;
		const MemPsNode *n = node ? g_ptr_array_index(r->nodes, node - 1) : NULL;
		const char *mark = mem_watch_change_note(x->change);
		MemRow *row;

		if (from) {
			row = copy_row(t, from, cols->len);
		} else { /* vanished: gone from the report */
			char label[32];
			row = mem_table_add_row(t, MEM_ROW_MISSING, 0);
			g_snprintf(label, sizeof label, "p:%u", x->pid);
			mem_row_set_label(row, "", label, strlen(label));
			mem_row_set_name(row, x->name, strlen(x->name));
		}
		if (mark) {
			g_autofree char *note = from && from->note ? g_strconcat(mark, " ", from->note, NULL) : NULL;
			mem_row_set_note(row, note ? note : mark);
		}
		mem_watch_set_cells(row, at, x->change == MEM_WATCH_VANISHED ? NULL : &x->value,
		                    x->change == MEM_WATCH_FIRST || x->change == MEM_WATCH_NEW, csv, sample, time, o);
		if (n && n->proc->state == MEM_PROC_KERNEL) /* no user memory: blank, as its figures (unknown */
			row->cells[at] = row->cells[at + 1] = (MemCell){ 0 }; /* cells: no text to free) */
	}
	if (base->rows->len > r->nodes->len) { /* the TOTAL row */
		MemRow *row = copy_row(t, g_ptr_array_index(base->rows, base->rows->len - 1), cols->len);
		mem_watch_set_cells(row, at, &w->total, sample == 1, csv, sample, time, o);
	}
	mem_watch_render_table(t, csv, header, o, out);
}

static void write_value(const MemWatchPs *w, MemJsonWriter *jw, const MemWatchValue *v, gboolean vanished)
{
	mem_json_member_int(jw, w->key[0], v->has_cur && !vanished, v->cur);
	mem_json_member_delta(jw, w->key[1], vanished ? (MemDelta){ 0, FALSE } : mem_watch_value_delta(v));
	mem_json_member_delta(jw, w->key[2], vanished ? (MemDelta){ 0, FALSE } : mem_watch_value_growth(v));
}

void mem_watch_ps_json(MemWatchPs *w, const MemPsReport *r, MemJsonWriter *jw)
{
	g_autoptr(GPtrArray) shown = entries_shown(w, r, FALSE);

	mem_json_begin_object(jw);
	mem_json_key(jw, "metric");
	mem_json_string(jw, w->col->id);
	mem_json_key(jw, "total");
	mem_json_begin_object(jw);
	write_value(w, jw, &w->total, FALSE);
	mem_json_end_object(jw);
	mem_json_key(jw, "processes");
	mem_json_begin_array(jw);
	for (guint i = 0; i < shown->len; i++) {
		const MemWatchEntry *x = g_ptr_array_index(shown, i);

		mem_json_begin_object(jw);
		mem_json_key(jw, "pid");
		mem_json_uint(jw, x->pid);
		mem_json_key(jw, "start_time");
		if (x->has_start_time)
			mem_json_uint(jw, x->start_time);
		else
			mem_json_null(jw);
		mem_json_key(jw, "name");
		mem_json_string(jw, x->name);
		mem_json_key(jw, "change");
		mem_json_string(jw, mem_watch_change_name(x->change));
		write_value(w, jw, &x->value, x->change == MEM_WATCH_VANISHED);
		mem_json_end_object(jw);
	}
	mem_json_end_array(jw);
	mem_json_key(jw, "jobs");
	mem_json_begin_array(jw);
	for (guint i = 0; i < r->jobs->len; i++) {
		const MemPsNode *j = g_ptr_array_index(r->jobs, i);
		g_autofree char *id = g_strndup(j->id, j->id_len);
		const MemWatchJob *x = g_hash_table_lookup(w->jobs, id);

		mem_json_begin_object(jw);
		mem_json_key(jw, "id");
		mem_json_string_len(jw, j->id, j->id_len);
		mem_json_key(jw, "change");
		mem_json_string(jw, mem_watch_change_name(x->change));
		write_value(w, jw, &x->value, FALSE);
		mem_json_end_object(jw);
	}
	mem_json_end_array(jw);
	mem_json_end_object(jw);
}

guint mem_watch_ps_sample(MemWatchPs *w, const MemPsReport *r, MemCli *cli, const MemWatchLoop *loop, guint64 i,
                         GDateTime *time, const GPtrArray *cols, GString *out)
{
	g_autofree char *summary = NULL;
	g_autoptr(GPtrArray) missing = NULL;

	if (cli->json) {
		g_autoptr(GString) more = g_string_new(NULL);
		g_autoptr(MemJsonWriter) jw = mem_json_writer_new(more, FALSE);

		/* written as it grows (JSON is never a refreshed screen); the tail left in out ends it */
		mem_render_ps_json(r, FALSE, &cli->text.flush, out);
		mem_json_begin_object(jw);
		mem_watch_json_members(jw, loop, i, time);
		mem_json_key(jw, "watch");
		mem_watch_ps_json(w, r, jw);
		mem_json_end_object(jw);
		mem_watch_json_merge(out, more);
		return 0;
	}
	if (cli->csv) {
		g_autofree char *iso = g_date_time_format_iso8601(time);
		mem_watch_ps_render_table(w, r, cols, TRUE, i == 0, i + 1, iso, &cli->text, out);
		return 0;
	}
	mem_watch_heading(out, loop, i, time);
	mem_watch_ps_render_table(w, r, cols, FALSE, FALSE, i + 1, NULL, &cli->text, out);
	if ((summary = mem_ps_report_summary(r)))
		g_string_append_printf(out, "%s\n", summary);
	if ((missing = mem_features_lines(&cli->missing))) /* what this kernel does not write */
		for (guint k = 0; k < missing->len; k++)
			g_string_append_printf(out, "%s\n", (char *)g_ptr_array_index(missing, k));
	if (!loop->refresh)
		g_string_append_c(out, '\n');
	return 1 + (summary ? 1 : 0) + (missing ? missing->len : 0);
}
