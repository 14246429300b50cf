/* render-diff.h: memdiff's table (text, CSV) and its JSON document (schema memdiff/1) (rendering layer) */
#pragma once

#include <glib.h>

#include "compare-diff.h"
#include "gate-diff.h"
#include "render.h"

/* A signed size in Zircon's units: "+1.2M", "-64k", "0B"; with `bytes`, "+1234"; with a fixed unit
 * (MemTextOptions.unit), that unit.  Appends to out. */
void mem_diff_format_delta(GString *out, gint64 delta, const MemTextOptions *o);

/* The table of rows: the total, the jobs and the programs that changed (every row with `all`), with
 * the OLD and NEW PSS, the deltas of PSS, USS and SwapPss, the process counts, how programs were
 * matched, their cgroup; text deltas are signed sizes, CSV ones signed byte counts (`csv`). */
MemTable *mem_diff_table(const MemDiffReport *r, gboolean all, gboolean csv, const MemTextOptions *o);

/* The lines before the table: what was compared, and how programs were matched. */
void mem_diff_text_head(const MemDiffReport *r, GString *out);

/* A line per gate: "limit pss=+5% (--max-growth): total pss 27.2M -> 28.4M, +1.2M (+4.41%): pass". */
void mem_diff_text_gates(const GArray *checks, gboolean unknown_pass, const MemTextOptions *o, GString *out);

/* The JSON document: schema, the sides, the rows (every one), the gates and the result. */
void mem_diff_json(const MemDiffReport *r, const GArray *checks, gboolean unknown_pass, GString *out);
