/* model.h: processes and what is known about them, merged from a proc source's files (model layer)
 *
 * The model never does I/O itself: mem_snapshot_load() scans a MemSource and merges each delivered
 * file into its process (files may come in any order from a tar stream).  Every figure keeps a
 * validity bit: unknown is never 0. */
#pragma once

#include <glib.h>

#include "counters.h"
#include "mapping.h"
#include "parse.h"
#include "parse-zram.h"
#include "source.h"

typedef enum {
	MEM_PROC_OK,          /* memory figures known */
	MEM_PROC_UNREADABLE,  /* permission denied, a garbled file, or (snapshots) a file not recorded or
	                       * recorded empty (memcap's EMPTY, not for a kernel thread or a zombie) */
	MEM_PROC_VANISHED,    /* the source saw it go: ENOENT/ESRCH on a live read, a cut read, or a
	                       * recorder's memcap.errors saying ENOENT/ESRCH */
	MEM_PROC_KERNEL,      /* kernel thread: no user memory */
	MEM_PROC_ZOMBIE,      /* state Z: exited, not yet reaped, no memory map */
	MEM_PROC_SKIPPED,     /* not walked: stat's resident size above MemLoadOptions.max_rss */
} MemProcState;

/* One per process: kept small (a live scan holds one for every process of the system).  The memory
 * figures are packed: only the fields in mem_known (those the tool asked for, MemLoadOptions.fields,
 * and the input had) are stored; mem_process_counters() gives them back as MemCounters. */
typedef struct {
	guint32 pid;
	guint32 uid;          /* real uid, when has_uid */
	gint64 ppid;          /* -1 when unknown */
	gint64 tgid;          /* status Tgid, -1 when unknown; != pid for a thread */
	char *name;           /* comm as raw bytes (NUL-terminated), interned in the snapshot (never freed
	                       * on its own); "" when unknown */
	GPtrArray *cmdline;   /* raw argument strings; NULL when unknown */
	const char *job;      /* cgroup path (interned in the snapshot); NULL when unknown */
	guint64 vss;          /* bytes: stat vsize, else status VmSize, else sum of smaps Size */
	guint64 status_rss;   /* status VmRSS (or stat rss pages), shown for unreadable processes */
	guint64 start_time;   /* stat field 22, clock ticks after boot, when has_start_time: with the pid,
	                       * what tells a process from a later one given the same pid (-w) */
	GArray *maps;         /* MemMapping by address, when loaded with `mappings`; NULL otherwise */
	guint64 *map_values;  /* owned: the packed counters the mappings' cv point into */
	const guint64 *mem_values; /* the values of the mem_known fields, in field order (same allocation as
	                       * the record, or the caller's storage: mem_process_pack_counters()) */
	MemCmdlineCut cmdline_cut; /* what mem_parse_cmdline()'s limits left out of cmdline */
	guint32 mem_known;    /* MemField bits: smaps_rollup figures, else the sums over smaps; valid when
	                       * state is OK */
	guint32 mem_read;     /* MemField bits the input had, kept or not (what the kernel wrote: its
	                       * features); 0 unless state is OK */
	int err;              /* errno behind UNREADABLE/VANISHED (0 when not from an errno) */
	MemProcState state;
	MemJobHierarchy job_hierarchy; /* where `job` comes from */
	char stat_state;      /* stat/status state letter, 0 when unknown */
	guint has_uid : 1;
	guint not_recorded : 1; /* UNREADABLE: a snapshot lacks the memory files (err ENOENT, no manifest) */
	guint malformed : 1;  /* some file of this process was garbled (see the snapshot's problems) */
	guint mem_from_rollup : 1;
	guint has_vss : 1;
	guint has_status_rss : 1;
	guint has_start_time : 1;
	guint maps_from_smaps : 1; /* the mappings carry smaps fields (else maps: addresses and names only) */
	guint smaps_vmflags : 1; /* with maps_from_smaps: the records carried VmFlags (kernels >= 3.8) */
} MemProcess;

/* The process's memory figures as counters (the fields not kept are unknown). */
void mem_process_counters(const MemProcess *p, MemCounters *out);

/* One memory figure of the process; FALSE when unknown (or not kept). */
gboolean mem_process_value(const MemProcess *p, MemField f, guint64 *v);

/* Every MemField bit. */
#define MEM_FIELDS_ALL ((guint32)((1u << MEM_F_COUNT) - 1))

/* Keeps the fields of c that are in `fields` (MEM_FIELDS_ALL: all) in p, packed into `values` (room for
 * one per field kept), which p then points into; mem_read says c's fields: for records made outside the
 * loader (tests). */
void mem_process_pack_counters(MemProcess *p, const MemCounters *c, guint32 fields, guint64 *values);

typedef struct {
	MemSourceKind kind;
	char *path;           /* NULL for live */
	char *kernel;         /* kernel release from "version", NULL when unknown */
	GPtrArray *procs;     /* MemProcess*, sorted by pid */
	GHashTable *users;    /* uid -> name from a snapshot's passwd; NULL when it had none */
	GArray *meminfo;      /* MemMeminfoEntry, NULL when absent */
	MemZram *zram;        /* the zram devices' sums when MEM_FILE_ZRAM was asked and read; NULL: unknown */
	GPtrArray *problems;  /* char*: messages about garbled files, "path: line N: ..." (first 100) */
	guint n_problems;     /* all of them, including those not kept */
	gboolean live;
	MemSource *source;    /* a reference to the source it was loaded from (user names) */
	GStringChunk *strings; /* interned strings (job paths, mapping names), owned */
	GPtrArray *more_strings; /* GStringChunk*: those of the other reading threads, owned */
	GArray *threads;      /* MemThreadOf: selected pids that were threads, resolved to their process
	                       * (only with MemLoadOptions.pids); never NULL */
	guint32 wanted;       /* the MemFileId bits the load asked the source for (kernel-features.h: a file not
	                       * asked for is not missing) */
	MemRecInfo *recorded; /* a recording's memcap.info (the recorder, when, page size); NULL when it has
	                       * none (or a garbled one: a problem) */
} MemSnapshot;

