/* render-maps.c: memmaps's renderers: the vmaps-style tag tree, the --flat table and JSON memmaps/1 (rendering layer) */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "columns-maps.h"
#include "error.h"
#include "escape.h"
#include "format.h"
#include "json-writer.h"
#include "object-id.h"
#include "render-maps.h"
#include "table.h"

#define SGR_RESET "\033[0m"
#define CELL_LEN 64

static const char *const field_keys[MEM_F_COUNT] = {
	[MEM_F_SIZE] = "size",
	[MEM_F_KERNEL_PAGE_SIZE] = "kernel_page_size",
	[MEM_F_MMU_PAGE_SIZE] = "mmu_page_size",
	[MEM_F_RSS] = "rss",
	[MEM_F_PSS] = "pss",
	[MEM_F_PSS_DIRTY] = "pss_dirty",
	[MEM_F_PSS_ANON] = "pss_anon",
	[MEM_F_PSS_FILE] = "pss_file",
	[MEM_F_PSS_SHMEM] = "pss_shmem",
	[MEM_F_SHARED_CLEAN] = "shared_clean",
	[MEM_F_SHARED_DIRTY] = "shared_dirty",
	[MEM_F_PRIVATE_CLEAN] = "private_clean",
	[MEM_F_PRIVATE_DIRTY] = "private_dirty",
	[MEM_F_REFERENCED] = "referenced",
	[MEM_F_ANONYMOUS] = "anonymous",
	[MEM_F_KSM] = "ksm",
	[MEM_F_LAZY_FREE] = "lazy_free",
	[MEM_F_ANON_HUGE_PAGES] = "anon_huge_pages",
	[MEM_F_SHMEM_PMD_MAPPED] = "shmem_pmd_mapped",
	[MEM_F_FILE_PMD_MAPPED] = "file_pmd_mapped",
	[MEM_F_SHARED_HUGETLB] = "shared_hugetlb",
	[MEM_F_PRIVATE_HUGETLB] = "private_hugetlb",
	[MEM_F_SWAP] = "swap",
	[MEM_F_SWAP_PSS] = "swap_pss",
	[MEM_F_LOCKED] = "locked",
};

const char *mem_maps_field_key(MemField f)
{
	g_return_val_if_fail(f < MEM_F_COUNT, "?");
	return field_keys[f];
}

/* Eight lowercase hex digits of the low 32 bits of v at p, without a loop: each nibble is spread
 * into a byte of its own (most significant first once in big-endian order), then made a digit. */
static void put_hex8(char *p, guint64 v)
{
	guint64 x = v & 0xffffffffu, letters;

	x = (x | (x << 16)) & 0x0000ffff0000ffffu;
	x = (x | (x << 8)) & 0x00ff00ff00ff00ffu;
	x = (x | (x << 4)) & 0x0f0f0f0f0f0f0f0fu;
	letters = ((x + 0x0606060606060606u) >> 4) & 0x0101010101010101u; /* 1 where the nibble is >= 10 */
	x += 0x3030303030303030u + letters * ('a' - '0' - 10);
	x = GUINT64_TO_BE(x);
	memcpy(p, &x, 8);
}

/* Zircon's address format: 8 digits after underscores when it fits in 32 bits.  Written by hand: it
 * runs twice per mapping and printf was a tenth of memmaps's time.  Writes 16 bytes at p and returns
 * their end. */
static char *put_addr(char *p, guint64 a)
{
	if (a <= G_MAXUINT32)
		memset(p, '_', 8);
	else
		put_hex8(p, a >> 32);
	put_hex8(p + 8, a);
	return p + 16;
}

/* The sum sign of the /A and T rows: U+03A3, or "Sum_" when the locale's charset is not UTF-8. */
static const char *sigma(const MemTextOptions *o)
{
	return o->ascii ? "Sum_" : "\xce\xa3";
}

static const char *size_text(guint64 v, const MemTextOptions *o, char buf[CELL_LEN])
{
	mem_format_size_or_bytes(buf, v, o->bytes, o->unit);
	return buf;
}

/* Sizes a column showed lately and their texts, in a small table by value: neighbouring mappings
 * often have the same sizes (a page, a library's segments) or alternate between a few (1k, 2k, 4k of
 * PSS), and every cell is made twice (measured, then written). */
#define MEMO_SLOTS 16

typedef struct {
	guint64 v;
	guint32 set, len;
	char text[MEM_FORMAT_SIZE_LEN + 2]; /* at least 16 bytes: put_row copies a short size as 16 */
} MemoSlot;

typedef struct {
	MemoSlot slot[MEMO_SLOTS];
	guint32 known;        /* the field set of the last mapping read (0: none) ... */
	guint idx;            /* ... and the column's place in its packed values */
} SizeMemo;

