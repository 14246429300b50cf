/* report-maps.h: memmaps's view of one process: regions, rows and totals over its mappings (accounting layer)
 *
 * The report borrows the snapshot's mappings and never copies names: it decides which mappings are
 * shown (the -A range, the records before a bad one), groups them into regions, orders the top level
 * and sums every figure.  The renderers (render-maps.h) draw the tag-style tree, the --flat table and
 * JSON from it. */
#pragma once

#include <glib.h>

#include "account.h"
#include "counters.h"
#include "model.h"

/* What one tag (or --flat column) shows. */
typedef enum {
	MEM_MAPS_COL_FIELD,    /* one known smaps field: f[0] */
	MEM_MAPS_COL_SUM,      /* f[0] + f[1]: priv, shr, dirty */
	MEM_MAPS_COL_EXTRA,    /* a field memps does not know, by its kernel key */
	MEM_MAPS_COL_VMFLAGS,  /* the VmFlags text (mapping rows only) */
} MemMapsColKind;

typedef struct {
	MemMapsColKind kind;
	char *tag;             /* "sz", "pss", "Anonymous", "Writeback", "VmFlags" */
	MemField f[2];
	char *key;             /* EXTRA: the kernel key, without the colon */
} MemMapsColumn;

/* The column of a smaps key as the kernel spells it (any case for the fields memmaps knows; a key it
 * does not know becomes an EXTRA column), or "VmFlags".  Never fails.  The short names (sz, res, ...)
 * are columns-maps.h's. */
MemMapsColumn *mem_maps_column_key(const char *name, gsize len);
void mem_maps_column_free(gpointer col);
static inline void mem_maps_column_free_ptr(MemMapsColumn *col)
{
	mem_maps_column_free(col);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MemMapsColumn, mem_maps_column_free_ptr)


/* Value of a column over counters (FIELD and SUM only); FALSE when unknown. */
gboolean mem_maps_column_counter(const MemMapsColumn *col, const MemCounters *c, guint64 *v);

/* FALSE for the fields a sum makes no sense of (KernelPageSize, MMUPageSize): aggregates leave them
 * blank (text) or null (JSON). */
gboolean mem_field_additive(MemField f);

/* An extra field's value as bytes when it reads "N kB"; FALSE otherwise. */
gboolean mem_maps_extra_kb(const char *value, guint64 *bytes);

/* Sums over a set of mappings: the known fields, and the extra keys (by the process's key index). */
typedef struct {
	MemCounters c;
	guint64 *xsum;         /* n_extra_keys of the process */
	guint8 *xknown;        /* 1 when some member had that key as "N kB" */
	guint n;               /* mappings summed */
} MemMapsSum;

typedef enum {
	MEM_REGION_FILE,       /* consecutive mappings of one object (dev:inode, inode != 0), + its .bss */
	MEM_REGION_STACK,      /* a thread stack: an anonymous ---p guard, then the rw-p stack */
	MEM_REGION_ARENA,      /* a glibc malloc arena: its anonymous rw-p heap, then the ---p reserve */
	MEM_REGION_NAMED,      /* consecutive pieces of one "[anon:NAME]" area (Android's dalvik spaces) */
} MemRegionKind;

typedef struct {
	MemRegionKind kind;
	guint first, n;        /* every member: maps[first .. first+n) */
	GArray *shown;         /* guint: indices of the members shown, in display order */
	guint64 start, end;    /* over the members shown */
	const char *name;      /* the file's name (FILE), NULL for a stack or an arena */
	gsize name_len;
	MemMapsSum sum;        /* over the members shown */
} MemMapsRegion;

/* A top-level row of a process: a region or a mapping outside any region. */
typedef struct {
	guint32 is_region : 1;
	guint32 index : 31;    /* into regions or into the process's maps (a file of 256 MiB has far fewer) */
} MemMapsItem;

typedef struct {
	MemProcess *proc;
	GArray *regions;       /* MemMapsRegion, by address */
	guint *region_of;      /* per mapping: region index, G_MAXUINT when none */
	guint n_shown;
	GArray *items;         /* MemMapsItem, top level in display order */
	GArray *flat;          /* guint: every mapping shown, in display order (--flat) */
	GPtrArray *extra_keys; /* const char*: keys of extra fields (interned in the snapshot), first seen first */
	GPtrArray *columns;    /* MemMapsColumn*: the columns for this process (owned; -X resolves per process) */
	MemMapsSum sum;        /* Σ over the mappings shown */
	gboolean use_rollup;   /* the /A row takes the rollup's figures (the whole process is shown) */
	char *problem;         /* bad input found by the report: "PATH: line N: ..."; NULL when fine */
} MemMapsProc;

typedef struct {
	const GPtrArray *columns; /* MemMapsColumn*; NULL with all_fields */
	gboolean all_fields;   /* -X: every field the process has, its extra fields and VmFlags */
	gboolean has_range;
	guint64 low, high;     /* -A: mappings that overlap [low, high) */
	const MemMapsColumn *sort; /* NULL: by address; else descending by this column */
	gboolean column_sums;  /* the sums (regions, processes, the total) carry the fields of the columns and
	                        * of the sort only (the text views; not with all_fields); FALSE: every field */
} MemMapsOptions;

/* The MemField bits the report reads of each mapping and sums: those of the columns and of the sort with
 * column_sums, else every field (G_MAXUINT32).  The load needs keep no others (MemLoadOptions.map_fields). */
guint32 mem_maps_fields_used(const MemMapsOptions *o);

typedef struct {
	MemSnapshot *snap;
	const MemMapsOptions *opts;
	GPtrArray *procs;      /* MemMapsProc*, by pid */
	MemCounters total;     /* Σ over every process's mappings shown */
	MemStateTally states;  /* the processes shown, by state */
	guint n_bad;           /* processes with a problem found by the report */
} MemMapsReport;

/* Builds the report for the given pids (sorted); pids absent from the snapshot are skipped. */
MemMapsReport *mem_maps_report_new(MemSnapshot *snap, const guint32 *pids, guint n_pids, const MemMapsOptions *o);
void mem_maps_report_free(MemMapsReport *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MemMapsReport, mem_maps_report_free)

/* A column of a kernel key memmaps does not know (EXTRA) must be in the smaps of some process read:
 * FALSE with MEM_ERROR_INVALID when no process read has it (TRUE when no process could be read). */
gboolean mem_maps_report_check_key(const MemMapsReport *r, const MemMapsColumn *col, GError **error);

/* The summary line (mem_state_tally_summary()) or NULL when every process was measured. */
char *mem_maps_report_summary(const MemMapsReport *r);

/* Value of a column for one mapping: bytes (has_bytes) or text (VmFlags, an extra not in kB);
 * FALSE when the mapping does not have it. */
gboolean mem_maps_mapping_value(const MemMapsProc *p, const MemMapping *m, const MemMapsColumn *col,
                                guint64 *bytes, gboolean *has_bytes, const char **text);

/* Value of a column over a sum (bytes only); FALSE when unknown or not summable. */
gboolean mem_maps_sum_value(const MemMapsProc *p, const MemMapsSum *s, const MemMapsColumn *col, guint64 *v);
