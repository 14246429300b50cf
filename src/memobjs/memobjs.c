/* memobjs.c: front end of memobjs, "what memory objects are there and who shares them" (front end) */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "error.h"
#include "model.h"
#include "render-objs.h"
#include "render.h"
#include "report-objs.h"
#include "source.h"

static char *arg_snapshot, *arg_proc_root, *arg_columns, *arg_sort, *arg_units, *arg_color, *arg_max_rss;
static gboolean arg_hidden, arg_reverse, arg_json, arg_csv, arg_bytes, arg_version;

static const GOptionEntry entries[] = {
	{ "snapshot", 'S', 0, G_OPTION_ARG_FILENAME, &arg_snapshot, "Read a recording: a directory, a tar (any compression) or - for stdin", "PATH" },
	{ "proc-root", 0, 0, G_OPTION_ARG_FILENAME, &arg_proc_root, "Read a directory laid out like /proc as if it were live", "DIR" },
	{ "hidden", 0, 0, G_OPTION_ARG_NONE, &arg_hidden, "Memory no process maps: unattached SysV segments; live also fd-only memfd/tmpfs and orphan /dev/shm files", NULL },
	{ "columns", 'o', 0, G_OPTION_ARG_STRING, &arg_columns, "Columns to show (see below)", "LIST" },
	{ "sort", 's', 0, G_OPTION_ARG_STRING, &arg_sort, "Sort by this column or name (default pss)", "COL" },
	{ "reverse", 'r', 0, G_OPTION_ARG_NONE, &arg_reverse, "Reverse the sort order", NULL },
	{ "max-rss", 0, 0, G_OPTION_ARG_STRING, &arg_max_rss, "Do not walk processes resident above SIZE (4G, 512M): shown skipped", "SIZE" },
	{ "json", 0, 0, G_OPTION_ARG_NONE, &arg_json, "JSON output (schema memobjs/1, sizes in bytes)", NULL },
	{ "csv", 0, 0, G_OPTION_ARG_NONE, &arg_csv, "CSV output (sizes in bytes)", NULL },
	{ "bytes", 'b', 0, G_OPTION_ARG_NONE, &arg_bytes, "Print sizes as plain byte counts", NULL },
	{ "units", 'u', 0, G_OPTION_ARG_STRING, &arg_units, "Fixed unit for sizes: B k M G T P E", "UNIT" },
	{ "color", 0, 0, G_OPTION_ARG_STRING, &arg_color, "Colour: auto (default), always or never", "WHEN" },
	{ "version", 'V', 0, G_OPTION_ARG_NONE, &arg_version, "Print the version and exit", NULL },
	{ NULL },
};

static gboolean parse_args(int *argc, char ***argv, MemObjsOptions *o, GArray **pids, GError **error)
{
	g_autoptr(GOptionContext) ctx = g_option_context_new("[PID...] - memory objects and who shares them");
	g_autoptr(GString) desc = g_string_new("Columns:");
	guint n;
	const MemObjsColumn *cols = mem_objs_columns(&n);

	for (guint i = 0; i < n; i++)
		g_string_append_printf(desc, "%s%s", i % 8 == 7 ? "\n " : " ", cols[i].name);
	g_string_append(desc, "\nExit status: 0 ok, 1 failure, 2 usage, 3 malformed input.\nSee memobjs(1).");
	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_description(ctx, desc->str);
	if (!g_option_context_parse(ctx, argc, argv, error))
		return FALSE;
	if (*argc > 1) {
		g_autofree char *joined = g_strjoinv(",", *argv + 1);
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
	if (arg_snapshot && arg_proc_root)
		return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "--snapshot and --proc-root exclude each other"), FALSE;
	if (arg_json && arg_csv)
		return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "--json and --csv exclude each other"), FALSE;
	o->reverse = arg_reverse;
	return TRUE;
}

typedef struct {
	char *shm;
	char *path;
	gsize shm_len;
	int shm_err;
	gboolean have_shm;
} ShmFile;

static gboolean on_shm(const MemFile *f, gpointer user_data, GError **error)
{
	ShmFile *s = user_data;

	(void)error;
	if (f->pid != 0 || f->file != MEM_FILE_SYSVIPC_SHM)
		return TRUE;
	g_free(s->shm);
	s->shm = NULL;
	s->shm_err = f->err;
	g_free(s->path);
	s->path = g_strdup(f->path);
	if (!f->err) {
		s->shm = g_memdup2(f->data, f->len + 1);
		s->shm_len = f->len;
	}
	s->have_shm = TRUE;
	return TRUE;
}