G_STATIC_ASSERT(MEM_FORMAT_SIZE_LEN >= 21); /* --bytes: 20 digits and the NUL */

static inline const char *memo_size_text(SizeMemo *memo, guint64 v, const MemTextOptions *o, gsize *len)
{
	/* sizes are mostly whole kB: the slot by a multiplicative hash of the kB */
	MemoSlot *s = &memo->slot[((v >> 10) * 0x9e3779b97f4a7c15u) >> 60];

	if (!s->set || s->v != v) {
		s->len = (guint32)(mem_format_size_or_bytes(s->text, v, o->bytes, o->unit) - s->text);
		s->v = v;
		s->set = TRUE;
	}
	*len = s->len;
	return s->text;
}

/* A column's tag as it is shown: escaped, since -X takes unknown field names from the input and -o
 * from the command line (an ESC in a vendor field's name must not reach the terminal). */
static char *shown_tag(const MemMapsColumn *col)
{
	GString *t = g_string_new(NULL);

	mem_escape_text(t, col->tag, strlen(col->tag));
	return g_string_free(t, FALSE);
}

/* The shown tags of a list of columns (free func set). */
static GPtrArray *shown_tags(const GPtrArray *cols)
{
	GPtrArray *tags = g_ptr_array_new_full(cols->len, g_free);

	for (guint c = 0; c < cols->len; c++)
		g_ptr_array_add(tags, shown_tag(g_ptr_array_index(cols, c)));
	return tags;
}

/* ---- the tag tree ---- */

typedef enum { ROW_ASPACE, ROW_REGION, ROW_MAPPING } RowKind;

typedef struct {
	RowKind kind;
	gboolean nested;
	const MemMapping *m;      /* ROW_MAPPING */
	const MemMapsRegion *g;   /* ROW_REGION */
} Row;

/* Length of a text cell once trailing spaces (VmFlags ends with one) are dropped. */
static gsize trimmed_len(const char *s)
{
	gsize n = strlen(s);

	while (n && s[n - 1] == ' ')
		n--;
	return n;
}

/* The text of an unknown size: 16 bytes, as put_row copies a short size. */
static const char unknown_text[16] = "-";

/* A size cell's text and length from the memo, or "-" (unknown) or "" (a value an aggregate cannot
 * have) by `blank`. */
static const char *sum_cell(gboolean known, guint64 v, gboolean blank, SizeMemo *memo, const MemTextOptions *o,
                            gsize *len)
{
	if (known)
		return memo_size_text(memo, v, o, len);
	*len = blank ? 0 : 1;
	return blank ? "" : unknown_text;
}

/* The cells other than a mapping's known field (cell()). */
static const char *other_cell(const MemMapsProc *p, const Row *row, const MemMapsColumn *col, const MemTextOptions *o,
                              SizeMemo *memo, gsize *len, gboolean *is_text)
{
	guint64 v = 0;
	gboolean known;

	if (row->kind == ROW_MAPPING) {
		gboolean has_bytes;
		const char *text;
		known = mem_maps_mapping_value(p, row->m, col, &v, &has_bytes, &text);
		if (!known || has_bytes)
			return sum_cell(has_bytes, v, FALSE, memo, o, len);
		*is_text = TRUE;
		*len = trimmed_len(text);
		return text;
	}
	if (col->kind == MEM_MAPS_COL_VMFLAGS || (col->kind == MEM_MAPS_COL_FIELD && !mem_field_additive(col->f[0])))
		return sum_cell(FALSE, 0, TRUE, memo, o, len);
	if (row->kind == ROW_ASPACE) {
		MemCounters rollup;

		if (p->use_rollup)
			mem_process_counters(p->proc, &rollup);
		if (p->use_rollup && mem_maps_column_counter(col, &rollup, &v))
			return memo_size_text(memo, v, o, len);
		known = mem_maps_sum_value(p, &p->sum, col, &v);
	} else {
		known = mem_maps_sum_value(p, &row->g->sum, col, &v);
	}
	return sum_cell(known, v, col->kind == MEM_MAPS_COL_EXTRA, memo, o, len);
}

/* A cell's text, unescaped, and its length: a size, "-" for unknown, "" for a value an aggregate
 * cannot have.  *is_text is set when the text comes from the input (to be escaped; *len is then its
 * length without trailing spaces).  The common cell, a mapping's known field (sz, res, pss), is taken
 * inline: it runs for every column of every mapping, twice; its place among the mapping's packed
 * values is kept while mappings have the same fields. */
