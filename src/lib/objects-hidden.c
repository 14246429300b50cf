/* objects-hidden.c: memory no process maps: unattached SysV segments, fd-only and orphan shmem files (accounting layer) */
#include "config.h"

#include <string.h>

#include "error.h"
#include "objects-private.h"
#include "source-fds.h"

/* ---- hidden memory ---- */

const char *mem_hidden_kind_name(MemHiddenKind kind)
{
	switch (kind) {
	case MEM_HIDDEN_SYSV: return "sysv-unattached";
	case MEM_HIDDEN_HELD: return "fd-only";
	case MEM_HIDDEN_ORPHAN: return "shm-orphan";
	case MEM_HIDDEN_UNKNOWN: return "shm-holders-unknown";
	}
	return "?";
}

static MemHiddenObject *hidden_new(GPtrArray *list, MemHiddenKind kind)
{
	MemHiddenObject *h = g_new0(MemHiddenObject, 1);

	h->kind = kind;
	h->holders_known = TRUE;
	h->holders = g_array_new(FALSE, FALSE, sizeof(guint32));
	g_ptr_array_add(list, h);
	return h;
}

/* An fd whose file is shmem-backed: a memfd, or a file on the shm directory's filesystem. */
static gboolean fd_is_shmem(const MemFdEntry *e, gboolean has_shm_dev, guint32 smaj, guint32 smin)
{
	if (!e->has_stat || (e->mode & 0170000) != 0100000)
		return FALSE;
	if (e->target_len >= 7 && memcmp(e->target, "/memfd:", 7) == 0)
		return TRUE;
	return has_shm_dev && e->dev_major == smaj && e->dev_minor == smin;
}

/* The fd and /dev/shm parts: a live walk opened here, or a recording's (`given`, filled by the scan). */
static gboolean fds_hidden(MemObjsReport *r, MemObjsSharers *sharers, MemFds *given, GError **error)
{
	g_autoptr(MemFds) own = given ? NULL : mem_source_fds_open(sharers->source, error);
	MemFds *fds = given ? given : own;
	g_autoptr(GArray) pids = NULL;
	g_autoptr(GArray) shm = NULL;
	g_autoptr(GHashTable) held = NULL;
	guint32 smaj = 0, smin = 0;
	gboolean has_shm_dev, holders_known;

	if (!fds || !(pids = mem_fds_pids(fds, error)))
		return FALSE;
	if (mem_fds_is_recorded(fds)) {
		GPtrArray *problems = mem_fds_problems(fds);
		for (guint i = 0; i < problems->len; i++)
			g_ptr_array_add(r->problems, g_strdup(g_ptr_array_index(problems, i)));
		/* no listing: orphans cannot be told, and held /dev/shm files only by their memfd-like name */
		mem_fds_shm_listed(fds, &r->shm_unlisted);
		r->some_pids = !mem_fds_all_pids(fds);
	}
	has_shm_dev = mem_fds_shm_dev(fds, &smaj, &smin);
	held = g_hash_table_new_full(objs_key_hash, objs_key_equal, g_free, NULL);
	for (guint i = 0; i < pids->len; i++) {
		guint32 pid = g_array_index(pids, guint32, i);
		g_autoptr(GError) err = NULL;
		g_autoptr(GArray) list = mem_fds_list(fds, pid, &err);

		if (!list) {
			if (!g_error_matches(err, MEM_ERROR, MEM_ERROR_VANISHED))
				r->n_hidden_errors++;
			continue;
		}
		for (guint j = 0; j < list->len; j++) {
			const MemFdEntry *e = &g_array_index(list, MemFdEntry, j);
			ObjKey k = { e->dev_major, e->dev_minor, e->inode };
			MemHiddenObject *h;
			if (!fd_is_shmem(e, has_shm_dev, smaj, smin) || objs_sharers_lookup(sharers, k.dev_major, k.dev_minor, k.inode))
				continue;
			h = g_hash_table_lookup(held, &k);
			if (!h) {
				h = hidden_new(r->hidden, MEM_HIDDEN_HELD);
				h->name = g_strndup(e->target, e->target_len);
				h->name_len = e->target_len;
				h->dev_major = e->dev_major;
				h->dev_minor = e->dev_minor;
				h->inode = e->inode;
				h->size = e->size;
				h->has_alloc = TRUE;
				h->alloc = e->blocks_bytes;
				g_hash_table_insert(held, g_memdup2(&k, sizeof k), h);
			}
			objs_add_pid(h->holders, pid);
		}
	}
	/* A process whose fds or maps could not be read (or a recording's unrecorded processes) may hold
	 * or map any of these files: then nobody known holding a /dev/shm file does not make it an orphan. */
	holders_known = r->n_hidden_errors == 0 && !(sharers && sharers->partial) && mem_fds_all_pids(fds);
	for (guint i = 0; i < r->hidden->len; i++) {
		MemHiddenObject *h = g_ptr_array_index(r->hidden, i);
		if (h->kind == MEM_HIDDEN_HELD)
			h->holders_known = holders_known;
	}
	if (!(shm = mem_fds_shm_files(fds, error)))
		return FALSE;
	for (guint i = 0; i < shm->len; i++) {
		const MemShmFile *s = &g_array_index(shm, MemShmFile, i);
		ObjKey k = { s->dev_major, s->dev_minor, s->inode };
		MemHiddenObject *h;
		if (g_hash_table_contains(held, &k) || objs_sharers_lookup(sharers, k.dev_major, k.dev_minor, k.inode))
			continue;
		h = hidden_new(r->hidden, holders_known ? MEM_HIDDEN_ORPHAN : MEM_HIDDEN_UNKNOWN);
		h->holders_known = holders_known;
		h->name = g_strconcat("/dev/shm/", s->name, NULL);
		h->name_len = strlen(h->name);
		h->dev_major = s->dev_major;
		h->dev_minor = s->dev_minor;
		h->inode = s->inode;
		h->size = s->size;
		h->has_alloc = TRUE;
		h->alloc = s->blocks_bytes;
	}
	r->hidden_live = TRUE;
	return TRUE;
}

