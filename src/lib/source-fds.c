/* source-fds.c: the fd and shm-directory walk of a source: live (the real /proc or --proc-root) through directory fds, or a recording's fds and dev-shm, bounded (source layer) */
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
#include "parse.h"
#include "source-fds.h"
#include "source-private.h"

#define MAX_PIDS 4194304u
#define MAX_SHM_FILES 1048576u
#define MAX_FDINFO 65536

/* A recorded pid's fds: the entries, or why there are none. */
typedef struct {
	GArray *fds;              /* MemFdEntry; NULL when err is set */
	int err;                  /* errno (a manifest's or a read's), or -1: garbled */
	gboolean from_manifest;
} RecPid;

struct _MemFds {
	int proc_fd;
	int shm_fd;               /* -1 when there is no shm directory */
	char *proc_path, *shm_path;
	/* a recording (proc_fd and shm_fd -1) */
	gboolean recorded;
	gboolean any;             /* some fds or dev-shm data, or a manifest line for them */
	GHashTable *rec_pids;     /* pid -> RecPid */
	GArray *rec_shm;          /* MemShmFile: the listing */
	gboolean shm_known;       /* the listing was read (or the manifest says there is no /dev/shm) */
	const char *shm_reason;   /* why not */
	gboolean has_shm_dev;
	guint32 shm_major, shm_minor;
	gboolean some_pids;       /* memcap.info says "pids selected" */
	GPtrArray *problems;      /* char* */
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

static void fd_entry_clear(gpointer data);
static void shm_file_clear(gpointer data);

static void rec_pid_free(gpointer data)
{
	RecPid *rp = data;

	if (rp->fds)
		g_array_unref(rp->fds);
	g_free(rp);
}

/* An empty walk of a recording, filled by mem_fds_take(). */
static MemFds *fds_new_recorded(const char *display)
{
	MemFds *f = g_new0(MemFds, 1);

	f->proc_fd = f->shm_fd = -1;
	f->proc_path = g_strdup(display);
	f->shm_path = g_strconcat(display, ":dev-shm", NULL);
	f->recorded = TRUE;
	f->rec_pids = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, rec_pid_free);
	f->rec_shm = g_array_new(FALSE, TRUE, sizeof(MemShmFile));
	g_array_set_clear_func(f->rec_shm, shm_file_clear);
	f->shm_reason = "not recorded";
	f->problems = g_ptr_array_new_with_free_func(g_free);
	return f;
}

guint32 mem_fds_wanted(const MemFds *f)
{
	return f->recorded ? MEM_FILE_FDS | MEM_FILE_DEV_SHM | MEM_FILE_MEMCAP_INFO : 0;
}

gboolean mem_fds_is_recorded(const MemFds *f)
{
	return f->recorded;
}

gboolean mem_fds_recorded_any(const MemFds *f)
{
	return f->recorded && f->any;
}

GPtrArray *mem_fds_problems(MemFds *f)
{
	return f->problems;
}

gboolean mem_fds_shm_listed(const MemFds *f, const char **reason)
{
	gboolean known = !f->recorded || f->shm_known;

	if (reason)
		*reason = known ? NULL : f->shm_reason;
	return known;
}

static void rec_problem(MemFds *f, const MemFile *file, const char *what)
{
	if (f->problems->len < 100)
		g_ptr_array_add(f->problems, g_strdup_printf("%s: %s", mem_file_path(file), what));
}

/* A recorded file's stat fields, as fill_stat() gives a live one's. */
static void rec_stat(const MemRecFile *r, guint32 *maj, guint32 *min, guint64 *ino, guint64 *size, guint64 *alloc)
{
	*maj = r->dev_major;
	*min = r->dev_minor;
	*ino = r->inode;
	*size = r->size;
	*alloc = r->alloc;
}