static inline const char *cell(const MemMapsProc *p, const Row *row, const MemMapsColumn *col,
                               const MemTextOptions *o, SizeMemo *memo, gsize *len, gboolean *is_text)
{
	const MemMapping *m = row->m;
	guint64 v;

	*is_text = FALSE;
	if (row->kind != ROW_MAPPING || col->kind != MEM_MAPS_COL_FIELD)
		return other_cell(p, row, col, o, memo, len, is_text);
	if (!mem_mapping_has(m, col->f[0])) {
		*len = 1;
		return unknown_text;
	}
	if (m->known != memo->known) {
		memo->known = m->known;
		memo->idx = mem_bits_set(m->known & (MEM_FIELD_BIT(col->f[0]) - 1u));
	}
	v = m->cv[memo->idx];
	return memo_size_text(memo, v, o, len);
}

static gsize cell_width(const MemMapsProc *p, const Row *row, const MemMapsColumn *col, const MemTextOptions *o,
                        SizeMemo *memo)
{
	gboolean is_text;
	gsize n;
	const char *s = cell(p, row, col, o, memo, &n, &is_text);

	return is_text ? mem_escape_text_width(s, n) : n;
}

/* Rows are written straight into the end of the output, room being made a few kB at a time: the
 * rows of a process run once per mapping, and a GString call per piece cost more than the pieces.
 * p is NULL while the GString itself is being written to (put_out). */
typedef struct {
	GString *out;
	char *p, *end;            /* the next byte, the end of the room made */
} Put;

#define PUT_SLACK 4096

/* Room for n more bytes at w->p; returns w->p. */
static inline char *put_room(Put *w, gsize n)
{
	if (!w->p)
		w->p = w->end = w->out->str + w->out->len;
	if ((gsize)(w->end - w->p) < n) {
		gsize at = (gsize)(w->p - w->out->str);

		g_string_set_size(w->out, at + n + PUT_SLACK);
		w->p = w->out->str + at;
		w->end = w->out->str + w->out->len;
	}
	return w->p;
}

/* The output holding exactly what was written, for GString calls; the next put_room() goes on after
 * them. */
static GString *put_out(Put *w)
{
	if (w->p) {
		g_string_truncate(w->out, (gsize)(w->p - w->out->str));
		w->p = w->end = NULL;
	}
	return w->out;
}

static inline void put_bytes(Put *w, const char *s, gsize n)
{
	memcpy(put_room(w, n), s, n);
	w->p += n;
}

/* s escaped (mem_escape_text), copied as it is when nothing in it needs escaping. */
static void put_escaped(Put *w, const char *s, gsize n)
{
	if (mem_escape_text_is_plain(s, n))
		put_bytes(w, s, n);
	else
		mem_escape_text(put_out(w), s, n);
}

/* Name of a mapping row: inside a file region a mapping of the region's file shows its base name. */
static void put_mapping_name(Put *w, const Row *row)
{
	const MemMapping *m = row->m;
	const char *name = m->name;
	gsize len = m->name_len;

	if (row->nested && m->inode != 0 && m->kind == MEM_MAP_FILE) {
		const char *slash = memrchr(name, '/', len);
		if (slash && (gsize)(slash + 1 - name) < len) {
			len -= (gsize)(slash + 1 - name);
			name = slash + 1;
		}
	}
	put_bytes(w, "'", 1);
	put_escaped(w, name, len);
	put_bytes(w, "'", 1);
	if (m->kind != MEM_MAP_FILE) {
		const char *kind = mem_map_kind_name(m->kind);
		put_bytes(w, " ", 1);
		put_bytes(w, kind, strlen(kind));
	}
}

 /* a short tag, padded (TextCtx.tag16) */
typedef char Tag16[16];

typedef struct {
	const MemTextOptions *o;
	gsize *w;             /* per column: the width of its values */
	GPtrArray *tags;      /* per column: its tag, escaped */
	gsize *tag_len;       /* per column: the length of its tag */
	Tag16 *tag16;         /* per column: a tag shorter than 16 bytes, NUL-padded to 16 */
	GString *out;
	SizeMemo *memo;       /* per column */
	Put put;              /* the writes into out */
} TextCtx;

