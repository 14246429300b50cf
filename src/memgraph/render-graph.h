/* render-graph.h: memgraph's JSON records, one a line (rendering layer)
 *
 * `[` on its own line, then one record a line, each but the last followed by `,`, then `]`: kernel
 * nodes, jobs, processes (each followed by its threads), objects, and the closing __META record.  The
 * keys of each record type are in man/memgraph.1 and doc/memgraph.schema.json. */
#pragma once

#include <glib.h>

#include "render.h"
#include "report-graph.h"

/* Appends the records to out; flush (may be NULL: everything stays in out) is called as it grows. */
void mem_render_graph_json(const MemGraph *g, const MemFlush *flush, GString *out);
