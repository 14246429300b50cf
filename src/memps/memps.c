/* memps.c: front end of memps, "who uses the memory": a tree of cgroups and processes (front end) */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "column.h"
#include "crosscheck.h"
#include "error.h"
#include "model.h"
#include "render-ps.h"
#include "report-ps.h"
#include "source.h"

static char *arg_snapshot, *arg_proc_root, *arg_tree, *arg_group, *arg_columns, *arg_sort;
static char *arg_user, *arg_cgroup, *arg_units, *arg_color, *arg_max_rss;
static char **arg_pids;
static gboolean arg_reverse, arg_kernel, arg_json, arg_csv, arg_bytes, arg_cross_check, arg_version;

static const GOptionEntry entries[] = {
	{ "snapshot", 'S', 0, G_OPTION_ARG_FILENAME, &arg_snapshot, "Read a recording: a directory, a tar (any compression) or - for stdin", "PATH" },
	{ "proc-root", 0, 0, G_OPTION_ARG_FILENAME, &arg_proc_root, "Read a directory laid out like /proc as if it were live", "DIR" },
	{ "tree", 't', 0, G_OPTION_ARG_STRING, &arg_tree, "Tree: cgroup (default), parent or none", "MODE" },
	{ "group", 'g', 0, G_OPTION_ARG_STRING, &arg_group, "One row per user or per program", "user|program" },
	{ "columns", 'o', 0, G_OPTION_ARG_STRING, &arg_columns, "Columns to show (default pss,private,shared)", "LIST" },
	{ "sort", 's', 0, G_OPTION_ARG_STRING, &arg_sort, "Sort each level by this column (default pss)", "COL" },
	{ "reverse", 'r', 0, G_OPTION_ARG_NONE, &arg_reverse, "Reverse the sort order", NULL },
	{ "pid", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &arg_pids, "Only these processes (comma-separated, repeatable)", "PID,..." },
	{ "user", 'U', 0, G_OPTION_ARG_STRING, &arg_user, "Only processes of this user (name or uid)", "USER" },
	{ "cgroup", 0, 0, G_OPTION_ARG_STRING, &arg_cgroup, "Only processes in this cgroup and below", "PATH" },
	{ "kernel", 'k', 0, G_OPTION_ARG_NONE, &arg_kernel, "Show kernel threads too", NULL },
	{ "max-rss", 0, 0, G_OPTION_ARG_STRING, &arg_max_rss, "Do not walk processes resident above SIZE (4G, 512M): shown skipped", "SIZE" },
	{ "json", 0, 0, G_OPTION_ARG_NONE, &arg_json, "JSON output (schema memps/1, sizes in bytes)", NULL },
	{ "csv", 0, 0, G_OPTION_ARG_NONE, &arg_csv, "CSV output (sizes in bytes)", NULL },
	{ "bytes", 'b', 0, G_OPTION_ARG_NONE, &arg_bytes, "Print sizes as plain byte counts", NULL },
	{ "units", 'u', 0, G_OPTION_ARG_STRING, &arg_units, "Fixed unit for sizes: B k M G T P E", "UNIT" },
	{ "color", 0, 0, G_OPTION_ARG_STRING, &arg_color, "Colour: auto (default), always or never", "WHEN" },
	{ "cross-check", 0, 0, G_OPTION_ARG_NONE, &arg_cross_check, "Compare PSS with libproc2's reading (live only)", NULL },
	{ "version", 'V', 0, G_OPTION_ARG_NONE, &arg_version, "Print the version and exit", NULL },
	{ NULL },
};

