/* source-common.c: what every source backend shares: file names, pid selection, the read buffer, manifests, delivery (source layer) */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
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
	"stat", "status", "statm", "cmdline", "comm", "cgroup", "smaps_rollup", "smaps", "maps", "fds",
};

const MemFileId mem_source_top_files[MEM_SOURCE_N_TOP_FILES] = {
	MEM_FILE_MEMINFO, MEM_FILE_VERSION, MEM_FILE_SYSVIPC_SHM, MEM_FILE_PASSWD, MEM_FILE_DEV_SHM,
	MEM_FILE_MEMCAP_INFO, MEM_FILE_ZRAM,
};

/* Indexed like mem_source_top_files. */
static const char *const top_file_names[MEM_SOURCE_N_TOP_FILES] = {
	"meminfo", "version", "sysvipc/shm", "passwd", "dev-shm", "memcap.info", "zram",
};

int mem_source_top_index(MemFileId file)
{
	for (int i = 0; i < MEM_SOURCE_N_TOP_FILES; i++)
		if (mem_source_top_files[i] == file)
			return i;
	return -1;
}

static int top_index_from_name(const char *name, gsize len)
{
	for (int i = 0; i < MEM_SOURCE_N_TOP_FILES; i++)
		if (strlen(top_file_names[i]) == len && memcmp(top_file_names[i], name, len) == 0)
			return i;
	return -1;
}

