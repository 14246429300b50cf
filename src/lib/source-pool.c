/* source-pool.c: the reading threads of MEM_SCAN_THREADS: pids weighed and read heaviest first, or read as they are listed, each thread delivering its own (source layer)
 *
 * Threads are plain pthreads, like the locks: the stream reader needs pthread attributes (its CPU
 * affinity at creation) that GThread does not offer, and glib's futex-based GMutex is invisible to
 * ThreadSanitizer, which CI runs the live scans under.  One API for threads and locks. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "source-private.h"

/* The pids of a listing that is still going on (mem_source_pool_scan_listed): the lister adds them
 * in chunks that never move, and publishes how many there are; a reader that has taken an index not
 * published yet waits for it, or for the end of the listing. */
#define FEED_CHUNK 1024u
#define FEED_CHUNKS 4096u     /* 4 Mi pids: the kernel's PID_MAX_LIMIT */
#define FEED_PUBLISH 256u     /* pids added between two publications */

struct _MemPidFeed {
	guint32 *chunks[FEED_CHUNKS];
	guint n;              /* the lister's: pids added */
	gint published;       /* atomic: pids the readers may take */
	gboolean closed;      /* under lock: the listing is over (published is final) */
	pthread_mutex_t lock;
	pthread_cond_t more;
};

static void feed_publish(MemPidFeed *f, gboolean close)
{
	pthread_mutex_lock(&f->lock);
	g_atomic_int_set(&f->published, (gint)f->n);
	f->closed |= close;
	pthread_cond_broadcast(&f->more);
	pthread_mutex_unlock(&f->lock);
}

void mem_pid_feed_add(MemPidFeed *f, guint32 pid)
{
	if (f->n == FEED_CHUNK * FEED_CHUNKS)
		return; /* more than the kernel can have */
	if (!f->chunks[f->n / FEED_CHUNK])
		f->chunks[f->n / FEED_CHUNK] = g_new(guint32, FEED_CHUNK);
	f->chunks[f->n / FEED_CHUNK][f->n % FEED_CHUNK] = pid;
	if (++f->n % FEED_PUBLISH == 0)
		feed_publish(f, FALSE);
}

guint mem_pid_feed_count(const MemPidFeed *f)
{
	return f->n;
}

/* The pid at index i, waiting until the lister has published it: FALSE past the listing's end. */
static gboolean feed_get(MemPidFeed *f, guint i, guint32 *pid)
{
	if (i >= (guint)g_atomic_int_get(&f->published)) {
		gboolean there;

		pthread_mutex_lock(&f->lock);
		while (i >= (guint)g_atomic_int_get(&f->published) && !f->closed)
			pthread_cond_wait(&f->more, &f->lock);
		there = i < (guint)g_atomic_int_get(&f->published);
		pthread_mutex_unlock(&f->lock);
		if (!there)
			return FALSE;
	}
	*pid = f->chunks[i / FEED_CHUNK][i % FEED_CHUNK];
	return TRUE;
}

