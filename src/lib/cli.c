/* cli.c: the common options, opening the source, output, summary and exit status of every tool (front-end support) */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "error.h"
#include "escape.h"

static const char *prog_name = "memps";
static gboolean locale_deferred; /* mem_cli_parse() left the locale for mem_cli_locale() */

/* The tools of the suite and the question each answers: --help names the siblings of a tool. */
static const struct {
	const char *name;
	const char *question;
} tools[] = {
	{ "memps", "who uses the memory: processes, cgroups, users" },
	{ "memmaps", "why is this process big: its mappings" },
	{ "memobjs", "what memory objects are there and who shares them" },
	{ "memsys", "where the whole machine's memory went: meminfo by kind" },
	{ "memgraph", "the whole machine as one tree: kernel, jobs, processes, objects" },
	{ "memcap", "record /proc, here or on a board over ssh, for the others' -S" },
	{ "memdiff", "what grew between two recordings or reports: a memory gate for CI" },
};

static void init(const char *prog, gboolean defer_locale)
{
	prog_name = prog;
	signal(SIGPIPE, SIG_IGN);
	/* The output does not depend on the locale but for its charset (LC_CTYPE: ASCII decorations or
	 * not): names are escaped as UTF-8 and numbers are written by hand.  glib's own text (--help,
	 * messages, option errors, strerror) needs LC_MESSAGES too, which waits for mem_cli_locale().  The
	 * other categories are never read: each costs a file (the 11 others of a UTF-8 locale took ~0.8 ms
	 * when memps's summary line read them after a 10 000-process table). */
	locale_deferred = TRUE;
	if (!defer_locale)
		setlocale(LC_CTYPE, "");
}

void mem_cli_init(const char *prog)
{
	init(prog, FALSE);
	mem_cli_locale(NULL);
}

void mem_cli_locale(MemCli *cli)
{
	if (!locale_deferred)
		return;
	setlocale(LC_CTYPE, "");
	setlocale(LC_MESSAGES, "");
	locale_deferred = FALSE;
	if (cli)
		cli->text.ascii = !g_get_charset(NULL);
}

static void message(const char *kind, const char *fmt, va_list ap)
{
	g_autofree char *raw = NULL;
	g_autoptr(GString) safe = g_string_new(NULL);

	mem_cli_locale(NULL); /* glib's text that follows in the user's language */
	raw = g_strdup_vprintf(fmt, ap);
	mem_escape_text(safe, raw, strlen(raw));
	fflush(stdout);
	fprintf(stderr, "%s: %s%s\n", prog_name, kind, safe->str);
}

static gpointer volatile left_to_exit[8]; /* volatile: stores to a static never read may be dropped */

void mem_cli_leave_to_exit(gpointer p)
{
	for (guint i = 0; i < G_N_ELEMENTS(left_to_exit); i++)
		if (!left_to_exit[i]) {
			left_to_exit[i] = p;
			return;
		}
}

void mem_cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	message("", fmt, ap);
	va_end(ap);
}

void mem_cli_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	message("warning: ", fmt, ap);
	va_end(ap);
}

gboolean mem_cli_write(const GString *buf)
{
	const char *p = buf->str;
	gsize left = buf->len;

	while (left) {
		ssize_t n = write(STDOUT_FILENO, p, left);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE)
				_exit(0);
			mem_cli_error("write error: %s", g_strerror(errno));
			return FALSE;
		}
		p += n;
		left -= (gsize)n;
	}
	return TRUE;
}

gboolean mem_cli_color(const char *when, gboolean *color, GError **error)
{
	const char *no_color = g_getenv("NO_COLOR"), *term = g_getenv("TERM");

	if (!when || strcmp(when, "auto") == 0) {
		*color = isatty(STDOUT_FILENO) && !(no_color && *no_color) && !(term && strcmp(term, "dumb") == 0);
	} else if (strcmp(when, "always") == 0) {
		*color = TRUE;
	} else if (strcmp(when, "never") == 0) {
		*color = FALSE;
	} else {
		g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "--color takes auto, always or never");
		return FALSE;
	}
	return TRUE;
}

