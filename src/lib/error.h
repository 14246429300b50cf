/* error.h: the MEM_ERROR GError domain shared by every layer (base layer) */
#pragma once

#include <glib.h>

#define MEM_ERROR (mem_error_quark())

typedef enum {
	MEM_ERROR_PARSE,       /* malformed content; the message names the file and line */
	MEM_ERROR_TRUNCATED,   /* content ends mid-record or mid-line */
	MEM_ERROR_VANISHED,    /* ENOENT/ESRCH: the process went away */
	MEM_ERROR_PERMISSION,  /* EACCES/EPERM */
	MEM_ERROR_NOT_FOUND,   /* a file or source path that does not exist */
	MEM_ERROR_IO,          /* any other read error */
	MEM_ERROR_UNSAFE,      /* a snapshot path that would leave the snapshot root (../, /abs, symlink) */
	MEM_ERROR_TOO_LARGE,   /* a file or member above the size bound */
	MEM_ERROR_LIBRARY,     /* an optional library could not be opened on demand */
	MEM_ERROR_INVALID,     /* a bad argument (unknown column, bad pid list, ...) */
} MemErrorCode;

GQuark mem_error_quark(void);

/* Maps an errno value to the closest MemErrorCode. */
MemErrorCode mem_error_from_errno(int err);

/* Short stable name of an errno value for messages and manifests ("EACCES"), or NULL. */
const char *mem_errno_name(int err);

/* Parses an errno name written by mem_errno_name(); returns 0 when unknown. */
int mem_errno_from_name(const char *name, gsize len);