static int compare_hidden(gconstpointer pa, gconstpointer pb, gpointer data)
{
	const MemHiddenObject *a = *(MemHiddenObject *const *)pa, *b = *(MemHiddenObject *const *)pb;
	const SortBy *s = data;
	guint64 x, y;
	int c;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	x = s->col == MEM_OCOL_SIZE ? a->size : a->alloc;
	y = s->col == MEM_OCOL_SIZE ? b->size : b->alloc;
	c = x > y ? -1 : x < y;
	if (s->reverse)
		c = -c;
	return c ? c : a->inode < b->inode ? -1 : a->inode > b->inode;
}

MemObjsReport *mem_objs_report_hidden(MemSourceKind kind, const char *path, const char *shm, gsize shm_len,
                                      MemObjsSharers *sharers, MemFds *fds, const MemObjsOptions *opts,
                                      GError **error)
{
	g_autoptr(MemObjsReport) r = objs_report_new(MEM_OBJS_HIDDEN, opts);
	SortBy sort = { r->sort, r->reverse };

	r->source_kind = kind;
	r->source_path = path;
	r->hidden = g_ptr_array_new_with_free_func(objs_hidden_free);
	if (shm) {
		g_autoptr(GArray) segs = mem_parse_sysvipc_shm(shm, shm_len, error);
		if (!segs)
			return NULL;
		for (guint i = 0; i < segs->len; i++) {
			const MemShmSegment *s = &g_array_index(segs, MemShmSegment, i);
			MemHiddenObject *h;
			if (s->nattch != 0)
				continue;
			h = hidden_new(r->hidden, MEM_HIDDEN_SYSV);
			h->name = g_strdup_printf("/SYSV%08x", (guint32)s->key);
			h->name_len = strlen(h->name);
			h->inode = s->shmid;
			h->key = s->key;
			h->size = s->size;
			h->has_alloc = h->has_swap = s->has_rss_swap;
			h->alloc = s->rss;
			h->swap = s->swap;
		}
	}
	if (sharers && (kind == MEM_SOURCE_LIVE || (fds && mem_fds_recorded_any(fds)))) {
		r->sharers_partial = sharers->partial;
		objs_note_more_unreadable(r, sharers->unreadable);
		for (guint i = 0; i < sharers->problems->len; i++)
			g_ptr_array_add(r->problems, g_strdup(g_ptr_array_index(sharers->problems, i)));
		if (!fds_hidden(r, sharers, kind == MEM_SOURCE_LIVE ? NULL : fds, error))
			return NULL;
	}
	g_ptr_array_sort_with_data(r->hidden, compare_hidden, &sort);
	return g_steal_pointer(&r);
}

void objs_hidden_free(gpointer data)
{
	MemHiddenObject *h = data;

	g_free(h->name);
	if (h->holders)
		g_array_unref(h->holders);
	g_free(h);
}