gboolean mem_cli_parse_unit(const char *arg, char *unit, GError **error)
{
	static const char units[] = "BKMGTPE";
	const char *u;

	if (!arg || strlen(arg) != 1 || !(u = strchr(units, g_ascii_toupper(arg[0])))) {
		g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "--units takes one of B k M G T P E (any case), not '%s'",
		            arg ? arg : "");
		return FALSE;
	}
	*unit = *u == 'K' ? 'k' : *u;
	return TRUE;
}

GArray *mem_cli_parse_pids(const char *arg, GError **error)
{
	g_autoptr(GArray) pids = g_array_new(FALSE, FALSE, sizeof(guint32));
	const char *p = arg;

	while (*p) {
		guint64 v = 0;
		const char *start;
		if (*p == ',' || *p == ' ') {
			p++;
			continue;
		}
		start = p;
		while (*p >= '0' && *p <= '9') {
			v = v * 10 + (guint64)(*p - '0');
			if (v > G_MAXUINT32)
				break;
			p++;
		}
		if (p == start || v == 0 || v > G_MAXUINT32 || (*p && *p != ',' && *p != ' ')) {
			g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "invalid pid list '%s'", arg);
			return NULL;
		}
		g_array_append_val(pids, (guint32){ (guint32)v });
	}
	if (pids->len == 0) {
		g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "empty pid list");
		return NULL;
	}
	mem_pids_sort_unique(pids);
	return g_steal_pointer(&pids);
}

/* The process of a pid the load found to be a thread, else the pid itself. */
static guint32 process_of(const MemSnapshot *snap, guint32 pid)
{
	for (guint t = 0; t < snap->threads->len; t++)
		if (g_array_index(snap->threads, MemThreadOf, t).tid == pid)
			return g_array_index(snap->threads, MemThreadOf, t).tgid;
	return pid;
}

void mem_cli_resolve_threads(const MemSnapshot *snap, GArray *pids)
{
	for (guint t = 0; t < snap->threads->len; t++) {
		const MemThreadOf *th = &g_array_index(snap->threads, MemThreadOf, t);

		for (guint i = 0; i < pids->len; i++)
			if (g_array_index(pids, guint32, i) == th->tid)
				g_array_index(pids, guint32, i) = th->tgid;
	}
	mem_pids_sort_unique(pids);
}

gboolean mem_cli_parse_size(const char *arg, guint64 *bytes, GError **error)
{
	static const char units[] = "kmgtpe";
	const char *u;
	char *end = NULL;
	guint64 v;

	if (!arg || !g_ascii_isdigit(arg[0]))
		goto bad;
	errno = 0;
	v = g_ascii_strtoull(arg, &end, 10);
	if (errno)
		goto bad;
	if (*end) {
		if (end[1] && !(g_ascii_tolower(end[1]) == 'b' && !end[2]) && !(end[1] == 'i' && end[2] == 'B' && !end[3]))
			goto bad;
		if (g_ascii_tolower(*end) == 'b' && !end[1])
			goto done;
		if (!(u = strchr(units, g_ascii_tolower(*end))))
			goto bad;
		for (long i = 0; i <= u - units; i++) {
			if (v > G_MAXUINT64 / 1024)
				goto bad;
			v *= 1024;
		}
	}
done:
	if (v == 0)
		goto bad;
	*bytes = v;
	return TRUE;
bad:
	g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID,
	            "a size is bytes above 0 or a number with k, M, G, T, P or E (powers of 1024), not '%s'",
	            arg ? arg : "");
	return FALSE;
}

void mem_cli_flush(GString *out, gpointer data)
{
	if (!mem_cli_write(out))
		exit(MEM_EXIT_FAILURE);
	g_string_truncate(out, 0);
}

int mem_cli_exit_for(const GError *err)
{
	if (err->domain == MEM_ERROR && (err->code == MEM_ERROR_PARSE || err->code == MEM_ERROR_TRUNCATED ||
	                                 err->code == MEM_ERROR_UNSAFE || err->code == MEM_ERROR_TOO_LARGE))
		return MEM_EXIT_BAD_INPUT;
	return MEM_EXIT_FAILURE;
}

