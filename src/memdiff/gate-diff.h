/* gate-diff.h: growth limits and their verdicts over a comparison (accounting layer)
 *
 * A limit (parsed by load-diff.h's mem_diff_gate_parse) is on a target's figure: the total, a job
 * (cgroup and below), or every program row of a name (mem_program_name), summed over cgroups.  It is
 * exceeded when the growth (NEW - OLD) is above it, in bytes or in millionths of the OLD value (from
 * an OLD value of 0 any growth is above a percentage); a shrink never is.  A target on one side only
 * counts 0 on the other.  Its verdict is UNKNOWN when a figure it needs is unknown (an unreadable
 * process, a kernel without SwapPss), and NO_MATCH when neither side has the target. */
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

void mem_diff_gate_free(MemDiffGate *g);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MemDiffGate, mem_diff_gate_free)

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
