/* compare-diff.h: what grew and shrank between an OLD side and one or several NEW sides: the total, jobs and programs, matched by name (accounting layer)
 *
 * Rows:
 *   total     every process of the side;
 *   job       a cgroup and everything below it (as memps's jobs), by path;
 *   program   processes with the same cgroup and command line (argv[0] alone when either side's
 *             recorder scrubbed the arguments; comm when the command line is unknown or empty):
 *             pids differ between runs, so they are never used.  Several processes of one program
 *             are summed and counted.
 * A sum is known only when every process in it was measured and knew the figure: an unreadable
 * process is never taken as zero.  A row present on one side only (appeared, disappeared) counts 0
 * on the other side: a program that is not running uses no memory.
 * With several NEW sides the NEW value of a row is the median over the NEW sides (for an even count,
 * the mean of the two middle values, rounded down); a row is present on NEW when it is present in
 * more than half of them, and its median is over those; it is unknown when one of those is. */
#pragma once

#include <glib.h>

#include "side-diff.h"

typedef enum {
	MEM_DIFF_TOTAL,
	MEM_DIFF_JOB,
	MEM_DIFF_PROGRAM,
} MemDiffKind;

/* How a program row was matched: the whole command line, argv[0] (scrubbed recordings), comm. */
typedef enum {
	MEM_DIFF_MATCH_CMDLINE,
	MEM_DIFF_MATCH_ARGV0,
	MEM_DIFF_MATCH_COMM,
} MemDiffMatch;

typedef struct {
	guint64 v[MEM_DIFF_N_FIGURES];
	guint8 known;          /* bit f: v[f] is valid */
	guint n_procs;         /* processes in it (measured or not) */
	guint n_unmeasured;    /* of which not measured (unreadable, vanished, skipped) */
	gboolean present;
} MemDiffSum;

typedef struct {
	MemDiffKind kind;
	char *job;             /* job: its path; program: its cgroup (NULL when unknown) */
	char *cmdline;         /* program: what it was matched by, arguments joined by spaces (comm for COMM) */
	char *name;            /* program: the program name (base name of argv[0], else comm, as memps -g
	                        * program); job: its path; total: "total" */
	MemDiffMatch match;
	MemDiffSum old, new;
} MemDiffRow;

/* The delta of a figure: FALSE when unknown (either side unknown, or a value above 2^63). */
gboolean mem_diff_row_delta(const MemDiffRow *r, MemDiffFigure f, gint64 *delta);
/* TRUE when the row changed: present on one side only, or a known delta that is not 0, or a figure
 * known on one side only. */
gboolean mem_diff_row_changed(const MemDiffRow *r);
/* "appeared", "disappeared", "changed", "same". */
const char *mem_diff_row_status(const MemDiffRow *r);
const char *mem_diff_match_name(MemDiffMatch m);   /* "cmdline", "argv0", "comm" */

typedef struct {
	MemDiffSide *old;      /* not owned */
	GPtrArray *new;        /* MemDiffSide*, not owned */
	gboolean argv0_only;   /* some side's command lines are scrubbed: programs matched on argv[0] */
	GPtrArray *rows;       /* MemDiffRow*: the total, then jobs, then programs, each sorted by PSS growth
	                        * (largest first, unknown deltas last, then by name) */
	char *maps_of;         /* --maps: the sides are mappings (mem_diff_side_maps), the "programs" mapping
	                        * names; what was selected ("pid 1234", "program sshd"); NULL otherwise */
} MemDiffReport;

MemDiffReport *mem_diff_report_new(MemDiffSide *old, GPtrArray *new_sides);
void mem_diff_report_free(MemDiffReport *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MemDiffReport, mem_diff_report_free)

/* The row of a kind and job path (jobs) or the total; NULL when neither side has it. */
const MemDiffRow *mem_diff_report_find(const MemDiffReport *r, MemDiffKind kind, const char *job);
