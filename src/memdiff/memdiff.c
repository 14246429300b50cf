/* memdiff.c: front end of memdiff, "what grew": two or more sources compared, and a memory gate for CI (front end) */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "compare-diff.h"
#include "error.h"
#include "gate-diff.h"
#include "load-diff.h"
#include "render-diff.h"
#include "side-diff.h"

enum { MEMDIFF_EXIT_EXCEEDED = MEM_EXIT_MISMATCH };

static char **arg_limits, **arg_budgets, *arg_unknown, *arg_maps;
static gboolean arg_all, arg_objects;

static const GOptionEntry entries[] = {
	{ "max-growth", 0, 0, G_OPTION_ARG_STRING_ARRAY, &arg_limits, "Fail (exit 4) when TARGET grows above LIMIT: pss=+5%, job:/system.slice=+20M, program:NAME=+1M (repeatable)", "TARGET=LIMIT" },
	{ "budget", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &arg_budgets, "Limits from a file, one TARGET=LIMIT a line, # comments (repeatable)", "FILE" },
	{ "unknown", 0, 0, G_OPTION_ARG_STRING, &arg_unknown, "A limit over an unknown figure: fail (default) or pass", "fail|pass" },
	{ "all", 'a', 0, G_OPTION_ARG_NONE, &arg_all, "Show unchanged jobs and programs too", NULL },
	{ "objects", 'm', 0, G_OPTION_ARG_NONE, &arg_objects, "Compare the memory objects (every process's mappings) by name", NULL },
	{ "maps", 0, 0, G_OPTION_ARG_STRING, &arg_maps, "Compare the mappings of one process (its pid) or of a program's processes, by name", "PID|PROGRAM" },
	{ NULL },
};

static const MemCliTool tool = {
	.name = "memdiff",
	.params = "OLD NEW [NEW...]",
	.entries = entries,
	.notes = "OLD and NEW: a recording (directory, tar, tar.gz, - for stdin), a saved memps --json report,\n"
	         "or the word live (the running system, or --proc-root DIR).  Several NEW: the median per row.",
	.exit_status = "0 pass, 1 failure, 2 usage or a bad limit, 3 malformed input, 4 a limit exceeded or unknown",
	.examples = "  memdiff before.tar after.tar          what grew and shrank\n"
	            "  memdiff base.json live --max-growth pss=+5%\n"
	            "                                        the running system against a saved report\n"
	            "  memdiff old.tar new1 new2 new3 --budget ci/memory-budget\n"
	            "                                        the median of three runs against a budget\n",
};

/* Warnings on stderr: different kernels, processes not measured. */
static void warn_sides(const MemDiffReport *r)
{
	for (guint i = 0; i < r->new->len; i++) {
		const MemDiffSide *n = g_ptr_array_index(r->new, i);
		if (r->old->kernel && n->kernel && strcmp(r->old->kernel, n->kernel) != 0)
			mem_cli_warn("OLD %s and NEW %s ran different kernels (%s, %s): figures may differ for reasons other than the workload",
			             r->old->arg, n->arg, r->old->kernel, n->kernel);
	}
	for (guint i = 0; i <= r->new->len; i++) {
		const MemDiffSide *s = i ? g_ptr_array_index(r->new, i - 1) : r->old;
		guint n = 0;
		for (guint p = 0; p < s->procs->len; p++)
			n += !((const MemDiffProc *)g_ptr_array_index(s->procs, p))->measured;
		if (n)
			mem_cli_warn("%s %s: %u process%s not measured (unreadable or skipped): the sums holding them are unknown",
			             i ? "NEW" : "OLD", s->arg, n, n == 1 ? "" : "es");
		if (s->n_vanished)
			mem_cli_warn("%s %s: %u process%s vanished while read: left out, as if exited before", i ? "NEW" : "OLD",
			             s->arg, s->n_vanished, s->n_vanished == 1 ? "" : "es");
	}
}

