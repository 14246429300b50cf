/* objects-sharers.c: which processes map each object, from every process's maps (accounting layer) */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "object-id.h"
#include "objects-private.h"
#include "parse-util.h"

/* ---- object keys ---- */

guint objs_key_hash(gconstpointer p)
{
	const ObjKey *k = p;
	guint64 h = k->inode * 0x9e3779b97f4a7c15ull ^ ((guint64)k->dev_major << 32 | k->dev_minor);
	return (guint)(h ^ (h >> 29));
}

gboolean objs_key_equal(gconstpointer a, gconstpointer b)
{
	const ObjKey *x = a, *y = b;
	return x->inode == y->inode && x->dev_major == y->dev_major && x->dev_minor == y->dev_minor;
}

/* A mapping belongs to a shared-able object unless it is private anonymous memory (or a special
 * mapping such as [vdso]): then it is its own object (object-id.h). */
gboolean objs_is_shareable(const MemMapping *m)
{
	return !mem_object_is_private_anon(m->dev_major, m->dev_minor, m->inode);
}

void objs_add_pid(GArray *pids, guint32 pid)
{
	if (pids->len == 0 || g_array_index(pids, guint32, pids->len - 1) != pid)
		g_array_append_val(pids, pid);
}

/* ---- sharers ---- */

static MemObjsSharers *sharers_new(void)
{
	MemObjsSharers *s = g_new0(MemObjsSharers, 1);

	s->by_key = g_hash_table_new_full(objs_key_hash, objs_key_equal, g_free, (GDestroyNotify)g_array_unref);
	s->unreadable = g_array_new(FALSE, FALSE, sizeof(guint32));
	s->vanished = g_array_new(FALSE, FALSE, sizeof(guint32));
	s->problems = g_ptr_array_new_with_free_func(g_free);
	return s;
}

void mem_objs_sharers_free(MemObjsSharers *s)
{
	if (!s)
		return;
	g_hash_table_unref(s->by_key);
	g_array_unref(s->unreadable);
	g_array_unref(s->vanished);
	g_ptr_array_unref(s->problems);
	mem_source_free(s->source);
	g_free(s);
}

static void sharers_add(MemObjsSharers *s, guint32 pid, guint32 maj, guint32 min, guint64 inode)
{
	ObjKey k = { maj, min, inode };
	GArray *pids = g_hash_table_lookup(s->by_key, &k);

	if (!pids) {
		pids = g_array_sized_new(FALSE, FALSE, sizeof(guint32), 2);
		g_hash_table_insert(s->by_key, g_memdup2(&k, sizeof k), pids);
	}
	objs_add_pid(pids, pid);
}

static void sharers_finish(MemObjsSharers *s)
{
	GHashTableIter it;
	gpointer v;

	g_hash_table_iter_init(&it, s->by_key);
	while (g_hash_table_iter_next(&it, NULL, &v))
		mem_pids_sort_unique(v);
	mem_pids_sort_unique(s->unreadable);
	mem_pids_sort_unique(s->vanished);
	s->partial = s->unreadable->len > 0;
}

GArray *objs_sharers_lookup(const MemObjsSharers *s, guint32 maj, guint32 min, guint64 inode)
{
	ObjKey k = { maj, min, inode };
	return s ? g_hash_table_lookup(s->by_key, &k) : NULL;
}

/* Checks that a process's mappings go forward and do not overlap; fills *what on failure. */
gboolean objs_order_ok(guint64 start, guint64 end, guint64 prev_end, gboolean first, const char **what)
{
	if (end <= start) {
		*what = "address range goes backwards or is empty";
		return FALSE;
	}
	if (!first && start < prev_end) {
		*what = "mapping overlaps or precedes the one before it";
		return FALSE;
	}
	return TRUE;
}

typedef struct {
	MemObjsSharers *s;
	gboolean live;
	GArray *not_recorded;    /* guint32 pids whose maps a recording lacks: their smaps is read instead */
	GArray *empty_smaps;     /* guint32 pids of that second pass whose recorded smaps is empty */
	GArray *no_mm;           /* guint32 pids of that pass whose stat says kernel thread or zombie */
	gboolean smaps_pass;     /* that second pass is running (it asks for stat too) */
	GArray *keys;            /* ObjKey: the objects of the file being read */
	guint n_mappings;        /* of the file being read */
	guint64 prev_end;
	MemFileFunc more_func;   /* the other files of the scan (mem_objs_sharers_scan_with) */
	gpointer more_data;
} ScanCtx;

