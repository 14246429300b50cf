/* load-diff.h: memdiff's inputs: each side read by its kind, and the limits from options and budget files (front-end support layer)
 *
 * Errors are printed here (mem_cli_*), once, and *rc set to the exit status: these are the front
 * end's steps, kept out of memdiff.c to keep it short. */
#pragma once

#include <glib.h>

#include "cli.h"
#include "gate-diff.h"
#include "side-diff.h"

typedef struct {
	const char *maps;      /* --maps PID|PROGRAM, or NULL */
	gboolean objects;      /* -m */
	guint32 maps_pid;      /* set by mem_diff_check_maps(): --maps PID; 0 for a PROGRAM */
} MemDiffLoad;

/* A limit is TARGET=LIMIT (split at the last '=', cgroup paths may hold one):
 *   TARGET  pss | uss | swap_pss              the total of that figure
 *           [FIGURE:]job:PATH                 a job, PSS unless FIGURE is given
 *           [FIGURE:]program:NAME             every program row of that name
 *   LIMIT   [+]SIZE    growth above SIZE bytes (k, M, G, ... as --max-rss; 0 allows none)
 *           [+]N%      growth above N percent of the OLD value (up to 4 decimals: 2.5%)
 * Parses one; `origin` goes into errors (MEM_ERROR_INVALID: "budget.txt:3: bad limit '...': why") and
 * the limit. */
MemDiffGate *mem_diff_gate_parse(const char *spec, const char *origin, GError **error);

/* Parses a budget file's text: one limit per line; blank lines and lines whose first non-blank is
 * '#' are skipped, as is a " #" comment after a limit (blank before the '#').  Appends to gates
 * (MemDiffGate*); errors name "path:LINE". */
gboolean mem_diff_budget_parse(const char *path, const char *text, gsize len, GPtrArray *gates, GError **error);

/* The limits of --max-growth (each a TARGET=LIMIT), then of each budget file (read through
 * mem_source_read_input, "-" is stdin), appended to gates.  FALSE: printed, *rc set (2 for a bad
 * limit or line, the read's status for a file that cannot be read). */
gboolean mem_diff_read_limits(char **limits, char **budgets, GPtrArray *gates, int *rc);

/* --maps or -m: not both, --maps a pid or a name (sets maps_pid), and limits on the total only.
 * FALSE: printed, *rc set (2). */
gboolean mem_diff_check_maps(MemDiffLoad *l, const GPtrArray *gates, int *rc);

/* One side: the word live (the running system, or cli->proc_root), a saved report (a JSON file) or a
 * recording; with maps or objects, its mappings (mem_diff_side_maps).  Malformed files of a recording
 * are printed (*rc becomes 3, the side still comes back), so are its missing kernel features, named
 * by `what` ("OLD live").  memdiff's own process is left out of the running system's side.  NULL:
 * printed, *rc set. */
MemDiffSide *mem_diff_load_side(MemCli *cli, const MemDiffLoad *l, const char *arg, const char *what, int *rc);
