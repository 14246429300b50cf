/* watch-ps.h: memps -w: each process's figure (PSS, or the metric of -s) followed over the samples, as a flat table or JSON Lines (front-end support)
 *
 * Each sample is a report (mem_ps_report_new) of a new snapshot; the tracker follows its processes by
 * pid and start time.  Text and CSV: one row per process (the report's columns, then dPSS, the change
 * since the previous sample, and ΔSTART, since the start or since the process appeared), the processes
 * gone since the previous sample marked [vanished], those that appeared [new]; TOTAL last.  JSON: the
 * memps document of the sample plus the members "sample", "time", "interval_us" and "watch". */
#pragma once

#include <glib.h>

#include "cli.h"
#include "render.h"
#include "proctree.h"
#include "watch.h"

/* A job (cgroup) over the samples: its sum of the figure followed. */
typedef struct {
	MemWatchValue value;
	MemWatchChange change;        /* FIRST, SEEN or NEW: a job gone is forgotten (JSON lists the jobs of
	                               * the document only) */
	guint64 seen;
} MemWatchJob;

typedef struct {
	MemWatchTracker *tracker;
	const MemColumn *col;         /* the figure followed: a byte column (pss by default) */
	char *title;                  /* "dPSS" */
	char *key[3];                 /* JSON: "pss_bytes", "pss_delta_bytes", "pss_growth_bytes" */
	MemWatchValue total;          /* the TOTAL row's figure (unknown for a metric that does not add up) */
	GHashTable *jobs;             /* cgroup path (owned) -> MemWatchJob: the jobs of the last sample (JSON) */
	guint64 samples;
	gboolean growth;              /* --sort=growth: largest growth since the start first */
	GPtrArray *vanished;          /* of the last mem_watch_ps_track() (the tracker's) */
} MemWatchPs;

/* col: the byte column to follow; NULL for pss.  lazy: the real /proc when the samples are loaded with
 * lazy stat (the tracker then follows processes by pidfd: mem_watch_tracker_new), else NULL. */
void mem_watch_ps_init(MemWatchPs *w, gboolean growth, const MemColumn *col, MemSource *lazy);
void mem_watch_ps_clear(MemWatchPs *w);

/* Follows the report's processes (kernel threads only with -k) and jobs into a new sample. */
void mem_watch_ps_track(MemWatchPs *w, const MemPsReport *r);

/* The sample as a table (the report's, tree none, of these columns) with the two delta columns, and
 * in CSV "SAMPLE" and "TIME" columns; appended to out: CSV's header only when `header`. */
void mem_watch_ps_render_table(MemWatchPs *w, const MemPsReport *r, const GPtrArray *cols, gboolean csv,
                               gboolean header, guint64 sample, const char *time, const MemTextOptions *o,
                               GString *out);

/* Appends the sample (the i-th, from 0, taken at `time`) as the options say: a JSON line (the report's
 * document, flushed as it grows, plus the watch's members), CSV rows (the header in the first), or
 * text (a heading, the table, the summary and the lines about what the kernel does not write).  Returns
 * the lines at its end that a frame cut to the window keeps (MemWatchLoop.tail): TOTAL and after. */
guint mem_watch_ps_sample(MemWatchPs *w, const MemPsReport *r, MemCli *cli, const MemWatchLoop *loop, guint64 i,
                         GDateTime *time, const GPtrArray *cols, GString *out);

/* The "watch" member's value: {"metric": "pss", "total": {...}, "processes": [...]} (man/memps.1). */
void mem_watch_ps_json(MemWatchPs *w, const MemPsReport *r, MemJsonWriter *jw);
