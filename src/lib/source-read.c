/* source-read.c: safe reads below a directory fd: one component at a time with O_NOFOLLOW, regular files only outside /proc, every file bounded (source layer) */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "source-private.h"

/* Defence in depth: we only open our own fixed names and pid numbers, never "." or ".." or a path. */
static gboolean component_ok(const char *name)
{
	return name[0] && strcmp(name, ".") != 0 && strcmp(name, "..") != 0 && !strchr(name, '/');
}

int mem_source_open_retry(int dirfd, const char *name, int flags)
{
	int fd;

	do
		fd = openat(dirfd, name, flags);
	while (fd < 0 && errno == EINTR);
	return fd;
}

/* Opens a directory below dirfd without following a symlink; returns an fd or -errno (ELOOP for a
 * symlink, which O_DIRECTORY alone reports as ENOTDIR). */
int mem_source_open_dir(int dirfd, const char *name)
{
	struct stat st;
	int fd, err;

	if (!component_ok(name))
		return -EINVAL;
	fd = mem_source_open_retry(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	err = errno;
	if (err == ENOTDIR && fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
		err = ELOOP;
	return -err;
}

/* Opens a regular file below dirfd without following a symlink; returns an fd or -errno.  Outside the
 * real /proc, anything but a regular file is refused before it is opened (a FIFO would block, a
 * device could have side effects). */
int mem_source_open_file(MemSource *src, int dirfd, const char *name)
{
	struct stat st;
	int fd;

	if (!component_ok(name))
		return -EINVAL;
	if (src->trusted)
		return (fd = mem_source_open_retry(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0 ? -errno : fd;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	if (S_ISLNK(st.st_mode))
		return -ELOOP;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	fd = mem_source_open_retry(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	return fd;
}

int mem_source_open_pid_file(MemSource *src, guint32 pid, const char *name)
{
	char path[48];
	int fd;

	if (!component_ok(name))
		return -EINVAL;
	if (src->trusted) {
		gsize n = mem_source_pid_name(path, pid), name_len = strlen(name);

		if (n + 1 + name_len >= sizeof path)
			return -ENAMETOOLONG;
		path[n] = '/';
		memcpy(path + n + 1, name, name_len + 1);
		fd = mem_source_open_retry(src->rootfd, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		return fd < 0 ? -errno : fd;
	}
	mem_source_pid_name(path, pid);
	int dirfd = mem_source_open_dir(src->rootfd, path);
	if (dirfd < 0)
		return dirfd;
	fd = mem_source_open_file(src, dirfd, name);
	close(dirfd);
	return fd;
}

/* /proc files report size 0 and are not seekable, so read until read() returns 0; or, for a `one_shot`
 * file of the real /proc, until a read returns less than the room it was given (doc/DECISIONS.md). */
int mem_source_read_fd(MemSource *src, int fd, gsize max, gboolean one_shot, gsize *len_out)
{
	gsize len = 0;

	if (!max || max > mem_source_max_file_size())
		max = mem_source_max_file_size();
	*len_out = 0;
	for (;;) {
		gsize room = mem_source_buffer_room(src, len);
		ssize_t n = read(fd, src->buf + len, room);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		if (n == 0)
			break;
		len += (gsize)n;
		if (len > max) {
			src->buf[len] = '\0';
			*len_out = len;
			return EFBIG;
		}
		if (one_shot && (gsize)n < room)
			break; /* the whole of the one record: the read that returns 0 would be a wasted syscall */
	}
	src->buf[len] = '\0';
	*len_out = len;
	return 0;
}

gboolean mem_source_pid_exited(const MemSource *src, int pidfd)
{
	char buf[512];
	const char *close_paren;
	ssize_t n;
	int fd = openat(pidfd, "stat", O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return errno == ESRCH || (errno == ENOENT && src->trusted);
	do
		n = read(fd, buf, sizeof buf - 1);
	while (n < 0 && errno == EINTR);
	close(fd);
	if (n <= 0)
		return n < 0 && errno == ESRCH;
	buf[n] = '\0';
	/* comm (at most 64 bytes) may hold ')': the state follows the last one */
	close_paren = strrchr(buf, ')');
	if (!close_paren || close_paren[1] != ' ' || !close_paren[2])
		return FALSE;
	if (strchr("ZXx", close_paren[2]))
		return TRUE;
	if (src->trusted) {
		/* Between exit_mm() and the zombie state the task still runs, without an mm: stat's vsize (the
		 * 23rd field, the 21st after the state) is then 0, which no live process has. */
		const char *p = close_paren + 2;
		guint field = 3;

		while (*p && field < 23)
			field += *p++ == ' ';
		return field == 23 && p[0] == '0' && (p[1] == ' ' || p[1] == '\0' || p[1] == '\n');
	}
	return FALSE;
}

gboolean mem_source_one_shot(const MemSource *src, MemFileId file)
{
	return src->trusted && (file & (MEM_FILE_STAT | MEM_FILE_STATUS | MEM_FILE_STATM | MEM_FILE_COMM |
	                                MEM_FILE_CGROUP | MEM_FILE_SMAPS_ROLLUP));
}

int mem_source_each_entry(int dirfd, gboolean (*func)(const char *name, gpointer data), gpointer data)
{
	union {
		struct dirent64 align;
		char bytes[32768];
	} dbuf;

	for (;;) {
		ssize_t n = getdents64(dirfd, dbuf.bytes, sizeof dbuf.bytes);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno;
		if (n == 0)
			return 0;
		for (ssize_t off = 0; off < n;) {
			const struct dirent64 *d = (const struct dirent64 *)(dbuf.bytes + off);

			off += d->d_reclen;
			if (!func(d->d_name, data))
				return 0;
		}
	}
}

/* Opens and reads one file below dirfd; returns 0 or an errno. */
int mem_source_read_file(MemSource *src, int dirfd, const char *name, gboolean one_shot, gsize *len)
{
	int fd = mem_source_open_file(src, dirfd, name);
	int err;

	*len = 0;
	if (fd < 0)
		return -fd;
	err = mem_source_read_fd(src, fd, 0, one_shot, len);
	close(fd);
	return err;
}

/* Reads up to `want` bytes of fd into dst, fewer only at the end of the file, on an error or when
 * *stop (may be NULL) is set; *total counts the file's bytes so far.  Sets *err when a read fails,
 * and EFBIG when the file passes `max` (the bytes below the bound are kept), *eof at the end.
 * Returns the bytes read.  Both smaps readers (a stream's thread, a scan thread's window) use it. */
gsize mem_source_read_chunk(int fd, char *dst, gsize want, gsize step, gsize max, gsize *total, int *err,
                            gboolean *eof, gint *stop)
{
	gsize got = 0;

	while (got < want && !(stop && g_atomic_int_get(stop))) {
		ssize_t n = read(fd, dst + got, step ? MIN(step, want - got) : want - got);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			*err = errno;
			break;
		}
		if (n == 0) {
			*eof = TRUE;
			break;
		}
		if ((gsize)n > max - *total) {
			n = (ssize_t)(max - *total);
			*err = EFBIG;
		}
		got += (gsize)n;
		*total += (gsize)n;
		if (*err)
			break;
	}
	return got;
}

/* A user-named input that is not a recording (a saved report, a budget file): one path as the user
 * gave it, so it may hold any number of components; what the rules guard against here is a FIFO that
 * never ends or blocks the open, a device with side effects, and unbounded memory. */
char *mem_source_read_input(const char *path, gsize max, gsize *len_out, GError **error)
{
	gboolean is_stdin = strcmp(path, "-") == 0;
	const char *what = is_stdin ? "stdin" : path;
	char *buf = NULL;
	gsize len = 0, cap = 0;
	struct stat st;
	int fd;

	*len_out = 0;
	fd = is_stdin ? STDIN_FILENO
	              : mem_source_open_retry(AT_FDCWD, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		mem_source_set_open_error(error, path, errno);
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !(S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) ||
	                            (is_stdin && S_ISCHR(st.st_mode)))) {
		g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "%s: not a regular file or a pipe", what);
		goto fail;
	}
	if (!is_stdin) /* O_NONBLOCK only kept the open of a FIFO without a writer from blocking */
		(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	for (;;) {
		ssize_t n;

		if (cap - len < 2) {
			cap = cap ? cap * 2 : 65536;
			buf = g_realloc(buf, cap);
		}
		n = read(fd, buf + len, MIN(cap - len - 1, max + 1 - len));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			g_set_error(error, MEM_ERROR, MEM_ERROR_IO, "%s: %s", what, g_strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		len += (gsize)n;
		if (len > max) {
			g_set_error(error, MEM_ERROR, MEM_ERROR_TOO_LARGE, "%s: larger than %" G_GSIZE_FORMAT " bytes",
			            what, max);
			goto fail;
		}
	}
	if (!is_stdin)
		close(fd);
	buf[len] = '\0';
	*len_out = len;
	return buf;
fail:
	if (!is_stdin)
		close(fd);
	g_free(buf);
	return NULL;
}
