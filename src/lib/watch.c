/* watch.c: -w, the sample loop, the deltas of each figure and process, the tty refreshed in place (front-end support) */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli.h"
#include "error.h"
#include "format.h"
#include "json-writer.h"
#include "parse.h"
#include "watch.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434 /* the same number on every architecture */
#endif

gboolean mem_watch_parse_interval(const char *option, const char *arg, double *seconds, GError **error)
{
	char *end;

	if ((g_ascii_isdigit(*arg) || *arg == '.') && !strpbrk(arg, "xXpP")) {
		*seconds = g_ascii_strtod(arg, &end);
		if (*end == '\0' && end != arg && isfinite(*seconds) && *seconds >= 0 && *seconds <= 86400)
			return TRUE;
	}
	g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "%s takes a number of seconds from 0 to 86400, not '%s'", option, arg);
	return FALSE;
}

gboolean mem_watch_parse_count(const char *arg, gint64 *count, GError **error)
{
	if (g_ascii_string_to_signed(arg, 10, 1, G_MAXINT, count, NULL))
		return TRUE;
	g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "-n takes a count from 1 to %d, not '%s'", G_MAXINT, arg);
	return FALSE;
}

/* ---- deltas ---- */

void mem_watch_value_push(MemWatchValue *v, gboolean known, gint64 x)
{
	v->prev = v->cur;
	v->has_prev = v->has_cur;
	v->cur = known ? x : 0;
	v->has_cur = known;
	if (known && !v->has_first) {
		v->first = x;
		v->has_first = TRUE;
	}
}

static MemDelta difference(gboolean known, gint64 now, gint64 then)
{
	MemDelta d = { 0, FALSE };

	if (known && !__builtin_sub_overflow(now, then, &d.v) && d.v != G_MININT64)
		d.known = TRUE;
	return d;
}

MemDelta mem_watch_value_delta(const MemWatchValue *v)
{
	return difference(v->has_cur && v->has_prev, v->cur, v->prev);
}

MemDelta mem_watch_value_growth(const MemWatchValue *v)
{
	return difference(v->has_cur && v->has_first, v->cur, v->first);
}

/* The text of mem_delta_format() into buf (sign, then at most MEM_FORMAT_SIZE_LEN - 1 characters); returns
 * its end (no NUL): a cell per process and sample, without printf. */
static char *put_delta(char buf[MEM_FORMAT_SIZE_LEN + 1], gint64 v, const MemTextOptions *o)
{
	guint64 magnitude = v < 0 ? (guint64)-v : (guint64)v; /* never G_MININT64 (difference()) */
	char *p = buf;

	if (v)
		*p++ = v < 0 ? '-' : '+';
	return mem_format_size_or_bytes(p, magnitude, o->bytes, o->unit);
}

void mem_delta_format(GString *out, gint64 v, const MemTextOptions *o)
{
	char buf[MEM_FORMAT_SIZE_LEN + 1];

	g_string_append_len(out, buf, put_delta(buf, v, o) - buf);
}

void mem_cell_set_delta(MemCell *c, MemDelta d, gboolean blank, gboolean csv, const MemTextOptions *o)
{
	char buf[MEM_FORMAT_SIZE_LEN + 1];

	if (blank)
		return;
	if (!d.known) {
		mem_cell_set_unknown(c);
		return;
	}
	if (csv) {
		mem_cell_set_int(c, d.v);
		return;
	}
	mem_cell_set_text(c, buf, (gsize)(put_delta(buf, d.v, o) - buf));
}

void mem_watch_set_columns(MemTable *t, guint at, const char *delta_title, gboolean csv, gboolean ascii)
{
	mem_table_set_column(t, at, delta_title, TRUE);
	mem_table_set_column(t, at + 1, csv || ascii ? "dSTART" : "\xce\x94START", TRUE);
	if (csv) {
		mem_table_set_column(t, at + 2, "SAMPLE", TRUE);
		mem_table_set_column(t, at + 3, "TIME", FALSE);
	}
	t->repeat_header = FALSE;
}

void mem_watch_set_cells(MemRow *row, guint at, const MemWatchValue *v, gboolean first, gboolean csv,
                         guint64 sample, const char *time, const MemTextOptions *o)
{
	if (v) {
		mem_cell_set_delta(&row->cells[at], mem_watch_value_delta(v), first, csv, o);
		mem_cell_set_delta(&row->cells[at + 1], mem_watch_value_growth(v), FALSE, csv, o);
	} else { /* gone */
		mem_cell_set_unknown(&row->cells[at]);
		mem_cell_set_unknown(&row->cells[at + 1]);
	}
	if (csv) {
		mem_cell_set_int(&row->cells[at + 2], (gint64)sample);
		mem_cell_set_text(&row->cells[at + 3], time, strlen(time));
	}
}

