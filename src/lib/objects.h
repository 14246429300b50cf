/* objects.h: memory objects, who shares them, and memory no process maps: the memobjs report (accounting layer)
 *
 * A memory object is what pages belong to: a file or shmem inode, keyed by dev:inode (files, /dev/shm,
 * memfd, SysV segments whose inode is the shmid, MAP_SHARED|MAP_ANONYMOUS), or one private anonymous
 * mapping (heap, stack, [anon:NAME], unnamed; also [vdso] and the other mappings with neither device
 * nor inode), owned by its process: object-id.h decides, and names each object with its id.  A private (copy-on-write) file mapping counts as the file object: its Rss includes the
 * process's COW copies, and the page-level columns (uss, page_shared) tell them apart.
 * Sharers are the processes of the source that map the object (from maps, which is cheap; from smaps
 * for a process whose recording has no maps), and are flagged partial when some process's mappings
 * could not be read. */
#pragma once

#include <glib.h>

#include "account.h"
#include "counters.h"
#include "kernel-features.h"
#include "mapping.h"
#include "model.h"
#include "object-id.h"
#include "parse.h"
#include "source.h"
#include "source-fds.h"

/* ---- sharers: object key -> sorted pids, over every process of a source ---- */
typedef struct {
	GHashTable *by_key;      /* private: object key -> GArray of guint32 pids */
	gboolean partial;        /* some process's mappings are unknown */
	GArray *unreadable;      /* guint32 pids: maps unreadable (EACCES) or garbled */
	GArray *vanished;        /* guint32 pids gone while being read */
	GPtrArray *problems;     /* char*: "path: line N: ..." for garbled maps files */
	guint n_processes;       /* processes whose mappings were counted */
	MemSource *source;       /* the source scanned (a reference; NULL from a snapshot): its fds */
} MemObjsSharers;

/* Reads every process's maps from the source (one scan of maps files only), then, in a recording, the
 * smaps of the processes whose maps it lacks (smemcap's format).  A recorded maps that cannot be a
 * maps file (too large, a link, not a regular file) is a problem, as in the model. */
MemObjsSharers *mem_objs_sharers_scan(MemSource *src, GError **error);
/* The same scan also delivering the files of more_want that are not maps to more_func (one pass over
 * a recording read once, such as a tar on stdin: the smaps of processes without maps are then
 * unknown instead of read in a second pass). */
MemObjsSharers *mem_objs_sharers_scan_with(MemSource *src, guint32 more_want, MemFileFunc more_func,
                                           gpointer more_data, GError **error);
/* The same from a loaded snapshot whose processes carry mappings (a single-pass stdin stream). */
MemObjsSharers *mem_objs_sharers_from_snapshot(MemSnapshot *snap);
void mem_objs_sharers_free(MemObjsSharers *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MemObjsSharers, mem_objs_sharers_free)

/* ---- objects ---- */
/* 88 bytes and the values of the fields its mappings had (a minimal smaps record has 3 of 25): a
 * process of 4 million anonymous mappings is 4 million objects (issue 8); a whole MemCounters made an
 * object 296 bytes.  Read the counters with mem_object_counter() / mem_object_counters(). */
typedef struct {
	guint64 inode;           /* 0 for a private anonymous object, and for SysV segment 0 (on 00:01) */
	guint64 anon_start;      /* private anonymous object: start address of its mapping */
	guint64 size;            /* extent: max(offset + length) over those mappings; anon: its length */
	const char *name;        /* exact bytes as the kernel wrote them (owned by the snapshot): the first
	                          * mapping of the lowest pid that maps it (paths differ across mount
	                          * namespaces and hard links) */
	guint32 *pids;           /* ascending: the sharers (n_pids of them) */
	const guint64 *cv;       /* private: the values of the fields in `known`, in field order */
	guint32 dev_major, dev_minor;
	guint32 name_len;
	guint32 name_pid;        /* the pid that gave the name */
	guint32 n_maps;          /* mappings counted: in this process (process view) or in all sharers */
	guint32 n_pids;
	guint32 known;           /* MemField bits: Σ smaps fields over those mappings (0 when from maps only) */
	/* private */
	guint32 pids_cap;        /* room at pids when it is the object's own array; 0: pids is &pid_one */
	guint32 pid_one;         /* the sharer of an object that has one (most have) */
	MemMapKind kind : 8;
	guint8 anon;             /* a private anonymous object (one mapping; object-id.h) */
	guint8 sharers_partial;  /* some process's maps were unreadable: more sharers may exist */
} MemObject;

/* Smaps field f summed over the object's mappings; FALSE when no mapping had it. */
static inline gboolean mem_object_counter(const MemObject *o, MemField f, guint64 *v)
{
	if (!((o->known >> f) & 1u))
		return FALSE;
	*v = o->cv[__builtin_popcount(o->known & (MEM_FIELD_BIT(f) - 1u))];
	return TRUE;
}

