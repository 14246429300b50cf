/* render.h: one renderer per output format (rendering layer) */
#pragma once

#include <glib.h>

#include "table.h"

typedef struct {
	char unit;            /* 0: Zircon natural units; 'B' 'k' 'M' 'G' 'T': fixed */
	gboolean bytes;       /* plain integers, no unit */
	gboolean color;       /* ANSI SGR colours (the caller decided: tty and no NO_COLOR) */
	guint max_indent;     /* indentation stops growing at this depth (deep hostile trees) */
} MemTextOptions;

/* Aligned text: header, rows, header again (when t->repeat_header).  Untrusted bytes are escaped
 * with mem_escape_text(); widths count display columns. */
void mem_render_text(const MemTable *t, const MemTextOptions *opts, GString *out);

/* CSV (RFC 4180): a header line then one line per row; sizes are always plain bytes; the task cell
 * carries no indentation and a "depth" column is added. */
void mem_render_csv(const MemTable *t, GString *out);
