/* openmetrics.c: the OpenMetrics text writer: families, samples, escaped labels, # EOF (rendering layer) */
#include "config.h"

#include <string.h>

#include "escape.h"
#include "format.h"
#include "openmetrics.h"

void mem_om_writer_init(MemOmWriter *w, GString *out, const MemFlush *flush)
{
	memset(w, 0, sizeof *w);
	w->out = out;
	w->flush = flush;
	w->seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}

void mem_om_writer_clear(MemOmWriter *w)
{
	g_clear_pointer(&w->family, g_free);
	g_clear_pointer(&w->seen, g_hash_table_unref);
}

/* A metric or label name of the format: [a-zA-Z_:][a-zA-Z0-9_:]* (label names without ':'). */
static gboolean valid_name(const char *s, gboolean colon)
{
	if (!*s || g_ascii_isdigit(*s))
		return FALSE;
	for (; *s; s++)
		if (!g_ascii_isalnum(*s) && *s != '_' && !(colon && *s == ':'))
			return FALSE;
	return TRUE;
}

void mem_om_gauge(MemOmWriter *w, const char *name, const char *unit, const char *help)
{
	g_return_if_fail(valid_name(name, TRUE) && !w->in_sample);
	g_return_if_fail(!unit || (g_str_has_suffix(name, unit) && strlen(name) > strlen(unit) + 1 &&
	                           name[strlen(name) - strlen(unit) - 1] == '_'));
	g_return_if_fail(!g_hash_table_contains(w->seen, name));
	g_hash_table_add(w->seen, g_strdup(name));
	g_free(w->family);
	w->family = g_strdup(name);
	g_string_append_printf(w->out, "# TYPE %s gauge\n", name);
	if (unit)
		g_string_append_printf(w->out, "# UNIT %s %s\n", name, unit);
	g_string_append_printf(w->out, "# HELP %s ", name);
	/* HELP escapes a backslash and a newline (the texts are the caller's, but keep the line whole). */
	for (const char *h = help; *h; h++) {
		if (*h == '\\')
			g_string_append(w->out, "\\\\");
		else if (*h == '\n')
			g_string_append(w->out, "\\n");
		else
			g_string_append_c(w->out, *h);
	}
	g_string_append_c(w->out, '\n');
}

void mem_om_sample(MemOmWriter *w)
{
	g_return_if_fail(w->family && !w->in_sample);
	g_string_append(w->out, w->family);
	w->in_sample = TRUE;
	w->n_labels = 0;
}

static void label_name(MemOmWriter *w, const char *name)
{
	g_string_append_c(w->out, w->n_labels++ ? ',' : '{');
	g_string_append(w->out, name);
	g_string_append(w->out, "=\"");
}

void mem_om_label(MemOmWriter *w, const char *name, const char *value, gsize len)
{
	g_return_if_fail(w->in_sample && valid_name(name, FALSE));
	label_name(w, name);
	mem_escape_openmetrics(w->out, value, len);
	g_string_append_c(w->out, '"');
}

void mem_om_label_uint(MemOmWriter *w, const char *name, guint64 v)
{
	char buf[24];

	g_return_if_fail(w->in_sample && valid_name(name, FALSE));
	label_name(w, name);
	g_string_append_len(w->out, buf, mem_put_decimal(buf, v) - buf);
	g_string_append_c(w->out, '"');
}

/* Ends the sample: the closing brace, the value (sign and digits), the line. */
static void value(MemOmWriter *w, gboolean negative, guint64 magnitude)
{
	char buf[24];

	g_return_if_fail(w->in_sample);
	if (w->n_labels)
		g_string_append_c(w->out, '}');
	g_string_append_c(w->out, ' ');
	if (negative)
		g_string_append_c(w->out, '-');
	g_string_append_len(w->out, buf, mem_put_decimal(buf, magnitude) - buf);
	g_string_append_c(w->out, '\n');
	w->in_sample = FALSE;
	mem_flush_maybe(w->out, w->flush);
}

void mem_om_value_uint(MemOmWriter *w, guint64 v)
{
	value(w, FALSE, v);
}

void mem_om_value_int(MemOmWriter *w, gint64 v)
{
	value(w, v < 0, v < 0 ? (guint64)0 - (guint64)v : (guint64)v);
}

void mem_om_end(MemOmWriter *w)
{
	g_return_if_fail(!w->in_sample);
	g_string_append(w->out, "# EOF\n");
}
