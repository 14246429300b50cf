/* table.c: rows of typed cells shared by the text renderers (rendering layer) */
#include "config.h"

#include <string.h>

#include "table.h"

static void row_free(gpointer data)
{
	MemRow *r = data;
	g_free(r->label);
	g_free(r->name);
	g_free(r->note);
	g_free(r->cells);
	g_free(r);
}

MemTable *mem_table_new(const char *first_title, const char *last_title, guint n_cols)
{
	MemTable *t = g_new0(MemTable, 1);
	t->first_title = first_title;
	t->last_title = last_title;
	t->n_cols = n_cols;
	t->titles = g_new0(const char *, n_cols ? n_cols : 1);
	t->numeric = g_new0(gboolean, n_cols ? n_cols : 1);
	t->rows = g_ptr_array_new_with_free_func(row_free);
	t->repeat_header = TRUE;
	return t;
}

void mem_table_free(MemTable *t)
{
	if (!t)
		return;
	/* Text cells are freed here since rows don't know their column count. */
	for (guint i = 0; i < t->rows->len; i++) {
		MemRow *r = g_ptr_array_index(t->rows, i);
		for (guint c = 0; c < t->n_cols; c++)
			g_free(r->cells[c].text);
	}
	g_ptr_array_unref(t->rows);
	g_free(t->titles);
	g_free(t->numeric);
	g_free(t);
}

void mem_table_set_column(MemTable *t, guint i, const char *title, gboolean numeric)
{
	g_return_if_fail(i < t->n_cols);
	t->titles[i] = title;
	t->numeric[i] = numeric;
}

MemRow *mem_table_add_row(MemTable *t, MemRowKind kind, guint depth)
{
	MemRow *r = g_new0(MemRow, 1);
	r->kind = kind;
	r->depth = depth;
	r->cells = g_new0(MemCell, t->n_cols ? t->n_cols : 1);
	g_ptr_array_add(t->rows, r);
	return r;
}

void mem_row_set_label(MemRow *r, const char *prefix, const char *s, gsize len)
{
	gsize plen = strlen(prefix);
	g_free(r->label);
	r->label = g_malloc(plen + len + 1);
	memcpy(r->label, prefix, plen);
	if (len)
		memcpy(r->label + plen, s, len);
	r->label[plen + len] = '\0';
	r->label_len = plen + len;
}

void mem_row_set_name(MemRow *r, const char *s, gsize len)
{
	g_free(r->name);
	r->name = g_malloc(len + 1);
	if (len)
		memcpy(r->name, s, len);
	r->name[len] = '\0';
	r->name_len = len;
}

void mem_row_set_note(MemRow *r, const char *note)
{
	g_free(r->note);
	r->note = g_strdup(note);
}

void mem_cell_set_bytes(MemCell *c, guint64 v)
{
	c->kind = MEM_CELL_BYTES;
	c->bytes = v;
}

void mem_cell_set_int(MemCell *c, gint64 v)
{
	c->kind = MEM_CELL_INT;
	c->i = v;
}

void mem_cell_set_text(MemCell *c, const char *s, gsize len)
{
	g_free(c->text);
	c->kind = MEM_CELL_TEXT;
	c->text = g_malloc(len + 1);
	if (len)
		memcpy(c->text, s, len);
	c->text[len] = '\0';
	c->text_len = len;
}

void mem_cell_set_unknown(MemCell *c)
{
	c->kind = MEM_CELL_UNKNOWN;
}

void mem_pad(GString *out, gsize n)
{
	static const char spaces[] = "                                ";

	while (n > sizeof spaces - 1) {
		g_string_append_len(out, spaces, sizeof spaces - 1);
		n -= sizeof spaces - 1;
	}
	g_string_append_len(out, spaces, (gssize)n);
}
