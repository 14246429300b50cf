/* render-ps.h: memps's renderers: JSON, and its table as text or CSV a piece at a time (rendering layer) */
#pragma once

#include <glib.h>

#include "render.h"
#include "proctree.h"

/* The report's table of these columns (const MemColumn*) as aligned text, or CSV: built a piece at a
 * time (mem_ps_report_table_piece), twice for text (the widths over every row, then the rows), so that
 * the rows of every process are never held at once. */
void mem_render_ps_table(const MemPsReport *r, const GPtrArray *columns, gboolean csv, const MemTextOptions *o,
                         GString *out);

/* The memps report as JSON (schema memps/1, see memps(1)); flush may be NULL. */
void mem_render_ps_json(const MemPsReport *r, gboolean pretty, const MemFlush *flush, GString *out);
