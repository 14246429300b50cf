/* render-cgroups.c: memsys --cgroups as a table (text, CSV) and as JSON (rendering layer) */
#include "config.h"

#include <string.h>

#include "error.h"
#include "format.h"
#include "render-sys.h"

/* Table columns after the cgroup's name: the figures, then procs and unread. */
#define COL_PROCS MEM_CG_N
#define COL_UNREAD (MEM_CG_N + 1)
#define N_TABLE_COLS (MEM_CG_N + 2)

/* "memory.current: EACCES" for a file that could not be read. */
static void note_file(GString *note, const char *name, int err)
{
	if (!err)
		return;
	g_string_append_printf(note, "%s%s: %s", note->len ? ", " : "[", name,
	                       err < 0 ? "malformed" : mem_errno_name(err) ? mem_errno_name(err) : g_strerror(err));
}

/* A signed figure: bytes when not negative; else a text cell, "-" and the magnitude (sizes as o says;
 * plain bytes for CSV), since a bytes cell has no sign. */
static void set_signed(MemCell *cell, gint64 v, const MemTextOptions *o, gboolean csv)
{
	char buf[MEM_FORMAT_SIZE_LEN + 1];
	guint64 mag = (guint64)0 - (guint64)v;

	if (v >= 0) {
		mem_cell_set_bytes(cell, (guint64)v);
		return;
	}
	buf[0] = '-';
	mem_format_size_or_bytes(buf + 1, mag, csv || o->bytes, o->unit);
	mem_cell_set_text(cell, buf, strlen(buf));
}

MemTable *mem_sys_cgroups_table(const GPtrArray *rows, const MemTextOptions *o, gboolean csv)
{
	MemTable *t = mem_table_new("cgroup", "path", N_TABLE_COLS);

	for (guint f = 0; f < MEM_CG_N; f++)
		mem_table_set_column(t, f, mem_sys_cgroup_figure_name(f), TRUE);
	mem_table_set_column_flag(t, MEM_CG_PSS, "pss_partial");
	mem_table_set_column(t, COL_PROCS, "procs", TRUE);
	mem_table_set_column(t, COL_UNREAD, "unread", TRUE);
	for (guint i = 0; i < rows->len; i++) {
		const MemSysCgroup *c = g_ptr_array_index(rows, i);
		const char *base = c->path[1] ? strrchr(c->path, '/') + 1 : c->path;
		MemRow *r = mem_table_add_row(t, MEM_ROW_JOB, c->depth);
		g_autoptr(GString) note = g_string_new(NULL);

		mem_row_set_label(r, "", base, strlen(base));
		mem_row_set_name(r, c->path, strlen(c->path));
		for (guint f = 0; f < MEM_CG_N; f++) {
			gint64 v;

			if (mem_sys_cgroup_figure(c, f, &v))
				set_signed(&r->cells[f], v, o, csv);
			else
				mem_cell_set_unknown(&r->cells[f]);
		}
		if (c->unreadable)
			mem_cell_set_lower_bound(&r->cells[MEM_CG_PSS]);
		mem_cell_set_int(&r->cells[COL_PROCS], c->procs);
		mem_cell_set_int(&r->cells[COL_UNREAD], c->unreadable);
		note_file(note, "memory.current", c->current_err);
		note_file(note, "memory.stat", c->stat_err);
		if (note->len) {
			g_string_append_c(note, ']');
			mem_row_set_note(r, note->str);
		}
	}
	return t;
}

static void json_error(MemJsonWriter *w, const char *key, int err)
{
	mem_json_key(w, key);
	if (!err)
		mem_json_null(w);
	else
		mem_json_string(w, err < 0 ? "malformed" : mem_errno_name(err) ? mem_errno_name(err) : "error");
}

void mem_sys_cgroups_json(const GPtrArray *rows, MemJsonWriter *w)
{
	char key[64];

	mem_json_begin_array(w);
	for (guint i = 0; i < rows->len; i++) {
		const MemSysCgroup *c = g_ptr_array_index(rows, i);
		gint64 v = 0, cur;
		gboolean known;

		mem_json_begin_object(w);
		mem_json_key(w, "path");
		mem_json_string(w, c->path);
		mem_json_key(w, "depth");
		mem_json_uint(w, c->depth);
		mem_json_key(w, "processes");
		mem_json_uint(w, c->procs);
		mem_json_key(w, "processes_unreadable");
		mem_json_uint(w, c->unreadable);
		for (guint f = 0; f < MEM_CG_N; f++) {
			g_snprintf(key, sizeof key, "%s_bytes", mem_sys_cgroup_figure_name(f));
			known = mem_sys_cgroup_figure(c, f, &v);
			mem_json_member_int(w, key, known, v);
		}
		mem_json_key(w, "pss_complete");
		mem_json_bool(w, c->unreadable == 0);
		known = c->unreadable == 0 && mem_sys_cgroup_figure(c, MEM_CG_CURRENT, &cur) &&
		        !__builtin_sub_overflow(cur, c->pss, &v);
		mem_json_member_int(w, "current_minus_pss_bytes", known, v);
		json_error(w, "current_error", c->current_err);
		json_error(w, "stat_error", c->stat_err);
		mem_json_end_object(w);
	}
	mem_json_end_array(w);
}
