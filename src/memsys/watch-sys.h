/* watch-sys.h: memsys -w: each kind of memory followed over the samples, a row per kind with its changes (front-end support) */
#pragma once

#include <glib.h>

#include "cli.h"
#include "meminfo-categories.h"
#include "render-sys.h"
#include "watch.h"

/* total, avail, then the categories: memsys's column order. */
typedef struct {
	MemWatchValue v[2 + MEM_SYS_N];
} MemWatchSys;

/* The categories of a new sample. */
void mem_watch_sys_push(MemWatchSys *w, const MemSysCategories *c);

/* The sample as a table: a row per column of `cols` (all when NULL): KIND, SIZE, dSIZE (since the
 * previous sample; blank in the first), ΔSTART (since the first), the meminfo fields it is made of;
 * in CSV also SAMPLE and TIME, and the header only when `header`.  Appended to out. */
void mem_watch_sys_render_table(const MemWatchSys *w, const GArray *cols, gboolean csv, gboolean header,
                                guint64 sample, const char *time, const MemTextOptions *o, GString *out);

/* Appends the sample s (the i-th, from 0) as the options say: a JSON line (a memsys/1 document of this
 * one sample, kernel its release or NULL, plus the watch's members), CSV rows (the header in the
 * first), or text (a heading and the table). */
void mem_watch_sys_sample(const MemWatchSys *w, const MemSysSample *s, MemCli *cli, const MemWatchLoop *loop,
                          const char *kernel, guint64 i, const GArray *cols, GString *out);

/* The "watch" member's value: {"total": {"bytes", "delta_bytes", "growth_bytes"}, "avail": ..., each
 * category ...} (man/memsys.1). */
void mem_watch_sys_json(const MemWatchSys *w, MemJsonWriter *jw);
