/* render-maps.c: memmaps's renderers: the vmaps-style tag tree, the --flat table and JSON memmaps/1 (rendering layer) */
#include "config.h"

#include <errno.h>
#include <pthread.h>
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

/* Zircon's address format: 8 digits after underscores when it fits in 32 bits.  Written by hand, a
 * byte (two digits) at a time: it runs twice per mapping and printf was a tenth of memmaps's time.
 * Writes at most 16 bytes at p and returns their end. */
static char *put_addr(char *p, guint64 a)
{
	static const char hex[] = "0123456789abcdef";
	int digits = a <= G_MAXUINT32 ? 8 : 16;

	if (digits == 8) {
		memset(p, '_', 8);
		p += 8;
	}
	for (int i = digits - 2; i >= 0; i -= 2, a >>= 8) {
		p[i] = hex[(a >> 4) & 15];
		p[i + 1] = hex[a & 15];
	}
	return p + digits;
}

/* The sum sign of the /A and T rows: U+03A3, or "Sum_" when the locale's charset is not UTF-8. */
static const char *sigma(const MemTextOptions *o)
{
	return o->ascii ? "Sum_" : "\xce\xa3";
}

static const char *size_text(guint64 v, const MemTextOptions *o, char *buf, gsize size)
{
	if (o->bytes) {
		g_snprintf(buf, size, "%" G_GUINT64_FORMAT, v);
		return buf;
	}
	return mem_format_size_fixed(buf, v, o->unit);
}

/* The last size a column showed and its text: neighbouring mappings often have the same sizes (a
 * page, a library's segments), and every cell is made twice (measured, then written). */
typedef struct {
	gboolean set;
	guint64 v;
	char text[CELL_LEN];
} SizeMemo;

static const char *memo_size_text(SizeMemo *memo, guint64 v, const MemTextOptions *o)
{
	if (!memo->set || memo->v != v) {
		size_text(v, o, memo->text, CELL_LEN);
		memo->v = v;
		memo->set = TRUE;
	}
	return memo->text;
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

/* A cell's text, unescaped: a size, "-" for unknown, "" for a value an aggregate cannot have.
 * *is_text is set when the text comes from the input (to be escaped). */
static const char *cell(const MemMapsProc *p, const Row *row, const MemMapsColumn *col, const MemTextOptions *o,
                        SizeMemo *memo, gboolean *is_text)
{
	guint64 v;

	*is_text = FALSE;
	if (row->kind == ROW_MAPPING && col->kind == MEM_MAPS_COL_FIELD) {
		/* the common cell (sz, res, pss), without the general lookup */
		if (!mem_mapping_has(row->m, col->f[0]))
			return "-";
		return memo_size_text(memo, mem_mapping_value(row->m, col->f[0]), o);
	}
	if (row->kind == ROW_MAPPING) {
		gboolean has_bytes;
		const char *text;
		if (!mem_maps_mapping_value(p, row->m, col, &v, &has_bytes, &text))
			return "-";
		if (has_bytes)
			return memo_size_text(memo, v, o);
		*is_text = TRUE;
		return text;
	}
	if (col->kind == MEM_MAPS_COL_VMFLAGS || (col->kind == MEM_MAPS_COL_FIELD && !mem_field_additive(col->f[0])))
		return "";
	if (row->kind == ROW_ASPACE) {
		MemCounters rollup;

		if (p->use_rollup)
			mem_process_counters(p->proc, &rollup);
		if (p->use_rollup && mem_maps_column_counter(col, &rollup, &v))
			return memo_size_text(memo, v, o);
		return mem_maps_sum_value(p, &p->sum, col, &v) ? memo_size_text(memo, v, o)
		                                                : col->kind == MEM_MAPS_COL_EXTRA ? "" : "-";
	}
	return mem_maps_sum_value(p, &row->g->sum, col, &v) ? memo_size_text(memo, v, o)
	                                                     : col->kind == MEM_MAPS_COL_EXTRA ? "" : "-";
}

/* Length of a text cell once trailing spaces (VmFlags ends with one) are dropped. */
static gsize trimmed_len(const char *s)
{
	gsize n = strlen(s);

	while (n && s[n - 1] == ' ')
		n--;
	return n;
}

static gsize cell_width(const MemMapsProc *p, const Row *row, const MemMapsColumn *col, const MemTextOptions *o,
                        SizeMemo *memo)
{
	gboolean is_text;
	const char *s = cell(p, row, col, o, memo, &is_text);

	return is_text ? mem_escape_text_width(s, trimmed_len(s)) : strlen(s);
}

/* Name of a mapping row: inside a file region a mapping of the region's file shows its base name. */
static void put_mapping_name(GString *out, const Row *row)
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
	g_string_append_c(out, '\'');
	mem_escape_text(out, name, len);
	g_string_append_c(out, '\'');
	if (m->kind != MEM_MAP_FILE) {
		g_string_append_c(out, ' ');
		g_string_append(out, mem_map_kind_name(m->kind));
	}
}

