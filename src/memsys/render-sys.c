/* render-sys.c: memsys's sample as text, CSV and JSON (rendering layer) */
#include "config.h"

#include <string.h>

#include "format.h"
#include "render-sys.h"
#include "table.h"

/* The text columns: total, avail, then every category (avail is an estimate, not a category). */
#define N_COLS (2 + MEM_SYS_N)

static const char *col_title(guint i)
{
	return i == 0 ? "total" : i == 1 ? "avail" : mem_sys_category_info()[i - 2].id;
}

/* Column i's value as signed bytes; FALSE when unknown. */
static gboolean col_value(const MemSysCategories *c, guint i, gint64 *v)
{
	if (i == 0) {
		*v = (gint64)c->total;
		return TRUE;
	}
	if (i == 1) {
		*v = (gint64)c->avail;
		return c->has_avail;
	}
	*v = c->bytes[i - 2];
	return c->known[i - 2];
}

/* The k-th shown column of `cols` (all when NULL), and how many there are. */
static guint n_shown(const GArray *cols)
{
	return cols ? cols->len : N_COLS;
}

static guint shown(const GArray *cols, guint k)
{
	return cols ? g_array_index(cols, guint, k) : k;
}

static void put_size(GString *out, gint64 v, const MemTextOptions *o)
{
	char buf[MEM_FORMAT_SIZE_LEN];
	guint64 mag = v < 0 ? (guint64)0 - (guint64)v : (guint64)v;

	if (v < 0)
		g_string_append_c(out, '-');
	g_string_append_len(out, buf, mem_format_size_or_bytes(buf, mag, o->bytes, o->unit) - buf);
}

/* Column k's text right-aligned in width w, after a blank unless it is the first (printf's first call
 * costs more than the whole sample). */
static void put_right(GString *out, guint k, gsize w, const char *s)
{
	gsize len = strlen(s);

	if (k)
		g_string_append_c(out, ' ');
	mem_pad(out, w > len ? w - len : 0);
	g_string_append_len(out, s, (gssize)len);
}

void mem_sys_render_text(const MemSysSample *s, const GArray *cols, gboolean timestamp, const MemTextOptions *o, GString *out)
{
	g_autoptr(GString) cell = g_string_new(NULL);
	guint n = n_shown(cols);
	g_autofree char **cells = g_new0(char *, n);
	g_autofree gsize *w = g_new0(gsize, n);

	if (timestamp && s->time) {
		g_autofree char *iso = g_date_time_format_iso8601(s->time);
		g_string_append_printf(out, "time: %s\n", iso);
	}
	for (guint k = 0; k < n; k++) {
		gint64 v;

		g_string_truncate(cell, 0);
		if (col_value(&s->cat, shown(cols, k), &v))
			put_size(cell, v, o);
		else
			g_string_append_c(cell, '-');
		cells[k] = g_strdup(cell->str);
		w[k] = MAX(MAX(strlen(col_title(shown(cols, k))), strlen(cells[k])), 7);
	}
	if (o->color)
		g_string_append(out, "\033[1m");
	for (guint k = 0; k < n; k++)
		put_right(out, k, w[k], col_title(shown(cols, k)));
	if (o->color)
		g_string_append(out, "\033[0m");
	g_string_append_c(out, '\n');
	for (guint k = 0; k < n; k++) {
		put_right(out, k, w[k], cells[k]);
		g_free(cells[k]);
	}
	g_string_append_c(out, '\n');
}

void mem_sys_render_csv_header(const GArray *cols, GString *out)
{
	g_string_append(out, "time");
	for (guint k = 0; k < n_shown(cols); k++)
		g_string_append_printf(out, ",%s", col_title(shown(cols, k)));
	g_string_append(out, ",other_includes\r\n");
}

void mem_sys_render_csv(const MemSysSample *s, const GArray *cols, GString *out)
{
	g_autofree char *inc = mem_sys_other_includes(&s->cat);

	if (s->time) {
		g_autofree char *iso = g_date_time_format_iso8601(s->time);
		g_string_append(out, iso);
	}
	for (guint k = 0; k < n_shown(cols); k++) {
		gint64 v;

		g_string_append_c(out, ',');
		if (col_value(&s->cat, shown(cols, k), &v))
			g_string_append_printf(out, "%" G_GINT64_FORMAT, v);
	}
	g_string_append_printf(out, ",%s\r\n", inc);
}

void mem_sys_render_json(const MemSysSample *s, MemJsonWriter *w)
{
	const MemSysCategoryInfo *info = mem_sys_category_info();
	char key[64];

	mem_json_begin_object(w);
	mem_json_key(w, "time");
	if (s->time) {
		g_autofree char *iso = g_date_time_format_iso8601(s->time);
		mem_json_string(w, iso);
	} else {
		mem_json_null(w);
	}
	for (guint i = 0; i < N_COLS; i++) {
		gint64 v;

		g_snprintf(key, sizeof key, "%s_bytes", col_title(i));
		mem_json_key(w, key);
		if (col_value(&s->cat, i, &v))
			mem_json_int(w, v);
		else
			mem_json_null(w);
	}
	mem_json_key(w, "other_includes");
	mem_json_begin_array(w);
	for (guint c = 0; c < MEM_SYS_N; c++)
		if (!s->cat.known[c])
			mem_json_string(w, info[c].id);
	mem_json_end_array(w);
	mem_json_end_object(w);
}

char *mem_sys_other_includes(const MemSysCategories *c)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < MEM_SYS_N; i++)
		if (!c->known[i]) {
			if (s->len)
				g_string_append_c(s, ' ');
			g_string_append(s, mem_sys_category_info()[i].id);
		}
	return g_string_free(s, FALSE);
}

guint mem_sys_columns_shown(const GArray *cols)
{
	return n_shown(cols);
}

guint mem_sys_column_at(const GArray *cols, guint k)
{
	return shown(cols, k);
}

const char *mem_sys_column_id(guint i)
{
	return col_title(i);
}

gboolean mem_sys_column_value(const MemSysCategories *c, guint i, gint64 *v)
{
	return col_value(c, i, v);
}
