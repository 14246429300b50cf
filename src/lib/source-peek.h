/* source-peek.h: what kind of input a path the user named holds, from its first bytes (source layer) */
#pragma once

#include <glib.h>

/* Whether `path` is a JSON document (a saved report): a regular file whose first byte after blanks
 * (and a UTF-8 byte order mark) is '{' or '['.  A directory, a tar or anything else is not.  "-" is
 * stdin: looked into only when it is a regular file (< report.json: read at its offset without
 * moving it); a pipe never is (what is read of a tar stream could not be handed on).  FALSE with an
 * error when the path cannot be opened (NOT_FOUND, PERMISSION, IO). */
gboolean mem_source_peek_json(const char *path, gboolean *is_json, GError **error);
