/* explain-sys.c: memsys --explain, where MemTotal - MemFree went: the processes' PSS against meminfo, each gap named and sourced (accounting layer) */
#include "config.h"

#include <string.h>

#include "account-pss.h"
#include "error.h"
#include "escape.h"
#include "explain-sys.h"
#include "format.h"
#include "parse.h"
#include "table.h"

typedef struct {
	GArray *terms;
	gboolean overflow;
} Builder;

static MemSysTerm *term(Builder *b, const char *id, gboolean part, const char *source, char *what)
{
	MemSysTerm t = { .id = id, .what = what, .source = source, .part = part, .count = -1 };

	g_array_append_val(b->terms, t);
	return &g_array_index(b->terms, MemSysTerm, b->terms->len - 1);
}

/* a + b, or a flag when it does not fit (the caller's error). */
static gint64 add(Builder *b, gint64 x, gint64 y)
{
	gint64 r;

	if (__builtin_add_overflow(x, y, &r))
		b->overflow = TRUE;
	return r;
}

static gboolean field(GArray *mi, const char *key, gint64 *v)
{
	guint64 u;

	if (!mem_meminfo_get(mi, key, &u) || u > (guint64)G_MAXINT64)
		return FALSE;
	*v = (gint64)u;
	return TRUE;
}

/* Σ PSS over the snapshot's processes (account-pss.h); their counts go to e. */
static void sum_processes(MemSnapshot *snap, Builder *b, MemSysExplain *e, MemPssSum *s)
{
	mem_pss_sum_init(s);
	for (guint i = 0; i < snap->procs->len; i++)
		mem_pss_sum_add(s, g_ptr_array_index(snap->procs, i));
	if (!s->readable)
		s->split = FALSE;
	if (s->overflow)
		b->overflow = TRUE;
	e->readable = s->readable;
	e->unreadable = s->unreadable;
	e->other_states = s->other;
}

/* SysV segments no process attaches (kept in e->sysv): their resident bytes (sysvipc/shm rss, Linux
 * 4.x and later; *count -1 without it). */
static gboolean sysv_unattached(const char *shm, gsize len, Builder *b, MemSysExplain *e, gint64 *bytes, gint64 *count,
                                GError **error)
{
	g_autoptr(GArray) segs = mem_parse_sysvipc_shm(shm, len, error);

	if (!segs)
		return FALSE;
	*bytes = 0;
	*count = 0;
	e->sysv = g_array_new(FALSE, FALSE, sizeof(MemShmSegment));
	for (guint i = 0; i < segs->len; i++) {
		const MemShmSegment *s = &g_array_index(segs, MemShmSegment, i);

		if (s->nattch != 0)
			continue;
		g_array_append_val(e->sysv, *s);
		if (*count < 0)
			continue;
		if (!s->has_rss_swap || s->rss > (guint64)G_MAXINT64) {
			*count = -1; /* no rss column: unknown */
			continue;
		}
		*bytes = add(b, *bytes, (gint64)s->rss);
		(*count)++;
	}
	return TRUE;
}

