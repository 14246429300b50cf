/* proctree.h: the "who uses the memory" report: selection, job tree, groups, totals; memps's report and memgraph's jobs (accounting layer)
 *
 * Builds, from a MemSnapshot, the tree memps shows: cgroups as jobs (Zircon's j:) holding processes
 * (p:), or the process parentage tree, or a flat list, or one row per user / program.  Within a level
 * processes come before child jobs, each sorted by the sort key.  Every sum (jobs, --tree=parent
 * subtrees, groups, the total) carries the additive metrics only (PSS-like and private-like); SHARED,
 * RSS and the other metrics that count a page once per sharer are blank, as Zircon leaves a job's
 * SHARED blank.  A sum with no measured member is unknown, not 0. */
#pragma once

#include <glib.h>

#include "account.h"
#include "model.h"

typedef enum {
	MEM_TREE_CGROUP,
	MEM_TREE_PARENT,
	MEM_TREE_NONE,
} MemTreeMode;

typedef enum {
	MEM_GROUP_NONE,
	MEM_GROUP_USER,
	MEM_GROUP_PROGRAM,
} MemGroupMode;

/* What each level is sorted by: a metric (largest first; a sum whose metric does not add up sorts by
 * PSS), or a process's pid, ppid, user name or command line.  Zero: PSS. */
typedef enum {
	MEM_PS_SORT_METRIC,
	MEM_PS_SORT_PID,
	MEM_PS_SORT_PPID,
	MEM_PS_SORT_USER,
	MEM_PS_SORT_CMDLINE,
} MemPsSortKind;

typedef struct {
	MemPsSortKind kind;
	MemMetric metric;             /* MEM_PS_SORT_METRIC */
} MemPsSort;

typedef struct {
	MemTreeMode tree;
	MemGroupMode group;
	MemPsSort sort;
	gboolean reverse;
	const guint32 *pids;          /* filter: sorted pids, NULL for all */
	guint n_pids;
	gboolean has_uid;             /* filter: real uid */
	guint32 uid;
	const char *cgroup;           /* filter: this cgroup and below */
	GRegex *pattern;              /* filter: matches the name or the space-joined cmdline */
	guint32 self_pid;             /* never matches the pattern (the tool itself, live); 0: none */
	gboolean kernel;              /* show kernel threads */
} MemPsOptions;

/* A node of the displayed tree: a job (cgroup), a process, a group (user/program), or in the parent
 * tree the subtree of a process that has children (holding that process first, then its children,
 * as a job holds its processes). */
typedef struct _MemPsNode MemPsNode;
struct _MemPsNode {
	/* fields paired by size (88 bytes, not 104: one node per process) */
	enum { MEM_PS_JOB, MEM_PS_PROC, MEM_PS_GROUP, MEM_PS_SUBTREE } kind;
	MemJobHierarchy hierarchy;    /* job: the cgroup hierarchy of its processes' paths (the first seen
	                               * below it; MEM_JOB_NONE for the root or when unknown) */
	MemProcess *proc;             /* MEM_PS_PROC; MEM_PS_SUBTREE: the process at its top */
	char *id;                     /* job: canonical cgroup path; group: user or program name */
	gsize id_len;
	const char *base;             /* job: last path component (points into id) */
	gboolean has_uid;             /* user group */
	guint32 uid;
	MemPsNode *parent;
	GPtrArray *kids;              /* MemPsNode*, NULL when none */
	guint depth;
	gboolean key_known;           /* the sort key, computed once before sorting */
	MemTally *tally;              /* jobs, groups, subtrees: the processes below (NULL for a process) */
	guint64 key;
};

/* A node's figures: a process's metrics, or a job's, subtree's or group's sums (mem_ps_sum_metrics). */
void mem_ps_node_metrics(const MemPsNode *n, MemMetrics *out);

/* The figures a sum shows: the additive metrics of the tally (the others unknown), and nothing known
 * when no member was measured and some were not (unreadable, vanished): unknown, not 0. */
void mem_ps_sum_metrics(const MemTally *t, MemMetrics *out);

/* What --group=program groups by: mem_program_name() of cmdline[0] and comm.  Sets *len; points into p. */
const char *mem_ps_program_name(const MemProcess *p, gsize *len);

typedef struct {
	MemSnapshot *snap;            /* not owned */
	MemPsOptions opts;
	GPtrArray *selected;          /* MemProcess* passing the filters, any state, by pid */
	GPtrArray *roots;             /* MemPsNode*: top level of the display */
	GPtrArray *nodes;             /* every node (owner) */
	GPtrArray *jobs;              /* MemPsNode* jobs in display order */
	GPtrArray *subtrees;          /* MemPsNode* parent-tree subtrees in display order */
	MemTally totals;              /* shown processes (kernel threads counted, never summed) */
	MemStateTally states;         /* the selected processes by state (kernel threads hidden or not) */
} MemPsReport;

/* TRUE when some process of the snapshot is in the cgroup or below (--cgroup names one that exists). */
gboolean mem_ps_cgroup_exists(const MemSnapshot *snap, const char *cgroup);

MemPsReport *mem_ps_report_new(MemSnapshot *snap, const MemPsOptions *opts);
void mem_ps_report_free(MemPsReport *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MemPsReport, mem_ps_report_free)

/* The arguments joined by spaces ("" for none); newly allocated. */
char *mem_ps_join_cmdline(const GPtrArray *argv);

/* A summary of what was left out, e.g. "3 processes unreadable (permission denied), 1 vanished;
 * totals exclude them", or NULL when nothing was. */
char *mem_ps_report_summary(const MemPsReport *r);
