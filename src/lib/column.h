/* column.h: the columns a process table can show, as data (columns layer) */
#pragma once

#include <glib.h>

#include "account.h"

typedef enum {
	MEM_COL_BYTES,   /* a MemMetric, shown as a size */
	MEM_COL_PID,
	MEM_COL_PPID,
	MEM_COL_USER,
	MEM_COL_CMDLINE,
} MemColKind;

typedef struct {
	const char *id;       /* the -o name, lower case; JSON key stem ("pss" -> "pss_bytes") */
	const char *title;    /* header text */
	MemColKind kind;
	MemMetric metric;     /* for MEM_COL_BYTES */
	const char *help;     /* one line for --help and the man page */
} MemColumn;

/* All columns, in documentation order; *n receives the count. */
const MemColumn *mem_columns(guint *n);

/* Case-insensitive lookup by id; NULL when unknown. */
const MemColumn *mem_column_lookup(const char *id);

/* Parses a comma-separated list ("pss,rss,USER") into a new array of column pointers.
 * Unknown names: MEM_ERROR_INVALID listing the valid ones. */
GPtrArray *mem_columns_parse(const char *list, GError **error);

/* The default set: PSS PRIVATE SHARED. */
GPtrArray *mem_columns_default(void);

/* TRUE when a column's value is right-aligned (numbers). */
gboolean mem_column_numeric(const MemColumn *col);
