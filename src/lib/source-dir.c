/* source-dir.c: the directory backend: the live /proc, a --proc-root directory and a recording directory, read pid by pid (source layer) */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "source-private.h"

static int read_top_file(MemSource *src, MemFileId file, gsize *len)
{
	int dirfd, err;

	*len = 0;
	if (file == MEM_FILE_ZRAM && src->kind == MEM_SOURCE_LIVE)
		return mem_source_read_zram(src, len);
	if (file != MEM_FILE_SYSVIPC_SHM) /* the real meminfo is one show() of the kernel: read in one go */
		return mem_source_read_file(src, src->rootfd, mem_source_file_name(file),
		                            src->trusted && file == MEM_FILE_MEMINFO, len);
	dirfd = mem_source_open_dir(src->rootfd, "sysvipc");
	if (dirfd < 0)
		return -dirfd;
	err = mem_source_read_file(src, dirfd, "shm", FALSE, len);
	close(dirfd);
	return err;
}

typedef struct {
	GArray *pids;
	gboolean *found;
} ListPids;

static gboolean on_pid_entry(const char *name, gpointer data)
{
	ListPids *lp = data;
	guint32 pid;

	if (mem_source_parse_pid(name, strlen(name), &pid)) {
		if (lp->found)
			return !(*lp->found = TRUE);
		g_array_append_val(lp->pids, pid);
	} else if (lp->found && strcmp(name, "meminfo") == 0) {
		return !(*lp->found = TRUE);
	}
	return TRUE;
}

/* Calls func for every entry of dirfd, from its start. */
static gboolean list_entries(MemSource *src, int dirfd, gboolean (*func)(const char *name, gpointer data),
                             gpointer data, GError **error)
{
	int err;

	if (lseek(dirfd, 0, SEEK_SET) < 0) {
		err = errno;
		g_set_error(error, MEM_ERROR, MEM_ERROR_IO, "%s: cannot rewind the directory: %s", src->display,
		            g_strerror(err));
		return FALSE;
	}
	if ((err = mem_source_each_entry(dirfd, func, data))) {
		g_set_error(error, MEM_ERROR,
		            mem_error_from_errno(err) == MEM_ERROR_PERMISSION ? MEM_ERROR_PERMISSION : MEM_ERROR_IO,
		            "%s: cannot list the directory: %s", src->display, g_strerror(err));
		return FALSE;
	}
	return TRUE;
}

/* Lists the pid entries of dirfd (all-digit names) into pids, sorted ascending.  With `found`, only
 * probes: stops at the first pid or meminfo entry and reports whether there was one. */
static gboolean list_pids(MemSource *src, int dirfd, GArray *pids, gboolean *found, GError **error)
{
	ListPids lp = { pids, found };

	if (found)
		*found = FALSE;
	if (!list_entries(src, dirfd, on_pid_entry, &lp, error))
		return FALSE;
	if (pids && !mem_pids_sorted((const guint32 *)(gconstpointer)pids->data, pids->len))
		g_array_sort(pids, mem_pid_compare); /* (the kernel lists /proc's pids in order) */
	return TRUE;
}