void mem_watch_render_table(const MemTable *t, gboolean csv, gboolean header, const MemTextOptions *o,
                            GString *out)
{
	if (!csv) {
		/* whole: a frame on a tty is redrawn only once complete (no flush of a part of it) */
		MemTextOptions whole = *o;

		whole.flush.func = NULL;
		mem_render_text(t, &whole, out);
		return;
	}
	if (header)
		mem_csv_header(t, out);
	mem_csv_rows(t, NULL, out);
}

void mem_json_member_delta(MemJsonWriter *w, const char *key, MemDelta d)
{
	mem_json_member_int(w, key, d.known, d.v);
}

/* ---- processes over the samples ---- */

struct _MemWatchTracker {
	GHashTable *procs;    /* pid -> MemWatchEntry* (owned) of the last sample */
	GPtrArray *vanished;  /* MemWatchEntry*, owned: those the last sample lost */
	guint64 sample;       /* samples begun */
	MemSource *src;       /* with pidfds: where stat is read (a reference) */
	gboolean pidfds;      /* pidfds are opened (src is the real /proc and the kernel has pidfd_open) */
	guint n_pidfds;       /* open now */
	guint max_pidfds;     /* at most, leaving the scans their descriptors */
	guint64 stat_reads;
};

/* Descriptors left to the scans and the rest of the program whatever the number of pidfds. */
#define WATCH_FD_RESERVE 256u

/* Closes a pidfd the tracker opened (none: -1), and sets it to -1. */
static void pidfd_close(MemWatchTracker *t, int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
		t->n_pidfds--;
	}
}

static void entry_close(MemWatchTracker *t, MemWatchEntry *e)
{
	pidfd_close(t, &e->pidfd);
}

static void entry_free(gpointer data)
{
	MemWatchEntry *e = data;

	g_free(e->name);
	g_free(e);
}

/* A pidfd for pid, or -1: none (the process has gone, the descriptors are spent; a kernel without
 * pidfd_open (< 5.3) turns pidfds off). */
static int open_pidfd(MemWatchTracker *t, guint32 pid)
{
	long fd;

	if (!t->pidfds || t->n_pidfds >= t->max_pidfds)
		return -1;
	fd = syscall(SYS_pidfd_open, (pid_t)pid, 0u); /* close-on-exec */
	if (fd < 0) {
		if (errno == ENOSYS || errno == EPERM) /* no pidfd_open, or a seccomp filter refusing it */
			t->pidfds = FALSE;
		return -1;
	}
	t->n_pidfds++;
	return (int)fd;
}

MemWatchTracker *mem_watch_tracker_new(MemSource *src)
{
	MemWatchTracker *t = g_new0(MemWatchTracker, 1);
	struct rlimit rl;

	t->procs = g_hash_table_new_full(NULL, NULL, NULL, entry_free);
	t->vanished = g_ptr_array_new_with_free_func(entry_free);
	if (src) {
		int probe;

		t->src = mem_source_ref(src);
		/* a pidfd per process followed: as many descriptors as the hard limit allows */
		t->max_pidfds = G_MAXUINT; /* no limit known: EMFILE says when they run out */
		if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
			if (rl.rlim_cur < rl.rlim_max) {
				rlim_t cur = rl.rlim_cur;

				rl.rlim_cur = rl.rlim_max;
				if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
					rl.rlim_cur = cur;
			}
			t->max_pidfds = rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > G_MAXUINT ? G_MAXUINT :
			                rl.rlim_cur > 2 * WATCH_FD_RESERVE ? (guint)rl.rlim_cur - WATCH_FD_RESERVE :
			                (guint)rl.rlim_cur / 2;
		}
		/* a kernel without pidfd_open (< 5.3) or a seccomp filter refusing it: none (open_pidfd) */
		t->pidfds = TRUE;
		probe = open_pidfd(t, (guint32)getpid());
		pidfd_close(t, &probe);
	}
	return t;
}

static void close_all(gpointer key, gpointer value, gpointer data)
{
	(void)key;
	entry_close(data, value);
}

