/* check-threads.c: Check unit tests of reading on several threads: MEM_SCAN_THREADS and the model over it (source and model layer tests) */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "model.h"
#include "source-private.h"
#include "source.h"
#include "../common/check-run.h"

#define N_PIDS 60
#define FIRST_PID 100

static char *root;

/* Resident pages of a fake pid: not in pid order, with ties, so that the order of reading shows. */
static guint64 rss_of(guint32 pid)
{
	return (guint64)((pid * 7919u) % 23u) * 10u;
}

/* Mappings of a fake pid: 1 to 40, and one pid with 3000 (a 600 KB smaps: many windows). */
#define BIG_PID (FIRST_PID + 7)
static guint n_maps_of(guint32 pid)
{
	return pid == BIG_PID ? 3000 : 1 + (pid * 31u) % 40u;
}

static void write_file(const char *dir, const char *name, const char *text)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);
	g_autoptr(GError) error = NULL;

	ck_assert_msg(g_file_set_contents(path, text, -1, &error), "%s: %s", path, error ? error->message : "?");
}

static char *smaps_text(guint32 pid)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < n_maps_of(pid); i++) {
		guint64 start = 0x400000ull + (guint64)i * 0x2000u;
		/* Every other mapping is of one file shared by all pids, the others anonymous. */
		if (i % 2)
			g_string_append_printf(s, "%" G_GINT64_MODIFIER "x-%" G_GINT64_MODIFIER "x r--p %08x 08:01 4242 "
			                          "                   /usr/lib/libshared.so\n",
			                       start, start + 0x1000, i * 0x1000u);
		else
			g_string_append_printf(s, "%" G_GINT64_MODIFIER "x-%" G_GINT64_MODIFIER "x rw-p 00000000 00:00 0 \n",
			                       start, start + 0x1000);
		g_string_append(s, "Size:                  4 kB\nRss:                   4 kB\n"
		                   "Pss:                   2 kB\nSwap:                  0 kB\n");
	}
	return g_string_free(s, FALSE);
}

static void make_root(void)
{
	root = g_dir_make_tmp("memps-threads-XXXXXX", NULL);
	ck_assert_ptr_nonnull(root);
	for (guint32 pid = FIRST_PID; pid < FIRST_PID + N_PIDS; pid++) {
		g_autofree char *dir = g_strdup_printf("%s/%u", root, pid);
		g_autofree char *stat = NULL, *statm = NULL, *smaps = smaps_text(pid);

		ck_assert_int_eq(mkdir(dir, 0755), 0);
		/* 52 fields, as the kernel writes them; rss is the 24th.  A comm with ") " in it. */
		stat = g_strdup_printf("%u (a) b) S 1 %u %u 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 100 1000000 %" G_GUINT64_FORMAT
		                       " 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
		                       pid, pid, pid, rss_of(pid));
		statm = g_strdup_printf("1000 %" G_GUINT64_FORMAT " 0 0 0 0 0\n", rss_of(pid));
		write_file(dir, "stat", stat);
		write_file(dir, "statm", statm);
		write_file(dir, "smaps", smaps);
	}
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void remove_root(void)
{
	nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	g_clear_pointer(&root, g_free);
}

/* One delivery, as a thread saw it. */
typedef struct {
	guint thread;
	guint32 pid;
	MemFileId file;
	char *data;
	int err;
} Seen;

typedef struct {
	pthread_mutex_t lock;
	GArray *seen;         /* Seen, in the order each thread delivered (interleaved between threads) */
	guint32 stop_at;      /* fail when this pid's smaps comes (0: never) */
} Collector;

static void seen_clear(gpointer p)
{
	g_free(((Seen *)p)->data);
}

static gboolean collect(const MemFile *f, gpointer user_data, GError **error)
{
	Collector *c = user_data;
	Seen s = { f->thread, f->pid, f->file, NULL, f->err };
	GString *all = g_string_new_len(f->data, (gssize)f->len);

	if (f->more) {
		/* smaps comes through a window read by the delivering thread: take it all. */
		const char *buf = f->data;
		gsize len = f->len;
		ck_assert_uint_eq(f->file, MEM_FILE_SMAPS);
		for (;;) {
			ck_assert(f->more(f->more_data, len, &buf, &len, NULL));
			if (len == 0)
				break;
			g_string_append_len(all, buf, (gssize)len);
		}
	}
	s.data = g_string_free(all, FALSE);

	ck_assert_uint_lt(f->thread, MEM_SCAN_MAX_THREADS);
	pthread_mutex_lock(&c->lock);
	g_array_append_val(c->seen, s);
	pthread_mutex_unlock(&c->lock);
	if (c->stop_at && f->pid == c->stop_at && f->file == MEM_FILE_SMAPS) {
		g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "stopped at %u", f->pid);
		return FALSE;
	}
	return TRUE;
}

