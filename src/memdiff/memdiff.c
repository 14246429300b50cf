/* memdiff.c: front end of memdiff, "what grew": two or more sources compared, and a memory gate for CI (front end) */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "compare-diff.h"
#include "error.h"
#include "gate-diff.h"
#include "json-reader.h"
#include "render-diff.h"
#include "side-diff.h"
#include "source-peek.h"

#define BUDGET_MAX ((gsize)1 << 20)

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

static gboolean parse_gates(GPtrArray *gates, gboolean *unknown_pass, int *rc)
{
	g_autoptr(GError) err = NULL;

	for (char **l = arg_limits; l && *l; l++) {
		MemDiffGate *g = mem_diff_gate_parse(*l, "--max-growth", &err);
		if (!g)
			return *rc = mem_cli_usage(err), FALSE;
		g_ptr_array_add(gates, g);
	}
	for (char **b = arg_budgets; b && *b; b++) {
		gsize len = 0;
		g_autofree char *text = mem_source_read_input(*b, BUDGET_MAX, &len, &err);
		if (!text)
			return *rc = mem_cli_fail(err), FALSE;
		if (!mem_diff_budget_parse(strcmp(*b, "-") == 0 ? "stdin" : *b, text, len, gates, &err))
			return *rc = mem_cli_usage(err), FALSE;
	}
	*unknown_pass = g_strcmp0(arg_unknown, "pass") == 0;
	if (arg_unknown && !*unknown_pass && strcmp(arg_unknown, "fail") != 0) {
		g_set_error(&err, MEM_ERROR, MEM_ERROR_INVALID, "--unknown takes fail or pass");
		return *rc = mem_cli_usage(err), FALSE;
	}
	return TRUE;
}

static guint32 maps_pid; /* --maps PID; 0: --maps PROGRAM (or none) */

static MemSnapshot *load_snapshot(MemCli *cli, const char *arg, const char *what, const MemLoadOptions *lo, int *rc)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(MemSource) src = NULL;
	g_autoptr(GPtrArray) lines = NULL;
	MemFeatures missing;
	MemSnapshot *snap;

	if (strcmp(arg, "live") == 0)
		src = cli->proc_root ? mem_source_open_proc_root(cli->proc_root, &err) : mem_source_open(NULL, &err);
	else
		src = mem_source_open(arg, &err);
	if (!src || !(snap = mem_snapshot_load(src, lo, &err)))
		return *rc = mem_cli_fail(err), NULL;
	if (mem_cli_report_problems(snap))
		*rc = MEM_EXIT_BAD_INPUT;
	mem_features_from_snapshot(&missing, snap);
	if ((lines = mem_features_lines(&missing)))
		for (guint i = 0; i < lines->len; i++)
			mem_cli_warn("%s: %s", what, (const char *)g_ptr_array_index(lines, i));
	return snap;
}

/* --maps PID|PROGRAM (a number is a pid) or -m; limits are on the total only (the processes' whole). */
static gboolean parse_maps(GPtrArray *gates, int *rc)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GArray) pids = NULL;

	if (arg_objects && arg_maps) {
		g_set_error(&err, MEM_ERROR, MEM_ERROR_INVALID, "-m and --maps exclude each other");
		return *rc = mem_cli_usage(err), FALSE;
	}
	if (!arg_objects && g_ascii_isdigit(arg_maps[0])) {
		if (!(pids = mem_cli_parse_pids(arg_maps, &err)) || pids->len != 1) {
			if (!err)
				g_set_error(&err, MEM_ERROR, MEM_ERROR_INVALID, "--maps takes one pid or program name");
			return *rc = mem_cli_usage(err), FALSE;
		}
		maps_pid = g_array_index(pids, guint32, 0);
	} else if (!arg_objects && !arg_maps[0]) {
		g_set_error(&err, MEM_ERROR, MEM_ERROR_INVALID, "--maps takes one pid or program name");
		return *rc = mem_cli_usage(err), FALSE;
	}
	for (guint i = 0; i < gates->len; i++) {
		const MemDiffGate *g = g_ptr_array_index(gates, i);
		if (g->kind != MEM_DIFF_TOTAL) {
			g_set_error(&err, MEM_ERROR, MEM_ERROR_INVALID, "%s: with %s a limit is on the total (pss, uss, swap_pss), not '%s'",
			            g->origin, arg_objects ? "-m" : "--maps", g->spec);
			return *rc = mem_cli_usage(err), FALSE;
		}
	}
	return TRUE;
}

