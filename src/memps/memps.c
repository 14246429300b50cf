/* memps.c: front end of memps, "who uses the memory": a tree of cgroups and processes (front end) */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "column.h"
#include "crosscheck.h"
#include "error.h"
#include "model.h"
#include "columns-ps.h"
#include "render-om.h"
#include "render-ps.h"
#include "proctree.h"
#include "source.h"
#include "watch-ps.h"

static GPtrArray *columns; /* const MemColumn*: -o */
static char *arg_tree, *arg_group, *arg_columns, *arg_sort, *arg_user, *arg_cgroup, *arg_max_rss, *arg_top;
static char **arg_pids;
static gboolean arg_reverse, arg_kernel, arg_cross_check;
static char *arg_watch, *arg_count; /* -w, -n */
static gboolean sort_growth;
static const MemColumn *watch_col; /* -w follows this byte column: --sort=growth:COL or -s COL; NULL: pss */
static guint om_top; /* --top */

static const GOptionEntry entries[] = {
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
	{ "watch", 'w', 0, G_OPTION_ARG_STRING, &arg_watch, "Sample every SECONDS (live): in place on a tty, appended otherwise, with the change of PSS (or of -s COL; --sort=growth[:COL])", "SECONDS" },
	{ "count", 'n', 0, G_OPTION_ARG_STRING, &arg_count, "Take COUNT samples (live; 1 s apart unless -w)", "COUNT" },
	{ "top", 0, 0, G_OPTION_ARG_STRING, &arg_top, "OpenMetrics: series for the N processes of largest PSS (default 10; 0: jobs only)", "N" },
	{ "cross-check", 0, 0, G_OPTION_ARG_NONE, &arg_cross_check, "Compare PSS with libproc2's reading (live only; text only, no -g or --cgroup)", NULL },
	{ NULL },
};

static const MemCliTool tool = {
	.name = "memps",
	.params = "[PATTERN]",
	.entries = entries,
	.openmetrics = TRUE,
	.columns = mem_columns_set,
	.columns_title = "Columns",
	.exit_status = "0 ok, 1 failure, 2 usage or an unknown --cgroup, 3 malformed input, 4 cross-check mismatch; -w: 0 ok, 1 failure, 2 usage, or the signal that stopped it",
	.examples = "  memps                     processes in their cgroups, largest PSS first\n"
	            "  memps -t none -g user     one row per user\n"
	            "  memps -o pss,swap_pss,cmdline firefox\n"
	            "                            processes whose command line matches firefox\n"
	            "  memps -S rec.tar --json   a recording, as JSON\n"
	            "  memps -w 2 --sort=growth  every 2 s, the processes that grew most first\n",
};

/* --format=openmetrics: jobs are cgroups, processes the --top N of largest PSS; the text's layout
 * options do not apply.  --top goes with it only. */
static gboolean check_openmetrics(const MemCli *cli, guint *top_out, GError **error)
{
	const char *layout = arg_tree ? "--tree" : arg_group ? "--group" : arg_columns ? "--columns" :
	                     arg_sort ? "--sort" : arg_reverse ? "--reverse" : NULL;
	guint64 top = MEM_PS_OM_TOP;

	if (!cli->openmetrics)
		return arg_top ? g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "--top goes with --format=openmetrics"), FALSE : TRUE;
	if (layout)
		return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "--format=openmetrics has its own layout: no %s", layout), FALSE;
	if (arg_top && !g_ascii_string_to_unsigned(arg_top, 10, 0, G_MAXUINT32, &top, NULL))
		return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "--top takes a count from 0, not '%s'", arg_top), FALSE;
	*top_out = (guint)top;
	return TRUE;
}

