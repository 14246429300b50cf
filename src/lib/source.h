/* source.h: the one proc source: live /proc, a snapshot directory, or a snapshot tar stream (source layer)
 *
 * Nothing else in memps opens a path.  A source is scanned, not randomly read: the scan calls a function
 * once per wanted file, in an order the source chooses (a tar stream is read front to back, so a
 * process's files can come in any order and the consumer must merge them).  Memory stays bounded by
 * the consumer's model plus the largest file.
 *
 * Snapshot layout is /proc's own: <pid>/{smaps_rollup,smaps,maps,status,stat,statm,cmdline,comm,cgroup},
 * top-level meminfo, version, sysvipc/shm, plus two files the recorder adds: passwd (uid -> name) and
 * <pid>/memcap.errors (lines "FILE ERRNAME": a file the recorder could not read, e.g. "smaps_rollup
 * EACCES").  memcap adds <pid>/fds, dev-shm, memcap.info, zram (the live source makes it from /sys/block) and a top-level memcap.errors for the
 * top-level files ("dev-shm ENOENT").  A manifest line wins over the file: a recorder writes the
 * reason beside a file it read cut (a process that exited mid-read: "smaps ESRCH"), so the file's
 * bytes are not trusted.  A tar lists a pid's members in any order: a manifest read before a member
 * stands for it (the member is skipped); one read after a member whose content was delivered is
 * delivered too, as a second MemFile with from_manifest set, which the consumer lets override the
 * content (the model voids that file's figures).  The reason EMPTY (the recorder read 0 bytes) is
 * delivered as ENODATA for smaps_rollup and smaps (their figures are unknown: the model decides
 * whether that is normal, as for a kernel thread) and as 0 bytes of content for every other file.  A directory or tar whose entries sit below "proc/" (cp -a --parents) is accepted too.
 * Paths never leave the snapshot root: components are opened one by one with O_NOFOLLOW, tar member
 * names that are absolute or contain ".." are rejected with MEM_ERROR_UNSAFE.  A directory and a tar of
 * one tree deliver the same errors: a symbolic link where a file belongs is ELOOP, a directory EISDIR,
 * a FIFO, device or (tar) hard link EINVAL.  A directory or tar with no pid directory, no meminfo and
 * no proc/ is not a recording: MEM_ERROR_NOT_FOUND (at open for a directory, at the end of the scan
 * for a tar). */
#pragma once

#include <glib.h>

#include "stream.h"

typedef enum {
	MEM_SOURCE_LIVE,
	MEM_SOURCE_DIR,
	MEM_SOURCE_TAR,
} MemSourceKind;

/* Per-process files. */
typedef enum {
	MEM_FILE_STAT = 1u << 0,
	MEM_FILE_STATUS = 1u << 1,
	MEM_FILE_STATM = 1u << 2,
	MEM_FILE_CMDLINE = 1u << 3,
	MEM_FILE_COMM = 1u << 4,
	MEM_FILE_CGROUP = 1u << 5,
	MEM_FILE_SMAPS_ROLLUP = 1u << 6,
	MEM_FILE_SMAPS = 1u << 7,
	MEM_FILE_MAPS = 1u << 8,
	MEM_FILE_FDS = 1u << 9,          /* a recording's <pid>/fds (memcap; parse.h); never in /proc */
	/* Top-level files (pid 0 in MemFile). */
	MEM_FILE_MEMINFO = 1u << 16,
	MEM_FILE_VERSION = 1u << 17,
	MEM_FILE_SYSVIPC_SHM = 1u << 18,
	MEM_FILE_PASSWD = 1u << 19,
	MEM_FILE_DEV_SHM = 1u << 20,     /* a recording's listing of /dev/shm (memcap; parse.h) */
	MEM_FILE_MEMCAP_INFO = 1u << 21, /* a recording's memcap.info (parse.h) */
	MEM_FILE_ZRAM = 1u << 22,        /* the zram devices' mm_stat, a line "zramN FIELDS" each (parse-zram.h):
	                                  * live from /sys/block (DIR/../sys/block for --proc-root DIR), a
	                                  * recording's top-level "zram" file (memcap) */
} MemFileId;

#define MEM_FILE_PER_PID_MASK 0xffffu

/* The most threads a MEM_SCAN_THREADS scan uses. */
#define MEM_SCAN_MAX_THREADS 4

