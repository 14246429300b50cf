/* source.c: the proc source's entry points: opening a path as the right backend and dispatching to it (source layer)
 *
 * The backends (source-dir.c, source-tar.c) are reached only through their MemSourceOps and their open
 * functions; they share source-common.c, not this file. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "source-private.h"

MemSource *mem_source_open_proc_root(const char *dir, GError **error)
{
	g_return_val_if_fail(dir != NULL, NULL);
	return mem_source_dir_open_root(MEM_SOURCE_LIVE, dir, dir, FALSE, error);
}

MemSource *mem_source_open(const char *path, GError **error)
{
	struct stat st;
	int fd;

	if (!path)
		return mem_source_dir_open_root(MEM_SOURCE_LIVE, "/proc", NULL, TRUE, error);
	if (strcmp(path, "-") == 0)
		return mem_source_tar_open(path, STDIN_FILENO, error);
	do
		fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0) {
		mem_source_set_open_error(error, path, errno);
		return NULL;
	}
	if (fstat(fd, &st) < 0) {
		int err = errno;

		close(fd);
		mem_source_set_open_error(error, path, err);
		return NULL;
	}
	if (S_ISDIR(st.st_mode))
		return mem_source_dir_open(path, fd, error);
	return mem_source_tar_open(path, fd, error);
}

MemSourceKind mem_source_kind(const MemSource *src)
{
	return src->kind;
}

const char *mem_source_path(const MemSource *src)
{
	return src->path;
}

gboolean mem_source_is_live_proc(const MemSource *src)
{
	return src->trusted;
}

const char *mem_source_cut(const MemSource *src)
{
	return src->cut;
}

guint mem_source_threads(const MemSource *src, MemScanFlags flags)
{
	return src->ops->threads(src, flags);
}

gboolean mem_source_scan(MemSource *src, guint32 want, MemScanFlags flags, const guint32 *pids,
                         guint n_pids, MemFileFunc func, gpointer user_data, GError **error)
{
	gboolean ok;

	g_return_val_if_fail(src != NULL && func != NULL, FALSE);

	if (!pids)
		n_pids = 0;
	for (guint i = 1; i < n_pids; i++) {
		if (pids[i - 1] > pids[i]) {
			g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "the pid selection is not sorted");
			return FALSE;
		}
	}
	ok = src->ops->scan(src, want, flags, pids, n_pids, func, user_data, error);
	mem_source_release_big(src); /* read but not delivered (a manifest, a failed scan) */
	return ok;
}

/* ---- user names: the one lookup outside the files of a source ---- */

/* The live system's user database (NSS), cached per uid; a miss is cached as NULL.  Only for the real
 * /proc and --proc-root (a view of this machine's processes); a recording's names come from its own
 * passwd file, which the scan delivers (MEM_FILE_PASSWD), never from this machine's. */
const char *mem_source_user_name(MemSource *src, guint32 uid)
{
	gpointer key = GUINT_TO_POINTER(uid);
	struct passwd pw, *res = NULL;
	char buf[1024];
	char *name;

	if (src->kind != MEM_SOURCE_LIVE)
		return NULL;
	if (!src->users)
		src->users = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	if (g_hash_table_contains(src->users, key))
		return g_hash_table_lookup(src->users, key);
	name = getpwuid_r(uid, &pw, buf, sizeof buf, &res) == 0 && res ? g_strdup(pw.pw_name) : NULL;
	g_hash_table_insert(src->users, key, name);
	return name;
}

gboolean mem_source_user_id(MemSource *src, const char *user, guint32 *uid)
{
	struct passwd pw, *res = NULL;
	char buf[1024];

	if (src->kind != MEM_SOURCE_LIVE)
		return FALSE;
	if (getpwnam_r(user, &pw, buf, sizeof buf, &res) != 0 || !res)
		return FALSE;
	*uid = (guint32)pw.pw_uid;
	return TRUE;
}
