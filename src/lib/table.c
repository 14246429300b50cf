/* table.c: rows of typed cells shared by the text renderers (rendering layer) */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "table.h"

/* Drops what a cell owns before it takes a new value (a text and a number share its storage). */
static void cell_reset(MemCell *c)
{
	if (c->kind == MEM_CELL_TEXT && !c->text_static)
		g_free(c->text);
	c->text = NULL;
	c->text_len = 0;
	c->text_static = FALSE;
	c->lower_bound = FALSE;
}

MemTable *mem_table_new(const char *first_title, const char *last_title, guint n_cols)
{
	MemTable *t = g_new0(MemTable, 1);
	t->first_title = first_title;
	t->last_title = last_title;
	t->n_cols = n_cols;
	t->titles = g_new0(const char *, n_cols ? n_cols : 1);
	t->numeric = g_new0(gboolean, n_cols ? n_cols : 1);
	t->flag_titles = g_new0(const char *, n_cols ? n_cols : 1);
	/* Rows (each with its cells) come from an arena, and their labels, names and notes go to the
	 * chunk: a table of 15 000 rows is not 60 000 small allocations to make and free. */
	t->rows = g_ptr_array_new();
	t->arena = mem_arena_new();
	t->strings = g_string_chunk_new(64 * 1024);
	t->repeat_header = TRUE;
	return t;
}

void mem_table_free(MemTable *t)
{
	if (!t)
		return;
	for (guint i = 0; i < t->rows->len; i++) {
		MemRow *r = g_ptr_array_index(t->rows, i);
		for (guint c = 0; c < t->n_cols; c++)
			if (r->cells[c].kind == MEM_CELL_TEXT && !r->cells[c].text_static)
				g_free(r->cells[c].text);
	}
	g_ptr_array_unref(t->rows);
	mem_arena_free(t->arena);
	g_string_chunk_free(t->strings);
	g_free(t->titles);
	g_free(t->numeric);
	g_free(t->flag_titles);
	g_free(t);
}

void mem_table_set_column(MemTable *t, guint i, const char *title, gboolean numeric)
{
	g_return_if_fail(i < t->n_cols);
	t->titles[i] = title;
	t->numeric[i] = numeric;
}

void mem_table_set_column_flag(MemTable *t, guint i, const char *flag_title)
{
	g_return_if_fail(i < t->n_cols);
	t->flag_titles[i] = flag_title;
}

MemRow *mem_table_add_row(MemTable *t, MemRowKind kind, guint depth)
{
	gsize head = (sizeof(MemRow) + G_ALIGNOF(MemCell) - 1) / G_ALIGNOF(MemCell) * G_ALIGNOF(MemCell);
	MemRow *r = mem_arena_alloc0(t->arena, head + sizeof(MemCell) * (t->n_cols ? t->n_cols : 1));

	r->kind = kind;
	r->depth = depth;
	r->cells = (MemCell *)(gpointer)((char *)r + head);
	r->strings = t->strings;
	g_ptr_array_add(t->rows, r);
	return r;
}

/* A NUL-terminated copy of prefix + s[0..len) in the table's chunk. */
static char *row_text(MemRow *r, const char *prefix, gsize plen, const char *s, gsize len)
{
	g_autofree char *heap = NULL;
	char small[64], *whole;

	if (!len)
		return g_string_chunk_insert_len(r->strings, prefix, (gssize)plen);
	if (!plen)
		return g_string_chunk_insert_len(r->strings, s, (gssize)len);
	/* a row's label ("p:1234") is joined on the stack (an allocation per row was a visible part of a
	 * 10 000-row table) */
	whole = plen + len <= sizeof small ? small : (heap = g_malloc(plen + len));
	memcpy(whole, prefix, plen);
	memcpy(whole + plen, s, len);
	return g_string_chunk_insert_len(r->strings, whole, (gssize)(plen + len));
}

void mem_row_set_label(MemRow *r, const char *prefix, const char *s, gsize len)
{
	gsize plen = strlen(prefix);

	r->label = row_text(r, prefix, plen, s, len);
	r->label_len = plen + len;
}

void mem_row_set_name(MemRow *r, const char *s, gsize len)
{
	r->name = row_text(r, "", 0, s, len);
	r->name_len = len;
}

void mem_row_set_note(MemRow *r, const char *note)
{
	r->note = row_text(r, note, strlen(note), "", 0);
}

void mem_row_set_name_ref(MemRow *r, const char *s, gsize len)
{
	r->name = (char *)s;
	r->name_len = len;
}

void mem_row_set_text(MemRow *r, guint col, const char *s, gsize len)
{
	MemCell *c = &r->cells[col];

	cell_reset(c);
	c->kind = MEM_CELL_TEXT;
	c->text = row_text(r, "", 0, s, len);
	c->text_len = (guint32)len;
	c->text_static = TRUE; /* the chunk frees it */
}

void mem_cell_set_bytes(MemCell *c, guint64 v)
{
	cell_reset(c);
	c->kind = MEM_CELL_BYTES;
	c->bytes = v;
}

void mem_cell_set_int(MemCell *c, gint64 v)
{
	cell_reset(c);
	c->kind = MEM_CELL_INT;
	c->i = v;
}

void mem_cell_set_text(MemCell *c, const char *s, gsize len)
{
	cell_reset(c);
	c->kind = MEM_CELL_TEXT;
	c->text = g_malloc(len + 1);
	if (len)
		memcpy(c->text, s, len);
	c->text[len] = '\0';
	c->text_len = (guint32)len;
}

void mem_cell_set_static_text(MemCell *c, const char *s)
{
	cell_reset(c);
	c->kind = MEM_CELL_TEXT;
	c->text_static = TRUE;
	c->text = (char *)s;
	c->text_len = (guint32)strlen(s);
}

void mem_cell_set_unknown(MemCell *c)
{
	cell_reset(c);
	c->kind = MEM_CELL_UNKNOWN;
}

void mem_cell_set_lower_bound(MemCell *c)
{
	g_return_if_fail(c->kind == MEM_CELL_BYTES || c->kind == MEM_CELL_INT);
	c->lower_bound = TRUE;
}

void mem_pad(GString *out, gsize n)
{
	gsize at = out->len;

	if (!n)
		return;
	g_string_set_size(out, at + n);
	memset(out->str + at, ' ', n);
}