/* Scan flags. */
typedef enum {
	/* Read smaps for a pid only when its smaps_rollup does not exist (kernels < 4.14, smemcap
	 * snapshots).  Live and directory sources honour it; a tar stream delivers both when both are
	 * present and the consumer prefers the rollup. */
	MEM_SCAN_SMAPS_FALLBACK = 1u << 0,
	/* Live and directory sources: smaps is handed over while a helper thread is still reading it
	 * (MemFile.more), so that the consumer parses while the kernel produces the file; the consumer
	 * must then call more() until the end.  Only when at most 8 pids are selected; it then takes
	 * precedence over MEM_SCAN_THREADS.  A tar stream hands a smaps member over the same way (read
	 * a chunk at a time as the consumer asks, no helper thread) with this flag or MEM_SCAN_THREADS. */
	MEM_SCAN_STREAM = 1u << 2,
	/* Live and directory sources: read pids on several threads (one per CPU, at most
	 * MEM_SCAN_MAX_THREADS; the kernel's page walks behind smaps and smaps_rollup dominate the cost and
	 * run in parallel).  func is then called from all of them at once and must be thread-safe:
	 * MemFile.thread says which thread (0 is the caller's), so that a consumer can keep state per
	 * thread.  The files of one pid still come together, in bit order, on one thread; pids are taken
	 * heaviest first (for smaps scans, by stat's resident pages) and delivered interleaved.  smaps
	 * comes as a stream (MemFile.more) that the delivering thread reads a chunk at a time: memory stays
	 * bounded by one chunk plus the record being parsed per thread.  Ignored with MEM_SCAN_STREAM and
	 * for tar sources (one thread, MemFile.thread 0). */
	MEM_SCAN_THREADS = 1u << 1,
	/* The real /proc, stat and smaps_rollup wanted: comm is read (and delivered) in stat's place, and
	 * stat only for a pid whose smaps_rollup could not be read (a kernel thread, a zombie, a process
	 * gone or refused: what stat's state and flags tell apart).  comm is a copy of the name; stat makes
	 * the kernel gather the whole task's figures.  For a consumer that needs stat only for the name
	 * when the rollup is there (no parent, VSS or --max-rss).  Other sources ignore it. */
	MEM_SCAN_LAZY_STAT = 1u << 3,
} MemScanFlags;

typedef struct _MemSource MemSource;

typedef struct {
	guint32 pid;          /* 0 for a top-level file */
	MemFileId file;
	const char *data;     /* the whole content when err == 0 (NUL-terminated for convenience, len excludes it) */
	gsize len;
	int err;              /* 0, or the errno that kept the file from being read (from the read itself, or
	                       * from a snapshot's memcap.errors) */
	gboolean has_owner;   /* owner_uid is valid: the tar member's or the directory entry's owner; the
	                       * real /proc tells it only where status is wanted and could not be read
	                       * (status's Uid line is the uid; the owner's fstat would be a syscall per pid) */
	guint32 owner_uid;
	/* (private: what mem_file_path() makes the path of) */
	MemSource *view;
	char sep;
	MemMoreFunc more;     /* smaps with MEM_SCAN_STREAM or MEM_SCAN_THREADS: the file is still being read;
	                       * data/len is the first window of it (not NUL-terminated, possibly empty)
	                       * and more() moves the window on (stream.h).  NULL otherwise. */
	gpointer more_data;
	guint thread;         /* with MEM_SCAN_THREADS: the delivering thread, < MEM_SCAN_MAX_THREADS; else 0 */
	gboolean from_manifest; /* err is the recorder's word (a snapshot's memcap.errors), not a read's: a
	                       * snapshot file absent without it was simply not recorded */
	guint32 *skip;        /* live and directory sources: per-pid MemFileId bits the consumer may set to
	                       * have this pid's later files not read (delivered with err ECANCELED); NULL
	                       * for a tar stream, which cannot skip */
} MemFile;

typedef gboolean (*MemFileFunc)(const MemFile *file, gpointer user_data, GError **error);

/* The file's display path for messages, "/proc/123/smaps" or "snap.tar:123/smaps", made when asked
 * (a message is rare, a file is delivered per pid and name): valid until the next call of the same
 * scan thread, during the MemFileFunc call only. */
const char *mem_file_path(const MemFile *file);

/* Opens a source: NULL means the live /proc; "-" a tar stream on stdin; a directory; a tar file (any
 * compression libarchive reads; libarchive is opened on demand).  Errors: NOT_FOUND, PERMISSION, IO,
 * LIBRARY (libarchive missing). */
MemSource *mem_source_open(const char *path, GError **error);

/* Opens a directory laid out like /proc as a live-style source (tests; `--proc-root`). */
MemSource *mem_source_open_proc_root(const char *dir, GError **error);

/* Another reference (a snapshot keeps its source for user names); mem_source_free() drops one. */
MemSource *mem_source_ref(MemSource *src);
void mem_source_free(MemSource *src);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MemSource, mem_source_free)

MemSourceKind mem_source_kind(const MemSource *src);

