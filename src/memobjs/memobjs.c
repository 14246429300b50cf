/* memobjs.c: front end of memobjs, "what memory objects are there and who shares them" (front end) */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "columns-objs.h"
#include "error.h"
#include "model.h"
#include "render-objs.h"
#include "render.h"
#include "objects.h"
#include "source.h"

static char *arg_columns, *arg_sort, *arg_max_rss;
static gboolean arg_hidden, arg_reverse;

static const GOptionEntry entries[] = {
	{ "hidden", 0, 0, G_OPTION_ARG_NONE, &arg_hidden, "Memory no process maps: unattached SysV segments, fd-only memfd/tmpfs and orphan /dev/shm files (live or memcap's recordings)", NULL },
	{ "columns", 'o', 0, G_OPTION_ARG_STRING, &arg_columns, "Columns to show (see below)", "LIST" },
	{ "sort", 's', 0, G_OPTION_ARG_STRING, &arg_sort, "Sort by this column or name (default pss)", "COL" },
	{ "reverse", 'r', 0, G_OPTION_ARG_NONE, &arg_reverse, "Reverse the sort order", NULL },
	{ "max-rss", 0, 0, G_OPTION_ARG_STRING, &arg_max_rss, "Do not walk processes resident above SIZE (4G, 512M): shown skipped", "SIZE" },
	{ NULL },
};

static const MemCliTool tool = {
	.name = "memobjs",
	.params = "[PID...]",
	.entries = entries,
	.columns = mem_objs_column_set,
	.columns_title = "Columns",
	.exit_status = "0 ok, 1 failure, 2 usage, 3 malformed input",
	.examples = "  memobjs                   every object of the system, largest PSS first\n"
	            "  memobjs 1234              the objects process 1234 maps, and who shares them\n"
	            "  memobjs --hidden          memory no process maps (SysV, memfd, /dev/shm)\n"
	            "  memobjs -S rec.tar --json a recording, as JSON\n",
};

static gboolean parse_args(int argc, char **argv, MemObjsOptions *o, GArray **pids, GError **error)
{
	if (argc > 1) {
		g_autofree char *joined = g_strjoinv(",", argv + 1);
		if (!(*pids = mem_cli_parse_pids(joined, error)))
			return FALSE;
		o->pids = (const guint32 *)(*pids)->data;
		o->n_pids = (*pids)->len;
	}
	o->view = arg_hidden ? MEM_OBJS_HIDDEN : o->pids ? MEM_OBJS_PROCESS : MEM_OBJS_ALL;
	if (arg_hidden && o->pids)
		return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "--hidden takes no PID"), FALSE;
	if (arg_columns && !(o->columns = mem_objs_columns_parse(arg_columns, error)))
		return FALSE;
	if (arg_sort) {
		const MemObjsColumn *c = mem_objs_column_lookup(arg_sort);
		if (g_ascii_strcasecmp(arg_sort, "name") == 0)
			o->sort = MEM_OCOL_NAME;
		else if (c && c->id != MEM_OCOL_PIDS && c->id != MEM_OCOL_DEV)
			o->sort = c->id;
		else
			return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "cannot sort by '%s'", arg_sort), FALSE;
		o->has_sort = TRUE;
	}
	o->reverse = arg_reverse;
	return TRUE;
}

typedef struct {
	char *shm;
	char *path;
	char *kernel;
	gsize shm_len;
	int shm_err;
	gboolean have_shm;
	MemFds *fds;             /* a recording's fd walk, filled by the same scan */
	MemRecInfo *recorded;    /* memcap.info */
	char *info_problem;      /* a garbled one */
} ShmFile;