/* One mapping (a maps line or an smaps record's header): its object, unless private anonymous. */
static gboolean scan_mapping(const MemMapsLine *line, guint lineno, gpointer user_data, GError **error)
{
	ScanCtx *ctx = user_data;
	const char *what = NULL;

	/* live, an overlap is the process remapping between two reads, not bad input */
	if (!objs_order_ok(line->start, line->end, ctx->prev_end, ctx->n_mappings++ == 0 || ctx->live, &what)) {
		mem_parse_fail(error, MEM_ERROR_PARSE, lineno, "%s", what);
		return FALSE;
	}
	ctx->prev_end = line->end;
	if (!mem_object_is_private_anon(line->dev_major, line->dev_minor, line->inode)) {
		ObjKey k = { line->dev_major, line->dev_minor, line->inode };
		g_array_append_val(ctx->keys, k);
	}
	return TRUE;
}

static gboolean scan_vma(const MemVma *vma, gpointer user_data, GError **error)
{
	return scan_mapping(&vma->map, vma->line, user_data, error);
}

/* A file that could not be read: the process went away (live), its maps were not recorded (the
 * smaps pass looks), or it is unreadable; a file a recording cannot hold is bad input, as in the
 * other tools (mem_snapshot_bad_input_reason). */
static void scan_file_error(ScanCtx *ctx, const MemFile *f)
{
	MemObjsSharers *s = ctx->s;
	/* (a recorder's manifest saying "EFBIG" is its reason, not a file of ours to refuse) */
	const char *bad = ctx->live || f->from_manifest ? NULL : mem_snapshot_bad_input_reason(f->err);

	if ((f->err == ENOENT || f->err == ESRCH) && ctx->live)
		g_array_append_val(s->vanished, f->pid);
	else if (f->err == ENOENT && f->file == MEM_FILE_MAPS)
		g_array_append_val(ctx->not_recorded, f->pid);
	else {
		g_array_append_val(s->unreadable, f->pid);
		if (bad)
			g_ptr_array_add(s->problems, g_strdup_printf("%s: %s", mem_file_path(f), bad));
	}
}

/* The second pass's stat: a kernel thread or a zombie has no memory map, so its empty smaps is whole. */
static void note_no_mm(ScanCtx *ctx, const MemFile *f)
{
	MemStat st;

	if (!f->err && mem_parse_stat(f->data, f->len, &st, NULL) &&
	    ((st.has_flags && (st.flags & MEM_PF_KTHREAD)) || st.state == 'Z' || st.state == 'X' || st.state == 'x'))
		g_array_append_val(ctx->no_mm, f->pid);
}

/* A recording's empty smaps maps nothing only for a process without memory; for any other it is a file
 * the recorder could not read (smemcap writes a failed open as a 0-byte member), as the model says. */
static void settle_empty_smaps(ScanCtx *ctx)
{
	mem_pids_sort_unique(ctx->no_mm);
	for (guint i = 0; i < ctx->empty_smaps->len; i++) {
		guint32 pid = g_array_index(ctx->empty_smaps, guint32, i);

		if (bsearch(&pid, ctx->no_mm->data, ctx->no_mm->len, sizeof pid, mem_pid_compare))
			ctx->s->n_processes++;
		else
			g_array_append_val(ctx->s->unreadable, pid);
	}
}