int main(int argc, char **argv)
{
	g_auto(MemCli) cli = { 0 };
	g_autoptr(GPtrArray) gates = g_ptr_array_new_with_free_func((GDestroyNotify)mem_diff_gate_free);
	g_autoptr(GPtrArray) sides = g_ptr_array_new_with_free_func((GDestroyNotify)mem_diff_side_free);
	g_autoptr(GPtrArray) news = g_ptr_array_new();
	g_autoptr(GArray) checks = g_array_new(FALSE, TRUE, sizeof(MemDiffCheck));
	g_autoptr(MemDiffReport) report = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	g_autoptr(GError) err = NULL;
	gboolean unknown_pass = FALSE;
	MemDiffLoad load = { 0 };
	guint failed = 0, n_stdin = 0;
	int rc = MEM_EXIT_OK;

	if ((rc = mem_cli_parse(&cli, &tool, &argc, &argv)) >= 0)
		return rc;
	rc = MEM_EXIT_OK;
	if (cli.snapshot)
		g_set_error(&err, MEM_ERROR, MEM_ERROR_INVALID, "no -S: name OLD and NEW as arguments");
	else if (argc < 3)
		g_set_error(&err, MEM_ERROR, MEM_ERROR_INVALID, "expected OLD NEW [NEW...]");
	for (int i = 1; !err && i < argc; i++)
		if (strcmp(argv[i], "-") == 0 && ++n_stdin > 1)
			g_set_error(&err, MEM_ERROR, MEM_ERROR_INVALID, "stdin (-) can be one side only");
	if (err)
		return mem_cli_usage(err);
	if (!mem_diff_read_limits(arg_limits, arg_budgets, gates, &rc))
		return rc;
	unknown_pass = g_strcmp0(arg_unknown, "pass") == 0;
	if (arg_unknown && !unknown_pass && strcmp(arg_unknown, "fail") != 0) {
		g_set_error(&err, MEM_ERROR, MEM_ERROR_INVALID, "--unknown takes fail or pass");
		return mem_cli_usage(err);
	}
	load.maps = arg_maps;
	load.objects = arg_objects;
	if ((arg_maps || arg_objects) && !mem_diff_check_maps(&load, gates, &rc))
		return rc;
	for (int i = 1; i < argc; i++) {
		g_autofree char *what = g_strdup_printf("%s %s", i == 1 ? "OLD" : "NEW", argv[i]);
		MemDiffSide *s = mem_diff_load_side(&cli, &load, argv[i], what, &rc);
		if (!s)
			return rc;
		g_ptr_array_add(sides, s);
		if (i > 1)
			g_ptr_array_add(news, s);
	}
	report = mem_diff_report_new(g_ptr_array_index(sides, 0), news);
	if (arg_objects)
		report->maps_of = g_strdup("all");
	else if (arg_maps)
		report->maps_of = g_strdup_printf("%s %s", load.maps_pid ? "pid" : "program", arg_maps);
	warn_sides(report);
	for (guint i = 0; i < gates->len; i++) {
		MemDiffCheck c;
		mem_diff_gate_check(g_ptr_array_index(gates, i), report, &c);
		g_array_append_val(checks, c);
		failed += mem_diff_verdict_fails(c.verdict, unknown_pass);
	}
	if (cli.json) {
		mem_diff_json(report, checks, unknown_pass, out);
	} else {
		g_autoptr(MemTable) table = mem_diff_table(report, arg_all, cli.csv, &cli.text);
		g_autoptr(GString) limits = g_string_new(NULL);
		if (!cli.csv)
			mem_diff_text_head(report, out);
		mem_cli_render_table(&cli, table, out);
		mem_diff_text_gates(checks, unknown_pass, &cli.text, cli.csv ? limits : out);
		if (limits->len > 1) /* CSV holds the table only: the verdicts go to stderr */
			fputs(limits->str + 1, stderr);
	}
	rc = mem_cli_finish(&cli, out, NULL, rc);
	if (failed)
		mem_cli_error("%u of %u limits failed", failed, gates->len);
	if (rc == MEM_EXIT_OK && failed)
		rc = MEMDIFF_EXIT_EXCEEDED;
	return rc;
}