static void collector_init(Collector *c)
{
	pthread_mutex_init(&c->lock, NULL);
	c->seen = g_array_new(FALSE, FALSE, sizeof(Seen));
	g_array_set_clear_func(c->seen, seen_clear);
	c->stop_at = 0;
}

static void collector_clear(Collector *c)
{
	g_array_unref(c->seen);
	pthread_mutex_destroy(&c->lock);
}

static int compare_seen(gconstpointer a, gconstpointer b)
{
	const Seen *x = a, *y = b;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return x->file < y->file ? -1 : x->file > y->file;
}

static void scan(Collector *c, guint32 want, MemScanFlags flags, gboolean expect_ok)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(MemSource) src = mem_source_open_proc_root(root, &error);
	gboolean ok;

	ck_assert_msg(src != NULL, "%s", error ? error->message : "?");
	ck_assert_uint_le(mem_source_threads(src, flags), MEM_SCAN_MAX_THREADS);
	ok = mem_source_scan(src, want, flags, NULL, 0, collect, c, &error);
	ck_assert_msg(ok == expect_ok, "scan: %s", error ? error->message : "succeeded");
	if (!ok)
		ck_assert(g_error_matches(error, MEM_ERROR, MEM_ERROR_INVALID) && strstr(error->message, "stopped at"));
}

START_TEST(test_threads_deliver_what_one_thread_does)
{
	Collector one, many;

	collector_init(&one);
	collector_init(&many);
	scan(&one, MEM_FILE_STAT | MEM_FILE_SMAPS, 0, TRUE);
	scan(&many, MEM_FILE_STAT | MEM_FILE_SMAPS, MEM_SCAN_THREADS, TRUE);
	ck_assert_uint_eq(one.seen->len, 2 * N_PIDS);
	ck_assert_uint_eq(many.seen->len, one.seen->len);
	for (guint i = 0; i < one.seen->len; i++)
		ck_assert_uint_eq(g_array_index(one.seen, Seen, i).thread, 0);

	/* Per thread: a pid's stat, then at once its smaps (the files of a pid come together, in bit order). */
	for (guint t = 0; t < MEM_SCAN_MAX_THREADS; t++) {
		const Seen *prev = NULL;
		for (guint i = 0; i < many.seen->len; i++) {
			const Seen *s = &g_array_index(many.seen, Seen, i);
			if (s->thread != t)
				continue;
			if (prev && prev->file == MEM_FILE_STAT) {
				ck_assert_uint_eq(s->pid, prev->pid);
				ck_assert_uint_eq(s->file, MEM_FILE_SMAPS);
			} else {
				ck_assert_uint_eq(s->file, MEM_FILE_STAT);
			}
			prev = s;
		}
	}
	/* The same files with the same content (stat was read ahead to weigh the pid: the same bytes). */
	g_array_sort(one.seen, compare_seen);
	g_array_sort(many.seen, compare_seen);
	for (guint i = 0; i < one.seen->len; i++) {
		const Seen *a = &g_array_index(one.seen, Seen, i), *b = &g_array_index(many.seen, Seen, i);
		ck_assert_uint_eq(a->pid, b->pid);
		ck_assert_uint_eq(a->file, b->file);
		ck_assert_int_eq(a->err, b->err);
		ck_assert_str_eq(a->data, b->data);
	}
	collector_clear(&one);
	collector_clear(&many);
}
END_TEST

/* Every thread takes pids heaviest first: its own sequence goes down in resident pages, and pid up
 * among equals.  With stat wanted the weight comes from stat, without it from statm: both orders. */
