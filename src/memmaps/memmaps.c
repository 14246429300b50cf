/* memmaps.c: front end of memmaps, "why is this process big": its mappings as Zircon's vmaps tree (front end) */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "error.h"
#include "model.h"
#include "render.h"
#include "render-maps.h"
#include "source.h"

static char *arg_snapshot, *arg_proc_root, *arg_fields, *arg_sort, *arg_range, *arg_units, *arg_color;
static gboolean arg_extended, arg_all_fields, arg_flat, arg_json, arg_bytes, arg_version;

static const GOptionEntry entries[] = {
	{ "snapshot", 'S', 0, G_OPTION_ARG_FILENAME, &arg_snapshot, "Read a recording: a directory, a tar (any compression) or - for stdin", "PATH" },
	{ "proc-root", 0, 0, G_OPTION_ARG_FILENAME, &arg_proc_root, "Read a directory laid out like /proc as if it were live", "DIR" },
	{ "fields", 'o', 0, G_OPTION_ARG_STRING, &arg_fields, "Sizes to show as tags (default sz,res,pss)", "LIST" },
	{ "extended", 'x', 0, G_OPTION_ARG_NONE, &arg_extended, "pmap -x's sizes: sz,res,dirty", NULL },
	{ "all-fields", 'X', 0, G_OPTION_ARG_NONE, &arg_all_fields, "Every smaps field, unknown ones and VmFlags too", NULL },
	{ "flat", 0, 0, G_OPTION_ARG_NONE, &arg_flat, "A plain list of mappings with a total row, as pmap -X", NULL },
	{ "range", 'A', 0, G_OPTION_ARG_STRING, &arg_range, "Only mappings that overlap [LOW,HIGH) (hex)", "LOW,HIGH" },
	{ "sort", 's', 0, G_OPTION_ARG_STRING, &arg_sort, "Sort by this size, largest first (default: by address)", "FIELD" },
	{ "json", 0, 0, G_OPTION_ARG_NONE, &arg_json, "JSON output (schema memmaps/1, sizes in bytes)", NULL },
	{ "bytes", 'b', 0, G_OPTION_ARG_NONE, &arg_bytes, "Print sizes as plain byte counts", NULL },
	{ "units", 'u', 0, G_OPTION_ARG_STRING, &arg_units, "Fixed unit for sizes: B k M G T P E", "UNIT" },
	{ "color", 0, 0, G_OPTION_ARG_STRING, &arg_color, "Colour: auto (default), always or never", "WHEN" },
	{ "version", 'V', 0, G_OPTION_ARG_NONE, &arg_version, "Print the version and exit", NULL },
	{ NULL },
};

static gboolean parse_hex(const char *s, guint64 *v)
{
	char *end;

	if (g_ascii_strncasecmp(s, "0x", 2) == 0)
		s += 2;
	if (!g_ascii_isxdigit(*s))
		return FALSE;
	errno = 0;
	*v = g_ascii_strtoull(s, &end, 16);
	return errno == 0 && *end == '\0';
}

static gboolean parse_range(const char *arg, MemMapsOptions *o, GError **error)
{
	g_auto(GStrv) parts = g_strsplit(arg, ",", -1);

	if (g_strv_length(parts) != 2 || !parse_hex(parts[0], &o->low) || !parse_hex(parts[1], &o->high) ||
	    o->low >= o->high)
		return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID,
		                   "-A takes LOW,HIGH in hex with LOW < HIGH, not '%s'", arg), FALSE;
	o->has_range = TRUE;
	return TRUE;
}

