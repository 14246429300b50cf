/* explain-sys.h: memsys --explain, where MemTotal - MemFree went: the processes' PSS against meminfo, each gap named and sourced (accounting layer) */
#pragma once

#include <glib.h>

#include "json-writer.h"
#include "meminfo-categories.h"
#include "model.h"
#include "source.h"
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
	const GArray *shm_files;   /* the input's /dev/shm listing (not owned), or NULL */
	const char *shm_files_note;
	GArray *sysv;         /* MemShmSegment: the SysV segments no process attaches; NULL when sysvipc/shm was not read */
} MemSysExplain;

/* A regular file of /dev/shm, for --explain's listing: which processes map it or hold it open. */
typedef struct {
	char *name;           /* the entry name (untrusted bytes; owned) */
	guint64 size;         /* st_size */
	guint64 alloc;        /* st_blocks x 512: the memory it holds */
	guint mappers;        /* processes seen mapping it (maps: its device and inode) */
	guint holders;        /* processes seen holding an fd on it */
	gboolean mappers_all; /* every process's maps was read: mappers 0 means nobody maps it */
	gboolean holders_all; /* every process's fds were read: holders 0 means nobody holds it */
} MemSysShmFile;

/* What --explain reads besides the snapshot (mem_sys_explain_read(); each absent when not read: unknown). */
typedef struct {
	char *shm;            /* the text of sysvipc/shm, or NULL */
	gsize shm_len;
	GArray *shm_files;    /* MemSysShmFile, most allocated first; NULL when /dev/shm was not listed */
	char *shm_files_note; /* why not listed, or a caveat about the mappers and holders; NULL */
	GPtrArray *problems;  /* a recording's garbled fds or dev-shm, for stderr (never NULL after a read) */
} MemSysExplainInput;

/* The second scan of --explain (the first loads the snapshot, zram included): sysvipc/shm, and for the /dev/shm
 * listing every process's maps and fds (live: /proc and /dev/shm, --proc-root DIR: DIR/../dev/shm; a
 * recording: its maps, fds and dev-shm).  `once`: the source is a stream read already (a tar on
 * stdin): nothing is read.  FALSE with an error for a scan that fails. */
gboolean mem_sys_explain_read(MemSource *src, gboolean once, MemSysExplainInput *in, GError **error);
void mem_sys_explain_input_clear(MemSysExplainInput *in);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(MemSysExplainInput, mem_sys_explain_input_clear)

/* Builds the reconciliation from a snapshot loaded with meminfo, zram and status, and `in`.  FALSE with an
 * error for a missing or malformed meminfo or a malformed sysvipc/shm. */
gboolean mem_sys_explain(MemSnapshot *snap, const MemSysExplainInput *in, MemSysExplain *e, GError **error);
void mem_sys_explain_clear(MemSysExplain *e);

void mem_sys_explain_text(const MemSysExplain *e, const MemTextOptions *o, GString *out);
/* The "explain" member of the JSON document: {"used_bytes": N, "terms": [{id, what, source, part,
 * bytes, count}, ...]}. */
void mem_sys_explain_json(const MemSysExplain *e, MemJsonWriter *w);
