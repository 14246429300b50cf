/* render-diff.c: memdiff's table (text, CSV) and its JSON document (rendering layer) */
#include "config.h"

#include <string.h>

#include "escape.h"
#include "format.h"
#include "json-writer.h"
#include "render-diff.h"

void mem_diff_format_delta(GString *out, gint64 delta, const MemTextOptions *o)
{
	char buf[MEM_FORMAT_SIZE_LEN];
	guint64 mag = delta < 0 ? -(guint64)delta : (guint64)delta;

	if (delta)
		g_string_append_c(out, delta < 0 ? '-' : '+');
	mem_format_size_or_bytes(buf, mag, o->bytes, o->unit);
	g_string_append(out, buf);
}

enum { COL_OLD, COL_NEW, COL_D_PSS, COL_D_USS, COL_D_SWAP_PSS, COL_PROCS_OLD, COL_PROCS_NEW, COL_MATCH, COL_JOB, N_COLS };

static const char *const titles[N_COLS] = {
	"PSS_OLD", "PSS_NEW", "PSS_DELTA", "USS_DELTA", "SWAP_PSS_DELTA", "PROCS_OLD", "PROCS_NEW", "MATCH", "JOB",
};

static const char *kind_name(const MemDiffReport *r, MemDiffKind k)
{
	return k == MEM_DIFF_TOTAL ? "total" : k == MEM_DIFF_JOB ? "job" : r && r->maps_of ? "mapping" : "program";
}

/* The OLD or NEW PSS of a row: blank when absent, a lower bound when some process was not measured. */
static void value_cell(MemCell *c, const MemDiffSum *s)
{
	if (!s->present)
		return;
	if (s->known & (1u << MEM_DIFF_PSS)) {
		mem_cell_set_bytes(c, s->v[MEM_DIFF_PSS]);
	} else if (s->n_unmeasured) {
		mem_cell_set_bytes(c, s->v[MEM_DIFF_PSS]);
		mem_cell_set_lower_bound(c);
	} else {
		mem_cell_set_unknown(c);
	}
}

static void count_cell(MemCell *c, const MemDiffSum *s)
{
	if (s->present)
		mem_cell_set_int(c, s->n_procs);
}

static void add_row(MemTable *t, const MemDiffReport *r, const MemDiffRow *d, gboolean csv, const MemTextOptions *o,
                    GString *tmp)
{
	MemRow *row = mem_table_add_row(t, d->kind == MEM_DIFF_TOTAL ? MEM_ROW_TOTAL : d->kind == MEM_DIFF_JOB ? MEM_ROW_JOB : MEM_ROW_PROCESS, 0);
	g_autofree char *note = NULL;

	if (d->kind == MEM_DIFF_TOTAL) {
		mem_row_set_label(row, "total", "", 0);
	} else if (d->kind == MEM_DIFF_JOB) {
		mem_row_set_label(row, "j:", d->job, strlen(d->job));
		mem_row_set_name(row, d->job, strlen(d->job));
	} else if (r->maps_of) {
		mem_row_set_label(row, "m:", d->name, strlen(d->name));
		mem_row_set_name(row, d->name, strlen(d->name));
	} else {
		mem_row_set_label(row, "p:", d->name, strlen(d->name));
		mem_row_set_name(row, d->cmdline, strlen(d->cmdline));
		mem_cell_set_static_text(&row->cells[COL_MATCH], mem_diff_match_name(d->match));
		if (d->job)
			mem_row_set_text(row, COL_JOB, d->job, strlen(d->job));
		else
			mem_cell_set_unknown(&row->cells[COL_JOB]);
	}
	value_cell(&row->cells[COL_OLD], &d->old);
	value_cell(&row->cells[COL_NEW], &d->new);
	for (int f = 0; f < MEM_DIFF_N_FIGURES; f++) {
		MemCell *c = &row->cells[COL_D_PSS + f];
		gint64 delta;

		if (!mem_diff_row_delta(d, (MemDiffFigure)f, &delta)) {
			mem_cell_set_unknown(c);
		} else if (csv) {
			mem_cell_set_int(c, delta);
		} else {
			g_string_truncate(tmp, 0);
			mem_diff_format_delta(tmp, delta, o);
			mem_cell_set_text(c, tmp->str, tmp->len);
		}
	}
	count_cell(&row->cells[COL_PROCS_OLD], &d->old);
	count_cell(&row->cells[COL_PROCS_NEW], &d->new);
	if (!d->old.present || !d->new.present)
		note = g_strdup(d->old.present ? "[disappeared]" : "[appeared]");
	else if (d->old.n_unmeasured || d->new.n_unmeasured)
		note = g_strdup_printf("[unmeasured: %u old, %u new]", d->old.n_unmeasured, d->new.n_unmeasured);
	if (note)
		mem_row_set_note(row, note);
}