static void put_row(Put *w, const MemMapsProc *p, const Row *row, const TextCtx *t)
{
	const MemTextOptions *o = t->o;
	char buf[CELL_LEN], *q;
	const char *color = NULL;
	guint64 start = 0, end = 0;

	if (o->color)
		color = row->kind == ROW_ASPACE ? "\033[1m" : row->kind == ROW_REGION ? "\033[1;34m" : NULL;
	if (color)
		put_bytes(w, color, strlen(color));
	q = put_room(w, 48);
	switch (row->kind) {
	case ROW_ASPACE:
		memcpy(q, "/A ", 3);
		if (p->n_shown) {
			const GArray *maps = p->proc->maps;
			start = G_MAXUINT64;
			for (guint i = 0; i < p->flat->len; i++) {
				const MemMapping *m = &g_array_index(maps, MemMapping, g_array_index(p->flat, guint, i));
				start = MIN(start, m->start);
				end = MAX(end, m->end);
			}
		}
		break;
	case ROW_REGION:
		memcpy(q, "R  ", 3);
		start = row->g->start;
		end = row->g->end;
		break;
	case ROW_MAPPING:
		memcpy(q, row->nested ? " M " : "M  ", 3);
		start = row->m->start;
		end = row->m->end;
		break;
	}
	q = put_addr(q + 3, start);
	*q++ = '-';
	q = put_addr(q, end);
	if (row->kind == ROW_MAPPING) {
		*q++ = ' ';
		memcpy(q, row->m->perms, 4);
		q += 4;
	} else {
		memset(q, ' ', 5);
		q += 5;
	}
	w->p = q;
	for (guint c = 0; c < p->columns->len; c++) {
		const MemMapsColumn *col = g_ptr_array_index(p->columns, c);
		const char *tag = g_ptr_array_index(t->tags, c);
		gsize n, width = t->w[c], tag_len = t->tag_len[c];
		gboolean is_text;
		const char *s = cell(p, row, col, o, &t->memo[c], &n, &is_text);

		if (!*s) {
			q = put_room(w, 2 + width + tag_len);
			memset(q, ' ', 2 + width + tag_len);
			w->p = q + 2 + width + tag_len;
			continue;
		}
		if (!is_text) {
			/* " ", padding, the size, ":", the tag; short pieces are copied as 16 bytes (one
			 * store, not a call), their tails written over by what follows */
			q = put_room(w, 2 + width + tag_len + 16);
			if (width < 16)
				memset(q, ' ', 16);
			else
				memset(q, ' ', 1 + width - n);
			q += 1 + width - n;
			if (n < 16)
				memcpy(q, s, 16);
			else
				memcpy(q, s, n);
			q[n] = ':';
			if (tag_len < 16)
				memcpy(q + n + 1, t->tag16[c], 16);
			else
				memcpy(q + n + 1, tag, tag_len);
			w->p = q + n + 1 + tag_len;
		} else {
			GString *out = put_out(w);
			mem_pad(out, 1 + width - mem_escape_text_width(s, n));
			mem_escape_text(out, s, n);
			g_string_append_c(out, ':');
			g_string_append_len(out, tag, (gssize)tag_len);
		}
		if (row->kind == ROW_ASPACE && p->use_rollup && col->kind == MEM_MAPS_COL_FIELD &&
		    (col->f[0] == MEM_F_PSS || col->f[0] == MEM_F_SWAP_PSS)) {
			guint64 v;
			if (mem_maps_column_counter(col, &p->sum.c, &v))
				g_string_append_printf(put_out(w), " %s:%s%s", size_text(v, o, buf), sigma(o), tag);
		}
	}
	put_bytes(w, " ", 1);
	switch (row->kind) {
	case ROW_ASPACE: {
		GString *out = put_out(w);
		g_string_append_printf(out, "'proc:%u ", p->proc->pid);
		mem_escape_text(out, p->proc->name, strlen(p->proc->name));
		g_string_append_c(out, '\'');
		if (p->use_rollup)
			g_string_append_printf(out, " [sizes from smaps_rollup; %s: sum over the mappings]", sigma(o));
		if (p->problem)
			g_string_append(out, " [partial: bad input]");
		break;
	}
	case ROW_REGION:
		if (row->g->kind == MEM_REGION_STACK) {
			put_bytes(w, "'' thread-stack", 15);
		} else if (row->g->kind == MEM_REGION_ARENA) {
			put_bytes(w, "'' malloc-arena", 15);
		} else {
			put_bytes(w, "'", 1);
			put_escaped(w, row->g->name, row->g->name_len);
			put_bytes(w, "'", 1);
		}
		break;
	case ROW_MAPPING:
		put_mapping_name(w, row);
		break;
	}
	if (color)
		put_bytes(w, SGR_RESET, strlen(SGR_RESET));
	put_bytes(w, "\n", 1);
}

/* Calls fn for every row of a process in display order: the /A row, then each item's. */
static void each_row(const MemMapsProc *p, void (*fn)(const MemMapsProc *, const Row *, gpointer), gpointer data)
{
	Row row = { ROW_ASPACE, FALSE, NULL, NULL };

	fn(p, &row, data);
	for (guint i = 0; i < p->items->len; i++) {
		const MemMapsItem *it = &g_array_index(p->items, MemMapsItem, i);
		if (!it->is_region) {
			Row r = { ROW_MAPPING, FALSE, &g_array_index(p->proc->maps, MemMapping, it->index), NULL };
			fn(p, &r, data);
			continue;
		}
		{
			const MemMapsRegion *g = &g_array_index(p->regions, MemMapsRegion, it->index);
			Row r = { ROW_REGION, FALSE, NULL, g };
			fn(p, &r, data);
			for (guint k = 0; k < g->shown->len; k++) {
				Row mr = { ROW_MAPPING, TRUE, &g_array_index(p->proc->maps, MemMapping,
				                                              g_array_index(g->shown, guint, k)), g };
				fn(p, &mr, data);
			}
		}
	}
}

