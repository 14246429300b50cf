/* check-source.c: Check unit tests of the proc source: live /proc, snapshot directories, tar streams (source layer tests) */
#include "config.h"

#include <check.h>
#include <pthread.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "source-fds.h"
#include "source-private.h"
#include "source.h"
#include "../common/check-run.h"

#define ALL_PID_FILES                                                                                  \
	(MEM_FILE_STAT | MEM_FILE_STATUS | MEM_FILE_STATM | MEM_FILE_CMDLINE | MEM_FILE_COMM |         \
	 MEM_FILE_CGROUP | MEM_FILE_SMAPS_ROLLUP | MEM_FILE_SMAPS | MEM_FILE_MAPS)
#define ALL_TOP_FILES (MEM_FILE_MEMINFO | MEM_FILE_VERSION | MEM_FILE_SYSVIPC_SHM | MEM_FILE_PASSWD)

/* One delivery, copied out of the MemFile. */
typedef struct {
	guint32 pid;
	MemFileId file;
	char *data;
	gsize len;
	int err;
	gboolean has_owner;
	guint32 owner_uid;
	char *path;
	gboolean from_manifest;
} Rec;

static void rec_free(gpointer p)
{
	Rec *r = p;

	g_free(r->data);
	g_free(r->path);
	g_free(r);
}

static gboolean collect(const MemFile *f, gpointer user_data, GError **error)
{
	GPtrArray *recs = user_data;
	Rec *r = g_new0(Rec, 1);

	ck_assert_ptr_nonnull(f->data);
	ck_assert_ptr_nonnull(mem_file_path(f));
	ck_assert_int_eq(f->data[f->len], '\0');
	if (f->err)
		ck_assert_uint_eq(f->len, 0);
	r->pid = f->pid;
	r->file = f->file;
	r->data = g_memdup2(f->data, f->len + 1);
	r->len = f->len;
	r->err = f->err;
	r->has_owner = f->has_owner;
	r->owner_uid = f->owner_uid;
	r->path = g_strdup(mem_file_path(f));
	r->from_manifest = f->from_manifest;
	g_ptr_array_add(recs, r);
	return TRUE;
}

static GPtrArray *recs_new(void)
{
	return g_ptr_array_new_with_free_func(rec_free);
}

static guint count_recs(GPtrArray *recs, guint32 pid, MemFileId file)
{
	guint n = 0;

	for (guint i = 0; i < recs->len; i++) {
		Rec *r = recs->pdata[i];

		if (r->pid == pid && r->file == file)
			n++;
	}
	return n;
}

static Rec *find_rec(GPtrArray *recs, guint32 pid, MemFileId file)
{
	for (guint i = 0; i < recs->len; i++) {
		Rec *r = recs->pdata[i];

		if (r->pid == pid && r->file == file)
			return r;
	}
	return NULL;
}

/* Asserts that (pid, file) was delivered exactly once, with content or with an error. */
static Rec *expect_data(GPtrArray *recs, guint32 pid, MemFileId file, const char *content)
{
	Rec *r = find_rec(recs, pid, file);

	ck_assert_msg(r != NULL, "pid %u file %#x not delivered", pid, (unsigned)file);
	ck_assert_uint_eq(count_recs(recs, pid, file), 1);
	ck_assert_msg(r->err == 0, "pid %u file %#x: err %d", pid, (unsigned)file, r->err);
	ck_assert_uint_eq(r->len, strlen(content));
	ck_assert_str_eq(r->data, content);
	return r;
}

static Rec *expect_err(GPtrArray *recs, guint32 pid, MemFileId file, int err)
{
	Rec *r = find_rec(recs, pid, file);

	ck_assert_msg(r != NULL, "pid %u file %#x not delivered", pid, (unsigned)file);
	ck_assert_uint_eq(count_recs(recs, pid, file), 1);
	ck_assert_msg(r->err == err, "pid %u file %#x: err %d, expected %d", pid, (unsigned)file, r->err, err);
	return r;
}

/* A digest of the deliveries without their paths, to compare sources holding the same content. */
static char *summary(GPtrArray *recs)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < recs->len; i++) {
		Rec *r = recs->pdata[i];
		g_autofree char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA1, (const guchar *)r->data, r->len);

		g_string_append_printf(s, "%u %#x %d %zu %d:%u %s\n", r->pid, (unsigned)r->file, r->err, r->len,
		                       r->has_owner, r->owner_uid, sum);
	}
	return g_string_free(s, FALSE);
}

static GPtrArray *scan_path(const char *path, guint32 want, MemScanFlags flags, const guint32 *pids,
                            guint n_pids)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(MemSource) src = mem_source_open(path, &error);
	GPtrArray *recs = recs_new();

	ck_assert_msg(src != NULL, "open %s: %s", path, error ? error->message : "?");
	ck_assert_msg(mem_source_scan(src, want, flags, pids, n_pids, collect, recs, &error), "scan %s: %s", path,
	              error ? error->message : "?");
	return recs;
}

/* Scans expecting failure; returns the error. */
static GError *scan_fails(const char *path, guint32 want, MemScanFlags flags)
{
	g_autoptr(MemSource) src = NULL;
	g_autoptr(GPtrArray) recs = recs_new();
	GError *error = NULL;

	src = mem_source_open(path, &error);
	ck_assert_msg(src != NULL, "open %s: %s", path, error ? error->message : "?");
	ck_assert(!mem_source_scan(src, want, flags, NULL, 0, collect, recs, &error));
	ck_assert_ptr_nonnull(error);
	return error;
}

/* ---- temporary trees ---- */

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static void remove_tree(const char *dir)
{
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static char *make_tmpdir(void)
{
	g_autoptr(GError) error = NULL;
	char *dir = g_dir_make_tmp("memps-source-XXXXXX", &error);

	ck_assert_msg(dir != NULL, "%s", error ? error->message : "?");
	return dir;
}

static void write_bytes(const char *dir, const char *rel, const char *data, gsize len)
{
	g_autofree char *path = g_build_filename(dir, rel, NULL);
	g_autofree char *parent = g_path_get_dirname(path);
	g_autoptr(GError) error = NULL;

	ck_assert_int_eq(g_mkdir_with_parents(parent, 0755), 0);
	ck_assert_msg(g_file_set_contents(path, data, (gssize)len, &error), "%s", error ? error->message : "?");
}

static void write_text(const char *dir, const char *rel, const char *text)
{
	write_bytes(dir, rel, text, strlen(text));
}

static void make_symlink(const char *dir, const char *rel, const char *target)
{
	g_autofree char *path = g_build_filename(dir, rel, NULL);
	g_autofree char *parent = g_path_get_dirname(path);

	ck_assert_int_eq(g_mkdir_with_parents(parent, 0755), 0);
	ck_assert_int_eq(symlink(target, path), 0);
}

static void make_dir(const char *dir, const char *rel)
{
	g_autofree char *path = g_build_filename(dir, rel, NULL);

	ck_assert_int_eq(g_mkdir_with_parents(path, 0755), 0);
}

/* ---- a minimal ustar writer, so that member names, owners and types are fully ours ---- */

static void tar_add(GByteArray *tar, const char *name, char type, guint uid, const char *data, gsize len,
                    const char *link)
{
	guint8 h[512];
	guint sum = 0;
	static const guint8 zeros[512];

	memset(h, 0, sizeof h);
	ck_assert_uint_le(strlen(name), 100);
	memcpy(h, name, strlen(name));
	g_snprintf((char *)h + 100, 8, "%07o", type == '5' ? 0755u : 0644u);
	g_snprintf((char *)h + 108, 8, "%07o", uid);
	g_snprintf((char *)h + 116, 8, "%07o", 0u);
	g_snprintf((char *)h + 124, 12, "%011llo", (unsigned long long)(type == '0' ? len : 0));
	g_snprintf((char *)h + 136, 12, "%011o", 1700000000u);
	memset(h + 148, ' ', 8);
	h[156] = (guint8)type;
	if (link)
		memcpy(h + 157, link, strlen(link));
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	for (gsize i = 0; i < sizeof h; i++)
		sum += h[i];
	g_snprintf((char *)h + 148, 8, "%06o", sum);
	g_byte_array_append(tar, h, sizeof h);
	if (type == '0' && len) {
		g_byte_array_append(tar, (const guint8 *)data, (guint)len);
		if (len % 512)
			g_byte_array_append(tar, zeros, (guint)(512 - len % 512));
	}
}

static void tar_file(GByteArray *tar, const char *name, guint uid, const char *text)
{
	tar_add(tar, name, '0', uid, text, strlen(text), NULL);
}

static void tar_finish(GByteArray *tar)
{
	static const guint8 zeros[1024];

	g_byte_array_append(tar, zeros, sizeof zeros);
}

static char *write_tar(const char *dir, const char *name, GByteArray *tar)
{
	char *path = g_build_filename(dir, name, NULL);
	g_autoptr(GError) error = NULL;

	ck_assert(g_file_set_contents(path, (const char *)tar->data, tar->len, &error));
	return path;
}

/* Compresses `path` with `tool` into path.ext; NULL when the tool is not installed. */
static char *compress(const char *path, const char *tool, const char *ext)
{
	g_autofree char *prog = g_find_program_in_path(tool);
	g_autofree char *cmd = NULL;
	char *out;
	int status = 0;

	if (!prog)
		return NULL;
	out = g_strconcat(path, ".", ext, NULL);
	cmd = g_strdup_printf("'%s' -c < '%s' > '%s'", prog, path, out);
	ck_assert(g_spawn_sync(NULL, (char *[]){ "/bin/sh", "-c", cmd, NULL }, NULL, G_SPAWN_DEFAULT, NULL, NULL,
	                       NULL, NULL, &status, NULL));
	ck_assert_int_eq(status, 0);
	return out;
}

/* ---- live /proc ---- */

START_TEST(test_live_self)
{
	guint32 self = (guint32)getpid();
	g_autoptr(GPtrArray) recs = scan_path(NULL, MEM_FILE_STAT | MEM_FILE_SMAPS_ROLLUP | MEM_FILE_MEMINFO, 0,
	                                      &self, 1);
	g_autofree char *prefix = g_strdup_printf("%u (", self);
	g_autofree char *stat_path = g_strdup_printf("/proc/%u/stat", self);
	Rec *r;

	ck_assert_uint_eq(recs->len, 3);
	r = recs->pdata[0];
	ck_assert_uint_eq(r->file, MEM_FILE_MEMINFO);
	ck_assert_int_eq(r->err, 0);
	ck_assert_str_eq(r->path, "/proc/meminfo");
	ck_assert_ptr_nonnull(strstr(r->data, "MemTotal:"));
	r = recs->pdata[1];
	ck_assert_uint_eq(r->pid, self);
	ck_assert_uint_eq(r->file, MEM_FILE_STAT);
	ck_assert_int_eq(r->err, 0);
	ck_assert(g_str_has_prefix(r->data, prefix));
	ck_assert_str_eq(r->path, stat_path);
	/* the real /proc asks the pid directory's owner only of a status that could not be read */
	ck_assert(!r->has_owner);
	r = recs->pdata[2];
	ck_assert_uint_eq(r->file, MEM_FILE_SMAPS_ROLLUP);
	ck_assert_int_eq(r->err, 0);
	ck_assert_ptr_nonnull(strstr(r->data, "\nPss:"));
}
END_TEST

/* A file of the real /proc made whole by one show() (seq_file single_open) is read without the read
 * that returns 0: a short read ends it.  Only there: --proc-root files are read to their end. */
START_TEST(test_one_shot_reads)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(MemSource) live = mem_source_open(NULL, &error);
	g_autofree char *root = g_dir_make_tmp("memps-oneshot-XXXXXX", &error);
	g_autoptr(MemSource) dir = NULL;
	const MemFileId whole[] = { MEM_FILE_STAT, MEM_FILE_STATUS, MEM_FILE_STATM, MEM_FILE_COMM, MEM_FILE_CGROUP,
	                            MEM_FILE_SMAPS_ROLLUP };
	const MemFileId streamed[] = { MEM_FILE_SMAPS, MEM_FILE_MAPS, MEM_FILE_CMDLINE };
	int fds[2];
	gsize len;

	ck_assert_ptr_nonnull(live);
	ck_assert_ptr_nonnull(root);
	dir = mem_source_open_proc_root(root, &error);
	ck_assert_ptr_nonnull(dir);
	for (gsize i = 0; i < G_N_ELEMENTS(whole); i++) {
		ck_assert(mem_source_one_shot(live, whole[i]));
		ck_assert(!mem_source_one_shot(dir, whole[i]));
	}
	for (gsize i = 0; i < G_N_ELEMENTS(streamed); i++)
		ck_assert(!mem_source_one_shot(live, streamed[i]));

	/* A short read ends a one-shot read: the pipe's writer is still open, so a read for the end
	 * would block (and the test time out). */
	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(write(fds[1], "abc", 3), 3);
	ck_assert_int_eq(mem_source_read_fd(live, fds[0], 0, TRUE, &len), 0);
	ck_assert_uint_eq(len, 3);
	ck_assert_str_eq(live->buf, "abc");
	/* Without one_shot the read goes on to the end. */
	ck_assert_int_eq(write(fds[1], "def", 3), 3);
	ck_assert_int_eq(write(fds[1], "ghi", 3), 3);
	close(fds[1]);
	ck_assert_int_eq(mem_source_read_fd(live, fds[0], 0, FALSE, &len), 0);
	ck_assert_uint_eq(len, 6);
	ck_assert_str_eq(live->buf, "defghi");
	close(fds[0]);
	ck_assert_int_eq(rmdir(root), 0);
}
END_TEST