static gboolean parse_args(int *argc, char ***argv, MemPsOptions *o, GArray **pids, GError **error)
{
	g_autoptr(GOptionContext) ctx = g_option_context_new("[PATTERN] - who uses the memory");

	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_description(ctx, "Columns: pss private shared rss uss swap swap_pss pss_anon pss_file pss_shmem\n"
	                                      "  pss_dirty private_clean private_dirty shared_clean shared_dirty vss pid ppid\n"
	                                      "  user cmdline\n"
	                                      "Exit status: 0 ok, 1 failure, 2 usage, 3 malformed input, 4 cross-check mismatch.\n"
	                                      "See memps(1).");
	if (!g_option_context_parse(ctx, argc, argv, error))
		return FALSE;
	if (*argc > 2)
		return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "at most one PATTERN"), FALSE;
	if (*argc == 2) {
		o->pattern = g_regex_new((*argv)[1], G_REGEX_RAW | G_REGEX_OPTIMIZE, 0, error);
		if (!o->pattern)
			return FALSE;
	}
	if (!arg_tree || strcmp(arg_tree, "cgroup") == 0)
		o->tree = MEM_TREE_CGROUP;
	else if (strcmp(arg_tree, "parent") == 0)
		o->tree = MEM_TREE_PARENT;
	else if (strcmp(arg_tree, "none") == 0)
		o->tree = MEM_TREE_NONE;
	else
		return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "--tree takes cgroup, parent or none"), FALSE;
	if (!arg_group)
		o->group = MEM_GROUP_NONE;
	else if (strcmp(arg_group, "user") == 0)
		o->group = MEM_GROUP_USER;
	else if (strcmp(arg_group, "program") == 0)
		o->group = MEM_GROUP_PROGRAM;
	else
		return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "--group takes user or program"), FALSE;
	o->columns = arg_columns ? mem_columns_parse(arg_columns, error) : mem_columns_default();
	if (!o->columns)
		return FALSE;
	if (arg_sort && !(o->sort = mem_column_lookup(arg_sort)))
		return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "unknown sort column '%s'", arg_sort), FALSE;
	if (arg_pids) {
		g_autofree char *joined = g_strjoinv(",", arg_pids);
		if (!(*pids = mem_cli_parse_pids(joined, error)))
			return FALSE;
		o->pids = (const guint32 *)(*pids)->data;
		o->n_pids = (*pids)->len;
	}
	if (arg_snapshot && arg_proc_root)
		return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "--snapshot and --proc-root exclude each other"), FALSE;
	if (arg_json && arg_csv)
		return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "--json and --csv exclude each other"), FALSE;
	o->reverse = arg_reverse;
	o->kernel = arg_kernel;
	o->cgroup = arg_cgroup;
	return TRUE;
}

/* The per-process files the output needs beyond stat and smaps_rollup. */
static guint32 files_needed(const MemPsOptions *o)
{
	guint32 files = 0;

	if (arg_json || arg_csv)
		return MEM_FILE_STATUS | MEM_FILE_CMDLINE | MEM_FILE_CGROUP;
	if (o->tree == MEM_TREE_CGROUP || o->cgroup)
		files |= MEM_FILE_CGROUP;
	if (o->pattern || (o->sort && o->sort->kind == MEM_COL_CMDLINE))
		files |= MEM_FILE_CMDLINE;
	if (arg_user || o->group == MEM_GROUP_USER || (o->sort && o->sort->kind == MEM_COL_USER))
		files |= MEM_FILE_STATUS;
	for (guint i = 0; i < o->columns->len; i++) {
		const MemColumn *col = g_ptr_array_index(o->columns, i);
		if (col->kind == MEM_COL_CMDLINE)
			files |= MEM_FILE_CMDLINE;
		else if (col->kind == MEM_COL_USER)
			files |= MEM_FILE_STATUS;
		else if (col->kind == MEM_COL_BYTES && col->metric == MEM_M_RSS)
			files |= MEM_FILE_STATUS; /* VmRSS of unreadable processes */
	}
	return files;
}

