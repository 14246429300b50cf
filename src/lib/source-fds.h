/* source-fds.h: the fd and shm-directory walk of a live source: a process's open fds and the files of /dev/shm (source layer)
 *
 * Opened from the MemSource (mem_source_fds_open): the real /proc walks /proc and /dev/shm; a
 * --proc-root DIR walks DIR's pid/fd entries and DIR/../dev/shm (none when that is missing); a
 * recording has no fds (an error).  Everything goes through two directory
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

/* The walk of a live source: its proc root, and /dev/shm for the real /proc or DIR/../dev/shm under
 * --proc-root DIR (a missing shm directory is not an error: the listing is then empty).  A recording:
 * MEM_ERROR_INVALID (fds are not recorded). */
MemFds *mem_source_fds_open(MemSource *src, GError **error);

/* Opens the proc root (NULL: /proc) and the shm directory (NULL: /dev/shm; a missing one is not an
 * error: the listing is then empty).  Tests; tools use mem_source_fds_open(). */
MemFds *mem_fds_open(const char *proc_root, const char *shm_dir, GError **error);
void mem_fds_free(MemFds *f);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MemFds, mem_fds_free)

/* The pids of the proc root, ascending (at most 4194304). */
GArray *mem_fds_pids(MemFds *f, GError **error);

/* The fds of a process (at most MEM_FDS_MAX per process): a GArray of MemFdEntry (clear func set).
 * ENOENT/ESRCH give MEM_ERROR_VANISHED, EACCES MEM_ERROR_PERMISSION. */
#define MEM_FDS_MAX 1048576
GArray *mem_fds_list(MemFds *f, guint32 pid, GError **error);

/* /proc/PID/fdinfo/N as text (NUL-terminated, at most 64 KiB). */
char *mem_fds_read_fdinfo(MemFds *f, guint32 pid, int fd, gsize *len, GError **error);

/* The regular files of the shm directory (fstat of each, opened O_NOFOLLOW|O_NONBLOCK): a GArray of
 * MemShmFile (clear func set), at most 1048576 entries; the subdirectories are not walked. */
GArray *mem_fds_shm_files(MemFds *f, GError **error);

/* The device the shm directory is on (tmpfs); FALSE when there is no shm directory. */
gboolean mem_fds_shm_dev(MemFds *f, guint32 *major, guint32 *minor);