int mem_cli_report_problems(const MemSnapshot *snap)
{
	for (guint i = 0; i < snap->problems->len; i++)
		mem_cli_error("%s", (char *)g_ptr_array_index(snap->problems, i));
	if (snap->n_problems > snap->problems->len)
		mem_cli_error("%u more malformed files not shown", snap->n_problems - snap->problems->len);
	return snap->n_problems ? MEM_EXIT_BAD_INPUT : MEM_EXIT_OK;
}

static const char *tool_question(const char *name)
{
	for (gsize i = 0; i < G_N_ELEMENTS(tools); i++)
		if (strcmp(tools[i].name, name) == 0)
			return tools[i].question;
	return "";
}

/* --help's text after the options: columns, the tool's notes, exit status, examples, siblings. */
static char *help_description(const MemCliTool *tool)
{
	GString *d = g_string_new(NULL);

	if (tool->columns) {
		g_string_append_printf(d, "%s (-o, any case):\n", tool->columns_title ? tool->columns_title : "Columns");
		mem_column_set_help_text(tool->columns(), d);
		if (tool->columns_note)
			g_string_append_printf(d, "  %s\n", tool->columns_note);
		g_string_append_c(d, '\n');
	}
	if (tool->notes)
		g_string_append_printf(d, "%s\n", tool->notes);
	g_string_append_printf(d, "Exit status: %s.\n\n", tool->exit_status);
	if (tool->examples)
		g_string_append_printf(d, "Examples:\n%s\n", tool->examples);
	g_string_append(d, "See also:\n");
	for (gsize i = 0; i < G_N_ELEMENTS(tools); i++)
		if (strcmp(tools[i].name, tool->name) != 0)
			g_string_append_printf(d, "  %s(1), %s\n", tools[i].name, tools[i].question);
	g_string_append_printf(d, "Details: %s(1).", tool->name);
	return g_string_free(d, FALSE);
}

/* Whether GOption may print --help for these arguments: --help*, or a group of short options holding
 * h or ? (over-approximated: "-oh" too).  The description is built only then: it costs more than
 * memsys's whole sample. */
static gboolean wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (g_str_has_prefix(argv[i], "--help"))
			return TRUE;
		if (argv[i][0] == '-' && argv[i][1] != '-' && strpbrk(argv[i] + 1, "h?"))
			return TRUE;
	}
	return FALSE;
}

/* Whether every argument is ASCII: GOption converts string arguments from the locale's charset. */
static gboolean args_ascii(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		for (const char *p = argv[i]; *p; p++)
			if ((unsigned char)*p >= 0x80)
				return FALSE;
	return TRUE;
}

/* --format: text, json, csv or openmetrics; json and csv set the flags the tools read, and may be
 * given as --json and --csv too when they agree. */
static gboolean check_format(MemCli *cli, GError **error)
{
	const char *f = cli->format, *other = cli->json ? "--json" : cli->csv ? "--csv" : NULL;

	if (!f)
		return TRUE;
	if (strcmp(f, "json") == 0 && !cli->csv)
		cli->json = TRUE;
	else if (strcmp(f, "csv") == 0 && !cli->json)
		cli->csv = TRUE;
	else if ((strcmp(f, "text") == 0 || strcmp(f, "openmetrics") == 0) && !other)
		cli->openmetrics = strcmp(f, "openmetrics") == 0;
	else if (other && (strcmp(f, "text") == 0 || strcmp(f, "json") == 0 || strcmp(f, "csv") == 0 ||
	                   strcmp(f, "openmetrics") == 0))
		return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "--format=%s and %s exclude each other", f, other), FALSE;
	else
		return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID,
		                   "--format takes text, json, csv or openmetrics, not '%s'", f), FALSE;
	if (cli->openmetrics && !cli->tool->openmetrics)
		return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "no --format=openmetrics: %s has no OpenMetrics output",
		                   cli->tool->name), FALSE;
	return TRUE;
}

