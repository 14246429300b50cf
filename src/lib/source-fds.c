/* source-fds.c: the fd and shm-directory walk of a live source (the real /proc or --proc-root) through directory fds, bounded (source layer) */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "error.h"
#include "source-fds.h"
#include "source-private.h"

#define MAX_PIDS 4194304u
#define MAX_SHM_FILES 1048576u
#define MAX_FDINFO 65536

struct _MemFds {
	int proc_fd;
	int shm_fd;               /* -1 when there is no shm directory */
	char *proc_path, *shm_path;
};

static void set_errno_error(GError **error, int err, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static void set_errno_error(GError **error, int err, const char *fmt, ...)
{
	va_list ap;
	g_autofree char *what = NULL;

	va_start(ap, fmt);
	what = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(error, MEM_ERROR, mem_error_from_errno(err), "%s: %s", what, g_strerror(err));
}

static int open_dir_at(int dirfd, const char *name)
{
	int fd;

	do
		fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	return fd;
}

MemFds *mem_fds_open(const char *proc_root, const char *shm_dir, GError **error)
{
	g_autoptr(MemFds) f = g_new0(MemFds, 1);

	f->proc_path = g_strdup(proc_root ? proc_root : "/proc");
	f->shm_path = g_strdup(shm_dir ? shm_dir : "/dev/shm");
	f->shm_fd = -1;
	f->proc_fd = open_dir_at(AT_FDCWD, f->proc_path);
	if (f->proc_fd < 0) {
		set_errno_error(error, errno, "%s", f->proc_path);
		return NULL;
	}
	f->shm_fd = open_dir_at(AT_FDCWD, f->shm_path);
	if (f->shm_fd < 0 && errno != ENOENT) {
		set_errno_error(error, errno, "%s", f->shm_path);
		return NULL;
	}
	return g_steal_pointer(&f);
}

/* The shm directory of a --proc-root DIR: DIR/../dev/shm, each component without following a link
 * (-1 and errno when there is none). */
static int open_sibling_shm(int proc_fd)
{
	static const char *const walk[] = { "..", "dev", "shm" };
	int fd = proc_fd;

	for (gsize i = 0; i < G_N_ELEMENTS(walk); i++) {
		int next = open_dir_at(fd, walk[i]);
		int err = errno;

		if (fd != proc_fd)
			close(fd);
		if (next < 0) {
			errno = err;
			return -1;
		}
		fd = next;
	}
	return fd;
}

MemFds *mem_source_fds_open(MemSource *src, GError **error)
{
	g_autoptr(MemFds) f = NULL;

	if (!src) {
		g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "no source to walk the fds of");
		return NULL;
	}
	if (src->kind != MEM_SOURCE_LIVE || src->rootfd < 0) {
		g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID,
		            "%s: open fds and the shm directory are not in a recording (only a live /proc has them)",
		            src->display);
		return NULL;
	}
	f = g_new0(MemFds, 1);
	f->proc_path = g_strdup(src->display[0] ? src->display : "/");
	f->proc_fd = fcntl(src->rootfd, F_DUPFD_CLOEXEC, 0);
	if (f->proc_fd < 0) {
		set_errno_error(error, errno, "%s", f->proc_path);
		return NULL;
	}
	if (src->trusted) {
		f->shm_path = g_strdup("/dev/shm");
		f->shm_fd = open_dir_at(AT_FDCWD, f->shm_path);
	} else {
		f->shm_path = g_strconcat(f->proc_path, "/../dev/shm", NULL);
		f->shm_fd = open_sibling_shm(f->proc_fd);
	}
	if (f->shm_fd < 0 && errno != ENOENT) {
		set_errno_error(error, errno, "%s", f->shm_path);
		return NULL;
	}
	return g_steal_pointer(&f);
}

void mem_fds_free(MemFds *f)
{
	if (!f)
		return;
	if (f->proc_fd >= 0)
		close(f->proc_fd);
	if (f->shm_fd >= 0)
		close(f->shm_fd);
	g_free(f->proc_path);
	g_free(f->shm_path);
	g_free(f);
}

/* A DIR over a directory fd, leaving the fd to the caller. */
static DIR *dir_of(int fd)
{
	int d = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	DIR *dir;

	if (d < 0)
		return NULL;
	dir = fdopendir(d);
	if (!dir)
		close(d);
	return dir;
}

static gboolean parse_number(const char *s, guint64 max, guint64 *out)
{
	guint64 v = 0;

	if (!*s || (*s == '0' && s[1]))
		return FALSE;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return FALSE;
		v = v * 10 + (guint64)(*s - '0');
		if (v > max)
			return FALSE;
	}
	*out = v;
	return TRUE;
}

static int compare_u32(gconstpointer a, gconstpointer b)
{
	guint32 x = *(const guint32 *)a, y = *(const guint32 *)b;
	return x < y ? -1 : x > y;
}

GArray *mem_fds_pids(MemFds *f, GError **error)
{
	g_autoptr(GArray) pids = g_array_new(FALSE, FALSE, sizeof(guint32));
	DIR *dir = dir_of(f->proc_fd);
	struct dirent *de;

	if (!dir) {
		set_errno_error(error, errno, "%s", f->proc_path);
		return NULL;
	}
	rewinddir(dir);
	while ((de = readdir(dir)) != NULL && pids->len < MAX_PIDS) {
		guint64 v;
		if (parse_number(de->d_name, G_MAXUINT32, &v) && v > 0) {
			guint32 pid = (guint32)v;
			g_array_append_val(pids, pid);
		}
	}
	closedir(dir);
	g_array_sort(pids, compare_u32);
	return g_steal_pointer(&pids);
}

