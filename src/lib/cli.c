/* cli.c: exit codes, stdout writing with clean EPIPE, colour choice and option parsers (front-end support) */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "error.h"
#include "escape.h"

static const char *prog_name = "memps";

void mem_cli_init(const char *prog)
{
	prog_name = prog;
	signal(SIGPIPE, SIG_IGN);
	/* Only for glib's own text (--help, option errors) in the user's charset; memps's output does not
	 * depend on the locale: names are escaped as UTF-8 and numbers are written by hand. */
	setlocale(LC_ALL, "");
}

static void message(const char *kind, const char *fmt, va_list ap)
{
	g_autofree char *raw = g_strdup_vprintf(fmt, ap);
	g_autoptr(GString) safe = g_string_new(NULL);

	mem_escape_text(safe, raw, strlen(raw));
	fflush(stdout);
	fprintf(stderr, "%s: %s%s\n", prog_name, kind, safe->str);
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
	if (!arg || strlen(arg) != 1 || !strchr("BkMGTPE", arg[0])) {
		g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "--units takes one of B k M G T P E");
		return FALSE;
	}
	*unit = arg[0];
	return TRUE;
}

static gint compare_u32(gconstpointer a, gconstpointer b)
{
	guint32 x = *(const guint32 *)a, y = *(const guint32 *)b;
	return x < y ? -1 : x > y;
}

static void sort_unique_pids(GArray *pids)
{
	guint out = 1;

	if (pids->len == 0)
		return;
	g_array_sort(pids, compare_u32);
	for (guint i = 1; i < pids->len; i++)
		if (g_array_index(pids, guint32, i) != g_array_index(pids, guint32, out - 1))
			g_array_index(pids, guint32, out++) = g_array_index(pids, guint32, i);
	g_array_set_size(pids, out);
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
	sort_unique_pids(pids);
	return g_steal_pointer(&pids);
}

void mem_cli_resolve_threads(const MemSnapshot *snap, GArray *pids)
{
	for (guint t = 0; t < snap->threads->len; t++) {
		const MemThreadOf *th = &g_array_index(snap->threads, MemThreadOf, t);

		mem_cli_error("%" G_GUINT32_FORMAT " is a thread of %" G_GUINT32_FORMAT, th->tid, th->tgid);
		for (guint i = 0; i < pids->len; i++)
			if (g_array_index(pids, guint32, i) == th->tid)
				g_array_index(pids, guint32, i) = th->tgid;
	}
	sort_unique_pids(pids);
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
