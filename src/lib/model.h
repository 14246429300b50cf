/* model.h: processes and what is known about them, merged from a proc source's files (model layer)
 *
 * The model never does I/O itself: mem_snapshot_load() scans a MemSource and merges each delivered
 * file into its process (files may come in any order from a tar stream).  Every figure keeps a
 * validity bit: unknown is never 0. */
#pragma once

#include <glib.h>

#include "counters.h"
#include "mapping.h"
#include "source.h"

typedef enum {
	MEM_PROC_OK,          /* memory figures known */
	MEM_PROC_UNREADABLE,  /* permission denied, or a garbled file */
	MEM_PROC_VANISHED,    /* exited while or before being read (ENOENT, ESRCH, zombie, cut read) */
	MEM_PROC_KERNEL,      /* kernel thread: no user memory */
} MemProcState;

typedef struct {
	guint32 pid;
	gint64 ppid;          /* -1 when unknown */
	gboolean has_uid;
	guint32 uid;
	char *name;           /* comm as raw bytes (NUL-terminated); "" when unknown */
	GPtrArray *cmdline;   /* raw argument strings; NULL when unknown */
	const char *job;      /* cgroup path (interned in the snapshot); NULL when unknown */
	MemProcState state;
	int err;              /* errno behind UNREADABLE/VANISHED (0 when not from an errno) */
	gboolean malformed;   /* some file of this process was garbled (see the snapshot's problems) */
	MemCounters mem;      /* smaps_rollup figures, else the sum over smaps; valid when state is OK */
	gboolean mem_from_rollup;
	gboolean has_vss;
	guint64 vss;          /* bytes: stat vsize, else status VmSize, else sum of smaps Size */
	gboolean has_status_rss;
	guint64 status_rss;   /* status VmRSS (or stat rss pages), shown for unreadable processes */
	char stat_state;      /* stat/status state letter, 0 when unknown */
	GArray *maps;         /* MemMapping by address, when loaded with `mappings`; NULL otherwise */
	gboolean maps_from_smaps; /* the mappings carry smaps fields (else maps: addresses and names only) */
} MemProcess;

typedef struct {
	MemSourceKind kind;
	char *path;           /* NULL for live */
	char *kernel;         /* kernel release from "version", NULL when unknown */
	GPtrArray *procs;     /* MemProcess*, sorted by pid */
	GHashTable *users;    /* uid -> name from a snapshot's passwd; NULL when it had none */
	GArray *meminfo;      /* MemMeminfoEntry, NULL when absent */
	GPtrArray *problems;  /* char*: messages about garbled files, "path: line N: ..." (first 100) */
	guint n_problems;     /* all of them, including those not kept */
	gboolean live;
	MemSource *source;    /* a reference to the source it was loaded from (user names) */
	GStringChunk *strings; /* interned strings (job paths, mapping names), owned */
	GPtrArray *more_strings; /* GStringChunk*: those of the other reading threads, owned */
} MemSnapshot;

/* Receives the mappings of one process (ascending addresses) whose state is MEM_PROC_OK, once all its files
 * are in.  Names are interned in the snapshot.  With a live source it runs on the reading threads, several
 * at once: `thread` (< MEM_SCAN_MAX_THREADS) tells which, so that state can be kept per thread. */
typedef void (*MemMappingsFunc)(guint thread, guint32 pid, const MemMapping *maps, guint n, gpointer data);

typedef struct {
	guint32 files;        /* MemFileId bits wanted beyond the base set (stat, smaps_rollup, smaps as its
	                       * fallback, version, passwd): status (real uid, VmRSS), cmdline, cgroup,
	                       * meminfo.  Reading only what the output needs keeps a live scan close to
	                       * the cost of the rollups alone. */
	const guint32 *pids;  /* sorted ascending, NULL for all */
	guint n_pids;
	gboolean mappings;    /* keep every mapping (MemProcess.maps): smaps is read even when the rollup
	                       * exists, and maps too when MEM_FILE_MAPS is in files */
	gboolean details;     /* with mappings: keep each mapping's VmFlags and unknown fields too */
	gboolean no_rollup;   /* with mappings: skip smaps_rollup (a second page walk per process); the
	                       * process figures are then the sums over smaps */
	MemMappingsFunc mappings_func; /* with mappings: hand each process's mappings to this function
	                       * instead of keeping them (MemProcess.maps stays NULL): memory for one process
	                       * at a time per thread instead of every mapping of the system */
	gpointer mappings_data;
} MemLoadOptions;

/* Scans the source and builds the model.  Fails only when the source fails as a whole (unreadable
 * root, a broken or unsafe archive); per-file troubles end up in process states and `problems`. */
MemSnapshot *mem_snapshot_load(MemSource *src, const MemLoadOptions *opts, GError **error);

/* Why a recording's file that failed with this errno is bad input ("file too large", "symbolic link
 * refused ...", "not a regular file"), or NULL when the errno is not about the input (the rule every
 * tool applies to a recording: a problem, exit status 3). */
const char *mem_snapshot_bad_input_reason(int err);
void mem_snapshot_free(MemSnapshot *snap);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MemSnapshot, mem_snapshot_free)

/* The process with this pid, or NULL. */
MemProcess *mem_snapshot_find(MemSnapshot *snap, guint32 pid);

/* User name for a uid: the snapshot's passwd table, or for a live source the system user database;
 * NULL when unknown.  The string belongs to the snapshot. */
const char *mem_snapshot_user_name(MemSnapshot *snap, guint32 uid);

/* The uid of a user given by name or number: the snapshot's passwd table, or for a live source the
 * system user database.  FALSE when unknown. */
gboolean mem_snapshot_user_id(MemSnapshot *snap, const char *user, guint32 *uid);

/* Why a process has no figures, for text output: "[unreadable: permission denied]",
 * "[unreadable: malformed]", "[unreadable]", "[vanished]", "[kernel]"; NULL for an OK process. */
const char *mem_proc_state_note(const MemProcess *p);

/* Why a process has no figures, for JSON: an errno name ("EACCES", "ENOENT", "ESRCH"), "malformed",
 * or NULL for an OK or kernel process. */
const char *mem_proc_error_name(const MemProcess *p);

/* The kernel release in the text of /proc/version ("Linux version 6.1.0-13-amd64 ..."); NULL when none. */
char *mem_kernel_release(const char *data, gsize len);

/* "ok", "unreadable", "vanished", "kernel" */
const char *mem_proc_state_name(MemProcState state);
