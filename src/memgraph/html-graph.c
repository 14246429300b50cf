/* html-graph.c: the memgraph treemap page (renderers layer); a stub until the treemap lands */
#include "config.h"

#include "error.h"
#include "html-graph.h"

gboolean mem_graph_html(const char *json, gsize len, const char *what, GString *out, GError **error)
{
	(void)json;
	(void)len;
	(void)out;
	g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "%s: the treemap page is not built yet", what);
	return FALSE;
}
