/* source.c: the proc source for the live /proc and snapshot directories, plus what tar sources share (source layer) */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "source-private.h"

static gsize max_file_size = MEM_SOURCE_MAX_FILE_SIZE;

gsize mem_source_max_file_size(void)
{
	return max_file_size;
}

void mem_source_set_max_file_size(gsize max)
{
	max_file_size = max ? max : MEM_SOURCE_MAX_FILE_SIZE;
}

/* Indexed by the bit number of a MemFileId. */
static const char *const pid_file_names[MEM_SOURCE_N_PID_FILES] = {
	"stat", "status", "statm", "cmdline", "comm", "cgroup", "smaps_rollup", "smaps", "maps",
};

static const struct {
	MemFileId file;
	const char *name;
} top_files[] = {
	{ MEM_FILE_MEMINFO, "meminfo" },
	{ MEM_FILE_VERSION, "version" },
	{ MEM_FILE_SYSVIPC_SHM, "sysvipc/shm" },
	{ MEM_FILE_PASSWD, "passwd" },
};

const char *mem_source_file_name(MemFileId file)
{
	for (guint i = 0; i < MEM_SOURCE_N_PID_FILES; i++)
		if (file == (1u << i))
			return pid_file_names[i];
	for (gsize i = 0; i < G_N_ELEMENTS(top_files); i++)
		if (file == top_files[i].file)
			return top_files[i].name;
	return NULL;
}

MemFileId mem_source_pid_file_from_name(const char *name, gsize len)
{
	for (guint i = 0; i < MEM_SOURCE_N_PID_FILES; i++)
		if (strlen(pid_file_names[i]) == len && memcmp(pid_file_names[i], name, len) == 0)
			return (MemFileId)(1u << i);
	return 0;
}

gboolean mem_source_parse_pid(const char *name, gsize len, guint32 *pid)
{
	guint64 v = 0;

	if (len == 0 || len > 10 || name[0] == '0')
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return FALSE;
		v = v * 10 + (guint64)(name[i] - '0');
	}
	if (v > G_MAXUINT32)
		return FALSE;
	*pid = (guint32)v;
	return TRUE;
}

gboolean mem_source_pid_selected(guint32 pid, const guint32 *pids, guint n_pids)
{
	guint lo = 0, hi = n_pids;

	if (!pids)
		return TRUE;
	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;

		if (pids[mid] == pid)
			return TRUE;
		if (pids[mid] < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return FALSE;
}

void mem_source_reserve(MemSource *src, gsize size)
{
	if (src->buf_size >= size + 1)
		return;
	src->buf = g_realloc(src->buf, size + 1);
	src->buf_size = size + 1;
}

gsize mem_source_buffer_room(MemSource *src, gsize len)
{
	gsize max = mem_source_max_file_size();

	if (src->buf_size == 0)
		mem_source_reserve(src, MIN(MEM_SOURCE_INITIAL_BUFFER - 1, max + 1));
	if (len + 1 >= src->buf_size)
		mem_source_reserve(src, MIN(src->buf_size * 2, max + 1));
	return MIN(src->buf_size - 1 - len, max + 1 - len);
}

void mem_source_parse_manifest(const char *data, gsize len, int errs[MEM_SOURCE_N_PID_FILES])
{
	const char *p = data, *end = data + len;

	memset(errs, 0, sizeof(int) * MEM_SOURCE_N_PID_FILES);
	while (p < end) {
		const char *nl = memchr(p, '\n', (gsize)(end - p));
		const char *le = nl ? nl : end;
		const char *f0, *f1, *e0, *e1;
		MemFileId file;

		f0 = p;
		while (f0 < le && (*f0 == ' ' || *f0 == '\t'))
			f0++;
		f1 = f0;
		while (f1 < le && *f1 != ' ' && *f1 != '\t' && *f1 != '\r')
			f1++;
		e0 = f1;
		while (e0 < le && (*e0 == ' ' || *e0 == '\t'))
			e0++;
		e1 = e0;
		while (e1 < le && *e1 != ' ' && *e1 != '\t' && *e1 != '\r')
			e1++;
		file = mem_source_pid_file_from_name(f0, (gsize)(f1 - f0));
		if (file && e1 > e0) {
			int err = mem_errno_from_name(e0, (gsize)(e1 - e0));

			errs[g_bit_nth_lsf(file, -1)] = err ? err : EIO;
		}
		p = nl ? nl + 1 : end;
	}
}

/* mem_source_deliver() with an optional stream (more, more_data). */
static gboolean deliver_full(MemSource *src, char sep, guint32 pid, MemFileId file, const char *data,
                             gsize len, int err, gboolean has_owner, guint32 owner_uid, MemMoreFunc more,
                             gpointer more_data, MemFileFunc func, gpointer user_data, GError **error)
{
	GString *p = src->pathbuf;
	GError *local = NULL;
	MemFile f;

	g_string_assign(p, src->display);
	g_string_append_c(p, sep);
	if (pid)
		g_string_append_printf(p, "%" G_GUINT32_FORMAT "/", pid);
	g_string_append(p, mem_source_file_name(file));
	f.pid = pid;
	f.file = file;
	f.data = err || !data ? "" : data;
	f.len = err || !data ? 0 : len;
	f.err = err;
	f.has_owner = has_owner;
	f.owner_uid = has_owner ? owner_uid : 0;
	f.path = p->str;
	f.more = err ? NULL : more;
	f.more_data = more_data;
	f.thread = src->worker;
	f.from_manifest = err && (src->manifest_files & file);
	f.skip = pid && src->can_skip ? &src->skip_files : NULL;
	if (func(&f, user_data, &local)) {
		g_clear_error(&local);
		return TRUE;
	}
	if (local)
		g_propagate_error(error, local);
	else
		g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "%s: scan stopped by its consumer", f.path);
	return FALSE;
}

