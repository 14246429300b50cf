/* columns-maps.h: memmaps's column table (the short names of -o) and the column list of -o and --sort (columns layer) */
#pragma once

#include <glib.h>

#include "column.h"
#include "report-maps.h"

/* memmaps's column table (the short names sz res pss priv shr dirty swap swappss), for --help. */
const MemColumnSet *mem_maps_columns_set(void);

/* One column by name, any case: a short name, else as mem_maps_column_key().  Never fails. */
MemMapsColumn *mem_maps_column_new(const char *name);

/* TRUE for a name that looks like a smaps key: a letter, then letters, digits or '_' (64 at most). */
gboolean mem_maps_smaps_key_like(const char *name);

/* "sz,res,pss" (any case) into a new array of columns (free func set), through the core's parser.  A name
 * is a short name, a known smaps field, VmFlags, or any name that looks like a smaps key (checked against
 * the processes' smaps once read: mem_maps_report_check_key()).  Fails (MEM_ERROR_INVALID, the valid
 * names listed) on an empty list or name, or a name that cannot be a smaps key. */
GPtrArray *mem_maps_columns_parse(const char *list, GError **error);