static gboolean check_common(MemCli *cli, GError **error)
{
	if (!check_format(cli, error))
		return FALSE;
	if (cli->snapshot && cli->proc_root)
		return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "--snapshot and --proc-root exclude each other"), FALSE;
	if (cli->json && cli->csv)
		return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "--json and --csv exclude each other"), FALSE;
	if (cli->csv && cli->tool->no_csv)
		return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "no --csv: %s", cli->tool->no_csv), FALSE;
	if (cli->bytes && cli->units)
		return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "--bytes and --units exclude each other"), FALSE;
	if (cli->units && (cli->json || cli->csv || cli->openmetrics))
		return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID,
		                   "--units is for text: --json, --csv and --format=openmetrics write bytes"), FALSE;
	if (cli->units && !mem_cli_parse_unit(cli->units, &cli->text.unit, error))
		return FALSE;
	return mem_cli_color(cli->color, &cli->text.color, error);
}

/* --output FILE: the temporary file stdout goes to and the file it will replace.  out_tmp is a fixed
 * buffer: the signal handler removes the file without allocating. */
static char out_tmp[PATH_MAX + 16];
static char *out_final;
static volatile sig_atomic_t out_active;

static void remove_output_tmp(void)
{
	if (out_active) {
		out_active = 0;
		unlink(out_tmp);
	}
}

static void on_fatal_signal(int sig)
{
	if (out_active)
		unlink(out_tmp);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Points stdout at a new file ".BASE.XXXXXX" beside path (mode 0644: node_exporter reads it as
 * another user; not "*.prom", so the textfile collector never reads it half written). */
static gboolean open_output(const char *path, GError **error)
{
	g_autofree char *dir = g_path_get_dirname(path), *base = g_path_get_basename(path), *tmp = NULL;
	sigset_t fatal, old;
	struct stat st;
	int fd;

	if (!*path || g_str_has_suffix(path, "/"))
		return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "--output takes a file name, not '%s'", path), FALSE;
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))
		return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "--output %s: not a regular file", path), FALSE;
	tmp = g_strdup_printf("%s/.%s.XXXXXX", dir, base);
	if (strlen(tmp) >= sizeof out_tmp)
		return g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "--output %s: name too long", path), FALSE;
	/* The signals that remove the temporary file wait until their handlers are in place: one taken
	 * between mkstemp and signal() would leave the file behind. */
	sigemptyset(&fatal);
	sigaddset(&fatal, SIGINT);
	sigaddset(&fatal, SIGTERM);
	sigaddset(&fatal, SIGHUP);
	sigprocmask(SIG_BLOCK, &fatal, &old);
	if ((fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, 0644)) < 0) {
		int e = errno;
		sigprocmask(SIG_SETMASK, &old, NULL);
		return g_set_error(error, MEM_ERROR, MEM_ERROR_IO, "cannot write in %s: %s", dir, g_strerror(e)), FALSE;
	}
	strcpy(out_tmp, tmp);
	out_active = 1;
	out_final = g_strdup(path);
	atexit(remove_output_tmp);
	signal(SIGINT, on_fatal_signal);
	signal(SIGTERM, on_fatal_signal);
	signal(SIGHUP, on_fatal_signal);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (fchmod(fd, 0644) < 0 || dup2(fd, STDOUT_FILENO) < 0) {
		int e = errno;
		close(fd);
		return g_set_error(error, MEM_ERROR, MEM_ERROR_IO, "%s: %s", out_tmp, g_strerror(e)), FALSE;
	}
	close(fd);
	return TRUE;
}

/* Renames the temporary file of --output over its file, once the output is whole. */
static gboolean commit_output(void)
{
	if (!out_active)
		return TRUE;
	if (fsync(STDOUT_FILENO) < 0 || rename(out_tmp, out_final) < 0) {
		mem_cli_error("cannot write %s: %s", out_final, g_strerror(errno));
		return FALSE;
	}
	out_active = 0;
	return TRUE;
}