static void take_fds(MemFds *f, const MemFile *file)
{
	RecPid *rp = g_new0(RecPid, 1);
	g_autoptr(GError) err = NULL;
	g_autoptr(GArray) recs = NULL;

	/* a pid delivered twice (a hostile tar): the last word counts */
	g_hash_table_replace(f->rec_pids, GUINT_TO_POINTER(file->pid), rp);
	rp->err = file->err;
	rp->from_manifest = file->from_manifest;
	if (file->err) {
		if (file->from_manifest)
			f->any = TRUE;
		else if (file->err != ENOENT)
			rec_problem(f, file, g_strerror(file->err)); /* a link, a directory, too large: bad input */
		return;
	}
	f->any = TRUE;
	if (!(recs = mem_parse_rec_files(file->data, file->len, TRUE, &err))) {
		rec_problem(f, file, err->message);
		rp->err = -1;
		return;
	}
	rp->fds = g_array_sized_new(FALSE, TRUE, sizeof(MemFdEntry), recs->len);
	g_array_set_clear_func(rp->fds, fd_entry_clear);
	for (guint i = 0; i < recs->len && rp->fds->len < MEM_FDS_MAX; i++) {
		MemRecFile *r = &g_array_index(recs, MemRecFile, i);
		MemFdEntry e = { 0 };

		e.fd = (int)r->fd;
		e.target = g_steal_pointer(&r->name);
		e.target_len = r->name_len;
		e.has_stat = TRUE;
		e.mode = r->mode;
		rec_stat(r, &e.dev_major, &e.dev_minor, &e.inode, &e.size, &e.blocks_bytes);
		g_array_append_val(rp->fds, e);
	}
}

static void take_shm(MemFds *f, const MemFile *file)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GArray) recs = NULL;

	g_array_set_size(f->rec_shm, 0);
	f->has_shm_dev = FALSE;
	f->shm_known = FALSE;
	if (file->err) {
		if (file->from_manifest)
			f->any = TRUE;
		/* the recorder saw no /dev/shm: known and empty, as live */
		f->shm_known = file->from_manifest && file->err == ENOENT;
		f->shm_reason = !file->from_manifest && file->err == ENOENT ? "not recorded"
		                : mem_errno_name(file->err) ? mem_errno_name(file->err) : "unreadable";
		if (!file->from_manifest && file->err != ENOENT)
			rec_problem(f, file, g_strerror(file->err));
		return;
	}
	f->any = TRUE;
	if (!(recs = mem_parse_rec_files(file->data, file->len, FALSE, &err))) {
		rec_problem(f, file, err->message);
		f->shm_reason = "malformed";
		return;
	}
	f->shm_known = TRUE;
	for (guint i = 0; i < recs->len && f->rec_shm->len < MAX_SHM_FILES; i++) {
		MemRecFile *r = &g_array_index(recs, MemRecFile, i);
		MemShmFile sf = { 0 };

		if (r->name_len == 1 && r->name[0] == '.') {
			f->has_shm_dev = TRUE;
			f->shm_major = r->dev_major;
			f->shm_minor = r->dev_minor;
			continue;
		}
		/* only the regular files at the top of /dev/shm, as live */
		if ((r->mode & S_IFMT) != S_IFREG || memchr(r->name, '/', r->name_len))
			continue;
		sf.name = g_steal_pointer(&r->name);
		rec_stat(r, &sf.dev_major, &sf.dev_minor, &sf.inode, &sf.size, &sf.blocks_bytes);
		g_array_append_val(f->rec_shm, sf);
	}
}

gboolean mem_fds_all_pids(const MemFds *f)
{
	return !f->recorded || !f->some_pids;
}

