/* columns-ps.h: memps's report as a table of the chosen columns (columns layer) */
#pragma once

#include <glib.h>

#include "column.h"
#include "report-ps.h"
#include "table.h"

/* The report's sort key for a column of --sort. */
MemPsSort mem_ps_sort_for_column(const MemColumn *col);

/* The report as a table of the columns (const MemColumn*), TOTAL row last. */
MemTable *mem_ps_report_table(const MemPsReport *r, const GPtrArray *columns);
