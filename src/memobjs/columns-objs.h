/* columns-objs.h: memobjs's columns as data: names for -o and --sort, titles, help; the list parser (columns layer) */
#pragma once

#include <glib.h>

#include "column.h"
#include "objects.h"

typedef struct {
	MemObjsColId id;
	const char *name;        /* -o and --sort name */
	const char *title;
	gboolean bytes;          /* a size (JSON key name_bytes) */
	const char *help;
} MemObjsColumn;

/* All columns in documentation order; *n receives the count. */
const MemObjsColumn *mem_objs_columns(guint *n);
/* The same as a MemColumnSet, for the core's parser and --help list. */
const MemColumnSet *mem_objs_column_set(void);
/* By name, any case ("rss" is another name of alloc); NULL when unknown. */
const MemObjsColumn *mem_objs_column_lookup(const char *name);
/* Comma-separated list -> GArray of MemObjsColId through the core's column-list parser
 * (mem_column_list_parse); MEM_ERROR_INVALID naming the valid ones. */
GArray *mem_objs_columns_parse(const char *list, GError **error);
