/* dl.h: opening heavy optional libraries on demand through GModule, with a symbol table (base layer)
 *
 * Like systemd's dlopen helpers: the default path links only glib and libc; libarchive (tar
 * snapshots) and libproc2 (--cross-check) are opened the first time they are needed, and every
 * function used is resolved into a pointer.  A missing library gives MEM_ERROR_LIBRARY naming the
 * Debian package to install. */
#pragma once

#include <glib.h>

typedef struct {
	const char *name;     /* symbol name */
	gpointer *slot;       /* where to store the resolved address */
} MemDlSymbol;

/* Opens `soname` once (later calls return the cached result) and resolves every symbol of the
 * NULL-name-terminated table.  `package` is named in the error ("install libarchive13"). */
gboolean mem_dl_open(const char *soname, const char *package, const MemDlSymbol *symbols,
                     GError **error);