gboolean mem_source_deliver(MemSource *src, char sep, guint32 pid, MemFileId file, const char *data,
                            gsize len, int err, gboolean has_owner, guint32 owner_uid, MemFileFunc func,
                            gpointer user_data, GError **error)
{
	return deliver_full(src, sep, pid, file, data, len, err, has_owner, owner_uid, NULL, NULL, func,
	                    user_data, error);
}

/* Defence in depth: we only open our own fixed names and pid numbers, never "." or ".." or a path. */
static gboolean component_ok(const char *name)
{
	return name[0] && strcmp(name, ".") != 0 && strcmp(name, "..") != 0 && !strchr(name, '/');
}

static int open_retry(int dirfd, const char *name, int flags)
{
	int fd;

	do
		fd = openat(dirfd, name, flags);
	while (fd < 0 && errno == EINTR);
	return fd;
}

/* Opens a directory below dirfd without following a symlink; returns an fd or -errno (ELOOP for a
 * symlink, which O_DIRECTORY alone reports as ENOTDIR). */
static int open_dir(int dirfd, const char *name)
{
	struct stat st;
	int fd, err;

	if (!component_ok(name))
		return -EINVAL;
	fd = open_retry(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
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
static int open_file(MemSource *src, int dirfd, const char *name)
{
	struct stat st;
	int fd;

	if (!component_ok(name))
		return -EINVAL;
	if (src->trusted)
		return (fd = open_retry(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0 ? -errno : fd;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	if (S_ISLNK(st.st_mode))
		return -ELOOP;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	fd = open_retry(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	return fd;
}

/* Reads fd to its end into the reusable buffer (NUL-terminated); returns 0 or an errno (EFBIG above
 * the bound).  /proc files report size 0 and are not seekable, so read until read() returns 0. */
static int read_fd(MemSource *src, int fd, gsize *len_out)
{
	gsize len = 0;

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
		if (len > mem_source_max_file_size())
			return EFBIG;
	}
	src->buf[len] = '\0';
	*len_out = len;
	return 0;
}

/* Opens and reads one file below dirfd; returns 0 or an errno. */
static int read_file(MemSource *src, int dirfd, const char *name, gsize *len)
{
	int fd = open_file(src, dirfd, name);
	int err;

	*len = 0;
	if (fd < 0)
		return -fd;
	err = read_fd(src, fd, len);
	close(fd);
	return err;
}

/* Whether the process of a live pid directory has exited (state Z or X, or, in the real /proc, its stat
 * gone): checked once smaps reaches its end, because the kernel ends the read of an exiting process's
 * smaps early and quietly, at a record boundary (the mm is gone), so a cut read looks whole.  A
 * --proc-root directory without stat is a fixture that lacks it, not a process gone. */
static gboolean pid_exited(const MemSource *src, int pidfd)
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

static int read_top_file(MemSource *src, MemFileId file, gsize *len)
{
	int dirfd, err;

	*len = 0;
	if (file != MEM_FILE_SYSVIPC_SHM)
		return read_file(src, src->rootfd, mem_source_file_name(file), len);
	dirfd = open_dir(src->rootfd, "sysvipc");
	if (dirfd < 0)
		return -dirfd;
	err = read_file(src, dirfd, "shm", len);
	close(dirfd);
	return err;
}

static int compare_pids(const void *a, const void *b)
{
	guint32 x = *(const guint32 *)a, y = *(const guint32 *)b;

	return x < y ? -1 : x > y;
}

/* Lists the pid entries of dirfd (all-digit names) into pids, sorted ascending.  With `found`, only
 * probes: stops at the first pid or meminfo entry and reports whether there was one. */
static gboolean list_pids(MemSource *src, int dirfd, GArray *pids, gboolean *found, GError **error)
{
	union {
		struct dirent64 align;
		char bytes[32768];
	} dbuf;

	if (found)
		*found = FALSE;
	if (lseek(dirfd, 0, SEEK_SET) < 0) {
		int err = errno;

		g_set_error(error, MEM_ERROR, MEM_ERROR_IO, "%s: cannot rewind the directory: %s", src->display,
		            g_strerror(err));
		return FALSE;
	}
	for (;;) {
		ssize_t n = getdents64(dirfd, dbuf.bytes, sizeof dbuf.bytes);

		if (n < 0) {
			int err = errno;

			if (err == EINTR)
				continue;
			g_set_error(error, MEM_ERROR,
			            mem_error_from_errno(err) == MEM_ERROR_PERMISSION ? MEM_ERROR_PERMISSION
			                                                              : MEM_ERROR_IO,
			            "%s: cannot list the directory: %s", src->display, g_strerror(err));
			return FALSE;
		}
		if (n == 0)
			break;
		for (ssize_t off = 0; off < n;) {
			const struct dirent64 *d = (const struct dirent64 *)(dbuf.bytes + off);
			guint32 pid;

			off += d->d_reclen;
			if (mem_source_parse_pid(d->d_name, strlen(d->d_name), &pid)) {
				if (found) {
					*found = TRUE;
					return TRUE;
				}
				g_array_append_val(pids, pid);
			} else if (found && strcmp(d->d_name, "meminfo") == 0) {
				*found = TRUE;
				return TRUE;
			}
		}
	}
	if (pids)
		g_array_sort(pids, compare_pids);
	return TRUE;
}

/* ---- MEM_SCAN_STREAM: smaps read on a helper thread while the consumer parses it ----
 *
 * The reader fills chunks and publishes each one when it is full (or the file ends); the consumer's
 * more() copies a published chunk into the window, a buffer of its own holding what the consumer kept
 * plus what arrived, and gives the chunk back for reuse.  Memory stays bounded: at most
 * STREAM_MAX_CHUNKS chunks (the reader runs ahead while the consumer reads the process's other files)
 * plus the longest run the consumer keeps (one smaps record).  The kernel writes slower into fresh
 * pages (a page fault each), so chunks are reused, and the first STREAM_STOCK chunks, those the reader
 * fills while the consumer is busy elsewhere, are faulted in by the consumer's thread. */

#define STREAM_CHUNK ((gsize)64 * 1024)
#define STREAM_MAX_CHUNKS 32
#define STREAM_STOCK 8     /* the reader fills 3 to 8 while the bench's big process's rollup is read */
#define STREAM_MAX_PIDS 8
/* The consumer looks for new chunks this often instead of being woken for each: a wake-up from the
 * reader would move it to the reader's CPU (wake-affine), where it would preempt the reader.  When
 * they share a CPU anyway (the others are busy), each look preempts the reader: it looks less often. */
#define STREAM_POLL_NS 250000
#define STREAM_POLL_SHARED_NS 2000000

typedef struct _Chunk Chunk;
struct _Chunk {
	Chunk *next;
	char *data;           /* STREAM_CHUNK bytes in the pool */
	gsize len;
};

typedef struct {
	int fd;
	gsize max;            /* the size bound of the file */
	char *pool;           /* a reservation for STREAM_MAX_CHUNKS chunks */
	Chunk chunks[STREAM_MAX_CHUNKS];
	/* Under lock: */
	Chunk *first, *last;  /* published, oldest first: the consumer's */
	Chunk *spare;         /* given back, for the reader to fill again */
	guint n_chunks;       /* chunks taken from the pool */
	int err;              /* with done */
	int pidfd;            /* live: the pid directory, to tell an exit from the end (pid_exited); else -1 */
	const MemSource *src;
	gboolean done;        /* nothing more will be published */
	gint stop;            /* atomic: the consumer has finished early */
	pthread_mutex_t lock;
	pthread_cond_t arrived;  /* the consumer waits for a chunk */
	pthread_cond_t room;     /* the reader waits for a chunk to fill */
	pthread_t thread;
	gboolean away;        /* the reader was started away from the caller's CPU: */
	cpu_set_t cpus;       /* the CPUs it may use once it runs */
	gint started;         /* atomic: the reader runs (and has let go of its first CPUs) */
	gint reader_cpu;      /* atomic: where the reader filled its last chunk, or -1 */
	/* The consumer's side only: its window is win[win_off, win_off + win_len). */
	char *win;
	gsize win_off, win_len, win_cap;
} Stream;

/* Reads up to `want` bytes of fd into dst, fewer only at the end of the file, on an error or when
 * *stop (may be NULL) is set; *total counts the file's bytes so far.  Sets *err when a read fails,
 * and EFBIG when the file passes `max` (the bytes below the bound are kept), *eof at the end.
 * Returns the bytes read.  Both smaps readers (a stream's thread, a scan thread's window) use it. */
static gsize read_chunk(int fd, char *dst, gsize want, gsize max, gsize *total, int *err, gboolean *eof,
                        gint *stop)
{
	gsize got = 0;

	while (got < want && !(stop && g_atomic_int_get(stop))) {
		ssize_t n = read(fd, dst + got, want - got);

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

static void *stream_reader(void *data)
{
	Stream *st = data;
	gsize total = 0;
	int err = 0;
	gboolean eof = FALSE, last = FALSE;

	g_atomic_int_set(&st->started, 1);
	if (st->away)
		pthread_setaffinity_np(pthread_self(), sizeof st->cpus, &st->cpus);
	while (!last) {
		Chunk *c;

		pthread_mutex_lock(&st->lock);
		while (!g_atomic_int_get(&st->stop) && !st->spare && st->n_chunks == STREAM_MAX_CHUNKS) {
			pthread_cond_signal(&st->arrived);
			pthread_cond_wait(&st->room, &st->lock);
		}
		c = st->spare;
		if (c)
			st->spare = c->next;
		else if (st->n_chunks < STREAM_MAX_CHUNKS)
			c = &st->chunks[st->n_chunks++];
		pthread_mutex_unlock(&st->lock);
		if (!c)
			break; /* stopped */
		/* c is the reader's until it is published. */
		c->len = read_chunk(st->fd, c->data, STREAM_CHUNK, st->max, &total, &err, &eof, &st->stop);
		if (eof && !err && st->pidfd >= 0 && pid_exited(st->src, st->pidfd))
			err = ESRCH; /* the end came from the exit: a cut read */
		g_atomic_int_set(&st->reader_cpu, sched_getcpu());
		pthread_mutex_lock(&st->lock);
		if (c->len == 0) {
			/* Nothing read (the end, an error, or the bound right at a chunk's start): a chunk is
			 * published with bytes, else the consumer would take it for the end. */
			c->next = st->spare;
			st->spare = c;
		} else {
			c->next = NULL;
			if (st->last)
				st->last->next = c;
			else
				st->first = c;
			st->last = c;
		}
		st->err = err;
		st->done = last = err || eof || g_atomic_int_get(&st->stop);
		/* Only the end (or a full pool) wakes the consumer (see STREAM_POLL_NS). */
		if (last)
			pthread_cond_signal(&st->arrived);
		pthread_mutex_unlock(&st->lock);
	}
	return NULL;
}

/* Makes room in the window for `add` more bytes at its end. */
static void stream_window_room(Stream *st, gsize add)
{
	if (st->win_off + st->win_len + add <= st->win_cap)
		return;
	if (st->win_off > 0) {
		memmove(st->win, st->win + st->win_off, st->win_len);
		st->win_off = 0;
	}
	if (st->win_len + add > st->win_cap) {
		/* A chunk and a record fit in the first window, which stays below malloc's mmap threshold: a
		 * window of its own mapping cost a munmap at the end. */
		gsize cap = MAX(st->win_cap, STREAM_CHUNK + STREAM_CHUNK / 2);

		while (cap < st->win_len + add)
			cap *= 2;
		st->win = g_realloc(st->win, cap);
		st->win_cap = cap;
	}
}

static gboolean stream_more(gpointer data, gsize done, const char **buf, gsize *len, GError **error)
{
	Stream *st = data;
	Chunk *c;
	int err;

	g_return_val_if_fail(*len == st->win_len && done <= *len, FALSE);
	pthread_mutex_lock(&st->lock);
	while (!st->done && !st->first) {
		gboolean shared = sched_getcpu() == g_atomic_int_get(&st->reader_cpu);
		struct timespec t;

		clock_gettime(CLOCK_MONOTONIC, &t);
		t.tv_nsec += shared ? STREAM_POLL_SHARED_NS : STREAM_POLL_NS;
		if (t.tv_nsec >= 1000000000) {
			t.tv_sec++;
			t.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&st->arrived, &st->lock, &t);
	}
	/* One chunk at a time, so that the window stays small even when many wait. */
	c = st->first;
	if (c) {
		st->first = c->next;
		if (!st->first)
			st->last = NULL;
	}
	err = st->err;
	pthread_mutex_unlock(&st->lock);
	if (!c && err) {
		g_set_error(error, MEM_ERROR, mem_error_from_errno(err), "read failed: %s", g_strerror(err));
		return FALSE;
	}
	st->win_off += done;
	st->win_len -= done;
	if (c) {
		/* A published chunk is the consumer's until it is given back. */
		stream_window_room(st, c->len);
		memcpy(st->win + st->win_off + st->win_len, c->data, c->len);
		st->win_len += c->len;
		pthread_mutex_lock(&st->lock);
		c->next = st->spare;
		st->spare = c;
		pthread_cond_signal(&st->room);
		pthread_mutex_unlock(&st->lock);
	}
	*buf = st->win ? st->win + st->win_off : "";
	*len = st->win_len;
	return TRUE;
}

/* Starts reading fd on a helper thread; NULL when no thread or pool could be had (the caller then
 * reads the file itself).  Takes fd over only on success. */
static Stream *stream_start(const MemSource *src, int fd, int pidfd)
{
	Stream *st = g_new0(Stream, 1);
	pthread_condattr_t attr;
	pthread_attr_t tattr;
	int cpu = sched_getcpu();

	st->fd = fd;
	st->pidfd = pidfd;
	st->src = src;
	st->max = mem_source_max_file_size();
	st->reader_cpu = -1;
	st->pool = mmap(NULL, STREAM_MAX_CHUNKS * STREAM_CHUNK, PROT_READ | PROT_WRITE,
	                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (st->pool == MAP_FAILED) {
		g_free(st);
		return NULL;
	}
	for (guint i = 0; i < STREAM_MAX_CHUNKS; i++)
		st->chunks[i].data = st->pool + i * STREAM_CHUNK;
	pthread_attr_init(&tattr);
	/* A new thread often starts on its creator's CPU and waits there, while the caller reads the other
	 * files, until the load balancer moves it (up to a tick): start it on another CPU, then let it go
	 * anywhere. */
	if (cpu >= 0 && pthread_getaffinity_np(pthread_self(), sizeof st->cpus, &st->cpus) == 0 &&
	    CPU_ISSET(cpu, &st->cpus) && CPU_COUNT(&st->cpus) > 1) {
		cpu_set_t away = st->cpus;

		CPU_CLR(cpu, &away);
		st->away = pthread_attr_setaffinity_np(&tattr, sizeof away, &away) == 0;
	}
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_mutex_init(&st->lock, NULL);
	pthread_cond_init(&st->arrived, &attr);
	pthread_condattr_destroy(&attr);
	pthread_cond_init(&st->room, NULL);
	if (pthread_create(&st->thread, &tattr, stream_reader, st) != 0) {
		pthread_attr_destroy(&tattr);
		pthread_mutex_destroy(&st->lock);
		pthread_cond_destroy(&st->arrived);
		pthread_cond_destroy(&st->room);
		munmap(st->pool, STREAM_MAX_CHUNKS * STREAM_CHUNK);
		g_free(st);
		return NULL;
	}
	pthread_attr_destroy(&tattr);
	/* Fault in the chunks the reader fills first while it fills the first one (before 5.14 the kernel
	 * refuses; the reader then faults them itself). */
	madvise(st->pool, STREAM_STOCK * STREAM_CHUNK, MADV_POPULATE_WRITE);
	return st;
}

/* Called when the consumer starts on the file: a reader that has not run yet (the other CPUs were
 * busy, or their vCPU stalled) may now run anywhere, the caller's CPU too. */
static void stream_unpin(Stream *st)
{
	if (st->away && !g_atomic_int_get(&st->started))
		pthread_setaffinity_np(st->thread, sizeof st->cpus, &st->cpus);
}

static void stream_finish(Stream *st)
{
	if (!st)
		return;
	g_atomic_int_set(&st->stop, 1);
	pthread_mutex_lock(&st->lock);
	pthread_cond_signal(&st->room);
	pthread_mutex_unlock(&st->lock);
	pthread_join(st->thread, NULL);
	close(st->fd);
	pthread_mutex_destroy(&st->lock);
	pthread_cond_destroy(&st->arrived);
	pthread_cond_destroy(&st->room);
	munmap(st->pool, STREAM_MAX_CHUNKS * STREAM_CHUNK);
	g_free(st->win);
	g_free(st);
}

/* ---- smaps read through a window by the delivering thread itself (MEM_SCAN_THREADS) ----
 *
 * With one thread per CPU the parallelism is across pids, so each thread reads its smaps itself, a
 * chunk (STREAM_CHUNK) at a time into its reused buffer, and the consumer parses chunk by chunk (the
 * MemMoreFunc protocol of streams): the buffer holds one chunk plus the record being parsed instead of
 * the whole file, and it stays in the cache.  Read into fresh pages, a 3.8 MB smaps cost the kernel 17% more. */

typedef struct {
	MemSource *src;       /* the window is src->buf[off, off + len) */
	int fd;
	gsize off, len;
	gsize total;          /* bytes read from the file */
	gboolean eof;
	int err;              /* a read failed, or the file passed the bound: the next more() says so */
	int pidfd;            /* live: the pid directory, to tell an exit from the end (pid_exited); else -1 */
} Window;

static gboolean window_more(gpointer data, gsize done, const char **buf, gsize *len, GError **error)
{
	Window *w = data;
	MemSource *src = w->src;

	g_return_val_if_fail(*len == w->len && done <= w->len, FALSE);
	if (w->err) {
		g_set_error(error, MEM_ERROR, mem_error_from_errno(w->err), "read failed: %s", g_strerror(w->err));
		return FALSE;
	}
	w->off += done;
	w->len -= done;
	if (!w->eof) {
		gsize got;

		if (w->off > 0) {
			memmove(src->buf, src->buf + w->off, w->len);
			w->off = 0;
		}
		mem_source_reserve(src, w->len + STREAM_CHUNK);
		/* The bytes below the bound are handed over, then the error. */
		got = read_chunk(w->fd, src->buf + w->len, STREAM_CHUNK, mem_source_max_file_size(), &w->total, &w->err,
		                 &w->eof, NULL);
		if (w->eof && !w->err && w->pidfd >= 0 && pid_exited(src, w->pidfd))
			w->err = ESRCH; /* the end came from the exit: a cut read */
		w->len += got;
		if (got == 0 && w->err) {
			/* Nothing new to hand over: fail now, the window as it is. */
			*buf = src->buf;
			*len = w->len;
			g_set_error(error, MEM_ERROR, mem_error_from_errno(w->err), "read failed: %s", g_strerror(w->err));
			return FALSE;
		}
	}
	*buf = src->buf ? src->buf + w->off : "";
	*len = w->len;
	return TRUE;
}

/* Delivers every wanted file of one pid directory, in MemFileId bit order. */
static gboolean scan_pid(MemSource *src, guint32 pid, guint32 want, MemScanFlags flags, MemFileFunc func,
                         gpointer user_data, GError **error)
{
	int errs[MEM_SOURCE_N_PID_FILES] = { 0 };
	gboolean fallback = (flags & MEM_SCAN_SMAPS_FALLBACK) && (want & MEM_FILE_SMAPS);
	gboolean has_owner = FALSE;
	guint32 owner = 0;
	int rollup_err = -1;
	int smaps_bit = g_bit_nth_lsf(MEM_FILE_SMAPS, -1);
	Stream *stream = NULL;
	char name[16];
	struct stat st;
	int pidfd;

	src->manifest_files = 0;
	src->skip_files = 0;
	src->can_skip = TRUE;
	g_snprintf(name, sizeof name, "%" G_GUINT32_FORMAT, pid);
	pidfd = open_dir(src->rootfd, name);
	if (pidfd < 0) {
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
	if (fstat(pidfd, &st) == 0) {
		has_owner = TRUE;
		owner = (guint32)st.st_uid;
	}
	if (!src->trusted) {
		gsize len;

		if (read_file(src, pidfd, "memcap.errors", &len) == 0)
			mem_source_parse_manifest(src->buf, len, errs);
		for (guint i = 0; i < MEM_SOURCE_N_PID_FILES; i++)
			if (errs[i])
				src->manifest_files |= 1u << i;
	}
	if ((flags & MEM_SCAN_STREAM) && (want & MEM_FILE_SMAPS) && !fallback && !errs[smaps_bit]) {
		/* Start smaps first: the kernel produces it while the smaller files are read here. */
		int fd = open_file(src, pidfd, pid_file_names[smaps_bit]);

		if (fd < 0)
			errs[smaps_bit] = -fd;
		else if (!(stream = stream_start(src, fd, src->kind == MEM_SOURCE_LIVE ? pidfd : -1)))
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
				int fd = errs[rollup] ? -errs[rollup] : open_file(src, pidfd, pid_file_names[rollup]);

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
		if (file == MEM_FILE_SMAPS && stream && !(src->skip_files & file)) {
			/* An empty first window: the consumer's more() brings the file in. */
			gboolean ok;

			stream_unpin(stream);
			ok = deliver_full(src, '/', pid, file, "", 0, 0, has_owner, owner, stream_more, stream, func,
			                  user_data, error);
			stream_finish(stream);
			stream = NULL;
			if (!ok) {
				close(pidfd);
				return FALSE;
			}
			continue;
		}
		if (file == MEM_FILE_SMAPS && (flags & MEM_SCAN_THREADS) && !errs[i]) {
			int fd = open_file(src, pidfd, pid_file_names[i]);

			if (fd >= 0) {
				/* An empty first window: the consumer's more() brings the file in. */
				Window win = { src, fd, 0, 0, 0, FALSE, 0, src->kind == MEM_SOURCE_LIVE ? pidfd : -1 };
				gboolean ok = deliver_full(src, '/', pid, file, "", 0, 0, has_owner, owner, window_more, &win,
				                           func, user_data, error);
				close(fd);
				if (!ok) {
					stream_finish(stream);
					close(pidfd);
					return FALSE;
				}
				continue;
			}
			errs[i] = -fd;
		}
		if (file == MEM_FILE_STAT && src->pre_stat) {
			/* Read already (MEM_SCAN_THREADS weighs pids by it): deliver that reading. */
			err = errs[i] ? errs[i] : src->pre_stat->err;
			data = src->pre_stat->data;
			len = src->pre_stat->len;
		} else {
			err = errs[i] ? errs[i] : read_file(src, pidfd, pid_file_names[i], &len);
			data = src->buf;
			if (file == MEM_FILE_SMAPS && !err && src->kind == MEM_SOURCE_LIVE && pid_exited(src, pidfd))
				err = ESRCH; /* the end came from the exit: a cut read */
		}
		if (file == MEM_FILE_SMAPS_ROLLUP)
			rollup_err = err;
		if (!mem_source_deliver(src, '/', pid, file, data, len, err, has_owner, owner, func, user_data,
		                        error)) {
			stream_finish(stream);
			close(pidfd);
			return FALSE;
		}
	}
	stream_finish(stream);
	close(pidfd);
	return TRUE;
}

/* ---- MEM_SCAN_THREADS: pids read and delivered on several threads ---- */

typedef struct {
	const guint32 *list;  /* the pids, ascending */
	guint n;
	guint64 *weights;     /* per pid of list: resident pages, the cost estimate that orders the reads */
	MemPreStat *stats;    /* per pid of list: its stat, read while weighing (NULL: weighed by statm) */
	gint next_weight;     /* atomic: index of the next pid to weigh */
	guint32 *order;       /* indexes into list, heaviest first: read in this order */
	gint next;            /* atomic: index in order of the next pid to read */
	gint stop;            /* atomic: a consumer stopped the scan */
	guint32 want;
	MemScanFlags flags;
	MemFileFunc func;
	gpointer user_data;
	pthread_mutex_t lock; /* plain pthreads: glib's futex-based GMutex is opaque to ThreadSanitizer */
	pthread_cond_t cond;
	guint running;        /* under lock: threads taking part (0 until all were started) */
	guint weighed;        /* under lock: threads done weighing */
	gboolean ordered;     /* under lock: order is ready */
	GError *error;        /* under lock: the first consumer error */
} Workers;

typedef struct {
	Workers *w;
	MemSource src;        /* this thread's view of the source: its own buffers, the same root */
} Worker;

/* The number at 0-based position `index` of a line of space-separated numbers; 0 when absent. */
static guint64 nth_number(const char *p, const char *end, guint index)
{
	guint64 v = 0;

	for (; index > 0 && p < end; p++)
		if (*p == ' ')
			index--;
	for (; p < end && (unsigned char)(*p - '0') < 10 && v < G_MAXUINT64 / 100; p++)
		v = v * 10 + (guint64)(*p - '0');
	return v;
}

/* What reading a pid will cost, roughly: its resident pages (the kernel's page walks behind smaps and
 * smaps_rollup, and the mappings behind smaps, grow with it).  From stat when the scan wants stat
 * anyway (kept in *pre and delivered later, so weighing costs no extra read), else from statm.  Only a
 * scheduling hint: 0 when unknown. */
static guint64 pid_weight(MemSource *src, guint32 pid, MemPreStat *pre)
{
	const char *file = pre ? "stat" : "statm";
	char name[32];
	gsize len;
	guint64 v = 0;
	int err;

	if (src->trusted) {
		/* The real /proc: "PID/stat" in one open (a pid directory is the kernel's, never a link). */
		int fd;

		g_snprintf(name, sizeof name, "%" G_GUINT32_FORMAT "/%s", pid, file);
		fd = open_retry(src->rootfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			err = errno;
		} else {
			err = read_fd(src, fd, &len);
			close(fd);
		}
	} else {
		int dirfd;

		g_snprintf(name, sizeof name, "%" G_GUINT32_FORMAT, pid);
		if ((dirfd = open_dir(src->rootfd, name)) < 0) {
			err = -dirfd;
		} else {
			err = read_file(src, dirfd, file, &len);
			close(dirfd);
		}
	}
	if (pre) {
		pre->err = err;
		if (!err) {
			/* "pid (comm) S ppid ...": rss is the 22nd field after the comm's last ')'. */
			const char *rp = src->buf + len;
			while (rp > src->buf && rp[-1] != ')')
				rp--;
			rp = rp > src->buf ? rp - 1 : NULL;
			pre->data = g_memdup2(src->buf, len + 1); /* with read_fd's NUL, as a MemFile's data */
			pre->len = len;
			if (rp && rp + 2 < src->buf + len)
				v = nth_number(rp + 2, src->buf + len, 21);
		}
	} else if (!err) {
		v = nth_number(src->buf, src->buf + len, 1);
	}
	return v;
}

static int compare_weighted(gconstpointer a, gconstpointer b)
{
	const guint64 *x = a, *y = b; /* { weight, index } */
	if (x[0] != y[0])
		return x[0] > y[0] ? -1 : 1;
	return x[1] < y[1] ? -1 : x[1] > y[1];
}

/* Longest first: a few big processes read last would leave one thread reading alone at the end (one
 * file cannot be shared between threads).  The threads weigh the pids together; the last one done
 * orders them.  Only for smaps, whose cost varies a thousandfold between processes (one line per
 * field per mapping); weighing costs a statm read per pid, more than it saves for smaps_rollup. */
static void weigh_pids(Worker *k)
{
	Workers *w = k->w;

	if (!w->weights)
		return;
	for (;;) {
		gint i = g_atomic_int_add(&w->next_weight, 1);
		if (i < 0 || (guint)i >= w->n)
			break;
		w->weights[i] = pid_weight(&k->src, w->list[i], w->stats ? &w->stats[i] : NULL);
	}
	pthread_mutex_lock(&w->lock);
	w->weighed++;
	if (w->running && w->weighed == w->running) {
		guint64 *pairs = g_new(guint64, 2 * (gsize)w->n);
		for (guint i = 0; i < w->n; i++) {
			pairs[2 * i] = w->weights[i];
			pairs[2 * i + 1] = i; /* list is ascending: ties go by pid */
		}
		qsort(pairs, w->n, 2 * sizeof(guint64), compare_weighted);
		for (guint i = 0; i < w->n; i++)
			w->order[i] = (guint32)pairs[2 * i + 1];
		g_free(pairs);
		w->ordered = TRUE;
		pthread_cond_broadcast(&w->cond);
	}
	while (!w->ordered)
		pthread_cond_wait(&w->cond, &w->lock);
	pthread_mutex_unlock(&w->lock);
}

static gpointer worker_run(gpointer data)
{
	Worker *k = data;
	Workers *w = k->w;

	weigh_pids(k);
	while (!g_atomic_int_get(&w->stop)) {
		gint i = g_atomic_int_add(&w->next, 1);
		GError *local = NULL;
		gboolean ok;

		if (i < 0 || (guint)i >= w->n)
			break;
		k->src.pre_stat = w->stats ? &w->stats[w->order[i]] : NULL;
		ok = scan_pid(&k->src, w->list[w->order[i]], w->want, w->flags, w->func, w->user_data, &local);
		if (w->stats) {
			g_free(w->stats[w->order[i]].data);
			w->stats[w->order[i]].data = NULL;
		}
		k->src.pre_stat = NULL;
		if (!ok) {
			g_atomic_int_set(&w->stop, 1);
			pthread_mutex_lock(&w->lock);
			if (!w->error)
				w->error = local;
			else
				g_clear_error(&local);
			pthread_mutex_unlock(&w->lock);
			break;
		}
	}
	return NULL;
}

guint mem_source_threads(const MemSource *src, MemScanFlags flags)
{
	if (!(flags & MEM_SCAN_THREADS) || src->kind == MEM_SOURCE_TAR)
		return 1;
	return CLAMP(g_get_num_processors(), 1, MEM_SCAN_MAX_THREADS);
}

static gboolean scan_threads(MemSource *src, GArray *list, guint32 want, MemScanFlags flags,
                             MemFileFunc func, gpointer user_data, GError **error)
{
	guint n = MIN(mem_source_threads(src, flags), MAX(list->len, 1u)), running = 1;
	Workers w;
	Worker *k = g_new0(Worker, n);
	GThread **threads = g_new0(GThread *, n);

	memset(&w, 0, sizeof w);
	w.list = (const guint32 *)list->data;
	w.n = list->len;
	w.order = g_new0(guint32, MAX(list->len, 1u));
	if (want & MEM_FILE_SMAPS) {
		w.weights = g_new0(guint64, MAX(list->len, 1u));
		if (want & MEM_FILE_STAT)
			w.stats = g_new0(MemPreStat, MAX(list->len, 1u));
	} else {
		for (guint i = 0; i < list->len; i++)
			w.order[i] = i;
	}
	w.want = want;
	w.flags = flags & ~(guint)MEM_SCAN_STREAM;
	w.func = func;
	w.user_data = user_data;
	pthread_mutex_init(&w.lock, NULL);
	pthread_cond_init(&w.cond, NULL);

	for (guint t = 0; t < n; t++) {
		k[t].w = &w;
		k[t].src = *src;
		k[t].src.worker = t;
		if (t > 0) {
			k[t].src.buf = NULL;
			k[t].src.buf_size = 0;
			k[t].src.pathbuf = g_string_new(NULL);
			threads[t] = g_thread_try_new("memps-reader", worker_run, &k[t], NULL);
			running += threads[t] != NULL;
		}
	}
	/* The calling thread is worker 0; a thread that could not start leaves its share to the others. */
	pthread_mutex_lock(&w.lock);
	w.running = running;
	pthread_mutex_unlock(&w.lock);
	worker_run(&k[0]);
	src->buf = k[0].src.buf;
	src->buf_size = k[0].src.buf_size;
	for (guint t = 1; t < n; t++) {
		if (threads[t])
			g_thread_join(threads[t]);
		g_free(k[t].src.buf);
		g_string_free(k[t].src.pathbuf, TRUE);
	}
	pthread_mutex_destroy(&w.lock);
	pthread_cond_destroy(&w.cond);
	if (w.stats)
		for (guint i = 0; i < w.n; i++)
			g_free(w.stats[i].data);
	g_free(w.stats);
	g_free(w.weights);
	g_free(w.order);
	g_free(threads);
	g_free(k);
	if (w.error) {
		g_propagate_error(error, w.error);
		return FALSE;
	}
	return TRUE;
}

static gboolean scan_dir(MemSource *src, guint32 want, MemScanFlags flags, const guint32 *pids,
                         guint n_pids, MemFileFunc func, gpointer user_data, GError **error)
{
	guint32 pid_want = want & ((1u << MEM_SOURCE_N_PID_FILES) - 1);
	g_autoptr(GArray) all = NULL;

	for (gsize i = 0; i < G_N_ELEMENTS(top_files); i++) {
		gsize len;
		int err;

		if (!(want & top_files[i].file))
			continue;
		err = read_top_file(src, top_files[i].file, &len);
		if (!mem_source_deliver(src, '/', 0, top_files[i].file, src->buf, len, err, FALSE, 0, func,
		                        user_data, error))
			return FALSE;
	}
	if (!pid_want)
		return TRUE;
	all = g_array_new(FALSE, FALSE, sizeof(guint32));
	if (pids && n_pids <= 64) {
		/* A few named pids: look them up directly instead of listing the whole directory; a pid
		 * that does not exist is left out, as the listing would have. */
		for (guint i = 0; i < n_pids; i++) {
			char name[16];
			struct stat st;

			g_snprintf(name, sizeof name, "%" G_GUINT32_FORMAT, pids[i]);
			if (fstatat(src->rootfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode))
				g_array_append_val(all, pids[i]);
		}
	} else if (!list_pids(src, src->rootfd, all, NULL, error)) {
		return FALSE;
	} else if (pids) {
		/* A thread's directory is there though readdir lists processes only: a named pid the listing
		 * lacks is looked up (the model resolves a thread to its process). */
		guint listed = all->len;

		for (guint i = 0; i < n_pids; i++) {
			char name[16];
			struct stat st;

			if (bsearch(&pids[i], all->data, listed, sizeof(guint32), compare_pids))
				continue;
			g_snprintf(name, sizeof name, "%" G_GUINT32_FORMAT, pids[i]);
			if (fstatat(src->rootfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode))
				g_array_append_val(all, pids[i]);
		}
		if (all->len > listed)
			g_array_sort(all, (GCompareFunc)compare_pids);
	}
	/* A stream costs a thread and a chunk pool per file: worth it for a few big files (one process's
	 * smaps), not for every process of the system, where the reading threads already run in
	 * parallel (and read smaps through a window themselves). */
	if ((flags & MEM_SCAN_STREAM) && (!pids || n_pids > STREAM_MAX_PIDS))
		flags &= ~(guint)MEM_SCAN_STREAM;
	/* With streams the few pids are read by the calling thread, each overlapped with its parsing by
	 * its stream's reader. */
	if ((flags & MEM_SCAN_THREADS) && !(flags & MEM_SCAN_STREAM) && mem_source_threads(src, flags) > 1) {
		g_autoptr(GArray) chosen = g_array_new(FALSE, FALSE, sizeof(guint32));
		for (guint i = 0; i < all->len; i++) {
			guint32 pid = g_array_index(all, guint32, i);
			if (mem_source_pid_selected(pid, pids, n_pids))
				g_array_append_val(chosen, pid);
		}
		return scan_threads(src, chosen, pid_want, flags, func, user_data, error);
	}
	for (guint i = 0; i < all->len; i++) {
		guint32 pid = g_array_index(all, guint32, i);

		if (!mem_source_pid_selected(pid, pids, n_pids))
			continue;
		if (!scan_pid(src, pid, pid_want, flags, func, user_data, error))
			return FALSE;
	}
	return TRUE;
}

static char *display_of(const char *path)
{
	gsize len = strlen(path);

	while (len > 1 && path[len - 1] == '/')
		len--;
	if (len == 1 && path[0] == '/')
		len = 0;
	return g_strndup(path, len);
}

static MemSource *source_new(MemSourceKind kind, const char *path, const char *display)
{
	MemSource *src = g_new0(MemSource, 1);

	src->kind = kind;
	src->path = g_strdup(path);
	src->display = display_of(display);
	src->rootfd = -1;
	src->tarfd = -1;
	src->pathbuf = g_string_sized_new(64);
	return src;
}

static void set_open_error(GError **error, const char *path, int err)
{
	MemErrorCode code;

	switch (err) {
	case ENOENT:
	case ENOTDIR:
		code = MEM_ERROR_NOT_FOUND;
		break;
	case EACCES:
	case EPERM:
		code = MEM_ERROR_PERMISSION;
		break;
	default:
		code = MEM_ERROR_IO;
		break;
	}
	g_set_error(error, MEM_ERROR, code, "cannot open %s: %s", path, g_strerror(err));
}

static MemSource *open_root(MemSourceKind kind, const char *dir, const char *path, gboolean trusted,
                            GError **error)
{
	MemSource *src;
	int fd;

	do
		fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0) {
		set_open_error(error, dir, errno);
		return NULL;
	}
	src = source_new(kind, path, dir);
	src->rootfd = fd;
	src->trusted = trusted;
	return src;
}

MemSource *mem_source_open_proc_root(const char *dir, GError **error)
{
	g_return_val_if_fail(dir != NULL, NULL);
	return open_root(MEM_SOURCE_LIVE, dir, dir, FALSE, error);
}

/* A snapshot directory: its own root, or its "proc/" when the root holds neither pids nor meminfo. */
static MemSource *open_snapshot_dir(const char *path, int fd, GError **error)
{
	MemSource *src = source_new(MEM_SOURCE_DIR, path, path);
	gboolean found;
	int sub;

	src->rootfd = fd;
	if (!list_pids(src, fd, NULL, &found, error)) {
		mem_source_free(src);
		return NULL;
	}
	if (!found && (sub = open_dir(fd, "proc")) >= 0) {
		char *display = g_strconcat(src->display, "/proc", NULL);

		close(fd);
		src->rootfd = sub;
		g_free(src->display);
		src->display = display;
	}
	return src;
}

MemSource *mem_source_open(const char *path, GError **error)
{
	MemSource *src;
	struct stat st;
	int fd;

	if (!path)
		return open_root(MEM_SOURCE_LIVE, "/proc", NULL, TRUE, error);
	if (strcmp(path, "-") == 0) {
		if (!mem_source_tar_load(error))
			return NULL;
		src = source_new(MEM_SOURCE_TAR, path, "stdin");
		src->tarfd = STDIN_FILENO;
		src->is_stdin = TRUE;
		return src;
	}
	do
		fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0) {
		set_open_error(error, path, errno);
		return NULL;
	}
	if (fstat(fd, &st) < 0) {
		int err = errno;

		close(fd);
		set_open_error(error, path, err);
		return NULL;
	}
	if (S_ISDIR(st.st_mode))
		return open_snapshot_dir(path, fd, error);
	if (!mem_source_tar_load(error)) {
		close(fd);
		return NULL;
	}
	src = source_new(MEM_SOURCE_TAR, path, path);
	src->tarfd = fd;
	return src;
}

void mem_source_free(MemSource *src)
{
	if (!src)
		return;
	if (src->rootfd >= 0)
		close(src->rootfd);
	if (src->tarfd >= 0 && !src->is_stdin)
		close(src->tarfd);
	g_free(src->path);
	g_free(src->display);
	g_free(src->buf);
	g_string_free(src->pathbuf, TRUE);
	g_free(src);
}

MemSourceKind mem_source_kind(const MemSource *src)
{
	return src->kind;
}

const char *mem_source_path(const MemSource *src)
{
	return src->path;
}

gboolean mem_source_scan(MemSource *src, guint32 want, MemScanFlags flags, const guint32 *pids,
                         guint n_pids, MemFileFunc func, gpointer user_data, GError **error)
{
	g_return_val_if_fail(src != NULL && func != NULL, FALSE);

	if (!pids)
		n_pids = 0;
	for (guint i = 1; i < n_pids; i++) {
		if (pids[i - 1] > pids[i]) {
			g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "the pid selection is not sorted");
			return FALSE;
		}
	}
	if (src->kind != MEM_SOURCE_TAR) {
		src->n_scans++;
		return scan_dir(src, want, flags, pids, n_pids, func, user_data, error);
	}
	if (src->n_scans > 0) {
		if (src->is_stdin || lseek(src->tarfd, 0, SEEK_SET) < 0) {
			g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID,
			            "%s: a tar stream can be read only once", src->display);
			return FALSE;
		}
	}
	src->n_scans++;
	return mem_source_tar_scan(src, want, flags, pids, n_pids, func, user_data, error);
}
