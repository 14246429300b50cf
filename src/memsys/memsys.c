/* memsys.c: front end of memsys, "where the whole machine's memory went": meminfo by kind (front end) */
#include "config.h"

#include <math.h>
#include <string.h>

#include "cli.h"
#include "error.h"
#include "cgroups-sys.h"
#include "explain-sys.h"
#include "meminfo-categories.h"
#include "parse.h"
#include "render-om.h"
#include "render-sys.h"
#include "render.h"
#include "source-cgmem.h"
#include "source.h"

static gboolean arg_timestamp, arg_explain, arg_cgroups;
static char *arg_columns;
static char *arg_delay, *arg_count;

static const GOptionEntry entries[] = {
	{ "timestamp", 't', 0, G_OPTION_ARG_NONE, &arg_timestamp, "Write the time of each sample (live)", NULL },
	{ "delay", 'd', 0, G_OPTION_ARG_STRING, &arg_delay, "Repeat every SECONDS (live; until interrupted unless -n)", "SECONDS" },
	{ "count", 'n', 0, G_OPTION_ARG_STRING, &arg_count, "Take COUNT samples (live; 1 s apart unless -d)", "COUNT" },
	{ "explain", 0, 0, G_OPTION_ARG_NONE, &arg_explain, "Where MemTotal - MemFree went: the processes' PSS against meminfo, each gap named", NULL },
	{ "cgroups", 0, 0, G_OPTION_ARG_NONE, &arg_cgroups, "Per cgroup v2: charged memory (memory.current, memory.stat) beside its processes' PSS, the difference named (live)", NULL },
	{ "columns", 'o', 0, G_OPTION_ARG_STRING, &arg_columns, "Text and CSV columns (default all)", "LIST" },
	{ NULL },
};

/* --help's column list: total and avail, then the core's categories. */
static const MemColumnSet *columns(void)
{
	static MemSysCategoryInfo all[2 + MEM_SYS_N] = {
		{ "total", "MemTotal", "all the memory the kernel manages (MemTotal)" },
		{ "avail", "MemAvailable", "the kernel's estimate of what can be allocated (MemAvailable): not a category" },
	};
	static MemColumnSet set;

	memcpy(all + 2, mem_sys_category_info(), MEM_SYS_N * sizeof all[0]);
	set = (MemColumnSet){ all, G_N_ELEMENTS(all), sizeof(MemSysCategoryInfo),
	                      G_STRUCT_OFFSET(MemSysCategoryInfo, id), G_STRUCT_OFFSET(MemSysCategoryInfo, help), "column" };
	return &set;
}

static const MemCliTool tool = {
	.name = "memsys",
	.params = "",
	.entries = entries,
	.openmetrics = TRUE,
	.columns = columns,
	.columns_title = "Columns",
	.columns_note = "free ... other add up to total; unknown (a field the kernel lacks) is '-', and other includes it",
	.exit_status = "0 ok, 1 failure (no meminfo; --cgroups: no cgroup v2 filesystem, a recording), 2 usage, 3 malformed meminfo or memory.stat",
	.examples = "  memsys                    the machine's memory by kind\n"
	            "  memsys -t -d 1 -n 10      ten samples a second apart, each with its time\n"
	            "  memsys -S rec.tar --json  a recording, as JSON\n"
	            "  memsys --cgroups          each cgroup's charged memory beside its processes' PSS\n",
};

typedef struct {
	MemSysCategories *cat;
	gboolean seen;
	char *kernel;
} ReadData;

static gboolean on_file(const MemFile *f, gpointer data, GError **error)
{
	ReadData *rd = data;
	g_autoptr(GArray) mi = NULL;

	if (f->file == MEM_FILE_VERSION && !f->err && !rd->kernel)
		rd->kernel = mem_kernel_release(f->data, f->len);
	if (f->file != MEM_FILE_MEMINFO || f->err)
		return TRUE;
	rd->seen = TRUE;
	if (!(mi = mem_parse_meminfo(f->data, f->len, error)) || !mem_sys_categories(mi, rd->cat, error)) {
		g_prefix_error(error, "%s: ", f->path);
		return FALSE;
	}
	return TRUE;
}

/* One reading of meminfo (and of version when kernel is not NULL: the kernel release, or NULL).
 * Returns the exit status on failure (printed), -1 on success. */
static int sample(MemSource *src, MemSysCategories *cat, char **kernel)
{
	g_autoptr(GError) err = NULL;
	ReadData rd = { cat, FALSE, NULL };
	guint32 want = MEM_FILE_MEMINFO | (kernel ? MEM_FILE_VERSION : 0);
	gboolean ok = mem_source_scan(src, want, 0, NULL, 0, on_file, &rd, &err);

	if (kernel)
		*kernel = rd.kernel;
	else
		g_free(rd.kernel);
	if (!ok)
		return mem_cli_fail(err);
	if (!rd.seen) {
		mem_cli_error("no meminfo in the source");
		return MEM_EXIT_FAILURE;
	}
	return -1;
}