const char *mem_source_file_name(MemFileId file)
{
	for (guint i = 0; i < MEM_SOURCE_N_PID_FILES; i++)
		if (file == (1u << i))
			return pid_file_names[i];
	for (gsize i = 0; i < G_N_ELEMENTS(mem_source_top_files); i++)
		if (file == mem_source_top_files[i])
			return top_file_names[i];
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

gsize mem_source_pid_name(char name[MEM_SOURCE_PID_NAME], guint32 pid)
{
	char rev[10];
	gsize n = 0, len = 0;

	do
		rev[n++] = (char)('0' + pid % 10);
	while ((pid /= 10) != 0);
	while (n > 0)
		name[len++] = rev[--n];
	name[len] = '\0';
	return len;
}

guint mem_cpu_count(void)
{
	static gint count; /* atomic; 0: not looked up yet */
	gint n = g_atomic_int_get(&count);

	if (n == 0) {
		cpu_set_t set;

		n = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 1;
		n = MAX(n, 1);
		g_atomic_int_set(&count, n);
	}
	return (guint)n;
}

int mem_pid_compare(const void *a, const void *b)
{
	guint32 x = *(const guint32 *)a, y = *(const guint32 *)b;

	return x < y ? -1 : x > y;
}

gboolean mem_pids_sorted(const guint32 *pids, guint n)
{
	for (guint i = 1; i < n; i++)
		if (pids[i - 1] > pids[i])
			return FALSE;
	return TRUE;
}

guint mem_pids_sort_unique_n(guint32 *pids, guint n)
{
	guint w = 0;

	if (n > 1 && !mem_pids_sorted(pids, n))
		qsort(pids, n, sizeof *pids, mem_pid_compare);
	for (guint i = 0; i < n; i++)
		if (w == 0 || pids[w - 1] != pids[i])
			pids[w++] = pids[i];
	return w;
}

void mem_pids_sort_unique(GArray *pids)
{
	g_array_set_size(pids, mem_pids_sort_unique_n((guint32 *)(gpointer)pids->data, pids->len));
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

/* Plain pthreads, as every lock of the source layer (ThreadSanitizer sees them). */
static pthread_mutex_t big_lock = PTHREAD_MUTEX_INITIALIZER;

void mem_source_reserve(MemSource *src, gsize size)
{
	if (src->buf_size >= size + 1)
		return;
	if (size + 1 > MEM_SOURCE_BIG_BUFFER && !src->big) {
		pthread_mutex_lock(&big_lock);
		src->big = TRUE;
	}
	src->buf = g_realloc(src->buf, size + 1);
	src->buf_size = size + 1;
}

void mem_source_release_big(MemSource *src)
{
	if (!src->big)
		return;
	g_free(src->buf);
	src->buf = NULL;
	src->buf_size = 0;
	src->big = FALSE;
	pthread_mutex_unlock(&big_lock);
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

void mem_source_parse_manifest(const char *data, gsize len, gboolean top, int *errs)
{
	const char *p = data, *end = data + len;

	memset(errs, 0, sizeof(int) * (top ? MEM_SOURCE_N_TOP_FILES : MEM_SOURCE_N_PID_FILES));
	while (p < end) {
		const char *nl = memchr(p, '\n', (gsize)(end - p));
		const char *le = nl ? nl : end;
		const char *f0, *f1, *e0, *e1;
		int index;

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
		if (top) {
			index = top_index_from_name(f0, (gsize)(f1 - f0));
		} else {
			MemFileId file = mem_source_pid_file_from_name(f0, (gsize)(f1 - f0));
			index = file ? g_bit_nth_lsf(file, -1) : -1;
		}
		if (index >= 0 && e1 > e0) {
			int err = mem_errno_from_name(e0, (gsize)(e1 - e0));

			if (e1 - e0 == 5 && memcmp(e0, "EMPTY", 5) == 0)
				err = MEM_SOURCE_EMPTY;
			errs[index] = err ? err : EIO;
		}
		p = nl ? nl + 1 : end;
	}
}

int mem_source_manifest_err(MemFileId file, int reason)
{
	if (reason != MEM_SOURCE_EMPTY)
		return reason;
	return file == MEM_FILE_SMAPS_ROLLUP || file == MEM_FILE_SMAPS ? ENODATA : 0;
}

const char *mem_file_path(const MemFile *f)
{
	GString *p = f->view->pathbuf;

	g_string_assign(p, f->view->display);
	g_string_append_c(p, f->sep);
	if (f->pid) {
		char name[MEM_SOURCE_PID_NAME];

		g_string_append_len(p, name, (gssize)mem_source_pid_name(name, f->pid));
		g_string_append_c(p, '/');
	}
	g_string_append(p, mem_source_file_name(f->file));
	return p->str;
}

gboolean mem_source_deliver_more(MemSource *src, char sep, guint32 pid, MemFileId file, const char *data,
                             gsize len, int err, gboolean has_owner, guint32 owner_uid, MemMoreFunc more,
                             gpointer more_data, MemFileFunc func, gpointer user_data, GError **error)
{
	GError *local = NULL;
	gboolean ok;
	MemFile f;

	f.pid = pid;
	f.file = file;
	f.data = err || !data ? "" : data;
	f.len = err || !data ? 0 : len;
	f.err = err;
	f.has_owner = has_owner;
	f.owner_uid = has_owner ? owner_uid : 0;
	f.view = src;
	f.sep = sep;
	f.more = err ? NULL : more;
	f.more_data = more_data;
	f.from_manifest = err && (src->manifest_files & file);
	f.skip = pid && src->can_skip ? &src->skip_files : NULL;
	f.thread = src->worker;
	ok = func(&f, user_data, &local);
	mem_source_release_big(src);
	if (ok) {
		g_clear_error(&local);
		return TRUE;
	}
	if (local)
		g_propagate_error(error, local);
	else
		g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "%s: scan stopped by its consumer", mem_file_path(&f));
	return FALSE;
}

gboolean mem_source_deliver(MemSource *src, char sep, guint32 pid, MemFileId file, const char *data,
                            gsize len, int err, gboolean has_owner, guint32 owner_uid, MemFileFunc func,
                            gpointer user_data, GError **error)
{
	return mem_source_deliver_more(src, sep, pid, file, data, len, err, has_owner, owner_uid, NULL, NULL, func,
	                    user_data, error);
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

MemSource *mem_source_new(MemSourceKind kind, const MemSourceOps *ops, const char *path, const char *display)
{
	MemSource *src = g_new0(MemSource, 1);

	src->kind = kind;
	src->ops = ops;
	src->refs = 1;
	src->path = g_strdup(path);
	src->display = display_of(display);
	src->rootfd = -1;
	src->tarfd = -1;
	src->pathbuf = g_string_sized_new(64);
	return src;
}

void mem_source_set_open_error(GError **error, const char *path, int err)
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

MemSource *mem_source_ref(MemSource *src)
{
	g_atomic_int_inc(&src->refs);
	return src;
}

void mem_source_free(MemSource *src)
{
	if (!src || !g_atomic_int_dec_and_test(&src->refs))
		return;
	mem_source_release_big(src);
	if (src->rootfd >= 0)
		close(src->rootfd);
	if (src->tarfd >= 0 && !src->is_stdin)
		close(src->tarfd);
	if (src->users)
		g_hash_table_unref(src->users);
	g_free(src->cut);
	g_free(src->path);
	g_free(src->display);
	g_free(src->buf);
	g_string_free(src->pathbuf, TRUE);
	g_free(src);
}