/* The real /proc's files are opened as PID/FILE below the root: a scan's status of this process is
 * the file as read whole, field for field (the lines that do not change between two reads). */
START_TEST(test_live_direct_status)
{
	guint32 self = (guint32)getpid();
	g_autoptr(GPtrArray) recs = scan_path(NULL, MEM_FILE_STATUS | MEM_FILE_CGROUP, 0, &self, 1);
	g_autofree char *whole = NULL;
	g_autofree char *cgroup = NULL;
	g_autofree char *status_path = g_strdup_printf("/proc/%u/status", self);
	g_autofree char *cgroup_path = g_strdup_printf("/proc/%u/cgroup", self);
	Rec *r;

	ck_assert(g_file_get_contents(status_path, &whole, NULL, NULL));
	ck_assert(g_file_get_contents(cgroup_path, &cgroup, NULL, NULL));
	ck_assert_uint_eq(recs->len, 2);
	r = recs->pdata[0];
	ck_assert_uint_eq(r->file, MEM_FILE_STATUS);
	ck_assert_int_eq(r->err, 0);
	ck_assert_str_eq(r->path, status_path);
	ck_assert(!r->has_owner); /* status read: its Uid line is the uid */
	/* Name .. Uid and Gid are fixed for this process; the tail (memory figures) may move */
	ck_assert(g_str_has_prefix(r->data, "Name:\t"));
	/* whole: its last line is there, and the content ends with it */
	ck_assert_ptr_nonnull(strstr(r->data, "\nnonvoluntary_ctxt_switches:"));
	ck_assert_uint_eq(r->len, strlen(r->data));
	ck_assert_int_eq(r->data[r->len - 1], '\n');
	ck_assert_int_eq(strncmp(r->data, whole, (gsize)(strstr(whole, "\nGid:") - whole)), 0);
	r = recs->pdata[1];
	ck_assert_uint_eq(r->file, MEM_FILE_CGROUP);
	ck_assert_int_eq(r->err, 0);
	ck_assert_str_eq(r->data, cgroup);
}
END_TEST

START_TEST(test_live_all_pids)
{
	g_autoptr(GPtrArray) recs = scan_path(NULL, MEM_FILE_STAT, 0, NULL, 0);
	gboolean found_self = FALSE;
	g_autoptr(GError) error = NULL;
	g_autoptr(MemSource) src = mem_source_open(NULL, &error);

	ck_assert_int_eq(mem_source_kind(src), MEM_SOURCE_LIVE);
	ck_assert_ptr_null(mem_source_path(src));
	ck_assert_uint_gt(recs->len, 1);
	for (guint i = 0; i < recs->len; i++) {
		Rec *r = recs->pdata[i];

		ck_assert_uint_eq(r->file, MEM_FILE_STAT);
		if (i > 0)
			ck_assert_uint_lt(((Rec *)recs->pdata[i - 1])->pid, r->pid);
		if (r->pid == (guint32)getpid()) {
			found_self = TRUE;
			ck_assert_int_eq(r->err, 0);
		}
	}
	ck_assert(found_self);
}
END_TEST

START_TEST(test_live_fallback)
{
	guint32 self = (guint32)getpid();
	g_autoptr(GPtrArray) with = scan_path(NULL, MEM_FILE_SMAPS_ROLLUP | MEM_FILE_SMAPS, MEM_SCAN_SMAPS_FALLBACK,
	                                      &self, 1);
	g_autoptr(GPtrArray) without = scan_path(NULL, MEM_FILE_SMAPS_ROLLUP | MEM_FILE_SMAPS, 0, &self, 1);

	/* This kernel has smaps_rollup, so the fallback never reads smaps. */
	ck_assert_uint_eq(with->len, 1);
	ck_assert_int_eq(expect_err(with, self, MEM_FILE_SMAPS_ROLLUP, 0)->err, 0);
	ck_assert_uint_eq(without->len, 2);
	ck_assert_ptr_nonnull(strstr(expect_err(without, self, MEM_FILE_SMAPS, 0)->data, "\nPss:"));
}
END_TEST

/* Only the tar path loads libarchive: after a live scan it is not mapped into this process. */
START_TEST(test_live_does_not_load_libarchive)
{
	g_autoptr(GPtrArray) recs = NULL;
	g_autofree char *maps = NULL;

	if (g_getenv("CK_FORK") && strcmp(g_getenv("CK_FORK"), "no") == 0)
		return;  /* other tests in this process may have loaded it */
	recs = scan_path(NULL, MEM_FILE_STAT | MEM_FILE_MEMINFO, 0, NULL, 0);
	ck_assert(g_file_get_contents("/proc/self/maps", &maps, NULL, NULL));
	ck_assert_ptr_null(strstr(maps, "libarchive"));
}
END_TEST

/* ---- snapshot directories ---- */

static void fill_snapshot(const char *root)
{
	write_text(root, "meminfo", "MemTotal: 1000 kB\n");
	write_text(root, "version", "Linux version 6.1.0\n");
	write_text(root, "sysvipc/shm", "key shmid perms size\n");
	write_text(root, "passwd", "root:x:0:0:root:/root:/bin/sh\n");
	write_text(root, "100/stat", "100 (a b) S 1\n");
	write_text(root, "100/status", "Name:\ta b\n");
	write_text(root, "100/smaps_rollup", "rollup of 100\n");
	write_text(root, "100/smaps", "smaps of 100\n");
	write_text(root, "42/stat", "42 (x) R 1\n");
	write_text(root, "42/smaps", "smaps of 42\n");
	make_dir(root, "7");
	make_dir(root, "0123");
	write_text(root, "0123/stat", "not a pid\n");
	write_text(root, "abc", "not a pid\n");
	make_symlink(root, "self", "100");
}

static void check_snapshot(GPtrArray *recs, const char *root, gboolean fallback)
{
	static const guint32 order[] = { 7, 42, 100 };
	g_autofree char *p = g_strdup_printf("%s/100/stat", root);
	g_autofree char *q = g_strdup_printf("%s/sysvipc/shm", root);
	guint32 last_pid = 0, last_file = 0;
	guint o = 0;

	/* Top-level files first, in MemFileId order. */
	for (guint i = 0; i < 4; i++)
		ck_assert_uint_eq(((Rec *)recs->pdata[i])->pid, 0);
	ck_assert_uint_eq(((Rec *)recs->pdata[0])->file, MEM_FILE_MEMINFO);
	ck_assert_uint_eq(((Rec *)recs->pdata[3])->file, MEM_FILE_PASSWD);
	expect_data(recs, 0, MEM_FILE_MEMINFO, "MemTotal: 1000 kB\n");
	expect_data(recs, 0, MEM_FILE_VERSION, "Linux version 6.1.0\n");
	ck_assert_str_eq(expect_data(recs, 0, MEM_FILE_SYSVIPC_SHM, "key shmid perms size\n")->path, q);
	expect_data(recs, 0, MEM_FILE_PASSWD, "root:x:0:0:root:/root:/bin/sh\n");
	/* Then pids ascending, files in bit order. */
	for (guint i = 4; i < recs->len; i++) {
		Rec *r = recs->pdata[i];

		ck_assert_uint_ne(r->pid, 0);
		if (r->pid != last_pid) {
			ck_assert_uint_lt(o, G_N_ELEMENTS(order));
			ck_assert_uint_eq(r->pid, order[o++]);
			last_pid = r->pid;
			last_file = 0;
		}
		ck_assert_uint_gt(r->file, last_file);
		last_file = r->file;
		ck_assert(r->has_owner);
		ck_assert_uint_eq(r->owner_uid, geteuid());
	}
	ck_assert_uint_eq(o, G_N_ELEMENTS(order));
	ck_assert_str_eq(expect_data(recs, 100, MEM_FILE_STAT, "100 (a b) S 1\n")->path, p);
	expect_data(recs, 100, MEM_FILE_STATUS, "Name:\ta b\n");
	expect_data(recs, 100, MEM_FILE_SMAPS_ROLLUP, "rollup of 100\n");
	expect_err(recs, 100, MEM_FILE_CMDLINE, ENOENT);
	expect_err(recs, 100, MEM_FILE_MAPS, ENOENT);
	expect_data(recs, 42, MEM_FILE_STAT, "42 (x) R 1\n");
	expect_err(recs, 42, MEM_FILE_SMAPS_ROLLUP, ENOENT);
	expect_data(recs, 42, MEM_FILE_SMAPS, "smaps of 42\n");
	for (guint i = 0; i < 9; i++) /* the files of ALL_PID_FILES */
		expect_err(recs, 7, (MemFileId)(1u << i), ENOENT);
	if (fallback) {
		ck_assert_uint_eq(count_recs(recs, 100, MEM_FILE_SMAPS), 0);
		ck_assert_uint_eq(recs->len, 4 + 9 + 9 + 8);
	} else {
		expect_data(recs, 100, MEM_FILE_SMAPS, "smaps of 100\n");
		ck_assert_uint_eq(recs->len, 4 + 9 + 9 + 9);
	}
}