static gboolean on_maps_file(const MemFile *f, gpointer user_data, GError **error)
{
	ScanCtx *ctx = user_data;
	MemObjsSharers *s = ctx->s;
	g_autoptr(GError) err = NULL;
	gboolean ok;

	if (ctx->smaps_pass && f->pid != 0 && f->file == MEM_FILE_STAT) {
		note_no_mm(ctx, f);
		return TRUE;
	}
	if (f->pid == 0 || (f->file != MEM_FILE_MAPS && f->file != MEM_FILE_SMAPS))
		return ctx->more_func ? ctx->more_func(f, ctx->more_data, error) : TRUE;
	if (f->err) {
		scan_file_error(ctx, f);
		return TRUE;
	}
	if (f->file == MEM_FILE_SMAPS && f->len == 0 && !ctx->live) {
		/* decided once the pid's stat is seen (a tar may hold it after smaps) */
		g_array_append_val(ctx->empty_smaps, f->pid);
		return TRUE;
	}
	g_array_set_size(ctx->keys, 0);
	ctx->n_mappings = 0;
	ctx->prev_end = 0;
	if (f->file == MEM_FILE_MAPS)
		ok = mem_parse_maps(f->data, f->len, scan_mapping, ctx, &err);
	else
		ok = mem_parse_smaps(f->data, f->len, scan_vma, ctx, &err);
	if (!ok) {
		if (err->code == MEM_ERROR_TRUNCATED && ctx->live)
			g_array_append_val(s->vanished, f->pid);
		else {
			g_array_append_val(s->unreadable, f->pid);
			g_ptr_array_add(s->problems, g_strdup_printf("%s: %s", mem_file_path(f), err->message));
		}
		return TRUE;
	}
	for (guint i = 0; i < ctx->keys->len; i++) {
		const ObjKey *k = &g_array_index(ctx->keys, ObjKey, i);
		sharers_add(s, f->pid, k->dev_major, k->dev_minor, k->inode);
	}
	s->n_processes++;
	return TRUE;
}

MemObjsSharers *mem_objs_sharers_scan(MemSource *src, GError **error)
{
	return mem_objs_sharers_scan_with(src, 0, NULL, NULL, error);
}

MemObjsSharers *mem_objs_sharers_scan_with(MemSource *src, guint32 more_want, MemFileFunc more_func,
                                           gpointer more_data, GError **error)
{
	g_autoptr(MemObjsSharers) s = sharers_new();
	g_autoptr(GArray) not_recorded = g_array_new(FALSE, FALSE, sizeof(guint32));
	g_autoptr(GArray) empty_smaps = g_array_new(FALSE, FALSE, sizeof(guint32));
	g_autoptr(GArray) no_mm = g_array_new(FALSE, FALSE, sizeof(guint32));
	g_autoptr(GArray) keys = g_array_new(FALSE, FALSE, sizeof(ObjKey));
	ScanCtx ctx = { s, mem_source_kind(src) == MEM_SOURCE_LIVE, not_recorded, empty_smaps, no_mm, FALSE,
		        keys, 0, 0, more_func, more_data };
	const char *path = mem_source_path(src);

	if (!mem_source_scan(src, MEM_FILE_MAPS | (more_func ? more_want : 0), 0, NULL, 0, on_maps_file, &ctx, error))
		return NULL;
	if (not_recorded->len && path && strcmp(path, "-") == 0) {
		/* stdin is read once: their mappings stay unknown */
		g_array_append_vals(s->unreadable, not_recorded->data, not_recorded->len);
		g_array_set_size(not_recorded, 0);
	}
	/* A recording without maps (smemcap's format keeps smaps only): the same mappings come from smaps,
	 * read for those processes only, with their stat for the empty ones. */
	if (not_recorded->len) {
		mem_pids_sort_unique(not_recorded);
		ctx.smaps_pass = TRUE;
		if (!mem_source_scan(src, MEM_FILE_SMAPS | MEM_FILE_STAT, 0,
		                     (const guint32 *)(gconstpointer)not_recorded->data, not_recorded->len, on_maps_file,
		                     &ctx, error))
			return NULL;
		settle_empty_smaps(&ctx);
	}
	sharers_finish(s);
	s->source = mem_source_ref(src);
	return g_steal_pointer(&s);
}

MemObjsSharers *mem_objs_sharers_from_snapshot(MemSnapshot *snap)
{
	MemObjsSharers *s = sharers_new();

	for (guint i = 0; i < snap->procs->len; i++) {
		const MemProcess *p = g_ptr_array_index(snap->procs, i);
		if (p->state == MEM_PROC_UNREADABLE)
			g_array_append_val(s->unreadable, p->pid);
		else if (p->state == MEM_PROC_VANISHED)
			g_array_append_val(s->vanished, p->pid);
		if (p->state != MEM_PROC_OK || !p->maps)
			continue;
		for (guint j = 0; j < p->maps->len; j++) {
			const MemMapping *m = &g_array_index(p->maps, MemMapping, j);
			if (objs_is_shareable(m))
				sharers_add(s, p->pid, m->dev_major, m->dev_minor, m->inode);
		}
		s->n_processes++;
	}
	sharers_finish(s);
	return s;
}
