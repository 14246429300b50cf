/* cli.h: what every front end shares: the common options, opening the source, exit codes, output, the summary line (front-end support)
 *
 * A front end declares only its own options (a GOptionEntry table) in a MemCliTool and calls:
 *   mem_cli_parse()   the common options (-S --proc-root --json --csv --format --output -b -u --color -V)
 *                     and the tool's,
 *                     their exclusions checked here once, --help written from the tool's tables;
 *   mem_cli_load()    opens the source and loads a snapshot, reporting malformed files and absent pids;
 *   mem_cli_finish()  writes the output, then the summary line on stderr; returns the exit status. */
#pragma once

#include <glib.h>

#include "column.h"
#include "kernel-features.h"
#include "model.h"
#include "render.h"
#include "source.h"

/* Exit statuses, documented in every man page. */
enum {
	MEM_EXIT_OK = 0,        /* success; unreadable or vanished processes are reported, not failures */
	MEM_EXIT_FAILURE = 1,   /* the source could not be read, a named pid is absent, a library is missing */
	MEM_EXIT_USAGE = 2,     /* bad option or argument */
	MEM_EXIT_BAD_INPUT = 3, /* malformed or unsafe input in a snapshot */
	MEM_EXIT_MISMATCH = 4,  /* --cross-check found disagreeing figures */
};

/* What a tool tells the core about itself. */
typedef struct {
	const char *name;            /* "memps": messages, --version, the sibling list */
	const char *params;          /* the usage line after the options: "[PATTERN]" */
	const GOptionEntry *entries; /* the tool's own options, NULL-terminated; shown before the common ones */
	const char *no_csv;          /* non-NULL: --csv is refused, and this says why (memmaps) */
	gboolean openmetrics;        /* the tool writes --format=openmetrics (refused otherwise) */
	const MemColumnSet *(*columns)(void); /* listed in --help under columns_title; NULL: none */
	const char *columns_title;   /* "Columns" */
	const char *columns_note;    /* a line after the list, or NULL */
	const char *notes;           /* tool-specific lines before the exit status, or NULL */
	const char *exit_status;     /* "0 ok, 1 failure, ..." */
	const char *examples;        /* "  memps -g user\n      one row per user\n..." */
	gboolean locale_on_demand;   /* TRUE: the locale is read only for --help, an error message or a
	                              * non-ASCII argument, or when the tool calls mem_cli_locale() (its
	                              * output must not need it: memsys's table) */
} MemCliTool;

/* The common options as given, and what the core made of them. */
typedef struct {
	const MemCliTool *tool;
	char *snapshot, *proc_root, *units, *color;
	char *format;                /* --format as given; json and csv set the flags below too */
	char *output;                /* --output FILE: stdout goes to a temporary file renamed over FILE by
	                              * mem_cli_finish() once the output is whole (NULL, "-": stdout) */
	gboolean json, csv, bytes, version;
	gboolean openmetrics;        /* --format=openmetrics */
	MemTextOptions text;         /* unit, bytes, color, ascii and the flush to stdout, ready for a renderer */
	MemSource *src;              /* opened by mem_cli_load() */
	MemFeatures missing;         /* what the loaded files lacked (mem_cli_load()), told by mem_cli_finish() */
} MemCli;

/* Sets the program name for messages and ignores SIGPIPE so a closed pipe is seen as EPIPE. */
void mem_cli_init(const char *prog);

/* Reads the user's locale for glib's text if it is not yet: its charset (LC_CTYPE) and language
 * (LC_MESSAGES), the only categories the tools use (mem_cli_parse() reads the charset alone, or nothing
 * with MemCliTool.locale_on_demand); sets cli->text.ascii from the charset (cli may be NULL). */
void mem_cli_locale(MemCli *cli);

/* Parses the common options and the tool's, and checks the common exclusions (-S with --proc-root,
 * --json with --csv, --bytes with --units, --csv where the tool has none) and values (--color, -u).
 * Returns -1 to go on; otherwise the program's exit status: 0 after --version (written), MEM_EXIT_USAGE
 * after an error (written).  Arguments left over stay in argv. */