gboolean mem_fds_take(MemFds *f, const MemFile *file)
{
	MemRecInfo info;

	if (!f->recorded)
		return FALSE;
	if (!file->pid && file->file == MEM_FILE_MEMCAP_INFO) {
		/* looked at, left to the consumer too; a garbled one says nothing here */
		if (!file->err && mem_parse_memcap_info(file->data, file->len, &info, NULL)) {
			f->some_pids = info.pids && strcmp(info.pids, "all") != 0;
			mem_rec_info_clear(&info);
		}
		return FALSE;
	}
	if (file->pid && file->file == MEM_FILE_FDS)
		take_fds(f, file);
	else if (!file->pid && file->file == MEM_FILE_DEV_SHM)
		take_shm(f, file);
	else
		return FALSE;
	return TRUE;
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
	if (src->kind != MEM_SOURCE_LIVE)
		return fds_new_recorded(src->display);
	if (src->rootfd < 0) {
		g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "%s: no proc root to walk the fds of", src->display);
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
	if (f->rec_pids)
		g_hash_table_unref(f->rec_pids);
	if (f->rec_shm)
		g_array_unref(f->rec_shm);
	if (f->problems)
		g_ptr_array_unref(f->problems);
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

GArray *mem_fds_pids(MemFds *f, GError **error)
{
	g_autoptr(GArray) pids = g_array_new(FALSE, FALSE, sizeof(guint32));
	DIR *dir;
	struct dirent *de;

	if (f->recorded) {
		GHashTableIter it;
		gpointer key;

		g_hash_table_iter_init(&it, f->rec_pids);
		while (g_hash_table_iter_next(&it, &key, NULL)) {
			guint32 pid = GPOINTER_TO_UINT(key);
			g_array_append_val(pids, pid);
		}
		g_array_sort(pids, mem_pid_compare);
		return g_steal_pointer(&pids);
	}
	if (!(dir = dir_of(f->proc_fd))) {
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
	g_array_sort(pids, mem_pid_compare);
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

/* A recorded pid's fds (a copy the caller owns), or why not. */
static GArray *rec_list(MemFds *f, guint32 pid, GError **error)
{
	RecPid *rp = g_hash_table_lookup(f->rec_pids, GUINT_TO_POINTER(pid));
	GArray *copy;

	if (!rp || (rp->err == ENOENT && !rp->from_manifest)) {
		g_set_error(error, MEM_ERROR, MEM_ERROR_NOT_FOUND, "%s:%u/fds: not recorded", f->proc_path, pid);
		return NULL;
	}
	if (rp->err < 0) {
		g_set_error(error, MEM_ERROR, MEM_ERROR_PARSE, "%s:%u/fds: malformed", f->proc_path, pid);
		return NULL;
	}
	if (rp->err) {
		if (rp->from_manifest)
			g_set_error(error, MEM_ERROR, mem_error_from_errno(rp->err), "%s:%u/fds: recorded as unreadable: %s",
			            f->proc_path, pid, g_strerror(rp->err));
		else
			g_set_error(error, MEM_ERROR, MEM_ERROR_IO, "%s:%u/fds: %s", f->proc_path, pid, g_strerror(rp->err));
		return NULL;
	}
	copy = g_array_sized_new(FALSE, TRUE, sizeof(MemFdEntry), rp->fds->len);
	g_array_set_clear_func(copy, fd_entry_clear);
	for (guint i = 0; i < rp->fds->len; i++) {
		MemFdEntry e = g_array_index(rp->fds, MemFdEntry, i);
		e.target = g_memdup2(e.target, e.target_len + 1);
		g_array_append_val(copy, e);
	}
	return copy;
}

GArray *mem_fds_list(MemFds *f, guint32 pid, GError **error)
{
	g_autoptr(GArray) fds = NULL;
	int dfd;
	DIR *dir;
	struct dirent *de;
	char buf[PATH_MAX + 1];

	if (f->recorded)
		return rec_list(f, pid, error);
	fds = g_array_new(FALSE, TRUE, sizeof(MemFdEntry));
	g_array_set_clear_func(fds, fd_entry_clear);
	if ((dfd = open_pid_dir(f, pid, "fd", error)) < 0)
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
	int dfd, ffd;
	g_autofree char *buf = NULL;
	gsize got = 0;

	if (f->recorded) {
		g_set_error(error, MEM_ERROR, MEM_ERROR_NOT_FOUND, "%s:%u: fdinfo is not recorded", f->proc_path, pid);
		return NULL;
	}
	if ((dfd = open_pid_dir(f, pid, "fdinfo", error)) < 0)
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
	if (f->recorded) {
		/* a copy: the caller owns it (empty when the listing is unknown: mem_fds_shm_listed) */
		for (guint i = 0; i < f->rec_shm->len; i++) {
			MemShmFile sf = g_array_index(f->rec_shm, MemShmFile, i);
			sf.name = g_strdup(sf.name);
			g_array_append_val(files, sf);
		}
		return g_steal_pointer(&files);
	}
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

	if (f->recorded) {
		*maj = f->shm_major;
		*min = f->shm_minor;
		return f->has_shm_dev;
	}
	if (f->shm_fd < 0 || fstat(f->shm_fd, &st) != 0)
		return FALSE;
	*maj = major(st.st_dev);
	*min = minor(st.st_dev);
	return TRUE;
}