/* Makes room for n more bytes at the end of out and returns where they go; the caller writes all n.
 * A row is written with few calls: it runs once per mapping. */
static char *grow(GString *out, gsize n)
{
	gsize at = out->len;

	g_string_set_size(out, at + n);
	return out->str + at;
}

static void put_row(GString *out, const MemMapsProc *p, const Row *row, const gsize *w, const GPtrArray *tags,
                    const gsize *tag_len, const MemTextOptions *o, SizeMemo *memo)
{
	char buf[CELL_LEN], head[48], *h = head;
	const char *color = NULL;
	guint64 start = 0, end = 0;

	if (o->color)
		color = row->kind == ROW_ASPACE ? "\033[1m" : row->kind == ROW_REGION ? "\033[1;34m" : NULL;
	if (color)
		g_string_append(out, color);
	switch (row->kind) {
	case ROW_ASPACE:
		memcpy(h, "/A ", 3);
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
		memcpy(h, "R  ", 3);
		start = row->g->start;
		end = row->g->end;
		break;
	case ROW_MAPPING:
		memcpy(h, row->nested ? " M " : "M  ", 3);
		start = row->m->start;
		end = row->m->end;
		break;
	}
	h = put_addr(h + 3, start);
	*h++ = '-';
	h = put_addr(h, end);
	if (row->kind == ROW_MAPPING) {
		*h++ = ' ';
		memcpy(h, row->m->perms, 4);
	} else {
		memset(h, ' ', 5);
	}
	g_string_append_len(out, head, h + (row->kind == ROW_MAPPING ? 4 : 5) - head);
	for (guint c = 0; c < p->columns->len; c++) {
		const MemMapsColumn *col = g_ptr_array_index(p->columns, c);
		gboolean is_text;
		const char *s = cell(p, row, col, o, &memo[c], &is_text);
		gsize width = 0;

		if (!*s) {
			mem_pad(out, 1 + w[c] + 1 + tag_len[c]);
			continue;
		}
		if (!is_text) {
			/* " ", padding, the size, ":", the tag */
			gsize n = strlen(s);
			char *q = grow(out, 1 + w[c] + 1 + tag_len[c]);

			memset(q, ' ', 1 + w[c] - n);
			q += 1 + w[c] - n;
			memcpy(q, s, n);
			q[n] = ':';
			memcpy(q + n + 1, g_ptr_array_index(tags, c), tag_len[c]);
		} else {
			width = mem_escape_text_width(s, trimmed_len(s));
			mem_pad(out, 1 + w[c] - width);
			mem_escape_text(out, s, trimmed_len(s));
			g_string_append_c(out, ':');
			g_string_append_len(out, g_ptr_array_index(tags, c), (gssize)tag_len[c]);
		}
		if (row->kind == ROW_ASPACE && p->use_rollup && col->kind == MEM_MAPS_COL_FIELD &&
		    (col->f[0] == MEM_F_PSS || col->f[0] == MEM_F_SWAP_PSS)) {
			guint64 v;
			if (mem_maps_column_counter(col, &p->sum.c, &v))
				g_string_append_printf(out, " %s:%s%s", size_text(v, o, buf, CELL_LEN), sigma(o),
				                       (const char *)g_ptr_array_index(tags, c));
		}
	}
	g_string_append_c(out, ' ');
	switch (row->kind) {
	case ROW_ASPACE:
		g_string_append_printf(out, "'proc:%u ", p->proc->pid);
		mem_escape_text(out, p->proc->name, strlen(p->proc->name));
		g_string_append_c(out, '\'');
		if (p->use_rollup)
			g_string_append_printf(out, " [sizes from smaps_rollup; %s: sum over the mappings]", sigma(o));
		if (p->problem)
			g_string_append(out, " [partial: bad input]");
		break;
	case ROW_REGION:
		if (row->g->kind == MEM_REGION_STACK) {
			g_string_append(out, "'' thread-stack");
		} else if (row->g->kind == MEM_REGION_ARENA) {
			g_string_append(out, "'' malloc-arena");
		} else {
			g_string_append_c(out, '\'');
			mem_escape_text(out, row->g->name, row->g->name_len);
			g_string_append_c(out, '\'');
		}
		break;
	case ROW_MAPPING:
		put_mapping_name(out, row);
		break;
	}
	if (color)
		g_string_append(out, SGR_RESET);
	g_string_append_c(out, '\n');
}

/* Calls fn for the rows of items [from, to) of a process in display order, after the /A row when from
 * is 0. */