gboolean mem_sys_explain(MemSnapshot *snap, const MemSysExplainInput *in, MemSysExplain *e, GError **error)
{
	const MemSysCategoryInfo *info = mem_sys_category_info();
	const MemSysCategories *c = &e->cat;
	Builder b = { NULL, FALSE };
	MemPssSum ps;
	MemSysTerm *t;
	gint64 mapped = 0, buffers = 0, cached = 0, rest;
	gboolean has_mapped, has_cache;

	memset(e, 0, sizeof *e);
	if (!snap->meminfo) {
		g_set_error(error, MEM_ERROR, MEM_ERROR_NOT_FOUND, "no meminfo in the source");
		return FALSE;
	}
	if (!mem_sys_categories(snap->meminfo, &e->cat, error) ||
	    (snap->zram && !mem_sys_categories_zram(&e->cat, snap->zram, error)))
		return FALSE;
	e->shm_files = in->shm_files;
	e->shm_files_note = in->shm_files_note;
	e->used = (gint64)c->total - c->bytes[MEM_SYS_FREE]; /* both 0..2^63-1 */
	b.terms = e->terms = g_array_new(FALSE, TRUE, sizeof(MemSysTerm));
	has_mapped = field(snap->meminfo, "Mapped", &mapped);
	has_cache = field(snap->meminfo, "Buffers", &buffers) && field(snap->meminfo, "Cached", &cached);
	sum_processes(snap, &b, e, &ps);

	t = term(&b, "pss", FALSE, "smaps_rollup Pss (smaps where there is no rollup)",
	         g_strdup_printf("Σ PSS of %u readable processes", e->readable));
	t->known = TRUE;
	t->bytes = ps.pss;
	t->count = e->readable;
	t = term(&b, "not_in_pss", FALSE, "AnonPages + Mapped - Σ PSS",
	         g_strdup("mapped by processes, outside that PSS"));
	if ((t->known = c->known[MEM_SYS_ANON] && has_mapped))
		t->bytes = add(&b, c->bytes[MEM_SYS_ANON], mapped) - ps.pss;
	t = term(&b, "unreadable", TRUE, "status VmRSS (shared pages counted in each process)",
	         g_strdup_printf("%u unreadable processes hold at most", e->unreadable));
	t->known = ps.unreadable_rss_n == e->unreadable;
	t->bytes = ps.unreadable_rss;
	t->count = e->unreadable;
	if (ps.split && c->known[MEM_SYS_ANON]) {
		t = term(&b, "anon_not_in_pss", TRUE, "AnonPages - Σ Pss_Anon", g_strdup("of which anonymous"));
		t->known = TRUE;
		t->bytes = c->bytes[MEM_SYS_ANON] - ps.anon;
	}
	t = term(&b, "unmapped", FALSE, "Buffers + Cached - Mapped",
	         g_strdup("page cache and shmem no process maps"));
	if ((t->known = has_cache && has_mapped))
		t->bytes = add(&b, buffers, cached) - mapped;
	if (ps.split && c->known[MEM_SYS_SHMEM]) {
		t = term(&b, "shmem_not_in_pss", TRUE, "Shmem - Σ Pss_Shmem", g_strdup("shmem outside that PSS (tmpfs, /dev/shm, SysV)"));
		t->known = TRUE;
		t->bytes = c->bytes[MEM_SYS_SHMEM] - ps.shmem;
	}
	if (in->shm) {
		gint64 bytes, count;

		if (!sysv_unattached(in->shm, in->shm_len, &b, e, &bytes, &count, error)) {
			mem_sys_explain_clear(e);
			return FALSE;
		}
		t = term(&b, "sysv_unattached", TRUE, "sysvipc/shm rss where nattch is 0",
		         count >= 0 ? g_strdup_printf("%" G_GINT64_FORMAT " SysV segments no process attaches", count)
		                    : g_strdup("SysV segments no process attaches"));
		t->known = count >= 0;
		t->bytes = bytes;
		t->count = count;
	}
	t = term(&b, "hugetlb", FALSE, "huge_used + huge_free (not in PSS)", g_strdup("hugetlb pool, used and free"));
	if ((t->known = c->known[MEM_SYS_HUGE_USED] && c->known[MEM_SYS_HUGE_FREE]))
		t->bytes = add(&b, c->bytes[MEM_SYS_HUGE_USED], c->bytes[MEM_SYS_HUGE_FREE]);
	for (guint k = MEM_SYS_SLAB_R; k <= MEM_SYS_ZRAM; k++) {
		if (k == MEM_SYS_HUGE_USED || k == MEM_SYS_HUGE_FREE)
			continue;
		t = term(&b, info[k].id, FALSE, info[k].formula,
		         g_strdup_printf("%s %s", k == MEM_SYS_ZSWAP ? "compressed swap:" : k == MEM_SYS_ZRAM ? "zram devices:" : "kernel:",
		                         info[k].id));
		t->known = c->known[k];
		t->bytes = c->bytes[k];
	}
	rest = e->used;
	for (guint i = 0; i < e->terms->len; i++) {
		const MemSysTerm *x = &g_array_index(e->terms, MemSysTerm, i);
		if (!x->part && x->known && __builtin_sub_overflow(rest, x->bytes, &rest))
			b.overflow = TRUE;
	}
	t = term(&b, "unexplained", FALSE, "the remainder, unclamped: allocations without a meminfo counter, unknown terms",
	         g_strdup("unexplained"));
	t->known = TRUE;
	t->bytes = rest;
	if (b.overflow) {
		mem_sys_explain_clear(e);
		g_set_error(error, MEM_ERROR, MEM_ERROR_PARSE, "--explain: a sum does not fit in 63 bits of bytes");
		return FALSE;
	}
	return TRUE;
}

