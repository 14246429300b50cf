/* stream.h: the callback through which a reader hands over a file still being read (base layer) */
#pragma once

#include <glib.h>

/* A file still being read into a buffer that never moves: waits until more than `have` bytes are
 * there and stores the new total in *len; *len == have means the end of the file.  FALSE with error
 * when the read failed. */
typedef gboolean (*MemMoreFunc)(gpointer data, gsize have, gsize *len, GError **error);