static void each_row(const MemMapsProc *p, guint from, guint to, void (*fn)(const MemMapsProc *, const Row *, gpointer),
                     gpointer data)
{
	Row row = { ROW_ASPACE, FALSE, NULL, NULL };

	if (from == 0)
		fn(p, &row, data);
	for (guint i = from; i < to; i++) {
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

typedef struct {
	const MemTextOptions *o;
	gsize *w;             /* per column: the width of its values */
	GPtrArray *tags;      /* per column: its tag, escaped */
	gsize *tag_len;       /* per column: the length of its tag */
	GString *out;
	SizeMemo *memo;       /* per column */
} TextCtx;

static void measure_row(const MemMapsProc *p, const Row *row, gpointer data)
{
	TextCtx *t = data;

	for (guint c = 0; c < p->columns->len; c++)
		t->w[c] = MAX(t->w[c], cell_width(p, row, g_ptr_array_index(p->columns, c), t->o, &t->memo[c]));
}

static void print_row(const MemMapsProc *p, const Row *row, gpointer data)
{
	TextCtx *t = data;

	put_row(t->out, p, row, t->w, t->tags, t->tag_len, t->o, t->memo);
	mem_flush_maybe(t->out, &t->o->flush);
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
		g_string_append_printf(out, " %s:%s", size_text(v, o, buf, CELL_LEN), tag);
	}
	g_string_append_printf(out, " '%u of %u processes measured; %s over their mappings'", r->states.n[MEM_PROC_OK],
	                       r->procs->len, sigma(o));
	if (o->color)
		g_string_append(out, SGR_RESET);
	g_string_append_c(out, '\n');
}

/* A big process's rows are measured and made by two threads, the items from `split` on by a helper into
 * a text of its own, written after the caller's part: the report and the table come after the last
 * read of smaps, on the critical path, and a second CPU is free by then (the reader has exited).
 * 5225 mappings: ~10 M instructions, most of memmaps's time after its last read.  The helper's text is
 * held whole until the caller's half is written, so only up to SPLIT_MAX rows (~3 MB of it): above
 * that the rows are written by the caller alone, a piece at a time, and memory stays within the
 * bound tests/memmaps/huge-input.sh asserts. */
#define SPLIT_ROWS 2048
#define SPLIT_MAX 65536

typedef struct {
	const MemMapsProc *p;
	TextCtx t;            /* the helper's: its own widths, memos and text, no flushing */
	MemTextOptions o;
	guint from, to;
	gboolean print;       /* FALSE: measure */
} Half;

static void *half_run(void *data)
{
	Half *h = data;

	each_row(h->p, h->from, h->to, h->print ? print_row : measure_row, &h->t);
	return NULL;
}

/* The item where the rows after the /A row are cut in two halves; 0 when the process is too small to
 * be worth a thread. */
static guint item_rows(const MemMapsProc *p, guint i)
{
	const MemMapsItem *it = &g_array_index(p->items, MemMapsItem, i);

	return it->is_region ? 1 + g_array_index(p->regions, MemMapsRegion, it->index).shown->len : 1;
}

static guint split_item(const MemMapsProc *p)
{
	guint rows = 0, half = 0;

	for (guint i = 0; i < p->items->len; i++)
		rows += item_rows(p, i);
	if (rows < SPLIT_ROWS || rows > SPLIT_MAX || g_get_num_processors() < 2)
		return 0;
	for (guint i = 0; i < p->items->len; i++) {
		half += item_rows(p, i);
		if (half >= rows / 2)
			return i + 1 < p->items->len ? i + 1 : 0;
	}
	return 0;
}

/* Every row of p: measured, then written, each pass in two halves on two threads when p is big. */
static void process_rows(const MemMapsProc *p, TextCtx *t)
{
	guint n = p->items->len, split = split_item(p), cols = p->columns->len;
	g_autofree gsize *w = g_new0(gsize, cols + 1);
	g_autofree SizeMemo *memo = g_new0(SizeMemo, cols + 1);
	Half h = { p, *t, *t->o, split, n, FALSE };
	pthread_t thread;

	if (!split) {
		each_row(p, 0, n, measure_row, t);
		each_row(p, 0, n, print_row, t);
		return;
	}
	h.o.flush.func = NULL;
	h.t.o = &h.o;
	h.t.w = w;
	h.t.memo = memo;
	h.t.out = g_string_new(NULL);
	memcpy(w, t->w, cols * sizeof *w);
	for (int pass = 0; pass < 2; pass++) {
		gboolean started;

		h.print = pass == 1;
		started = pthread_create(&thread, NULL, half_run, &h) == 0;
		each_row(p, 0, split, h.print ? print_row : measure_row, t);
		if (started)
			pthread_join(thread, NULL);
		else
			half_run(&h);
		if (pass == 0)
			for (guint c = 0; c < cols; c++)
				t->w[c] = w[c] = MAX(t->w[c], w[c]);
	}
	g_string_append_len(t->out, h.t.out->str, (gssize)h.t.out->len);
	g_string_free(h.t.out, TRUE);
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
			TextCtx t = { o, w, tags, w + p->columns->len, out, memo };
			for (guint c = 0; c < p->columns->len; c++) {
				w[c] = 4;
				t.tag_len[c] = strlen(g_ptr_array_index(tags, c));
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
