/* source-private.h: internals shared by source.c (live /proc, snapshot directory) and source-tar.c (source layer) */
#pragma once

#include <glib.h>

#include "source.h"

/* Every file or tar member is bounded; above it: EFBIG for a file, MEM_ERROR_TOO_LARGE for a member. */
#define MEM_SOURCE_MAX_FILE_SIZE ((gsize)256 * 1024 * 1024)

/* The reusable read buffer starts at this size and doubles on demand. */
#define MEM_SOURCE_INITIAL_BUFFER ((gsize)16 * 1024)

/* Number of per-pid file ids (bits 0 .. MEM_SOURCE_N_PID_FILES-1 of MemFileId). */
#define MEM_SOURCE_N_PID_FILES 9

/* A pid's stat read ahead of its other files (MEM_SCAN_THREADS weighs pids by it). */
typedef struct {
	char *data;           /* NUL-terminated, len excludes the NUL (as MemFile.data) */
	gsize len;
	int err;
} MemPreStat;

struct _MemSource {
	MemSourceKind kind;
	char *path;           /* what the user gave (NULL for the live /proc) */
	char *display;        /* prefix of MemFile.path: "/proc", "snap", "snap/proc", "snap.tar", "stdin" */
	gboolean trusted;     /* the real /proc: no manifest, no file-type checks */
	int rootfd;           /* live/dir: the proc root directory; -1 for tar */
	int tarfd;            /* tar: the archive (0 for stdin); -1 otherwise */
	gboolean is_stdin;
	guint n_scans;
	char *buf;            /* the one reusable read buffer */
	gsize buf_size;
	GString *pathbuf;     /* MemFile.path under construction */
	guint worker;         /* MemFile.thread of what this view delivers (MEM_SCAN_THREADS) */
	const MemPreStat *pre_stat; /* the stat of the pid being scanned, when read already */
	guint32 manifest_files; /* MemFileId bits whose error comes from the pid's memcap.errors */
	guint32 skip_files;   /* MemFileId bits the consumer asked not to read for this pid (MemFile.skip) */
	gboolean can_skip;    /* live and directory scans: MemFile.skip points at skip_files */
};

/* Name of a file id relative to a pid directory or the root ("sysvipc/shm"), or NULL. */
const char *mem_source_file_name(MemFileId file);

/* Per-pid file id for a name inside a pid directory, or 0. */
MemFileId mem_source_pid_file_from_name(const char *name, gsize len);

/* Parses an all-digit pid name without leading zeros that fits 32 bits and is not 0. */
gboolean mem_source_parse_pid(const char *name, gsize len, guint32 *pid);

/* Whether pid is in the sorted selection (NULL selects every pid). */
gboolean mem_source_pid_selected(guint32 pid, const guint32 *pids, guint n_pids);

/* Makes room for at least `size` bytes plus a NUL in the reusable buffer. */
void mem_source_reserve(MemSource *src, gsize size);

/* Grows the buffer when it is full and returns how many bytes the next read may add at `len` (>= 1),
 * so that the content never exceeds the bound by more than the one byte that detects "too large".
 * Requires len <= the bound. */
gsize mem_source_buffer_room(MemSource *src, gsize len);

/* The current bound of a file or member (MEM_SOURCE_MAX_FILE_SIZE unless a test lowered it). */
gsize mem_source_max_file_size(void);

/* Test hook: sets the bound; 0 restores the default. */
void mem_source_set_max_file_size(gsize max);

/* Parses a memcap.errors manifest ("FILE ERRNAME" lines) into errs[bit index of a per-pid file];
 * unknown files are ignored, unknown errno names become EIO. */
void mem_source_parse_manifest(const char *data, gsize len, int errs[MEM_SOURCE_N_PID_FILES]);

/* Builds MemFile.path for (pid, file) with `sep` between the display prefix and the rest, then calls
 * func.  Returns FALSE with error set when func stops the scan. */
gboolean mem_source_deliver(MemSource *src, char sep, guint32 pid, MemFileId file, const char *data,
                            gsize len, int err, gboolean has_owner, guint32 owner_uid, MemFileFunc func,
                            gpointer user_data, GError **error);

/* source-tar.c: resolves libarchive (MEM_ERROR_LIBRARY when it is missing). */
gboolean mem_source_tar_load(GError **error);

/* source-tar.c: one pass over the archive at src->tarfd. */
gboolean mem_source_tar_scan(MemSource *src, guint32 want, MemScanFlags flags, const guint32 *pids,
                             guint n_pids, MemFileFunc func, gpointer user_data, GError **error);
