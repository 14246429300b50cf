/* render-text.c: the aligned text table and CSV renderers (rendering layer) */
#include "config.h"

#include <string.h>

#include "escape.h"
#include "format.h"
#include "render.h"

#define SGR_RESET "\033[0m"

static const char *row_color(MemRowKind kind)
{
	switch (kind) {
	case MEM_ROW_JOB: return "\033[1;34m";
	case MEM_ROW_GROUP: return "\033[1;36m";
	case MEM_ROW_MISSING: return "\033[2m";
	case MEM_ROW_TOTAL: return "\033[1m";
	default: return NULL;
	}
}

#define CELL_BUF_LEN (MEM_FORMAT_SIZE_LEN + 8)

/* Formats a non-text cell into buf (no printf: this runs twice per cell of tables of 15 000 rows);
 * *len receives its length.  mark: a lower bound ends with "+?" (text; CSV has a flag column). */
static const char *cell_text(const MemCell *c, const MemTextOptions *o, gboolean mark, char buf[CELL_BUF_LEN],
                             gsize *len)
{
	char *end;

	switch (c->kind) {
	case MEM_CELL_UNKNOWN:
		*len = 1;
		return "-";
	case MEM_CELL_BYTES:
		end = mem_format_size_or_bytes(buf, c->bytes, o->bytes, o->unit);
		break;
	case MEM_CELL_INT:
		end = buf;
		if (c->i < 0)
			*end++ = '-';
		end = mem_put_decimal(end, c->i < 0 ? -(guint64)c->i : (guint64)c->i);
		break;
	case MEM_CELL_BLANK:
	case MEM_CELL_TEXT:
	default:
		*len = 0;
		return "";
	}
	if (c->lower_bound && mark) {
		memcpy(end, "+?", 2);
		end += 2;
	}
	*end = '\0';
	*len = (gsize)(end - buf);
	return buf;
}

/* What ends a text cut to MEM_TEXT_MAX_WIDTH: U+2026, or "..." where the charset is not UTF-8. */
static const char *ellipsis_for(const MemTextOptions *o)
{
	return o->ascii ? "..." : "\xe2\x80\xa6";
}

static gsize cell_width(const MemCell *c, const MemTextOptions *o)
{
	char buf[CELL_BUF_LEN];
	gsize len;

	if (c->kind == MEM_CELL_TEXT)
		return mem_escape_text_width_max(c->text, c->text_len, MEM_TEXT_MAX_WIDTH, ellipsis_for(o));
	cell_text(c, o, TRUE, buf, &len);
	return len;
}

static guint indent_of(const MemRow *r, const MemTextOptions *o)
{
	guint d = r->depth;
	if (o->max_indent && d > o->max_indent)
		d = o->max_indent;
	return 2 * d;
}

static void put_header(const MemTable *t, const gsize *w, gsize w0, gboolean color, GString *out)
{
	if (color)
		g_string_append(out, "\033[1m");
	g_string_append(out, t->first_title);
	mem_pad(out, w0 - strlen(t->first_title));
	for (guint c = 0; c < t->n_cols; c++) {
		gsize len = strlen(t->titles[c]);
		g_string_append_c(out, ' ');
		if (t->numeric[c]) {
			mem_pad(out, w[c] - len);
			g_string_append(out, t->titles[c]);
		} else {
			g_string_append(out, t->titles[c]);
			mem_pad(out, w[c] - len);
		}
	}
	g_string_append_c(out, ' ');
	g_string_append(out, t->last_title);
	if (color)
		g_string_append(out, SGR_RESET);
	g_string_append_c(out, '\n');
}

void mem_text_widths_init(MemTextWidths *w, const MemTable *t)
{
	w->n_cols = t->n_cols;
	w->w = g_new0(gsize, t->n_cols ? t->n_cols : 1);
	w->w0 = strlen(t->first_title);
	for (guint c = 0; c < t->n_cols; c++)
		w->w[c] = MAX(strlen(t->titles[c]), t->numeric[c] ? 7 : 0);
}

void mem_text_widths_add(MemTextWidths *w, const MemTable *t, const MemTextOptions *o)
{
	const char *ellipsis = ellipsis_for(o);

	for (guint i = 0; i < t->rows->len; i++) {
		const MemRow *r = g_ptr_array_index(t->rows, i);
		w->w0 = MAX(w->w0, indent_of(r, o) + mem_escape_text_width_max(r->label, r->label_len, MEM_TEXT_MAX_WIDTH, ellipsis));
		for (guint c = 0; c < t->n_cols; c++)
			w->w[c] = MAX(w->w[c], cell_width(&r->cells[c], o));
	}
}

void mem_text_widths_clear(MemTextWidths *w)
{
	g_clear_pointer(&w->w, g_free);
}

void mem_text_header(const MemTable *t, const MemTextOptions *o, const MemTextWidths *w, GString *out)
{
	put_header(t, w->w, w->w0, o->color, out);
}