static void run_dir_snapshot(gboolean with_proc_prefix)
{
	g_autofree char *dir = make_tmpdir();
	g_autofree char *root = with_proc_prefix ? g_build_filename(dir, "proc", NULL) : g_strdup(dir);
	g_autofree char *slashed = g_strconcat(dir, "/", NULL);
	g_autoptr(GPtrArray) a = NULL, b = NULL, c = NULL, d = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(MemSource) src = NULL;
	static const guint32 sel[] = { 42, 100 };

	fill_snapshot(root);
	if (with_proc_prefix)
		write_text(dir, "README", "recorded with cp -a --parents\n");
	src = mem_source_open(dir, &error);
	ck_assert_ptr_nonnull(src);
	ck_assert_int_eq(mem_source_kind(src), MEM_SOURCE_DIR);
	ck_assert_str_eq(mem_source_path(src), dir);

	a = scan_path(dir, ALL_PID_FILES | ALL_TOP_FILES, MEM_SCAN_SMAPS_FALLBACK, NULL, 0);
	check_snapshot(a, root, TRUE);
	b = scan_path(dir, ALL_PID_FILES | ALL_TOP_FILES, 0, NULL, 0);
	check_snapshot(b, root, FALSE);
	/* A trailing slash does not double the separator. */
	c = scan_path(slashed, MEM_FILE_STAT, 0, NULL, 0);
	ck_assert_uint_eq(c->len, 3);
	{
		g_autofree char *p = g_strdup_printf("%s/7/stat", root);

		ck_assert_str_eq(((Rec *)c->pdata[0])->path, p);
	}
	/* Pid selection: per-pid files of the selected pids only, top-level files still delivered. */
	d = scan_path(dir, MEM_FILE_STAT | MEM_FILE_MEMINFO, 0, sel, G_N_ELEMENTS(sel));
	ck_assert_uint_eq(d->len, 3);
	ck_assert_uint_eq(((Rec *)d->pdata[0])->file, MEM_FILE_MEMINFO);
	expect_data(d, 42, MEM_FILE_STAT, "42 (x) R 1\n");
	expect_data(d, 100, MEM_FILE_STAT, "100 (a b) S 1\n");
	/* The same directory as a live-style proc root. */
	{
		g_autoptr(MemSource) live = mem_source_open_proc_root(root, &error);
		g_autoptr(GPtrArray) e = recs_new();

		ck_assert_ptr_nonnull(live);
		ck_assert_int_eq(mem_source_kind(live), MEM_SOURCE_LIVE);
		ck_assert(mem_source_scan(live, ALL_PID_FILES | ALL_TOP_FILES, MEM_SCAN_SMAPS_FALLBACK, NULL, 0,
		                          collect, e, &error));
		check_snapshot(e, root, TRUE);
	}
	remove_tree(dir);
}

START_TEST(test_dir_snapshot)
{
	run_dir_snapshot(FALSE);
}
END_TEST

START_TEST(test_dir_snapshot_proc_prefix)
{
	run_dir_snapshot(TRUE);
}
END_TEST

/* Symlinks pointing out of the snapshot are refused and their targets never opened; nor is a FIFO. */
START_TEST(test_dir_symlinks)
{
	g_autofree char *dir = make_tmpdir();
	g_autofree char *outside = make_tmpdir();
	g_autofree char *secret = g_build_filename(outside, "secret", NULL);
	g_autofree char *fifo = g_build_filename(dir, "100/status", NULL);
	g_autoptr(GPtrArray) recs = NULL;
	char evbuf[4096];
	int ino, wd;

	write_text(outside, "secret", "outside the snapshot\n");
	write_text(outside, "stat", "outside stat\n");
	write_text(outside, "shm", "outside shm\n");
	make_symlink(dir, "meminfo", secret);
	make_symlink(dir, "sysvipc", outside);
	write_text(dir, "100/stat", "100 (ok) S 1\n");
	make_symlink(dir, "100/smaps_rollup", secret);
	make_symlink(dir, "100/cmdline", "../../../../../../../../etc/passwd");
	ck_assert_int_eq(mkfifo(fifo, 0644), 0);
	make_symlink(dir, "200", outside);
	write_text(dir, "300", "a file where a pid directory belongs\n");

	ino = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	ck_assert_int_ge(ino, 0);
	wd = inotify_add_watch(ino, outside, IN_OPEN | IN_ACCESS);
	ck_assert_int_ge(wd, 0);

	recs = scan_path(dir, ALL_PID_FILES | ALL_TOP_FILES, MEM_SCAN_SMAPS_FALLBACK, NULL, 0);
	expect_err(recs, 0, MEM_FILE_MEMINFO, ELOOP);
	expect_err(recs, 0, MEM_FILE_SYSVIPC_SHM, ELOOP);
	expect_err(recs, 0, MEM_FILE_VERSION, ENOENT);
	expect_data(recs, 100, MEM_FILE_STAT, "100 (ok) S 1\n");
	expect_err(recs, 100, MEM_FILE_SMAPS_ROLLUP, ELOOP);
	expect_err(recs, 100, MEM_FILE_CMDLINE, ELOOP);
	expect_err(recs, 100, MEM_FILE_STATUS, EINVAL);  /* a FIFO: refused, not opened (it would block) */
	/* ELOOP on the rollup is not "no rollup": no smaps fallback. */
	ck_assert_uint_eq(count_recs(recs, 100, MEM_FILE_SMAPS), 0);
	expect_err(recs, 200, MEM_FILE_STAT, ELOOP);
	expect_err(recs, 200, MEM_FILE_SMAPS_ROLLUP, ELOOP);
	expect_err(recs, 300, MEM_FILE_STAT, ENOTDIR);

	/* Nothing in the outside directory (nor the directory itself) was opened or read. */
	ck_assert_int_lt(read(ino, evbuf, sizeof evbuf), 0);
	ck_assert_int_eq(errno, EAGAIN);
	close(ino);
	remove_tree(dir);
	remove_tree(outside);
}
END_TEST

START_TEST(test_dir_manifest)
{
	g_autofree char *dir = make_tmpdir();
	g_autoptr(GPtrArray) recs = NULL;

	write_text(dir, "100/stat", "100 (m) S 1\n");
	write_text(dir, "100/status", "partial\n");
	write_text(dir, "100/smaps", "smaps of 100\n");
	write_text(dir, "100/memcap.errors",
	           "smaps_rollup EACCES\n  status\tESRCH \r\ncmdline EWHATEVER\nnot-a-file EIO\n\nstat\n");
	write_text(dir, "200/memcap.errors", "smaps_rollup ENOENT\n");
	write_text(dir, "200/smaps", "smaps of 200\n");
	recs = scan_path(dir, MEM_FILE_STAT | MEM_FILE_STATUS | MEM_FILE_CMDLINE | MEM_FILE_SMAPS_ROLLUP |
	                          MEM_FILE_SMAPS,
	                 MEM_SCAN_SMAPS_FALLBACK, NULL, 0);
	expect_data(recs, 100, MEM_FILE_STAT, "100 (m) S 1\n");
	expect_err(recs, 100, MEM_FILE_STATUS, ESRCH);
	expect_err(recs, 100, MEM_FILE_CMDLINE, EIO);
	expect_err(recs, 100, MEM_FILE_SMAPS_ROLLUP, EACCES);
	ck_assert_uint_eq(count_recs(recs, 100, MEM_FILE_SMAPS), 0);
	expect_err(recs, 200, MEM_FILE_SMAPS_ROLLUP, ENOENT);
	expect_data(recs, 200, MEM_FILE_SMAPS, "smaps of 200\n");
	ck_assert_uint_eq(recs->len, 4 + 5);  /* 100: smaps skipped; 200: every wanted file */
	remove_tree(dir);
}
END_TEST

/* The fallback with smaps wanted but not the rollup: the rollup is probed, not delivered. */
START_TEST(test_dir_fallback_probe)
{
	g_autofree char *dir = make_tmpdir();
	g_autoptr(GPtrArray) recs = NULL;

	fill_snapshot(dir);
	recs = scan_path(dir, MEM_FILE_SMAPS, MEM_SCAN_SMAPS_FALLBACK, NULL, 0);
	ck_assert_uint_eq(count_recs(recs, 100, MEM_FILE_SMAPS), 0);
	expect_data(recs, 42, MEM_FILE_SMAPS, "smaps of 42\n");
	expect_err(recs, 7, MEM_FILE_SMAPS, ENOENT);
	ck_assert_uint_eq(recs->len, 2);
	remove_tree(dir);
}
END_TEST

START_TEST(test_dir_bound)
{
	g_autofree char *dir = make_tmpdir();
	g_autofree char *exact = g_strnfill(1000, 'a');
	g_autofree char *over = g_strnfill(1001, 'b');
	g_autofree char *big = g_malloc(300 * 1024 + 1);
	g_autoptr(GPtrArray) recs = NULL, again = NULL;

	for (gsize i = 0; i < 300 * 1024; i++)
		big[i] = (char)('a' + i % 23);
	big[300 * 1024] = '\0';
	write_text(dir, "100/stat", exact);
	write_text(dir, "100/smaps", over);
	write_text(dir, "200/smaps", big);
	mem_source_set_max_file_size(1000);
	recs = scan_path(dir, MEM_FILE_STAT | MEM_FILE_SMAPS, 0, NULL, 0);
	mem_source_set_max_file_size(0);
	expect_data(recs, 100, MEM_FILE_STAT, exact);
	expect_err(recs, 100, MEM_FILE_SMAPS, EFBIG);
	expect_err(recs, 200, MEM_FILE_SMAPS, EFBIG);
	/* With the default bound, a file larger than the initial buffer is read whole. */
	again = scan_path(dir, MEM_FILE_SMAPS, 0, NULL, 0);
	expect_data(again, 200, MEM_FILE_SMAPS, big);
	remove_tree(dir);
}
END_TEST

START_TEST(test_open_errors)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(MemSource) src = mem_source_open("/nonexistent/memps-snapshot", &error);

	ck_assert_ptr_null(src);
	ck_assert(g_error_matches(error, MEM_ERROR, MEM_ERROR_NOT_FOUND));
	ck_assert_ptr_nonnull(strstr(error->message, "/nonexistent/memps-snapshot"));
}
END_TEST

/* ---- tar streams ---- */