START_TEST(test_threads_heaviest_first)
{
	static const guint32 wants[] = { MEM_FILE_STAT | MEM_FILE_SMAPS, MEM_FILE_SMAPS };

	for (gsize w = 0; w < G_N_ELEMENTS(wants); w++) {
		Collector c;
		guint n_smaps = 0;

		collector_init(&c);
		scan(&c, wants[w], MEM_SCAN_THREADS, TRUE);
		for (guint t = 0; t < MEM_SCAN_MAX_THREADS; t++) {
			const Seen *prev = NULL;
			for (guint i = 0; i < c.seen->len; i++) {
				const Seen *s = &g_array_index(c.seen, Seen, i);
				if (s->thread != t || s->file != MEM_FILE_SMAPS)
					continue;
				n_smaps++;
				if (prev) {
					ck_assert_msg(rss_of(prev->pid) > rss_of(s->pid) ||
					                      (rss_of(prev->pid) == rss_of(s->pid) && prev->pid < s->pid),
					              "thread %u read pid %u (rss %" G_GUINT64_FORMAT ") after pid %u (rss %" G_GUINT64_FORMAT ")",
					              t, s->pid, rss_of(s->pid), prev->pid, rss_of(prev->pid));
				}
				prev = s;
			}
		}
		ck_assert_uint_eq(n_smaps, N_PIDS);
		collector_clear(&c);
	}
}
END_TEST

START_TEST(test_threads_consumer_stops)
{
	Collector c;

	collector_init(&c);
	c.stop_at = FIRST_PID + 17;
	scan(&c, MEM_FILE_STAT | MEM_FILE_SMAPS, MEM_SCAN_THREADS, FALSE);
	ck_assert_uint_le(c.seen->len, 2 * N_PIDS);
	collector_clear(&c);
}
END_TEST

/* A pid without stat: its error reaches the consumer as it would from one thread. */
START_TEST(test_threads_missing_stat)
{
	g_autofree char *path = g_strdup_printf("%s/%u/stat", root, FIRST_PID + 5);
	Collector c;
	gboolean found = FALSE;

	ck_assert_int_eq(unlink(path), 0);
	collector_init(&c);
	scan(&c, MEM_FILE_STAT | MEM_FILE_SMAPS, MEM_SCAN_THREADS, TRUE);
	for (guint i = 0; i < c.seen->len; i++) {
		const Seen *s = &g_array_index(c.seen, Seen, i);
		if (s->pid == FIRST_PID + 5 && s->file == MEM_FILE_STAT) {
			ck_assert_int_eq(s->err, ENOENT);
			found = TRUE;
		}
	}
	ck_assert(found);
	collector_clear(&c);
}
END_TEST

/* A smaps above the size bound: the bytes below it come through the window, then TOO_LARGE. */
typedef struct {
	pthread_mutex_t lock;
	gsize big_bytes;
	gboolean big_failed;
} Bounded;

static gboolean drain_big(const MemFile *f, gpointer user_data, GError **error)
{
	Bounded *b = user_data;
	const char *buf = f->data;
	gsize len = f->len, total = 0;
	g_autoptr(GError) local = NULL;

	(void)error;
	if (f->pid != BIG_PID || f->file != MEM_FILE_SMAPS)
		return TRUE;
	ck_assert_ptr_nonnull(f->more);
	for (;;) {
		total += len;
		if (!f->more(f->more_data, len, &buf, &len, &local))
			break;
		if (len == 0)
			break;
	}
	pthread_mutex_lock(&b->lock);
	b->big_bytes = total;
	b->big_failed = local != NULL && g_error_matches(local, MEM_ERROR, MEM_ERROR_TOO_LARGE);
	pthread_mutex_unlock(&b->lock);
	return TRUE;
}

START_TEST(test_threads_window_bound)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(MemSource) src = mem_source_open_proc_root(root, &error);
	g_autoptr(MemSnapshot) snap = NULL;
	MemLoadOptions lo = { 0 };
	Bounded b;
	const MemProcess *p;

	memset(&b, 0, sizeof b);
	pthread_mutex_init(&b.lock, NULL);
	mem_source_set_max_file_size(200000); /* the big smaps is ~600 KB, every other one below 10 KB */
	ck_assert(mem_source_scan(src, MEM_FILE_STAT | MEM_FILE_SMAPS, MEM_SCAN_THREADS, NULL, 0, drain_big, &b, &error));
	ck_assert_uint_eq(b.big_bytes, 200000);
	ck_assert(b.big_failed);
	/* The model takes it as the file's error (as a whole-file read's EFBIG), not as garbled content. */
	lo.mappings = TRUE;
	lo.no_rollup = TRUE;
	snap = mem_snapshot_load(src, &lo, &error);
	mem_source_set_max_file_size(0);
	ck_assert_ptr_nonnull(snap);
	p = mem_snapshot_find(snap, BIG_PID);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->state, MEM_PROC_UNREADABLE);
	ck_assert_int_eq(p->err, EFBIG);
	ck_assert(!p->malformed);
	ck_assert_uint_eq(snap->n_problems, 0);
	ck_assert_int_eq(mem_snapshot_find(snap, BIG_PID + 1)->state, MEM_PROC_OK);
	pthread_mutex_destroy(&b.lock);
}
END_TEST

