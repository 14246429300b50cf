/* render-objs.c: the memobjs report as a typed table and as JSON "memobjs/1" (rendering layer) */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "columns-objs.h"
#include "error.h"
#include "format.h"
#include "json-writer.h"
#include "render-objs.h"

/* ---- table ---- */

/* At most this many pids in a text cell (a library maps into every process: a full list would make
 * every row of the aligned table as wide as the longest one); JSON has them all. */
#define MAX_TEXT_PIDS 8

/* "1,2,3,+5,?" into buf (a row per object: printf was a tenth of the table's cost). */
#define PIDS_TEXT_LEN ((MAX_TEXT_PIDS + 1) * 12 + 3)
static gsize pids_text(char buf[PIDS_TEXT_LEN], const guint32 *pids, guint n, gboolean partial)
{
	char *p = buf;

	for (guint i = 0; i < n && i < MAX_TEXT_PIDS; i++) {
		if (i)
			*p++ = ',';
		p = mem_put_decimal(p, pids[i]);
	}
	if (n > MAX_TEXT_PIDS) {
		*p++ = ',';
		*p++ = '+';
		p = mem_put_decimal(p, n - MAX_TEXT_PIDS);
	}
	if (partial) {
		if (p > buf)
			*p++ = ',';
		*p++ = '?';
	}
	*p = '\0';
	return (gsize)(p - buf);
}

static void object_label(const MemObject *o, MemRow *row)
{
	char buf[MEM_OBJECT_ID_LEN];

	mem_row_set_label(row, "", buf, mem_object_id_of(o, buf));
}

static void object_cell(const MemObject *o, MemObjsColId col, MemRow *row, guint i)
{
	MemCell *c = &row->cells[i];
	char buf[MEM_DEV_TEXT_LEN];
	guint64 v;

	switch (col) {
	case MEM_OCOL_MAPS:
	case MEM_OCOL_SHR:
	case MEM_OCOL_INODE:
		mem_object_value(o, col, &v);
		mem_cell_set_int(c, (gint64)MIN(v, (guint64)G_MAXINT64));
		if (col == MEM_OCOL_SHR && o->sharers_partial)
			mem_cell_set_lower_bound(c); /* "4+?" in text; CSV: a number and the flag column */
		break;
	case MEM_OCOL_PIDS: {
		char t[PIDS_TEXT_LEN];
		mem_row_set_text(row, i, t, pids_text(t, o->pids, o->n_pids, o->sharers_partial));
		break;
	}
	case MEM_OCOL_KIND:
		mem_cell_set_static_text(c, mem_map_kind_name(o->kind));
		break;
	case MEM_OCOL_DEV:
		mem_object_dev_text(buf, o->dev_major, o->dev_minor);
		mem_row_set_text(row, i, buf, strlen(buf));
		break;
	default:
		if (mem_object_value(o, col, &v))
			mem_cell_set_bytes(c, v);
		else
			mem_cell_set_unknown(c);
		break;
	}
}

static gboolean col_numeric(MemObjsColId col)
{
	return col != MEM_OCOL_PIDS && col != MEM_OCOL_KIND && col != MEM_OCOL_DEV;
}

static void add_object_rows(MemTable *t, const MemObjsReport *r, GPtrArray *objects, guint from, guint n,
                            guint depth)
{
	for (guint i = from; i < from + n; i++) {
		const MemObject *o = g_ptr_array_index(objects, i);
		MemRow *row = mem_table_add_row(t, MEM_ROW_PROCESS, depth);
		object_label(o, row);
		mem_row_set_name_ref(row, o->name, o->name_len); /* the snapshot's, which outlives the table */
		for (guint c = 0; c < r->columns->len; c++)
			object_cell(o, g_array_index(r->columns, MemObjsColId, c), row, c);
	}
}

static gboolean total_counter(const MemCounters *c, MemField a, MemField b, guint64 *v)
{
	if (!mem_counters_has(c, a) || (b != MEM_F_COUNT && !mem_counters_has(c, b)))
		return FALSE;
	*v = c->v[a] + (b != MEM_F_COUNT ? c->v[b] : 0);
	return TRUE;
}