/* Seconds from 0 to a day, decimal (no "nan", "inf" or hexadecimal). */
static gboolean parse_delay(const char *arg, double *out)
{
	char *end;

	if (!g_ascii_isdigit(*arg) && *arg != '.')
		return FALSE;
	*out = g_ascii_strtod(arg, &end);
	return *end == '\0' && end != arg && isfinite(*out) && *out >= 0 && *out <= 86400 && !strpbrk(arg, "xXpP");
}

static void warn_unknown(const MemSysCategories *c)
{
	g_autofree char *inc = mem_sys_other_includes(c);

	if (*inc)
		mem_cli_warn("unknown (fields this kernel lacks): %s; other includes them", inc);
}

static gboolean on_shm(const MemFile *f, gpointer data, GError **error)
{
	(void)error;
	if (f->file == MEM_FILE_SYSVIPC_SHM && !f->err)
		*(char **)data = g_strndup(f->data, f->len);
	return TRUE;
}

/* --explain: one reading of every process's figures and of meminfo, then sysvipc/shm (a second scan,
 * which a tar on stdin cannot give). */
static int explain(MemCli *cli)
{
	MemLoadOptions lo = {
		.files = MEM_FILE_MEMINFO | MEM_FILE_STATUS,
		.fields = MEM_FIELD_BIT(MEM_F_PSS) | MEM_FIELD_BIT(MEM_F_PSS_ANON) | MEM_FIELD_BIT(MEM_F_PSS_FILE) |
		          MEM_FIELD_BIT(MEM_F_PSS_SHMEM),
	};
	g_autoptr(MemSnapshot) snap = NULL;
	g_autoptr(GError) err = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	g_autofree char *shm = NULL;
	MemSysExplain e;
	int rc;

	if (!(snap = mem_cli_load(cli, &lo, &rc)))
		return rc;
	if (cli->snapshot && strcmp(cli->snapshot, "-") == 0)
		mem_cli_warn("sysvipc/shm not read: a tar on standard input is read once");
	else if (!mem_source_scan(cli->src, MEM_FILE_SYSVIPC_SHM, 0, NULL, 0, on_shm, &shm, &err))
		return mem_cli_fail(err);
	if (!mem_sys_explain(snap, shm, shm ? strlen(shm) : 0, &e, &err))
		return mem_cli_fail(err);
	warn_unknown(&e.cat);
	if (cli->json) {
		g_autoptr(MemJsonWriter) jw = mem_json_writer_new(out, TRUE);

		mem_json_begin_object(jw);
		mem_json_header_snapshot(jw, "memsys/1", snap);
		mem_json_key(jw, "explain");
		mem_sys_explain_json(&e, jw);
		mem_json_end_object(jw);
		g_string_append_c(out, '\n');
	} else {
		mem_sys_explain_text(&e, &cli->text, out);
	}
	mem_sys_explain_clear(&e);
	return mem_cli_finish(cli, out, NULL, rc);
}

/* --cgroups: every process's PSS and cgroup, then each cgroup's memory files (after the scan). */
static int cgroups(MemCli *cli)
{
	MemLoadOptions lo = {
		.files = MEM_FILE_CGROUP,
		.fields = MEM_FIELD_BIT(MEM_F_PSS) | MEM_FIELD_BIT(MEM_F_PSS_ANON) | MEM_FIELD_BIT(MEM_F_PSS_FILE) |
		          MEM_FIELD_BIT(MEM_F_PSS_SHMEM),
	};
	g_autoptr(MemSnapshot) snap = NULL;
	g_autoptr(MemCgroupFs) fs = NULL;
	g_autoptr(GError) err = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	g_autoptr(GPtrArray) rows = NULL;
	g_autofree char *malformed = NULL;
	guint no_job;
	int rc;

	if (!mem_cli_open(cli, &rc))
		return rc;
	if (!(fs = mem_cgroup_fs_open(cli->src, &err)) || !mem_sys_cgroups_check(fs, &err))
		return mem_cli_fail(err);
	if (!(snap = mem_cli_load(cli, &lo, &rc)))
		return rc;
	rows = mem_sys_cgroups(snap, fs, &malformed, &no_job);
	if (no_job)
		mem_cli_warn("%u processes not in a known cgroup v2 (no cgroup file, or a v1 hierarchy): in no row", no_job);
	if (malformed) {
		mem_cli_error("%s", malformed);
		rc = MEM_EXIT_BAD_INPUT;
	}
	if (cli->json) {
		g_autoptr(MemJsonWriter) jw = mem_json_writer_new(out, TRUE);

		mem_json_begin_object(jw);
		mem_json_header_snapshot(jw, "memsys-cgroups/1", snap);
		mem_json_key(jw, "cgroup_root");
		mem_json_string(jw, mem_cgroup_fs_root(fs));
		mem_json_key(jw, "cgroups");
		mem_sys_cgroups_json(rows, jw);
		mem_json_end_object(jw);
		g_string_append_c(out, '\n');
	} else {
		g_autoptr(MemTable) t = mem_sys_cgroups_table(rows, &cli->text, cli->csv);

		mem_cli_render_table(cli, t, out);
	}
	return mem_cli_finish(cli, out, NULL, rc);
}