static gboolean on_shm(const MemFile *f, gpointer user_data, GError **error)
{
	ShmFile *s = user_data;

	(void)error;
	if (s->fds && mem_fds_take(s->fds, f))
		return TRUE;
	if (f->pid == 0 && f->file == MEM_FILE_MEMCAP_INFO && !f->err) {
		g_autoptr(GError) err = NULL;
		g_free(s->recorded);
		s->recorded = g_new0(MemRecInfo, 1);
		if (!mem_parse_memcap_info(f->data, f->len, s->recorded, &err)) {
			g_clear_pointer(&s->recorded, g_free);
			g_free(s->info_problem);
			s->info_problem = g_strdup_printf("%s: %s", mem_file_path(f), err->message);
		}
	}
	if (f->pid == 0 && f->file == MEM_FILE_VERSION && !f->err) {
		g_free(s->kernel);
		s->kernel = mem_kernel_release(f->data, f->len);
	}
	if (f->pid != 0 || f->file != MEM_FILE_SYSVIPC_SHM)
		return TRUE;
	g_free(s->shm);
	s->shm = NULL;
	s->shm_err = f->err;
	g_free(s->path);
	s->path = g_strdup(mem_file_path(f));
	if (!f->err) {
		s->shm = g_memdup2(f->data, f->len + 1);
		s->shm_len = f->len;
	}
	s->have_shm = TRUE;
	return TRUE;
}

/* The hidden view reads sysvipc/shm (and version), and everyone's maps and fds with the /dev/shm
 * listing (live: its own walk; a recording: one scan, as a tar on stdin is read once); *kernel
 * receives the kernel release. */
static MemObjsReport *hidden_report(const MemCli *cli, const MemObjsOptions *o, char **kernel, MemRecInfo **recorded,
                                    GError **error)
{
	ShmFile shm = { 0 };
	g_autoptr(MemObjsSharers) sharers = NULL;
	g_autoptr(MemFds) fds = NULL;
	gboolean live = mem_source_kind(cli->src) == MEM_SOURCE_LIVE; /* the real /proc or --proc-root */
	guint32 want = MEM_FILE_SYSVIPC_SHM | MEM_FILE_VERSION;
	MemObjsReport *r = NULL;

	if (live) {
		/* The live parts need every process's maps (who maps what) and fds: the real /proc, or
		 * --proc-root DIR (its pid/fd entries and DIR/../dev/shm, see mem_source_fds_open). */
		if (!mem_source_scan(cli->src, want, 0, NULL, 0, on_shm, &shm, error) ||
		    !(sharers = mem_objs_sharers_scan(cli->src, error)))
			goto out;
	} else {
		if (!(fds = mem_source_fds_open(cli->src, error)))
			goto out;
		shm.fds = fds;
		want |= MEM_FILE_MEMCAP_INFO | mem_fds_wanted(fds);
		if (!(sharers = mem_objs_sharers_scan_with(cli->src, want, on_shm, &shm, error)))
			goto out;
	}
	if (!shm.have_shm || shm.shm_err)
		mem_cli_warn("no sysvipc/shm in the source%s%s: SysV segments are not shown",
		             shm.shm_err ? ": " : "", shm.shm_err ? g_strerror(shm.shm_err) : "");
	r = mem_objs_report_hidden(live ? MEM_SOURCE_LIVE : mem_source_kind(cli->src), mem_source_path(cli->src),
	                           shm.shm, shm.shm_len, sharers, fds, o, error);
	if (!r && shm.path && (g_error_matches(*error, MEM_ERROR, MEM_ERROR_PARSE) ||
	                       g_error_matches(*error, MEM_ERROR, MEM_ERROR_TRUNCATED)))
		g_prefix_error(error, "%s: ", shm.path);
	if (r && mem_source_cut(cli->src))
		g_ptr_array_add(r->problems, g_strdup(mem_source_cut(cli->src)));
	if (r && shm.info_problem)
		g_ptr_array_add(r->problems, g_steal_pointer(&shm.info_problem));
out:
	*kernel = shm.kernel;
	*recorded = shm.recorded;
	g_free(shm.info_problem);
	g_free(shm.shm);
	g_free(shm.path);
	return r;
}