/* A process row: its smaps totals where a column sums over its objects. */
static void process_cell(const MemObjsProcess *p, MemObjsColId col, MemCell *c)
{
	guint64 v = 0, x;
	gboolean ok = TRUE;
	guint n_known = 0;

	if (p->proc->state != MEM_PROC_OK) {
		if (col != MEM_OCOL_PIDS && col != MEM_OCOL_KIND && col != MEM_OCOL_DEV && col != MEM_OCOL_INODE &&
		    col != MEM_OCOL_SHR && col != MEM_OCOL_SIZE)
			mem_cell_set_unknown(c);
		return;
	}
	switch (col) {
	case MEM_OCOL_MAPS:
		for (guint i = 0; i < p->objects->len; i++)
			v += ((const MemObject *)g_ptr_array_index(p->objects, i))->n_maps;
		mem_cell_set_int(c, (gint64)v);
		return;
	case MEM_OCOL_ALLOC: ok = total_counter(&p->total, MEM_F_RSS, MEM_F_COUNT, &v); break;
	case MEM_OCOL_PSS: ok = total_counter(&p->total, MEM_F_PSS, MEM_F_COUNT, &v); break;
	case MEM_OCOL_SWAP: ok = total_counter(&p->total, MEM_F_SWAP, MEM_F_COUNT, &v); break;
	case MEM_OCOL_SWAP_PSS: ok = total_counter(&p->total, MEM_F_SWAP_PSS, MEM_F_COUNT, &v); break;
	case MEM_OCOL_USS: ok = total_counter(&p->total, MEM_F_PRIVATE_CLEAN, MEM_F_PRIVATE_DIRTY, &v); break;
	case MEM_OCOL_PAGE_SHARED: ok = total_counter(&p->total, MEM_F_SHARED_CLEAN, MEM_F_SHARED_DIRTY, &v); break;
	case MEM_OCOL_DIRTY: ok = total_counter(&p->total, MEM_F_PRIVATE_DIRTY, MEM_F_SHARED_DIRTY, &v); break;
	case MEM_OCOL_HUGETLB: ok = mem_counters_hugetlb(&p->total, &v); break;
	case MEM_OCOL_PRIVATE:
	case MEM_OCOL_SHARED:
		/* An object whose split is unknown (one known sharer, others unreadable) may add to
		 * either: the sum of the known ones is a lower bound, marked; none known is unknown. */
		for (guint i = 0; i < p->objects->len; i++) {
			if (mem_object_value(g_ptr_array_index(p->objects, i), col, &x)) {
				v += x;
				n_known++;
			}
		}
		if (n_known == 0 && p->objects->len > 0)
			break;
		mem_cell_set_bytes(c, v);
		if (n_known < p->objects->len)
			mem_cell_set_lower_bound(c);
		return;
	default:
		return;
	}
	if (ok)
		mem_cell_set_bytes(c, v);
	else
		mem_cell_set_unknown(c);
}

static void process_note(const MemProcess *p, MemRow *row)
{
	g_autofree char *note = NULL;

	if (p->state == MEM_PROC_OK)
		return;
	if (p->state == MEM_PROC_KERNEL) {
		mem_row_set_note(row, "[kernel thread: no mappings]");
		return;
	}
	if (p->not_recorded) {
		mem_row_set_note(row, mem_proc_state_note(p)); /* "[unreadable: not recorded]", not ENOENT */
		return;
	}
	note = g_strdup_printf("[%s%s%s]", mem_proc_state_name(p->state), p->err ? ": " : "",
	                       !p->err                 ? ""
	                       : p->err == ENODATA     ? "empty" /* a recorder's EMPTY (model.h) */
	                       : mem_errno_name(p->err) ? mem_errno_name(p->err)
	                                                : "error");
	mem_row_set_note(row, note);
}

