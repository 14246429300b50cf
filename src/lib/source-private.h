/* source-private.h: internals of the source layer: the backends' table of operations and the pieces they share (source layer)
 *
 * source.c dispatches through MemSourceOps to one backend: source-dir.c (the live /proc, --proc-root, a
 * recording directory) or source-tar.c (a recording tar).  The backends never call source.c or each
 * other; what they share is here: source-common.c (names, pid selection, the read buffer, manifests,
 * delivery), source-read.c (safe reads below a directory fd), source-stream.c (smaps read while it is
 * parsed) and source-pool.c (the reading threads). */
#pragma once

#include <glib.h>

#include "source.h"

/* Every file or tar member is bounded; above it: EFBIG for a file, MEM_ERROR_TOO_LARGE for a member. */
#define MEM_SOURCE_MAX_FILE_SIZE ((gsize)256 * 1024 * 1024)

/* The reusable read buffer starts at this size and doubles on demand. */
#define MEM_SOURCE_INITIAL_BUFFER ((gsize)16 * 1024)

/* Number of per-pid file ids (bits 0 .. MEM_SOURCE_N_PID_FILES-1 of MemFileId). */
#define MEM_SOURCE_N_PID_FILES 10

/* A pid's stat read ahead of its other files (MEM_SCAN_THREADS weighs pids by it). */
typedef struct {
	char *data;           /* NUL-terminated, len excludes the NUL (as MemFile.data) */
	gsize len;
	int err;
	gboolean kept;        /* read whole (at most MEM_SOURCE_PRE_STAT_MAX bytes): data/len/err are it */
} MemPreStat;

typedef struct _MemSourceOps MemSourceOps;

struct _MemSource {
	MemSourceKind kind;
	const MemSourceOps *ops;
	gint refs;            /* mem_source_ref(); the pool's per-thread copies are never freed */
	char *path;           /* what the user gave (NULL for the live /proc) */
	char *display;        /* prefix of MemFile.path: "/proc", "snap", "snap/proc", "snap.tar", "stdin" */
	gboolean trusted;     /* the real /proc: no manifest, no file-type checks */
	int rootfd;           /* live/dir: the proc root directory; -1 for tar */
	int tarfd;            /* tar: the archive (0 for stdin); -1 otherwise */
	gboolean is_stdin;
	GHashTable *users;    /* live: uid -> name (NULL: unknown) from NSS, cached (looked up after scans only) */
	guint n_scans;
	char *buf;            /* the one reusable read buffer */
	gsize buf_size;
	gboolean big;         /* buf is above MEM_SOURCE_BIG_BUFFER: this view holds the big-buffer lock */
	GString *pathbuf;     /* mem_file_path()'s text for the files this view delivers */
	guint worker;         /* MemFile.thread of what this view delivers (MEM_SCAN_THREADS) */
	const MemPreStat *pre_stat; /* the stat of the pid being scanned, when read already */
	guint32 manifest_files; /* MemFileId bits whose error comes from the pid's memcap.errors */
	guint32 skip_files;   /* MemFileId bits the consumer asked not to read for this pid (MemFile.skip) */
	gboolean can_skip;    /* live and directory scans: MemFile.skip points at skip_files */
	struct _MemCgroupWalk *cgroups; /* the real /proc, during a scan wanting cgroup files: where they
	                       * come from once its map is ready (source-cgroup.c); NULL otherwise */
	char *cut;            /* tar: the last scan met a cut stream after whole members (mem_source_cut) */
};

/* What a backend does; the dispatch (source.c) calls nothing else of it. */
struct _MemSourceOps {
	const char *name;
	/* One pass over the source (the pid selection is checked already). */
	gboolean (*scan)(MemSource *src, guint32 want, MemScanFlags flags, const guint32 *pids, guint n_pids,
	                 MemFileFunc func, gpointer user_data, GError **error);
	/* How many threads a scan with these flags uses. */
	guint (*threads)(const MemSource *src, MemScanFlags flags);
};

extern const MemSourceOps mem_source_dir_ops;
extern const MemSourceOps mem_source_tar_ops;

/* ---- the backends' open functions (source-dir.c, source-tar.c) ---- */

/* A directory laid out like /proc, read as live (`trusted`: the real /proc, no file-type checks). */
MemSource *mem_source_dir_open_root(MemSourceKind kind, const char *dir, const char *path, gboolean trusted,
                                    GError **error);

/* A recording directory already opened as fd (taken over); NOT_FOUND when it is not a recording. */
MemSource *mem_source_dir_open(const char *path, int fd, GError **error);

/* A tar recording at fd (taken over; STDIN_FILENO for "-", never closed): loads libarchive. */
MemSource *mem_source_tar_open(const char *path, int fd, GError **error);