/* --maps: the mappings of the pid, or of the program's processes (found by a first load), by name. */
static MemDiffSide *load_maps(MemCli *cli, const char *arg, const char *what, int *rc)
{
	MemLoadOptions lo = { .files = mem_diff_load_files(), .fields = mem_diff_load_fields(), .mappings = TRUE, .no_rollup = TRUE };
	g_autoptr(GArray) pids = NULL;
	MemSnapshot *snap;

	if (arg_objects) {
		if (!(snap = load_snapshot(cli, arg, what, &lo, rc)))
			return NULL;
		return mem_diff_side_maps(arg, snap, NULL, 0);
	}
	if (maps_pid) {
		pids = g_array_new(FALSE, FALSE, sizeof(guint32));
		g_array_append_val(pids, maps_pid);
	} else {
		MemLoadOptions first = { .files = mem_diff_load_files(), .fields = mem_diff_load_fields() };
		g_autoptr(MemSnapshot) all = NULL;
		if (strcmp(arg, "-") == 0) {
			mem_cli_error("--maps PROGRAM reads a side twice: not stdin (-)");
			return *rc = MEM_EXIT_USAGE, NULL;
		}
		if (!(all = load_snapshot(cli, arg, what, &first, rc)))
			return NULL;
		pids = mem_diff_program_pids(all, arg_maps);
		if (pids->len == 0) {
			mem_cli_warn("%s: no process of program %s", what, arg_maps);
			return mem_diff_side_maps(arg, g_steal_pointer(&all), NULL, 0);
		}
	}
	lo.pids = (const guint32 *)(gconstpointer)pids->data;
	lo.n_pids = pids->len;
	if (!(snap = load_snapshot(cli, arg, what, &lo, rc)))
		return NULL;
	if (maps_pid && !mem_snapshot_find(snap, maps_pid) && snap->threads->len == 0)
		mem_cli_warn("%s: no process %u", what, maps_pid);
	for (guint t = 0; t < snap->threads->len; t++) /* a thread's pid stands for its process */
		g_array_index(pids, guint32, 0) = g_array_index(snap->threads, MemThreadOf, t).tgid;
	return mem_diff_side_maps(arg, snap, (const guint32 *)(gconstpointer)pids->data, pids->len);
}

/* One side: the live system, a saved report or a recording.  NULL: printed, *rc set. */
static MemDiffSide *load_side(MemCli *cli, const char *arg, const char *what, int *rc)
{
	g_autoptr(GError) err = NULL;
	MemLoadOptions lo = { .files = mem_diff_load_files(), .fields = mem_diff_load_fields() };
	MemSnapshot *snap;
	gboolean is_json = FALSE;

	if (strcmp(arg, "live") != 0 && !mem_source_peek_json(arg, &is_json, &err))
		return *rc = mem_cli_fail(err), NULL;
	if (is_json && (arg_maps || arg_objects)) {
		mem_cli_error("%s: %s needs recordings or live: a memps --json report has no mappings", arg,
		              arg_maps ? "--maps" : "-m");
		return *rc = MEM_EXIT_USAGE, NULL;
	}
	if (arg_maps || arg_objects)
		return load_maps(cli, arg, what, rc);
	if (is_json) {
		MemJsonDoc *doc = mem_json_load(arg, &err);
		MemDiffSide *s = doc ? mem_diff_side_from_report(arg, doc, &err) : NULL;
		if (!s)
			*rc = mem_cli_fail(err);
		return s;
	}
	if (!(snap = load_snapshot(cli, arg, what, &lo, rc)))
		return NULL;
	return mem_diff_side_from_snapshot(arg, snap);
}

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
	if (!parse_gates(gates, &unknown_pass, &rc))
		return rc;
	if ((arg_maps || arg_objects) && !parse_maps(gates, &rc))
		return rc;
	for (int i = 1; i < argc; i++) {
		g_autofree char *what = g_strdup_printf("%s %s", i == 1 ? "OLD" : "NEW", argv[i]);
		MemDiffSide *s = load_side(&cli, argv[i], what, &rc);
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
		report->maps_of = g_strdup_printf("%s %s", maps_pid ? "pid" : "program", arg_maps);
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