/* A snapshot tar with every kind of member; `p` prefixes each name ("./", "proc/", ""). */
static GByteArray *build_tar(const char *p)
{
	GByteArray *t = g_byte_array_new();
	g_autofree char *n = NULL;

#define NAME(rel) (g_free(n), n = g_strconcat(p, rel, NULL))
	if (*p)
		tar_add(t, p, '5', 0, NULL, 0, NULL);
	tar_file(t, NAME("meminfo"), 0, "MemTotal: 2000 kB\n");
	tar_file(t, NAME("version"), 0, "Linux version 5.10.0\n");
	tar_add(t, NAME("sysvipc/"), '5', 0, NULL, 0, NULL);
	tar_file(t, NAME("sysvipc/shm"), 0, "key shmid\n");
	tar_add(t, NAME("100/"), '5', 1000, NULL, 0, NULL);
	tar_file(t, NAME("100/stat"), 0, "100 (tarproc) S 1\n");
	tar_file(t, NAME("100/smaps_rollup"), 0, "rollup of 100\n");
	tar_file(t, NAME("100/environ"), 0, "HOME=/root\n");
	tar_file(t, NAME("42/stat"), 1001, "42 (x) R 1\n");
	tar_file(t, NAME("42/smaps"), 1001, "smaps of 42\n");
	tar_file(t, NAME("42/memcap.errors"), 1001, "status EACCES\n");
	tar_add(t, NAME("42/cmdline"), '2', 1001, NULL, 0, "/etc/passwd");
	tar_add(t, NAME("42/maps"), '1', 1001, NULL, 0, "42/smaps");
	tar_file(t, NAME("notes.txt"), 0, "unknown top-level member\n");
	tar_add(t, NAME("55/"), '5', 1002, NULL, 0, NULL);
	tar_file(t, NAME("77/smaps_rollup"), 1003, "rollup of 77\n");
	tar_file(t, NAME("77/smaps"), 1003, "smaps of 77\n");
	tar_finish(t);
#undef NAME
	return t;
}

/* Checks what build_tar() holds, scanned with every file wanted. */
static void check_tar(GPtrArray *recs, const char *display, gboolean fallback)
{
	g_autofree char *p0 = g_strdup_printf("%s:meminfo", display);
	g_autofree char *p1 = g_strdup_printf("%s:100/stat", display);
	g_autofree char *p2 = g_strdup_printf("%s:sysvipc/shm", display);
	g_autofree char *p3 = g_strdup_printf("%s:55/maps", display);
	gboolean in_tail = FALSE;

	ck_assert_str_eq(expect_data(recs, 0, MEM_FILE_MEMINFO, "MemTotal: 2000 kB\n")->path, p0);
	expect_data(recs, 0, MEM_FILE_VERSION, "Linux version 5.10.0\n");
	ck_assert_str_eq(expect_data(recs, 0, MEM_FILE_SYSVIPC_SHM, "key shmid\n")->path, p2);
	expect_err(recs, 0, MEM_FILE_PASSWD, ENOENT);

	/* The directory member's owner wins over the file members' (smemcap). */
	ck_assert_str_eq(expect_data(recs, 100, MEM_FILE_STAT, "100 (tarproc) S 1\n")->path, p1);
	ck_assert(find_rec(recs, 100, MEM_FILE_STAT)->has_owner);
	ck_assert_uint_eq(find_rec(recs, 100, MEM_FILE_STAT)->owner_uid, 1000);
	expect_data(recs, 100, MEM_FILE_SMAPS_ROLLUP, "rollup of 100\n");
	ck_assert_uint_eq(expect_err(recs, 100, MEM_FILE_STATUS, ENOENT)->owner_uid, 1000);
	expect_err(recs, 100, MEM_FILE_MAPS, ENOENT);
	if (fallback)
		ck_assert_uint_eq(count_recs(recs, 100, MEM_FILE_SMAPS), 0);
	else
		expect_err(recs, 100, MEM_FILE_SMAPS, ENOENT);

	ck_assert_uint_eq(expect_data(recs, 42, MEM_FILE_STAT, "42 (x) R 1\n")->owner_uid, 1001);
	expect_data(recs, 42, MEM_FILE_SMAPS, "smaps of 42\n");
	expect_err(recs, 42, MEM_FILE_STATUS, EACCES);
	expect_err(recs, 42, MEM_FILE_SMAPS_ROLLUP, ENOENT);
	expect_err(recs, 42, MEM_FILE_CMDLINE, ELOOP);   /* a symlink member is refused, as in a directory */
	expect_err(recs, 42, MEM_FILE_MAPS, EINVAL);     /* a hard link member is not a regular file */

	for (guint i = 0; i < 9; i++) /* the files of ALL_PID_FILES */
		ck_assert_uint_eq(expect_err(recs, 55, (MemFileId)(1u << i), ENOENT)->owner_uid, 1002);
	ck_assert_str_eq(find_rec(recs, 55, MEM_FILE_MAPS)->path, p3);

	expect_data(recs, 77, MEM_FILE_SMAPS_ROLLUP, "rollup of 77\n");
	expect_data(recs, 77, MEM_FILE_SMAPS, "smaps of 77\n");  /* both, even with the fallback */
	ck_assert_uint_eq(find_rec(recs, 77, MEM_FILE_SMAPS)->owner_uid, 1003);

	/* Contents in stream order, then the absent files, pids ascending. */
	for (guint i = 0, last = 0; i < recs->len; i++) {
		Rec *r = recs->pdata[i];

		if (r->err == ENOENT && !in_tail) {
			in_tail = TRUE;
			last = 0;
		}
		if (in_tail) {
			ck_assert_int_eq(r->err, ENOENT);
			ck_assert_uint_ge(r->pid, last);
			last = r->pid;
		}
	}
	/* 4 top-level files, 9 per pid (100, 42, 55, 77), less 100's smaps under the fallback. */
	ck_assert_uint_eq(recs->len, 4 + 4 * 9 - (fallback ? 1 : 0));
}

START_TEST(test_tar_plain)
{
	g_autofree char *dir = make_tmpdir();
	g_autoptr(GByteArray) tar = build_tar("./");
	g_autofree char *path = write_tar(dir, "snap.tar", tar);
	g_autoptr(GPtrArray) a = scan_path(path, ALL_PID_FILES | ALL_TOP_FILES, MEM_SCAN_SMAPS_FALLBACK, NULL, 0);
	g_autoptr(GPtrArray) b = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(MemSource) src = mem_source_open(path, &error);

	ck_assert_int_eq(mem_source_kind(src), MEM_SOURCE_TAR);
	ck_assert_str_eq(mem_source_path(src), path);
	check_tar(a, path, TRUE);
	b = scan_path(path, ALL_PID_FILES | ALL_TOP_FILES, 0, NULL, 0);
	check_tar(b, path, FALSE);
	remove_tree(dir);
}
END_TEST

START_TEST(test_tar_prefixes_and_compression)
{
	static const char *const prefixes[] = { "", "proc/", "./proc/" };
	static const char *const tools[][2] = { { "gzip", "gz" }, { "xz", "xz" }, { "zstd", "zst" }, { "bzip2", "bz2" } };
	g_autofree char *dir = make_tmpdir();
	g_autoptr(GByteArray) tar = build_tar("./");
	g_autofree char *path = write_tar(dir, "snap.tar", tar);
	g_autoptr(GPtrArray) ref = scan_path(path, ALL_PID_FILES | ALL_TOP_FILES, MEM_SCAN_SMAPS_FALLBACK, NULL, 0);
	g_autofree char *want = summary(ref);
	guint n_compressed = 0;

	for (gsize i = 0; i < G_N_ELEMENTS(prefixes); i++) {
		g_autoptr(GByteArray) t = build_tar(prefixes[i]);
		g_autofree char *name = g_strdup_printf("prefix%zu.tar", i);
		g_autofree char *p = write_tar(dir, name, t);
		g_autoptr(GPtrArray) recs = scan_path(p, ALL_PID_FILES | ALL_TOP_FILES, MEM_SCAN_SMAPS_FALLBACK, NULL, 0);
		g_autofree char *got = summary(recs);

		ck_assert_str_eq(got, want);
		check_tar(recs, p, TRUE);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(tools); i++) {
		g_autofree char *p = compress(path, tools[i][0], tools[i][1]);
		g_autoptr(GPtrArray) recs = NULL;
		g_autofree char *got = NULL;

		if (!p)
			continue;
		n_compressed++;
		recs = scan_path(p, ALL_PID_FILES | ALL_TOP_FILES, MEM_SCAN_SMAPS_FALLBACK, NULL, 0);
		got = summary(recs);
		ck_assert_str_eq(got, want);
		check_tar(recs, p, TRUE);
	}
	ck_assert_uint_ge(n_compressed, 1);  /* gzip at least is always there */
	remove_tree(dir);
}
END_TEST

/* In a child with the file on fd 0: the scan must match `want`, and a second scan must be refused. */
static int scan_stdin_child(const char *path, const char *want)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(MemSource) src = NULL;
	g_autoptr(GPtrArray) recs = recs_new();
	g_autofree char *got = NULL;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || dup2(fd, 0) < 0)
		return 10;
	close(fd);
	src = mem_source_open("-", &error);
	if (!src || mem_source_kind(src) != MEM_SOURCE_TAR || strcmp(mem_source_path(src), "-") != 0)
		return 11;
	if (!mem_source_scan(src, ALL_PID_FILES | ALL_TOP_FILES, MEM_SCAN_SMAPS_FALLBACK, NULL, 0, collect, recs,
	                     &error))
		return 12;
	got = summary(recs);
	if (strcmp(got, want) != 0)
		return 13;
	for (guint i = 0; i < recs->len; i++)
		if (!g_str_has_prefix(((Rec *)recs->pdata[i])->path, "stdin:"))
			return 14;
	if (mem_source_scan(src, MEM_FILE_STAT, 0, NULL, 0, collect, recs, &error))
		return 15;
	if (!g_error_matches(error, MEM_ERROR, MEM_ERROR_INVALID))
		return 16;
	return 0;
}

START_TEST(test_tar_stdin)
{
	g_autofree char *dir = make_tmpdir();
	g_autoptr(GByteArray) tar = build_tar("./");
	g_autofree char *path = write_tar(dir, "snap.tar", tar);
	g_autofree char *gz = compress(path, "gzip", "gz");
	g_autoptr(GPtrArray) ref = scan_path(path, ALL_PID_FILES | ALL_TOP_FILES, MEM_SCAN_SMAPS_FALLBACK, NULL, 0);
	g_autofree char *want = summary(ref);
	const char *inputs[] = { path, gz };

	for (gsize i = 0; i < G_N_ELEMENTS(inputs); i++) {
		int status;
		pid_t child;

		if (!inputs[i])
			continue;
		child = fork();
		ck_assert_int_ge(child, 0);
		if (child == 0)
			_exit(scan_stdin_child(inputs[i], want));
		ck_assert_int_eq(waitpid(child, &status, 0), child);
		ck_assert(WIFEXITED(status));
		ck_assert_msg(WEXITSTATUS(status) == 0, "stdin scan of %s: child status %d", inputs[i],
		              WEXITSTATUS(status));
	}
	remove_tree(dir);
}
END_TEST