void mem_text_rows(const MemTable *t, const MemTextOptions *o, const MemTextWidths *wd, GString *out)
{
	const gsize *w = wd->w;
	gsize w0 = wd->w0;
	char buf[CELL_BUF_LEN];
	const char *ellipsis = ellipsis_for(o);

	for (guint i = 0; i < t->rows->len; i++) {
		const MemRow *r = g_ptr_array_index(t->rows, i);
		const char *color = o->color ? row_color(r->kind) : NULL;
		guint ind = indent_of(r, o);

		if (color)
			g_string_append(out, color);
		mem_pad(out, ind);
		mem_pad(out, w0 - ind - mem_escape_text_max(out, r->label, r->label_len, MEM_TEXT_MAX_WIDTH, ellipsis));
		for (guint c = 0; c < t->n_cols; c++) {
			const MemCell *cell = &r->cells[c];
			g_string_append_c(out, ' ');
			if (cell->kind == MEM_CELL_TEXT) {
				gsize width = mem_escape_text_width_max(cell->text, cell->text_len, MEM_TEXT_MAX_WIDTH, ellipsis);
				if (t->numeric[c])
					mem_pad(out, w[c] - width);
				width = mem_escape_text_max(out, cell->text, cell->text_len, MEM_TEXT_MAX_WIDTH, ellipsis);
				if (!t->numeric[c])
					mem_pad(out, w[c] - width);
			} else {
				gsize len;
				const char *s = cell_text(cell, o, TRUE, buf, &len);
				if (t->numeric[c]) {
					mem_pad(out, w[c] - len);
					g_string_append_len(out, s, (gssize)len);
				} else {
					g_string_append_len(out, s, (gssize)len);
					mem_pad(out, w[c] - len);
				}
			}
		}
		g_string_append_c(out, ' ');
		if (r->name)
			mem_escape_text(out, r->name, r->name_len);
		if (r->note) {
			if (r->name && r->name_len)
				g_string_append_c(out, ' ');
			g_string_append(out, r->note);
		}
		if (color)
			g_string_append(out, SGR_RESET);
		g_string_append_c(out, '\n');
		mem_flush_maybe(out, &o->flush);
	}
}

void mem_render_text(const MemTable *t, const MemTextOptions *o, GString *out)
{
	MemTextWidths w;

	mem_text_widths_init(&w, t);
	mem_text_widths_add(&w, t, o);
	mem_text_header(t, o, &w, out);
	mem_text_rows(t, o, &w, out);
	if (t->repeat_header)
		mem_text_header(t, o, &w, out);
	mem_text_widths_clear(&w);
}

void mem_render_pieces(const MemTable *first, MemPieceFunc next, gconstpointer data, gpointer pos, gsize pos_size,
                       gboolean csv, const MemTextOptions *o, GString *out)
{
	g_autofree gpointer again = g_memdup2(pos, pos_size);
	MemTextWidths w;
	MemTable *t;

	if (csv) {
		mem_csv_header(first, out);
		mem_csv_rows(first, &o->flush, out);
		while ((t = next(data, pos))) {
			mem_csv_rows(t, &o->flush, out);
			mem_table_free(t);
		}
		return;
	}
	mem_text_widths_init(&w, first);
	mem_text_widths_add(&w, first, o);
	while ((t = next(data, again))) {
		mem_text_widths_add(&w, t, o);
		mem_table_free(t);
	}
	mem_text_header(first, o, &w, out);
	mem_text_rows(first, o, &w, out);
	mem_flush_maybe(out, &o->flush);
	while ((t = next(data, pos))) {
		mem_text_rows(t, o, &w, out);
		mem_flush_maybe(out, &o->flush);
		mem_table_free(t);
	}
	if (first->repeat_header)
		mem_text_header(first, o, &w, out);
	mem_text_widths_clear(&w);
}

static void csv_plain(GString *out, const char *s)
{
	mem_escape_csv(out, s, strlen(s));
}

void mem_csv_header(const MemTable *t, GString *out)
{
	csv_plain(out, t->first_title);
	g_string_append(out, ",\"DEPTH\"");
	for (guint c = 0; c < t->n_cols; c++) {
		g_string_append_c(out, ',');
		csv_plain(out, t->titles[c]);
		if (t->flag_titles[c]) {
			g_string_append_c(out, ',');
			csv_plain(out, t->flag_titles[c]);
		}
	}
	g_string_append_c(out, ',');
	csv_plain(out, t->last_title);
	g_string_append(out, ",\"NOTE\"\r\n");
}

void mem_csv_rows(const MemTable *t, const MemFlush *flush, GString *out)
{
	MemTextOptions o = { .bytes = TRUE };
	char buf[CELL_BUF_LEN];

	for (guint i = 0; i < t->rows->len; i++) {
		const MemRow *r = g_ptr_array_index(t->rows, i);
		mem_escape_csv(out, r->label, r->label_len);
		g_string_append_printf(out, ",%u", r->depth);
		for (guint c = 0; c < t->n_cols; c++) {
			const MemCell *cell = &r->cells[c];
			g_string_append_c(out, ',');
			if (cell->kind == MEM_CELL_TEXT)
				mem_escape_csv(out, cell->text, cell->text_len);
			else if (cell->kind == MEM_CELL_BYTES || cell->kind == MEM_CELL_INT) {
				gsize len;
				const char *s = cell_text(cell, &o, FALSE, buf, &len);
				g_string_append_len(out, s, (gssize)len);
			}
			if (t->flag_titles[c]) {
				g_string_append_c(out, ',');
				if (cell->kind == MEM_CELL_BYTES || cell->kind == MEM_CELL_INT)
					g_string_append_c(out, cell->lower_bound ? '1' : '0');
			} else {
				g_warn_if_fail(!cell->lower_bound);
			}
		}
		g_string_append_c(out, ',');
		mem_escape_csv(out, r->name ? r->name : "", r->name ? r->name_len : 0);
		g_string_append_c(out, ',');
		csv_plain(out, r->note ? r->note : "");
		g_string_append(out, "\r\n");
		mem_flush_maybe(out, flush);
	}
}

void mem_render_csv(const MemTable *t, const MemFlush *flush, GString *out)
{
	mem_csv_header(t, out);
	mem_csv_rows(t, flush, out);
}
