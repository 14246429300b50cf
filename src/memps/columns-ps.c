/* columns-ps.c: memps's report as a table of the chosen columns, and the sort key a column gives (columns layer) */
#include "config.h"

#include <string.h>

#include "columns-ps.h"
#include "format.h"

/* Replaces the string in var with a new one made from it. */
#define SWAP_IN(var, expr)                   \
	do {                                 \
		char *new_ = (expr);         \
		g_free(var);                 \
		(var) = new_;                \
	} while (0)

MemPsSort mem_ps_sort_for_column(const MemColumn *col)
{
	MemPsSort s = { MEM_PS_SORT_METRIC, MEM_M_PSS };

	switch (col->kind) {
	case MEM_COL_BYTES: s.metric = col->metric; break;
	case MEM_COL_PID: s.kind = MEM_PS_SORT_PID; break;
	case MEM_COL_PPID: s.kind = MEM_PS_SORT_PPID; break;
	case MEM_COL_USER: s.kind = MEM_PS_SORT_USER; break;
	case MEM_COL_CMDLINE: s.kind = MEM_PS_SORT_CMDLINE; break;
	}
	return s;
}

gboolean mem_ps_needs_stat(const MemPsOptions *o, const GPtrArray *columns, gboolean every)
{
	if (every || o->tree == MEM_TREE_PARENT || o->sort.kind == MEM_PS_SORT_PPID ||
	    (o->sort.kind == MEM_PS_SORT_METRIC && o->sort.metric == MEM_M_VSS))
		return TRUE;
	for (guint i = 0; i < columns->len; i++) {
		const MemColumn *col = g_ptr_array_index(columns, i);

		if (col->kind == MEM_COL_PPID || (col->kind == MEM_COL_BYTES && col->metric == MEM_M_VSS))
			return TRUE;
	}
	return FALSE;
}

static void fill_bytes(MemCell *cell, const MemMetrics *m, MemMetric metric, gboolean blank_if_unknown)
{
	if (mem_metrics_has(m, metric))
		mem_cell_set_bytes(cell, m->v[metric]);
	else if (!blank_if_unknown)
		mem_cell_set_unknown(cell);
}

static void fill_proc_cells(const MemPsReport *r, const GPtrArray *cols, MemRow *row, const MemPsNode *n)
{
	const MemProcess *p = n->proc;
	MemMetrics m;

	mem_process_metrics(p, &m);
	for (guint c = 0; c < cols->len; c++) {
		const MemColumn *col = g_ptr_array_index(cols, c);
		MemCell *cell = &row->cells[c];
		switch (col->kind) {
		case MEM_COL_BYTES:
			if (col->metric == MEM_M_RSS && p->state != MEM_PROC_OK && p->state != MEM_PROC_KERNEL &&
			    p->has_status_rss)
				mem_cell_set_bytes(cell, p->status_rss); /* status VmRSS for the unreadable */
			else if (p->state == MEM_PROC_KERNEL)
				; /* blank: no user memory */
			else
				fill_bytes(cell, &m, col->metric, FALSE);
			break;
		case MEM_COL_PID:
			mem_cell_set_int(cell, p->pid);
			break;
		case MEM_COL_PPID:
			if (p->ppid >= 0)
				mem_cell_set_int(cell, p->ppid);
			else
				mem_cell_set_unknown(cell);
			break;
		case MEM_COL_USER: {
			const char *u = p->has_uid ? mem_snapshot_user_name(r->snap, p->uid) : NULL;
			g_autofree char *num = p->has_uid ? g_strdup_printf("%u", p->uid) : NULL;
			if (u)
				mem_cell_set_text(cell, u, strlen(u));
			else if (num)
				mem_cell_set_text(cell, num, strlen(num));
			else
				mem_cell_set_unknown(cell);
			break;
		}
		case MEM_COL_CMDLINE:
			if (p->cmdline) {
				g_autofree char *cmd = mem_ps_join_cmdline(p->cmdline);
				/* what the parser's limits left out, marked (memps(1), cmdline) */
				if (p->cmdline_cut.args_dropped)
					SWAP_IN(cmd, g_strdup_printf("%s \xe2\x80\xa6%" G_GUINT64_FORMAT " more", cmd,
					                             p->cmdline_cut.args_dropped));
				else if (p->cmdline_cut.bytes_dropped)
					SWAP_IN(cmd, g_strconcat(cmd, "\xe2\x80\xa6", NULL));
				mem_cell_set_text(cell, cmd, strlen(cmd));
			} else {
				mem_cell_set_unknown(cell);
			}
			break;
		}
	}
}

/* The mark of a sum that leaves processes out: some ("[partial]") or all ("[not measured]"). */
static const char *sum_mark(const MemTally *t)
{
	return !t->n_missing ? NULL : t->n_ok ? "[partial]" : "[not measured]";
}

/* The cells of a sum row: the additive metrics, "-" when unknown; the others blank, as Zircon leaves
 * a job's SHARED blank (a sum of SHARED or RSS counts a page once per process mapping it). */
static void fill_sum_cells(const MemPsReport *r, const GPtrArray *cols, MemRow *row, const MemTally *t)
{
	MemMetrics m;

	mem_ps_sum_metrics(t, &m);
	for (guint c = 0; c < cols->len; c++) {
		const MemColumn *col = g_ptr_array_index(cols, c);
		if (col->kind != MEM_COL_BYTES || !mem_metric_additive(col->metric))
			continue;
		/* blank for kernel threads only, as their own rows */
		fill_bytes(&row->cells[c], &m, col->metric, t->n_ok == 0 && t->n_missing == 0);
	}
}

