/* watch.h: -w, the same reading again and again: the sample loop, the deltas of each figure, the tty refreshed in place (front-end support)
 *
 * A tool's -w takes a sample every SECONDS (at fixed times from the first: a slow sample does not push
 * the later ones back; samples missed by a period or more, as while stopped, are not made up) until
 * -n COUNT samples or a signal.  On a tty each sample replaces the previous
 * one on the screen, as top does, with plain ANSI sequences (no curses): the cursor homed, each line
 * and the rest of the screen cleared, the frame cut to the window's height; the cursor and line
 * wrapping are restored on every exit, SIGINT and SIGTERM included.  Elsewhere the samples are
 * appended.  The deltas: MemWatchValue follows one figure (the previous and the first known value);
 * MemWatchTracker follows one per process, matched by pid and start time, so that a pid the kernel
 * gives again is a new process; on the live /proc it holds a pidfd per process, which tells that a
 * process is still the same without reading its stat again. */
#pragma once

#include <glib.h>

#include "model.h"
#include "source.h"
#include "render.h"
#include "table.h"

/* -w SECONDS (and memsys -d): decimal seconds from 0 (no pause: as fast as the samples go) to a day;
 * no "nan", "inf" or hexadecimal.  `option` ("-w") names it in the error. */
gboolean mem_watch_parse_interval(const char *option, const char *arg, double *seconds, GError **error);

/* -n COUNT: 1 to G_MAXINT. */
gboolean mem_watch_parse_count(const char *arg, gint64 *count, GError **error);

/* ---- deltas ---- */

/* One figure over the samples: the current, previous and first known values. */
typedef struct {
	gint64 first, prev, cur;
	guint has_first : 1;
	guint has_prev : 1;   /* the previous sample had a value (not merely some earlier one) */
	guint has_cur : 1;
} MemWatchValue;

/* The figure of a new sample (known FALSE: unknown in it); the current one becomes the previous. */
void mem_watch_value_push(MemWatchValue *v, gboolean known, gint64 x);

/* A signed difference; unknown when a side is unknown (or the difference does not fit 63 bits). */
typedef struct {
	gint64 v;
	gboolean known;
} MemDelta;

/* Since the previous sample, and since the first known value ("since the start"). */
MemDelta mem_watch_value_delta(const MemWatchValue *v);
MemDelta mem_watch_value_growth(const MemWatchValue *v);

/* A signed size in Zircon's units as o says: "+1.2M", "-28k", "0B" (no sign for 0); --bytes: "+1234". */
void mem_delta_format(GString *out, gint64 v, const MemTextOptions *o);

/* A table cell for a delta: with csv a plain signed integer of bytes, else the text of
 * mem_delta_format(); unknown: "-" (empty in CSV); `blank` when there is nothing to compare with. */
void mem_cell_set_delta(MemCell *c, MemDelta d, gboolean blank, gboolean csv, const MemTextOptions *o);

/* The columns a watch table adds from column `at` on: the change since the previous sample (titled
 * delta_title: "dPSS"), "ΔSTART" (since the start; "dSTART" in CSV or ASCII) and, in CSV, "SAMPLE" and
 * "TIME" (mem_watch_set_sample_cells): 2 columns, 4 in CSV (mem_watch_columns). */
#define mem_watch_columns(csv) ((csv) ? 4u : 2u)
void mem_watch_set_columns(MemTable *t, guint at, const char *delta_title, gboolean csv, gboolean ascii);
/* A row's delta cells (d since the previous sample, blank when `first`; since the start; both "-" when v
 * is NULL: a process gone) and in CSV its sample's number (from 1) and time. */
void mem_watch_set_cells(MemRow *row, guint at, const MemWatchValue *v, gboolean first, gboolean csv,
                         guint64 sample, const char *time, const MemTextOptions *o);
/* Appends a watch table to out: aligned text, or CSV rows (the header only when `header`); never
 * flushed in pieces (o's flush is not used), so that a frame is written whole. */
void mem_watch_render_table(const MemTable *t, gboolean csv, gboolean header, const MemTextOptions *o,
                            GString *out);

/* A JSON member: the delta, or null when unknown. */
void mem_json_member_delta(MemJsonWriter *w, const char *key, MemDelta d);

/* ---- processes over the samples ---- */

typedef enum {
	MEM_WATCH_FIRST,      /* in the first sample */
	MEM_WATCH_SEEN,       /* in this sample and the previous one */
	MEM_WATCH_NEW,        /* not in the previous sample: started since (or newly selected) */
	MEM_WATCH_VANISHED,   /* in the previous sample, not in this one: exited (listed once) */
} MemWatchChange;

typedef struct {
	guint32 pid;
	guint64 start_time;   /* stat field 22 (0 when unknown) */
	gboolean has_start_time;
	char *name;           /* comm, raw bytes (the snapshot that held it is gone when it vanished) */
	MemWatchValue value;
	MemWatchChange change;
	guint64 seen;         /* the last sample it was in (private) */
	int pidfd;            /* the process's pidfd, -1 when none (private) */
} MemWatchEntry;

typedef struct _MemWatchTracker MemWatchTracker;