START_TEST(test_tar_rescan_file)
{
	g_autofree char *dir = make_tmpdir();
	g_autoptr(GByteArray) tar = build_tar("./");
	g_autofree char *path = write_tar(dir, "snap.tar", tar);
	g_autoptr(GError) error = NULL;
	g_autoptr(MemSource) src = mem_source_open(path, &error);
	g_autoptr(GPtrArray) a = recs_new(), b = recs_new();
	g_autofree char *sa = NULL, *sb = NULL;

	ck_assert(mem_source_scan(src, ALL_PID_FILES | ALL_TOP_FILES, 0, NULL, 0, collect, a, &error));
	ck_assert(mem_source_scan(src, ALL_PID_FILES | ALL_TOP_FILES, 0, NULL, 0, collect, b, &error));
	sa = summary(a);
	sb = summary(b);
	ck_assert_str_eq(sa, sb);
	check_tar(b, path, FALSE);
	remove_tree(dir);
}
END_TEST

START_TEST(test_tar_unsafe)
{
	static const struct {
		const char *name;
		char type;
		const char *shown;   /* how the message shows it */
	} cases[] = {
		{ "../x", '0', "\"../x\"" },
		{ "/etc/x", '0', "\"/etc/x\"" },
		{ "a/../../x", '0', "\"a/../../x\"" },
		{ "./100/../../x", '0', "\"./100/../../x\"" },
		{ "..", '5', "\"..\"" },
		{ "/abs-link", '2', "\"/abs-link\"" },
		{ "\x1b[31m/../x", '0', "\"\x1b[31m/../x\"" }, /* raw: the front end escapes what it prints */
	};
	g_autofree char *dir = make_tmpdir();

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GByteArray) t = g_byte_array_new();
		g_autofree char *name = g_strdup_printf("unsafe%zu.tar", i);
		g_autofree char *path = NULL;
		g_autoptr(GError) error = NULL;

		tar_file(t, "./meminfo", 0, "MemTotal: 1 kB\n");
		tar_add(t, cases[i].name, cases[i].type, 0, "x\n", 2, cases[i].type == '2' ? "target" : NULL);
		tar_file(t, "./100/stat", 0, "100 (after) S 1\n");
		tar_finish(t);
		path = write_tar(dir, name, t);
		error = scan_fails(path, ALL_PID_FILES | ALL_TOP_FILES, 0);
		ck_assert_msg(g_error_matches(error, MEM_ERROR, MEM_ERROR_UNSAFE), "%s: %s", cases[i].shown,
		              error->message);
		ck_assert_msg(strstr(error->message, cases[i].shown) != NULL, "message %s lacks %s", error->message,
		              cases[i].shown);
		ck_assert_ptr_nonnull(strstr(error->message, path));
	}
	remove_tree(dir);
}
END_TEST

START_TEST(test_tar_corrupt)
{
	g_autofree char *dir = make_tmpdir();
	g_autoptr(GByteArray) t = g_byte_array_new();
	g_autofree char *noise = g_malloc(1024 * 1024);
	g_autofree char *path = NULL, *gz = NULL, *garbage = NULL, *cut = NULL, *data = NULL;
	guint32 x = 12345;
	gsize len;

	/* Incompressible content, so that cutting the gzip in half cuts the member's data. */
	for (gsize i = 0; i < 1024 * 1024; i++) {
		x = x * 1103515245u + 12345u;
		noise[i] = (char)(x >> 24);
	}
	tar_file(t, "./meminfo", 0, "MemTotal: 1 kB\n");
	tar_add(t, "./100/smaps", '0', 0, noise, 1024 * 1024, NULL);
	tar_file(t, "./100/stat", 0, "100 (x) S 1\n");
	tar_finish(t);
	path = write_tar(dir, "snap.tar", t);
	gz = compress(path, "gzip", "gz");
	ck_assert_ptr_nonnull(gz);
	ck_assert(g_file_get_contents(gz, &data, &len, NULL));
	cut = g_build_filename(dir, "cut.tar.gz", NULL);
	ck_assert(g_file_set_contents(cut, data, (gssize)(len / 2), NULL));
	/* Cut after a whole member: what is whole is delivered, the rest is absent, and the source says
	 * where it broke; with the member unwanted the stream still has to be decompressed to be skipped. */
	for (int pass = 0; pass < 2; pass++) {
		guint32 want = pass == 0 ? ALL_PID_FILES | ALL_TOP_FILES : MEM_FILE_STAT | MEM_FILE_MEMINFO;
		g_autoptr(GError) error = NULL;
		g_autoptr(MemSource) src = mem_source_open(cut, &error);
		g_autoptr(GPtrArray) recs = recs_new();

		ck_assert_ptr_nonnull(src);
		ck_assert_msg(mem_source_scan(src, want, 0, NULL, 0, collect, recs, &error), "%s", error->message);
		ck_assert_ptr_nonnull(mem_source_cut(src));
		ck_assert_ptr_nonnull(strstr(mem_source_cut(src), cut));
		ck_assert_msg(strstr(mem_source_cut(src), "cut short") != NULL, "%s", mem_source_cut(src));
		expect_data(recs, 0, MEM_FILE_MEMINFO, "MemTotal: 1 kB\n");
		expect_err(recs, 100, MEM_FILE_STAT, ENOENT);
		if (pass == 0)
			expect_err(recs, 100, MEM_FILE_SMAPS, ENOENT); /* the cut member is not delivered */
	}
	/* Cut inside the first member's header: nothing whole, the scan fails as a whole. */
	ck_assert(g_file_set_contents(cut, (const char *)t->data, 300, NULL));
	{
		g_autoptr(GError) error = scan_fails(cut, MEM_FILE_STAT, 0);

		ck_assert_msg(g_error_matches(error, MEM_ERROR, MEM_ERROR_PARSE), "%s", error->message);
	}
	garbage = g_build_filename(dir, "garbage.tar", NULL);
	ck_assert(g_file_set_contents(garbage, noise, 4096, NULL));
	{
		g_autoptr(GError) error = scan_fails(garbage, MEM_FILE_STAT, 0);

		ck_assert_msg(g_error_matches(error, MEM_ERROR, MEM_ERROR_PARSE), "%s", error->message);
		ck_assert_ptr_nonnull(strstr(error->message, garbage));
	}
	remove_tree(dir);
}
END_TEST

/* A manifest line wins over its file, in a directory and in a tar whatever the members' order; EMPTY
 * is ENODATA for smaps_rollup/smaps and 0 bytes for the other files; the top-level manifest speaks
 * for the top-level files.  A tar's manifest after a member with content comes as a second delivery
 * (from_manifest), which the consumer lets override. */
START_TEST(test_manifest_wins)
{
	static const char manifest[] = "smaps_rollup EACCES\nsmaps EMPTY\nstatus EMPTY\nfds ESRCH\nbogus EPERM\n";
	static const char *const files[][2] = {
		{ "stat", "9 (m) S 1\n" }, { "smaps_rollup", "rollup of 9\n" }, { "smaps", "" }, { "status", "Name:\tm\n" },
	};
	guint32 want = ALL_PID_FILES | MEM_FILE_FDS | ALL_TOP_FILES | MEM_FILE_DEV_SHM | MEM_FILE_MEMCAP_INFO;
	g_autofree char *dir = make_tmpdir();
	g_autofree char *root = g_build_filename(dir, "rec", NULL);

	for (gsize i = 0; i < G_N_ELEMENTS(files); i++) {
		g_autofree char *rel = g_strdup_printf("9/%s", files[i][0]);
		write_text(root, rel, files[i][1]);
	}
	write_text(root, "9/memcap.errors", manifest);
	write_text(root, "meminfo", "MemTotal: 1 kB\n");
	write_text(root, "memcap.info", "format 1\n");
	write_text(root, "memcap.errors", "dev-shm ENOENT\nsysvipc/shm EACCES\npasswd EMPTY\n");
	for (int form = 0; form < 3; form++) {
		/* 0: the directory; 1: a tar with the manifests first; 2: with the manifests last */
		g_autoptr(GByteArray) t = g_byte_array_new();
		g_autofree char *path = NULL;
		g_autoptr(GPtrArray) recs = NULL;
		Rec *r;

		if (form == 0) {
			path = g_strdup(root);
		} else {
			if (form == 1) {
				tar_file(t, "memcap.errors", 0, "dev-shm ENOENT\nsysvipc/shm EACCES\npasswd EMPTY\n");
				tar_file(t, "9/memcap.errors", 0, manifest);
			}
			tar_file(t, "meminfo", 0, "MemTotal: 1 kB\n");
			tar_file(t, "memcap.info", 0, "format 1\n");
			for (gsize i = 0; i < G_N_ELEMENTS(files); i++) {
				g_autofree char *name = g_strdup_printf("9/%s", files[i][0]);
				tar_file(t, name, 0, files[i][1]);
			}
			if (form == 2) {
				tar_file(t, "9/memcap.errors", 0, manifest);
				tar_file(t, "memcap.errors", 0, "dev-shm ENOENT\nsysvipc/shm EACCES\npasswd EMPTY\n");
			}
			tar_finish(t);
			path = write_tar(dir, form == 1 ? "first.tar" : "last.tar", t);
		}
		recs = scan_path(path, want, 0, NULL, 0);
		/* the rollup: refused; a tar whose manifest came after it delivers the content, then the word */
		if (form == 2) {
			ck_assert_uint_eq(count_recs(recs, 9, MEM_FILE_SMAPS_ROLLUP), 2);
			r = recs->pdata[recs->len - 1];
			for (guint i = 0; i < recs->len; i++) {
				Rec *x = recs->pdata[i];
				if (x->pid == 9 && x->file == MEM_FILE_SMAPS_ROLLUP)
					r = x;
			}
			ck_assert_int_eq(r->err, EACCES);
			ck_assert(r->from_manifest);
		} else {
			r = expect_err(recs, 9, MEM_FILE_SMAPS_ROLLUP, EACCES);
			ck_assert(r->from_manifest);
		}
		r = expect_err(recs, 9, MEM_FILE_SMAPS, ENODATA);  /* EMPTY on a memory file */
		ck_assert(r->from_manifest);
		if (form != 2)
			expect_data(recs, 9, MEM_FILE_STATUS, "");      /* EMPTY elsewhere: 0 bytes */
		ck_assert(expect_err(recs, 9, MEM_FILE_FDS, ESRCH)->from_manifest);
		ck_assert(!expect_err(recs, 9, MEM_FILE_MAPS, ENOENT)->from_manifest); /* not recorded */
		expect_data(recs, 9, MEM_FILE_STAT, "9 (m) S 1\n");
		ck_assert(expect_err(recs, 0, MEM_FILE_DEV_SHM, ENOENT)->from_manifest);
		ck_assert(expect_err(recs, 0, MEM_FILE_SYSVIPC_SHM, EACCES)->from_manifest);
		expect_data(recs, 0, MEM_FILE_PASSWD, "");
		expect_data(recs, 0, MEM_FILE_MEMCAP_INFO, "format 1\n");
		ck_assert(!expect_err(recs, 0, MEM_FILE_VERSION, ENOENT)->from_manifest);
	}
	remove_tree(dir);
}
END_TEST

