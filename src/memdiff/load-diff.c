/* load-diff.c: memdiff's inputs: each side read by its kind, and the limits from options and budget files (front-end support layer) */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "error.h"
#include "gate-diff.h"
#include "json-reader.h"
#include "load-diff.h"
#include "source-peek.h"

#define BUDGET_MAX ((gsize)1 << 20)

static gboolean bad_gate(GError **error, const char *origin, const char *spec, const char *why)
{
	g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "%s: bad limit '%s': %s", origin, spec, why);
	return FALSE;
}

/* "N", "N.D", ... up to 4 decimals, then '%': millionths. */
static gboolean parse_percent(const char *s, gsize len, guint64 *ppm)
{
	guint64 v = 0;
	guint decimals = 0;
	gboolean dot = FALSE, digits = FALSE;

	for (gsize i = 0; i < len; i++) {
		if (s[i] == '.' && !dot) {
			dot = TRUE;
			continue;
		}
		if (!g_ascii_isdigit(s[i]) || (dot && ++decimals > 4) || v > G_MAXUINT64 / 100)
			return FALSE;
		v = v * 10 + (guint64)(s[i] - '0');
		digits = TRUE;
	}
	for (; decimals < 4; decimals++) {
		if (v > G_MAXUINT64 / 100)
			return FALSE;
		v *= 10;
	}
	*ppm = v;   /* 1e-4 percent is 1e-6 of the value */
	return digits;
}

MemDiffGate *mem_diff_gate_parse(const char *spec, const char *origin, GError **error)
{
	g_autoptr(MemDiffGate) g = g_new0(MemDiffGate, 1);
	const char *eq = strrchr(spec, '='), *t = spec, *limit, *colon;
	g_autoptr(GError) size_err = NULL;
	gsize tlen;

	g->spec = g_strdup(spec);
	g->origin = g_strdup(origin);
	if (!eq || eq == spec)
		return bad_gate(error, origin, spec, "expected TARGET=LIMIT (pss=+5%, job:/system.slice=+20M)"), NULL;
	tlen = (gsize)(eq - spec);
	limit = eq + 1;
	/* the target */
	g->figure = MEM_DIFF_PSS;
	if ((colon = memchr(t, ':', tlen)) && mem_diff_figure_lookup(t, (gsize)(colon - t), &g->figure) &&
	    (g_str_has_prefix(colon + 1, "job:") || g_str_has_prefix(colon + 1, "program:"))) {
		tlen -= (gsize)(colon + 1 - t);
		t = colon + 1;
	}
	if (tlen > 4 && g_str_has_prefix(t, "job:")) {
		g->kind = MEM_DIFF_JOB;
		g->target = g_strndup(t + 4, tlen - 4);
		if (g->target[0] != '/')
			return bad_gate(error, origin, spec, "a job is a cgroup path starting with '/'"), NULL;
		if (strlen(g->target) > 1 && g_str_has_suffix(g->target, "/"))
			g->target[strlen(g->target) - 1] = '\0';
	} else if (tlen > 8 && g_str_has_prefix(t, "program:")) {
		g->kind = MEM_DIFF_PROGRAM;
		g->target = g_strndup(t + 8, tlen - 8);
	} else if (mem_diff_figure_lookup(t, tlen, &g->figure)) {
		g->kind = MEM_DIFF_TOTAL;
	} else {
		return bad_gate(error, origin, spec, "the target is pss, uss, swap_pss, [FIGURE:]job:PATH or [FIGURE:]program:NAME"), NULL;
	}
	/* the limit */
	if (*limit == '+')
		limit++;
	if (*limit && limit[strlen(limit) - 1] == '%') {
		g->percent = TRUE;
		if (!parse_percent(limit, strlen(limit) - 1, &g->ppm))
			return bad_gate(error, origin, spec, "a percentage is a number with at most 4 decimals: +5%, 2.5%"), NULL;
	} else if (strcmp(limit, "0") != 0 && !mem_cli_parse_size(limit, &g->bytes, &size_err)) {
		return bad_gate(error, origin, spec, "the limit is a size (+20M, 512k, 0) or a percentage (+5%)"), NULL;
	}
	return g_steal_pointer(&g);
}