static void hidden_columns(MemTable *t)
{
	mem_table_set_column(t, 0, "SIZE", TRUE);
	mem_table_set_column(t, 1, "ALLOC", TRUE);
	mem_table_set_column(t, 2, "SWAP", TRUE);
	mem_table_set_column(t, 3, "HOLDERS", FALSE);
	mem_table_set_column(t, 4, "KIND", FALSE);
}

static void hidden_rows(MemTable *t, const MemObjsReport *r)
{
	for (guint i = 0; i < r->hidden->len; i++) {
		const MemHiddenObject *h = g_ptr_array_index(r->hidden, i);
		MemRow *row = mem_table_add_row(t, MEM_ROW_PROCESS, 0);
		const char *kind = mem_hidden_kind_name(h->kind);
		char holders[PIDS_TEXT_LEN], buf[64];
		gsize holders_len = pids_text(holders, (const guint32 *)(gconstpointer)h->holders->data, h->holders->len,
		                              !h->holders_known);

		if (h->kind == MEM_HIDDEN_SYSV)
			g_snprintf(buf, sizeof buf, "shmid:%" G_GUINT64_FORMAT, h->inode);
		else
			g_snprintf(buf, sizeof buf, "%02x:%02x:%" G_GUINT64_FORMAT, h->dev_major, h->dev_minor, h->inode);
		mem_row_set_label(row, buf, "", 0);
		mem_row_set_name(row, h->name, h->name_len);
		mem_cell_set_bytes(&row->cells[0], h->size);
		if (h->has_alloc)
			mem_cell_set_bytes(&row->cells[1], h->alloc);
		else
			mem_cell_set_unknown(&row->cells[1]);
		if (h->has_swap)
			mem_cell_set_bytes(&row->cells[2], h->swap);
		else if (h->kind == MEM_HIDDEN_SYSV)
			mem_cell_set_unknown(&row->cells[2]);
		mem_cell_set_text(&row->cells[3], holders, holders_len);
		mem_cell_set_static_text(&row->cells[4], kind);
	}
}

/* A table with the report's columns and no rows. */
static MemTable *objs_table_new(const MemObjsReport *r)
{
	guint n = r->view == MEM_OBJS_HIDDEN ? 5 : r->columns->len;
	MemTable *t = mem_table_new("OBJECT", "NAME", n);
	guint n_cols;
	const MemObjsColumn *cols = mem_objs_columns(&n_cols);

	if (r->view == MEM_OBJS_HIDDEN) {
		hidden_columns(t);
		return t;
	}
	for (guint c = 0; c < r->columns->len; c++) {
		MemObjsColId id = g_array_index(r->columns, MemObjsColId, c);
		for (guint k = 0; k < n_cols; k++)
			if (cols[k].id == id)
				mem_table_set_column(t, c, cols[k].title, col_numeric(id));
		if (id == MEM_OCOL_SHR)
			mem_table_set_column_flag(t, c, "#SHR_PARTIAL"); /* 1: the count is a lower bound */
		/* process rows: the sum over objects is a lower bound when some split is unknown */
		if (r->view == MEM_OBJS_PROCESS && id == MEM_OCOL_PRIVATE)
			mem_table_set_column_flag(t, c, "PRIVATE_PARTIAL");
		if (r->view == MEM_OBJS_PROCESS && id == MEM_OCOL_SHARED)
			mem_table_set_column_flag(t, c, "SHARED_PARTIAL");
	}
	return t;
}

static void process_row(MemTable *t, const MemObjsReport *r, const MemObjsProcess *p)
{
	MemRow *row = mem_table_add_row(t, p->proc->state == MEM_PROC_OK ? MEM_ROW_JOB : MEM_ROW_MISSING, 0);
	char label[32];

	g_snprintf(label, sizeof label, "p:%u", p->proc->pid);
	mem_row_set_label(row, label, "", 0);
	mem_row_set_name(row, p->proc->name, strlen(p->proc->name));
	process_note(p->proc, row);
	for (guint c = 0; c < r->columns->len; c++)
		process_cell(p, g_array_index(r->columns, MemObjsColId, c), &row->cells[c]);
}