static void measure_row(const MemMapsProc *p, const Row *row, gpointer data)
{
	TextCtx *t = data;

	for (guint c = 0; c < p->columns->len; c++)
		t->w[c] = MAX(t->w[c], cell_width(p, row, g_ptr_array_index(p->columns, c), t->o, &t->memo[c]));
}

static void print_row(const MemMapsProc *p, const Row *row, gpointer data)
{
	TextCtx *t = data;

	put_row(&t->put, p, row, t);
	if (t->o->flush.func && (gsize)(t->put.p - t->out->str) >= MEM_FLUSH_AT)
		mem_flush_maybe(put_out(&t->put), &t->o->flush);
}

static void put_missing(GString *out, const MemMapsProc *p)
{
	g_string_append_printf(out, "/A - 'proc:%u ", p->proc->pid);
	mem_escape_text(out, p->proc->name, strlen(p->proc->name));
	g_string_append_printf(out, "' %s\n", mem_proc_state_note(p->proc));
}

static void put_total(const MemMapsReport *r, const MemTextOptions *o, GString *out)
{
	g_autoptr(GPtrArray) cols = NULL;
	char buf[CELL_LEN];
	guint64 v;

	if (r->procs->len < 2)
		return;
	cols = r->opts->columns ? g_ptr_array_ref((GPtrArray *)r->opts->columns) : mem_maps_columns_parse("sz,res,pss", NULL);
	g_string_append_c(out, '\n');
	if (o->color)
		g_string_append(out, "\033[1m");
	g_string_append(out, "T  total");
	for (guint c = 0; c < cols->len; c++) {
		const MemMapsColumn *col = g_ptr_array_index(cols, c);
		g_autofree char *tag = NULL;
		if (!mem_maps_column_counter(col, &r->total, &v))
			continue;
		tag = shown_tag(col);
		g_string_append_printf(out, " %s:%s", size_text(v, o, buf), tag);
	}
	g_string_append_printf(out, " '%u of %u processes measured; %s over their mappings'", r->states.n[MEM_PROC_OK],
	                       r->procs->len, sigma(o));
	if (o->color)
		g_string_append(out, SGR_RESET);
	g_string_append_c(out, '\n');
}

/* Every row of p: measured, then written.  On one thread: the rows used to be made by two (the
 * items of the second half by a helper thread) from 2 048 rows on, but on the bench's machine
 * (2 vCPUs, other work beside) the helper mostly ran on the caller's CPU or woke late, and the
 * waits cost more than the half it took (the bench's process: 520-750 µs for the table with the
 * helper, 270-290 µs without; doc/BENCHMARKS.md, "memmaps tail"). */
static void process_rows(const MemMapsProc *p, TextCtx *t)
{
	each_row(p, measure_row, t);
	each_row(p, print_row, t);
	put_out(&t->put);
}

void mem_maps_render_text(const MemMapsReport *r, const MemTextOptions *o, GString *out)
{
	for (guint i = 0; i < r->procs->len; i++) {
		const MemMapsProc *p = g_ptr_array_index(r->procs, i);
		if (i)
			g_string_append_c(out, '\n');
		if (p->proc->state != MEM_PROC_OK) {
			put_missing(out, p);
			continue;
		}
		{
			g_autofree gsize *w = g_new0(gsize, 2 * p->columns->len + 1);
			g_autoptr(GPtrArray) tags = shown_tags(p->columns);
			g_autofree SizeMemo *memo = g_new0(SizeMemo, p->columns->len + 1);
			g_autofree Tag16 *tag16 = g_new0(Tag16, p->columns->len + 1);
			TextCtx t = { o, w, tags, w + p->columns->len, tag16, out, memo, { out, NULL, NULL } };
			for (guint c = 0; c < p->columns->len; c++) {
				w[c] = 4;
				t.tag_len[c] = strlen(g_ptr_array_index(tags, c));
				if (t.tag_len[c] < 16)
					memcpy(tag16[c], g_ptr_array_index(tags, c), t.tag_len[c]);
			}
			process_rows(p, &t);
		}
		mem_flush_maybe(out, &o->flush);
	}
	put_total(r, o, out);
}

/* ---- --flat: pmap -X's plain list ---- */

static void set_value_cell(MemCell *c, gboolean known, guint64 v)
{
	if (known)
		mem_cell_set_bytes(c, v);
	else
		mem_cell_set_unknown(c);
}