void mem_sys_explain_clear(MemSysExplain *e)
{
	g_clear_pointer(&e->sysv, g_array_unref);
	if (!e->terms)
		return;
	for (guint i = 0; i < e->terms->len; i++)
		g_free(g_array_index(e->terms, MemSysTerm, i).what);
	g_clear_pointer(&e->terms, g_array_unref);
}

static void put_bytes(GString *out, gboolean known, gint64 v, const MemTextOptions *o)
{
	char buf[MEM_FORMAT_SIZE_LEN];
	guint64 mag = v < 0 ? (guint64)0 - (guint64)v : (guint64)v;
	gsize len;

	if (!known) {
		strcpy(buf, "-");
	} else {
		mem_format_size_or_bytes(buf, mag, o->bytes, o->unit);
	}
	len = strlen(buf) + (known && v < 0);
	mem_pad(out, len < 12 ? 12 - len : 0);
	if (known && v < 0)
		g_string_append_c(out, '-');
	g_string_append(out, buf);
}

/* A term's label for the text output: "Σ" is "Sum" where the charset is not UTF-8. */
static char *text_label(const char *what, const MemTextOptions *o)
{
	GString *s = g_string_new(what);

	if (o->ascii)
		g_string_replace(s, "\xce\xa3", "Sum", 0);
	return g_string_free(s, FALSE);
}

/* A count of processes, or "?" for none seen where some could not be read. */
static void put_count(GString *out, guint n, gboolean all, gsize width)
{
	char buf[16];
	gsize len = all || n ? (gsize)g_snprintf(buf, sizeof buf, "%u", n) : (gsize)g_snprintf(buf, sizeof buf, "?");

	mem_pad(out, width > len ? width - len : 0);
	g_string_append_len(out, buf, (gssize)len);
}

/* The /dev/shm files and the SysV segments nobody attaches, a line each, after the terms. */
static void lists_text(const MemSysExplain *e, const MemTextOptions *o, GString *out)
{
	if (!e->shm_files) {
		g_string_append_printf(out, "\n%s\n", e->shm_files_note ? e->shm_files_note : "/dev/shm not listed");
	} else {
		g_string_append_printf(out, "\n/dev/shm files: %u\n", e->shm_files->len);
		if (e->shm_files_note)
			g_string_append_printf(out, "(%s)\n", e->shm_files_note);
		if (e->shm_files->len)
			g_string_append(out, "        size       alloc  mappers  holders  name\n");
		for (guint i = 0; i < e->shm_files->len; i++) {
			const MemSysShmFile *f = &g_array_index(e->shm_files, MemSysShmFile, i);

			put_bytes(out, TRUE, (gint64)MIN(f->size, (guint64)G_MAXINT64), o);
			put_bytes(out, TRUE, (gint64)MIN(f->alloc, (guint64)G_MAXINT64), o);
			put_count(out, f->mappers, f->mappers_all, 9);
			put_count(out, f->holders, f->holders_all, 9);
			g_string_append(out, "  /dev/shm/");
			mem_escape_text(out, f->name, strlen(f->name));
			g_string_append_c(out, '\n');
		}
	}
	if (!e->sysv)
		return;
	g_string_append_printf(out, "\nSysV segments no process attaches: %u\n", e->sysv->len);
	if (e->sysv->len)
		g_string_append(out, "        size         rss        swap         key       shmid\n");
	for (guint i = 0; i < e->sysv->len; i++) {
		const MemShmSegment *g = &g_array_index(e->sysv, MemShmSegment, i);

		put_bytes(out, TRUE, (gint64)MIN(g->size, (guint64)G_MAXINT64), o);
		put_bytes(out, g->has_rss_swap, (gint64)MIN(g->rss, (guint64)G_MAXINT64), o);
		put_bytes(out, g->has_rss_swap, (gint64)MIN(g->swap, (guint64)G_MAXINT64), o);
		g_string_append_printf(out, "  0x%08" G_GINT32_MODIFIER "x  %10" G_GUINT64_FORMAT "\n", (guint32)g->key, g->shmid);
	}
}

