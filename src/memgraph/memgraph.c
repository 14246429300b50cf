/* memgraph.c: front end of memgraph, "the whole machine as one tree": kernel categories, jobs, processes, objects, threads as JSON records or a treemap page (front end) */
#include "config.h"

#include <string.h>

#include "cli.h"
#include "error.h"
#include "html-graph.h"
#include "json-reader.h"
#include "render-graph.h"
#include "report-graph.h"
#include "source.h"

static gboolean arg_objects, arg_threads, arg_html;
static char *arg_input;

static const GOptionEntry entries[] = {
	{ "objects", 'v', 0, G_OPTION_ARG_NONE, &arg_objects, "Each process's memory objects too (memobjs's objects: files, shmem, anonymous mappings)", NULL },
	{ "threads", 't', 0, G_OPTION_ARG_NONE, &arg_threads, "Each process's threads too (live only: a recording holds none)", NULL },
	{ "html", 0, 0, G_OPTION_ARG_NONE, &arg_html, "Write a self-contained treemap page (HTML) instead of the records", NULL },
	{ "input", 0, 0, G_OPTION_ARG_FILENAME, &arg_input, "With --html: the page of saved memgraph JSON records (- for stdin) instead of a source", "FILE" },
	{ NULL },
};

static const MemCliTool tool = {
	.name = "memgraph",
	.params = "",
	.entries = entries,
	.no_csv = "memgraph writes JSON records (or, with --html, a page)",
	.exit_status = "0 ok, 1 failure, 2 usage, 3 malformed input",
	.examples = "  memgraph                     the kernel's categories, jobs and processes as JSON records\n"
	            "  memgraph -v -t               with each process's memory objects and threads\n"
	            "  memgraph -v --html > mem.html  the same as a treemap page\n"
	            "  memgraph -S rec.tar          a recording's\n"
	            "  memgraph --html --input saved.json > mem.html   a page of saved records\n",
};

/* The page of JSON text: FALSE with the error printed (*rc its status). */
static gboolean html_page(const char *json, gsize len, const char *what, GString *out, int *rc)
{
	g_autoptr(GError) err = NULL;

	if (mem_graph_html(json, len, what, out, &err))
		return TRUE;
	*rc = mem_cli_fail(err);
	return FALSE;
}

/* --html --input FILE: saved records to a page. */
static int from_input(MemCli *cli)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	g_autofree char *json = NULL;
	gsize len;
	int rc = MEM_EXIT_OK;

	if (cli->snapshot || cli->proc_root) {
		g_set_error(&err, MEM_ERROR, MEM_ERROR_INVALID, "--input reads saved records: no -S or --proc-root with it");
		return mem_cli_usage(err);
	}
	if (!(json = mem_source_read_input(arg_input, MEM_JSON_MAX_SIZE, &len, &err)))
		return mem_cli_fail(err) == MEM_EXIT_FAILURE ? MEM_EXIT_BAD_INPUT : mem_cli_exit_for(err);
	if (!html_page(json, len, strcmp(arg_input, "-") == 0 ? "stdin" : arg_input, out, &rc))
		return rc;
	return mem_cli_finish(cli, out, NULL, MEM_EXIT_OK);
}

int main(int argc, char **argv)
{
	g_auto(MemCli) cli = { 0 };
	g_autoptr(GError) err = NULL;
	g_autoptr(MemSnapshot) snap = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	g_autofree char *summary = NULL;
	MemGraphGather gather = { 0 };
	MemGraph g = { 0 };
	MemLoadOptions lo = { 0 };
	int rc;

	if ((rc = mem_cli_parse(&cli, &tool, &argc, &argv)) >= 0)
		return rc;
	if (argc > 1)
		g_set_error(&err, MEM_ERROR, MEM_ERROR_INVALID, "unexpected argument '%s'", argv[1]);
	else if (arg_input && !arg_html)
		g_set_error(&err, MEM_ERROR, MEM_ERROR_INVALID, "--input needs --html (it reads saved records for a page)");
	else if (arg_input && (arg_objects || arg_threads))
		g_set_error(&err, MEM_ERROR, MEM_ERROR_INVALID, "--input reads saved records: no -v or -t with it");
	if (err)
		return mem_cli_usage(err);
	if (arg_input)
		return from_input(&cli);

	lo.files = MEM_FILE_CMDLINE | MEM_FILE_CGROUP | MEM_FILE_MEMINFO | MEM_FILE_ZRAM; /* no status: no record shows uid or VmRSS */
	if (arg_objects) {
		/* objects are made as each batch of mappings is read (memobjs's way), both views at once */
		mem_graph_gather_init(&gather);
		lo.mappings = TRUE;
		lo.no_rollup = TRUE;
		lo.mappings_func = mem_graph_gather_mappings;
		lo.mappings_data = &gather;
	}
	if (!(snap = mem_cli_load(&cli, &lo, &rc))) {
		mem_graph_gather_clear(&gather);
		return rc;
	}
	if (!mem_graph_build(&g, snap, arg_objects ? &gather : NULL, &err)) {
		mem_graph_gather_clear(&gather);
		return mem_cli_fail(err);
	}
	mem_graph_gather_clear(&gather);
	if (!snap->meminfo)
		mem_cli_warn("no usable meminfo in the source: the kernel nodes' sizes are unknown");
	if (g.objects)
		for (guint i = 0; i < g.objects->problems->len; i++) {
			mem_cli_error("%s", (char *)g_ptr_array_index(g.objects->problems, i));
			rc = MEM_EXIT_BAD_INPUT;
		}
	if (arg_threads && !mem_graph_read_threads(&g, cli.src))
		mem_cli_warn("threads not recorded: a recording holds no task directories, no thread records");
	if (arg_html) {
		g_autoptr(GString) json = g_string_new(NULL);
		mem_render_graph_json(&g, NULL, json);
		if (!html_page(json->str, json->len, "memgraph", out, &rc)) {
			mem_graph_clear(&g);
			return rc;
		}
	} else {
		mem_render_graph_json(&g, &cli.text.flush, out);
	}
	summary = mem_graph_summary(&g);
	rc = mem_cli_finish(&cli, out, summary, rc);
	mem_graph_clear(&g);
	return rc;
}