/* Where the next row comes from.  Process view: process `proc`, and `obj` 0 for its own row, k for its
 * object k - 1.  All view: object `obj`.  Hidden view: proc 0 before its rows (all in one piece), 1
 * after. */
typedef struct {
	guint proc;
	guint obj;
} RowPos;

/* At most this many rows are held at once: 4 million objects would be a table of a gigabyte. */
#define PIECE_ROWS 16384

static gboolean rows_left(const MemObjsReport *r, const RowPos *pos)
{
	if (r->view == MEM_OBJS_HIDDEN)
		return pos->proc == 0;
	if (r->view == MEM_OBJS_ALL)
		return pos->obj < r->objects->len;
	return pos->proc < r->procs->len;
}

/* Adds the rows from *pos on, PIECE_ROWS at most, and moves *pos past them. */
static void fill_piece(MemTable *t, const MemObjsReport *r, RowPos *pos)
{
	if (r->view == MEM_OBJS_HIDDEN) {
		hidden_rows(t, r);
		pos->proc = 1;
		return;
	}
	if (r->view == MEM_OBJS_ALL) {
		guint n = MIN(PIECE_ROWS, r->objects->len - pos->obj);
		add_object_rows(t, r, r->objects, pos->obj, n, 0);
		pos->obj += n;
		return;
	}
	while (pos->proc < r->procs->len && t->rows->len < PIECE_ROWS) {
		const MemObjsProcess *p = g_ptr_array_index(r->procs, pos->proc);
		guint n;
		if (pos->obj == 0) {
			process_row(t, r, p);
			pos->obj = 1;
		}
		n = MIN(PIECE_ROWS - t->rows->len, p->objects->len - (pos->obj - 1));
		add_object_rows(t, r, p->objects, pos->obj - 1, n, 1);
		pos->obj += n;
		if (pos->obj - 1 == p->objects->len) {
			pos->proc++;
			pos->obj = 0;
		}
	}
}

/* The next piece of rows after *pos in a new table; NULL when none is left (a MemPieceFunc). */
static MemTable *next_piece(gconstpointer data, gpointer pos)
{
	const MemObjsReport *r = data;
	MemTable *t;

	if (!rows_left(r, pos))
		return NULL;
	t = objs_table_new(r);
	fill_piece(t, r, pos);
	return t;
}

void mem_render_objs_table(const MemObjsReport *r, gboolean csv, const MemTextOptions *o, GString *out)
{
	RowPos pos = { 0, 0 };
	g_autoptr(MemTable) first = objs_table_new(r);

	fill_piece(first, r, &pos);
	mem_render_pieces(first, next_piece, r, &pos, sizeof pos, csv, o, out);
}

/* ---- JSON ---- */

static void json_counters(MemJsonWriter *w, const MemCounters *c)
{
	mem_json_key(w, "smaps_bytes");
	mem_json_begin_object(w);
	for (int f = 0; f < MEM_F_COUNT; f++) {
		if (f == MEM_F_KERNEL_PAGE_SIZE || f == MEM_F_MMU_PAGE_SIZE)
			continue; /* per mapping, not a sum */
		mem_json_member_uint(w, mem_field_name((MemField)f), mem_counters_has(c, (MemField)f), c->v[f]);
	}
	mem_json_end_object(w);
}

static void json_pid_list(MemJsonWriter *w, const char *key, const guint32 *pids, guint n)
{
	mem_json_key(w, key);
	mem_json_begin_array(w);
	for (guint i = 0; i < n; i++)
		mem_json_uint(w, pids[i]);
	mem_json_end_array(w);
}

static void json_pids(MemJsonWriter *w, const char *key, const GArray *pids)
{
	json_pid_list(w, key, (const guint32 *)(gconstpointer)pids->data, pids->len);
}