/* The path the user gave (NULL for live). */
const char *mem_source_path(const MemSource *src);

/* Whether this is the real /proc of the running system (not --proc-root, not a recording). */
gboolean mem_source_is_live_proc(const MemSource *src);

/* The name of a uid from the system user database (NSS, cached per uid) for a live source (the real
 * /proc or --proc-root); NULL when unknown, and always for a recording, whose names are its own passwd
 * file (delivered by the scan as MEM_FILE_PASSWD).  The string belongs to the source.  Not
 * thread-safe: call it outside scans. */
const char *mem_source_user_name(MemSource *src, guint32 uid);

/* The uid of a user name from the system user database for a live source; FALSE when unknown and
 * always for a recording. */
gboolean mem_source_user_id(MemSource *src, const char *user, guint32 *uid);

/* Whether pid is in the sorted selection of n_pids pids (NULL selects every pid): the rule every scan
 * and every report filter uses. */
gboolean mem_source_pid_selected(guint32 pid, const guint32 *pids, guint n_pids);

/* Orders two guint32 (pids, tids) ascending: for g_array_sort and qsort. */
int mem_pid_compare(const void *a, const void *b);

/* Whether n pids are in ascending order (repeats allowed). */
gboolean mem_pids_sorted(const guint32 *pids, guint n);

/* Sorts n pids ascending and drops repeats; returns how many are left.  The GArray form sets its size. */
guint mem_pids_sort_unique_n(guint32 *pids, guint n);
void mem_pids_sort_unique(GArray *pids);

/* The CPUs this process may run on (its affinity mask; 1 when it cannot be read), looked up once: the
 * scans' and the renderers' threads.  g_get_num_processors() reads /sys/devices/system/cpu/online at
 * each call (three times in one CLAMP()): memps asked ten times a run. */
guint mem_cpu_count(void);

/* How many threads a scan with these flags uses (1 unless MEM_SCAN_THREADS on a live or directory
 * source with several CPUs): MemFile.thread stays below it. */
guint mem_source_threads(const MemSource *src, MemScanFlags flags);

/* After a scan of a tar stream that broke (cut short: ssh dropped, a partial copy) once some members
 * had been read whole: what says so ("snap.tar: cannot read the archive: ... (the recording is cut
 * short after N whole members: ...)").  The scan delivered every member read whole and, at the end,
 * the files it did not see as absent, and returned TRUE; the consumer reports the cut as bad input.
 * NULL when the last scan read the stream to its end (and always for a directory).  A stream cut
 * exactly between two members of an uncompressed tar cannot be told from its end (tar has no length);
 * a compressed one can (gzip's trailer is missing). */
const char *mem_source_cut(const MemSource *src);

/* Calls func for each wanted file.  `want` is an OR of MemFileId.  `pids` (sorted ascending, n_pids
 * entries) restricts per-pid files to those pids; NULL means all.  For each selected pid of a live or
 * directory source, the per-pid files are delivered in MemFileId bit order (stat first), a file that
 * cannot be read is delivered with err set (ENOENT for a file a snapshot lacks), and pids come in
 * ascending order.  Top-level files come first for live/dir sources.  A per-pid read error is not a
 * scan error; a malformed archive, an unsafe member or func returning FALSE stops the scan.
 * A tar stream can be scanned once only (stdin): a second scan fails with MEM_ERROR_INVALID. */
gboolean mem_source_scan(MemSource *src, guint32 want, MemScanFlags flags, const guint32 *pids,
                         guint n_pids, MemFileFunc func, gpointer user_data, GError **error);

/* Receives one thread of a process: its tid and the content of task/TID/stat (NUL-terminated, valid
 * during the call; NULL with err set when it could not be read).  FALSE stops the walk. */
typedef gboolean (*MemTaskFunc)(guint32 pid, guint32 tid, const char *stat, gsize len, int err, gpointer data);

/* The threads of process pid of a live source (the real /proc or --proc-root), ascending by tid, read
 * now (call it outside scans): a thread that ends meanwhile is left out, and a process that has gone
 * has none.  A recording holds no task directories: FALSE with MEM_ERROR_NOT_FOUND. */
gboolean mem_source_tasks(MemSource *src, guint32 pid, MemTaskFunc func, gpointer data, GError **error);

/* Reads a whole file named by the user, or stdin for "-", that is not a /proc recording (a saved JSON
 * report, a budget file): at most `max` bytes (MEM_ERROR_TOO_LARGE above), regular files or pipes only
 * (a directory or device is MEM_ERROR_INVALID).  Returns a NUL-terminated buffer to g_free; `len`
 * excludes the NUL. */
char *mem_source_read_input(const char *path, gsize max, gsize *len, GError **error);