static MemObjsReport *hidden_report(MemSource *src, const MemObjsOptions *o, GError **error)
{
	ShmFile shm = { 0 };
	g_autoptr(MemObjsSharers) sharers = NULL;
	gboolean live = !arg_snapshot && !arg_proc_root;
	MemObjsReport *r;

	if (!mem_source_scan(src, MEM_FILE_SYSVIPC_SHM, 0, NULL, 0, on_shm, &shm, error))
		return NULL;
	if (!shm.have_shm || shm.shm_err)
		mem_cli_warn("no sysvipc/shm in the source%s%s: SysV segments are not shown",
		             shm.shm_err ? ": " : "", shm.shm_err ? g_strerror(shm.shm_err) : "");
	/* The live-only parts need every process's maps (who maps what) and fds: the real /proc only. */
	if (live && !(sharers = mem_objs_sharers_scan(src, error))) {
		g_free(shm.shm);
		g_free(shm.path);
		return NULL;
	}
	r = mem_objs_report_hidden(live ? MEM_SOURCE_LIVE : mem_source_kind(src), mem_source_path(src), shm.shm,
	                           shm.shm_len, sharers, o, error);
	if (!r && shm.path && g_error_matches(*error, MEM_ERROR, MEM_ERROR_PARSE))
		g_prefix_error(error, "%s: ", shm.path);
	else if (!r && shm.path && g_error_matches(*error, MEM_ERROR, MEM_ERROR_TRUNCATED))
		g_prefix_error(error, "%s: ", shm.path);
	g_free(shm.shm);
	g_free(shm.path);
	return r;
}

int main(int argc, char **argv)
{
	MemObjsOptions o = { 0 };
	g_autoptr(GArray) pids = NULL;
	g_autoptr(GError) err = NULL;
	g_autoptr(MemSource) src = NULL;
	g_autoptr(MemSnapshot) snap = NULL;
	g_autoptr(MemObjsSharers) sharers = NULL;
	g_autoptr(MemObjsGather) gather = NULL;
	g_autoptr(MemObjsReport) report = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	g_autofree char *summary = NULL;
	MemLoadOptions lo = { 0 };
	MemTextOptions to = { .max_indent = 64, .flush = { mem_cli_flush, NULL } };
	gboolean one_pass;
	int rc = MEM_EXIT_OK;

	mem_cli_init("memobjs");
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
	if (!src) {
		mem_cli_error("%s", err->message);
		return mem_cli_exit_for(err);
	}
	if (o.view == MEM_OBJS_HIDDEN) {
		if (!(report = hidden_report(src, &o, &err))) {
			mem_cli_error("%s", err->message);
			return mem_cli_exit_for(err);
		}
	} else {
		/* PID view: sharers from everyone's maps (cheap), smaps of the targets only.  A stream on
		 * stdin is read once: then everything comes from one load with smaps of all. */
		one_pass = arg_snapshot && strcmp(arg_snapshot, "-") == 0;
		if (o.view == MEM_OBJS_PROCESS && !one_pass) {
			if (!(sharers = mem_objs_sharers_scan(src, &err))) {
				mem_cli_error("%s", err->message);
				return mem_cli_exit_for(err);
			}
			lo.pids = o.pids;
			lo.n_pids = o.n_pids;
		}
		lo.mappings = TRUE;
		lo.no_rollup = TRUE; /* per-object figures come from smaps; the rollup would be a second walk */
		if (o.view == MEM_OBJS_ALL) {
			/* Objects are summed as each process is read: no need to keep every mapping. */
			gather = mem_objs_gather_new();
			lo.mappings_func = mem_objs_gather_mappings;
			lo.mappings_data = gather;
		}
		if (!(snap = mem_snapshot_load(src, &lo, &err))) {
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
		report = gather ? mem_objs_report_gathered(snap, gather, &o) : mem_objs_report_new(snap, sharers, &o);
	}
	for (guint i = 0; i < report->problems->len; i++) {
		mem_cli_error("%s", (char *)g_ptr_array_index(report->problems, i));
		rc = MEM_EXIT_BAD_INPUT;
	}

	if (arg_json) {
		mem_render_objs_json(report, FALSE, &to.flush, out);
	} else {
		g_autoptr(MemTable) table = mem_objs_report_table(report);
		if (arg_csv)
			mem_render_csv(table, &to.flush, out);
		else
			mem_render_text(table, &to, out);
	}
	if (!mem_cli_write(out))
		return MEM_EXIT_FAILURE;
	summary = mem_objs_report_summary(report);
	if (summary)
		mem_cli_error("%s", summary);
	if (o.columns)
		g_array_unref(o.columns);
	return rc;
}
