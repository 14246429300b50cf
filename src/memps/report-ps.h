/* report-ps.h: the "who uses the memory" report: selection, job tree, groups, totals (accounting layer)
 *
 * Builds, from a MemSnapshot, the tree memps shows: cgroups as jobs (Zircon's j:) holding processes
 * (p:), or the process parentage tree, or a flat list, or one row per user / program.  Within a level
 * processes come before child jobs, each sorted by the sort column.  Jobs carry subtree sums of the
 * additive metrics only (PSS-like and private-like); SHARED, RSS and the other double-counting
 * metrics are blank for jobs, as Zircon leaves SHARED blank. */
#pragma once

#include <glib.h>

#include "account.h"
#include "column.h"
#include "model.h"
#include "table.h"

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

typedef struct {
	MemTreeMode tree;
	MemGroupMode group;
	GPtrArray *columns;           /* const MemColumn*; NULL: PSS PRIVATE SHARED */
	const MemColumn *sort;        /* NULL: PSS */
	gboolean reverse;
	const guint32 *pids;          /* filter: sorted pids, NULL for all */
	guint n_pids;
	gboolean has_uid;             /* filter: real uid */
	guint32 uid;
	const char *cgroup;           /* filter: this cgroup and below */
	GRegex *pattern;              /* filter: matches the name or the space-joined cmdline */
	gboolean kernel;              /* show kernel threads */
} MemPsOptions;

/* A node of the displayed tree: a job (cgroup), a process, or a group (user/program). */
typedef struct _MemPsNode MemPsNode;
struct _MemPsNode {
	enum { MEM_PS_JOB, MEM_PS_PROC, MEM_PS_GROUP } kind;
	MemProcess *proc;             /* MEM_PS_PROC */
	char *id;                     /* job: canonical cgroup path; group: user or program name */
	gsize id_len;
	const char *base;             /* job: last path component (points into id) */
	gboolean has_uid;             /* user group */
	guint32 uid;
	MemPsNode *parent;
	GPtrArray *kids;              /* MemPsNode*, NULL when none */
	guint depth;
	MemTally *tally;              /* jobs and groups: the processes below (NULL for a process) */
	gboolean key_known;           /* the sort key, computed once before sorting */
	guint64 key;
};

/* A node's figures: a process's metrics, a group's sums, or a job's subtree sums of the additive
 * metrics (the others unknown). */
void mem_ps_node_metrics(const MemPsNode *n, MemMetrics *out);

typedef struct {
	MemSnapshot *snap;            /* not owned */
	MemPsOptions opts;
	GPtrArray *selected;          /* MemProcess* passing the filters, any state, by pid */
	GPtrArray *roots;             /* MemPsNode*: top level of the display */
	GPtrArray *nodes;             /* every node (owner) */
	GPtrArray *jobs;              /* MemPsNode* jobs in display order */
	MemTally totals;              /* shown processes (kernel threads excluded) */
	MemStateTally states;         /* the selected processes by state (kernel threads hidden or not) */
} MemPsReport;

/* TRUE when some process of the snapshot is in the cgroup or below (--cgroup names one that exists). */
gboolean mem_ps_cgroup_exists(const MemSnapshot *snap, const char *cgroup);

MemPsReport *mem_ps_report_new(MemSnapshot *snap, const MemPsOptions *opts);
void mem_ps_report_free(MemPsReport *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MemPsReport, mem_ps_report_free)

/* The report as a table of the chosen columns, TOTAL row last. */
MemTable *mem_ps_report_table(const MemPsReport *r);

/* A summary of what was left out, e.g. "3 processes unreadable (permission denied), 1 vanished;
 * totals exclude them", or NULL when nothing was. */
char *mem_ps_report_summary(const MemPsReport *r);