int main(int argc, char **argv)
{
	g_auto(MemCli) cli = { 0 };
	g_autoptr(GString) out = g_string_new(NULL);
	g_autoptr(MemJsonWriter) jw = NULL;
	g_autoptr(GArray) cols = NULL;
	g_autoptr(GError) err = NULL;
	g_autofree char *kernel = NULL;
	gboolean live;
	double delay = 1;
	gint64 count;
	int rc;

	if ((rc = mem_cli_parse(&cli, &tool, &argc, &argv)) >= 0)
		return rc;
	if (argc > 1) {
		mem_cli_error("no arguments expected (try --help)");
		return MEM_EXIT_USAGE;
	}
	if (arg_delay && !parse_delay(arg_delay, &delay)) {
		mem_cli_error("-d takes a number of seconds from 0 to 86400, not '%s' (try --help)", arg_delay);
		return MEM_EXIT_USAGE;
	}
	if (arg_count && !g_ascii_string_to_signed(arg_count, 10, 1, G_MAXINT, &count, NULL)) {
		mem_cli_error("-n takes a count from 1 to %d, not '%s' (try --help)", G_MAXINT, arg_count);
		return MEM_EXIT_USAGE;
	}
	if (arg_columns && cli.json) {
		mem_cli_error("-o chooses text and CSV columns: JSON has them all (try --help)");
		return MEM_EXIT_USAGE;
	}
	if (arg_columns && !(cols = mem_column_list_parse(columns(), arg_columns, NULL, NULL, NULL, &err)))
		return mem_cli_usage(err);
	if (arg_explain && (arg_delay || arg_count || arg_timestamp || arg_columns || cli.csv)) {
		mem_cli_error("--explain is one reading, as text or JSON: no -t, -d, -n, -o or --csv (try --help)");
		return MEM_EXIT_USAGE;
	}
	if (arg_cgroups && (arg_explain || arg_delay || arg_count || arg_timestamp || arg_columns)) {
		mem_cli_error("--cgroups is one reading: no --explain, -t, -d, -n or -o (try --help)");
		return MEM_EXIT_USAGE;
	}
	if (cli.openmetrics && (arg_explain || arg_cgroups || arg_delay || arg_count || arg_timestamp || arg_columns)) {
		mem_cli_error("--format=openmetrics is one reading of meminfo: no --explain, --cgroups, -t, -d, -n or -o (try --help)");
		return MEM_EXIT_USAGE;
	}
	if (arg_cgroups)
		return cgroups(&cli);
	if (arg_explain)
		return explain(&cli);
	live = cli.snapshot == NULL;
	if (!live && (arg_delay || arg_count || arg_timestamp)) {
		mem_cli_error("a recording is one sample: no -t, -d or -n with -S (try --help)");
		return MEM_EXIT_USAGE;
	}
	if (!arg_count)
		count = arg_delay ? -1 : 1; /* -d alone: until interrupted */
	if (!mem_cli_open(&cli, &rc))
		return rc;
	if (cli.csv)
		mem_sys_render_csv_header(cols, out);
	for (gint64 i = 0; count < 0 || i < count; i++) {
		MemSysSample s = { 0 };

		if (i > 0)
			g_usleep((gulong)(delay * G_USEC_PER_SEC));
		if ((rc = sample(cli.src, &s.cat, cli.json && i == 0 ? &kernel : NULL)) >= 0)
			return rc;
		if (cli.json && i == 0) {
			MemFeatures none = { 0 };

			jw = mem_json_writer_new(out, TRUE);
			mem_json_begin_object(jw);
			mem_json_header(jw, "memsys/1", mem_source_kind(cli.src), cli.proc_root ? cli.proc_root : cli.snapshot,
			                kernel, &none);
			mem_json_key(jw, "samples");
			mem_json_begin_array(jw);
		}
		s.time = live ? g_date_time_new_now_utc() : NULL;
		if (i == 0)
			warn_unknown(&s.cat);
		if (jw)
			mem_sys_render_json(&s, jw);
		else if (cli.openmetrics)
			mem_sys_render_om(&s, out);
		else if (cli.csv)
			mem_sys_render_csv(&s, cols, out);
		else
			mem_sys_render_text(&s, cols, arg_timestamp, &cli.text, out);
		if (s.time)
			g_date_time_unref(s.time);
		if (count != 1 && !mem_cli_write(out))
			return MEM_EXIT_FAILURE;
		if (count != 1)
			g_string_truncate(out, 0);
	}
	if (jw) {
		mem_json_end_array(jw);
		mem_json_end_object(jw);
		g_string_append_c(out, '\n');
	}
	return mem_cli_finish(&cli, out, NULL, MEM_EXIT_OK);
}
