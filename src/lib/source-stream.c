/* source-stream.c: the two smaps readers that hand a file over while it is still being read: a helper thread per file (MEM_SCAN_STREAM) and the delivering thread's own window (MEM_SCAN_THREADS) (source layer) */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "source-private.h"

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

struct _MemStream {
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
};

static void *stream_reader(void *data)
{
	MemStream *st = data;
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
		c->len = mem_source_read_chunk(st->fd, c->data, STREAM_CHUNK, st->src->trusted ? MEM_SEQ_STEP : 0, st->max,
		                               &total, &err, &eof, &st->stop);
		if (eof && !err && st->pidfd >= 0 && mem_source_pid_exited(st->src, st->pidfd))
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
static void stream_window_room(MemStream *st, gsize add)
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

gboolean mem_stream_more(gpointer data, gsize done, const char **buf, gsize *len, GError **error)
{
	MemStream *st = data;
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

MemStream *mem_stream_start(const MemSource *src, int fd, int pidfd)
{
	MemStream *st = g_new0(MemStream, 1);
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

/* A reader that has not run yet (the other CPUs were busy, or their vCPU stalled) moves to the caller's
 * CPU, where it runs while the caller waits for its chunks: allowed anywhere, a thread queued on a
 * stalled vCPU stays queued there (an affinity that still holds its CPU does not move it), and single
 * runs of memmaps took up to 50 ms where `cat` took 8.  Once it runs, the reader lets itself go
 * anywhere (stream_reader); if it started meanwhile, it is let go here. */
void mem_stream_unpin(MemStream *st)
{
	cpu_set_t here;
	int cpu = sched_getcpu();

	if (!st->away || g_atomic_int_get(&st->started))
		return;
	CPU_ZERO(&here);
	if (cpu >= 0)
		CPU_SET(cpu, &here);
	pthread_setaffinity_np(st->thread, sizeof st->cpus, cpu >= 0 ? &here : &st->cpus);
	if (g_atomic_int_get(&st->started))
		pthread_setaffinity_np(st->thread, sizeof st->cpus, &st->cpus);
}

void mem_stream_finish(MemStream *st)
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


void mem_window_slide(MemSource *src, gsize *off, gsize *len, gsize done, gsize room)
{
	*off += done;
	*len -= done;
	if (!room)
		return;
	if (*off > 0) {
		memmove(src->buf, src->buf + *off, *len);
		*off = 0;
	}
	mem_source_reserve(src, *len + room);
}

gboolean mem_window_more(gpointer data, gsize done, const char **buf, gsize *len, GError **error)
{
	MemWindow *w = data;
	MemSource *src = w->src;

	g_return_val_if_fail(*len == w->len && done <= w->len, FALSE);
	if (w->err) {
		g_set_error(error, MEM_ERROR, mem_error_from_errno(w->err), "read failed: %s", g_strerror(w->err));
		return FALSE;
	}
	mem_window_slide(src, &w->off, &w->len, done, w->eof ? 0 : STREAM_CHUNK);
	if (!w->eof) {
		gsize got;

		/* The bytes below the bound are handed over, then the error. */
		got = mem_source_read_chunk(w->fd, src->buf + w->len, STREAM_CHUNK, src->trusted ? MEM_SEQ_STEP : 0,
		                            mem_source_max_file_size(), &w->total, &w->err, &w->eof, NULL);
		if (w->eof && !w->err && w->pidfd >= 0 && mem_source_pid_exited(src, w->pidfd))
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