/* The id memobjs gives the object a mapping belongs to (object-id.h). */
static gsize mapping_object_id(const MemMapsProc *p, const MemMapping *m, char buf[MEM_OBJECT_ID_LEN])
{
	return mem_object_id(buf, m->dev_major, m->dev_minor, m->inode, p->proc->pid, m->start);
}

/* --flat writes a table of a piece of the mappings at a time: a table of 4 million rows held whole
 * cost 1.9 GB (issue 8's huge input); widths come from every piece first, then each is written. */
#define FLAT_PIECE 16384

/* A --flat table of a process, its columns set and no rows; `tags` are its titles (kept by the caller). */
static MemTable *flat_table_new(const MemMapsProc *p, const GPtrArray *tags)
{
	MemTable *t = mem_table_new("Address", "Mapping", 5 + p->columns->len);

	t->repeat_header = FALSE;
	mem_table_set_column(t, 0, "Perm", FALSE);
	mem_table_set_column(t, 1, "Offset", TRUE);
	mem_table_set_column(t, 2, "Device", FALSE);
	mem_table_set_column(t, 3, "Inode", TRUE);
	mem_table_set_column(t, 4, "Object", FALSE); /* memobjs's id of the mapping's object */
	for (guint c = 0; c < p->columns->len; c++) {
		const MemMapsColumn *col = g_ptr_array_index(p->columns, c);
		mem_table_set_column(t, 5 + c, g_ptr_array_index(tags, c), col->kind != MEM_MAPS_COL_VMFLAGS);
	}
	return t;
}

/* The rows of the mappings shown at flat[from, from + n). */
static void flat_add_mappings(MemTable *t, const MemMapsProc *p, guint from, guint n)
{
	char buf[64];

	for (guint k = from; k < from + n; k++) {
		const MemMapping *m = &g_array_index(p->proc->maps, MemMapping, g_array_index(p->flat, guint, k));
		MemRow *row = mem_table_add_row(t, MEM_ROW_PROCESS, 0);
		char a[20];
		*put_addr(a, m->start) = '\0';
		mem_row_set_label(row, a, "", 0);
		mem_cell_set_text(&row->cells[0], m->perms, sizeof m->perms);
		g_snprintf(buf, sizeof buf, "%08" G_GINT64_MODIFIER "x", m->offset);
		mem_cell_set_text(&row->cells[1], buf, strlen(buf));
		g_snprintf(buf, sizeof buf, "%02x:%02x", m->dev_major, m->dev_minor);
		mem_cell_set_text(&row->cells[2], buf, strlen(buf));
		mem_cell_set_int(&row->cells[3], (gint64)m->inode);
		mem_cell_set_text(&row->cells[4], buf, mapping_object_id(p, m, buf));
		for (guint c = 0; c < p->columns->len; c++) {
			const MemMapsColumn *col = g_ptr_array_index(p->columns, c);
			guint64 v;
			gboolean has_bytes;
			const char *text;
			if (!mem_maps_mapping_value(p, m, col, &v, &has_bytes, &text))
				mem_cell_set_unknown(&row->cells[5 + c]);
			else if (has_bytes)
				mem_cell_set_bytes(&row->cells[5 + c], v);
			else
				mem_cell_set_text(&row->cells[5 + c], text, trimmed_len(text));
		}
		mem_row_set_name(row, m->name, m->name_len);
		if (m->kind != MEM_MAP_FILE)
			mem_row_set_note(row, mem_map_kind_name(m->kind));
	}
}

static void flat_add_total(MemTable *t, const MemMapsProc *p)
{
	MemRow *row = mem_table_add_row(t, MEM_ROW_TOTAL, 0);
	char buf[64];

	mem_row_set_label(row, "total", "", 0);
	for (guint c = 0; c < p->columns->len; c++) {
		const MemMapsColumn *col = g_ptr_array_index(p->columns, c);
		guint64 v = 0;
		gboolean known;
		if (col->kind == MEM_MAPS_COL_VMFLAGS || (col->kind == MEM_MAPS_COL_FIELD && !mem_field_additive(col->f[0])))
			continue;
		if (col->kind == MEM_MAPS_COL_EXTRA && !mem_maps_sum_value(p, &p->sum, col, &v))
			continue;
		known = mem_maps_sum_value(p, &p->sum, col, &v);
		set_value_cell(&row->cells[5 + c], known, v);
	}
	g_snprintf(buf, sizeof buf, "%u mappings", p->n_shown);
	mem_row_set_name(row, buf, strlen(buf));
}

/* The piece of rows from *pos on (the mappings shown, then the total row) in a new table, and *pos
 * moved past it; NULL when none is left. */
