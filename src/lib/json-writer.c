/* json-writer.c: a small streaming JSON writer over a GString (rendering support layer) */
#include "config.h"

#include <math.h>
#include <string.h>

#include "escape.h"
#include "format.h"
#include "json-writer.h"

/*
 * The writer keeps one frame per open container: its kind and how many members it has so far,
 * which decides the comma.  Inside an object a value must follow a key; misuse (a value without a
 * key, an end that does not match, a key outside an object) is a programming error and is refused
 * with g_return_if_fail(), leaving the output unchanged.  Several values at depth 0 are separated
 * by a newline, so a caller may write JSON Lines.
 */

typedef struct {
	gboolean object;
	guint count;
} MemJsonFrame;

struct _MemJsonWriter {
	GString *out;
	gboolean pretty;
	gboolean after_key;   /* a key was written, its value is due */
	guint top_count;      /* values written at depth 0 */
	GArray *frames;       /* MemJsonFrame */
};

MemJsonWriter *mem_json_writer_new(GString *out, gboolean pretty)
{
	MemJsonWriter *w;

	g_return_val_if_fail(out != NULL, NULL);
	w = g_new0(MemJsonWriter, 1);
	w->out = out;
	w->pretty = pretty;
	w->frames = g_array_sized_new(FALSE, FALSE, sizeof(MemJsonFrame), 8);
	return w;
}

void mem_json_writer_free(MemJsonWriter *w)
{
	if (w == NULL)
		return;
	g_array_unref(w->frames);
	g_free(w);
}

guint mem_json_depth(const MemJsonWriter *w)
{
	g_return_val_if_fail(w != NULL, 0);
	return w->frames->len;
}

static MemJsonFrame *top_frame(MemJsonWriter *w)
{
	if (w->frames->len == 0)
		return NULL;
	return &g_array_index(w->frames, MemJsonFrame, w->frames->len - 1);
}

static void newline_indent(MemJsonWriter *w, guint depth)
{
	g_string_append_c(w->out, '\n');
	for (guint i = 0; i < depth; i++)
		g_string_append_len(w->out, "  ", 2);
}

/* Separator before a member of the innermost container (or before a top-level value). */
static void begin_member(MemJsonWriter *w, MemJsonFrame *f)
{
	if (f == NULL) {
		if (w->top_count++ > 0)
			g_string_append_c(w->out, '\n');
		return;
	}
	if (f->count++ > 0)
		g_string_append_c(w->out, ',');
	if (w->pretty)
		newline_indent(w, w->frames->len);
}

/* Checks that a value may come now and writes what precedes it; FALSE on misuse. */
static gboolean begin_value(MemJsonWriter *w)
{
	MemJsonFrame *f = top_frame(w);

	if (f != NULL && f->object) {
		g_return_val_if_fail(w->after_key, FALSE);
		w->after_key = FALSE;
		return TRUE;
	}
	begin_member(w, f);
	return TRUE;
}

static void begin_container(MemJsonWriter *w, gboolean object)
{
	MemJsonFrame f = { object, 0 };

	g_return_if_fail(w != NULL);
	if (!begin_value(w))
		return;
	g_string_append_c(w->out, object ? '{' : '[');
	g_array_append_val(w->frames, f);
}

static void end_container(MemJsonWriter *w, gboolean object)
{
	MemJsonFrame *f;
	guint count;

	g_return_if_fail(w != NULL);
	f = top_frame(w);
	g_return_if_fail(f != NULL && f->object == object);
	g_return_if_fail(!w->after_key);
	count = f->count;
	g_array_set_size(w->frames, w->frames->len - 1);
	if (w->pretty && count > 0)
		newline_indent(w, w->frames->len);
	g_string_append_c(w->out, object ? '}' : ']');
}

void mem_json_begin_object(MemJsonWriter *w)
{
	begin_container(w, TRUE);
}

void mem_json_end_object(MemJsonWriter *w)
{
	end_container(w, TRUE);
}

void mem_json_begin_array(MemJsonWriter *w)
{
	begin_container(w, FALSE);
}

void mem_json_end_array(MemJsonWriter *w)
{
	end_container(w, FALSE);
}

static void append_quoted(GString *out, const char *s, gsize len)
{
	g_string_append_c(out, '"');
	mem_escape_json(out, s, len);
	g_string_append_c(out, '"');
}