void mem_watch_tracker_free(MemWatchTracker *t)
{
	if (!t)
		return;
	g_hash_table_foreach(t->procs, close_all, t);
	g_hash_table_unref(t->procs);
	g_ptr_array_unref(t->vanished);
	if (t->src)
		mem_source_free(t->src);
	g_free(t);
}

gboolean mem_watch_tracker_has_pidfds(const MemWatchTracker *t)
{
	return t->pidfds;
}

void mem_watch_tracker_limit_pidfds(MemWatchTracker *t, guint max)
{
	t->max_pidfds = max;
}

void mem_watch_tracker_stats(const MemWatchTracker *t, MemWatchTrackerStats *out)
{
	out->stat_reads = t->stat_reads;
	out->pidfds = t->n_pidfds;
}


/* Marks the entries whose process has exited (its pidfd readable), by one poll(2) over all pidfds. */
static void poll_pidfds(MemWatchTracker *t, GHashTable *fired)
{
	g_autofree struct pollfd *fds = NULL;
	g_autofree MemWatchEntry **of = NULL;
	GHashTableIter it;
	gpointer value;
	guint n = 0;
	int rc;

	if (!t->n_pidfds)
		return;
	fds = g_new(struct pollfd, t->n_pidfds);
	of = g_new(MemWatchEntry *, t->n_pidfds);
	g_hash_table_iter_init(&it, t->procs);
	while (g_hash_table_iter_next(&it, NULL, &value)) {
		MemWatchEntry *e = value;

		if (e->pidfd >= 0 && n < t->n_pidfds) {
			fds[n] = (struct pollfd){ .fd = e->pidfd, .events = POLLIN };
			of[n++] = e;
		}
	}
	do
		rc = poll(fds, n, 0);
	while (rc < 0 && errno == EINTR);
	for (guint i = 0; i < n; i++)
		if (rc < 0 || fds[i].revents) /* POLLIN: exited; a failed poll tells nothing: stat decides */
			g_hash_table_add(fired, of[i]);
}

typedef struct {
	GHashTable *starts;   /* pid -> 1 + start time */
	MemWatchTracker *t;
} StatRead;

static gboolean on_stat(const MemFile *f, gpointer data, GError **error)
{
	StatRead *r = data;
	MemStat st;

	(void)error;
	if (f->file != MEM_FILE_STAT)
		return TRUE;
	r->t->stat_reads++;
	if (!f->err && mem_parse_stat(f->data, f->len, &st, NULL) && st.pid == (gint64)f->pid)
		g_hash_table_insert(r->starts, GUINT_TO_POINTER(f->pid), GSIZE_TO_POINTER(st.starttime + 1));
	return TRUE;
}

/* The start times of these pids from stat, read now: pid -> 1 + start time (absent: unreadable). */
static GHashTable *read_start_times(MemWatchTracker *t, GArray *pids)
{
	StatRead r = { g_hash_table_new(NULL, NULL), t };

	if (pids->len) {
		g_array_sort(pids, mem_pid_compare);
		/* a scan that fails as a whole leaves every start time unknown: the pidfds decide */
		mem_source_scan(t->src, MEM_FILE_STAT, 0, (const guint32 *)(gconstpointer)pids->data, pids->len, on_stat,
		                &r, NULL);
	}
	return r.starts;
}

/* What begin decided for a process of the sample. */
typedef enum {
	VERDICT_SAME,         /* the entry's process */
	VERDICT_NEW,          /* no entry, or a process other than the entry's */
	VERDICT_STAT,         /* the stat read now decides */
} Verdict;

static Verdict judge(const MemWatchEntry *e, const MemProcess *p, gboolean fired, gboolean lazy)
{
	if (!e)
		return VERDICT_NEW;
	if (p->has_start_time && e->has_start_time)
		return p->start_time == e->start_time ? VERDICT_SAME : VERDICT_NEW;
	if (e->pidfd >= 0 && !fired)
		return VERDICT_SAME; /* alive after the scan: its pid was its own all along */
	if (lazy) /* a pidfd that fired (a zombie, or the pid given again), or none */
		return VERDICT_STAT;
	return p->has_start_time == e->has_start_time ? VERDICT_SAME : VERDICT_NEW;
}

/* Forgets an entry of the last sample: VANISHED, its pidfd closed. */
static void entry_gone(MemWatchTracker *t, MemWatchEntry *e)
{
	entry_close(t, e);
	e->change = MEM_WATCH_VANISHED;
	g_ptr_array_add(t->vanished, e);
}