/* A sum row's note: its mark, after a description of the sum when there is one. */
static void set_sum_note(MemRow *row, const char *what, const MemTally *t)
{
	const char *mark = sum_mark(t);
	g_autofree char *note = NULL;

	if (what && mark)
		note = g_strdup_printf("%s %s", what, mark);
	if (note || what || mark)
		mem_row_set_note(row, note ? note : what ? what : mark);
}

/* "10 processes", "10 processes, 1 not measured", "0 processes, 3 kernel threads": the measured
 * processes, then those left out of the sums. */
static char *count_text(const MemTally *t)
{
	GString *s = g_string_new(NULL);

	g_string_append_printf(s, "%u process%s", t->n_ok, t->n_ok == 1 ? "" : "es");
	if (t->n_missing)
		g_string_append_printf(s, ", %u not measured", t->n_missing);
	if (t->n_kernel)
		g_string_append_printf(s, ", %u kernel thread%s", t->n_kernel, t->n_kernel == 1 ? "" : "s");
	return g_string_free(s, FALSE);
}

/* The rows of nodes [from, to), and the TOTAL row when to is the end. */
static MemTable *report_rows(const MemPsReport *r, const GPtrArray *cols, guint from, guint to)
{
	MemTable *t = mem_table_new("TASK", "NAME", cols->len);
	char pidbuf[32];

	for (guint c = 0; c < cols->len; c++) {
		const MemColumn *col = g_ptr_array_index(cols, c);
		mem_table_set_column(t, c, col->title, mem_column_numeric(col));
	}
	for (guint i = from; i < to; i++) {
		const MemPsNode *n = g_ptr_array_index(r->nodes, i);
		MemRow *row;

		switch (n->kind) {
		case MEM_PS_PROC: {
			const char *note = mem_proc_state_note(n->proc);
			row = mem_table_add_row(t, note ? MEM_ROW_MISSING : MEM_ROW_PROCESS, n->depth);
			mem_row_set_label(row, "p:", pidbuf, (gsize)(mem_put_decimal(pidbuf, n->proc->pid) - pidbuf));
			mem_row_set_name(row, n->proc->name, strlen(n->proc->name));
			if (note)
				mem_row_set_note(row, note);
			fill_proc_cells(r, cols, row, n);
			break;
		}
		case MEM_PS_JOB: {
			gboolean root = !n->id[1];
			row = mem_table_add_row(t, MEM_ROW_JOB, n->depth);
			mem_row_set_label(row, "j:", n->base, strlen(n->base));
			if (root)
				mem_row_set_name(row, "(root cgroup)", strlen("(root cgroup)"));
			else if (*mem_job_hierarchy_prefix(n->hierarchy)) {
				/* a hybrid host: say a path is not from the unified (v2) hierarchy */
				g_autofree char *name = g_strconcat(mem_job_hierarchy_prefix(n->hierarchy), n->id, NULL);
				mem_row_set_name(row, name, strlen(name));
			} else
				mem_row_set_name(row, n->id, n->id_len);
			fill_sum_cells(r, cols, row, n->tally);
			set_sum_note(row, NULL, n->tally);
			break;
		}
		case MEM_PS_SUBTREE: {
			g_autofree char *count = count_text(n->tally);
			g_autofree char *note = NULL;
			row = mem_table_add_row(t, MEM_ROW_JOB, n->depth);
			mem_row_set_label(row, "s:", pidbuf, (gsize)(mem_put_decimal(pidbuf, n->proc->pid) - pidbuf));
			mem_row_set_name(row, n->proc->name, strlen(n->proc->name));
			fill_sum_cells(r, cols, row, n->tally);
			note = g_strdup_printf("[subtree: %s]", count);
			set_sum_note(row, note, n->tally);
			break;
		}
		case MEM_PS_GROUP: {
			g_autofree char *count = count_text(n->tally);
			row = mem_table_add_row(t, MEM_ROW_GROUP, n->depth);
			mem_row_set_label(row, r->opts.group == MEM_GROUP_USER ? "u:" : "c:", n->id, n->id_len);
			mem_row_set_name(row, count, strlen(count));
			fill_sum_cells(r, cols, row, n->tally);
			set_sum_note(row, NULL, n->tally);
			break;
		}
		}
	}
	if (to == r->nodes->len) {
		g_autofree char *count = count_text(&r->totals);
		MemRow *row = mem_table_add_row(t, MEM_ROW_TOTAL, 0);
		mem_row_set_label(row, "", "TOTAL", 5);
		mem_row_set_name(row, count, strlen(count));
		fill_sum_cells(r, cols, row, &r->totals);
		set_sum_note(row, NULL, &r->totals);
	}
	return t;
}

MemTable *mem_ps_report_table(const MemPsReport *r, const GPtrArray *cols)
{
	return report_rows(r, cols, 0, r->nodes->len);
}

MemTable *mem_ps_report_table_span(const MemPsReport *r, const GPtrArray *cols, guint from, guint to)
{
	return report_rows(r, cols, MIN(from, r->nodes->len), MIN(to, r->nodes->len));
}

MemTable *mem_ps_report_table_piece(const MemPsReport *r, const GPtrArray *cols, guint *pos)
{
	guint from = *pos, to;

	if (from > r->nodes->len)
		return NULL;
	to = r->nodes->len - from > MEM_PS_PIECE_ROWS ? from + MEM_PS_PIECE_ROWS : r->nodes->len;
	*pos = to == r->nodes->len ? to + 1 : to; /* past the end once the TOTAL row is given */
	return report_rows(r, cols, from, to);
}
