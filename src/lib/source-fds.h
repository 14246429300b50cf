/* source-fds.h: the fd and shm-directory walk of a source: a process's open fds and the files of /dev/shm, live or as a recording wrote them (source layer)
 *
 * Opened from the MemSource (mem_source_fds_open): the real /proc walks /proc and /dev/shm; a
 * --proc-root DIR walks DIR's pid/fd entries and DIR/../dev/shm (none when that is missing); a
 * recording (directory or tar) serves what memcap wrote: each pid's `fds` and the top-level `dev-shm`
 * (parse.h, mem_parse_rec_files), which the consumer's own scan delivers (a tar is read once, front to
 * back, in any order): add mem_fds_wanted() to the scan and hand every file to mem_fds_take(); then
 * the same calls as live answer from what was kept (the parsed tmpfs fds and the listing: no file
 * content is kept).  Live, everything goes through two directory
 * fds opened once (the proc root and the shm directory); per-pid paths are opened relative to them
 * with O_NOFOLLOW where a path component could be a link.  Counts and lengths are bounded. */
#pragma once

#include <glib.h>

#include "source.h"

/* One open fd of a process, as /proc/PID/fd/N shows it. */
typedef struct {
	int fd;
	char *target;            /* readlink text (owned, NUL-terminated), e.g. "/memfd:x (deleted)" */
	gsize target_len;
	gboolean has_stat;       /* fstatat through the magic link worked */
	guint32 dev_major, dev_minor;
	guint64 inode;
	guint32 mode;            /* st_mode */
	guint64 size;            /* st_size */
	guint64 blocks_bytes;    /* st_blocks * 512: the memory a tmpfs/memfd file holds */
} MemFdEntry;

/* A regular file of the shm directory. */
typedef struct {
	char *name;              /* owned: the entry name (untrusted bytes) */
	guint32 dev_major, dev_minor;
	guint64 inode;
	guint64 size;
	guint64 blocks_bytes;
} MemShmFile;

typedef struct _MemFds MemFds;

/* The walk of a source: for a live one its proc root, and /dev/shm for the real /proc or
 * DIR/../dev/shm under --proc-root DIR (a missing shm directory is not an error: the listing is then
 * empty); for a recording an empty walk to fill with mem_fds_take(). */
MemFds *mem_source_fds_open(MemSource *src, GError **error);

/* The MemFileId bits a recording's walk needs from the consumer's scan (0 for a live walk). */
guint32 mem_fds_wanted(const MemFds *f);

/* A recording's walk: keeps what it needs of a delivered file (fds, dev-shm; every pid that gets an
 * fds delivery, with content or an error, is a pid of the walk; memcap.info is looked at and not
 * consumed).  Returns FALSE for a file it does not consume.  A garbled fds or dev-shm is bad input: its message goes to mem_fds_problems() and the pid's
 * fds (or the listing) are unknown. */
gboolean mem_fds_take(MemFds *f, const MemFile *file);

/* Whether the walk serves a recording; whether the recording held any fds or dev-shm data at all
 * (memcap's; an older recorder's or smemcap's has neither: then nothing is known of fds and shm). */
gboolean mem_fds_is_recorded(const MemFds *f);
gboolean mem_fds_recorded_any(const MemFds *f);

/* Whether the walk covers every process: FALSE for a recording of some processes only (memcap.info
 * "pids selected"): then a file no recorded process holds may be held by one not recorded. */
gboolean mem_fds_all_pids(const MemFds *f);

/* Messages about a recording's garbled or refused fds and dev-shm files ("PATH: line N: ..."). */
GPtrArray *mem_fds_problems(MemFds *f);

/* Whether the shm directory's listing is known: FALSE for a recording whose dev-shm is unreadable,
 * garbled or not recorded (a manifest's "dev-shm ENOENT" is a board without /dev/shm: known, empty);
 * *reason then says why ("not recorded", "EACCES", "malformed"). */
gboolean mem_fds_shm_listed(const MemFds *f, const char **reason);

/* Opens the proc root (NULL: /proc) and the shm directory (NULL: /dev/shm; a missing one is not an
 * error: the listing is then empty).  Tests; tools use mem_source_fds_open(). */
MemFds *mem_fds_open(const char *proc_root, const char *shm_dir, GError **error);
void mem_fds_free(MemFds *f);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MemFds, mem_fds_free)

/* The pids of the proc root, ascending (at most 4194304). */
GArray *mem_fds_pids(MemFds *f, GError **error);

/* The fds of a process (at most MEM_FDS_MAX per process): a GArray of MemFdEntry (clear func set).
 * ENOENT/ESRCH give MEM_ERROR_VANISHED, EACCES MEM_ERROR_PERMISSION.  A recording's: the tmpfs fds it
 * wrote; the manifest's reason as the same codes; no fds and no manifest line (not recorded),
 * garbled or refused: MEM_ERROR_NOT_FOUND, MEM_ERROR_PARSE, MEM_ERROR_IO. */
#define MEM_FDS_MAX 1048576
GArray *mem_fds_list(MemFds *f, guint32 pid, GError **error);

/* /proc/PID/fdinfo/N as text (NUL-terminated, at most 64 KiB); a recording has none (NOT_FOUND). */
char *mem_fds_read_fdinfo(MemFds *f, guint32 pid, int fd, gsize *len, GError **error);

/* The regular files of the shm directory (fstat of each, opened O_NOFOLLOW|O_NONBLOCK): a GArray of
 * MemShmFile (clear func set), at most 1048576 entries; the subdirectories are not walked. */
GArray *mem_fds_shm_files(MemFds *f, GError **error);

/* The device the shm directory is on (tmpfs); FALSE when there is no shm directory. */
gboolean mem_fds_shm_dev(MemFds *f, guint32 *major, guint32 *minor);