/* ---- source-common.c ---- */

/* A new source of this backend with its display prefix (trailing slashes dropped); fds are -1. */
MemSource *mem_source_new(MemSourceKind kind, const MemSourceOps *ops, const char *path, const char *display);

/* Sets "cannot open PATH: ..." with the code that fits err (NOT_FOUND, PERMISSION, IO). */
void mem_source_set_open_error(GError **error, const char *path, int err);

/* The top-level files, in delivery order. */
#define MEM_SOURCE_N_TOP_FILES 7
extern const MemFileId mem_source_top_files[MEM_SOURCE_N_TOP_FILES];

/* The index of a top-level file id in mem_source_top_files, or -1. */
int mem_source_top_index(MemFileId file);

/* Name of a file id relative to a pid directory or the root ("sysvipc/shm"), or NULL. */
const char *mem_source_file_name(MemFileId file);

/* Per-pid file id for a name inside a pid directory, or 0. */
MemFileId mem_source_pid_file_from_name(const char *name, gsize len);

/* Writes pid's directory name (its decimal digits and a NUL) into name, without printf (a scan formats
 * it for every file of every process); returns its length. */
#define MEM_SOURCE_PID_NAME 11
gsize mem_source_pid_name(char name[MEM_SOURCE_PID_NAME], guint32 pid);

/* Parses an all-digit pid name without leading zeros that fits 32 bits and is not 0. */
gboolean mem_source_parse_pid(const char *name, gsize len, guint32 *pid);


/* A read buffer above this size is held by one view of one source at a time, process-wide, and given
 * back once its file is delivered: several reading threads each holding a big file (ten 200 MiB stat
 * files under --proc-root) would multiply the peak by the thread count. */
#define MEM_SOURCE_BIG_BUFFER ((gsize)4 * 1024 * 1024)

/* Makes room for at least `size` bytes plus a NUL in the reusable buffer (taking the big-buffer lock
 * first when it grows past MEM_SOURCE_BIG_BUFFER). */
void mem_source_reserve(MemSource *src, gsize size);

/* Gives a big buffer back and lets the next view take one; nothing when the buffer is small.  Called
 * after every delivery and at the end of every scan. */
void mem_source_release_big(MemSource *src);

/* Grows the buffer when it is full and returns how many bytes the next read may add at `len` (>= 1),
 * so that the content never exceeds the bound by more than the one byte that detects "too large".
 * Requires len <= the bound. */
gsize mem_source_buffer_room(MemSource *src, gsize len);

/* The current bound of a file or member (MEM_SOURCE_MAX_FILE_SIZE unless a test lowered it). */
gsize mem_source_max_file_size(void);

/* Test hook: sets the bound; 0 restores the default. */
void mem_source_set_max_file_size(gsize max);

/* A manifest's reason EMPTY: the recorder read the file and it had 0 bytes. */
#define MEM_SOURCE_EMPTY (-1)

/* Parses a memcap.errors manifest ("FILE REASON" lines) into errs[bit index of a per-pid file], or
 * with `top` into errs[index in mem_source_top_files] (MEM_SOURCE_N_TOP_FILES entries); unknown
 * files and garbled lines are ignored, unknown errno names become EIO, EMPTY is MEM_SOURCE_EMPTY.
 * Bounded by len only (a line of any length is walked once). */
void mem_source_parse_manifest(const char *data, gsize len, gboolean top, int *errs);

/* What to deliver for a file the manifest gives a reason for (an errno or MEM_SOURCE_EMPTY): the
 * errno (from the manifest), or 0 for 0 bytes of content (EMPTY, but for smaps_rollup and smaps, whose
 * EMPTY is ENODATA).  The manifest wins over the file, which may be a cut read (source.h). */
int mem_source_manifest_err(MemFileId file, int reason);

/* Builds MemFile.path for (pid, file) with `sep` between the display prefix and the rest, then calls
 * func.  Returns FALSE with error set when func stops the scan. */
gboolean mem_source_deliver(MemSource *src, char sep, guint32 pid, MemFileId file, const char *data,
                            gsize len, int err, gboolean has_owner, guint32 owner_uid, MemFileFunc func,
                            gpointer user_data, GError **error);

/* mem_source_deliver() of a file still being read: data/len is its first window, more() moves it on. */
gboolean mem_source_deliver_more(MemSource *src, char sep, guint32 pid, MemFileId file, const char *data,
                                 gsize len, int err, gboolean has_owner, guint32 owner_uid, MemMoreFunc more,
                                 gpointer more_data, MemFileFunc func, gpointer user_data, GError **error);

/* ---- source-read.c: safe reads below a directory fd ----
 * Every component is opened with O_NOFOLLOW; outside the real /proc (src->trusted) only regular files
 * are opened (a FIFO would block, a device could have side effects).  Functions return an fd or
 * -errno, or 0 or an errno. */