static gboolean parse_args(const MemCli *cli, int argc, char **argv, MemPsOptions *o, GArray **pids, GError **error)
{
	if (argc > 2)
		return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "at most one PATTERN"), FALSE;
	if (argc == 2 && !(o->pattern = g_regex_new(argv[1], G_REGEX_RAW | G_REGEX_OPTIMIZE, 0, error)))
		return FALSE;
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
	if (!(columns = arg_columns ? mem_columns_parse(arg_columns, error) : mem_columns_default()))
		return FALSE;
	sort_growth = arg_sort && g_ascii_strncasecmp(arg_sort, "growth", 6) == 0 && (!arg_sort[6] || arg_sort[6] == ':');
	if (sort_growth && !arg_watch && !arg_count)
		return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "--sort=growth needs -w"), FALSE;
	if (arg_sort && !(sort_growth && !arg_sort[6])) { /* one name of the column table, the valid ones listed when unknown */
		g_autoptr(GPtrArray) sort = mem_columns_parse(sort_growth ? arg_sort + 7 : arg_sort, error);
		const MemColumn *col;

		if (!sort)
			return FALSE;
		if (sort->len != 1)
			return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "--sort takes one column"), FALSE;
		col = g_ptr_array_index(sort, 0);
		if (sort_growth && col->kind != MEM_COL_BYTES)
			return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "--sort=growth:COL takes a size column"), FALSE;
		if (!sort_growth)
			o->sort = mem_ps_sort_for_column(col);
		if (col->kind == MEM_COL_BYTES)
			watch_col = col;
	}
	if (arg_pids) {
		g_autofree char *joined = g_strjoinv(",", arg_pids);
		if (!(*pids = mem_cli_parse_pids(joined, error)))
			return FALSE;
		o->pids = (const guint32 *)(*pids)->data;
		o->n_pids = (*pids)->len;
	}
	if (arg_cross_check && (cli->json || cli->csv || arg_group || arg_cgroup || cli->openmetrics || cli->output))
		return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "--cross-check writes its own text: no %s",
		                   cli->json ? "--json" : cli->csv ? "--csv" : arg_group ? "--group" : arg_cgroup ? "--cgroup" :
		                   cli->openmetrics ? "--format=openmetrics" : "--output"), FALSE;
	if (!check_openmetrics(cli, &om_top, error))
		return FALSE;
	if ((arg_watch || arg_count) && (arg_tree || arg_group || arg_cross_check))
		return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "-w follows processes one row each: no %s",
		                   arg_tree ? "-t" : arg_group ? "-g" : "--cross-check"), FALSE;
	if ((arg_watch || arg_count) && cli->openmetrics)
		return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID,
		                   "--format=openmetrics is one sample for a collector: no -w or -n"), FALSE;
	if ((arg_watch || arg_count) && cli->snapshot)
		return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "a recording is one sample: no -w or -n with -S"), FALSE;
	o->reverse = arg_reverse;
	o->kernel = arg_kernel;
	o->cgroup = arg_cgroup;
	return TRUE;
}

/* The per-process files the output needs beyond stat and smaps_rollup. */
static guint32 files_needed(const MemCli *cli, const MemPsOptions *o)
{
	guint32 files = 0;

	if (cli->openmetrics)
		return mem_ps_om_files();
	if (cli->json || cli->csv)
		return MEM_FILE_STATUS | MEM_FILE_CMDLINE | MEM_FILE_CGROUP;
	if (o->tree == MEM_TREE_CGROUP || o->cgroup)
		files |= MEM_FILE_CGROUP;
	if (o->pattern || o->group == MEM_GROUP_PROGRAM || o->sort.kind == MEM_PS_SORT_CMDLINE)
		files |= MEM_FILE_CMDLINE;
	if (arg_user || o->group == MEM_GROUP_USER || o->sort.kind == MEM_PS_SORT_USER)
		files |= MEM_FILE_STATUS;
	for (guint i = 0; i < columns->len; i++) {
		const MemColumn *col = g_ptr_array_index(columns, i);
		if (col->kind == MEM_COL_CMDLINE)
			files |= MEM_FILE_CMDLINE;
		else if (col->kind == MEM_COL_USER)
			files |= MEM_FILE_STATUS;
		else if (col->kind == MEM_COL_BYTES && col->metric == MEM_M_RSS)
			files |= MEM_FILE_STATUS; /* VmRSS of unreadable processes */
	}
	return files;
}

