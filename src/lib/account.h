/* account.h: derived memory metrics of processes and their sums over groups (accounting layer)
 *
 * Pure functions over the model: no I/O.  Definitions (all in bytes, from smaps_rollup or Σ smaps):
 *   PSS = Pss; PRIVATE = USS = Private_Clean + Private_Dirty; SHARED = Shared_Clean + Shared_Dirty;
 *   RSS = Rss; SWAP = Swap; SWAP_PSS = SwapPss; PSS_ANON/FILE/SHMEM/DIRTY = Pss_Anon/File/Shmem/Dirty;
 *   VSS = stat vsize (or Σ Size); HUGETLB = Shared_Hugetlb + Private_Hugetlb.  Hugetlb pages are
 *   outside Rss, Pss and the Private/Shared fields: HUGETLB is the only metric that counts them.
 * A metric is unknown when a field it needs is absent (older kernels), or the process is not OK. */
#pragma once

#include <glib.h>

#include "model.h"

typedef enum {
	MEM_M_PSS,
	MEM_M_PRIVATE,
	MEM_M_SHARED,
	MEM_M_RSS,
	MEM_M_USS,
	MEM_M_SWAP,
	MEM_M_SWAP_PSS,
	MEM_M_PSS_ANON,
	MEM_M_PSS_FILE,
	MEM_M_PSS_SHMEM,
	MEM_M_PSS_DIRTY,
	MEM_M_PRIVATE_CLEAN,
	MEM_M_PRIVATE_DIRTY,
	MEM_M_SHARED_CLEAN,
	MEM_M_SHARED_DIRTY,
	MEM_M_VSS,
	MEM_M_HUGETLB,
	MEM_M_COUNT
} MemMetric;

typedef struct {
	guint64 v[MEM_M_COUNT];
	guint32 known;        /* bit m: v[m] is valid */
} MemMetrics;

static inline gboolean mem_metrics_has(const MemMetrics *m, MemMetric i)
{
	return (m->known >> i) & 1u;
}

/* Metrics of one process; nothing is known unless the state is OK (VSS may be known anyway). */
void mem_process_metrics(const MemProcess *p, MemMetrics *out);

/* The MemField bits mem_process_metrics() reads for metric m (0 for VSS, which is not a counter): what a
 * tool keeps per process (MemLoadOptions.fields) to show m. */
guint32 mem_metric_fields(MemMetric m);

/* TRUE for metrics that add up across processes without counting a page twice (PSS-like and
 * private-like); FALSE for RSS, SHARED, SWAP, SHARED_*, VSS, HUGETLB, whose sums double count. */
gboolean mem_metric_additive(MemMetric m);

/* A running sum over processes. */
typedef struct {
	MemMetrics sum;
	guint n_ok;           /* processes that contributed */
	guint n_missing;      /* unreadable or vanished processes left out */
	guint n_kernel;
} MemTally;

void mem_tally_init(MemTally *t);
/* Adds a process: OK ones add every metric (a metric unknown for one OK process becomes unknown for
 * the sum); others are counted in n_missing / n_kernel. */
void mem_tally_add(MemTally *t, const MemProcess *p);
/* Adds another tally (for subtree sums). */
void mem_tally_merge(MemTally *t, const MemTally *other);

/* ---- how many processes are in each state: one tally and one summary line for every tool ----
 * A new state or reason needs nothing here: the summary names a state by mem_proc_state_name() and an
 * unreadable process's reason by its note (mem_proc_state_note(): "[unreadable: permission denied]"),
 * so the summary and the rows say the same.  OK processes and kernel threads (no user memory) are not
 * left out of any sum; every other state is. */
#define MEM_STATE_SLOTS 16    /* more than any MemProcState value */
#define MEM_TALLY_REASONS 6   /* distinct reasons kept; more are counted as "other" */

typedef struct {
	guint n[MEM_STATE_SLOTS];                 /* processes by MemProcState */
	const char *reason[MEM_TALLY_REASONS];    /* unreadable: the reasons, first seen first ("malformed") */
	gsize reason_len[MEM_TALLY_REASONS];
	guint n_reason[MEM_TALLY_REASONS];
	guint n_other;                            /* unreadable without a reason, or past the slots */
} MemStateTally;

void mem_state_tally_add(MemStateTally *t, const MemProcess *p);
/* Processes left out of every sum: neither OK nor kernel threads. */
guint mem_state_tally_left_out(const MemStateTally *t);
/* The summary line for stderr, one wording for every tool, or NULL when nothing was left out:
 * "3 processes unreadable (permission denied), 1 vanished; totals exclude them";
 * several reasons: "3 processes unreadable (2 permission denied, 1 malformed)"; other states by their
 * name ("1 zombie", "2 skipped") in the order of MemProcState. */
char *mem_state_tally_summary(const MemStateTally *t);

/* A program's name, as memps -g program and memdiff's program gates name it: the base name of argv0 (a
 * process title such as "sshd: user [priv]" cut before its first ": ", a login shell's leading '-'
 * dropped), else comm (kernel threads, zombies, an empty or unknown command line: argv0 NULL or "").
 * Sets *len; points into argv0 or comm. */
const char *mem_program_name(const char *argv0, const char *comm, gsize *len);
