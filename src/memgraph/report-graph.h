/* report-graph.h: what memgraph's records are made of: the kernel's categories, the job tree, the processes, with -v their objects, with -t their threads (accounting layer)
 *
 * Everything comes from the core: the categories from meminfo-categories.h, the jobs and their
 * subtree sums from proctree.h (memps's cgroup tree), the objects from objects.h (memobjs's all view
 * for the object records, its process view for each process's part of them), the threads from
 * mem_source_tasks(). */
#pragma once

#include <glib.h>

#include "meminfo-categories.h"
#include "model.h"
#include "objects.h"
#include "proctree.h"
#include "source.h"

typedef struct {
	guint32 pid, tid;
	char *comm;              /* owned, raw bytes; NULL when task/TID/stat was unreadable */
	gsize comm_len;
	char state;              /* stat's state letter; '?' when unreadable */
} MemGraphThread;

/* A process's part of one object it maps: Σ Pss of its mappings of it (-v). */
typedef struct {
	guint64 inode;           /* a private anonymous object: the start of its mapping */
	guint64 pss;
	guint32 dev_major, dev_minor;
	guint8 anon;             /* a private anonymous object (object-id.h) */
	guint8 has_pss;          /* every mapping of it had Pss */
} MemGraphPart;

typedef struct {
	guint32 pid;
	guint n;
	MemGraphPart *parts;     /* file objects by device and inode, then anonymous ones by address */
} MemGraphParts;

typedef struct {
	MemSnapshot *snap;       /* borrowed */
	gboolean has_cat;        /* the snapshot had meminfo */
	MemSysCategories cat;
	MemPsReport *tree;       /* every process in its job (cgroup) tree, kernel threads included */
	MemObjsReport *objects;  /* -v: every object of the source (memobjs's all view); NULL otherwise */
	GHashTable *parts_by_pid; /* -v: pid -> MemGraphParts* of the processes read whole; NULL otherwise */
	GArray *threads;         /* -t: MemGraphThread, by pid then tid; NULL without -t or when not recorded */
	const char *threads_note; /* -t: "read", or "not recorded" (a recording holds no task directories) */
	char *timestamp;         /* owned: ISO 8601 UTC with milliseconds, or NULL when unknown */
} MemGraph;

/* What a -v load feeds (MemLoadOptions.mappings_func = mem_graph_gather_mappings, mappings_data = the
 * MemGraphGather): memobjs's gather of every object, and each process's parts (a 32-byte entry per
 * object a process maps: memobjs's process view would keep a whole object per process). */
typedef struct _MemGraphPartsThread MemGraphPartsThread;
typedef struct {
	MemObjsGather *all;
	MemGraphPartsThread *threads; /* MEM_SCAN_MAX_THREADS of them */
} MemGraphGather;

void mem_graph_gather_init(MemGraphGather *g);
void mem_graph_gather_clear(MemGraphGather *g);
void mem_graph_gather_mappings(guint thread, guint32 pid, const MemMapping *maps, guint n, MemMappingsStep step,
                               gpointer data);

/* Builds the graph of a loaded snapshot; `gather` is NULL without -v (its parts move to the graph).  FALSE with an error for a
 * malformed meminfo (MEM_ERROR_PARSE). */
gboolean mem_graph_build(MemGraph *g, MemSnapshot *snap, MemGraphGather *gather, GError **error);

/* -t: reads every process's threads from src (live); a recording sets threads_note "not recorded"
 * and FALSE (nothing read). */
gboolean mem_graph_read_threads(MemGraph *g, MemSource *src);

void mem_graph_clear(MemGraph *g);

/* The line for stderr about what could not be counted, or NULL. */
char *mem_graph_summary(const MemGraph *g);