/* The memory figures each process keeps: those of the columns shown and the sort key, and PSS (what a
 * sum of another metric sorts by, and what --cross-check compares); every one for JSON and CSV. */
static guint32 fields_needed(const MemCli *cli, const MemPsOptions *o)
{
	guint32 fields = mem_metric_fields(MEM_M_PSS);

	if (cli->openmetrics)
		return fields | mem_ps_om_fields();
	if (cli->json || cli->csv)
		return MEM_FIELDS_ALL;
	if (watch_col)
		fields |= mem_metric_fields(watch_col->metric);
	if (o->sort.kind == MEM_PS_SORT_METRIC)
		fields |= mem_metric_fields(o->sort.metric);
	for (guint i = 0; i < columns->len; i++) {
		const MemColumn *col = g_ptr_array_index(columns, i);
		if (col->kind == MEM_COL_BYTES)
			fields |= mem_metric_fields(col->metric);
	}
	return fields;
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

/* What the options need of a loaded snapshot: memps left out of its own PATTERN, the user and cgroup
 * known, threads named by -p resolved to their process.  -1 to go on, else the exit status. */
static int prepare(MemCli *cli, MemPsOptions *o, MemSnapshot *snap, GArray *pids)
{
	/* As pgrep, leave memps itself out of PATTERN matches: its command line holds the pattern. */
	if (mem_source_is_live_proc(cli->src))
		o->self_pid = (guint32)getpid();
	if (arg_user && !mem_snapshot_user_id(snap, arg_user, &o->uid)) {
		mem_cli_error("unknown user '%s'", arg_user);
		return MEM_EXIT_USAGE;
	}
	o->has_uid = arg_user != NULL;
	if (arg_cgroup && !mem_ps_cgroup_exists(snap, arg_cgroup)) {
		mem_cli_error("no process is in cgroup '%s' or below", arg_cgroup);
		return MEM_EXIT_USAGE;
	}
	if (pids) {
		mem_cli_resolve_threads(snap, pids);
		o->pids = (const guint32 *)(gconstpointer)pids->data;
		o->n_pids = pids->len;
	}
	return -1;
}

/* -w: what every sample needs. */
typedef struct {
	MemCli *cli;
	MemPsOptions *o;
	MemLoadOptions lo;
	GArray *pids;
	MemWatchLoop loop;
	MemWatchPs w;
	gboolean lazy;        /* the samples after the first load with lazy stat (the tracker's pidfds) */
} Watch;

/* One sample of -w: a new snapshot from the same source, its report, and the deltas. */
static int watch_sample(guint64 i, GDateTime *time, GString *out, gpointer data)
{
	Watch *wd = data;
	g_autoptr(MemSnapshot) snap = NULL;
	g_autoptr(MemPsReport) report = NULL;
	int rc;

	/* a malformed file or an absent -p pid is said on stderr at each sample, and the watch goes on */
	if (!(snap = mem_cli_load(wd->cli, &wd->lo, &rc)))
		return rc;
	if (i == 0 && (rc = prepare(wd->cli, wd->o, snap, wd->pids)) >= 0)
		return rc;
	wd->lo.pids = wd->o->pids; /* the later samples load the processes of threads named by -p */
	wd->lo.n_pids = wd->o->n_pids;
	report = mem_ps_report_new(snap, wd->o);
	mem_watch_ps_track(&wd->w, report);
	/* the first sample reads stat for every process: each one's start time comes with the scan (not
	 * a second pass); the later ones read it only for the processes new to the tracker, as long as
	 * the kernel gives pidfds */
	wd->lo.lazy_stat = wd->lazy && mem_watch_tracker_has_pidfds(wd->w.tracker);
	wd->loop.tail = mem_watch_ps_sample(&wd->w, report, wd->cli, &wd->loop, i, time, columns, out);
	return -1;
}

/* lazy: a single run would load with lazy stat (mem_ps_needs_stat). */
static int watch(MemCli *cli, MemPsOptions *o, const MemLoadOptions *lo, GArray *pids, gboolean lazy)
{
	Watch wd = { cli, o, *lo, pids, { 1, -1, FALSE, 0 }, { 0 }, FALSE };
	g_autoptr(GError) err = NULL;
	int rc;

	if ((arg_watch && !mem_watch_parse_interval("-w", arg_watch, &wd.loop.interval, &err)) ||
	    (arg_count && !mem_watch_parse_count(arg_count, &wd.loop.count, &err)))
		return mem_cli_usage(err);
	if (!mem_cli_open(cli, &rc))
		return rc;
	wd.loop.refresh = !cli->json && !cli->csv && isatty(STDOUT_FILENO);
	/* Lazy stat leaves most processes without a start time: on the real /proc the tracker's pidfds
	 * tell the same process from a later one of its pid instead (a recording is one sample; stat is
	 * read in every sample of --proc-root, whose pids are no processes of this system). */
	wd.lazy = lazy && mem_source_is_live_proc(cli->src);
	wd.lo.lazy_stat = FALSE;
	mem_watch_ps_init(&wd.w, sort_growth, watch_col, wd.lazy ? cli->src : NULL);
	rc = mem_watch_run(&wd.loop, watch_sample, &wd);
	mem_watch_ps_clear(&wd.w);
	return rc;
}

int main(int argc, char **argv)
{
	g_auto(MemCli) cli = { 0 };
	MemPsOptions o = { 0 };
	g_autoptr(GArray) pids = NULL;
	g_autoptr(GError) err = NULL;
	g_autoptr(MemSnapshot) snap = NULL;
	g_autoptr(MemPsReport) report = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	g_autofree char *summary = NULL;
	MemLoadOptions lo = { 0 };
	int rc, prc;

	if ((rc = mem_cli_parse(&cli, &tool, &argc, &argv)) >= 0)
		return rc;
	if (!parse_args(&cli, argc, argv, &o, &pids, &err) ||
	    (arg_max_rss && !mem_cli_parse_size(arg_max_rss, &lo.max_rss, &err)))
		return mem_cli_usage(err);
	if ((arg_watch || arg_count) && !cli.json)
		o.tree = MEM_TREE_NONE; /* a row per process; JSON keeps the jobs of the normal document */
	lo.pids = o.pids;
	lo.n_pids = o.n_pids;
	lo.files = files_needed(&cli, &o);
	lo.fields = fields_needed(&cli, &o);
	lo.lazy_stat = !mem_ps_needs_stat(&o, columns, cli.json || cli.csv);
	if (arg_watch || arg_count) {
		rc = watch(&cli, &o, &lo, pids, lo.lazy_stat);
		if (o.pattern)
			g_regex_unref(o.pattern);
		g_ptr_array_unref(columns);
		return rc;
	}
	if (!(snap = mem_cli_load(&cli, &lo, &rc)))
		return rc;
	if ((prc = prepare(&cli, &o, snap, pids)) >= 0)
		return prc;
	if (arg_cross_check)
		return cross_check(cli.src, &lo, snap);

	report = mem_ps_report_new(snap, &o);
	if (cli.json) {
		mem_render_ps_json(report, FALSE, &cli.text.flush, out);
	} else if (cli.openmetrics) {
		mem_render_ps_om(report, om_top, &cli.text.flush, out);
	} else {
		mem_render_ps_table(report, columns, cli.csv, &cli.text, out);
	}
	summary = mem_ps_report_summary(report);
	mem_cli_leave_to_exit(g_steal_pointer(&report));
	mem_cli_leave_to_exit(g_steal_pointer(&snap));
	rc = mem_cli_finish(&cli, out, summary, rc);
	if (o.pattern)
		g_regex_unref(o.pattern);
	g_ptr_array_unref(columns);
	return rc;
}