static MemTable *flat_piece(const MemMapsProc *p, const GPtrArray *tags, guint *pos)
{
	MemTable *t;
	guint n;

	if (*pos > p->flat->len)
		return NULL;
	t = flat_table_new(p, tags);
	n = MIN(FLAT_PIECE, p->flat->len - *pos);
	flat_add_mappings(t, p, *pos, n);
	*pos += n;
	if (*pos == p->flat->len) {
		flat_add_total(t, p);
		(*pos)++;
	}
	return t;
}

void mem_maps_render_flat(const MemMapsReport *r, const MemTextOptions *o, GString *out)
{
	for (guint i = 0; i < r->procs->len; i++) {
		const MemMapsProc *p = g_ptr_array_index(r->procs, i);
		g_autoptr(GPtrArray) tags = NULL; /* the tables' titles: declared first, freed after them */
		g_autoptr(MemTable) head = NULL;
		MemTextWidths w;
		MemTable *t;
		guint pos = 0, again = 0;

		if (i)
			g_string_append_c(out, '\n');
		g_string_append_printf(out, "%u: ", p->proc->pid);
		mem_escape_text(out, p->proc->name, strlen(p->proc->name));
		if (p->proc->state != MEM_PROC_OK) {
			g_string_append_printf(out, " %s\n", mem_proc_state_note(p->proc));
			continue;
		}
		if (p->problem)
			g_string_append(out, " [partial: bad input]");
		g_string_append_c(out, '\n');
		tags = shown_tags(p->columns);
		/* one piece at a time: the widths over all of them, then the header (of a table without
		 * rows), then each piece again */
		head = flat_table_new(p, tags);
		mem_text_widths_init(&w, head);
		while ((t = flat_piece(p, tags, &again))) {
			mem_text_widths_add(&w, t, o);
			mem_table_free(t);
		}
		mem_text_header(head, o, &w, out);
		while ((t = flat_piece(p, tags, &pos))) {
			mem_text_rows(t, o, &w, out);
			mem_table_free(t);
		}
		mem_text_widths_clear(&w);
	}
}

/* ---- JSON ---- */

static void json_counters(MemJsonWriter *w, const MemCounters *c, gboolean sum)
{
	for (int f = 0; f < MEM_F_COUNT; f++) {
		/* "<field>_bytes", without an allocation: this runs for every field of every mapping */
		char key[32];
		gsize n = strlen(field_keys[f]);

		G_STATIC_ASSERT(sizeof "shmem_pmd_mapped_bytes" <= sizeof key);
		memcpy(key, field_keys[f], n);
		memcpy(key + n, "_bytes", sizeof "_bytes");
		mem_json_key(w, key);
		if (mem_counters_has(c, f) && (!sum || mem_field_additive(f)))
			mem_json_uint(w, c->v[f]);
		else
			mem_json_null(w);
	}
	{
		guint64 v;

		mem_json_key(w, "hugetlb_bytes");
		if (mem_counters_hugetlb(c, &v))
			mem_json_uint(w, v);
		else
			mem_json_null(w);
	}
}

static void json_dev(MemJsonWriter *w, const MemMapping *m)
{
	char buf[32];

	g_snprintf(buf, sizeof buf, "%02x:%02x", m->dev_major, m->dev_minor);
	mem_json_string(w, buf);
}

static void json_mapping(MemJsonWriter *w, const MemMapsProc *p, guint idx)
{
	const MemMapping *m = &g_array_index(p->proc->maps, MemMapping, idx);
	char id[MEM_OBJECT_ID_LEN];

	mem_json_begin_object(w);
	mem_json_key(w, "start");
	mem_json_uint(w, m->start);
	mem_json_key(w, "end");
	mem_json_uint(w, m->end);
	mem_json_key(w, "perms");
	mem_json_string_len(w, m->perms, sizeof m->perms);
	mem_json_key(w, "offset");
	mem_json_uint(w, m->offset);
	mem_json_key(w, "dev");
	json_dev(w, m);
	mem_json_key(w, "inode");
	mem_json_uint(w, m->inode);
	mem_json_key(w, "name");
	mem_json_string_len(w, m->name, m->name_len);
	mem_json_key(w, "kind");
	mem_json_string(w, mem_map_kind_name(m->kind));
	mem_json_key(w, "object");
	mem_json_string_len(w, id, mapping_object_id(p, m, id));
	mem_json_key(w, "region");
	if (p->region_of[idx] != G_MAXUINT)
		mem_json_uint(w, p->region_of[idx]);
	else
		mem_json_null(w);
	mem_json_key(w, "line");
	mem_json_uint(w, m->line);
	{
		MemCounters c;

		mem_mapping_counters(m, &c);
		json_counters(w, &c, FALSE);
	}
	mem_json_key(w, "vmflags");
	if (mem_mapping_vmflags(m)) {
		const char *v = mem_mapping_vmflags(m);

		/* the flags between the spaces */
		mem_json_begin_array(w);
		while (*v) {
			gsize n = strcspn(v, " ");

			if (n)
				mem_json_string_len(w, v, n);
			v += n + (v[n] == ' ');
		}
		mem_json_end_array(w);
	} else {
		mem_json_null(w);
	}
	mem_json_key(w, "extra");
	mem_json_begin_object(w);
	for (guint i = 0; i < mem_mapping_n_extra(m); i++) {
		mem_json_key(w, mem_mapping_extra(m)[i].key);
		mem_json_string(w, mem_mapping_extra(m)[i].value);
	}
	mem_json_end_object(w);
	mem_json_end_object(w);
}

