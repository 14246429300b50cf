/* gate-diff.c: growth limits parsed from --max-growth and budget files, and their verdicts (front-end support layer) */
#include "config.h"

#include <string.h>

#include "cli.h"
#include "error.h"
#include "gate-diff.h"

void mem_diff_gate_free(MemDiffGate *g)
{
	if (!g)
		return;
	g_free(g->spec);
	g_free(g->origin);
	g_free(g->target);
	g_free(g);
}

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

const char *mem_diff_verdict_name(MemDiffVerdict v)
{
	static const char *const names[] = { "pass", "exceeded", "unknown", "no_match" };
	return names[v];
}

gboolean mem_diff_verdict_fails(MemDiffVerdict v, gboolean unknown_pass)
{
	return v == MEM_DIFF_EXCEEDED || v == MEM_DIFF_NO_MATCH || (v == MEM_DIFF_UNKNOWN && !unknown_pass);
}

/* Adds one side's sum of a figure; FALSE when it is unknown. */
static gboolean add_side(const MemDiffSum *s, MemDiffFigure f, guint64 *acc)
{
	if (!s->present)
		return TRUE;
	if (!((s->known >> f) & 1u))
		return FALSE;
	*acc = s->v[f] > G_MAXUINT64 - *acc ? G_MAXUINT64 : *acc + s->v[f];
	return TRUE;
}

/* a * b as 128 bits (hi, lo), from 32-bit halves: __int128 is not there on 32-bit targets. */
static void mul_u64(guint64 a, guint64 b, guint64 *hi, guint64 *lo)
{
	guint64 al = a & 0xffffffffu, ah = a >> 32, bl = b & 0xffffffffu, bh = b >> 32;
	guint64 ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
	guint64 mid = (ll >> 32) + (lh & 0xffffffffu) + (hl & 0xffffffffu);

	*lo = (ll & 0xffffffffu) | (mid << 32);
	*hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

static gboolean exceeded(const MemDiffGate *g, guint64 old, gint64 delta)
{
	guint64 ahi, alo, bhi, blo;

	if (delta <= 0)
		return FALSE;
	if (!g->percent)
		return (guint64)delta > g->bytes;
	if (old == 0)
		return TRUE;
	/* delta / old > ppm / 1e6, in integers of 128 bits */
	mul_u64((guint64)delta, 1000000u, &ahi, &alo);
	mul_u64(g->ppm, old, &bhi, &blo);
	return ahi > bhi || (ahi == bhi && alo > blo);
}

void mem_diff_gate_check(const MemDiffGate *g, const MemDiffReport *r, MemDiffCheck *out)
{
	gboolean known = TRUE;

	memset(out, 0, sizeof *out);
	out->gate = g;
	for (guint i = 0; i < r->rows->len; i++) {
		const MemDiffRow *row = g_ptr_array_index(r->rows, i);

		if (row->kind != g->kind)
			continue;
		if (g->kind == MEM_DIFF_JOB && strcmp(row->job, g->target) != 0)
			continue;
		if (g->kind == MEM_DIFF_PROGRAM && strcmp(row->name, g->target) != 0)
			continue;
		out->rows++;
		known &= add_side(&row->old, g->figure, &out->old);
		known &= add_side(&row->new, g->figure, &out->new);
	}
	if (!out->rows) {
		out->verdict = MEM_DIFF_NO_MATCH;
		return;
	}
	out->known = known && out->old <= G_MAXINT64 && out->new <= G_MAXINT64;
	if (!out->known) {
		out->verdict = MEM_DIFF_UNKNOWN;
		return;
	}
	out->delta = (gint64)out->new - (gint64)out->old;
	out->verdict = exceeded(g, out->old, out->delta) ? MEM_DIFF_EXCEEDED : MEM_DIFF_PASS;
}
