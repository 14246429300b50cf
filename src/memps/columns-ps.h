/* columns-ps.h: memps's report as a table of the chosen columns (columns layer) */
#pragma once

#include <glib.h>

#include "column.h"
#include "proctree.h"
#include "table.h"

/* The report's sort key for a column of --sort. */
MemPsSort mem_ps_sort_for_column(const MemColumn *col);

/* TRUE when the table shows what only stat tells of a process with figures: its parent (--tree=parent,
 * the PPID column or sort key) or its VSS.  Else the loader may name processes from comm and read stat
 * only where the rollup fails (MemLoadOptions.lazy_stat).  JSON and CSV carry both: ask with every. */
gboolean mem_ps_needs_stat(const MemPsOptions *o, const GPtrArray *columns, gboolean every);

/* The report as a table of the columns (const MemColumn*), TOTAL row last. */
MemTable *mem_ps_report_table(const MemPsReport *r, const GPtrArray *columns);

/* Rows a piece holds (mem_ps_report_table_piece). */
#define MEM_PS_PIECE_ROWS 1024

/* The same a piece at a time: the rows of the report's nodes from *pos on (at most MEM_PS_PIECE_ROWS),
 * the TOTAL row in the last piece; *pos moves on.  NULL once every row was given (start with *pos 0).
 * 10 000 processes as one table were 1.3 MB of rows (and a 2 MiB huge page for them); a piece is
 * 130 kB. */
MemTable *mem_ps_report_table_piece(const MemPsReport *r, const GPtrArray *columns, guint *pos);

/* The rows of the report's nodes [from, to), with the TOTAL row when to is their number. */
MemTable *mem_ps_report_table_span(const MemPsReport *r, const GPtrArray *columns, guint from, guint to);