/* The object's id (object-id.h: a private anonymous one is its owner's) into buf; returns its length. */
gsize mem_object_id_of(const MemObject *o, char buf[MEM_OBJECT_ID_LEN]);

/* The object's counters, unpacked. */
void mem_object_counters(const MemObject *o, MemCounters *out);

/* Object-level figures (Zircon's formulas) and page-level ones (smaps); FALSE when unknown. */
gboolean mem_object_alloc(const MemObject *o, guint64 *v);         /* Rss */
gboolean mem_object_private(const MemObject *o, guint64 *v);       /* #shr == 1 ? alloc : 0 */
gboolean mem_object_shared(const MemObject *o, guint64 *v);        /* #shr > 1 ? alloc : 0 */
gboolean mem_object_uss(const MemObject *o, guint64 *v);           /* Private_Clean + Private_Dirty */
gboolean mem_object_page_shared(const MemObject *o, guint64 *v);   /* Shared_Clean + Shared_Dirty */
gboolean mem_object_hugetlb(const MemObject *o, guint64 *v);       /* Shared_Hugetlb + Private_Hugetlb */

/* ---- hidden memory ---- */
typedef enum {
	MEM_HIDDEN_SYSV,         /* a SysV segment nobody attaches (nattch 0) */
	MEM_HIDDEN_HELD,         /* a memfd or tmpfs file held open by an fd, mapped by nobody (live) */
	MEM_HIDDEN_ORPHAN,       /* a /dev/shm file nobody maps or holds (live) */
	MEM_HIDDEN_UNKNOWN,      /* a /dev/shm file no readable process maps or holds, while some processes'
	                          * fds or maps could not be read (live, unprivileged): maybe an orphan */
} MemHiddenKind;

/* "sysv-unattached", "fd-only", "shm-orphan", "shm-holders-unknown" */
const char *mem_hidden_kind_name(MemHiddenKind kind);

typedef struct {
	MemHiddenKind kind;
	char *name;              /* owned: "/SYSV%08x key=K", the fd's link text, or the /dev/shm path */
	gsize name_len;
	guint32 dev_major, dev_minor;
	guint64 inode;           /* shmid for SysV */
	gint64 key;              /* SysV key */
	guint64 size;
	gboolean has_alloc;
	guint64 alloc;           /* SysV rss; files: allocated blocks * 512 */
	gboolean has_swap;
	guint64 swap;
	GArray *holders;         /* guint32 pids holding an fd (HELD), else empty */
	gboolean holders_known;  /* FALSE when some processes' fds or maps could not be read: there may be
	                          * more holders (HELD) or some at all (UNKNOWN) */
} MemHiddenObject;

/* ---- the report ---- */
typedef enum {
	MEM_OBJS_PROCESS,        /* memobjs PID...: each process's objects */
	MEM_OBJS_ALL,            /* memobjs: every object of the source */
	MEM_OBJS_HIDDEN,         /* memobjs --hidden */
} MemObjsView;

/* Columns, as data. */
typedef enum {
	MEM_OCOL_MAPS, MEM_OCOL_SHR, MEM_OCOL_PIDS, MEM_OCOL_SIZE, MEM_OCOL_ALLOC, MEM_OCOL_PSS,
	MEM_OCOL_SWAP, MEM_OCOL_SWAP_PSS, MEM_OCOL_PRIVATE, MEM_OCOL_SHARED, MEM_OCOL_USS,
	MEM_OCOL_PAGE_SHARED, MEM_OCOL_DIRTY, MEM_OCOL_HUGETLB, MEM_OCOL_KIND, MEM_OCOL_DEV, MEM_OCOL_INODE,
	MEM_OCOL_COUNT,
	MEM_OCOL_NAME = MEM_OCOL_COUNT   /* --sort name only: the name is always the last column */
} MemObjsColId;

/* A numeric column's value for an object (MEM_OCOL_MAPS .. MEM_OCOL_HUGETLB); FALSE when unknown. */
gboolean mem_object_value(const MemObject *o, MemObjsColId col, guint64 *v);

/* "fe:00" style device text into buf. */
#define MEM_DEV_TEXT_LEN 24
const char *mem_object_dev_text(char buf[MEM_DEV_TEXT_LEN], guint32 major, guint32 minor);

/* Default columns of a view (ids; their names and titles are in columns-objs.h). */
GArray *mem_objs_columns_default(MemObjsView view);

typedef struct {
	MemProcess *proc;        /* borrowed from the snapshot */
	GPtrArray *objects;      /* MemObject*, sorted */
	MemCounters total;       /* Σ over every mapping of the process (its smaps totals) */
} MemObjsProcess;