int mem_source_open_retry(int dirfd, const char *name, int flags);

/* A directory below dirfd, never through a symlink (ELOOP for one). */
int mem_source_open_dir(int dirfd, const char *name);

/* A regular file below dirfd, never through a symlink (ELOOP), a directory (EISDIR) or anything else
 * (EINVAL) outside the real /proc. */
int mem_source_open_file(MemSource *src, int dirfd, const char *name);

/* A file of pid's directory: in the real /proc "PID/NAME" in one open below the root (a pid directory
 * is the kernel's, never a link; O_NOFOLLOW guards the last component), elsewhere one component at a
 * time as mem_source_open_file().  An fd or -errno. */
int mem_source_open_pid_file(MemSource *src, guint32 pid, const char *name);

/* Reads fd to its end into the reusable buffer (NUL-terminated): 0 or an errno (EFBIG above the
 * bound, or above `max` when it is not 0: then the first max + 1 bytes are in the buffer).  With
 * `one_shot` (mem_source_one_shot()), a read that returns less than it was given room for ends it. */
int mem_source_read_fd(MemSource *src, int fd, gsize max, gboolean one_shot, gsize *len);

/* Whether a per-pid file of src is made whole by one show() call of the kernel (seq_file's single_open:
 * stat, status, statm, comm, cgroup, smaps_rollup), so that a short read has delivered all of it:
 * only in the real /proc (a --proc-root or recording file is a plain file, read to its end). */
gboolean mem_source_one_shot(const MemSource *src, MemFileId file);

/* Calls func for each entry name of dirfd from its current position, with getdents64 on the fd itself
 * (a DIR would cost a dup, an fstat and two fcntl), until func returns FALSE: 0 or an errno. */
int mem_source_each_entry(int dirfd, gboolean (*func)(const char *name, gpointer data), gpointer data);

/* Opens and reads one file below dirfd: 0 or an errno. */
int mem_source_read_file(MemSource *src, int dirfd, const char *name, gboolean one_shot, gsize *len);

/* ---- source-zram.c ---- */

/* The live "zram" file into src->buf: a line "zramN MM_STAT" per /sys/block/zram<N>/mm_stat, devices
 * in number order (nothing when there is none).  /sys/block is the real one for the real /proc, else
 * DIR/../sys/block for --proc-root DIR.  0 or an errno (ENOENT: no /sys/block, or a device without
 * mm_stat). */
int mem_source_read_zram(MemSource *src, gsize *len);

/* Reads up to `want` bytes of fd into dst, fewer only at the end, on an error or when *stop (may be
 * NULL) is set; *total counts the file's bytes.  Sets *err when a read fails and EFBIG past `max`
 * (the bytes below it are kept), *eof at the end.  Returns the bytes read.  `step` (0: no limit)
 * bounds each read() call: MEM_SEQ_STEP for a file of the real /proc. */
gsize mem_source_read_chunk(int fd, char *dst, gsize want, gsize step, gsize max, gsize *total, int *err,
                            gboolean *eof, gint *stop);

/* The kernel makes a seq_file such as smaps a page at a time: it formats records into a 4 KiB buffer
 * until one overflows it, drops that one (page walk included) and formats it again at the next read().
 * Asked for fewer bytes than a page less a record, it stops before the overflow and keeps the rest for
 * the next call: each record is made once.  smaps's records are ~750 bytes (25 fields): reading it
 * 3 KiB at a time costs the kernel ~7% less than in 64 KiB reads, for 20% more read() calls (5225
 * mappings: 5.2 ms -> 4.8 ms of CPU). */
#define MEM_SEQ_STEP ((gsize)3072)

/* ---- source-cgroup.c: the real /proc's cgroup files from the cgroup filesystem ---- */

typedef struct _MemCgroupWalk MemCgroupWalk;

/* Begins a walk of the cgroup hierarchies the job rule reads; with `background`, on a thread of its own
 * that starts at once (the caller lists /proc and reads the pids meanwhile).  Never NULL. */
MemCgroupWalk *mem_cgroup_walk_start(MemSource *src, gboolean background);
/* Gives the walk its budget of cgroups, once the pids are listed, and walks through src's buffer the
 * hierarchies no one has started (all of them when the walk has no thread); does not wait for the
 * thread. */
void mem_cgroup_walk_budget(MemCgroupWalk *w, MemSource *src, guint budget);
/* Stops the walk if it still goes on, waits for its thread and frees it with its map. */
void mem_cgroup_walk_end(MemCgroupWalk *w);

/* Writes pid's cgroup file (the lines of those hierarchies) into src's buffer, from any thread: FALSE
 * while the walk goes on, for good when src is not the real /proc, when the walk would not give the
 * paths /proc/PID/cgroup gives or went past its budget, and when the map does not know the pid; the
 * file is then read. */