/* ---- the model on threads, handing over mappings ---- */

#define BATCH_PIDS 3      /* test_model_hands_over_batches's pids, after the others */

typedef struct {
	pthread_mutex_t lock;
	guint calls[FIRST_PID + N_PIDS + BATCH_PIDS]; /* MORE, DONE and DROP calls */
	guint more[FIRST_PID + N_PIDS + BATCH_PIDS];
	guint done[FIRST_PID + N_PIDS + BATCH_PIDS];
	guint drop[FIRST_PID + N_PIDS + BATCH_PIDS];
	guint maps[FIRST_PID + N_PIDS + BATCH_PIDS];
	guint64 rss[FIRST_PID + N_PIDS + BATCH_PIDS]; /* Σ Rss of the mappings handed over */
	guint64 last_start[FIRST_PID + N_PIDS + BATCH_PIDS];
	guint32 open[MEM_SCAN_MAX_THREADS]; /* the pid a thread is handing over (MORE came, no DONE/DROP yet) */
	guint threads_used;   /* bit per thread */
} Handed;

static void on_mappings(guint thread, guint32 pid, const MemMapping *maps, guint n, MemMappingsStep step,
                        gpointer data)
{
	Handed *h = data;

	ck_assert_uint_lt(thread, MEM_SCAN_MAX_THREADS);
	ck_assert_uint_lt(pid, FIRST_PID + N_PIDS + BATCH_PIDS);
	ck_assert_uint_le(n, MEM_MAPPINGS_BATCH);
	pthread_mutex_lock(&h->lock);
	/* the calls of a pid come together on its thread, ascending across batches */
	ck_assert(h->open[thread] == 0 || h->open[thread] == pid);
	for (guint i = 0; i < n; i++) {
		ck_assert(maps[i].start >= h->last_start[pid]);
		h->last_start[pid] = maps[i].start + 1;
		h->rss[pid] += mem_mapping_value(&maps[i], MEM_F_RSS);
	}
	h->open[thread] = step == MEM_MAPPINGS_MORE ? pid : 0;
	if (step == MEM_MAPPINGS_MORE)
		ck_assert_uint_eq(n, MEM_MAPPINGS_BATCH);
	if (step == MEM_MAPPINGS_DROP)
		ck_assert_uint_eq(n, 0);
	h->calls[pid]++;
	h->more[pid] += step == MEM_MAPPINGS_MORE;
	h->done[pid] += step == MEM_MAPPINGS_DONE;
	h->drop[pid] += step == MEM_MAPPINGS_DROP;
	h->maps[pid] += n;
	h->threads_used |= 1u << thread;
	pthread_mutex_unlock(&h->lock);
}

START_TEST(test_model_hands_over_mappings)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(MemSource) src = mem_source_open_proc_root(root, &error);
	g_autoptr(MemSnapshot) snap = NULL;
	Handed h;
	MemLoadOptions lo = { 0 };

	memset(&h, 0, sizeof h);
	pthread_mutex_init(&h.lock, NULL);
	lo.mappings = TRUE;
	lo.no_rollup = TRUE;
	lo.mappings_func = on_mappings;
	lo.mappings_data = &h;
	ck_assert_ptr_nonnull(src);
	snap = mem_snapshot_load(src, &lo, &error);
	ck_assert_msg(snap != NULL, "%s", error ? error->message : "?");
	ck_assert_uint_eq(snap->procs->len, N_PIDS);
	for (guint i = 0; i < snap->procs->len; i++) {
		const MemProcess *p = g_ptr_array_index(snap->procs, i);
		guint64 rss = 0;

		ck_assert_uint_eq(p->pid, FIRST_PID + i); /* sorted by pid whatever the threads did */
		ck_assert_int_eq(p->state, MEM_PROC_OK);
		ck_assert_ptr_null(p->maps);                /* handed over, not kept */
		ck_assert_uint_eq(h.calls[p->pid], 1); /* below a batch: one DONE */
		ck_assert_uint_eq(h.done[p->pid], 1);
		ck_assert_uint_eq(h.maps[p->pid], n_maps_of(p->pid));
		ck_assert(mem_process_value(p, MEM_F_RSS, &rss));
		ck_assert_uint_eq(rss, 4096u * n_maps_of(p->pid));
		ck_assert_str_eq(p->name, "a) b");
	}
	ck_assert_uint_ne(h.threads_used, 0);
	if (mem_source_threads(src, MEM_SCAN_THREADS) == 1)
		ck_assert_uint_eq(h.threads_used, 1);
	pthread_mutex_destroy(&h.lock);
}
END_TEST