typedef struct {
	MemObjsView view;
	MemSourceKind source_kind;
	const char *source_path;
	const char *source_kernel; /* the kernel release, NULL when unknown (set by the front end) */
	const MemRecInfo *source_recorded; /* a recording's memcap.info, NULL when none (set by the front end) */
	MemFeatures missing;  /* the kernel features the files read lacked (set by the front end) */
	GPtrArray *procs;        /* MemObjsProcess* (process view) */
	GPtrArray *objects;      /* MemObject* (all view) */
	GPtrArray *arenas;       /* private: MemArena*, where the objects of procs and objects live */
	GPtrArray *hidden;       /* MemHiddenObject* (hidden view) */
	gboolean hidden_live;    /* the fd and /dev/shm parts of --hidden were looked at (live, or a recording
	                          * with fds and dev-shm) */
	const char *shm_unlisted; /* a recording's /dev/shm listing is unknown: why ("not recorded",
	                          * "EACCES", "malformed"); orphans are then not shown */
	gboolean some_pids;      /* a recording of some processes only ("pids selected"): holders unknown */
	guint n_hidden_errors;   /* fds or /dev/shm entries that could not be examined */
	gboolean sharers_partial;
	GArray *unreadable;      /* guint32 pids whose mappings are unknown (EACCES or garbled) */
	GArray *more_unreadable; /* guint32 pids of those the view did not read itself: only the sharer scan
	                          * looked at them (process and hidden views) */
	GArray *vanished;        /* guint32 pids that went away while being read */
	GArray *skipped;         /* guint32 pids not walked (--max-rss): their mappings are unknown */
	MemStateTally tally;     /* the processes the view read, by state (the core's summary wording) */
	GPtrArray *problems;     /* char*: garbled input found while building ("path: line N: ...") */
	guint n_processes;       /* processes whose mappings were counted */
	GArray *columns;         /* MemObjsColId shown */
	MemObjsColId sort;
	gboolean reverse;
} MemObjsReport;

typedef struct {
	MemObjsView view;
	const guint32 *pids;     /* process view: the processes to show (ascending); NULL: all in snap */
	guint n_pids;
	GArray *columns;         /* borrowed; NULL for the view's default */
	gboolean has_sort;
	MemObjsColId sort;       /* default: pss (descending); hidden: alloc */
	gboolean reverse;
} MemObjsOptions;

/* The objects are made while the source is read, a batch of mappings at a time, instead of keeping the
 * mappings (issue 8: a process of 4 million mappings): load the snapshot with
 * MemLoadOptions.mappings_func = mem_objs_gather_mappings and mappings_data = a gather of the view
 * (MEM_OBJS_ALL: every object of the source; MEM_OBJS_PROCESS: each process's own), then build the
 * report from both.  A process counts once its DONE came with its mappings in order. */
typedef struct _MemObjsGather MemObjsGather;
MemObjsGather *mem_objs_gather_new(MemObjsView view);
void mem_objs_gather_free(MemObjsGather *g);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MemObjsGather, mem_objs_gather_free)
/* A MemMappingsFunc: adds a batch of one process's mappings to the objects of its reading thread, or
 * takes the process's back (DROP). */
void mem_objs_gather_mappings(guint thread, guint32 pid, const MemMapping *maps, guint n, MemMappingsStep step,
                              gpointer data);

/* Process view: `snap` holds the processes to show; their objects come from the gather `g`
 * (MEM_OBJS_PROCESS), or when g is NULL from the mappings snap kept (one pass over a stream);
 * `sharers` counts sharers over the whole source (NULL: count them in snap). */
MemObjsReport *mem_objs_report_new(MemSnapshot *snap, MemObjsSharers *sharers, MemObjsGather *g,
                                   const MemObjsOptions *opts);
/* All view, from a gather of MEM_OBJS_ALL. */
MemObjsReport *mem_objs_report_gathered(MemSnapshot *snap, MemObjsGather *g, const MemObjsOptions *opts);

/* Hidden view: `shm` is the content of sysvipc/shm (NULL when absent, shm_err its errno); with
 * `sharers` (of the whole source), the fd and dev-shm walk fills in the memfd and /dev/shm parts: a
 * live source's walk is opened here (fds NULL), a recording's is `fds`, filled by the sharers' scan
 * (mem_fds_take); a recording without fds or dev-shm (not memcap's) shows SysV segments only. */
MemObjsReport *mem_objs_report_hidden(MemSourceKind kind, const char *path, const char *shm, gsize shm_len,
                                      MemObjsSharers *sharers, MemFds *fds, const MemObjsOptions *opts,
                                      GError **error);

void mem_objs_report_free(MemObjsReport *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MemObjsReport, mem_objs_report_free)

/* One short line for stderr about what could not be counted, or NULL when all was. */
char *mem_objs_report_summary(const MemObjsReport *r);
