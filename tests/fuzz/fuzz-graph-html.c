/* fuzz-graph-html.c: libFuzzer harness for the memgraph treemap page: any input gives a page whose data block cannot end early, or a clean error and nothing written (renderers layer fuzzing)
 *
 * html-graph.c is compiled into this file (its generated treemap-assets.c is not a source the fuzz
 * rules can build), with small stand-ins for the embedded script and style. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "../../src/memgraph/treemap-assets.h"

const char mem_treemap_js[] = "/* script */\n";
const gsize mem_treemap_js_len = sizeof(mem_treemap_js) - 1;
const char mem_treemap_css[] = "/* style */\n";
const gsize mem_treemap_css_len = sizeof(mem_treemap_css) - 1;

#include "../../src/memgraph/html-graph.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char open[] = "<script type=\"application/json\" id=\"memgraph-data\">";
	GString *out = g_string_new(NULL);
	GError *err = NULL;

	if (mem_graph_html((const char *)data, size, "fuzz", out, &err)) {
		const char *start = strstr(out->str, open), *end;

		/* one data block, and nothing in it that HTML or JavaScript would read as markup or a line end */
		if (!g_str_has_prefix(out->str, "<!DOCTYPE html>\n") || !g_str_has_suffix(out->str, "</html>\n") || !start)
			abort();
		start += strlen(open);
		end = strstr(start, "</script>");
		if (!end || memchr(start, '<', (size_t)(end - start)) || memchr(start, '>', (size_t)(end - start)) ||
		    memchr(start, '&', (size_t)(end - start)) || !g_utf8_validate(start, end - start, NULL) ||
		    g_strstr_len(start, end - start, "\xe2\x80\xa8") || g_strstr_len(start, end - start, "\xe2\x80\xa9") ||
		    !strstr(end, mem_treemap_js))
			abort();
	} else {
		/* ours and naming the input; raw ids may hold control bytes: the front end escapes messages */
		if (!err || err->domain != MEM_ERROR || !g_str_has_prefix(err->message, "fuzz") || out->len)
			abort();
		g_error_free(err);
	}
	g_string_free(out, TRUE);
	return 0;
}