/* smemcap's layout: no rollup or status; the owner only on the pid directory member. */
START_TEST(test_tar_smemcap)
{
	g_autofree char *dir = make_tmpdir();
	g_autoptr(GByteArray) t = g_byte_array_new();
	g_autofree char *path = NULL;
	g_autoptr(GPtrArray) recs = NULL;
	guint32 want = MEM_FILE_STAT | MEM_FILE_STATUS | MEM_FILE_CMDLINE | MEM_FILE_SMAPS_ROLLUP | MEM_FILE_SMAPS;

	tar_file(t, "meminfo", 0, "MemTotal: 3 kB\n");
	tar_file(t, "version", 0, "Linux version 2.6.32\n");
	tar_add(t, "4242", '5', 1234, NULL, 0, NULL);
	tar_file(t, "4242/smaps", 0, "00400000-00401000 r-xp 00000000 08:01 1 /bin/x\nPss: 4 kB\n");
	tar_add(t, "4242/cmdline", '0', 0, "x\0--flag\0", 9, NULL);
	tar_file(t, "4242/stat", 0, "4242 (x) S 1\n");
	tar_finish(t);
	path = write_tar(dir, "smemcap.tar", t);
	recs = scan_path(path, want | MEM_FILE_MEMINFO | MEM_FILE_VERSION, MEM_SCAN_SMAPS_FALLBACK, NULL, 0);
	expect_data(recs, 0, MEM_FILE_MEMINFO, "MemTotal: 3 kB\n");
	expect_data(recs, 0, MEM_FILE_VERSION, "Linux version 2.6.32\n");
	for (guint i = 0; i < recs->len; i++) {
		Rec *r = recs->pdata[i];

		if (r->pid != 4242)
			continue;
		ck_assert(r->has_owner);
		ck_assert_uint_eq(r->owner_uid, 1234);
	}
	expect_data(recs, 4242, MEM_FILE_STAT, "4242 (x) S 1\n");
	ck_assert_uint_eq(expect_err(recs, 4242, MEM_FILE_CMDLINE, 0)->len, 9);
	ck_assert(memcmp(find_rec(recs, 4242, MEM_FILE_CMDLINE)->data, "x\0--flag\0", 9) == 0);
	ck_assert_ptr_nonnull(strstr(expect_err(recs, 4242, MEM_FILE_SMAPS, 0)->data, "\nPss: 4 kB\n"));
	expect_err(recs, 4242, MEM_FILE_SMAPS_ROLLUP, ENOENT);
	expect_err(recs, 4242, MEM_FILE_STATUS, ENOENT);
	ck_assert_uint_eq(recs->len, 2 + 5);
	remove_tree(dir);
}
END_TEST

START_TEST(test_tar_pid_filter_and_duplicates)
{
	g_autofree char *dir = make_tmpdir();
	g_autoptr(GByteArray) t = g_byte_array_new();
	g_autofree char *path = NULL;
	g_autofree char *huge = g_strnfill(5000, 'h');
	g_autoptr(GPtrArray) recs = NULL;
	static const guint32 sel[] = { 42, 100 };

	tar_file(t, "./meminfo", 0, "MemTotal: 4 kB\n");
	tar_file(t, "./9/stat", 0, huge);  /* above the bound below, but not selected: skipped unread */
	tar_file(t, "./42/stat", 0, "42 (first) S 1\n");
	tar_file(t, "./42/stat", 0, "42 (second) S 1\n");
	tar_file(t, "./100/environ", 0, huge);  /* above the bound, but not a file we read */
	tar_file(t, "./100/stat", 0, "100 (y) S 1\n");
	tar_file(t, "./1000/stat", 0, "1000 (z) S 1\n");
	tar_finish(t);
	path = write_tar(dir, "dup.tar", t);
	mem_source_set_max_file_size(4096);
	recs = scan_path(path, MEM_FILE_STAT | MEM_FILE_STATUS | MEM_FILE_MEMINFO, 0, sel, G_N_ELEMENTS(sel));
	mem_source_set_max_file_size(0);
	ck_assert_uint_eq(count_recs(recs, 9, MEM_FILE_STAT), 0);
	ck_assert_uint_eq(count_recs(recs, 1000, MEM_FILE_STAT), 0);
	ck_assert_uint_eq(count_recs(recs, 42, MEM_FILE_STAT), 2);
	ck_assert_str_eq(((Rec *)recs->pdata[1])->data, "42 (first) S 1\n");
	ck_assert_str_eq(((Rec *)recs->pdata[2])->data, "42 (second) S 1\n");
	expect_data(recs, 100, MEM_FILE_STAT, "100 (y) S 1\n");
	expect_err(recs, 42, MEM_FILE_STATUS, ENOENT);
	expect_err(recs, 100, MEM_FILE_STATUS, ENOENT);
	ck_assert_uint_eq(recs->len, 1 + 2 + 1 + 2);
	remove_tree(dir);
}
END_TEST

START_TEST(test_tar_large_members)
{
	g_autofree char *dir = make_tmpdir();
	g_autoptr(GByteArray) t = g_byte_array_new();
	gsize n = 1024 * 1024 + 7;
	g_autofree char *big = g_malloc(n + 1);
	g_autofree char *path = NULL;
	g_autoptr(GPtrArray) recs = NULL;
	Rec *r;

	for (gsize i = 0; i < n; i++)
		big[i] = (char)('A' + (i * 7) % 26);
	big[n] = '\0';
	tar_add(t, "./100/smaps", '0', 0, big, n, NULL);
	tar_file(t, "./100/stat", 0, "100 (big) S 1\n");
	tar_finish(t);
	path = write_tar(dir, "big.tar", t);
	recs = scan_path(path, MEM_FILE_STAT | MEM_FILE_SMAPS, 0, NULL, 0);
	r = expect_err(recs, 100, MEM_FILE_SMAPS, 0);
	ck_assert_uint_eq(r->len, n);
	ck_assert(memcmp(r->data, big, n) == 0);
	expect_data(recs, 100, MEM_FILE_STAT, "100 (big) S 1\n");

	/* Above the (lowered) bound: the scan stops with TOO_LARGE naming the member. */
	mem_source_set_max_file_size(n - 1);
	{
		g_autoptr(GError) error = scan_fails(path, MEM_FILE_SMAPS, 0);

		mem_source_set_max_file_size(0);
		ck_assert(g_error_matches(error, MEM_ERROR, MEM_ERROR_TOO_LARGE));
		ck_assert_ptr_nonnull(strstr(error->message, "100/smaps"));
		ck_assert_ptr_nonnull(strstr(error->message, path));
	}
	/* Exactly at the bound it is read. */
	mem_source_set_max_file_size(n);
	{
		g_autoptr(GPtrArray) ok = scan_path(path, MEM_FILE_SMAPS, 0, NULL, 0);

		mem_source_set_max_file_size(0);
		ck_assert_uint_eq(expect_err(ok, 100, MEM_FILE_SMAPS, 0)->len, n);
	}
	remove_tree(dir);
}
END_TEST

/* A consumer returning FALSE stops the scan with its error. */
static gboolean stop_at_second(const MemFile *f, gpointer user_data, GError **error)
{
	int *n = user_data;

	if (++*n == 2) {
		g_set_error(error, MEM_ERROR, MEM_ERROR_PARSE, "%s: consumer says no", mem_file_path(f));
		return FALSE;
	}
	return TRUE;
}

START_TEST(test_consumer_stops)
{
	g_autofree char *dir = make_tmpdir();
	g_autoptr(GError) error = NULL;
	g_autoptr(MemSource) src = NULL;
	int n = 0;
	static const guint32 unsorted[] = { 5, 3 };

	fill_snapshot(dir);
	src = mem_source_open(dir, &error);
	ck_assert(!mem_source_scan(src, ALL_PID_FILES, 0, NULL, 0, stop_at_second, &n, &error));
	ck_assert_int_eq(n, 2);
	ck_assert(g_error_matches(error, MEM_ERROR, MEM_ERROR_PARSE));
	ck_assert_ptr_nonnull(strstr(error->message, "/7/status: consumer says no"));
	g_clear_error(&error);
	ck_assert(!mem_source_scan(src, ALL_PID_FILES, 0, unsorted, 2, stop_at_second, &n, &error));
	ck_assert(g_error_matches(error, MEM_ERROR, MEM_ERROR_INVALID));
	remove_tree(dir);
}
END_TEST

/* A consumer of streamed smaps: reads it to the end through more(), or stops after `stop_after` bytes.
 * Each window is taken whole and dropped at the next call, so the windows stay small. */
typedef struct {
	GString *got;
	gsize stop_after;     /* 0: read it all */
	guint streams;
	gsize max_window;
	GError *error;        /* what more() failed with */
	guint delay_us;       /* sleeps this long first: the reader runs out of chunks and waits */
} StreamSink;

static gboolean stream_consumer(const MemFile *f, gpointer user_data, GError **error)
{
	StreamSink *k = user_data;
	const char *buf = f->data;
	gsize len = f->len;

	if (f->file != MEM_FILE_SMAPS || f->err)
		return TRUE;
	if (f->more)
		k->streams++;
	if (k->delay_us)
		g_usleep(k->delay_us);
	for (;;) {
		g_string_append_len(k->got, buf, (gssize)len);
		k->max_window = MAX(k->max_window, len);
		if (!f->more || (k->stop_after && k->got->len >= k->stop_after))
			break;
		if (!f->more(f->more_data, len, &buf, &len, &k->error))
			break;
		if (len == 0)
			break;
	}
	return TRUE;
}