typedef struct {
	MemPidFeed *feed;     /* the pids from a listing going on (list, weights and stats are NULL) */
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
	MemScanPidFunc scan_pid;
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
 * anyway (kept in *pre and delivered later, so weighing costs no extra read), else from statm.  Only
 * MEM_SOURCE_PRE_STAT_MAX bytes are read: a longer file (never the kernel's) weighs 0 and is not kept,
 * so that weighing holds a few KiB per pid, not every pid's stat (ten 200 MiB stat files under
 * --proc-root were 2 GB).  Only a scheduling hint: 0 when unknown. */
static guint64 pid_weight(MemSource *src, guint32 pid, MemPreStat *pre)
{
	const char *file = pre ? "stat" : "statm";
	gsize len = 0;
	guint64 v = 0;
	int err, fd;

	fd = mem_source_open_pid_file(src, pid, file);
	if (fd < 0) {
		err = -fd;
	} else {
		err = mem_source_read_fd(src, fd, MEM_SOURCE_PRE_STAT_MAX,
		                         mem_source_one_shot(src, pre ? MEM_FILE_STAT : MEM_FILE_STATM), &len);
		close(fd);
	}
	if (err == EFBIG)
		return 0; /* not kept: read again in its turn, bounded as any file */
	if (pre) {
		pre->err = err;
		pre->kept = TRUE;
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
		if (w->n > 1) /* qsort(NULL, 0, ...) is undefined (no pid selected) */
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

static void *worker_run(void *data)
{
	Worker *k = data;
	Workers *w = k->w;

	weigh_pids(k);
	while (!g_atomic_int_get(&w->stop)) {
		gint i = g_atomic_int_add(&w->next, 1);
		GError *local = NULL;
		guint32 pid;
		gboolean ok;

		if (i < 0 || (w->feed ? !feed_get(w->feed, (guint)i, &pid) : (guint)i >= w->n))
			break;
		if (!w->feed)
			pid = w->list[w->order[i]];
		k->src.pre_stat = w->stats && w->stats[w->order[i]].kept ? &w->stats[w->order[i]] : NULL;
		ok = w->scan_pid(&k->src, pid, w->want, w->flags, w->func, w->user_data, &local);
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
	mem_source_release_big(&k->src);
	return NULL;
}

/* Runs the n workers, the calling thread as worker 0.  With `list`, the calling thread first lists
 * the pids into w->feed while the others read what it has listed so far. */
static gboolean pool_run(MemSource *src, guint n, Workers *w, MemListFunc list, gpointer list_data,
                         GError **error)
{
	Worker *k = g_new0(Worker, n);
	pthread_t threads[MEM_SCAN_MAX_THREADS];
	gboolean started[MEM_SCAN_MAX_THREADS] = { FALSE };
	GError *list_error = NULL;
	gboolean listed = TRUE;
	guint running = 1;

	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	/* glib creates the GError machinery (the domain's quark, the lock of its domain table) on first use,
	 * unguarded and out of ThreadSanitizer's sight in a static glib: make the first error here, before
	 * the threads exist, not on two reading threads at once. */
	g_error_free(g_error_new_literal(MEM_ERROR, MEM_ERROR_IO, ""));
	for (guint t = 1; t < n; t++) {
		k[t].w = w;
		k[t].src = *src;
		k[t].src.worker = t;
		k[t].src.buf = NULL;
		k[t].src.buf_size = 0;
		k[t].src.pathbuf = g_string_new(NULL);
		started[t] = pthread_create(&threads[t], NULL, worker_run, &k[t]) == 0;
		running += started[t];
	}
	/* A thread that could not start leaves its share to the others. */
	pthread_mutex_lock(&w->lock);
	w->running = running;
	pthread_mutex_unlock(&w->lock);
	if (list) {
		listed = list(src, w->feed, list_data, &list_error);
		feed_publish(w->feed, TRUE);
	}
	/* worker 0's view is taken after the listing, which may have used src's buffer */
	k[0].w = w;
	k[0].src = *src;
	k[0].src.worker = 0;
	worker_run(&k[0]);
	src->buf = k[0].src.buf;
	src->buf_size = k[0].src.buf_size;
	for (guint t = 1; t < n; t++) {
		if (started[t])
			pthread_join(threads[t], NULL);
		g_free(k[t].src.buf);
		g_string_free(k[t].src.pathbuf, TRUE);
	}
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
	g_free(k);
	if (!listed) {
		g_clear_error(&w->error);
		g_propagate_error(error, list_error);
		return FALSE;
	}
	if (w->error) {
		g_propagate_error(error, w->error);
		return FALSE;
	}
	return TRUE;
}

/* What every worker does with a pid, whatever gives the pids. */
static void workers_init(Workers *w, guint32 want, MemScanFlags flags, MemScanPidFunc scan_pid, MemFileFunc func,
                         gpointer user_data)
{
	memset(w, 0, sizeof *w);
	w->want = want;
	w->flags = flags & ~(guint)MEM_SCAN_STREAM;
	w->scan_pid = scan_pid;
	w->func = func;
	w->user_data = user_data;
}

gboolean mem_source_pool_scan(MemSource *src, guint n_threads, const guint32 *list, guint n_list, guint32 want,
                              MemScanFlags flags, MemScanPidFunc scan_pid, MemFileFunc func,
                              gpointer user_data, GError **error)
{
	Workers w;
	gboolean ok;

	workers_init(&w, want, flags, scan_pid, func, user_data);
	w.list = list;
	w.n = n_list;
	w.order = g_new0(guint32, MAX(n_list, 1u));
	/* With MEM_SCAN_SMAPS_FALLBACK smaps is read only where smaps_rollup is missing (kernels before
	 * 4.14): the scan reads rollups, cheap and alike, and weighing them would hold every pid's stat at
	 * once (3 MB at 10 000 processes) for an order that gains nothing. */
	if ((want & MEM_FILE_SMAPS) && !(flags & MEM_SCAN_SMAPS_FALLBACK)) {
		w.weights = g_new0(guint64, MAX(n_list, 1u));
		if (want & MEM_FILE_STAT)
			w.stats = g_new0(MemPreStat, MAX(n_list, 1u));
	} else {
		for (guint i = 0; i < n_list; i++)
			w.order[i] = i;
	}
	ok = pool_run(src, CLAMP(MIN(n_threads, n_list), 1u, MEM_SCAN_MAX_THREADS), &w, NULL, NULL, error);
	if (w.stats)
		for (guint i = 0; i < w.n; i++)
			g_free(w.stats[i].data);
	g_free(w.stats);
	g_free(w.weights);
	g_free(w.order);
	return ok;
}

gboolean mem_source_pool_scan_listed(MemSource *src, guint n_threads, MemListFunc list, gpointer list_data,
                                     guint32 want, MemScanFlags flags, MemScanPidFunc scan_pid,
                                     MemFileFunc func, gpointer user_data, GError **error)
{
	MemPidFeed *feed;
	Workers w;
	gboolean ok;

	g_return_val_if_fail(!(want & MEM_FILE_SMAPS) || (flags & MEM_SCAN_SMAPS_FALLBACK), FALSE);
	feed = g_new0(MemPidFeed, 1);
	pthread_mutex_init(&feed->lock, NULL);
	pthread_cond_init(&feed->more, NULL);
	workers_init(&w, want, flags, scan_pid, func, user_data);
	w.feed = feed;
	ok = pool_run(src, CLAMP(n_threads, 1u, MEM_SCAN_MAX_THREADS), &w, list, list_data, error);
	for (guint c = 0; c < FEED_CHUNKS && feed->chunks[c]; c++)
		g_free(feed->chunks[c]);
	pthread_mutex_destroy(&feed->lock);
	pthread_cond_destroy(&feed->more);
	g_free(feed);
	return ok;
}