void mem_watch_tracker_begin(MemWatchTracker *t, const GPtrArray *procs)
{
	g_autoptr(GHashTable) fired = g_hash_table_new(NULL, NULL);
	g_autoptr(GHashTable) starts = NULL;
	g_autoptr(GArray) to_read = g_array_new(FALSE, FALSE, sizeof(guint32));
	g_autofree guint8 *verdicts = g_new(guint8, procs->len ? procs->len : 1);
	g_autofree int *fds = g_new(int, procs->len ? procs->len : 1);

	g_ptr_array_set_size(t->vanished, 0);
	t->sample++;
	poll_pidfds(t, fired);
	/* First the pidfds, then stat: a start time read is that of the process the pidfd holds (unless
	 * the pid went round in between) */
	for (guint i = 0; i < procs->len; i++) {
		const MemProcess *p = g_ptr_array_index(procs, i);
		MemWatchEntry *e = g_hash_table_lookup(t->procs, GUINT_TO_POINTER(p->pid));
		Verdict v = judge(e, p, e && g_hash_table_contains(fired, e), t->src != NULL);

		verdicts[i] = (guint8)v;
		fds[i] = -1;
		if (v == VERDICT_SAME)
			continue;
		if (t->pidfds)
			fds[i] = open_pidfd(t, p->pid);
		if (t->src && (v == VERDICT_STAT || !p->has_start_time))
			g_array_append_val(to_read, p->pid);
	}
	starts = t->src ? read_start_times(t, to_read) : g_hash_table_new(NULL, NULL);
	for (guint i = 0; i < procs->len; i++) {
		const MemProcess *p = g_ptr_array_index(procs, i);
		MemWatchEntry *e = g_hash_table_lookup(t->procs, GUINT_TO_POINTER(p->pid));
		gsize read = GPOINTER_TO_SIZE(g_hash_table_lookup(starts, GUINT_TO_POINTER(p->pid)));
		gboolean has_start = p->has_start_time || read;
		guint64 start = p->has_start_time ? p->start_time : read - 1;
		Verdict v = verdicts[i];

		if (v == VERDICT_STAT) /* unreadable now: it exited after the scan read it, as its pidfd says */
			v = !read || !e->has_start_time || start == e->start_time ? VERDICT_SAME : VERDICT_NEW;
		if (v == VERDICT_SAME) {
			if (e->pidfd < 0 && fds[i] >= 0) { /* one more try after none could be opened */
				e->pidfd = fds[i];
				fds[i] = -1;
			}
			if (!e->has_start_time && has_start) {
				e->start_time = start;
				e->has_start_time = TRUE;
			}
			e->change = MEM_WATCH_SEEN;
			pidfd_close(t, &fds[i]);
			continue;
		}
		if (e) { /* the pid given again: the last sample's process has gone */
			g_hash_table_steal(t->procs, GUINT_TO_POINTER(p->pid));
			entry_gone(t, e);
		}
		e = g_new0(MemWatchEntry, 1);
		e->pid = p->pid;
		e->start_time = has_start ? start : 0;
		e->has_start_time = has_start;
		e->name = g_strdup(p->name);
		e->change = t->sample == 1 ? MEM_WATCH_FIRST : MEM_WATCH_NEW;
		e->pidfd = fds[i];
		g_hash_table_insert(t->procs, GUINT_TO_POINTER(p->pid), e);
	}
}

MemWatchEntry *mem_watch_tracker_find(MemWatchTracker *t, const MemProcess *p)
{
	MemWatchEntry *e = g_hash_table_lookup(t->procs, GUINT_TO_POINTER(p->pid));

	if (e && p->has_start_time && e->has_start_time && p->start_time != e->start_time)
		return NULL; /* another process of the pid */
	return e;
}

MemWatchEntry *mem_watch_tracker_see(MemWatchTracker *t, const MemProcess *p, gboolean known, gint64 x)
{
	MemWatchEntry *e = g_hash_table_lookup(t->procs, GUINT_TO_POINTER(p->pid));

	g_return_val_if_fail(e != NULL, NULL); /* begin made it */
	e->seen = t->sample;
	mem_watch_value_push(&e->value, known, x);
	return e;
}

