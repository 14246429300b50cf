/* html-driver.c: mem_graph_html on a saved memgraph JSON file or stdin, the page on stdout (test layer)
 *
 * Lets the page's tests run without the memgraph front end.  Exit status as the tools: 0 a page was
 * written, 2 usage, 3 the records were refused (the message on stderr, nothing on stdout).
 * `--parse-only FILE` only reads and parses (the JSON reader's share of time and memory, for the
 * bounds test). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "html-graph.h"
#include "json-reader.h"
#include "source.h"

int main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GString) page = g_string_new(NULL);
	g_autofree char *text = NULL;
	gsize len = 0;
	gboolean parse_only = argc == 3 && strcmp(argv[1], "--parse-only") == 0;

	mem_cli_init("html-driver");
	if (argc != 2 && !parse_only) {
		fprintf(stderr, "usage: html-driver [--parse-only] FILE|-\n");
		return 2;
	}
	text = mem_source_read_input(argv[argc - 1], MEM_JSON_MAX_SIZE, &len, &error);
	if (text && parse_only) {
		MemJsonDoc *doc = mem_json_parse(text, len, argv[2], &error);

		if (!doc) {
			mem_cli_error("%s", error->message);
			return 3;
		}
		mem_json_doc_free(doc);
		return 0;
	}
	if (!text || !mem_graph_html(text, len, strcmp(argv[1], "-") == 0 ? "stdin" : argv[1], page, &error)) {
		mem_cli_error("%s", error->message);   /* escaped there, as every tool's messages */
		return 3;
	}
	if (fwrite(page->str, 1, page->len, stdout) != page->len || fflush(stdout) != 0) {
		perror("html-driver: stdout");
		return 3;
	}
	return 0;
}