gboolean mem_cgroup_walk_file(MemCgroupWalk *w, MemSource *src, guint32 pid, gsize *len);

/* The real /proc's cgroup v2 mount point at its root (/proc/self/mountinfo), or NULL (none; not the
 * real /proc; a mount point whose name needs mountinfo's escapes). */
char *mem_source_cgroup2_mount(MemSource *src);

/* ---- source-stream.c: smaps handed over while it is still being read ---- */

/* MEM_SCAN_STREAM is used for at most this many pids. */
#define MEM_STREAM_MAX_PIDS 8

typedef struct _MemStream MemStream;

/* Starts reading fd on a helper thread; NULL when no thread or pool could be had (the caller then
 * reads the file itself).  Takes fd over only on success. */
MemStream *mem_stream_start(const MemSource *src, int fd, int pidfd);

/* Whether the process of a live pid directory has exited (state Z or X, in the real /proc also its stat
 * gone or no mm left: vsize 0): checked once smaps reaches its end, because the kernel ends the read of
 * an exiting process's smaps early and quietly, at a record boundary, so a cut read looks whole.  A
 * --proc-root directory without stat is a fixture that lacks it, not a process gone. */
gboolean mem_source_pid_exited(const MemSource *src, int pidfd);

/* The consumer starts on the file: a reader that has not run yet may now run on the caller's CPU. */
void mem_stream_unpin(MemStream *st);

/* Stops the reader and frees everything (NULL is allowed). */
void mem_stream_finish(MemStream *st);

/* The MemMoreFunc of a stream (more_data is the MemStream). */
gboolean mem_stream_more(gpointer data, gsize done, const char **buf, gsize *len, GError **error);

/* A file read a chunk at a time by the delivering thread itself into src->buf (MEM_SCAN_THREADS). */
typedef struct {
	MemSource *src;       /* the window is src->buf[off, off + len) */
	int fd;
	gsize off, len;
	gsize total;          /* bytes read from the file */
	gboolean eof;
	int err;              /* a read failed, or the file passed the bound: the next more() says so */
	int pidfd;            /* live: the pid directory, to tell an exit from the end (pid_exited); else -1 */
} MemWindow;

/* The MemMoreFunc of a window (more_data is the MemWindow). */
gboolean mem_window_more(gpointer data, gsize done, const char **buf, gsize *len, GError **error);

/* A window src->buf[*off, *off + *len) drops its first `done` bytes; with room > 0 what is left moves to
 * the buffer's start and the buffer makes room for `room` more bytes after it (to read into). */
void mem_window_slide(MemSource *src, gsize *off, gsize *len, gsize done, gsize room);

/* ---- source-pool.c: pids read and delivered on several threads (MEM_SCAN_THREADS) ---- */

/* Reads and delivers one pid's files (the backend's). */
typedef gboolean (*MemScanPidFunc)(MemSource *src, guint32 pid, guint32 want, MemScanFlags flags,
                                   MemFileFunc func, gpointer user_data, GError **error);

/* A stat longer than this is not read ahead for weighing (it is read again in its turn). */
#define MEM_SOURCE_PRE_STAT_MAX ((gsize)4096)

/* Calls scan_pid for every pid of list (ascending) on n_threads threads, the calling thread included,
 * each with its own view of src (MemFile.thread).  With smaps wanted, pids are weighed first by their
 * resident pages and read heaviest first. */
gboolean mem_source_pool_scan(MemSource *src, guint n_threads, const guint32 *list, guint n, guint32 want,
                              MemScanFlags flags, MemScanPidFunc scan_pid, MemFileFunc func,
                              gpointer user_data, GError **error);

/* The pids of a listing that goes on while the other threads read them. */
typedef struct _MemPidFeed MemPidFeed;
/* Lists pids into feed (mem_pid_feed_add) on the calling thread: FALSE with error set on failure. */
typedef gboolean (*MemListFunc)(MemSource *src, MemPidFeed *feed, gpointer data, GError **error);
void mem_pid_feed_add(MemPidFeed *feed, guint32 pid);
guint mem_pid_feed_count(const MemPidFeed *feed);

/* As mem_source_pool_scan, but the calling thread first runs list, and the other threads read the pids
 * as it lists them (in the order listed), instead of waiting for the whole list; then it reads too.
 * Not for smaps scans that weigh the pids (they need the whole list first). */
gboolean mem_source_pool_scan_listed(MemSource *src, guint n_threads, MemListFunc list, gpointer list_data,
                                     guint32 want, MemScanFlags flags, MemScanPidFunc scan_pid,
                                     MemFileFunc func, gpointer user_data, GError **error);