/* An smaps of n one-page private anonymous mappings, 4 kB resident each, a page apart; the mapping at
 * index `back` (if below n) starts a page before the end of the one before it (an overlap: live, a
 * process that merged mappings while read). */
static void write_batch_smaps(guint32 pid, guint n, guint back)
{
	g_autofree char *dir = g_strdup_printf("%s/%u", root, pid);
	g_autofree char *stat = g_strdup_printf("%u (big) S 1 %u %u 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 100 1000000 "
	                                        "10 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n",
	                                        pid, pid, pid);
	GString *s = g_string_new(NULL);

	ck_assert_int_eq(mkdir(dir, 0755), 0);
	for (guint i = 0; i < n; i++) {
		guint64 start = 0x400000ull + (guint64)i * 0x2000u - (i == back ? 0x2000u : 0);
		guint64 end = start + (i == back ? 0x2000u : 0x1000u);
		g_string_append_printf(s, "%" G_GINT64_MODIFIER "x-%" G_GINT64_MODIFIER "x rw-p 0 00:00 0\n"
		                          "Size: 4 kB\nRss: 4 kB\nPss: 4 kB\n", start, end);
	}
	write_file(dir, "stat", stat);
	write_file(dir, "smaps", s->str);
	g_string_free(s, TRUE);
}

/* A process of more than MEM_MAPPINGS_BATCH mappings comes in batches: MORE calls, then DONE with the rest.
 * A newer record that overlaps mappings not yet handed over replaces them as it does without batches;
 * one that overlaps mappings already handed over cannot: the process is unreadable (EAGAIN) and its
 * batches are dropped. */
START_TEST(test_model_hands_over_batches)
{
	const guint32 whole = FIRST_PID + N_PIDS, repaired = whole + 1, remapped = whole + 2;
	const guint n = 2 * MEM_MAPPINGS_BATCH + 5;
	g_autoptr(GError) error = NULL;
	g_autoptr(MemSource) src = NULL;
	g_autoptr(MemSnapshot) snap = NULL;
	const MemProcess *p;
	Handed *h = g_new0(Handed, 1);
	MemLoadOptions lo = { 0 };
	guint64 v = 0;

	write_batch_smaps(whole, n, G_MAXUINT);
	write_batch_smaps(repaired, n, 2 * MEM_MAPPINGS_BATCH + 1); /* replaces the one before it, not handed */
	write_batch_smaps(remapped, n, MEM_MAPPINGS_BATCH);         /* the first after a batch */
	pthread_mutex_init(&h->lock, NULL);
	src = mem_source_open_proc_root(root, &error);
	ck_assert_ptr_nonnull(src);
	lo.mappings = TRUE;
	lo.no_rollup = TRUE;
	lo.mappings_func = on_mappings;
	lo.mappings_data = h;
	snap = mem_snapshot_load(src, &lo, &error);
	ck_assert_msg(snap != NULL, "%s", error ? error->message : "?");

	p = mem_snapshot_find(snap, whole);
	ck_assert_int_eq(p->state, MEM_PROC_OK);
	ck_assert_uint_eq(h->more[whole], 2);
	ck_assert_uint_eq(h->done[whole], 1);
	ck_assert_uint_eq(h->calls[whole], 3);
	ck_assert_uint_eq(h->maps[whole], n);
	ck_assert_uint_eq(h->rss[whole], 4096ull * n);
	ck_assert(mem_process_value(p, MEM_F_RSS, &v) && v == 4096ull * n);

	p = mem_snapshot_find(snap, repaired);
	ck_assert_int_eq(p->state, MEM_PROC_OK);
	ck_assert_uint_eq(h->more[repaired], 2);
	ck_assert_uint_eq(h->done[repaired], 1);
	ck_assert_uint_eq(h->maps[repaired], n - 1);
	ck_assert_uint_eq(h->rss[repaired], 4096ull * (n - 1));
	/* the process's sum: the batches handed over and the rest, without the record replaced */
	ck_assert(mem_process_value(p, MEM_F_RSS, &v) && v == 4096ull * (n - 1));
	ck_assert(mem_process_value(p, MEM_F_SIZE, &v) && v == 4096ull * (n - 1));

	p = mem_snapshot_find(snap, remapped);
	ck_assert_int_eq(p->state, MEM_PROC_UNREADABLE);
	ck_assert_int_eq(p->err, EAGAIN);
	ck_assert_str_eq(mem_proc_state_note(p), "[unreadable: EAGAIN]");
	ck_assert_uint_eq(h->more[remapped], 1);
	ck_assert_uint_eq(h->done[remapped], 0);
	ck_assert_uint_eq(h->drop[remapped], 1);
	for (guint t = 0; t < MEM_SCAN_MAX_THREADS; t++)
		ck_assert_uint_eq(h->open[t], 0);
	pthread_mutex_destroy(&h->lock);
	g_free(h);
}
END_TEST