int mem_cli_parse(MemCli *cli, const MemCliTool *tool, int *argc, char ***argv);

/* "prog: message (try --help)" and MEM_EXIT_USAGE, for the tool's own option checks. */
int mem_cli_usage(const GError *err);

/* Opens the source the options name (live /proc, --proc-root DIR or -S PATH) into cli->src and loads a
 * snapshot.  Prints the snapshot's malformed files and every pid of lo->pids it does not hold; *rc
 * becomes MEM_EXIT_BAD_INPUT or MEM_EXIT_FAILURE for those (the output still follows).  NULL when the
 * source could not be opened or read (the error is printed; *rc is the exit status). */
MemSnapshot *mem_cli_load(MemCli *cli, const MemLoadOptions *lo, int *rc);

/* "no process PID" for each pid the snapshot does not hold; *rc becomes MEM_EXIT_FAILURE unless set. */
void mem_cli_check_pids(MemSnapshot *snap, const guint32 *pids, guint n, int *rc);

/* Opens the source only (cli->src), for a tool that scans it itself.  FALSE: printed, *rc set. */
gboolean mem_cli_open(MemCli *cli, int *rc);

/* Prints an error that stopped the tool and returns its exit status (mem_cli_exit_for). */
int mem_cli_fail(const GError *err);

/* Renders a tool's table as the options ask: CSV with --csv, else aligned text (--json is the tool's own
 * renderer).  Output is flushed to stdout in pieces as it grows. */
void mem_cli_render_table(MemCli *cli, const MemTable *table, GString *out);

/* Writes out, then the summary (may be NULL) on stderr, then a line per kernel feature the loaded
 * files lacked ("no SwapPss (new in Linux 4.3) in 3 of 3 processes: swap PSS unknown ...";
 * kernel-features.h); returns rc, or MEM_EXIT_FAILURE on a write error.  With --output FILE, the
 * temporary file then replaces FILE (written in full, whatever rc); a tool that ends without calling
 * it leaves FILE as it was (the temporary file is removed at exit, or on SIGINT, SIGTERM, SIGHUP). */
int mem_cli_finish(MemCli *cli, GString *out, const char *summary, int rc);

/* Leaves p (a snapshot, a report: anything big whose freeing only precedes the exit) to the exit,
 * which gives its pages back at once: freeing a 10 000-process snapshot and report one block at a
 * time took ~0.5 ms.  Held in a static, p stays reachable for leak checkers (git's UNLEAK).  Up to
 * eight; past that, p is simply left. */
void mem_cli_leave_to_exit(gpointer p);

/* Frees what the options and mem_cli_load() hold. */
void mem_cli_clear(MemCli *cli);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(MemCli, mem_cli_clear)

/* "prog: message" on stderr; the message is made safe for a terminal (control bytes escaped). */
void mem_cli_error(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void mem_cli_warn(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

/* Writes the whole buffer to stdout.  Returns FALSE on a write error; on EPIPE (reader went away,
 * `memps | head`) it exits at once with status 0, quietly. */
gboolean mem_cli_write(const GString *buf);

/* Colour decision for --color=auto|always|never (NULL means auto): auto is a tty on stdout, NO_COLOR
 * unset or empty, TERM not "dumb".  Returns FALSE with an error for a bad value. */
gboolean mem_cli_color(const char *when, gboolean *color, GError **error);

/* --units: one letter B k M G T P E, any case (k K m M g G ...). */
gboolean mem_cli_parse_unit(const char *arg, char *unit, GError **error);

/* "12,34 56": comma or space separated pids, each 1..2^32-1; result sorted, duplicates removed. */
GArray *mem_cli_parse_pids(const char *arg, GError **error);

/* Pids the load found to be threads (snap->threads, which mem_cli_load names on stderr: "1235 is a
 * thread of 1234"): puts the process in each thread's place in `pids` (from mem_cli_parse_pids: kept
 * sorted, without duplicates), so a process named twice through its threads is shown once. */
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