int main(int argc, char **argv)
{
	g_auto(MemCli) cli = { 0 };
	MemObjsOptions o = { 0 };
	g_autoptr(GArray) pids = NULL;
	g_autoptr(GError) err = NULL;
	g_autoptr(MemSnapshot) snap = NULL;
	g_autoptr(MemObjsSharers) sharers = NULL;
	g_autoptr(MemObjsGather) gather = NULL;
	g_autoptr(MemObjsReport) report = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	g_autofree char *summary = NULL, *kernel = NULL;
	MemRecInfo *recorded = NULL;
	MemLoadOptions lo = { 0 };
	int rc;

	if ((rc = mem_cli_parse(&cli, &tool, &argc, &argv)) >= 0)
		return rc;
	if (!parse_args(argc, argv, &o, &pids, &err) ||
	    (arg_max_rss && !mem_cli_parse_size(arg_max_rss, &lo.max_rss, &err)))
		return mem_cli_usage(err);
	if (!mem_cli_open(&cli, &rc))
		return rc;
	rc = MEM_EXIT_OK;
	if (o.view == MEM_OBJS_HIDDEN) {
		report = hidden_report(&cli, &o, &kernel, &recorded, &err);
		if (!report) {
			if (recorded)
				mem_rec_info_clear(recorded);
			g_free(recorded);
			return mem_cli_fail(err);
		}
		report->source_kernel = kernel;
		report->source_recorded = recorded;
	} else {
		/* PID view: sharers from everyone's maps (cheap), smaps of the targets only.  A stream on
		 * stdin is read once: then everything comes from one load with smaps of all. */
		gboolean one_pass = cli.snapshot && strcmp(cli.snapshot, "-") == 0;
		if (o.view == MEM_OBJS_PROCESS && !one_pass) {
			if (!(sharers = mem_objs_sharers_scan(cli.src, &err)))
				return mem_cli_fail(err);
			lo.pids = o.pids;
			lo.n_pids = o.n_pids;
		}
		lo.mappings = TRUE;
		lo.no_rollup = TRUE; /* per-object figures come from smaps; the rollup would be a second walk */
		if (o.view == MEM_OBJS_ALL || !one_pass) {
			/* Objects are made as each batch of mappings is read: no need to keep the mappings (one
			 * pass keeps them: the sharers come from everyone's). */
			gather = mem_objs_gather_new(o.view);
			lo.mappings_func = mem_objs_gather_mappings;
			lo.mappings_data = gather;
		}
		if (!(snap = mem_cli_load(&cli, &lo, &rc)))
			return rc;
		if (!lo.pids) /* one pass read every pid: the named ones are looked for here */
			mem_cli_check_pids(snap, o.pids, o.n_pids, &rc);
		if (pids) {
			mem_cli_resolve_threads(snap, pids);
			o.pids = (const guint32 *)(gconstpointer)pids->data;
			o.n_pids = pids->len;
		}
		report = o.view == MEM_OBJS_ALL ? mem_objs_report_gathered(snap, gather, &o)
		                                : mem_objs_report_new(snap, sharers, gather, &o);
		report->source_kernel = snap->kernel;
		report->source_recorded = snap->recorded;
		mem_features_from_snapshot(&report->missing, snap);
	}
	for (guint i = 0; i < report->problems->len; i++) {
		mem_cli_error("%s", (char *)g_ptr_array_index(report->problems, i));
		rc = MEM_EXIT_BAD_INPUT;
	}
	if (cli.json) {
		mem_render_objs_json(report, FALSE, &cli.text.flush, out);
	} else {
		mem_render_objs_table(report, cli.csv, &cli.text, out);
	}
	summary = mem_objs_report_summary(report);
	rc = mem_cli_finish(&cli, out, summary, rc);
	if (o.columns)
		g_array_unref(o.columns);
	if (recorded)
		mem_rec_info_clear(recorded);
	g_free(recorded);
	return rc;
}