/* Whether the root holds a directory for pid (a process's, or a thread's, which readdir does not list). */
static gboolean pid_dir_exists(MemSource *src, guint32 pid)
{
	char name[MEM_SOURCE_PID_NAME];
	struct stat st;

	mem_source_pid_name(name, pid);
	return fstatat(src->rootfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
}

static gboolean on_feed_entry(const char *name, gpointer data)
{
	guint32 pid;

	if (mem_source_parse_pid(name, strlen(name), &pid))
		mem_pid_feed_add(data, pid);
	return TRUE;
}

/* The real /proc's pids into the reading threads' feed as they are listed; then the cgroup walk learns
 * its budget (and this thread walks what nobody has started of it) while the others read. */
static gboolean list_into_feed(MemSource *src, MemPidFeed *feed, gpointer walk, GError **error)
{
	if (!list_entries(src, src->rootfd, on_feed_entry, feed, error))
		return FALSE;
	mem_cgroup_walk_budget(walk, src, mem_pid_feed_count(feed) / 3);
	return TRUE;
}

/* A per-pid file: below the pid directory when it is open, else "PID/FILE" below the root
 * (mem_source_open_pid_file).  An fd or -errno. */
static int pid_open_file(MemSource *src, int pidfd, guint32 pid, MemFileId file)
{
	if (pidfd >= 0)
		return mem_source_open_file(src, pidfd, mem_source_file_name(file));
	return mem_source_open_pid_file(src, pid, mem_source_file_name(file));
}

/* A manifest's reasons (man, mem_source_parse_manifest) as what to deliver: errs[i] the errno, or the
 * bit of a file recorded empty in *empty (its content is then 0 bytes, whatever the file holds);
 * *manifest_files the bits whose errno is the recorder's. */
static void manifest_verdicts(const int *man, guint n, gboolean top, int *errs, guint32 *empty, guint32 *manifest_files)
{
	for (guint i = 0; i < n; i++) {
		MemFileId file = top ? mem_source_top_files[i] : (MemFileId)(1u << i);

		if (!man[i])
			continue;
		errs[i] = mem_source_manifest_err(file, man[i]);
		if (errs[i])
			*manifest_files |= file;
		else
			*empty |= file;
	}
}

/* Reads a small per-pid file whole into src->buf (err: the errno known already, 0 to read it): 0 or the
 * errno. */
static int read_pid_file(MemSource *src, int pidfd, guint32 pid, MemFileId file, int err, gsize *len)
{
	int fd = err ? -err : pid_open_file(src, pidfd, pid, file);

	*len = 0;
	if (fd < 0)
		return -fd;
	err = mem_source_read_fd(src, fd, 0, mem_source_one_shot(src, file), len);
	close(fd);
	return err;
}

static gboolean scan_pid(MemSource *src, guint32 pid, guint32 want, MemScanFlags flags, MemFileFunc func,
                         gpointer user_data, GError **error)
{
	int errs[MEM_SOURCE_N_PID_FILES] = { 0 };
	int man[MEM_SOURCE_N_PID_FILES];
	guint32 empty = 0;
	gboolean fallback = (flags & MEM_SCAN_SMAPS_FALLBACK) && (want & MEM_FILE_SMAPS);
	gboolean has_owner = FALSE;
	guint32 owner = 0;
	int rollup_err = -1;
	int smaps_bit = g_bit_nth_lsf(MEM_FILE_SMAPS, -1);
	MemStream *stream = NULL;
	char name[16];
	struct stat st;
	gboolean direct, ok;
	int pidfd = -1;

	/* comm for the name, stat read only after a failed rollup (MEM_SCAN_LAZY_STAT) */
	gboolean lazy_stat = (flags & MEM_SCAN_LAZY_STAT) && src->trusted && !src->pre_stat &&
	                     (want & MEM_FILE_STAT) && (want & MEM_FILE_SMAPS_ROLLUP);

	if (lazy_stat)
		want = (want & ~(guint32)MEM_FILE_STAT) | MEM_FILE_COMM;
	src->manifest_files = 0;
	src->skip_files = 0;
	src->can_skip = TRUE;
	mem_source_pid_name(name, pid);
	/* The real /proc, smaps read only where the rollup is missing: each file is opened as "PID/FILE"
	 * below the root (mem_source_open_pid_file), saving the pid directory's open, fstat and close; the
	 * directory is opened if smaps comes to be read, and its owner asked only when status was wanted
	 * (the consumer needs the uid) and could not be read. */
	direct = src->trusted && (!(want & MEM_FILE_SMAPS) || fallback);
	if (!direct && (pidfd = mem_source_open_dir(src->rootfd, name)) < 0) {
		/* Gone between listing and opening (or not a directory): the consumer still sees the pid. */
		for (guint i = 0; i < MEM_SOURCE_N_PID_FILES; i++) {
			MemFileId file = (MemFileId)(1u << i);

			if (!(want & file) || (file == MEM_FILE_SMAPS && fallback && (want & MEM_FILE_SMAPS_ROLLUP)))
				continue;
			if (!mem_source_deliver(src, '/', pid, file, NULL, 0, -pidfd, FALSE, 0, func, user_data,
			                        error))
				return FALSE;
		}
		return TRUE;
	}
	if (pidfd >= 0 && fstat(pidfd, &st) == 0) {
		has_owner = TRUE;
		owner = (guint32)st.st_uid;
	}
	if (!src->trusted) {
		gsize len;

		if (mem_source_read_file(src, pidfd, "memcap.errors", FALSE, &len) == 0) {
			mem_source_parse_manifest(src->buf, len, FALSE, man);
			manifest_verdicts(man, MEM_SOURCE_N_PID_FILES, FALSE, errs, &empty, &src->manifest_files);
		}
	}
	if ((flags & MEM_SCAN_STREAM) && (want & MEM_FILE_SMAPS) && !fallback && !errs[smaps_bit]) {
		/* Start smaps first: the kernel produces it while the smaller files are read here. */
		int fd = mem_source_open_file(src, pidfd, mem_source_file_name(MEM_FILE_SMAPS));

		if (fd < 0)
			errs[smaps_bit] = -fd;
		else if (!(stream = mem_stream_start(src, fd, src->kind == MEM_SOURCE_LIVE ? pidfd : -1)))
			close(fd);
	}
	for (guint i = 0; i < MEM_SOURCE_N_PID_FILES; i++) {
		MemFileId file = (MemFileId)(1u << i);
		gsize len = 0;
		const char *data;
		int err;

		if (file == MEM_FILE_SMAPS && fallback) {
			if (rollup_err < 0) {
				/* The rollup was not wanted: probe it. */
				int rollup = g_bit_nth_lsf(MEM_FILE_SMAPS_ROLLUP, -1);
				int fd = errs[rollup] ? -errs[rollup] : pid_open_file(src, pidfd, pid, MEM_FILE_SMAPS_ROLLUP);

				rollup_err = fd < 0 ? -fd : 0;
				if (fd >= 0)
					close(fd);
			}
			if (rollup_err != ENOENT)
				continue;
			/* ENOENT from a process that exited is not "no rollup on this kernel". */
			if (fstatat(src->rootfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
				continue;
		}
		if (!(want & file))
			continue;
		if ((src->skip_files & file) && !errs[i])
			errs[i] = ECANCELED; /* the consumer needs it no more (MemFile.skip): not read */
		if (file == MEM_FILE_SMAPS && pidfd < 0 && !errs[i]) {
			/* direct: smaps is read through a window that needs the directory (pid_exited) */
			if ((pidfd = mem_source_open_dir(src->rootfd, name)) < 0) {
				errs[i] = -pidfd;
				pidfd = -1;
			}
		}
		if (file == MEM_FILE_SMAPS && stream && !(src->skip_files & file)) {
			/* An empty first window: the consumer's more() brings the file in. */
			mem_stream_unpin(stream);
			ok = mem_source_deliver_more(src, '/', pid, file, "", 0, 0, has_owner, owner, mem_stream_more, stream, func,
			                  user_data, error);
			mem_stream_finish(stream);
			stream = NULL;
			if (!ok) {
				if (pidfd >= 0)
					close(pidfd);
				return FALSE;
			}
			continue;
		}
		if (file == MEM_FILE_SMAPS && (flags & MEM_SCAN_THREADS) && !errs[i]) {
			int fd = mem_source_open_file(src, pidfd, mem_source_file_name(file));

			if (fd >= 0) {
				/* An empty first window: the consumer's more() brings the file in. */
				MemWindow win = { src, fd, 0, 0, 0, FALSE, 0, src->kind == MEM_SOURCE_LIVE ? pidfd : -1 };
				ok = mem_source_deliver_more(src, '/', pid, file, "", 0, 0, has_owner, owner, mem_window_more, &win,
				                             func, user_data, error);
				close(fd);
				if (!ok) {
					mem_stream_finish(stream);
					if (pidfd >= 0)
						close(pidfd);
					return FALSE;
				}
				continue;
			}
			errs[i] = -fd;
		}
		if ((empty & file) && !errs[i]) {
			/* recorded empty: 0 bytes, whatever the file holds */
			err = 0;
			data = "";
		} else if (file == MEM_FILE_STAT && src->pre_stat) {
			/* Read already (MEM_SCAN_THREADS weighs pids by it): deliver that reading. */
			err = errs[i] ? errs[i] : src->pre_stat->err;
			data = src->pre_stat->data;
			len = src->pre_stat->len;
		} else if (file == MEM_FILE_CGROUP && !errs[i] && mem_cgroup_walk_file(src->cgroups, src, pid, &len)) {
			/* from the cgroup filesystem's walk (source-cgroup.c): what /proc/PID/cgroup would say */
			err = 0;
			data = src->buf;
		} else {
			err = read_pid_file(src, pidfd, pid, file, errs[i], &len);
			data = src->buf;
			if (file == MEM_FILE_STATUS && err && err != ECANCELED && !has_owner && pidfd < 0 &&
			    fstatat(src->rootfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
				/* direct, and no status to tell the uid: the directory's owner tells it */
				has_owner = TRUE;
				owner = (guint32)st.st_uid;
			}
			if (file == MEM_FILE_SMAPS && !err && src->kind == MEM_SOURCE_LIVE && mem_source_pid_exited(src, pidfd))
				err = ESRCH; /* the end came from the exit: a cut read */
		}
		if (file == MEM_FILE_SMAPS_ROLLUP)
			rollup_err = err;
		ok = mem_source_deliver(src, '/', pid, file, data, len, err, has_owner, owner, func, user_data, error);
		if (ok && file == MEM_FILE_SMAPS_ROLLUP && lazy_stat && err) {
			/* no rollup: stat tells a kernel thread, a zombie and a process gone apart */
			err = read_pid_file(src, pidfd, pid, MEM_FILE_STAT, 0, &len);
			ok = mem_source_deliver(src, '/', pid, MEM_FILE_STAT, src->buf, len, err, has_owner, owner, func,
			                        user_data, error);
		}
		if (!ok) {
			mem_stream_finish(stream);
			if (pidfd >= 0)
				close(pidfd);
			return FALSE;
		}
	}
	mem_stream_finish(stream);
	if (pidfd >= 0)
		close(pidfd);
	return TRUE;
}

static guint dir_threads(const MemSource *src, MemScanFlags flags)
{
	(void)src;
	if (!(flags & MEM_SCAN_THREADS))
		return 1;
	return MIN(mem_cpu_count(), MEM_SCAN_MAX_THREADS);
}

static gboolean dir_scan(MemSource *src, guint32 want, MemScanFlags flags, const guint32 *pids,
                         guint n_pids, MemFileFunc func, gpointer user_data, GError **error)
{
	guint32 pid_want = want & ((1u << MEM_SOURCE_N_PID_FILES) - 1);
	int man[MEM_SOURCE_N_TOP_FILES], errs[MEM_SOURCE_N_TOP_FILES] = { 0 };
	guint32 empty = 0;
	g_autoptr(GArray) all = NULL;
	MemCgroupWalk *walk = NULL;
	gboolean ok = TRUE;
	gsize len;

	src->manifest_files = 0;
	if (!src->trusted && (want & ~MEM_FILE_PER_PID_MASK) &&
	    mem_source_read_file(src, src->rootfd, "memcap.errors", FALSE, &len) == 0) {
		mem_source_parse_manifest(src->buf, len, TRUE, man);
		manifest_verdicts(man, MEM_SOURCE_N_TOP_FILES, TRUE, errs, &empty, &src->manifest_files);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(mem_source_top_files); i++) {
		MemFileId file = mem_source_top_files[i];
		int err;

		if (!(want & file))
			continue;
		len = 0;
		err = errs[i] ? errs[i] : (empty & file) ? 0 : read_top_file(src, file, &len);
		if (!mem_source_deliver(src, '/', 0, file, (empty & file) ? "" : src->buf, len, err, FALSE, 0, func,
		                        user_data, error))
			return FALSE;
	}
	src->manifest_files = 0;
	if (!pid_want)
		return TRUE;
	all = g_array_new(FALSE, FALSE, sizeof(guint32));
	/* The real /proc's cgroup files from one walk of the cgroup filesystem, when it can say them; the
	 * walk runs on a thread of its own while /proc is listed and the pids are read (not for a few pids
	 * looked up directly: their budget is a handful of cgroups). */
	if (src->trusted && (pid_want & MEM_FILE_CGROUP))
		walk = mem_cgroup_walk_start(src, !(pids && n_pids <= 64));
	if (src->trusted && !pids && (flags & MEM_SCAN_THREADS) && dir_threads(src, flags) > 1 &&
	    (!(pid_want & MEM_FILE_SMAPS) || (flags & MEM_SCAN_SMAPS_FALLBACK))) {
		/* Every process of the real /proc, read while it is still being listed (at 10 000
		 * processes the listing takes ~10 ms, which the other CPU spent waiting); a scan that
		 * weighs the pids (smaps) needs the whole list first. */
		src->cgroups = walk;
		ok = mem_source_pool_scan_listed(src, dir_threads(src, flags), list_into_feed, walk, pid_want,
		                                 flags & ~(guint)MEM_SCAN_STREAM, scan_pid, func, user_data, error);
		src->cgroups = NULL;
		mem_cgroup_walk_end(walk);
		return ok;
	}
	if (pids && n_pids <= 64) {
		/* A few named pids: look them up directly instead of listing the whole directory; a pid
		 * that does not exist is left out, as the listing would have. */
		for (guint i = 0; i < n_pids; i++)
			if (pid_dir_exists(src, pids[i]))
				g_array_append_val(all, pids[i]);
	} else if (!list_pids(src, src->rootfd, all, NULL, error)) {
		ok = FALSE;
	} else if (pids) {
		/* A thread's directory is there though readdir lists processes only: a named pid the listing
		 * lacks is looked up (the model resolves a thread to its process). */
		guint listed = all->len;

		for (guint i = 0; i < n_pids; i++)
			if (!bsearch(&pids[i], all->data, listed, sizeof(guint32), mem_pid_compare) &&
			    pid_dir_exists(src, pids[i]))
				g_array_append_val(all, pids[i]);
		if (all->len > listed)
			g_array_sort(all, (GCompareFunc)mem_pid_compare);
	}
	if (!ok) {
		mem_cgroup_walk_end(walk);
		return FALSE;
	}
	mem_cgroup_walk_budget(walk, src, all->len / 3);
	src->cgroups = walk;
	/* A stream costs a thread and a chunk pool per file: worth it for a few big files (one process's
	 * smaps), not for every process of the system, where the reading threads already run in
	 * parallel (and read smaps through a window themselves). */
	if ((flags & MEM_SCAN_STREAM) && (!pids || n_pids > MEM_STREAM_MAX_PIDS))
		flags &= ~(guint)MEM_SCAN_STREAM;
	/* With streams the few pids are read by the calling thread, each overlapped with its parsing by
	 * its stream's reader. */
	if ((flags & MEM_SCAN_THREADS) && !(flags & MEM_SCAN_STREAM) && dir_threads(src, flags) > 1) {
		g_autoptr(GArray) chosen = g_array_new(FALSE, FALSE, sizeof(guint32));
		for (guint i = 0; i < all->len; i++) {
			guint32 pid = g_array_index(all, guint32, i);
			if (mem_source_pid_selected(pid, pids, n_pids))
				g_array_append_val(chosen, pid);
		}
		ok = mem_source_pool_scan(src, dir_threads(src, flags), (const guint32 *)chosen->data, chosen->len,
		                          pid_want, flags & ~(guint)MEM_SCAN_STREAM, scan_pid, func, user_data, error);
	} else {
		for (guint i = 0; ok && i < all->len; i++) {
			guint32 pid = g_array_index(all, guint32, i);

			if (mem_source_pid_selected(pid, pids, n_pids))
				ok = scan_pid(src, pid, pid_want, flags, func, user_data, error);
		}
	}
	src->cgroups = NULL;
	mem_cgroup_walk_end(walk);
	return ok;
}

MemSource *mem_source_dir_open_root(MemSourceKind kind, const char *dir, const char *path, gboolean trusted,
                            GError **error)
{
	MemSource *src;
	int fd;

	do
		fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0) {
		mem_source_set_open_error(error, dir, errno);
		return NULL;
	}
	src = mem_source_new(kind, &mem_source_dir_ops, path, dir);
	src->rootfd = fd;
	src->trusted = trusted;
	return src;
}

/* A snapshot directory: its own root, or its "proc/" when the root holds neither pids nor meminfo.  A
 * directory with none of the three is not a recording (`memps -S /etc` printed an empty table). */
MemSource *mem_source_dir_open(const char *path, int fd, GError **error)
{
	MemSource *src = mem_source_new(MEM_SOURCE_DIR, &mem_source_dir_ops, path, path);
	gboolean found;
	int sub;

	src->rootfd = fd;
	if (!list_pids(src, fd, NULL, &found, error)) {
		mem_source_free(src);
		return NULL;
	}
	if (!found && (sub = mem_source_open_dir(fd, "proc")) >= 0) {
		char *display = g_strconcat(src->display, "/proc", NULL);

		close(fd);
		src->rootfd = sub;
		g_free(src->display);
		src->display = display;
	} else if (!found) {
		g_set_error(error, MEM_ERROR, MEM_ERROR_NOT_FOUND,
		            "%s: not a recording (no pid directory, meminfo or proc/ in it)", src->display);
		mem_source_free(src);
		return NULL;
	}
	return src;
}

const MemSourceOps mem_source_dir_ops = {
	.name = "dir",
	.scan = dir_scan,
	.threads = dir_threads,
};
