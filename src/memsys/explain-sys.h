/* explain-sys.h: memsys --explain, where MemTotal - MemFree went: the processes' PSS against meminfo, each gap named and sourced (accounting layer) */
#pragma once

#include <glib.h>

#include "json-writer.h"
#include "meminfo-categories.h"
#include "model.h"
#include "render.h"

/* One line of the reconciliation.  The terms (part FALSE) add up to `used` exactly; a part (TRUE) is
 * "of which" information about the term above it and is not added. */
typedef struct {
	const char *id;       /* JSON key stem: "pss", "not_in_pss", "unmapped_cache", ... */
	char *what;           /* the text label (owned) */
	const char *source;   /* where the number comes from: "smaps_rollup Pss", "SReclaimable" */
	gboolean part;
	gboolean known;
	gint64 bytes;
	gint64 count;         /* processes or segments behind it; -1 when not a count */
} MemSysTerm;

typedef struct {
	MemSysCategories cat;
	gint64 used;          /* MemTotal - MemFree */
	GArray *terms;        /* MemSysTerm, in order; the last is "unexplained" */
	guint readable, unreadable, other_states;
} MemSysExplain;

/* What --explain reads besides the snapshot (each NULL when not read: unknown). */
typedef struct {
	const char *shm;      /* the text of sysvipc/shm */
	gsize shm_len;
	const MemZram *zram;  /* the zram devices (parse-zram.h) */
} MemSysExplainInput;

/* Builds the reconciliation from a snapshot loaded with meminfo and status, and `in`.  FALSE with an
 * error for a missing or malformed meminfo or a malformed sysvipc/shm. */
gboolean mem_sys_explain(MemSnapshot *snap, const MemSysExplainInput *in, MemSysExplain *e, GError **error);
void mem_sys_explain_clear(MemSysExplain *e);

/* A figure of a process as signed bytes; FALSE when unknown or beyond 2^63 - 1 (also --cgroups'). */
gboolean mem_sys_process_figure(const MemProcess *p, MemField f, gint64 *v);

void mem_sys_explain_text(const MemSysExplain *e, const MemTextOptions *o, GString *out);
/* The "explain" member of the JSON document: {"used_bytes": N, "terms": [{id, what, source, part,
 * bytes, count}, ...]}. */
void mem_sys_explain_json(const MemSysExplain *e, MemJsonWriter *w);