MemTable *mem_diff_table(const MemDiffReport *r, gboolean all, gboolean csv, const MemTextOptions *o)
{
	MemTable *t = mem_table_new("WHAT", "NAME", N_COLS);
	g_autoptr(GString) tmp = g_string_new(NULL);

	for (guint c = 0; c < N_COLS; c++)
		mem_table_set_column(t, c, r->maps_of && c == COL_PROCS_OLD ? "MAPS_OLD" : r->maps_of && c == COL_PROCS_NEW ? "MAPS_NEW" : titles[c],
		                     c < COL_MATCH);
	mem_table_set_column_flag(t, COL_OLD, "PSS_OLD_PARTIAL");
	mem_table_set_column_flag(t, COL_NEW, "PSS_NEW_PARTIAL");
	for (guint i = 0; i < r->rows->len; i++) {
		const MemDiffRow *d = g_ptr_array_index(r->rows, i);
		if (all || d->kind == MEM_DIFF_TOTAL || mem_diff_row_changed(d))
			add_row(t, r, d, csv, o, tmp);
	}
	return t;
}

static const char *input_name(MemDiffInput i)
{
	return i == MEM_DIFF_INPUT_LIVE ? "live" : i == MEM_DIFF_INPUT_REPORT ? "report" : "recording";
}

static void side_line(const char *role, const MemDiffSide *s, GString *out)
{
	g_string_append_printf(out, "%s ", role);
	mem_escape_text(out, s->arg, strlen(s->arg));
	g_string_append_printf(out, " (%s, kernel ", input_name(s->input));
	if (s->kernel)
		mem_escape_text(out, s->kernel, strlen(s->kernel));
	else
		g_string_append(out, "unknown");
	g_string_append(out, ")\n");
}

void mem_diff_text_head(const MemDiffReport *r, GString *out)
{
	side_line("OLD", r->old, out);
	if (r->new->len > 1)
		g_string_append_printf(out, "NEW the median per row over %u recordings:\n", r->new->len);
	for (guint i = 0; i < r->new->len; i++)
		side_line(r->new->len > 1 ? "   " : "NEW", g_ptr_array_index(r->new, i), out);
	if (r->maps_of && strcmp(r->maps_of, "all") == 0) {
		g_string_append(out, "Memory objects: every process's mappings by name (summed, counted in MAPS); growth sorted largest first.\n\n");
		return;
	}
	if (r->maps_of) {
		g_string_append(out, "Mappings of ");
		mem_escape_text(out, r->maps_of, strlen(r->maps_of));
		g_string_append(out, " by name (summed, counted in MAPS); growth sorted largest first.\n\n");
		return;
	}
	g_string_append_printf(out, "Programs matched by cgroup and %s; growth sorted largest first.\n\n",
	                       r->argv0_only ? "argv[0] (a side's arguments are scrubbed)" : "command line");
}

static void append_percent(GString *out, gint64 delta, guint64 old)
{
	/* hundredths of a percent, rounded toward zero: whole multiples of old, then the rest (below old,
	 * so times 10000 fits unless old is above 2^64 / 10000: petabytes, where the rest is scaled down) */
	guint64 mag = delta < 0 ? -(guint64)delta : (guint64)delta;
	guint64 q = mag / old, r = mag % old, h;

	h = r <= G_MAXUINT64 / 10000u ? r * 10000u / old : r / (old / 10000u);
	h = q > (G_MAXUINT64 - h) / 10000u ? G_MAXUINT64 : q * 10000u + h;
	g_string_append_printf(out, " (%c%" G_GUINT64_FORMAT ".%02u%%)", delta < 0 ? '-' : '+', h / 100,
	                       (guint)(h % 100));
}