static void json_object(MemJsonWriter *w, const MemObject *o, gboolean from_smaps)
{
	static const struct { MemObjsColId col; const char *key; } sizes[] = {
		{ MEM_OCOL_SIZE, "size_bytes" }, { MEM_OCOL_ALLOC, "alloc_bytes" }, { MEM_OCOL_PSS, "pss_bytes" },
		{ MEM_OCOL_SWAP, "swap_bytes" }, { MEM_OCOL_SWAP_PSS, "swap_pss_bytes" },
		{ MEM_OCOL_PRIVATE, "private_bytes" }, { MEM_OCOL_SHARED, "shared_bytes" },
		{ MEM_OCOL_USS, "uss_bytes" }, { MEM_OCOL_PAGE_SHARED, "page_shared_bytes" },
		{ MEM_OCOL_DIRTY, "dirty_bytes" }, { MEM_OCOL_HUGETLB, "hugetlb_bytes" },
	};
	char dev[MEM_DEV_TEXT_LEN], id[MEM_OBJECT_ID_LEN];
	MemCounters c;
	guint64 v;

	mem_json_begin_object(w);
	mem_json_key(w, "id");
	mem_json_string_len(w, id, mem_object_id_of(o, id));
	mem_json_key(w, "dev");
	mem_json_string(w, mem_object_dev_text(dev, o->dev_major, o->dev_minor));
	mem_json_key(w, "inode");
	mem_json_uint(w, o->inode);
	mem_json_key(w, "anon_start");
	if (o->anon)
		mem_json_uint(w, o->anon_start);
	else
		mem_json_null(w);
	mem_json_key(w, "kind");
	mem_json_string(w, mem_map_kind_name(o->kind));
	mem_json_key(w, "name");
	mem_json_string_len(w, o->name, o->name_len);
	mem_json_key(w, "maps");
	mem_json_uint(w, o->n_maps);
	mem_json_key(w, "sharers");
	mem_json_uint(w, o->n_pids);
	json_pid_list(w, "sharer_pids", o->pids, o->n_pids);
	mem_json_key(w, "sharers_partial");
	mem_json_bool(w, o->sharers_partial);
	for (guint i = 0; i < G_N_ELEMENTS(sizes); i++) {
		gboolean ok = mem_object_value(o, sizes[i].col, &v);
		mem_json_member_uint(w, sizes[i].key, ok && (from_smaps || sizes[i].col == MEM_OCOL_SIZE), v);
	}
	mem_object_counters(o, &c);
	json_counters(w, &c);
	mem_json_end_object(w);
}

static void json_process(MemJsonWriter *w, const MemObjsProcess *p, const MemFlush *flush, GString *out)
{
	const MemProcess *proc = p->proc;
	guint64 v = 0;

	mem_json_begin_object(w);
	mem_json_process_head(w, proc);
	mem_json_key(w, "totals");
	mem_json_begin_object(w);
	if (proc->state == MEM_PROC_OK) {
		mem_json_member_uint(w, "rss_bytes", mem_counters_has(&p->total, MEM_F_RSS), p->total.v[MEM_F_RSS]);
		mem_json_member_uint(w, "pss_bytes", mem_counters_has(&p->total, MEM_F_PSS), p->total.v[MEM_F_PSS]);
		mem_json_member_uint(w, "swap_bytes", mem_counters_has(&p->total, MEM_F_SWAP), p->total.v[MEM_F_SWAP]);
		gboolean has_hugetlb = mem_counters_hugetlb(&p->total, &v);
		mem_json_member_uint(w, "hugetlb_bytes", has_hugetlb, v);
		json_counters(w, &p->total);
	} else {
		MemCounters none = { { 0 }, 0 };
		mem_json_member_uint(w, "rss_bytes", FALSE, 0);
		mem_json_member_uint(w, "pss_bytes", FALSE, 0);
		mem_json_member_uint(w, "swap_bytes", FALSE, 0);
		mem_json_member_uint(w, "hugetlb_bytes", FALSE, 0);
		json_counters(w, &none);
	}
	mem_json_end_object(w);
	mem_json_key(w, "objects");
	mem_json_begin_array(w);
	for (guint i = 0; i < p->objects->len; i++) {
		json_object(w, g_ptr_array_index(p->objects, i), proc->maps_from_smaps);
		mem_flush_maybe(out, flush); /* a process may have millions of objects */
	}
	mem_json_end_array(w);
	mem_json_end_object(w);
}

