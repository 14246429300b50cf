/* watch-sys.c: memsys -w: each kind of memory followed over the samples, a row per kind with its changes (front-end support) */
#include "config.h"

#include <string.h>

#include "watch-sys.h"

#define N_VALUES (2 + MEM_SYS_N)

void mem_watch_sys_push(MemWatchSys *w, const MemSysCategories *c)
{
	for (guint i = 0; i < N_VALUES; i++) {
		gint64 v;
		gboolean known = mem_sys_column_value(c, i, &v);

		mem_watch_value_push(&w->v[i], known, v);
	}
}

/* The meminfo fields of column i. */
static const char *fields_of(guint i)
{
	return i == 0 ? "MemTotal" : i == 1 ? "MemAvailable" : mem_sys_category_info()[i - 2].formula;
}

void mem_watch_sys_render_table(const MemWatchSys *w, const GArray *cols, gboolean csv, gboolean header,
                                guint64 sample, const char *time, const MemTextOptions *o, GString *out)
{
	g_autoptr(MemTable) t = mem_table_new("KIND", "MEMINFO", 1 + mem_watch_columns(csv));

	mem_table_set_column(t, 0, "SIZE", TRUE);
	mem_watch_set_columns(t, 1, "dSIZE", csv, o->ascii);
	for (guint k = 0; k < mem_sys_columns_shown(cols); k++) {
		guint i = mem_sys_column_at(cols, k);
		const MemWatchValue *v = &w->v[i];
		const char *id = mem_sys_column_id(i), *fields = fields_of(i);
		MemRow *row = mem_table_add_row(t, MEM_ROW_PROCESS, 0);

		mem_row_set_label(row, id, "", 0);
		mem_row_set_name(row, fields, strlen(fields));
		if (!v->has_cur)
			mem_cell_set_unknown(&row->cells[0]);
		else if (v->cur >= 0)
			mem_cell_set_bytes(&row->cells[0], (guint64)v->cur);
		else /* other: negative when the kernel's counters overlap */
			mem_cell_set_delta(&row->cells[0], (MemDelta){ v->cur, TRUE }, FALSE, csv, o);
		mem_watch_set_cells(row, 1, v, sample == 1, csv, sample, time, o);
	}
	mem_watch_render_table(t, csv, header, o, out);
}

void mem_watch_sys_json(const MemWatchSys *w, MemJsonWriter *jw)
{
	mem_json_begin_object(jw);
	for (guint i = 0; i < N_VALUES; i++) {
		mem_json_key(jw, mem_sys_column_id(i));
		mem_json_begin_object(jw);
		mem_json_member_int(jw, "bytes", w->v[i].has_cur, w->v[i].cur);
		mem_json_member_delta(jw, "delta_bytes", mem_watch_value_delta(&w->v[i]));
		mem_json_member_delta(jw, "growth_bytes", mem_watch_value_growth(&w->v[i]));
		mem_json_end_object(jw);
	}
	mem_json_end_object(jw);
}

void mem_watch_sys_sample(const MemWatchSys *w, const MemSysSample *s, MemCli *cli, const MemWatchLoop *loop,
                          const char *kernel, guint64 i, const GArray *cols, GString *out)
{
	if (cli->json) {
		g_autoptr(MemJsonWriter) jw = mem_json_writer_new(out, FALSE);
		MemFeatures none = { 0 };

		mem_json_begin_object(jw);
		mem_json_header(jw, "memsys/1", mem_source_kind(cli->src), cli->proc_root, kernel, &none);
		mem_json_key(jw, "samples");
		mem_json_begin_array(jw);
		mem_sys_render_json(s, jw);
		mem_json_end_array(jw);
		mem_watch_json_members(jw, loop, i, s->time);
		mem_json_key(jw, "watch");
		mem_watch_sys_json(w, jw);
		mem_json_end_object(jw);
		g_string_append_c(out, '\n');
	} else if (cli->csv) {
		g_autofree char *iso = g_date_time_format_iso8601(s->time);
		mem_watch_sys_render_table(w, cols, TRUE, i == 0, i + 1, iso, &cli->text, out);
	} else {
		mem_watch_heading(out, loop, i, s->time);
		mem_watch_sys_render_table(w, cols, FALSE, FALSE, i + 1, NULL, &cli->text, out);
		if (!loop->refresh)
			g_string_append_c(out, '\n');
	}
}
