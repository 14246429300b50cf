/* openmetrics.h: a writer of the OpenMetrics text format, for node_exporter's textfile collector (rendering layer)
 *
 * The caller says what comes next: a metric family (its # TYPE, # UNIT and # HELP lines), then its
 * samples, each a set of labels and a value; mem_om_end() writes "# EOF".  The writer places the
 * braces, commas and quotes and escapes label values (mem_escape_openmetrics()).  Only gauges are
 * written: every figure is a reading of now (an unreadable count can go down), and the families carry
 * no _total suffix that the Prometheus text format (node_exporter reads files as that) would misread.
 * No timestamps: the textfile collector refuses them.  Unknown figures are left out by the caller:
 * a family may have no sample at all.  Names are the caller's constants, checked (g_return). */
#pragma once

#include <glib.h>

#include "render.h"

typedef struct {
	GString *out;
	const MemFlush *flush;    /* optional: called between samples when out has grown */
	char *family;             /* the current family's name (owned) */
	GHashTable *seen;         /* family names written: each one once, as the format asks */
	guint n_labels;           /* labels of the sample being written */
	gboolean in_sample;
} MemOmWriter;

void mem_om_writer_init(MemOmWriter *w, GString *out, const MemFlush *flush);
void mem_om_writer_clear(MemOmWriter *w);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(MemOmWriter, mem_om_writer_clear)

/* Starts a gauge family: "# TYPE name gauge", "# UNIT name unit" when unit is not NULL (name then
 * ends in "_unit", as the format asks), "# HELP name help".  name: [a-zA-Z_:][a-zA-Z0-9_:]*. */
void mem_om_gauge(MemOmWriter *w, const char *name, const char *unit, const char *help);

/* Starts a sample of the current family. */
void mem_om_sample(MemOmWriter *w);

/* A label of the sample: a value of untrusted bytes (escaped), or a number. */
void mem_om_label(MemOmWriter *w, const char *name, const char *value, gsize len);
void mem_om_label_uint(MemOmWriter *w, const char *name, guint64 v);

/* Ends the sample with its value. */
void mem_om_value_uint(MemOmWriter *w, guint64 v);
void mem_om_value_int(MemOmWriter *w, gint64 v);

/* "# EOF": the end of the exposition. */
void mem_om_end(MemOmWriter *w);