void mem_sys_explain_text(const MemSysExplain *e, const MemTextOptions *o, GString *out)
{
	static const char used[] = "used (MemTotal - MemFree)";
	g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func(g_free);
	gsize width = strlen(used);

	for (guint i = 0; i < e->terms->len; i++) {
		const MemSysTerm *t = &g_array_index(e->terms, MemSysTerm, i);
		char *l = text_label(t->what, o);

		g_ptr_array_add(labels, l);
		width = MAX(width, (gsize)g_utf8_strlen(l, -1) + (t->part ? 2 : 0));
	}
	g_string_append(out, used);
	mem_pad(out, width - strlen(used));
	put_bytes(out, TRUE, e->used, o);
	g_string_append(out, "  MemTotal - MemFree\n");
	for (guint i = 0; i < e->terms->len; i++) {
		const MemSysTerm *t = &g_array_index(e->terms, MemSysTerm, i);
		const char *l = g_ptr_array_index(labels, i);
		g_autofree char *src = text_label(t->source, o);

		if (t->part)
			g_string_append(out, "  ");
		g_string_append(out, l);
		mem_pad(out, width - (gsize)g_utf8_strlen(l, -1) - (t->part ? 2 : 0));
		put_bytes(out, t->known, t->bytes, o);
		g_string_append_printf(out, "  %s%s\n", t->part ? "(a detail, not added) " : "", src);
	}
	lists_text(e, o, out);
}

/* A count of processes, null for none seen where some could not be read. */
static void json_count(MemJsonWriter *w, const char *key, guint n, gboolean all)
{
	mem_json_member_uint(w, key, all || n, n);
}

static void lists_json(const MemSysExplain *e, MemJsonWriter *w)
{
	mem_json_key(w, "dev_shm_note");
	mem_json_string(w, e->shm_files_note);
	mem_json_key(w, "dev_shm_files");
	if (!e->shm_files) {
		mem_json_null(w);
	} else {
		mem_json_begin_array(w);
		for (guint i = 0; i < e->shm_files->len; i++) {
			const MemSysShmFile *f = &g_array_index(e->shm_files, MemSysShmFile, i);
			g_autofree char *path = g_strconcat("/dev/shm/", f->name, NULL);

			mem_json_begin_object(w);
			mem_json_key(w, "name");
			mem_json_string(w, path);
			mem_json_member_uint(w, "size_bytes", TRUE, f->size);
			mem_json_member_uint(w, "alloc_bytes", TRUE, f->alloc);
			json_count(w, "mappers", f->mappers, f->mappers_all);
			json_count(w, "holders", f->holders, f->holders_all);
			mem_json_end_object(w);
		}
		mem_json_end_array(w);
	}
	mem_json_key(w, "sysv_unattached_segments");
	if (!e->sysv) {
		mem_json_null(w);
		return;
	}
	mem_json_begin_array(w);
	for (guint i = 0; i < e->sysv->len; i++) {
		const MemShmSegment *g = &g_array_index(e->sysv, MemShmSegment, i);

		mem_json_begin_object(w);
		mem_json_key(w, "key");
		mem_json_int(w, g->key);
		mem_json_key(w, "shmid");
		mem_json_uint(w, g->shmid);
		mem_json_member_uint(w, "size_bytes", TRUE, g->size);
		mem_json_member_uint(w, "rss_bytes", g->has_rss_swap, g->rss);
		mem_json_member_uint(w, "swap_bytes", g->has_rss_swap, g->swap);
		mem_json_key(w, "uid");
		mem_json_uint(w, g->uid);
		mem_json_end_object(w);
	}
	mem_json_end_array(w);
}

void mem_sys_explain_json(const MemSysExplain *e, MemJsonWriter *w)
{
	mem_json_begin_object(w);
	mem_json_key(w, "used_bytes");
	mem_json_int(w, e->used);
	mem_json_key(w, "readable_processes");
	mem_json_uint(w, e->readable);
	mem_json_key(w, "unreadable_processes");
	mem_json_uint(w, e->unreadable);
	mem_json_key(w, "terms");
	mem_json_begin_array(w);
	for (guint i = 0; i < e->terms->len; i++) {
		const MemSysTerm *t = &g_array_index(e->terms, MemSysTerm, i);

		mem_json_begin_object(w);
		mem_json_key(w, "id");
		mem_json_string(w, t->id);
		mem_json_key(w, "what");
		mem_json_string(w, t->what);
		mem_json_key(w, "source");
		mem_json_string(w, t->source);
		mem_json_key(w, "part");
		mem_json_bool(w, t->part);
		mem_json_member_int(w, "bytes", t->known, t->bytes);
		mem_json_member_int(w, "count", t->count >= 0, t->count);
		mem_json_end_object(w);
	}
	mem_json_end_array(w);
	lists_json(e, w);
	mem_json_end_object(w);
}