gboolean mem_diff_budget_parse(const char *path, const char *text, gsize len, GPtrArray *gates, GError **error)
{
	const char *p = text, *end = text + len;

	for (guint line = 1; p < end; line++) {
		const char *nl = memchr(p, '\n', (gsize)(end - p));
		const char *e = nl ? nl : end;
		g_autofree char *s = g_strndup(p, (gsize)(e - p));
		g_autofree char *origin = g_strdup_printf("%s:%u", path, line);
		char *hash;
		MemDiffGate *g;

		if (memchr(p, '\0', (gsize)(e - p))) {
			g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "%s: a NUL byte in the line", origin);
			return FALSE;
		}
		p = nl ? nl + 1 : end;
		for (hash = s; (hash = strchr(hash, '#')); hash++)
			if (hash == s || g_ascii_isspace(hash[-1])) {
				*hash = '\0';
				break;
			}
		g_strstrip(s);
		if (!*s)
			continue;
		if (!(g = mem_diff_gate_parse(s, origin, error)))
			return FALSE;
		g_ptr_array_add(gates, g);
	}
	return TRUE;
}

gboolean mem_diff_read_limits(char **limits, char **budgets, GPtrArray *gates, int *rc)
{
	g_autoptr(GError) err = NULL;

	for (char **l = limits; l && *l; l++) {
		MemDiffGate *g = mem_diff_gate_parse(*l, "--max-growth", &err);
		if (!g)
			return *rc = mem_cli_usage(err), FALSE;
		g_ptr_array_add(gates, g);
	}
	for (char **b = budgets; b && *b; b++) {
		gsize len = 0;
		g_autofree char *text = mem_source_read_input(*b, BUDGET_MAX, &len, &err);
		if (!text)
			return *rc = mem_cli_fail(err), FALSE;
		if (!mem_diff_budget_parse(strcmp(*b, "-") == 0 ? "stdin" : *b, text, len, gates, &err))
			return *rc = mem_cli_usage(err), FALSE;
	}
	return TRUE;
}

static MemSnapshot *load_snapshot(MemCli *cli, const char *arg, const char *what, const MemLoadOptions *lo, int *rc)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(MemSource) src = NULL;
	g_autoptr(GPtrArray) lines = NULL;
	MemFeatures missing;
	MemSnapshot *snap;

	if (strcmp(arg, "live") == 0)
		src = cli->proc_root ? mem_source_open_proc_root(cli->proc_root, &err) : mem_source_open(NULL, &err);
	else
		src = mem_source_open(arg, &err);
	if (!src || !(snap = mem_snapshot_load(src, lo, &err)))
		return *rc = mem_cli_fail(err), NULL;
	if (mem_cli_report_problems(snap))
		*rc = MEM_EXIT_BAD_INPUT;
	mem_features_from_snapshot(&missing, snap);
	if ((lines = mem_features_lines(&missing)))
		for (guint i = 0; i < lines->len; i++)
			mem_cli_warn("%s: %s", what, (const char *)g_ptr_array_index(lines, i));
	return snap;
}

gboolean mem_diff_check_maps(MemDiffLoad *l, const GPtrArray *gates, int *rc)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GArray) pids = NULL;

	if (l->objects && l->maps) {
		g_set_error(&err, MEM_ERROR, MEM_ERROR_INVALID, "-m and --maps exclude each other");
		return *rc = mem_cli_usage(err), FALSE;
	}
	if (!l->objects && g_ascii_isdigit(l->maps[0])) {
		if (!(pids = mem_cli_parse_pids(l->maps, &err)) || pids->len != 1) {
			if (!err)
				g_set_error(&err, MEM_ERROR, MEM_ERROR_INVALID, "--maps takes one pid or program name");
			return *rc = mem_cli_usage(err), FALSE;
		}
		l->maps_pid = g_array_index(pids, guint32, 0);
	} else if (!l->objects && !l->maps[0]) {
		g_set_error(&err, MEM_ERROR, MEM_ERROR_INVALID, "--maps takes one pid or program name");
		return *rc = mem_cli_usage(err), FALSE;
	}
	for (guint i = 0; i < gates->len; i++) {
		const MemDiffGate *g = g_ptr_array_index(gates, i);
		if (g->kind != MEM_DIFF_TOTAL) {
			g_set_error(&err, MEM_ERROR, MEM_ERROR_INVALID, "%s: with %s a limit is on the total (pss, uss, swap_pss), not '%s'",
			            g->origin, l->objects ? "-m" : "--maps", g->spec);
			return *rc = mem_cli_usage(err), FALSE;
		}
	}
	return TRUE;
}

