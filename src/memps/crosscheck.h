/* crosscheck.h: an independent second reading of live PSS through libproc2, opened on demand (accounting layer) */
#pragma once

#include <glib.h>

#include "model.h"

typedef struct {
	guint compared;       /* processes measured by both */
	guint agree;          /* libproc2's kB lies between memps's two readings (equal when idle) */
	guint differ;
	guint only_memps;     /* measured by memps, absent from libproc2's list (exited in between) */
	guint skipped;        /* not measured by memps (unreadable, vanished, kernel): libproc2 says 0 */
	GString *details;     /* one line per difference: "pid 123: memps 1234 kB, libproc2 1240 kB" */
} MemCrossCheck;

/* Reads PIDS_SMAP_PSS for every process with libproc2 (libproc2.so.0, opened on demand) right after
 * `before` was loaded from `src`, then loads `src` again (same options) and compares: a process agrees
 * when libproc2's kB lies between memps's two readings, so memory that changes while the three reads
 * run is not called a mismatch.  Fails with MEM_ERROR_LIBRARY when libproc2 is missing and
 * MEM_ERROR_INVALID for a snapshot source (libproc2 reads only /proc). */
gboolean mem_cross_check(MemSource *src, const MemLoadOptions *opts, MemSnapshot *before,
                         MemCrossCheck *out, GError **error);
void mem_cross_check_clear(MemCrossCheck *cc);