/* A tracker.  With `src`, the real /proc whose samples are loaded with lazy stat (most processes
 * without a start time): it holds a pidfd (pidfd_open(2)) for each process it follows, raising
 * RLIMIT_NOFILE's soft limit to the hard one, and reads stat through src only where a pidfd cannot
 * tell (mem_watch_tracker_begin).  NULL: processes are told apart by the start time their sample
 * carries alone (a process without one matches only an entry without one). */
MemWatchTracker *mem_watch_tracker_new(MemSource *src);
void mem_watch_tracker_free(MemWatchTracker *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MemWatchTracker, mem_watch_tracker_free)

/* Whether the tracker holds pidfds (a kernel without pidfd_open: FALSE, and the samples had better
 * read stat for every process). */
gboolean mem_watch_tracker_has_pidfds(const MemWatchTracker *t);

/* Starts a sample whose processes (const MemProcess*, each pid once) are `procs`, read by a scan that
 * has just ended: settles which of them are the processes of the last sample.  A process is the same as
 * the last sample's of its pid when both start times are known and equal; else when that process's
 * pidfd, polled now (one poll(2) for all, after the scan), has not fired: it was alive after the scan
 * read its pid, so the pid was still its own.  Otherwise (the pidfd fired: a zombie or a pid given
 * again; no pidfd) stat is read now for the start time.  A process new to the tracker gets a pidfd and,
 * when its sample has none, its start time from stat, once.  The last sample's processes that are not
 * the same are VANISHED (mem_watch_tracker_end) and their pidfds closed. */
void mem_watch_tracker_begin(MemWatchTracker *t, const GPtrArray *procs);

/* A process of this sample and its figure (known FALSE: unknown, such as an unreadable process). */
MemWatchEntry *mem_watch_tracker_see(MemWatchTracker *t, const MemProcess *p, gboolean known, gint64 x);

/* The entry of a process seen in this sample, or NULL. */
MemWatchEntry *mem_watch_tracker_find(MemWatchTracker *t, const MemProcess *p);

/* Ends the sample: the processes of the previous sample not seen in this one are VANISHED and returned
 * (MemWatchEntry*, by pid; valid until the next begin, when they are forgotten). */
GPtrArray *mem_watch_tracker_end(MemWatchTracker *t);

/* At most max pidfds open at once (by default the soft limit of open files, raised to the hard one, less
 * 256 descriptors kept for the scans): the processes beyond get none, and stat is read for them. */
void mem_watch_tracker_limit_pidfds(MemWatchTracker *t, guint max);

/* Counters of the tracker's work since it was made, for tests: stat files read, pidfds open now. */
typedef struct {
	guint64 stat_reads;
	guint pidfds;
} MemWatchTrackerStats;
void mem_watch_tracker_stats(const MemWatchTracker *t, MemWatchTrackerStats *out);

/* "[new]", "[vanished]", NULL otherwise: the note a text row adds; "first", "seen", "new", "vanished"
 * for JSON. */
const char *mem_watch_change_note(MemWatchChange c);
const char *mem_watch_change_name(MemWatchChange c);

/* Orders entries (MemWatchEntry*) by growth since the start, largest first (smallest with `reverse`
 * non-NULL), unknown last, then by pid: --sort=growth, a GCompareDataFunc. */
gint mem_watch_entry_compare_growth(gconstpointer a, gconstpointer b, gpointer reverse);

/* ---- the loop ---- */

/* One sample: i counts from 0, `time` is when it began (UTC).  Appends the sample's output to out (a
 * frame on a tty).  Returns -1 to go on, or an exit status to stop with. */
typedef int (*MemWatchSampleFunc)(guint64 i, GDateTime *time, GString *out, gpointer data);

typedef struct {
	double interval;      /* seconds between the starts of two samples */
	gint64 count;         /* samples to take; -1: until a signal */
	gboolean refresh;     /* a tty: each sample replaces the previous one */
	guint tail;           /* lines at the end of a sample's output that a frame cut to the window keeps
	                       * (the TOTAL row, the summary): the sample function may set it each time */
} MemWatchLoop;

/* Runs the samples, writing each one's output to stdout as it is made; returns the exit status: the
 * first that a sample returned, MEM_EXIT_FAILURE on a write error, else 0.  With refresh, the screen
 * is set up first and restored at every exit (SIGINT and SIGTERM end the program by that signal once
 * the terminal is restored).  A closed pipe ends the program quietly with 0 (mem_cli_write). */
int mem_watch_run(const MemWatchLoop *w, MemWatchSampleFunc f, gpointer data);

/* The line heading a sample: "sample 2 of 3 at 2026-11-28T10:41:02.123456Z, every 0.2 s" (count -1:
 * "sample 2 at ..."); newline-terminated. */
void mem_watch_heading(GString *out, const MemWatchLoop *w, guint64 i, GDateTime *time);

/* Adds the members of the JSON object `more` to the document in doc (an object, maybe followed by a
 * newline), which then ends with a newline: the normal document of a tool plus the watch's members. */
void mem_watch_json_merge(GString *doc, const GString *more);

/* The sample's time as JSON members: "sample" (from 1), "time" (ISO 8601 UTC, microseconds),
 * "interval_seconds". */
void mem_watch_json_members(MemJsonWriter *jw, const MemWatchLoop *w, guint64 i, GDateTime *time);
