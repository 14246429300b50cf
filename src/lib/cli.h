/* cli.h: what every front end shares: exit codes, output, colour, option value parsers (front-end support) */
#pragma once

#include <glib.h>

#include "model.h"

/* Exit statuses, documented in every man page. */
enum {
	MEM_EXIT_OK = 0,        /* success; unreadable or vanished processes are reported, not failures */
	MEM_EXIT_FAILURE = 1,   /* the source could not be read, a named pid is absent, a library is missing */
	MEM_EXIT_USAGE = 2,     /* bad option or argument */
	MEM_EXIT_BAD_INPUT = 3, /* malformed or unsafe input in a snapshot */
	MEM_EXIT_MISMATCH = 4,  /* --cross-check found disagreeing figures */
};

/* Sets the program name for messages and ignores SIGPIPE so a closed pipe is seen as EPIPE. */
void mem_cli_init(const char *prog);

/* "prog: message" on stderr; the message is made safe for a terminal (control bytes escaped). */
void mem_cli_error(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void mem_cli_warn(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

/* Writes the whole buffer to stdout.  Returns FALSE on a write error; on EPIPE (reader went away,
 * `memps | head`) it exits at once with status 0, quietly. */
gboolean mem_cli_write(const GString *buf);

/* Colour decision for --color=auto|always|never (NULL means auto): auto is a tty on stdout, NO_COLOR
 * unset or empty, TERM not "dumb".  Returns FALSE with an error for a bad value. */
gboolean mem_cli_color(const char *when, gboolean *color, GError **error);

/* --units=B|k|M|G|T|P|E (one letter). */
gboolean mem_cli_parse_unit(const char *arg, char *unit, GError **error);

/* "12,34 56": comma or space separated pids, each 1..2^32-1; result sorted, duplicates removed. */
GArray *mem_cli_parse_pids(const char *arg, GError **error);

/* Pids the load found to be threads (snap->threads): says so on stderr ("1235 is a thread of 1234") and
 * puts the process in each thread's place in `pids` (from mem_cli_parse_pids: kept sorted, without
 * duplicates), so a process named twice through its threads is shown once. */
void mem_cli_resolve_threads(const MemSnapshot *snap, GArray *pids);

/* A size above 0: bytes, or a number followed by k, M, G, T, P or E (powers of 1024, either case, an
 * optional "B" or "iB" after it): "4G", "512M", "1024k", "65536". */
gboolean mem_cli_parse_size(const char *arg, guint64 *bytes, GError **error);

/* A MemFlush function for renderers: writes what is buffered and empties it; a write error ends the
 * program with MEM_EXIT_FAILURE (EPIPE with 0, quietly). */
void mem_cli_flush(GString *out, gpointer data);

/* The exit status for an error that stopped a tool: MEM_EXIT_BAD_INPUT for malformed, cut, unsafe or
 * oversized input, MEM_EXIT_FAILURE otherwise. */
int mem_cli_exit_for(const GError *err);

/* Prints the snapshot's problems (malformed files), at most the kept ones and a count of the rest;
 * returns MEM_EXIT_BAD_INPUT when there were any, MEM_EXIT_OK otherwise. */
int mem_cli_report_problems(const MemSnapshot *snap);
