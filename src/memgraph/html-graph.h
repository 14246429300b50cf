/* html-graph.h: the memgraph treemap page: checks memgraph JSON records and writes one self-contained HTML file (renderers layer)
 *
 * Input is the JSON array memgraph writes (from memgraph itself or saved and read back): records with
 * id, type, parent, name and byte sizes (see man/memgraph.1 and doc/memgraph.schema.json).  It is
 * checked whole before any byte is written: invalid JSON, a record without an id, a duplicated id, a
 * parent that does not exist, a cycle in the parent links, a negative, fractional or too-large size
 * each give MEM_ERROR_PARSE naming the record.  The page embeds the records as data and its own
 * script and style: no network, no external file. */
#pragma once

#include <glib.h>

/* `json`/`len`: the memgraph JSON text; `what` names it in errors ("stdin", "memgraph").  Appends
 * the page to `out`.  FALSE with `error` set when the records are refused (nothing appended). */
gboolean mem_graph_html(const char *json, gsize len, const char *what, GString *out, GError **error);