static gint compare_pid(gconstpointer a, gconstpointer b)
{
	const MemWatchEntry *x = *(MemWatchEntry *const *)a, *y = *(MemWatchEntry *const *)b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static gboolean steal_gone(gpointer key, gpointer value, gpointer data)
{
	MemWatchTracker *t = data;
	MemWatchEntry *e = value;

	(void)key;
	if (e->seen == t->sample)
		return FALSE;
	entry_gone(t, e);
	return TRUE;
}

GPtrArray *mem_watch_tracker_end(MemWatchTracker *t)
{
	g_hash_table_foreach_steal(t->procs, steal_gone, t);
	g_ptr_array_sort(t->vanished, compare_pid);
	return t->vanished;
}

const char *mem_watch_change_note(MemWatchChange c)
{
	return c == MEM_WATCH_NEW ? "[new]" : c == MEM_WATCH_VANISHED ? "[vanished]" : NULL;
}

const char *mem_watch_change_name(MemWatchChange c)
{
	static const char *const names[] = { "first", "seen", "new", "vanished" };

	return names[c];
}

gint mem_watch_entry_compare_growth(gconstpointer a, gconstpointer b, gpointer reverse)
{
	const MemWatchEntry *x = *(MemWatchEntry *const *)a, *y = *(MemWatchEntry *const *)b;
	MemDelta gx = mem_watch_value_growth(&x->value), gy = mem_watch_value_growth(&y->value);

	if (gx.known != gy.known)
		return gx.known ? -1 : 1;
	if (gx.known && gx.v != gy.v)
		return (gx.v > gy.v) == !reverse ? -1 : 1;
	return compare_pid(a, b);
}

/* ---- the screen ---- */

/* What a refreshing run changes on the terminal, and undoes at every exit: the cursor hidden, lines
 * cut at the window's edge instead of wrapped (a wrapped line would push the frame off the screen). */
static const char screen_setup[] = "\033[?25l\033[?7l";
static const char screen_restore[] = "\033[0m\033[?7h\033[?25h";
static volatile sig_atomic_t screen_changed;

static void restore_screen(void)
{
	if (screen_changed) {
		screen_changed = 0;
		if (write(STDOUT_FILENO, screen_restore, sizeof screen_restore - 1) < 0) {
			/* nothing left to do: the terminal is gone */
		}
	}
}

static void on_signal(int sig)
{
	restore_screen(); /* write(2) only: safe in a handler */
	signal(sig, SIG_DFL);
	raise(sig); /* delivered once this handler returns: the program ends by the signal, as the shell expects */
}

static void handle(int sig, void (*handler)(int))
{
	struct sigaction sa = { 0 };

	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

/* Ctrl-Z: the terminal restored while the program is stopped, set up again when it goes on (the next
 * frame redraws the whole screen). */
static void on_stop(int sig)
{
	int saved = errno;
	sigset_t set;

	restore_screen();
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig); /* stopped here until SIGCONT (or ignored: an orphaned process group is not stopped) */
	handle(sig, on_stop);
	if (write(STDOUT_FILENO, screen_setup, sizeof screen_setup - 1) > 0)
		screen_changed = 1;
	errno = saved;
}

static void setup_screen(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

	atexit(restore_screen);
	for (guint i = 0; i < G_N_ELEMENTS(sigs); i++)
		handle(sigs[i], on_signal);
	handle(SIGTSTP, on_stop);
	screen_changed = 1;
}

/* The window's height in lines; 0 when unknown. */
static guint screen_rows(void)
{
	struct winsize ws;

	return ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 ? ws.ws_row : 0;
}

/* Appends one line of the sample (p to eol) to the frame, then clear-to-end-of-line. */
static void frame_line(GString *frame, const char *p, const char *eol)
{
	g_string_append_len(frame, p, eol - p);
	g_string_append(frame, "\033[K\n");
}

/* The frame of a sample: cursor home, each line then the rest of it cleared, at most rows - 1 lines so
 * that the screen never scrolls (when cut: the first lines, a line saying how many were left out, and
 * the last `tail`), then the rest of the screen cleared. */
static void make_frame(GString *frame, const GString *sample, guint rows, guint tail)
{
	g_autoptr(GPtrArray) lines = g_ptr_array_new(); /* the start of each line, then the end */
	const char *p = sample->str, *end = sample->str + sample->len;
	guint n, room = rows > 1 ? rows - 1 : G_MAXUINT, head;

	while (p < end) {
		const char *nl = memchr(p, '\n', (gsize)(end - p));
		g_ptr_array_add(lines, (gpointer)p);
		p = nl ? nl + 1 : end;
	}
	n = lines->len;
	g_ptr_array_add(lines, (gpointer)end);
	g_string_append(frame, "\033[H");
	if (n <= room) {
		head = n;
		tail = 0;
	} else {
		tail = room > tail + 2 ? tail : 0; /* a window too small for the tail shows the head only */
		head = room - 1 - tail;
	}
	for (guint i = 0; i < n; i++) {
		const char *s = g_ptr_array_index(lines, i), *next = g_ptr_array_index(lines, i + 1);
		const char *eol = next > s && next[-1] == '\n' ? next - 1 : next;

		if (i == head && head < n - tail) {
			g_string_append_printf(frame, "(%u more lines: the window is too small)\033[K\n", n - head - tail);
			i = n - tail - 1;
			continue;
		}
		frame_line(frame, s, eol);
	}
	g_string_append(frame, "\033[J");
}

/* ---- the loop ---- */

int mem_watch_run(const MemWatchLoop *w, MemWatchSampleFunc f, gpointer data)
{
	g_autoptr(GString) out = g_string_new(NULL);
	g_autoptr(GString) frame = g_string_new(NULL);
	gint64 start = g_get_monotonic_time(), period = (gint64)(w->interval * G_USEC_PER_SEC);
	int rc;

	if (w->refresh) {
		setup_screen();
		g_string_assign(frame, screen_setup);
		g_string_append(frame, "\033[H\033[2J");
		if (!mem_cli_write(frame))
			return MEM_EXIT_FAILURE;
	}
	for (guint64 i = 0; w->count < 0 || i < (guint64)w->count; i++) {
		g_autoptr(GDateTime) now = NULL;
		gint64 due = start + (gint64)(w->interval * (double)i * G_USEC_PER_SEC), left;

		if ((left = due - g_get_monotonic_time()) < -period) { /* a period or more late (stopped by */
			start -= left;                                   /* Ctrl-Z): missed samples are not made up */
			due -= left;
		}
		while ((left = due - g_get_monotonic_time()) > 0)
			g_usleep((gulong)left);
		now = g_date_time_new_now_utc();
		g_string_truncate(out, 0);
		if ((rc = f(i, now, out, data)) >= 0)
			return rc;
		if (w->refresh) {
			g_string_truncate(frame, 0);
			make_frame(frame, out, screen_rows(), w->tail);
		}
		if (!mem_cli_write(w->refresh ? frame : out))
			return MEM_EXIT_FAILURE;
	}
	return MEM_EXIT_OK;
}

void mem_watch_heading(GString *out, const MemWatchLoop *w, guint64 i, GDateTime *time)
{
	g_autofree char *iso = g_date_time_format_iso8601(time);
	char every[G_ASCII_DTOSTR_BUF_SIZE];

	g_string_append_printf(out, "sample %" G_GUINT64_FORMAT, i + 1);
	if (w->count > 0)
		g_string_append_printf(out, " of %" G_GINT64_FORMAT, w->count);
	g_ascii_formatd(every, sizeof every, "%g", w->interval);
	g_string_append_printf(out, " at %s, every %s s\n", iso, every);
}

/* Seconds (0 to 86400) in microseconds, rounded half up as llround() would: without libm, which no
 * other part of memps needs and whose pages would show in its own footprint. */
static guint64 round_us(double seconds)
{
	double us = seconds * G_USEC_PER_SEC;
	guint64 whole = (guint64)us;

	return us - (double)whole >= 0.5 ? whole + 1 : whole;
}

void mem_watch_json_members(MemJsonWriter *jw, const MemWatchLoop *w, guint64 i, GDateTime *time)
{
	g_autofree char *iso = g_date_time_format_iso8601(time);

	mem_json_key(jw, "sample");
	mem_json_uint(jw, i + 1);
	mem_json_key(jw, "time");
	mem_json_string(jw, iso);
	mem_json_key(jw, "interval_us");
	mem_json_uint(jw, round_us(w->interval));
}

void mem_watch_json_merge(GString *doc, const GString *more)
{
	while (doc->len && doc->str[doc->len - 1] != '}')
		g_string_truncate(doc, doc->len - 1);
	g_return_if_fail(doc->len >= 2 && more->len >= 2 && more->str[0] == '{');
	g_string_truncate(doc, doc->len - 1);
	if (doc->str[doc->len - 1] != '{' && more->str[1] != '}')
		g_string_append_c(doc, ',');
	g_string_append_len(doc, more->str + 1, (gssize)more->len - 1);
	g_string_append_c(doc, '\n');
}
