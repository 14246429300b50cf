/* render-objs.h: the memobjs report as a table (text, CSV) and as JSON "memobjs/1" (rendering layer) */
#pragma once

#include <glib.h>

#include "render.h"
#include "report-objs.h"
#include "table.h"

/* The report as a table for mem_render_text() / mem_render_csv(): the first column is the object
 * ("dev:inode", "anon:START", or "p:PID" for a process row in the process view), the last its name.
 * Object names are borrowed from the report's snapshot: free the table first. */
MemTable *mem_objs_report_table(const MemObjsReport *r);

/* JSON, schema "memobjs/1" (documented key by key in memobjs(1)); flush may be NULL. */
void mem_render_objs_json(const MemObjsReport *r, gboolean pretty, const MemFlush *flush, GString *out);
