/* memsys.c: front end of memsys, "where the whole machine's memory went": meminfo by kind (front end) */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "error.h"
#include "cgroups-sys.h"
#include "explain-sys.h"
#include "meminfo-categories.h"
#include "parse.h"
#include "parse-zram.h"
#include "render-om.h"
#include "render-sys.h"
#include "render.h"
#include "source-cgmem.h"
#include "source.h"
#include "watch-sys.h"

static gboolean arg_timestamp, arg_explain, arg_cgroups;
static char *arg_columns;
static char *arg_delay, *arg_count, *arg_watch;

static const GOptionEntry entries[] = {
	{ "timestamp", 't', 0, G_OPTION_ARG_NONE, &arg_timestamp, "Write the time of each sample (live)", NULL },
	{ "delay", 'd', 0, G_OPTION_ARG_STRING, &arg_delay, "Repeat every SECONDS (live; until interrupted unless -n)", "SECONDS" },
	{ "count", 'n', 0, G_OPTION_ARG_STRING, &arg_count, "Take COUNT samples (live; 1 s apart unless -d or -w)", "COUNT" },
	{ "watch", 'w', 0, G_OPTION_ARG_STRING, &arg_watch, "Sample every SECONDS (live) with the changes: in place on a tty, appended otherwise", "SECONDS" },
	{ "explain", 0, 0, G_OPTION_ARG_NONE, &arg_explain, "Where MemTotal - MemFree went: the processes' PSS against meminfo, each gap named; /dev/shm files and unattached SysV segments listed", NULL },
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
	.exit_status = "0 ok, 1 failure (no meminfo; --cgroups: no cgroup v2 filesystem, a recording), 2 usage, 3 malformed meminfo, zram or memory.stat (--explain: a recording's dev-shm, fds or maps); -w stopped by a signal: that signal",
	.examples = "  memsys                    the machine's memory by kind\n"
	            "  memsys -t -d 1 -n 10      ten samples a second apart, each with its time\n"
	            "  memsys -w 1               refreshed every second, with what changed\n"
	            "  memsys -S rec.tar --json  a recording, as JSON\n"
	            "  memsys --cgroups          each cgroup's charged memory beside its processes' PSS\n",
	.locale_on_demand = TRUE, /* the table is numbers and ASCII names: no locale files read */
};

typedef struct {
	MemSysCategories *cat;
	gboolean seen;
	char *kernel;
	MemZram zram;
	gboolean has_zram;    /* the zram file was read (else zram is unknown) */
} ReadData;

static gboolean on_file(const MemFile *f, gpointer data, GError **error)
{
	ReadData *rd = data;
	g_autoptr(GArray) mi = NULL;

	if (f->file == MEM_FILE_VERSION && !f->err && !rd->kernel)
		rd->kernel = mem_kernel_release(f->data, f->len);
	if (f->file == MEM_FILE_ZRAM && !f->err && !(rd->has_zram = mem_parse_zram(f->data, f->len, &rd->zram, error)))
		return g_prefix_error(error, "%s: ", mem_file_path(f)), FALSE;
	if (f->file != MEM_FILE_MEMINFO || f->err)
		return TRUE;
	rd->seen = TRUE;
	if (!(mi = mem_parse_meminfo(f->data, f->len, error)) || !mem_sys_categories(mi, rd->cat, error)) {
		g_prefix_error(error, "%s: ", mem_file_path(f));
		return FALSE;
	}
	return TRUE;
}

/* One reading of meminfo (and of version when kernel is not NULL: the kernel release, or NULL).
 * Returns the exit status on failure (printed), -1 on success. */
