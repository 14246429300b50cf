/* json-writer.h: a small streaming JSON writer with its own escaper (rendering layer)
 *
 * memps writes JSON itself (json-glib would load gobject and gio on the default path).  The writer
 * tracks nesting and commas, so callers only say what comes next.  Output is compact by default, or
 * with `pretty`, two-space indented.  Writes go to a GString; the caller flushes it. */
#pragma once

#include <glib.h>

#include "json-reader.h"

typedef struct _MemJsonWriter MemJsonWriter;

MemJsonWriter *mem_json_writer_new(GString *out, gboolean pretty);
void mem_json_writer_free(MemJsonWriter *w);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MemJsonWriter, mem_json_writer_free)

void mem_json_begin_object(MemJsonWriter *w);
void mem_json_end_object(MemJsonWriter *w);
void mem_json_begin_array(MemJsonWriter *w);
void mem_json_end_array(MemJsonWriter *w);

/* The key of the next member (inside an object). */
void mem_json_key(MemJsonWriter *w, const char *key);

void mem_json_string(MemJsonWriter *w, const char *s);             /* NULL writes null */
void mem_json_string_len(MemJsonWriter *w, const char *s, gsize len);
void mem_json_int(MemJsonWriter *w, gint64 v);
void mem_json_uint(MemJsonWriter *w, guint64 v);
void mem_json_bool(MemJsonWriter *w, gboolean v);
void mem_json_null(MemJsonWriter *w);

/* A member whose value may be unknown: key, then the number, or null when !known (unknown is not 0). */
void mem_json_member_uint(MemJsonWriter *w, const char *key, gboolean known, guint64 v);
void mem_json_member_int(MemJsonWriter *w, const char *key, gboolean known, gint64 v);

/* Current nesting depth (0 when the document is complete). */
guint mem_json_depth(const MemJsonWriter *w);

/* Writes a value read by json-reader.h again, escaped as every string we write.  A double that is a
 * whole number within 64 bits is written as an integer, any other finite one as a string of its
 * shortest form (JSON numbers are not ours to round), an infinite one as null. */
void mem_json_value(MemJsonWriter *w, const MemJsonValue *v);
