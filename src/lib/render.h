/* render.h: one renderer per output format (rendering layer) */
#pragma once

#include <glib.h>

#include "kernel-features.h"
#include "json-writer.h"
#include "model.h"
#include "table.h"

/* Output is flushed in pieces so that a large report never sits whole in memory: a renderer calls
 * mem_flush_maybe() between rows; func writes out and empties it. */
typedef struct {
	void (*func)(GString *out, gpointer data);
	gpointer data;
} MemFlush;

#define MEM_FLUSH_AT 16384

static inline void mem_flush_maybe(GString *out, const MemFlush *f)
{
	if (f && f->func && out->len >= MEM_FLUSH_AT)
		f->func(out, f->data);
}

typedef struct {
	char unit;            /* 0: Zircon natural units; 'B' 'k' 'M' 'G' 'T': fixed */
	gboolean bytes;       /* plain integers, no unit */
	gboolean color;       /* ANSI SGR colours (the caller decided: tty and no NO_COLOR) */
	gboolean ascii;       /* the locale's charset is not UTF-8: decorations in ASCII ("Sum" for the sigma,
	                       * "..." for the ellipsis U+2026 of a cut cell) */
	guint max_indent;     /* indentation stops growing at this depth (deep hostile trees) */
	MemFlush flush;       /* optional */
} MemTextOptions;

/* Text cells and task labels of a column that is not the last are cut to this many display columns
 * (ellipsis included): one 1 MB command line must not pad every row to 1 MB.  The last column (NAME)
 * is written whole; JSON and CSV always carry the whole value. */
#define MEM_TEXT_MAX_WIDTH 64

/* Aligned text: header, rows, header again (when t->repeat_header).  Untrusted bytes are escaped
 * with mem_escape_text(); widths count display columns. */
void mem_render_text(const MemTable *t, const MemTextOptions *opts, GString *out);

/* CSV (RFC 4180): a header line then one line per row; sizes are always plain bytes; the task cell
 * carries no indentation and a "depth" column is added.  A numeric column holds numbers only: a
 * lower bound's mark goes to the column's flag column (mem_table_set_column_flag). */
void mem_render_csv(const MemTable *t, const MemFlush *flush, GString *out);

/* A table too large to hold whole is rendered in pieces of rows (the same columns in every piece):
 * widths over every piece first (init, then add each piece), then the header once and each piece's
 * rows.  mem_render_text() is all of it on one table. */
typedef struct {
	gsize *w;             /* n_cols widths, display columns */
	gsize w0;             /* the first (label) column's */
	guint n_cols;
} MemTextWidths;
void mem_text_widths_init(MemTextWidths *w, const MemTable *t);
void mem_text_widths_add(MemTextWidths *w, const MemTable *t, const MemTextOptions *o);
void mem_text_widths_clear(MemTextWidths *w);
void mem_text_header(const MemTable *t, const MemTextOptions *o, const MemTextWidths *w, GString *out);
void mem_text_rows(const MemTable *t, const MemTextOptions *o, const MemTextWidths *w, GString *out);
/* The same for CSV: the header line, then the rows of each piece. */
void mem_csv_header(const MemTable *t, GString *out);
void mem_csv_rows(const MemTable *t, const MemFlush *flush, GString *out);

/* Builds the piece at *pos (a position of pos_size bytes, the builder's own) in a new table and moves
 * *pos past it; NULL when no row is left. */
typedef MemTable *(*MemPieceFunc)(gconstpointer data, gpointer pos);

/* Draws a table too large to hold whole as text or CSV: `first` (its header, and its rows) then the
 * pieces next() builds from *pos on, each freed once drawn; for text, every piece is built twice (the
 * widths over every row, then the rows), from a copy of *pos.  Output is flushed between pieces. */
void mem_render_pieces(const MemTable *first, MemPieceFunc next, gconstpointer data, gpointer pos, gsize pos_size,
                       gboolean csv, const MemTextOptions *o, GString *out);

/* The members every tool's JSON document starts with: "schema", then "source" {
 *   "kind": "live" (the real /proc, or --proc-root DIR read as if live) | "snapshot" (-S),
 *   "format": "proc" (laid out as /proc: live or --proc-root) | "dir" | "tar" | "stdin" (a tar on stdin),
 *   "path": the directory or file given (--proc-root DIR, -S PATH); null for the real /proc and stdin,
 *   "kernel": the kernel release the source's "version" names; null when unknown,
 *   "missing": the kernel features the files read lacked (kernel-features.h), in MemFeature order, each
 *     { "feature": "smaps_rollup" | "swap_pss" | "pss_anon_file_shmem" | "pss_dirty" | "vmflags",
 *       "since": the first kernel release with it ("4.14"), "processes": how many lacked it,
 *       "judged": how many could show it, "effect": what the figures lose, for people };
 *     [] when none (or `missing` is NULL) }.
 * `kind` and `path` are the source's (mem_source_kind(), mem_source_path()). */
void mem_json_header(MemJsonWriter *w, const char *schema, MemSourceKind kind, const char *path,
                     const char *kernel, const MemFeatures *missing);
/* The same with a recording's memcap.info (NULL: none): "recorded", after "kernel", only for a
 * recording with a memcap.info: { "tool": "memcap 1.0" or null, "time": epoch seconds or null,
 * "pagesize": bytes or null, "cmdline": "scrubbed" (argv[0] only) | "full" | null, "pids": "all" |
 * "selected" | null }, the recorder's words as written. */
void mem_json_header_recorded(MemJsonWriter *w, const char *schema, MemSourceKind kind, const char *path,
                              const char *kernel, const MemFeatures *missing, const MemRecInfo *recorded);
/* The same from a snapshot (its features: mem_features_from_snapshot()). */
void mem_json_header_snapshot(MemJsonWriter *w, const char *schema, const MemSnapshot *snap);

/* A process's identity in every tool's JSON: "pid", "name", "state" and "error" (the errno name or
 * reason of an unreadable or vanished process, else null). */
void mem_json_process_head(MemJsonWriter *w, const MemProcess *p);
