/* stream.h: the callback through which a reader hands over a file still being read (base layer) */
#pragma once

#include <glib.h>

/* A file still being read, seen through a window that moves: the consumer holds (*buf, *len), a run of
 * the file's bytes, and calls more() when it needs what comes after them.  `done` (at most *len) says
 * how many bytes at the start of the window it will not look at again; more() drops them, waits until
 * more of the file has arrived and stores the new window in *buf and *len.  The new window starts with
 * what was at (*buf)[done] and may lie elsewhere in memory: every pointer into the old window is stale,
 * so the consumer keeps offsets (from (*buf)+done) across the call.  *len == the old *len - done means
 * the end of the file.  On failure (FALSE with error: the read failed, or the file is above the size
 * bound) nothing is dropped and the window stays as it was.  The window holds what the consumer kept
 * plus what has arrived, so the reader's memory stays bounded by the longest run the consumer keeps. */
typedef gboolean (*MemMoreFunc)(gpointer data, gsize done, const char **buf, gsize *len, GError **error);
