/* render-objs.h: the memobjs report as a table (text, CSV) and as JSON "memobjs/1" (rendering layer) */
#pragma once

#include <glib.h>

#include "render.h"
#include "objects.h"
#include "table.h"

/* The report as an aligned text table (or CSV when csv): the first column is the object (its id, or
 * "p:PID" for a process row in the process view), the last its name.  The rows are made and written a
 * piece at a time (text: widths over every piece first), never held all at once: an object per
 * mapping of a process of 4 million mappings would be a table of a gigabyte (issue 8). */
void mem_render_objs_table(const MemObjsReport *r, gboolean csv, const MemTextOptions *o, GString *out);

/* JSON, schema "memobjs/1" (documented key by key in memobjs(1)); flush may be NULL. */
void mem_render_objs_json(const MemObjsReport *r, gboolean pretty, const MemFlush *flush, GString *out);
