/* memsys.c: front end of memsys, "where the whole machine's memory went": meminfo by kind (front end) */
#include "config.h"

#include <math.h>
#include <string.h>

#include "cli.h"
#include "error.h"
#include "meminfo-categories.h"
#include "parse.h"
#include "render-sys.h"
#include "source.h"

static gboolean arg_timestamp;
static double arg_delay = -1;
static int arg_count = -1;

static const GOptionEntry entries[] = {
	{ "timestamp", 't', 0, G_OPTION_ARG_NONE, &arg_timestamp, "Write the time of each sample (live)", NULL },
	{ "delay", 'd', 0, G_OPTION_ARG_DOUBLE, &arg_delay, "Repeat every SECONDS (live; until interrupted unless -n)", "SECONDS" },
	{ "count", 'n', 0, G_OPTION_ARG_INT, &arg_count, "Take COUNT samples (live; 1 s apart unless -d)", "COUNT" },
	{ NULL },
};

static const MemColumnSet *columns(void)
{
	static MemColumnSet set;

	set = (MemColumnSet){ mem_sys_category_info(), MEM_SYS_N, sizeof(MemSysCategoryInfo),
	                      G_STRUCT_OFFSET(MemSysCategoryInfo, id), G_STRUCT_OFFSET(MemSysCategoryInfo, help), "column" };
	return &set;
}

static const MemCliTool tool = {
	.name = "memsys",
	.params = "",
	.entries = entries,
	.columns = columns,
	.columns_title = "Columns (after total, MemTotal, and avail, MemAvailable; they add up to total)",
	.columns_note = "unknown (a field the kernel lacks) is '-' (null in JSON); other then includes it",
	.exit_status = "0 ok, 1 failure (no meminfo), 2 usage, 3 malformed meminfo",
	.examples = "  memsys                    the machine's memory by kind\n"
	            "  memsys -t -d 1 -n 10      ten samples a second apart, each with its time\n"
	            "  memsys -S rec.tar --json  a recording, as JSON\n",
};

typedef struct {
	MemSysCategories *cat;
	gboolean seen;
} ReadData;

static gboolean on_file(const MemFile *f, gpointer data, GError **error)
{
	ReadData *rd = data;
	g_autoptr(GArray) mi = NULL;

	if (f->file != MEM_FILE_MEMINFO || f->err)
		return TRUE;
	rd->seen = TRUE;
	if (!(mi = mem_parse_meminfo(f->data, f->len, error)) || !mem_sys_categories(mi, rd->cat, error)) {
		g_prefix_error(error, "%s: ", f->path);
		return FALSE;
	}
	return TRUE;
}

/* One reading of meminfo.  Returns the exit status on failure (printed), -1 on success. */
static int sample(MemSource *src, MemSysCategories *cat)
{
	g_autoptr(GError) err = NULL;
	ReadData rd = { cat, FALSE };

	if (!mem_source_scan(src, MEM_FILE_MEMINFO, 0, NULL, 0, on_file, &rd, &err))
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
		mem_cli_warn("unknown (fields this kernel lacks): %s; other includes them", inc);
}

int main(int argc, char **argv)
{
	g_auto(MemCli) cli = { 0 };
	g_autoptr(GString) out = g_string_new(NULL);
	g_autoptr(MemJsonWriter) jw = NULL;
	gboolean live;
	int rc, count;

	if ((rc = mem_cli_parse(&cli, &tool, &argc, &argv)) >= 0)
		return rc;
	if (argc > 1) {
		mem_cli_error("no arguments expected (try --help)");
		return MEM_EXIT_USAGE;
	}
	if (arg_delay != -1 && !(isfinite(arg_delay) && arg_delay >= 0 && arg_delay <= 86400)) {
		mem_cli_error("-d takes a number of seconds from 0 to 86400 (try --help)");
		return MEM_EXIT_USAGE;
	}
	if (arg_count != -1 && arg_count < 1) {
		mem_cli_error("-n takes a count of 1 or more (try --help)");
		return MEM_EXIT_USAGE;
	}
	live = cli.snapshot == NULL;
	if (!live && (arg_delay != -1 || arg_count != -1 || arg_timestamp)) {
		mem_cli_error("a recording is one sample: no -t, -d or -n with -S (try --help)");
		return MEM_EXIT_USAGE;
	}
	count = arg_count != -1 ? arg_count : arg_delay != -1 ? -1 : 1;
	if (arg_delay == -1)
		arg_delay = 1;
	if (!mem_cli_open(&cli, &rc))
		return rc;
	if (cli.json) {
		jw = mem_json_writer_new(out, TRUE);
		mem_json_begin_object(jw);
		mem_json_key(jw, "source");
		mem_json_string(jw, live ? (cli.proc_root ? cli.proc_root : "/proc") : cli.snapshot);
		mem_json_key(jw, "samples");
		mem_json_begin_array(jw);
	} else if (cli.csv) {
		mem_sys_render_csv_header(out);
	}
	for (int i = 0; count < 0 || i < count; i++) {
		MemSysSample s = { 0 };

		if (i > 0)
			g_usleep((gulong)(arg_delay * G_USEC_PER_SEC));
		if ((rc = sample(cli.src, &s.cat)) >= 0)
			return rc;
		s.time = live ? g_date_time_new_now_utc() : NULL;
		if (i == 0)
			warn_unknown(&s.cat);
		if (jw)
			mem_sys_render_json(&s, jw);
		else if (cli.csv)
			mem_sys_render_csv(&s, out);
		else
			mem_sys_render_text(&s, arg_timestamp, &cli.text, out);
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
