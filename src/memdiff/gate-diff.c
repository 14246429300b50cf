/* gate-diff.c: growth limits' verdicts over a comparison (accounting layer) */
#include "config.h"

#include <string.h>

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
