/* render-sys.h: memsys's sample as text, CSV and JSON (rendering layer) */
#pragma once

#include <glib.h>

#include "cgroups-sys.h"
#include "json-writer.h"
#include "meminfo-categories.h"
#include "render.h"
#include "table.h"

/* One sample: the categories and, for a live read, when it was taken (NULL for a recording). */
typedef struct {
	MemSysCategories cat;
	GDateTime *time;
} MemSysSample;

/* `cols` (may be NULL for all) holds indices into the columns: 0 total, 1 avail, 2 + a MemSysCategory
 * (the order of --help's list). */

/* Text: with `timestamp`, a line "time: ISO-8601" first; then the header and one row (sizes as o says,
 * "-" for unknown, negative with a minus sign). */
void mem_sys_render_text(const MemSysSample *s, const GArray *cols, gboolean timestamp, const MemTextOptions *o, GString *out);

/* CSV: the header line (once), then a line per sample, sizes in bytes, empty for unknown. */
void mem_sys_render_csv_header(const GArray *cols, GString *out);
void mem_sys_render_csv(const MemSysSample *s, const GArray *cols, GString *out);

/* JSON: one object per sample (keys in man/memsys.1), written into an open array or as the document. */
void mem_sys_render_json(const MemSysSample *s, MemJsonWriter *w);

/* The ids of the unknown categories, space-separated ("" when all are known), which `other` includes. */
char *mem_sys_other_includes(const MemSysCategories *c);

/* ---- --cgroups (render-cgroups.c) ---- */

/* The rows of mem_sys_cgroups() as a table for text and CSV: the cgroup's name indented by depth,
 * the figures ("-" unknown; PSS "N+?" when some process is unreadable), the processes, the
 * unreadable ones, the note of a file that cannot be read, the path last. */
MemTable *mem_sys_cgroups_table(const GPtrArray *rows, const MemTextOptions *o, gboolean csv);

/* The rows as a JSON array (keys in man/memsys.1). */
void mem_sys_cgroups_json(const GPtrArray *rows, MemJsonWriter *w);

/* ---- the columns one at a time, for memsys -w (watch-sys.c) ---- */
/* How many columns `cols` shows (all when NULL), and the index of the k-th (0 total, 1 avail, 2 + a
 * MemSysCategory). */
guint mem_sys_columns_shown(const GArray *cols);
guint mem_sys_column_at(const GArray *cols, guint k);
/* Column i's id ("total", "avail", "slab_r") and value as signed bytes (FALSE when unknown). */
const char *mem_sys_column_id(guint i);
gboolean mem_sys_column_value(const MemSysCategories *c, guint i, gint64 *v);
