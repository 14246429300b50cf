/* column.h: the columns a table can show, as data, and the one column-list parser of every tool (columns layer) */
#pragma once

#include <glib.h>

#include "account.h"

/* ---- any tool's column table ----
 * A tool's columns are a static array of its own structs; a MemColumnSet says where the name and the
 * help string are in one entry, so that one parser and one --help list serve every tool. */
typedef struct {
	const void *table;     /* the first entry */
	guint n;               /* entries */
	gsize stride;          /* sizeof one entry */
	gsize name_offset;     /* offsetof the entry's `const char *` name (the -o name) */
	gsize help_offset;     /* offsetof the entry's `const char *` help line */
	const char *what;      /* "column", "field": for messages */
} MemColumnSet;

#define MEM_COLUMN_SET(array, type, name_member, help_member, what_text) \
	{ (array), G_N_ELEMENTS(array), sizeof(type), G_STRUCT_OFFSET(type, name_member), \
	  G_STRUCT_OFFSET(type, help_member), (what_text) }

/* A name that is not in the table: TRUE when the tool accepts it anyway (memmaps: a smaps key). */
typedef gboolean (*MemColumnOtherFunc)(const char *name, gpointer data);

const char *mem_column_set_name(const MemColumnSet *set, guint i);
const char *mem_column_set_help(const MemColumnSet *set, guint i);

/* Index of a name in the set, any case; -1 when absent. */
int mem_column_set_find(const MemColumnSet *set, const char *name);

/* Parses "a,b,c" (any case; blanks around a name ignored) into a new array of guint: the index of each
 * name in the set, or G_MAXUINT for a name `other` accepted (its text is then appended to `others`, a
 * GPtrArray of char* the caller frees; may be NULL when other is).  Errors (MEM_ERROR_INVALID): an
 * empty list or name; an unknown name, with the valid ones listed. */
GArray *mem_column_list_parse(const MemColumnSet *set, const char *list, MemColumnOtherFunc other,
                              gpointer data, GPtrArray *others, GError **error);

/* The --help list: a line per entry, "  name   help", aligned. */
void mem_column_set_help_text(const MemColumnSet *set, GString *out);

/* ---- memps's process columns ---- */

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

/* The process columns as a MemColumnSet. */
const MemColumnSet *mem_columns_set(void);

/* Parses a comma-separated list ("pss,rss,USER") into a new array of column pointers.
 * Unknown names: MEM_ERROR_INVALID listing the valid ones. */
GPtrArray *mem_columns_parse(const char *list, GError **error);

/* The default set: PSS PRIVATE SHARED. */
GPtrArray *mem_columns_default(void);

/* TRUE when a column's value is right-aligned (numbers). */
gboolean mem_column_numeric(const MemColumn *col);