/* A pid given in MemLoadOptions.pids that is a thread (status Tgid != pid) of process `tgid`. */
typedef struct {
	guint32 tid;
	guint32 tgid;
} MemThreadOf;

/* What a call of a MemMappingsFunc carries. */
typedef enum {
	MEM_MAPPINGS_MORE,    /* a batch of the process's mappings (MEM_MAPPINGS_BATCH of them); more calls follow */
	MEM_MAPPINGS_DONE,    /* the last of its mappings (maybe none): the process's state is MEM_PROC_OK */
	MEM_MAPPINGS_DROP,    /* no mappings: the process turned out not OK (a later file, a cut read), so the
	                       * batches handed over before count for nothing */
} MemMappingsStep;

/* The most mappings a MORE call carries: the model holds at most this many of a process at a time
 * (issue 8: a process of 4 million mappings would otherwise sit whole in memory, at twice its smaps). */
#define MEM_MAPPINGS_BATCH 65536u

/* Receives the mappings of one process (ascending addresses), in batches, while its smaps is read: zero
 * or more MORE calls, then one DONE call (the rest, the state is MEM_PROC_OK) or, when some batch went
 * before, one DROP call (the process is not OK; a process not OK that was handed nothing gets no call).
 * The calls of one pid come together on one thread, nothing of another pid between them on that thread.
 * The array and the mappings' counters (cv) are valid during the call only; names are interned in the
 * snapshot.  With a live source it runs on the reading threads, several at once: `thread`
 * (< MEM_SCAN_MAX_THREADS) tells which, so that state can be kept per thread.  A tar stream decides a
 * process only at its end: there every mapping comes in the DONE call. */
typedef void (*MemMappingsFunc)(guint thread, guint32 pid, const MemMapping *maps, guint n, MemMappingsStep step,
                                gpointer data);

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
	                       * instead of keeping them (MemProcess.maps stays NULL): memory for one batch
	                       * per thread instead of every mapping of the system */
	gpointer mappings_data;
	guint32 fields;       /* MemField bits of the memory figures to keep per process (0: all of them):
	                       * a tool that shows PSS alone needs 8 bytes a process, not 200 */
	guint32 map_fields;   /* with mappings: MemField bits of each mapping's counters to keep (0: all;
	                       * Size always).  The others are unknown in the mappings, and in a process's
	                       * figures taken from the sum over its mappings after a live read dropped
	                       * records that a newer one overlapped.  memmaps's text views keep the
	                       * fields they show: 3 of 25 values a mapping, 125 KB instead of 1 MB of
	                       * fresh memory on the bench's process. */
	guint64 max_rss;      /* bytes; 0 for no bound.  A process whose resident size (stat rss pages x the
	                       * page size, else status VmRSS) is above it is not walked: smaps_rollup and
	                       * smaps are not read (live and directory sources; a tar's are ignored), its
	                       * state is MEM_PROC_SKIPPED and status_rss says what it holds. */
	gboolean lazy_stat;   /* the caller shows no parent, VSS nor stat state of a process with figures: the
	                       * real /proc gives the name from comm and stat is read only where smaps_rollup
	                       * fails (MEM_SCAN_LAZY_STAT; ppid and vss then stay unknown for the others, as
	                       * in a recording without stat).  Ignored with `mappings` or `max_rss`. */
} MemLoadOptions;

/* Scans the source and builds the model.  Fails only when the source fails as a whole (unreadable
 * root, a broken or unsafe archive); per-file troubles end up in process states and `problems`.
 * With `pids`, a pid that is a thread (/proc/TID exists for every thread, though readdir lists only
 * processes) is resolved to its process once: the process is loaded in its place (a second scan when
 * it was not selected), the thread is left out of `procs` and listed in `threads`. */
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
 * "[unreadable: malformed]", "[unreadable: not recorded]", "[unreadable: EIO]" (a recorder's reason),
 * "[unreadable: empty]" (a recorder read a user process's smaps_rollup/smaps as 0 bytes: err ENODATA),
 * "[unreadable]", "[vanished]", "[zombie]", "[skipped]", "[kernel]"; NULL for an OK process. */
const char *mem_proc_state_note(const MemProcess *p);

/* Why a process has no figures, for JSON: an errno name ("EACCES", "ENOENT", "ESRCH"), "malformed",
 * "not_recorded", "empty", or NULL for an OK, kernel, zombie or skipped process. */
const char *mem_proc_error_name(const MemProcess *p);

/* The kernel release in the text of /proc/version ("Linux version 6.1.0-13-amd64 ..."); NULL when none. */
char *mem_kernel_release(const char *data, gsize len);

/* "ok", "unreadable", "vanished", "kernel", "zombie", "skipped" */
const char *mem_proc_state_name(MemProcState state);

/* "v2", "v1:name=systemd", "v1:memory", or NULL for MEM_JOB_NONE (JSON). */
const char *mem_job_hierarchy_name(MemJobHierarchy h);

/* The prefix the text output puts before a job path: "" for v2 and none, "v1:" for name=systemd,
 * "v1-memory:" for the memory controller's hierarchy. */
const char *mem_job_hierarchy_prefix(MemJobHierarchy h);