static int sample(MemSource *src, MemSysCategories *cat, char **kernel)
{
	g_autoptr(GError) err = NULL;
	ReadData rd = { cat, FALSE, NULL, { 0 }, FALSE };
	guint32 want = MEM_FILE_MEMINFO | MEM_FILE_ZRAM | (kernel ? MEM_FILE_VERSION : 0);
	gboolean ok = mem_source_scan(src, want, 0, NULL, 0, on_file, &rd, &err) &&
	              (!rd.seen || !rd.has_zram || mem_sys_categories_zram(cat, &rd.zram, &err));

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

static void warn_unknown(const MemSysCategories *c)
{
	g_autofree char *inc = mem_sys_other_includes(c);

	if (*inc)
		mem_cli_warn("unknown (fields this kernel lacks%s): %s; other includes them", c->known[MEM_SYS_ZRAM] ? ""
		             : ", zram where /sys/block or a recording's zram file is missing", inc);
}

/* --explain: one reading of every process's figures, meminfo and zram, then a second scan (sysvipc/shm,
 * every process's maps and fds and /dev/shm: mem_sys_explain_read), which a tar on stdin cannot give. */
static int explain(MemCli *cli)
{
	MemLoadOptions lo = {
		.files = MEM_FILE_MEMINFO | MEM_FILE_ZRAM | MEM_FILE_STATUS,
		.fields = MEM_FIELD_BIT(MEM_F_PSS) | MEM_FIELD_BIT(MEM_F_PSS_ANON) | MEM_FIELD_BIT(MEM_F_PSS_FILE) |
		          MEM_FIELD_BIT(MEM_F_PSS_SHMEM),
	};
	g_autoptr(MemSnapshot) snap = NULL;
	g_autoptr(GError) err = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	g_auto(MemSysExplainInput) in = { 0 };
	MemSysExplain e;
	gboolean once = cli->snapshot && strcmp(cli->snapshot, "-") == 0;
	int rc;

	if (!(snap = mem_cli_load(cli, &lo, &rc)))
		return rc;
	if (once)
		mem_cli_warn("sysvipc/shm and /dev/shm not read: a tar on standard input is read once");
	if (!mem_sys_explain_read(cli->src, once, &in, &err) || !mem_sys_explain(snap, &in, &e, &err))
		return mem_cli_fail(err);
	for (guint i = 0; i < in.problems->len; i++)
		mem_cli_error("%s", (char *)g_ptr_array_index(in.problems, i));
	if (in.problems->len)
		rc = MEM_EXIT_BAD_INPUT;
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

/* -w: what every sample needs. */
typedef struct {
	MemCli *cli;
	const GArray *cols;
	MemWatchLoop loop;
	MemWatchSys w;
	char *kernel;
} Watch;

/* One sample of -w: meminfo read again, and its changes. */
static int watch_sample(guint64 i, GDateTime *time, GString *out, gpointer data)
{
	Watch *wd = data;
	MemCli *cli = wd->cli;
	MemSysSample s = { .time = time };
	int rc;

	if ((rc = sample(cli->src, &s.cat, cli->json && i == 0 ? &wd->kernel : NULL)) >= 0)
		return rc;
	if (i == 0)
		warn_unknown(&s.cat);
	mem_watch_sys_push(&wd->w, &s.cat);
	mem_watch_sys_sample(&wd->w, &s, cli, &wd->loop, wd->kernel, i, wd->cols, out);
	return -1;
}

static int watch(MemCli *cli, const GArray *cols, double interval, gint64 count)
{
	Watch wd = { cli, cols, { interval, count, !cli->json && !cli->csv && isatty(STDOUT_FILENO), 0 }, { { { 0 } } }, NULL };
	int rc = mem_watch_run(&wd.loop, watch_sample, &wd);

	g_free(wd.kernel);
	return rc;
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
	if ((arg_delay && !mem_watch_parse_interval("-d", arg_delay, &delay, &err)) ||
	    (arg_watch && !mem_watch_parse_interval("-w", arg_watch, &delay, &err)) ||
	    (arg_count && !mem_watch_parse_count(arg_count, &count, &err)))
		return mem_cli_usage(err);
	if (arg_delay && arg_watch) {
		mem_cli_error("-d appends samples, -w shows what changed: not both (try --help)");
		return MEM_EXIT_USAGE;
	}
	if (arg_columns && cli.json) {
		mem_cli_error("-o chooses text and CSV columns: JSON has them all (try --help)");
		return MEM_EXIT_USAGE;
	}
	if (arg_columns && !(cols = mem_column_list_parse(columns(), arg_columns, NULL, NULL, NULL, &err)))
		return mem_cli_usage(err);
	if (arg_explain && (arg_delay || arg_count || arg_watch || arg_timestamp || arg_columns || cli.csv)) {
		mem_cli_error("--explain is one reading, as text or JSON: no -t, -d, -n, -w, -o or --csv (try --help)");
		return MEM_EXIT_USAGE;
	}
	if (arg_cgroups && (arg_explain || arg_delay || arg_count || arg_watch || arg_timestamp || arg_columns)) {
		mem_cli_error("--cgroups is one reading: no --explain, -t, -d, -n, -w or -o (try --help)");
		return MEM_EXIT_USAGE;
	}
	if (arg_cgroups || arg_explain)
		mem_cli_locale(&cli); /* their names may be cut with an ellipsis, in the locale's charset */
	if (cli.openmetrics && (arg_explain || arg_cgroups || arg_delay || arg_count || arg_watch || arg_timestamp || arg_columns)) {
		mem_cli_error("--format=openmetrics is one reading of meminfo: no --explain, --cgroups, -t, -d, -n, -w or -o (try --help)");
		return MEM_EXIT_USAGE;
	}
	if (arg_cgroups)
		return cgroups(&cli);
	if (arg_explain)
		return explain(&cli);
	live = cli.snapshot == NULL;
	if (!live && (arg_delay || arg_count || arg_watch || arg_timestamp)) {
		mem_cli_error("a recording is one sample: no -t, -d, -n or -w with -S (try --help)");
		return MEM_EXIT_USAGE;
	}
	if (!arg_count)
		count = arg_delay || arg_watch ? -1 : 1; /* -d or -w alone: until interrupted */
	if (!mem_cli_open(&cli, &rc))
		return rc;
	if (arg_watch)
		return watch(&cli, cols, delay, count);
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