static void json_sum(MemJsonWriter *w, const MemMapsProc *p, const MemMapsSum *s)
{
	json_counters(w, &s->c, TRUE);
	mem_json_key(w, "extra_bytes");
	mem_json_begin_object(w);
	for (guint i = 0; i < p->extra_keys->len; i++)
		if (s->xknown[i]) {
			mem_json_key(w, g_ptr_array_index(p->extra_keys, i));
			mem_json_uint(w, s->xsum[i]);
		}
	mem_json_end_object(w);
	mem_json_key(w, "mappings");
	mem_json_uint(w, s->n);
}

static void json_process(MemJsonWriter *w, const MemMapsProc *p, const MemFlush *flush, GString *out)
{
	const MemProcess *proc = p->proc;
	gboolean ok = proc->state == MEM_PROC_OK;

	mem_json_begin_object(w);
	mem_json_process_head(w, proc);
	mem_json_key(w, "partial");
	mem_json_bool(w, p->problem != NULL);
	mem_json_key(w, "problem");
	mem_json_string(w, p->problem);
	mem_json_key(w, "rollup");
	if (ok && proc->mem_from_rollup) {
		MemCounters rollup;

		mem_process_counters(proc, &rollup);
		mem_json_begin_object(w);
		json_counters(w, &rollup, FALSE);
		mem_json_end_object(w);
	} else {
		mem_json_null(w);
	}
	mem_json_key(w, "mappings");
	mem_json_begin_array(w);
	for (guint i = 0; ok && i < p->flat->len; i++) {
		json_mapping(w, p, g_array_index(p->flat, guint, i));
		mem_flush_maybe(out, flush);
	}
	mem_json_end_array(w);
	mem_json_key(w, "regions");
	mem_json_begin_array(w);
	for (guint i = 0; ok && i < p->regions->len; i++) {
		const MemMapsRegion *g = &g_array_index(p->regions, MemMapsRegion, i);
		mem_json_begin_object(w);
		mem_json_key(w, "index");
		mem_json_uint(w, i);
		mem_json_key(w, "kind");
		mem_json_string(w, g->kind == MEM_REGION_STACK   ? "stack"
		                   : g->kind == MEM_REGION_ARENA ? "arena"
		                   : g->kind == MEM_REGION_NAMED ? "anon-named"
		                                                 : "file");
		mem_json_key(w, "name");
		if (g->name)
			mem_json_string_len(w, g->name, g->name_len);
		else
			mem_json_null(w);
		mem_json_key(w, "start");
		if (g->shown->len)
			mem_json_uint(w, g->start);
		else
			mem_json_null(w);
		mem_json_key(w, "end");
		if (g->shown->len)
			mem_json_uint(w, g->end);
		else
			mem_json_null(w);
		json_sum(w, p, &g->sum);
		mem_json_end_object(w);
	}
	mem_json_end_array(w);
	mem_json_key(w, "totals");
	if (ok) {
		mem_json_begin_object(w);
		json_sum(w, p, &p->sum);
		mem_json_end_object(w);
	} else {
		mem_json_null(w);
	}
	mem_json_end_object(w);
}

void mem_maps_render_json(const MemMapsReport *r, gboolean pretty, const MemFlush *flush, GString *out)
{
	g_autoptr(MemJsonWriter) w = mem_json_writer_new(out, pretty);
	const MemSnapshot *snap = r->snap;

	mem_json_begin_object(w);
	mem_json_header_snapshot(w, "memmaps/1", snap);
	mem_json_key(w, "processes");
	mem_json_begin_array(w);
	for (guint i = 0; i < r->procs->len; i++) {
		json_process(w, g_ptr_array_index(r->procs, i), flush, out);
		mem_flush_maybe(out, flush);
	}
	mem_json_end_array(w);
	mem_json_key(w, "totals");
	mem_json_begin_object(w);
	json_counters(w, &r->total, TRUE);
	mem_json_key(w, "processes");
	mem_json_uint(w, r->states.n[MEM_PROC_OK]);
	mem_json_key(w, "missing");
	mem_json_uint(w, r->procs->len - r->states.n[MEM_PROC_OK]);
	mem_json_end_object(w);
	mem_json_end_object(w);
	g_string_append_c(out, '\n');
}
