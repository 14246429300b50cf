/* account-pss.h: Σ PSS over processes as signed bytes, with its anon/file/shmem split and what was left out: memsys --explain's, --cgroups's and memgraph's sums (accounting layer)
 *
 * Sums are signed (gint64) so that the reconciliations built on them (MemTotal - MemFree - Σ PSS)
 * stay in one type; a figure beyond 2^63 - 1 is unknown, and a sum that would overflow says so. */
#pragma once

#include <glib.h>

#include "model.h"

/* A figure of a process as signed bytes; FALSE when unknown or beyond 2^63 - 1. */
gboolean mem_process_figure(const MemProcess *p, MemField f, gint64 *v);

typedef struct {
	gint64 pss, anon, file, shmem;
	gboolean split;          /* Pss_Anon, Pss_File and Pss_Shmem known in every readable process (and
	                          * there is one) */
	gboolean overflow;       /* some sum did not fit in 63 bits */
	guint readable;          /* OK processes with a PSS */
	guint unreadable;        /* unreadable, skipped, or OK without a PSS: their memory is not in pss */
	guint other;             /* kernel threads, zombies, vanished: no user memory to count */
	gint64 unreadable_rss;   /* Σ status VmRSS of the unreadable ones that have it */
	guint unreadable_rss_n;  /* how many have it */
} MemPssSum;

void mem_pss_sum_init(MemPssSum *s);
void mem_pss_sum_add(MemPssSum *s, const MemProcess *p);