START_TEST(test_stream_smaps)
{
	/* A 3 MB smaps comes whole through more(), for a directory and for the live self; a consumer that
	 * stops early does not hang the reader. */
	g_autofree char *dir = make_tmpdir();
	g_autoptr(GError) error = NULL;
	g_autoptr(GString) big = g_string_new(NULL);
	guint32 pid = 42, self = (guint32)getpid();

	for (guint i = 0; big->len < 3u << 20; i++)
		g_string_append_printf(big, "%08x-%08x r--p 00000000 00:00 0 name%u\nSize: 4 kB\nRss: 4 kB\n", i * 4096,
		                       i * 4096 + 4096, i);
	write_text(dir, "42/stat", "42 (x) S 1 42 42 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1 4096 1\n");
	write_bytes(dir, "42/smaps", big->str, big->len);
	for (int pass = 0; pass < 2; pass++) {
		g_autoptr(MemSource) src = mem_source_open(dir, &error);
		StreamSink k = { g_string_new(NULL), pass ? 100000 : 0, 0, 0, NULL, 0 };

		ck_assert(mem_source_scan(src, MEM_FILE_STAT | MEM_FILE_SMAPS, MEM_SCAN_STREAM, &pid, 1,
		                          stream_consumer, &k, &error));
		ck_assert_uint_eq(k.streams, 1);
		ck_assert_ptr_null(k.error);
		if (!pass) {
			ck_assert_uint_eq(k.got->len, big->len);
			ck_assert(memcmp(k.got->str, big->str, big->len) == 0);
			/* A window holds a piece of what arrived, not the file. */
			ck_assert_uint_le(k.max_window, 256 * 1024);
		} else {
			/* stopped early (or the reader was already done): a prefix, and no hang */
			ck_assert_uint_le(k.got->len, big->len);
			ck_assert(memcmp(k.got->str, big->str, k.got->len) == 0);
		}
		g_string_free(k.got, TRUE);
	}
	{
		g_autoptr(MemSource) live = mem_source_open(NULL, &error);
		StreamSink k = { g_string_new(NULL), 0, 0, 0, NULL, 0 };

		ck_assert(mem_source_scan(live, MEM_FILE_SMAPS, MEM_SCAN_STREAM | MEM_SCAN_THREADS, &self, 1,
		                          stream_consumer, &k, &error));
		ck_assert_uint_eq(k.streams, 1);
		ck_assert_ptr_nonnull(strstr(k.got->str, "[stack]"));
		ck_assert_int_eq(k.got->str[k.got->len - 1], '\n');
		g_string_free(k.got, TRUE);
	}
	/* A consumer that comes late: the reader fills its chunks, waits for them, and nothing is lost. */
	{
		g_autoptr(MemSource) src = mem_source_open(dir, &error);
		StreamSink k = { g_string_new(NULL), 0, 0, 0, NULL, 200000 };

		ck_assert(mem_source_scan(src, MEM_FILE_SMAPS, MEM_SCAN_STREAM, &pid, 1, stream_consumer, &k, &error));
		ck_assert_ptr_null(k.error);
		ck_assert_uint_eq(k.got->len, big->len);
		ck_assert(memcmp(k.got->str, big->str, big->len) == 0);
		g_string_free(k.got, TRUE);
	}
	/* Above the bound, more() fails with TOO_LARGE after the bytes below it, also when the bound falls
	 * where the reader starts a new piece. */
	for (gsize max = 1000000; max <= 1u << 20; max += (1u << 20) - 1000000) {
		g_autoptr(MemSource) src = mem_source_open(dir, &error);
		StreamSink k = { g_string_new(NULL), 0, 0, 0, NULL, 0 };

		mem_source_set_max_file_size(max);
		ck_assert(mem_source_scan(src, MEM_FILE_SMAPS, MEM_SCAN_STREAM, &pid, 1, stream_consumer, &k, &error));
		mem_source_set_max_file_size(0);
		ck_assert_uint_eq(k.streams, 1);
		ck_assert_msg(g_error_matches(k.error, MEM_ERROR, MEM_ERROR_TOO_LARGE), "bound %zu", max);
		ck_assert_uint_eq(k.got->len, max);
		ck_assert(memcmp(k.got->str, big->str, k.got->len) == 0);
		g_clear_error(&k.error);
		g_string_free(k.got, TRUE);
	}
	/* Without the flag, or for the whole system, files come whole. */
	{
		g_autoptr(MemSource) src = mem_source_open(dir, &error);
		StreamSink k = { g_string_new(NULL), 0, 0, 0, NULL, 0 };

		ck_assert(mem_source_scan(src, MEM_FILE_SMAPS, MEM_SCAN_STREAM, NULL, 0, stream_consumer, &k, &error));
		ck_assert_uint_eq(k.streams, 0);
		ck_assert_uint_eq(k.got->len, big->len);
		g_string_free(k.got, TRUE);
	}
	remove_tree(dir);
}
END_TEST

/* collect() for MEM_SCAN_THREADS (called from several threads at once), draining a windowed smaps
 * through more() into one record. */
static pthread_mutex_t collect_lock = PTHREAD_MUTEX_INITIALIZER;

static gboolean collect_windows(const MemFile *f, gpointer user_data, GError **error)
{
	GString *all = g_string_new(NULL);
	const char *buf = f->data;
	gsize len = f->len;
	MemFile copy = *f;
	gboolean ok;

	if (f->more) {
		for (;;) {
			g_string_append_len(all, buf, (gssize)len);
			if (!f->more(f->more_data, len, &buf, &len, error) || len == 0)
				break;
		}
		copy.data = all->str;
		copy.len = all->len;
	}
	pthread_mutex_lock(&collect_lock);
	ok = collect(&copy, user_data, error);
	pthread_mutex_unlock(&collect_lock);
	g_string_free(all, TRUE);
	return ok;
}
/* ---- hostile trees: the same rule for a directory and a tar ---- */

/* Issue #8: tar members that are not regular files were skipped silently (the process [vanished]),
 * while the same tree as a directory said "symbolic link refused".  Each must fail the same way. */
START_TEST(test_tar_not_regular)
{
	static const struct {
		guint32 pid;
		MemFileId file;
		int err;
	} expect[] = {
		{ 0, MEM_FILE_MEMINFO, ELOOP },            /* symbolic link */
		{ 100, MEM_FILE_SMAPS_ROLLUP, ELOOP },     /* symbolic link */
		{ 100, MEM_FILE_STATUS, EINVAL },          /* FIFO */
		{ 100, MEM_FILE_SMAPS, EISDIR },           /* a directory where a file belongs */
		{ 200, MEM_FILE_STAT, ELOOP },             /* a symbolic link where a pid directory belongs */
		{ 200, MEM_FILE_SMAPS, ELOOP },
		{ 300, MEM_FILE_STAT, ENOTDIR },           /* a file where a pid directory belongs */
		{ 300, MEM_FILE_MAPS, ENOTDIR },
	};
	g_autofree char *dir = make_tmpdir();
	g_autofree char *tree = g_build_filename(dir, "tree", NULL);
	g_autofree char *fifo = g_build_filename(tree, "100/status", NULL);
	g_autoptr(GByteArray) t = g_byte_array_new();
	g_autofree char *path = NULL;
	g_autoptr(GPtrArray) from_tar = NULL;
	g_autoptr(GPtrArray) from_dir = NULL;

	tar_add(t, "meminfo", '2', 0, NULL, 0, "/etc/passwd");
	tar_add(t, "100/", '5', 0, NULL, 0, NULL);
	tar_file(t, "100/stat", 0, "100 (x) S 1\n");
	tar_add(t, "100/smaps_rollup", '2', 0, NULL, 0, "/etc/passwd");
	tar_add(t, "100/status", '6', 0, NULL, 0, NULL);
	tar_add(t, "100/statm", '3', 0, NULL, 0, NULL);
	tar_add(t, "100/cmdline", '1', 0, NULL, 0, "100/stat");
	tar_add(t, "100/smaps/", '5', 0, NULL, 0, NULL);
	tar_add(t, "200", '2', 0, NULL, 0, "/");
	tar_file(t, "300", 0, "a file where a pid directory belongs\n");
	tar_finish(t);
	path = write_tar(dir, "hostile.tar", t);
	from_tar = scan_path(path, ALL_PID_FILES | ALL_TOP_FILES, 0, NULL, 0);
	expect_err(from_tar, 100, MEM_FILE_STATM, EINVAL);   /* a character device */
	expect_err(from_tar, 100, MEM_FILE_CMDLINE, EINVAL); /* a hard link */
	expect_data(from_tar, 100, MEM_FILE_STAT, "100 (x) S 1\n");

	make_symlink(tree, "meminfo", "/etc/passwd");
	write_text(tree, "100/stat", "100 (x) S 1\n");
	make_symlink(tree, "100/smaps_rollup", "/etc/passwd");
	ck_assert_int_eq(mkfifo(fifo, 0644), 0);
	make_dir(tree, "100/smaps");
	make_symlink(tree, "200", "/");
	write_text(tree, "300", "a file where a pid directory belongs\n");
	from_dir = scan_path(tree, ALL_PID_FILES | ALL_TOP_FILES, 0, NULL, 0);
	for (gsize i = 0; i < G_N_ELEMENTS(expect); i++) {
		expect_err(from_tar, expect[i].pid, expect[i].file, expect[i].err);
		expect_err(from_dir, expect[i].pid, expect[i].file, expect[i].err);
	}
	remove_tree(dir);
}
END_TEST

/* Issue #8: `memps -S /etc` printed an empty table.  A directory or tar without a pid directory,
 * meminfo or proc/ is not a recording. */
START_TEST(test_not_a_recording)
{
	g_autofree char *dir = make_tmpdir();
	g_autofree char *etc = g_build_filename(dir, "etc", NULL);
	g_autofree char *procdir = g_build_filename(dir, "withproc", NULL);
	g_autoptr(GByteArray) t = g_byte_array_new();
	g_autoptr(GByteArray) empty = g_byte_array_new();
	g_autoptr(GByteArray) under_proc = g_byte_array_new();
	g_autofree char *tar = NULL, *empty_tar = NULL, *proc_tar = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(MemSource) src = NULL;
	GError *e;

	write_text(etc, "hosts", "127.0.0.1 localhost\n");
	write_text(etc, "version", "Linux version 6.1.0\n");
	src = mem_source_open(etc, &error);
	ck_assert_ptr_null(src);
	ck_assert(g_error_matches(error, MEM_ERROR, MEM_ERROR_NOT_FOUND));
	ck_assert_ptr_nonnull(strstr(error->message, "not a recording"));
	/* An empty proc/ is a recording of nothing, as `cp -a --parents /proc/...` may leave. */
	make_dir(procdir, "proc");
	src = mem_source_open(procdir, &error);
	ck_assert_ptr_nonnull(src);
	g_clear_pointer(&src, mem_source_free);

	tar_file(t, "etc/hosts", 0, "127.0.0.1 localhost\n");
	tar_file(t, "version", 0, "Linux version 6.1.0\n");
	tar_finish(t);
	tar = write_tar(dir, "etc.tar", t);
	e = scan_fails(tar, ALL_PID_FILES | ALL_TOP_FILES, 0);
	ck_assert(g_error_matches(e, MEM_ERROR, MEM_ERROR_NOT_FOUND));
	ck_assert_ptr_nonnull(strstr(e->message, "not a recording"));
	g_error_free(e);
	tar_finish(empty);
	empty_tar = write_tar(dir, "empty.tar", empty);
	e = scan_fails(empty_tar, MEM_FILE_STAT, 0);
	ck_assert(g_error_matches(e, MEM_ERROR, MEM_ERROR_NOT_FOUND));
	g_error_free(e);
	tar_add(under_proc, "proc/", '5', 0, NULL, 0, NULL);
	tar_finish(under_proc);
	proc_tar = write_tar(dir, "proc.tar", under_proc);
	g_ptr_array_unref(scan_path(proc_tar, MEM_FILE_STAT, 0, NULL, 0));
	remove_tree(dir);
}
END_TEST

/* ---- every path through the source: fds, the shm directory, user names ---- */

