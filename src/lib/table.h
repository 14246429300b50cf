/* table.h: a table of typed cells that every text-like renderer draws (rendering layer)
 *
 * Rows carry untrusted bytes (process and cgroup names) unescaped: each renderer escapes for its
 * own output.  The first column is the task label (indented by depth), the last is the name. */
#pragma once

#include <glib.h>

typedef enum {
	MEM_CELL_BLANK,   /* nothing to show (a job's SHARED) */
	MEM_CELL_UNKNOWN, /* shown as "-" (unreadable process, field the kernel lacks) */
	MEM_CELL_BYTES,
	MEM_CELL_INT,
	MEM_CELL_TEXT,
} MemCellKind;

typedef struct {
	/* 16 bytes: a table of 15 000 rows by 9 columns is 2 MB, not 7 (page faults were a visible part
	 * of rendering memobjs's all view). */
	union {
		guint64 bytes;        /* MEM_CELL_BYTES */
		gint64 i;             /* MEM_CELL_INT */
		char *text;           /* MEM_CELL_TEXT: untrusted bytes, owned unless text_static */
	};
	guint32 text_len;
	guint8 kind;          /* MemCellKind */
	guint8 text_static;   /* text is not the cell's own (a static string or the table's chunk) */
	guint8 lower_bound;   /* a number that is only a lower bound (some contributors unknown) */
} MemCell;

typedef enum {
	MEM_ROW_PROCESS,
	MEM_ROW_JOB,
	MEM_ROW_GROUP,
	MEM_ROW_MISSING,      /* an unreadable or vanished process */
	MEM_ROW_TOTAL,
} MemRowKind;

typedef struct {
	MemRowKind kind;
	guint depth;
	char *label;          /* untrusted bytes after a trusted prefix such as "p:" or "j:" */
	gsize label_len;
	char *name;           /* untrusted; the table's, or borrowed (mem_row_set_name_ref) */
	gsize name_len;
	char *note;           /* trusted text appended to the name, e.g. "[unreadable: EACCES]" */
	MemCell *cells;
	GStringChunk *strings; /* private: the table's, holding the row's texts */
} MemRow;

typedef struct {
	const char *first_title;  /* "TASK" */
	const char *last_title;   /* "NAME" */
	guint n_cols;
	const char **titles;      /* n_cols */
	gboolean *numeric;        /* n_cols: right-aligned */
	const char **flag_titles; /* n_cols: CSV title of the column flagging lower bounds, or NULL */
	GPtrArray *rows;          /* MemRow* */
	GStringChunk *strings;    /* every text of every row (freed with the table, not one by one) */
	struct _MemArena *arena;  /* private: where the rows live */
	gboolean repeat_header;   /* print the header again at the bottom, as Zircon does */
} MemTable;

MemTable *mem_table_new(const char *first_title, const char *last_title, guint n_cols);
void mem_table_free(MemTable *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MemTable, mem_table_free)

/* Column i's title (a static string) and alignment. */
void mem_table_set_column(MemTable *t, guint i, const char *title, gboolean numeric);

/* Column i's numbers may be lower bounds (mem_cell_set_lower_bound): text shows such a value as
 * "4+?"; CSV keeps the column numeric and adds, right after it, a column titled flag_title (a static
 * string) holding 1 for a lower bound, 0 for an exact number, empty for no number.  A lower bound in
 * a column without a flag column is a programming error (CSV would lose it). */
void mem_table_set_column_flag(MemTable *t, guint i, const char *flag_title);

/* Appends a row with n_cols blank cells. */
MemRow *mem_table_add_row(MemTable *t, MemRowKind kind, guint depth);

/* Copies bytes into the table (a row's texts live as long as the table): prefix is trusted text,
 * s/len untrusted. */
void mem_row_set_label(MemRow *r, const char *prefix, const char *s, gsize len);
void mem_row_set_name(MemRow *r, const char *s, gsize len);
void mem_row_set_note(MemRow *r, const char *note);
/* The name without a copy: s must outlive the table (a name interned in the snapshot). */
void mem_row_set_name_ref(MemRow *r, const char *s, gsize len);
/* A text cell of this row (column col), copied into the table's chunk. */
void mem_row_set_text(MemRow *r, guint col, const char *s, gsize len);
void mem_cell_set_bytes(MemCell *c, guint64 v);
void mem_cell_set_int(MemCell *c, gint64 v);
void mem_cell_set_text(MemCell *c, const char *s, gsize len);
/* A text cell showing a string that outlives the table (a kind name): not copied. */
void mem_cell_set_static_text(MemCell *c, const char *s);
void mem_cell_set_unknown(MemCell *c);
/* Marks a number cell (bytes or int) as a lower bound, after it was set. */
void mem_cell_set_lower_bound(MemCell *c);

/* Appends n spaces (column padding for the text renderers). */
void mem_pad(GString *out, gsize n);
