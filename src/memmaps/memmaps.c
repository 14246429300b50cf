/* memmaps.c: front end of memmaps, "why is this process big": its mappings as Zircon's vmaps tree (front end) */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "columns-maps.h"
#include "error.h"
#include "model.h"
#include "render.h"
#include "render-maps.h"
#include "source.h"

static char *arg_fields, *arg_sort, *arg_range;
static gboolean arg_extended, arg_all_fields, arg_flat;

static const GOptionEntry entries[] = {
	{ "fields", 'o', 0, G_OPTION_ARG_STRING, &arg_fields, "Sizes to show as tags (default sz,res,pss)", "LIST" },
	{ "extended", 'x', 0, G_OPTION_ARG_NONE, &arg_extended, "pmap -x's sizes: sz,res,dirty", NULL },
	{ "all-fields", 'X', 0, G_OPTION_ARG_NONE, &arg_all_fields, "Every smaps field, unknown ones and VmFlags too", NULL },
	{ "flat", 0, 0, G_OPTION_ARG_NONE, &arg_flat, "A plain list of mappings with a total row, as pmap -X", NULL },
	{ "range", 'A', 0, G_OPTION_ARG_STRING, &arg_range, "Only mappings that overlap [LOW,HIGH) (hex)", "LOW,HIGH" },
	{ "sort", 's', 0, G_OPTION_ARG_STRING, &arg_sort, "Sort by this size, largest first (default: by address)", "FIELD" },
	{ NULL },
};

static const MemCliTool tool = {
	.name = "memmaps",
	.params = "PID...",
	.entries = entries,
	.no_csv = "a mapping tree has no flat rows; use --json (or --flat for text)",
	.columns = mem_maps_columns_set,
	.columns_title = "Fields",
	.columns_note = "or a smaps key as the kernel writes it (Anonymous, Pss_Dirty, THPeligible, ...;\n"
	                "  one that no process shown has is an error), or VmFlags",
	.notes = "Rows: /A address space, R region, M mapping.",
	.exit_status = "0 ok, 1 failure, 2 usage or a field no process has, 3 malformed input",
	.examples = "  memmaps 1234              the mappings of process 1234 as a tree\n"
	            "  memmaps -s pss 1234       largest first\n"
	            "  memmaps --flat -X 1234    every smaps field, one row per mapping, as pmap -X\n"
	            "  memmaps -S rec.tar --json 1 2\n"
	            "                            two processes of a recording, as JSON\n",
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

static gboolean parse_args(const MemCli *cli, int argc, char **argv, MemMapsOptions *o, GPtrArray **cols,
                           MemMapsColumn **sort, GArray **pids, GError **error)
{
	g_autofree char *joined = NULL;

	if (argc < 2)
		return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "no PID given"), FALSE;
	joined = g_strjoinv(",", argv + 1);
	if (!(*pids = mem_cli_parse_pids(joined, error)))
		return FALSE;
	if (!!arg_fields + !!arg_extended + !!arg_all_fields > 1)
		return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "-o, -x and -X exclude each other"), FALSE;
	if (arg_all_fields)
		o->all_fields = TRUE;
	else if (!(*cols = mem_maps_columns_parse(arg_fields ? arg_fields : arg_extended ? "sz,res,dirty" : "sz,res,pss",
	                                          error)))
		return FALSE;
	o->columns = *cols;
	if (arg_sort && strcmp(arg_sort, "address") != 0) {
		*sort = mem_maps_column_new(arg_sort);
		if ((*sort)->kind == MEM_MAPS_COL_VMFLAGS || !mem_maps_smaps_key_like(arg_sort))
			return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "cannot sort by '%s'", arg_sort), FALSE;
		o->sort = *sort;
	}
	if (arg_range && !parse_range(arg_range, o, error))
		return FALSE;
	if (cli->json && arg_flat)
		return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "--json and --flat exclude each other"), FALSE;
	return TRUE;
}

/* A kernel key of -o or --sort must be in some process's smaps. */
static gboolean check_keys(const MemMapsReport *r, const MemMapsOptions *o, GError **error)
{
	for (guint i = 0; o->columns && i < o->columns->len; i++)
		if (!mem_maps_report_check_key(r, g_ptr_array_index(o->columns, i), error))
			return FALSE;
	return mem_maps_report_check_key(r, o->sort, error);
}

int main(int argc, char **argv)
{
	g_auto(MemCli) cli = { 0 };
	MemMapsOptions o = { 0 };
	g_autoptr(GPtrArray) cols = NULL;
	g_autoptr(GArray) pids = NULL;
	g_autoptr(GError) err = NULL;
	g_autoptr(MemSnapshot) snap = NULL;
	g_autoptr(MemMapsReport) report = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	g_autofree char *summary = NULL;
	g_autoptr(MemMapsColumn) sort = NULL;
	MemLoadOptions lo = { 0 };
	int rc;

	if ((rc = mem_cli_parse(&cli, &tool, &argc, &argv)) >= 0)
		return rc;
	if (!parse_args(&cli, argc, argv, &o, &cols, &sort, &pids, &err))
		return mem_cli_usage(err);
	o.column_sums = !cli.json; /* JSON shows every sum */
	lo.pids = (const guint32 *)pids->data;
	lo.n_pids = pids->len;
	lo.files = MEM_FILE_STATUS; /* Tgid: a thread given as PID is resolved to its process */
	lo.mappings = TRUE;
	lo.details = cli.json || arg_all_fields || arg_fields || sort; /* VmFlags and unknown fields only if shown */
	lo.map_fields = mem_maps_fields_used(&o) & MEM_FIELDS_ALL; /* the text views': 3 values a mapping, not 25 */
	if (!(snap = mem_cli_load(&cli, &lo, &rc)))
		return rc;
	mem_cli_resolve_threads(snap, pids);
	lo.pids = (const guint32 *)(gconstpointer)pids->data;
	lo.n_pids = pids->len;

	report = mem_maps_report_new(snap, lo.pids, lo.n_pids, &o);
	if (!check_keys(report, &o, &err))
		return mem_cli_usage(err);
	for (guint i = 0; i < report->procs->len; i++) {
		const MemMapsProc *p = g_ptr_array_index(report->procs, i);
		if (p->problem) {
			mem_cli_error("%s", p->problem);
			rc = MEM_EXIT_BAD_INPUT;
		}
	}
	if (cli.json)
		mem_maps_render_json(report, FALSE, &cli.text.flush, out);
	else if (arg_flat)
		mem_maps_render_flat(report, &cli.text, out);
	else
		mem_maps_render_text(report, &cli.text, out);
	summary = mem_maps_report_summary(report);
	/* (freeing the mappings, their values and the report's lists took ~60 us of the ~450 after the
	 * last read on the bench's process) */
	mem_cli_leave_to_exit(g_steal_pointer(&report));
	mem_cli_leave_to_exit(g_steal_pointer(&snap));
	return mem_cli_finish(&cli, out, summary, rc);
}