static int cross_check(MemSource *src, const MemLoadOptions *lo, MemSnapshot *snap)
{
	MemCrossCheck cc;
	g_autoptr(GError) err = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	int rc;

	if (!mem_cross_check(src, lo, snap, &cc, &err)) {
		mem_cli_error("%s", err->message);
		mem_cross_check_clear(&cc);
		return err->code == MEM_ERROR_INVALID ? MEM_EXIT_USAGE : MEM_EXIT_FAILURE;
	}
	g_string_append_printf(out, "cross-check: %u processes compared with libproc2: %u agree, %u differ\n",
	                       cc.compared, cc.agree, cc.differ);
	g_string_append_printf(out, "cross-check: %u not measured by memps (kernel threads, unreadable, vanished: libproc2 reports 0 for them), %u exited meanwhile\n",
	                       cc.skipped, cc.only_memps);
	g_string_append(out, cc.details->str);
	rc = cc.differ ? MEM_EXIT_MISMATCH : MEM_EXIT_OK;
	mem_cross_check_clear(&cc);
	return mem_cli_write(out) ? rc : MEM_EXIT_FAILURE;
}

int main(int argc, char **argv)
{
	MemPsOptions o = { 0 };
	g_autoptr(GArray) pids = NULL;
	g_autoptr(GError) err = NULL;
	g_autoptr(MemSource) src = NULL;
	g_autoptr(MemSnapshot) snap = NULL;
	g_autoptr(MemPsReport) report = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	g_autofree char *summary = NULL;
	MemLoadOptions lo = { 0 };
	MemTextOptions to = { .max_indent = 64, .flush = { mem_cli_flush, NULL } };
	int rc = MEM_EXIT_OK;

	mem_cli_init("memps");
	if (!parse_args(&argc, &argv, &o, &pids, &err) || !mem_cli_color(arg_color, &to.color, &err) ||
	    (arg_units && !mem_cli_parse_unit(arg_units, &to.unit, &err)) ||
	    (arg_max_rss && !mem_cli_parse_size(arg_max_rss, &lo.max_rss, &err))) {
		mem_cli_error("%s (try --help)", err->message);
		return MEM_EXIT_USAGE;
	}
	if (arg_version) {
		g_string_append(out, PACKAGE_STRING "\n");
		return mem_cli_write(out) ? MEM_EXIT_OK : MEM_EXIT_FAILURE;
	}
	to.bytes = arg_bytes;

	src = arg_proc_root ? mem_source_open_proc_root(arg_proc_root, &err) : mem_source_open(arg_snapshot, &err);
	lo.pids = o.pids;
	lo.n_pids = o.n_pids;
	lo.files = files_needed(&o);
	if (src)
		snap = mem_snapshot_load(src, &lo, &err);
	if (!snap) {
		mem_cli_error("%s", err->message);
		return mem_cli_exit_for(err);
	}
	rc = mem_cli_report_problems(snap);
	if (pids) {
		mem_cli_resolve_threads(snap, pids);
		o.pids = (const guint32 *)(gconstpointer)pids->data;
		o.n_pids = pids->len;
	}
	for (guint i = 0; i < o.n_pids; i++)
		if (!mem_snapshot_find(snap, o.pids[i])) {
			mem_cli_error("no process %u", o.pids[i]);
			rc = rc ? rc : MEM_EXIT_FAILURE;
		}
	if (arg_user) {
		if (!mem_snapshot_user_id(snap, arg_user, &o.uid)) {
			mem_cli_error("unknown user '%s'", arg_user);
			return MEM_EXIT_USAGE;
		}
		o.has_uid = TRUE;
	}
	if (arg_cross_check)
		return cross_check(src, &lo, snap);

	report = mem_ps_report_new(snap, &o);
	if (arg_json) {
		mem_render_ps_json(report, FALSE, &to.flush, out);
	} else {
		g_autoptr(MemTable) table = mem_ps_report_table(report);
		if (arg_csv)
			mem_render_csv(table, &to.flush, out);
		else
			mem_render_text(table, &to, out);
	}
	if (!mem_cli_write(out))
		return MEM_EXIT_FAILURE;
	summary = mem_ps_report_summary(report);
	if (summary)
		mem_cli_error("%s", summary);
	if (o.pattern)
		g_regex_unref(o.pattern);
	g_ptr_array_unref(o.columns);
	return rc;
}