/* Files above MEM_SOURCE_BIG_BUFFER are read one at a time process-wide (the buffer is given back after
 * its file): every byte still arrives, on every thread, and a consumer that stops on a big file
 * leaves nothing held (the next scan would wait for ever). */
static gboolean stop_on_big_status(const MemFile *f, gpointer user_data, GError **error)
{
	if (f->file == MEM_FILE_STATUS && f->len > MEM_SOURCE_BIG_BUFFER) {
		g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "stopped at %u", f->pid);
		return FALSE;
	}
	return collect(f, user_data, error);
}

START_TEST(test_threads_big_files)
{
	const gsize big = MEM_SOURCE_BIG_BUFFER + 4096;
	g_autoptr(GError) error = NULL;
	g_autoptr(MemSource) src = NULL;
	Collector c;
	guint n_big = 0;

	for (guint32 k = 0; k < 4; k++) {
		g_autofree char *name = g_strdup_printf("%u/status", FIRST_PID + 3 * k);
		char *text = g_malloc(big + 1);

		memset(text, 'a' + (int)k, big);
		text[big] = '\0';
		write_file(root, name, text);
		g_free(text);
	}
	collector_init(&c);
	scan(&c, MEM_FILE_STAT | MEM_FILE_STATUS | MEM_FILE_SMAPS, MEM_SCAN_THREADS, TRUE);
	for (guint i = 0; i < c.seen->len; i++) {
		const Seen *s = &g_array_index(c.seen, Seen, i);

		if (s->file != MEM_FILE_STATUS || (s->pid - FIRST_PID) % 3 != 0 || s->pid >= FIRST_PID + 12)
			continue;
		ck_assert_int_eq(s->err, 0);
		ck_assert_uint_eq(strlen(s->data), big);
		ck_assert_int_eq(s->data[0], 'a' + (int)((s->pid - FIRST_PID) / 3));
		ck_assert_int_eq(s->data[big - 1], s->data[0]);
		n_big++;
	}
	ck_assert_uint_eq(n_big, 4);
	collector_clear(&c);

	src = mem_source_open_proc_root(root, &error);
	collector_init(&c);
	ck_assert(!mem_source_scan(src, MEM_FILE_STATUS | MEM_FILE_SMAPS, MEM_SCAN_THREADS, NULL, 0,
	                           stop_on_big_status, &c, &error));
	g_clear_error(&error);
	collector_clear(&c);
	collector_init(&c);
	scan(&c, MEM_FILE_STATUS, MEM_SCAN_THREADS, TRUE); /* would hang if the buffer were still held */
	ck_assert_uint_eq(c.seen->len, N_PIDS);
	collector_clear(&c);
}
END_TEST

static Suite *threads_suite(void)
{
	Suite *s = suite_create("threads");
	TCase *tc = tcase_create("threads");

	tcase_add_checked_fixture(tc, make_root, remove_root);
	tcase_add_test(tc, test_threads_deliver_what_one_thread_does);
	tcase_add_test(tc, test_threads_heaviest_first);
	tcase_add_test(tc, test_threads_consumer_stops);
	tcase_add_test(tc, test_threads_missing_stat);
	tcase_add_test(tc, test_threads_window_bound);
	tcase_add_test(tc, test_model_hands_over_mappings);
	tcase_add_test(tc, test_model_hands_over_batches);
	tcase_add_test(tc, test_threads_big_files);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return mem_check_run(threads_suite());
}