void mem_json_key(MemJsonWriter *w, const char *key)
{
	MemJsonFrame *f;

	g_return_if_fail(w != NULL);
	g_return_if_fail(key != NULL);
	f = top_frame(w);
	g_return_if_fail(f != NULL && f->object);
	g_return_if_fail(!w->after_key);
	begin_member(w, f);
	append_quoted(w->out, key, strlen(key));
	if (w->pretty)
		g_string_append_len(w->out, ": ", 2);
	else
		g_string_append_c(w->out, ':');
	w->after_key = TRUE;
}

void mem_json_string_len(MemJsonWriter *w, const char *s, gsize len)
{
	g_return_if_fail(w != NULL);
	if (s == NULL) {
		mem_json_null(w);
		return;
	}
	if (!begin_value(w))
		return;
	append_quoted(w->out, s, len);
}

void mem_json_string(MemJsonWriter *w, const char *s)
{
	mem_json_string_len(w, s, s != NULL ? strlen(s) : 0);
}

/* Decimal digits of v, without printf (numbers are most of a memps document). */
static void append_digits(GString *out, guint64 v)
{
	char digits[20];

	g_string_append_len(out, digits, (gssize) (mem_put_decimal(digits, v) - digits));
}

void mem_json_int(MemJsonWriter *w, gint64 v)
{
	g_return_if_fail(w != NULL);
	if (!begin_value(w))
		return;
	if (v < 0) {
		g_string_append_c(w->out, '-');
		append_digits(w->out, (guint64) 0 - (guint64) v);
	} else {
		append_digits(w->out, (guint64) v);
	}
}

void mem_json_uint(MemJsonWriter *w, guint64 v)
{
	g_return_if_fail(w != NULL);
	if (!begin_value(w))
		return;
	append_digits(w->out, v);
}

void mem_json_bool(MemJsonWriter *w, gboolean v)
{
	g_return_if_fail(w != NULL);
	if (!begin_value(w))
		return;
	g_string_append(w->out, v ? "true" : "false");
}

void mem_json_null(MemJsonWriter *w)
{
	g_return_if_fail(w != NULL);
	if (!begin_value(w))
		return;
	g_string_append_len(w->out, "null", 4);
}

void mem_json_member_uint(MemJsonWriter *w, const char *key, gboolean known, guint64 v)
{
	mem_json_key(w, key);
	if (known)
		mem_json_uint(w, v);
	else
		mem_json_null(w);
}

void mem_json_member_int(MemJsonWriter *w, const char *key, gboolean known, gint64 v)
{
	mem_json_key(w, key);
	if (known)
		mem_json_int(w, v);
	else
		mem_json_null(w);
}

/* Recursion is bounded by the reader's nesting limit (MEM_JSON_MAX_DEPTH). */
void mem_json_value(MemJsonWriter *w, const MemJsonValue *v)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	gboolean b;
	gint64 n;
	double d;
	gsize len;
	const char *s;

	switch (mem_json_type(v)) {
	case MEM_JSON_BOOL:
		mem_json_get_bool(v, &b);
		mem_json_bool(w, b);
		break;
	case MEM_JSON_INT:
		mem_json_get_int(v, &n);
		mem_json_int(w, n);
		break;
	case MEM_JSON_DOUBLE:
		mem_json_get_double(v, &d);
		if (!isfinite(d))
			mem_json_null(w);
		else if (d >= 0 && d < 18446744073709551616.0 && d == (double)(guint64)d)
			mem_json_uint(w, (guint64)d);
		else if (d < 0 && d >= -9223372036854775808.0 && d == (double)(gint64)d)
			mem_json_int(w, (gint64)d);
		else
			mem_json_string(w, g_ascii_dtostr(buf, sizeof buf, d));
		break;
	case MEM_JSON_STRING:
		s = mem_json_get_string(v, &len);
		mem_json_string_len(w, s, len);
		break;
	case MEM_JSON_ARRAY:
		mem_json_begin_array(w);
		for (guint k = 0; k < mem_json_array_length(v); k++)
			mem_json_value(w, mem_json_array_get(v, k));
		mem_json_end_array(w);
		break;
	case MEM_JSON_OBJECT:
		mem_json_begin_object(w);
		for (guint k = 0; k < mem_json_object_size(v); k++) {
			mem_json_key(w, mem_json_object_key(v, k));
			mem_json_value(w, mem_json_object_value(v, k));
		}
		mem_json_end_object(w);
		break;
	case MEM_JSON_NULL:
	default:
		mem_json_null(w);
		break;
	}
}