/* --format's help: the formats this tool writes. */
static char *format_help(const MemCliTool *tool)
{
	const char *more[2] = { tool->no_csv ? NULL : "csv", tool->openmetrics ? "openmetrics" : NULL };
	GString *h = g_string_new("Output format: text (default)");
	guint n = (more[0] != NULL) + (more[1] != NULL);

	g_string_append(h, n ? ", json" : " or json");
	for (guint i = 0; i < 2; i++)
		if (more[i])
			g_string_append_printf(h, "%s%s", --n ? ", " : " or ", more[i]);
	return g_string_free(h, FALSE);
}

int mem_cli_parse(MemCli *cli, const MemCliTool *tool, int *argc, char ***argv)
{
	/* (g_strconcat: printf's first call is a visible part of a short run) */
	g_autofree char *json_help = g_strconcat("JSON output (schema ", tool->name, "/1, sizes in bytes)", NULL);
	g_autofree char *csv_help = tool->no_csv ? g_strdup_printf("Refused: %s", tool->no_csv) : NULL;
	g_autofree char *fmt_help = format_help(tool);
	const GOptionEntry common[] = {
		{ "snapshot", 'S', 0, G_OPTION_ARG_FILENAME, &cli->snapshot, "Read a recording: a directory, a tar (any compression) or - for stdin", "PATH" },
		{ "proc-root", 0, 0, G_OPTION_ARG_FILENAME, &cli->proc_root, "Read a directory laid out like /proc as if it were live", "DIR" },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &cli->json, json_help, NULL },
		{ "csv", 0, 0, G_OPTION_ARG_NONE, &cli->csv, csv_help ? csv_help : "CSV output (sizes in bytes)", NULL },
		{ "format", 0, 0, G_OPTION_ARG_STRING, &cli->format, fmt_help, "FORMAT" },
		{ "output", 0, 0, G_OPTION_ARG_FILENAME, &cli->output, "Write to FILE: a temporary file beside it, renamed over it once whole", "FILE" },
		{ "bytes", 'b', 0, G_OPTION_ARG_NONE, &cli->bytes, "Print sizes as plain byte counts", NULL },
		{ "units", 'u', 0, G_OPTION_ARG_STRING, &cli->units, "Fixed unit for sizes: B k M G T P E (any case)", "UNIT" },
		{ "color", 0, 0, G_OPTION_ARG_STRING, &cli->color, "Colour: auto (default), always or never", "WHEN" },
		{ "version", 'V', 0, G_OPTION_ARG_NONE, &cli->version, "Print the version and exit", NULL },
		{ NULL },
	};
	g_autofree char *params = g_strconcat(tool->params, " - ", tool_question(tool->name), NULL);
	g_autoptr(GOptionContext) ctx = g_option_context_new(params);
	g_autofree char *desc = wants_help(*argc, *argv) ? help_description(tool) : NULL;
	g_autoptr(GError) err = NULL;
	g_auto(GStrv) saved = NULL;

	/* The locale first: the charset (LC_CTYPE) decides ASCII decorations.  Reading the locale's files is
	 * most of a short run (memsys's table): only the charset is read here, or nothing for a tool whose
	 * output does not need it; the rest waits for mem_cli_locale(), --help, an error message, or a
	 * second parse, in the user's language, when this one fails. */
	gboolean defer = tool->locale_on_demand && !desc && args_ascii(*argc, *argv);

	init(tool->name, defer);
	if (desc)
		mem_cli_locale(NULL); /* --help in the user's language */
	saved = g_strdupv(*argv);
	memset(cli, 0, sizeof *cli);
	cli->tool = tool;
	cli->text.max_indent = 64;
	cli->text.flush.func = mem_cli_flush;
	cli->text.ascii = defer || !g_get_charset(NULL); /* deferred: the C locale's charset, ASCII */
	g_option_context_add_main_entries(ctx, tool->entries, NULL);
	g_option_context_add_main_entries(ctx, common, NULL);
	if (desc)
		g_option_context_set_description(ctx, desc);
	if (!g_option_context_parse(ctx, argc, argv, &err) && saved) {
		mem_cli_locale(cli);
		g_clear_error(&err);
		g_option_context_parse_strv(ctx, &saved, &err);
	}
	if (err || !check_common(cli, &err))
		return mem_cli_usage(err);
	cli->text.bytes = cli->bytes;
	if (cli->version) {
		g_autoptr(GString) out = g_string_new(PACKAGE_STRING "\n");
		return mem_cli_write(out) ? MEM_EXIT_OK : MEM_EXIT_FAILURE;
	}
	if (cli->output && strcmp(cli->output, "-") != 0 && !open_output(cli->output, &err)) {
		mem_cli_error("%s", err->message);
		return err->code == MEM_ERROR_INVALID ? MEM_EXIT_USAGE : MEM_EXIT_FAILURE;
	}
	return -1;
}