/* --maps: the mappings of the pid, or of the program's processes (found by a first load), by name. */
static MemDiffSide *load_maps(MemCli *cli, const MemDiffLoad *l, const char *arg, const char *what, int *rc)
{
	MemLoadOptions lo = { .files = mem_diff_load_files(), .fields = mem_diff_load_fields(), .mappings = TRUE, .no_rollup = TRUE };
	g_autoptr(GArray) pids = NULL;
	MemSnapshot *snap;

	if (l->objects) {
		if (!(snap = load_snapshot(cli, arg, what, &lo, rc)))
			return NULL;
		return mem_diff_side_maps(arg, snap, NULL, 0);
	}
	if (l->maps_pid) {
		pids = g_array_new(FALSE, FALSE, sizeof(guint32));
		g_array_append_val(pids, l->maps_pid);
	} else {
		MemLoadOptions first = { .files = mem_diff_load_files(), .fields = mem_diff_load_fields() };
		g_autoptr(MemSnapshot) all = NULL;
		if (strcmp(arg, "-") == 0) {
			mem_cli_error("--maps PROGRAM reads a side twice: not stdin (-)");
			return *rc = MEM_EXIT_USAGE, NULL;
		}
		if (!(all = load_snapshot(cli, arg, what, &first, rc)))
			return NULL;
		pids = mem_diff_program_pids(all, l->maps);
		if (pids->len == 0) {
			mem_cli_warn("%s: no process of program %s", what, l->maps);
			return mem_diff_side_maps(arg, g_steal_pointer(&all), NULL, 0);
		}
	}
	lo.pids = (const guint32 *)(gconstpointer)pids->data;
	lo.n_pids = pids->len;
	if (!(snap = load_snapshot(cli, arg, what, &lo, rc)))
		return NULL;
	if (l->maps_pid && !mem_snapshot_find(snap, l->maps_pid) && snap->threads->len == 0)
		mem_cli_warn("%s: no process %u", what, l->maps_pid);
	for (guint t = 0; t < snap->threads->len; t++) /* a thread's pid stands for its process */
		g_array_index(pids, guint32, 0) = g_array_index(snap->threads, MemThreadOf, t).tgid;
	return mem_diff_side_maps(arg, snap, (const guint32 *)(gconstpointer)pids->data, pids->len);
}

/* One side, before memdiff's own process is left out of a live one. */
static MemDiffSide *load_side(MemCli *cli, const MemDiffLoad *l, const char *arg, const char *what, int *rc)
{
	g_autoptr(GError) err = NULL;
	MemLoadOptions lo = { .files = mem_diff_load_files(), .fields = mem_diff_load_fields() };
	MemSnapshot *snap;
	gboolean is_json = FALSE;

	if (strcmp(arg, "live") != 0 && !mem_source_peek_json(arg, &is_json, &err))
		return *rc = mem_cli_fail(err), NULL;
	if (is_json && (l->maps || l->objects)) {
		mem_cli_error("%s: %s needs recordings or live: a memps --json report has no mappings", arg,
		              l->maps ? "--maps" : "-m");
		return *rc = MEM_EXIT_USAGE, NULL;
	}
	if (l->maps || l->objects)
		return load_maps(cli, l, arg, what, rc);
	if (is_json) {
		MemJsonDoc *doc = mem_json_load(arg, &err);
		MemDiffSide *s = doc ? mem_diff_side_from_report(arg, doc, &err) : NULL;
		if (!s)
			*rc = mem_cli_fail(err);
		return s;
	}
	if (!(snap = load_snapshot(cli, arg, what, &lo, rc)))
		return NULL;
	return mem_diff_side_from_snapshot(arg, snap);
}

MemDiffSide *mem_diff_load_side(MemCli *cli, const MemDiffLoad *l, const char *arg, const char *what, int *rc)
{
	MemDiffSide *s = load_side(cli, l, arg, what, rc);

	if (s && s->snap && s->snap->source && mem_source_is_live_proc(s->snap->source))
		mem_diff_side_drop_pid(s, (guint32)getpid());
	return s;
}