static void json_hidden(MemJsonWriter *w, const MemHiddenObject *h)
{
	char dev[MEM_DEV_TEXT_LEN];

	mem_json_begin_object(w);
	mem_json_key(w, "kind");
	mem_json_string(w, mem_hidden_kind_name(h->kind));
	mem_json_key(w, "name");
	mem_json_string_len(w, h->name, h->name_len);
	mem_json_key(w, "shmid");
	if (h->kind == MEM_HIDDEN_SYSV)
		mem_json_uint(w, h->inode);
	else
		mem_json_null(w);
	mem_json_key(w, "key");
	if (h->kind == MEM_HIDDEN_SYSV)
		mem_json_int(w, h->key);
	else
		mem_json_null(w);
	mem_json_key(w, "dev");
	if (h->kind == MEM_HIDDEN_SYSV)
		mem_json_null(w);
	else
		mem_json_string(w, mem_object_dev_text(dev, h->dev_major, h->dev_minor));
	mem_json_key(w, "inode");
	if (h->kind == MEM_HIDDEN_SYSV)
		mem_json_null(w);
	else
		mem_json_uint(w, h->inode);
	mem_json_member_uint(w, "size_bytes", TRUE, h->size);
	mem_json_member_uint(w, "alloc_bytes", h->has_alloc, h->alloc);
	mem_json_member_uint(w, "swap_bytes", h->has_swap, h->swap);
	json_pids(w, "holder_pids", h->holders);
	mem_json_key(w, "holders_known");
	mem_json_bool(w, h->holders_known);
	mem_json_end_object(w);
}

void mem_render_objs_json(const MemObjsReport *r, gboolean pretty, const MemFlush *flush, GString *out)
{
	g_autoptr(MemJsonWriter) w = mem_json_writer_new(out, pretty);

	mem_json_begin_object(w);
	mem_json_header_recorded(w, "memobjs/1", r->source_kind, r->source_path, r->source_kernel, &r->missing,
	                         r->source_recorded);
	mem_json_key(w, "view");
	mem_json_string(w, r->view == MEM_OBJS_PROCESS ? "process" : r->view == MEM_OBJS_ALL ? "all" : "hidden");
	mem_json_key(w, "sharers_partial");
	mem_json_bool(w, r->sharers_partial);
	json_pids(w, "unreadable_pids", r->unreadable);
	json_pids(w, "vanished_pids", r->vanished);
	json_pids(w, "skipped_pids", r->skipped);
	if (r->view == MEM_OBJS_PROCESS) {
		mem_json_key(w, "processes");
		mem_json_begin_array(w);
		for (guint i = 0; i < r->procs->len; i++) {
			json_process(w, g_ptr_array_index(r->procs, i), flush, out);
		}
		mem_json_end_array(w);
	} else if (r->view == MEM_OBJS_ALL) {
		mem_json_key(w, "objects");
		mem_json_begin_array(w);
		for (guint i = 0; i < r->objects->len; i++) {
			json_object(w, g_ptr_array_index(r->objects, i), TRUE);
			mem_flush_maybe(out, flush);
		}
		mem_json_end_array(w);
	} else {
		mem_json_key(w, "hidden_live");
		mem_json_bool(w, r->hidden_live);
		mem_json_key(w, "fds_unreadable");
		mem_json_uint(w, r->n_hidden_errors);
		mem_json_key(w, "hidden");
		mem_json_begin_array(w);
		for (guint i = 0; i < r->hidden->len; i++)
			json_hidden(w, g_ptr_array_index(r->hidden, i));
		mem_json_end_array(w);
	}
	mem_json_end_object(w);
	g_string_append_c(out, '\n');
}
