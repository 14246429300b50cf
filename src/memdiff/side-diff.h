/* side-diff.h: one side of a comparison (a recording, the live system or a saved memps --json report) as a flat list of processes and their additive figures (accounting layer)
 *
 * memdiff compares only figures that add up across processes without counting a page twice: PSS,
 * USS (private) and SwapPss.  A side keeps, per process, its cgroup, comm, command line and those
 * figures, each with a validity bit: a process that was not measured (unreadable, vanished, skipped)
 * has none of them, and a figure its kernel lacks (SwapPss before 4.3) is unknown too.  Kernel threads
 * and zombies hold no user memory and are left out (as memps leaves them out of its sums); so is a
 * process that vanished while it was read (live, or the recorder saw ENOENT/ESRCH): it was exiting,
 * and counts as if it had exited just before (n_vanished says how many). */
#pragma once

#include <glib.h>

#include "json-reader.h"
#include "model.h"

typedef enum {
	MEM_DIFF_PSS,
	MEM_DIFF_USS,
	MEM_DIFF_SWAP_PSS,
	MEM_DIFF_N_FIGURES
} MemDiffFigure;

/* "pss", "uss", "swap_pss": the gate's names and the JSON key stems. */
const char *mem_diff_figure_id(MemDiffFigure f);
/* The figure of an id, any case; FALSE when none. */
gboolean mem_diff_figure_lookup(const char *id, gsize len, MemDiffFigure *f);

typedef struct {
	guint32 pid;
	char *job;            /* cgroup path; NULL when unknown */
	char *name;           /* comm; "" when unknown */
	GPtrArray *argv;      /* char*: the command line; NULL when unknown */
	gboolean measured;    /* the figures below were read (state ok); not: unreadable or skipped */
	guint8 known;         /* bit f: v[f] is valid (only when measured) */
	guint64 v[MEM_DIFF_N_FIGURES];
} MemDiffProc;

typedef enum {
	MEM_DIFF_INPUT_RECORDING,
	MEM_DIFF_INPUT_LIVE,
	MEM_DIFF_INPUT_REPORT,     /* a saved memps --json report */
} MemDiffInput;

typedef struct {
	char *arg;            /* the argument as given ("live", a path, "-") */
	MemDiffInput input;
	char *kernel;         /* kernel release; NULL when unknown */
	gboolean argv0_only;  /* command lines scrubbed to argv[0] by the recorder (memcap -s) */
	GPtrArray *procs;     /* MemDiffProc*, in the input's order */
	guint n_problems;     /* malformed files of a recording (reported on stderr by the caller) */
	guint n_vanished;     /* processes left out: they vanished while read */
	/* What the JSON header says about the side: a snapshot (recording, live), or the report's own
	 * "schema" and "source" members (a saved report); one of the two is set. */
	MemSnapshot *snap;
	MemJsonDoc *doc;
} MemDiffSide;

void mem_diff_side_free(MemDiffSide *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MemDiffSide, mem_diff_side_free)

/* The figures memdiff reads per process (MemLoadOptions.fields) and the files (MemLoadOptions.files). */
guint32 mem_diff_load_fields(void);
guint32 mem_diff_load_files(void);

/* A side from a loaded snapshot (taken over: freed with the side). */
MemDiffSide *mem_diff_side_from_snapshot(const char *arg, MemSnapshot *snap);

/* The mappings of some processes of a snapshot (taken over) as a side, for memdiff --maps: each mapping
 * is an entry (job and command line NULL, name: the mapping's name, "[anon]" for an unnamed one), so
 * that the comparison's "programs" are the mapping names (summed, counted) and its total the
 * processes' total.  `pids` (sorted, n_pids) are the processes, NULL for every process of the
 * snapshot (memdiff -m: the memory objects by name); one that was not measured adds an unmeasured
 * entry "[pid N not measured]" (the total is then unknown). */
MemDiffSide *mem_diff_side_maps(const char *arg, MemSnapshot *snap, const guint32 *pids, guint n_pids);

/* Leaves out the entries of process pid (memdiff itself on a live side: it measures, it is not the
 * workload); returns how many went. */
guint mem_diff_side_drop_pid(MemDiffSide *s, guint32 pid);

/* The pids of the processes of a snapshot whose program name (mem_program_name) is `name`, sorted. */
GArray *mem_diff_program_pids(const MemSnapshot *snap, const char *name);

/* A side from a parsed memps --json report (taken over).  Errors (MEM_ERROR_PARSE) name the argument
 * and the member: "old.json: processes[3].pss_bytes: not a byte count". */
MemDiffSide *mem_diff_side_from_report(const char *arg, MemJsonDoc *doc, GError **error);