static gboolean parse_args(int *argc, char ***argv, MemMapsOptions *o, GPtrArray **cols, MemMapsColumn **sort,
                           GArray **pids, GError **error)
{
	g_autoptr(GOptionContext) ctx = g_option_context_new("PID... - the mappings of processes, as Zircon's vmaps");
	g_autofree char *joined = NULL;
	int n_modes = 0;

	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_description(ctx, "Fields: sz res pss priv shr dirty swap swappss, or any smaps key\n"
	                                      "  (Anonymous, Pss_Dirty, THPeligible, ...) and VmFlags.\n"
	                                      "Rows: /A address space, R region, M mapping.\n"
	                                      "Exit status: 0 ok, 1 failure, 2 usage, 3 malformed input.\n"
	                                      "See memmaps(1).");
	if (!g_option_context_parse(ctx, argc, argv, error))
		return FALSE;
	if (arg_version)
		return TRUE;
	if (*argc < 2)
		return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "no PID given"), FALSE;
	joined = g_strjoinv(",", *argv + 1);
	if (!(*pids = mem_cli_parse_pids(joined, error)))
		return FALSE;
	n_modes = !!arg_fields + !!arg_extended + !!arg_all_fields;
	if (n_modes > 1)
		return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "-o, -x and -X exclude each other"), FALSE;
	if (arg_all_fields)
		o->all_fields = TRUE;
	else if (!(*cols = mem_maps_columns_parse(arg_fields ? arg_fields : arg_extended ? "sz,res,dirty" : "sz,res,pss",
	                                          error)))
		return FALSE;
	o->columns = *cols;
	if (arg_sort && strcmp(arg_sort, "address") != 0) {
		*sort = mem_maps_column_new(arg_sort, strlen(arg_sort));
		if ((*sort)->kind == MEM_MAPS_COL_VMFLAGS || !*arg_sort)
			return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "cannot sort by '%s'", arg_sort), FALSE;
		o->sort = *sort;
	}
	if (arg_range && !parse_range(arg_range, o, error))
		return FALSE;
	if (arg_snapshot && arg_proc_root)
		return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "--snapshot and --proc-root exclude each other"), FALSE;
	if (arg_json && arg_flat)
		return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "--json and --flat exclude each other"), FALSE;
	return TRUE;
}

int main(int argc, char **argv)
{
	MemMapsOptions o = { 0 };
	g_autoptr(GPtrArray) cols = NULL;
	g_autoptr(GArray) pids = NULL;
	g_autoptr(GError) err = NULL;
	g_autoptr(MemSource) src = NULL;
	g_autoptr(MemSnapshot) snap = NULL;
	g_autoptr(MemMapsReport) report = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	g_autofree char *summary = NULL;
	MemMapsColumn *sort = NULL;
	MemLoadOptions lo = { 0 };
	MemTextOptions to = { .max_indent = 64, .flush = { mem_cli_flush, NULL } };
	int rc = MEM_EXIT_OK;

	mem_cli_init("memmaps");
	if (!parse_args(&argc, &argv, &o, &cols, &sort, &pids, &err) || !mem_cli_color(arg_color, &to.color, &err) ||
	    (arg_units && !mem_cli_parse_unit(arg_units, &to.unit, &err))) {
		mem_cli_error("%s (try --help)", err->message);
		mem_maps_column_free(sort);
		return MEM_EXIT_USAGE;
	}
	if (arg_version) {
		g_string_append(out, PACKAGE_STRING "\n");
		return mem_cli_write(out) ? MEM_EXIT_OK : MEM_EXIT_FAILURE;
	}
	to.bytes = arg_bytes;

	src = arg_proc_root ? mem_source_open_proc_root(arg_proc_root, &err) : mem_source_open(arg_snapshot, &err);
	lo.pids = (const guint32 *)pids->data;
	lo.n_pids = pids->len;
	lo.files = MEM_FILE_STATUS | MEM_FILE_CMDLINE;
	lo.mappings = TRUE;
	lo.details = arg_json || arg_all_fields || arg_fields; /* VmFlags and unknown fields only if shown */
	if (src)
		snap = mem_snapshot_load(src, &lo, &err);
	if (!snap) {
		mem_cli_error("%s", err->message);
		mem_maps_column_free(sort);
		return mem_cli_exit_for(err);
	}
	rc = mem_cli_report_problems(snap);
	mem_cli_resolve_threads(snap, pids);
	lo.pids = (const guint32 *)(gconstpointer)pids->data;
	lo.n_pids = pids->len;
	for (guint i = 0; i < pids->len; i++)
		if (!mem_snapshot_find(snap, g_array_index(pids, guint32, i))) {
			mem_cli_error("no process %u", g_array_index(pids, guint32, i));
			rc = rc ? rc : MEM_EXIT_FAILURE;
		}

	report = mem_maps_report_new(snap, lo.pids, lo.n_pids, &o);
	for (guint i = 0; i < report->procs->len; i++) {
		const MemMapsProc *p = g_ptr_array_index(report->procs, i);
		if (p->problem) {
			mem_cli_error("%s", p->problem);
			rc = MEM_EXIT_BAD_INPUT;
		}
	}
	if (arg_json)
		mem_maps_render_json(report, FALSE, &to.flush, out);
	else if (arg_flat)
		mem_maps_render_flat(report, &to, out);
	else
		mem_maps_render_text(report, &to, out);
	if (!mem_cli_write(out))
		rc = MEM_EXIT_FAILURE;
	summary = mem_maps_report_summary(report);
	if (summary)
		mem_cli_error("%s", summary);
	mem_maps_column_free(sort);
	return rc;
}