static void target_text(const MemDiffGate *g, GString *out)
{
	if (g->kind == MEM_DIFF_TOTAL) {
		g_string_append(out, "total");
	} else {
		g_string_append(out, g->kind == MEM_DIFF_JOB ? "job " : "program ");
		mem_escape_text(out, g->target, strlen(g->target));
	}
	g_string_append_printf(out, " %s", mem_diff_figure_id(g->figure));
}

void mem_diff_text_gates(const GArray *checks, gboolean unknown_pass, const MemTextOptions *o, GString *out)
{
	char buf[MEM_FORMAT_SIZE_LEN];

	if (!checks->len)
		return;
	g_string_append_c(out, '\n');
	for (guint i = 0; i < checks->len; i++) {
		const MemDiffCheck *c = &g_array_index(checks, MemDiffCheck, i);
		const MemDiffGate *g = c->gate;

		g_string_append(out, "limit ");
		mem_escape_text(out, g->spec, strlen(g->spec));
		g_string_append(out, " (");
		mem_escape_text(out, g->origin, strlen(g->origin));
		g_string_append(out, "): ");
		target_text(g, out);
		if (c->verdict == MEM_DIFF_NO_MATCH) {
			g_string_append(out, " on neither side");
		} else if (c->known) {
			mem_format_size_or_bytes(buf, c->old, o->bytes, o->unit);
			g_string_append_printf(out, " %s -> ", buf);
			mem_format_size_or_bytes(buf, c->new, o->bytes, o->unit);
			g_string_append_printf(out, "%s, ", buf);
			mem_diff_format_delta(out, c->delta, o);
			if (c->old)
				append_percent(out, c->delta, c->old);
		} else {
			g_string_append(out, " unknown (a process not measured, or a figure its kernel lacks)");
		}
		g_string_append_printf(out, ": %s%s\n", mem_diff_verdict_name(c->verdict),
		                       c->verdict == MEM_DIFF_UNKNOWN ? (unknown_pass ? " (passes: --unknown=pass)" : " (fails)") : "");
	}
}

/* ---- JSON ---- */

static void json_side(MemJsonWriter *w, const MemDiffSide *s)
{
	const MemJsonValue *root, *v;

	mem_json_begin_object(w);
	mem_json_key(w, "arg");
	mem_json_string(w, s->arg);
	mem_json_key(w, "input");
	mem_json_string(w, input_name(s->input));
	if (s->snap) {
		mem_json_header_snapshot(w, "memps/1", s->snap);
	} else {
		root = mem_json_doc_root(s->doc);
		mem_json_key(w, "schema");
		mem_json_value(w, mem_json_object_get(root, "schema"));
		mem_json_key(w, "source");
		if ((v = mem_json_object_get(root, "source")))
			mem_json_value(w, v);
		else
			mem_json_null(w);
	}
	mem_json_end_object(w);
}

static void json_sum(MemJsonWriter *w, const MemDiffSum *s)
{
	mem_json_begin_object(w);
	mem_json_key(w, "present");
	mem_json_bool(w, s->present);
	mem_json_key(w, "processes");
	mem_json_uint(w, s->n_procs);
	mem_json_key(w, "unmeasured");
	mem_json_uint(w, s->n_unmeasured);
	for (int f = 0; f < MEM_DIFF_N_FIGURES; f++) {
		g_autofree char *key = g_strconcat(mem_diff_figure_id((MemDiffFigure)f), "_bytes", NULL);
		mem_json_member_uint(w, key, (s->known >> f) & 1u, s->v[f]);
	}
	mem_json_end_object(w);
}

