/* gate-diff.h: growth limits (--max-growth, --budget FILE), parsed from their text and checked over a comparison (front-end support layer)
 *
 * A limit is TARGET=LIMIT (split at the last '='):
 *   TARGET  pss | uss | swap_pss              the total of that figure
 *           [FIGURE:]job:PATH                 a job (cgroup and below), PSS unless FIGURE is given
 *           [FIGURE:]program:NAME             every program row of that name (mem_program_name: the
 *                                             base name of argv[0], else comm), summed over cgroups
 *   LIMIT   [+]SIZE    growth above SIZE bytes (k, M, G, ... as --max-rss; 0 allows none)
 *           [+]N%      growth above N percent of the OLD value (up to 4 decimals: 2.5%); from an OLD
 *                      value of 0 any growth is above it
 * A limit is exceeded when the growth (NEW - OLD) is above it; a shrink never is.  A target on one
 * side only counts 0 on the other.  Its verdict is UNKNOWN when a figure it needs is unknown (an
 * unreadable process, a kernel without SwapPss), and NO_MATCH when neither side has the target. */
#pragma once

#include <glib.h>

#include "compare-diff.h"

typedef struct {
	char *spec;            /* as written */
	char *origin;          /* "--max-growth" or "budget.txt:3" */
	MemDiffKind kind;      /* TOTAL, JOB, PROGRAM */
	char *target;          /* job path or program name; NULL for the total */
	MemDiffFigure figure;
	gboolean percent;
	guint64 bytes;         /* !percent */
	guint64 ppm;           /* percent: millionths of the OLD value (5% = 50000) */
} MemDiffGate;

/* Parses one limit; `origin` goes into errors ("budget.txt:3: ...") and the gate. */
MemDiffGate *mem_diff_gate_parse(const char *spec, const char *origin, GError **error);
void mem_diff_gate_free(MemDiffGate *g);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MemDiffGate, mem_diff_gate_free)

/* Parses a budget file's text: one limit per line; blank lines and lines whose first non-blank is
 * '#' are skipped, as is a " #" comment after a limit (blank before the '#').  Appends to gates
 * (MemDiffGate*); errors name "path:LINE". */
gboolean mem_diff_budget_parse(const char *path, const char *text, gsize len, GPtrArray *gates, GError **error);

typedef enum {
	MEM_DIFF_PASS,
	MEM_DIFF_EXCEEDED,
	MEM_DIFF_UNKNOWN,
	MEM_DIFF_NO_MATCH,
} MemDiffVerdict;

const char *mem_diff_verdict_name(MemDiffVerdict v);   /* "pass", "exceeded", "unknown", "no_match" */

typedef struct {
	const MemDiffGate *gate;
	MemDiffVerdict verdict;
	gboolean known;        /* old/new known */
	guint64 old, new;      /* the target's figure on each side (sums for a program name) */
	gint64 delta;          /* when known */
	guint rows;            /* rows summed (programs) */
} MemDiffCheck;

/* Checks a gate against the comparison. */
void mem_diff_gate_check(const MemDiffGate *g, const MemDiffReport *r, MemDiffCheck *out);

/* Whether a verdict fails the gate: EXCEEDED and NO_MATCH always, UNKNOWN unless unknown_pass. */
gboolean mem_diff_verdict_fails(MemDiffVerdict v, gboolean unknown_pass);