START_TEST(test_fds_proc_root)
{
	g_autofree char *dir = make_tmpdir();
	g_autofree char *proc = g_build_filename(dir, "proc", NULL);
	g_autofree char *seg = g_build_filename(dir, "dev/shm/seg", NULL);
	g_autofree char *lonely = g_build_filename(dir, "lonely/proc", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(MemSource) src = NULL;
	g_autoptr(MemSource) rec = NULL;
	g_autoptr(MemFds) fds = NULL;
	g_autoptr(GArray) pids = NULL;
	g_autoptr(GArray) list = NULL;
	g_autoptr(GArray) shm = NULL;
	guint32 maj, min;

	write_text(dir, "dev/shm/seg", "0123456789");
	make_symlink(proc, "123/fd/3", seg);
	write_text(proc, "123/stat", "123 (x) S 1\n");
	make_dir(proc, "notapid");
	src = mem_source_open_proc_root(proc, &error);
	ck_assert_ptr_nonnull(src);
	ck_assert(!mem_source_is_live_proc(src));
	fds = mem_source_fds_open(src, &error);
	ck_assert_msg(fds != NULL, "%s", error ? error->message : "?");
	pids = mem_fds_pids(fds, &error);
	ck_assert_uint_eq(pids->len, 1);
	ck_assert_uint_eq(g_array_index(pids, guint32, 0), 123);
	list = mem_fds_list(fds, 123, &error);
	ck_assert_msg(list != NULL, "%s", error ? error->message : "?");
	ck_assert_uint_eq(list->len, 1);
	ck_assert_int_eq(g_array_index(list, MemFdEntry, 0).fd, 3);
	ck_assert_str_eq(g_array_index(list, MemFdEntry, 0).target, seg);
	ck_assert(g_array_index(list, MemFdEntry, 0).has_stat);
	ck_assert_uint_eq(g_array_index(list, MemFdEntry, 0).size, 10);
	/* The shm directory is DIR/../dev/shm, not the machine's /dev/shm. */
	shm = mem_fds_shm_files(fds, &error);
	ck_assert_uint_eq(shm->len, 1);
	ck_assert_str_eq(g_array_index(shm, MemShmFile, 0).name, "seg");
	ck_assert(mem_fds_shm_dev(fds, &maj, &min));
	g_clear_pointer(&fds, mem_fds_free);
	g_clear_pointer(&shm, g_array_unref);
	g_clear_pointer(&src, mem_source_free);

	/* No DIR/../dev/shm: no shm directory, not the machine's. */
	make_dir(lonely, "1");
	src = mem_source_open_proc_root(lonely, &error);
	fds = mem_source_fds_open(src, &error);
	ck_assert_ptr_nonnull(fds);
	ck_assert(!mem_fds_shm_dev(fds, &maj, &min));
	shm = mem_fds_shm_files(fds, &error);
	ck_assert_uint_eq(shm->len, 0);

	/* A recording's walk is what its scan hands over: nothing yet, so no pid's fds are known. */
	rec = mem_source_open(proc, &error);
	ck_assert_ptr_nonnull(rec);
	ck_assert(!mem_source_is_live_proc(rec));
	{
		g_autoptr(MemFds) rf = mem_source_fds_open(rec, &error);
		g_autoptr(GArray) rp = NULL;
		ck_assert_ptr_nonnull(rf);
		ck_assert(mem_fds_is_recorded(rf));
		ck_assert(!mem_fds_recorded_any(rf));
		ck_assert_uint_eq(mem_fds_wanted(rf), MEM_FILE_FDS | MEM_FILE_DEV_SHM | MEM_FILE_MEMCAP_INFO);
		rp = mem_fds_pids(rf, &error);
		ck_assert_uint_eq(rp->len, 0);
		ck_assert_ptr_null(mem_fds_list(rf, 1, &error));
		ck_assert(g_error_matches(error, MEM_ERROR, MEM_ERROR_NOT_FOUND));
		g_clear_error(&error);
	}
	remove_tree(dir);
}
END_TEST

START_TEST(test_fds_live)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(MemSource) src = mem_source_open(NULL, &error);
	g_autoptr(MemFds) fds = NULL;
	g_autoptr(GArray) pids = NULL;
	g_autoptr(GArray) list = NULL;
	guint32 self = (guint32)getpid();
	gboolean found = FALSE;

	ck_assert(mem_source_is_live_proc(src));
	fds = mem_source_fds_open(src, &error);
	ck_assert_msg(fds != NULL, "%s", error ? error->message : "?");
	pids = mem_fds_pids(fds, &error);
	for (guint i = 0; i < pids->len; i++)
		found |= g_array_index(pids, guint32, i) == self;
	ck_assert(found);
	list = mem_fds_list(fds, self, &error);
	ck_assert_ptr_nonnull(list);
	ck_assert_uint_ge(list->len, 1);
}
END_TEST

START_TEST(test_user_names)
{
	g_autofree char *dir = make_tmpdir();
	g_autoptr(GError) error = NULL;
	g_autoptr(MemSource) live = mem_source_open(NULL, &error);
	g_autoptr(MemSource) root = NULL;
	g_autoptr(MemSource) rec = NULL;
	guint32 uid = 42;

	write_text(dir, "1/stat", "1 (init) S 0\n");
	write_text(dir, "passwd", "someone:x:0:0::/:/bin/sh\n");
	/* Live: the system's user database (root is uid 0 on every Debian system). */
	ck_assert_str_eq(mem_source_user_name(live, 0), "root");
	ck_assert_str_eq(mem_source_user_name(live, 0), "root"); /* cached */
	ck_assert(mem_source_user_id(live, "root", &uid));
	ck_assert_uint_eq(uid, 0);
	ck_assert(!mem_source_user_id(live, "no-such-user-memps", &uid));
	/* --proc-root is a view of this machine: the same database. */
	root = mem_source_open_proc_root(dir, &error);
	ck_assert_str_eq(mem_source_user_name(root, 0), "root");
	/* A recording: never this machine's names (its passwd file comes through the scan). */
	rec = mem_source_open(dir, &error);
	ck_assert_ptr_nonnull(rec);
	ck_assert_ptr_null(mem_source_user_name(rec, 0));
	uid = 42;
	ck_assert(!mem_source_user_id(rec, "root", &uid));
	ck_assert_uint_eq(uid, 42);
	remove_tree(dir);
}
END_TEST

/* Issue #8: qsort(NULL, 0, ...) when the threaded weighing had no pid (`memps -p 999999`,
 * `memps --proc-root EMPTYDIR`); UBSan builds abort on it. */
START_TEST(test_threads_no_pid)
{
	g_autofree char *dir = make_tmpdir();
	g_autoptr(GError) error = NULL;
	g_autoptr(MemSource) src = mem_source_open_proc_root(dir, &error);
	g_autoptr(GPtrArray) recs = recs_new();
	guint32 absent = 999999;

	ck_assert(mem_source_scan(src, MEM_FILE_STAT | MEM_FILE_SMAPS, MEM_SCAN_THREADS, NULL, 0, collect, recs,
	                          &error));
	ck_assert(mem_source_scan(src, MEM_FILE_STAT | MEM_FILE_SMAPS, MEM_SCAN_THREADS, &absent, 1, collect, recs,
	                          &error));
	ck_assert_uint_eq(recs->len, 0);
	remove_tree(dir);
}
END_TEST

/* A stat longer than MEM_SOURCE_PRE_STAT_MAX is not kept from the weighing but read again in its turn:
 * delivered whole, and the same as the short ones. */
START_TEST(test_threads_long_stat)
{
	g_autofree char *dir = make_tmpdir();
	g_autoptr(GError) error = NULL;
	g_autoptr(MemSource) src = NULL;
	g_autoptr(GPtrArray) recs = recs_new();
	GString *big = g_string_new("7 (");
	g_autofree char *big_text = NULL;

	for (guint i = 0; i < 3 * MEM_SOURCE_PRE_STAT_MAX; i++)
		g_string_append_c(big, 'n');
	g_string_append(big, ") S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1 1000 9 18446744073709551615\n");
	big_text = g_string_free(big, FALSE);
	write_text(dir, "7/stat", big_text);
	write_text(dir, "7/smaps", "smaps of 7\n");
	write_text(dir, "8/stat", "8 (x) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1 1000 99 1\n");
	write_text(dir, "8/smaps", "smaps of 8\n");
	src = mem_source_open_proc_root(dir, &error);
	ck_assert(mem_source_scan(src, MEM_FILE_STAT, MEM_SCAN_THREADS, NULL, 0, collect, recs, &error));
	g_ptr_array_set_size(recs, 0);
	ck_assert(mem_source_scan(src, MEM_FILE_STAT | MEM_FILE_SMAPS_ROLLUP | MEM_FILE_SMAPS, MEM_SCAN_THREADS,
	                          NULL, 0, collect_windows, recs, &error));
	expect_data(recs, 7, MEM_FILE_STAT, big_text);
	expect_data(recs, 8, MEM_FILE_STAT, "8 (x) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1 1000 99 1\n");
	expect_data(recs, 7, MEM_FILE_SMAPS, "smaps of 7\n");
	remove_tree(dir);
}
END_TEST

static Suite *source_suite(void)
{
	Suite *s = suite_create("source");
	TCase *live = tcase_create("live");
	TCase *dir = tcase_create("dir");
	TCase *tar = tcase_create("tar");

	tcase_add_test(live, test_live_does_not_load_libarchive);
	tcase_add_test(live, test_live_self);
	tcase_add_test(live, test_one_shot_reads);
	tcase_add_test(live, test_live_direct_status);
	tcase_add_test(live, test_live_all_pids);
	tcase_add_test(live, test_live_fallback);
	suite_add_tcase(s, live);
	tcase_add_test(dir, test_dir_snapshot);
	tcase_add_test(dir, test_stream_smaps);
	tcase_add_test(dir, test_dir_snapshot_proc_prefix);
	tcase_add_test(dir, test_dir_symlinks);
	tcase_add_test(dir, test_dir_manifest);
	tcase_add_test(dir, test_dir_fallback_probe);
	tcase_add_test(dir, test_dir_bound);
	tcase_add_test(dir, test_open_errors);
	tcase_add_test(dir, test_consumer_stops);
	tcase_add_test(dir, test_not_a_recording);
	tcase_add_test(dir, test_fds_proc_root);
	tcase_add_test(dir, test_threads_no_pid);
	tcase_add_test(dir, test_threads_long_stat);
	tcase_add_test(live, test_fds_live);
	tcase_add_test(live, test_user_names);
	suite_add_tcase(s, dir);
	tcase_set_timeout(tar, 120);
	tcase_add_test(tar, test_tar_plain);
	tcase_add_test(tar, test_tar_prefixes_and_compression);
	tcase_add_test(tar, test_tar_stdin);
	tcase_add_test(tar, test_tar_rescan_file);
	tcase_add_test(tar, test_tar_unsafe);
	tcase_add_test(tar, test_tar_corrupt);
	tcase_add_test(tar, test_tar_smemcap);
	tcase_add_test(tar, test_manifest_wins);
	tcase_add_test(tar, test_tar_pid_filter_and_duplicates);
	tcase_add_test(tar, test_tar_large_members);
	tcase_add_test(tar, test_tar_not_regular);
	suite_add_tcase(s, tar);
	return s;
}

int main(void)
{
	return mem_check_run(source_suite());
}