static void fd_entry_clear(gpointer data)
{
	MemFdEntry *e = data;
	g_free(e->target);
	e->target = NULL;
}

static void fill_stat(const struct stat *st, guint32 *maj, guint32 *min, guint64 *ino, guint64 *size,
                      guint64 *blocks)
{
	*maj = major(st->st_dev);
	*min = minor(st->st_dev);
	*ino = (guint64)st->st_ino;
	*size = st->st_size > 0 ? (guint64)st->st_size : 0;
	*blocks = st->st_blocks > 0 ? (guint64)st->st_blocks * 512u : 0;
}

/* Opens /proc/PID/<sub> as a directory. */
static int open_pid_dir(MemFds *f, guint32 pid, const char *sub, GError **error)
{
	char name[16];
	int pfd, fd, err;

	g_snprintf(name, sizeof name, "%u", pid);
	pfd = open_dir_at(f->proc_fd, name);
	if (pfd < 0) {
		set_errno_error(error, errno, "%s/%s", f->proc_path, name);
		return -1;
	}
	fd = open_dir_at(pfd, sub);
	err = errno;
	close(pfd);
	if (fd < 0)
		set_errno_error(error, err, "%s/%s/%s", f->proc_path, name, sub);
	return fd;
}

GArray *mem_fds_list(MemFds *f, guint32 pid, GError **error)
{
	g_autoptr(GArray) fds = g_array_new(FALSE, TRUE, sizeof(MemFdEntry));
	int dfd = open_pid_dir(f, pid, "fd", error);
	DIR *dir;
	struct dirent *de;
	char buf[PATH_MAX + 1];

	g_array_set_clear_func(fds, fd_entry_clear);
	if (dfd < 0)
		return NULL;
	dir = fdopendir(dfd);
	if (!dir) {
		set_errno_error(error, errno, "%s/%u/fd", f->proc_path, pid);
		close(dfd);
		return NULL;
	}
	errno = 0;
	while ((de = readdir(dir)) != NULL && fds->len < MEM_FDS_MAX) {
		MemFdEntry e = { 0 };
		struct stat st;
		guint64 v;
		ssize_t n;

		if (!parse_number(de->d_name, G_MAXINT32, &v))
			continue;
		n = readlinkat(dirfd(dir), de->d_name, buf, sizeof buf - 1);
		if (n < 0)
			continue; /* closed meanwhile */
		e.fd = (int)v;
		e.target = g_strndup(buf, (gsize)n);
		e.target_len = (gsize)n;
		/* Following the magic link is the point: it stats the open file itself. */
		if (fstatat(dirfd(dir), de->d_name, &st, 0) == 0) {
			e.has_stat = TRUE;
			e.mode = st.st_mode;
			fill_stat(&st, &e.dev_major, &e.dev_minor, &e.inode, &e.size, &e.blocks_bytes);
		}
		g_array_append_val(fds, e);
	}
	closedir(dir);
	return g_steal_pointer(&fds);
}

char *mem_fds_read_fdinfo(MemFds *f, guint32 pid, int fd, gsize *len, GError **error)
{
	char name[16];
	int dfd = open_pid_dir(f, pid, "fdinfo", error), ffd;
	g_autofree char *buf = NULL;
	gsize got = 0;

	if (dfd < 0)
		return NULL;
	g_snprintf(name, sizeof name, "%d", fd);
	ffd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	close(dfd);
	if (ffd < 0) {
		set_errno_error(error, errno, "%s/%u/fdinfo/%d", f->proc_path, pid, fd);
		return NULL;
	}
	buf = g_malloc(MAX_FDINFO + 1);
	for (;;) {
		ssize_t n = read(ffd, buf + got, MAX_FDINFO - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			set_errno_error(error, errno, "%s/%u/fdinfo/%d", f->proc_path, pid, fd);
			close(ffd);
			return NULL;
		}
		if (n == 0 || (got += (gsize)n) == MAX_FDINFO)
			break;
	}
	close(ffd);
	buf[got] = '\0';
	if (len)
		*len = got;
	return g_steal_pointer(&buf);
}

static void shm_file_clear(gpointer data)
{
	MemShmFile *s = data;
	g_free(s->name);
	s->name = NULL;
}

GArray *mem_fds_shm_files(MemFds *f, GError **error)
{
	g_autoptr(GArray) files = g_array_new(FALSE, TRUE, sizeof(MemShmFile));
	DIR *dir;
	struct dirent *de;

	g_array_set_clear_func(files, shm_file_clear);
	if (f->shm_fd < 0)
		return g_steal_pointer(&files);
	dir = dir_of(f->shm_fd);
	if (!dir) {
		set_errno_error(error, errno, "%s", f->shm_path);
		return NULL;
	}
	rewinddir(dir);
	while ((de = readdir(dir)) != NULL && files->len < MAX_SHM_FILES) {
		MemShmFile s = { 0 };
		struct stat st;
		int fd;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		fd = openat(f->shm_fd, de->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		if (fd < 0)
			continue; /* a link, a removed or a forbidden entry */
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
			s.name = g_strdup(de->d_name);
			fill_stat(&st, &s.dev_major, &s.dev_minor, &s.inode, &s.size, &s.blocks_bytes);
			g_array_append_val(files, s);
		}
		close(fd);
	}
	closedir(dir);
	return g_steal_pointer(&files);
}

gboolean mem_fds_shm_dev(MemFds *f, guint32 *maj, guint32 *min)
{
	struct stat st;

	if (f->shm_fd < 0 || fstat(f->shm_fd, &st) != 0)
		return FALSE;
	*maj = major(st.st_dev);
	*min = minor(st.st_dev);
	return TRUE;
}