int mem_cli_usage(const GError *err)
{
	mem_cli_error("%s (try --help)", err->message);
	return MEM_EXIT_USAGE;
}

int mem_cli_fail(const GError *err)
{
	mem_cli_error("%s", err->message);
	return mem_cli_exit_for(err);
}

gboolean mem_cli_open(MemCli *cli, int *rc)
{
	g_autoptr(GError) err = NULL;

	if (cli->src)
		return TRUE;
	cli->src = cli->proc_root ? mem_source_open_proc_root(cli->proc_root, &err) : mem_source_open(cli->snapshot, &err);
	if (!cli->src) {
		*rc = mem_cli_fail(err);
		return FALSE;
	}
	return TRUE;
}

MemSnapshot *mem_cli_load(MemCli *cli, const MemLoadOptions *lo, int *rc)
{
	g_autoptr(GError) err = NULL;
	MemSnapshot *snap;

	if (!mem_cli_open(cli, rc))
		return NULL;
	if (!(snap = mem_snapshot_load(cli->src, lo, &err))) {
		*rc = mem_cli_fail(err);
		return NULL;
	}
	*rc = mem_cli_report_problems(snap);
	mem_features_from_snapshot(&cli->missing, snap);
	for (guint t = 0; t < snap->threads->len; t++)
		mem_cli_error("%" G_GUINT32_FORMAT " is a thread of %" G_GUINT32_FORMAT,
		              g_array_index(snap->threads, MemThreadOf, t).tid, g_array_index(snap->threads, MemThreadOf, t).tgid);
	mem_cli_check_pids(snap, lo->pids, lo->n_pids, rc);
	return snap;
}

void mem_cli_check_pids(MemSnapshot *snap, const guint32 *pids, guint n, int *rc)
{
	for (guint i = 0; i < n; i++)
		if (!mem_snapshot_find(snap, process_of(snap, pids[i]))) {
			mem_cli_error("no process %u", pids[i]);
			*rc = *rc ? *rc : MEM_EXIT_FAILURE;
		}
}

void mem_cli_render_table(MemCli *cli, const MemTable *table, GString *out)
{
	if (cli->csv)
		mem_render_csv(table, &cli->text.flush, out);
	else
		mem_render_text(table, &cli->text, out);
}

int mem_cli_finish(MemCli *cli, GString *out, const char *summary, int rc)
{
	g_autoptr(GPtrArray) missing = NULL;

	if (!mem_cli_write(out) || !commit_output())
		return MEM_EXIT_FAILURE;
	if (summary)
		mem_cli_error("%s", summary);
	if ((missing = mem_features_lines(&cli->missing)))
		for (guint i = 0; i < missing->len; i++)
			mem_cli_error("%s", (char *)g_ptr_array_index(missing, i));
	return rc;
}

void mem_cli_clear(MemCli *cli)
{
	g_clear_pointer(&cli->src, mem_source_free);
	g_clear_pointer(&cli->snapshot, g_free);
	g_clear_pointer(&cli->proc_root, g_free);
	g_clear_pointer(&cli->units, g_free);
	g_clear_pointer(&cli->color, g_free);
	g_clear_pointer(&cli->format, g_free);
	g_clear_pointer(&cli->output, g_free);
}
