/* crosscheck.h: an independent second reading of live PSS through libproc2, opened on demand (accounting layer) */
#pragma once

#include <glib.h>

#include "model.h"

typedef struct {
	guint compared;       /* processes measured by both */
	guint agree;          /* equal PSS (same kB) */
	guint differ;
	guint only_memps;     /* measured by memps, absent from libproc2's list (exited in between) */
	guint skipped;        /* not measured by memps (unreadable, vanished, kernel): libproc2 says 0 */
	GString *details;     /* one line per difference: "pid 123: memps 1234 kB, libproc2 1240 kB" */
} MemCrossCheck;

/* Reads PIDS_SMAP_PSS for the processes of a live snapshot with libproc2 (libproc2.so.0, opened on
 * demand) and compares it with the model's smaps_rollup Pss.  Fails with MEM_ERROR_LIBRARY when
 * libproc2 is missing and MEM_ERROR_INVALID for a snapshot source (libproc2 reads only /proc). */
gboolean mem_cross_check(MemSnapshot *snap, MemCrossCheck *out, GError **error);
void mem_cross_check_clear(MemCrossCheck *cc);