static void json_row(MemJsonWriter *w, const MemDiffReport *r, const MemDiffRow *d)
{
	mem_json_begin_object(w);
	mem_json_key(w, "kind");
	mem_json_string(w, kind_name(r, d->kind));
	mem_json_key(w, "job");
	mem_json_string(w, d->job);
	mem_json_key(w, "name");
	mem_json_string(w, d->kind == MEM_DIFF_TOTAL ? NULL : d->name);
	mem_json_key(w, "cmdline");
	mem_json_string(w, d->cmdline);
	mem_json_key(w, "match");
	mem_json_string(w, d->kind == MEM_DIFF_PROGRAM && !r->maps_of ? mem_diff_match_name(d->match) : NULL);
	mem_json_key(w, "status");
	mem_json_string(w, mem_diff_row_status(d));
	mem_json_key(w, "old");
	json_sum(w, &d->old);
	mem_json_key(w, "new");
	json_sum(w, &d->new);
	mem_json_key(w, "delta");
	mem_json_begin_object(w);
	for (int f = 0; f < MEM_DIFF_N_FIGURES; f++) {
		g_autofree char *key = g_strconcat(mem_diff_figure_id((MemDiffFigure)f), "_bytes", NULL);
		gint64 delta = 0;
		gboolean known = mem_diff_row_delta(d, (MemDiffFigure)f, &delta);
		mem_json_member_int(w, key, known, delta);
	}
	mem_json_end_object(w);
	mem_json_end_object(w);
}

static void json_check(MemJsonWriter *w, const MemDiffCheck *c, gboolean unknown_pass)
{
	const MemDiffGate *g = c->gate;

	mem_json_begin_object(w);
	mem_json_key(w, "limit");
	mem_json_string(w, g->spec);
	mem_json_key(w, "origin");
	mem_json_string(w, g->origin);
	mem_json_key(w, "kind");
	mem_json_string(w, kind_name(NULL, g->kind));
	mem_json_key(w, "target");
	mem_json_string(w, g->target);
	mem_json_key(w, "figure");
	mem_json_string(w, mem_diff_figure_id(g->figure));
	mem_json_member_uint(w, "max_growth_bytes", !g->percent, g->bytes);
	mem_json_member_uint(w, "max_growth_ppm", g->percent, g->ppm);
	mem_json_key(w, "rows");
	mem_json_uint(w, c->rows);
	mem_json_member_uint(w, "old_bytes", c->known, c->old);
	mem_json_member_uint(w, "new_bytes", c->known, c->new);
	mem_json_member_int(w, "delta_bytes", c->known, c->delta);
	mem_json_key(w, "verdict");
	mem_json_string(w, mem_diff_verdict_name(c->verdict));
	mem_json_key(w, "fails");
	mem_json_bool(w, mem_diff_verdict_fails(c->verdict, unknown_pass));
	mem_json_end_object(w);
}

void mem_diff_json(const MemDiffReport *r, const GArray *checks, gboolean unknown_pass, GString *out)
{
	g_autoptr(MemJsonWriter) w = mem_json_writer_new(out, FALSE);
	gboolean fail = FALSE;

	mem_json_begin_object(w);
	mem_json_key(w, "schema");
	mem_json_string(w, "memdiff/1");
	mem_json_key(w, "old");
	json_side(w, r->old);
	mem_json_key(w, "new");
	mem_json_begin_array(w);
	for (guint i = 0; i < r->new->len; i++)
		json_side(w, g_ptr_array_index(r->new, i));
	mem_json_end_array(w);
	mem_json_key(w, "new_is_median");
	mem_json_bool(w, r->new->len > 1);
	mem_json_key(w, "program_match");
	mem_json_string(w, r->argv0_only ? "argv0" : "cmdline");
	mem_json_key(w, "maps_of");
	mem_json_string(w, r->maps_of);
	mem_json_key(w, "rows");
	mem_json_begin_array(w);
	for (guint i = 0; i < r->rows->len; i++)
		json_row(w, r, g_ptr_array_index(r->rows, i));
	mem_json_end_array(w);
	mem_json_key(w, "limits");
	mem_json_begin_array(w);
	for (guint i = 0; i < checks->len; i++) {
		const MemDiffCheck *c = &g_array_index(checks, MemDiffCheck, i);
		json_check(w, c, unknown_pass);
		fail |= mem_diff_verdict_fails(c->verdict, unknown_pass);
	}
	mem_json_end_array(w);
	mem_json_key(w, "result");
	mem_json_string(w, checks->len ? (fail ? "fail" : "pass") : NULL);
	mem_json_end_object(w);
	g_string_append_c(out, '\n');
}
