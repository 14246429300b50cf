/* shm-sys.c: the second scan of memsys --explain: sysvipc/shm and the /dev/shm files with who maps or holds them (accounting layer) */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "error.h"
#include "explain-sys.h"
#include "parse.h"
#include "source-fds.h"

/* A file's identity: the device and inode that maps lines and fds show. */
typedef struct {
	guint32 major, minor;
	guint64 inode;
} FileKey;

/* How many processes map a file, counted once per process. */
typedef struct {
	guint32 last_pid;
	guint count;
} Mappers;

static guint key_hash(gconstpointer p)
{
	const FileKey *k = p;

	return (guint)(k->inode * 2654435761u) ^ (k->major << 20) ^ k->minor;
}

static gboolean key_equal(gconstpointer a, gconstpointer b)
{
	const FileKey *x = a, *y = b;

	return x->major == y->major && x->minor == y->minor && x->inode == y->inode;
}

typedef struct {
	MemSysExplainInput *in;
	MemFds *fds;          /* a recording's walk, filled by the scan (NULL live) */
	gboolean recorded;
	gboolean real;        /* the real /proc: a file that is not there belongs to a process that ended */
	GHashTable *mapped;   /* FileKey -> Mappers: every file some process maps */
	guint32 pid;          /* the process whose maps is being parsed */
	gboolean maps_partial; /* some process's maps could not be read */
} ReadCtx;

static gboolean on_map(const MemMapsLine *line, guint lineno, gpointer data, GError **error)
{
	ReadCtx *c = data;
	FileKey k = { line->dev_major, line->dev_minor, line->inode };
	Mappers *m;

	(void)lineno;
	(void)error;
	if (!line->inode)
		return TRUE; /* anonymous memory, the heap, the stack */
	if (!(m = g_hash_table_lookup(c->mapped, &k))) {
		m = g_new0(Mappers, 1);
		g_hash_table_insert(c->mapped, g_memdup2(&k, sizeof k), m);
	}
	if (m->last_pid != c->pid || !m->count) {
		m->last_pid = c->pid;
		m->count++;
	}
	return TRUE;
}

/* A process's maps that could not be read: it may map anything, unless it is gone (the real /proc)
 * or the recorder says it had none to give (a kernel thread's or an exited process's); a --proc-root
 * tree's missing maps is unknown. */
static gboolean maps_gone(const ReadCtx *c, const MemFile *f)
{
	if (f->err != ENOENT && f->err != ESRCH)
		return FALSE;
	return c->real || (c->recorded && f->from_manifest);
}

static gboolean on_file(const MemFile *f, gpointer data, GError **error)
{
	ReadCtx *c = data;
	MemSysExplainInput *in = c->in;

	if (c->fds && mem_fds_take(c->fds, f))
		return TRUE;
	if (f->pid && f->file == MEM_FILE_MAPS) {
		g_autoptr(GError) err = NULL;

		c->pid = f->pid;
		if (f->err) {
			c->maps_partial |= !maps_gone(c, f);
		} else if (!mem_parse_maps(f->data, f->len, on_map, c, &err)) {
			c->maps_partial = TRUE; /* a garbled or cut maps: what was read of it counts */
			if (c->recorded)
				g_ptr_array_add(in->problems, g_strdup_printf("%s: %s", mem_file_path(f), err->message));
		}
		return TRUE;
	}
	if (f->pid || f->err)
		return TRUE;
	if (f->file == MEM_FILE_SYSVIPC_SHM) {
		g_free(in->shm);
		in->shm = g_strndup(f->data, f->len);
		in->shm_len = f->len;
	}
	return TRUE;
}

/* Who holds each file open: FileKey -> guint holder count; *all FALSE when some process's fds could not be
 * read (or a recording holds only some processes). */
static GHashTable *holders(MemFds *fds, gboolean real, gboolean *all, GError **error)
{
	g_autoptr(GHashTable) held = g_hash_table_new_full(key_hash, key_equal, g_free, g_free);
	g_autoptr(GArray) pids = mem_fds_pids(fds, error);

	if (!pids)
		return NULL;
	*all = mem_fds_all_pids(fds);
	for (guint i = 0; i < pids->len; i++) {
		guint32 pid = g_array_index(pids, guint32, i);
		g_autoptr(GError) err = NULL;
		g_autoptr(GArray) list = mem_fds_list(fds, pid, &err);
		g_autoptr(GHashTable) mine = NULL;

		if (!list) {
			/* gone from the real /proc: held nothing; else (a --proc-root tree without fd
			 * directories, a recording without fds) unknown */
			*all &= real && g_error_matches(err, MEM_ERROR, MEM_ERROR_VANISHED);
			continue;
		}
		mine = g_hash_table_new(key_hash, key_equal);
		for (guint j = 0; j < list->len; j++) {
			const MemFdEntry *e = &g_array_index(list, MemFdEntry, j);
			FileKey k = { e->dev_major, e->dev_minor, e->inode }, *stored;
			guint *n;

			if (!e->has_stat || g_hash_table_contains(mine, &k))
				continue; /* a process holding a file twice holds it once */
			if (!g_hash_table_lookup_extended(held, &k, (gpointer *)&stored, (gpointer *)&n)) {
				stored = g_memdup2(&k, sizeof k);
				n = g_new0(guint, 1);
				g_hash_table_insert(held, stored, n);
			}
			(*n)++;
			g_hash_table_add(mine, stored);
		}
	}
	return g_steal_pointer(&held);
}

static gint compare_files(gconstpointer pa, gconstpointer pb)
{
	const MemSysShmFile *a = pa, *b = pb;

	if (a->alloc != b->alloc)
		return a->alloc > b->alloc ? -1 : 1;
	return strcmp(a->name, b->name);
}

static void shm_file_clear(gpointer data)
{
	g_free(((MemSysShmFile *)data)->name);
}

/* The /dev/shm listing with each file's mappers and holders. */
static gboolean list_files(ReadCtx *c, MemFds *fds, GError **error)
{
	MemSysExplainInput *in = c->in;
	g_autoptr(GHashTable) held = NULL;
	g_autoptr(GArray) files = NULL;
	const char *reason;
	gboolean held_all = TRUE;
	guint32 major, minor;

	if (!c->recorded && !mem_fds_shm_dev(fds, &major, &minor)) {
		/* live without the directory (--proc-root DIR without DIR/../dev/shm): nothing to say */
		in->shm_files_note = g_strdup("/dev/shm not listed: no such directory");
		return TRUE;
	}
	if (c->recorded) {
		GPtrArray *problems = mem_fds_problems(fds);

		for (guint i = 0; i < problems->len; i++)
			g_ptr_array_add(in->problems, g_strdup(g_ptr_array_index(problems, i)));
		if (!mem_fds_shm_listed(fds, &reason)) {
			in->shm_files_note = g_strdup_printf("/dev/shm not listed: %s", reason);
			return TRUE;
		}
	}
	if (!(held = holders(fds, c->real, &held_all, error)) || !(files = mem_fds_shm_files(fds, error)))
		return FALSE;
	in->shm_files = g_array_sized_new(FALSE, TRUE, sizeof(MemSysShmFile), files->len);
	g_array_set_clear_func(in->shm_files, shm_file_clear);
	for (guint i = 0; i < files->len; i++) {
		const MemShmFile *s = &g_array_index(files, MemShmFile, i);
		FileKey k = { s->dev_major, s->dev_minor, s->inode };
		const Mappers *m = g_hash_table_lookup(c->mapped, &k);
		MemSysShmFile f = {
			.name = g_strdup(s->name),
			.size = s->size,
			.alloc = s->blocks_bytes,
			.mappers = m ? m->count : 0,
			.holders = g_hash_table_contains(held, &k) ? *(guint *)g_hash_table_lookup(held, &k) : 0,
			.mappers_all = !c->maps_partial && mem_fds_all_pids(fds),
			.holders_all = held_all,
		};

		g_array_append_val(in->shm_files, f);
	}
	g_array_sort(in->shm_files, compare_files);
	if (!mem_fds_all_pids(fds))
		in->shm_files_note = g_strdup("the recording holds some processes only: a file nobody is seen mapping or "
		                              "holding may be mapped or held by another");
	else if (c->maps_partial || !held_all)
		in->shm_files_note = g_strdup("some processes could not be read: a file nobody is seen mapping or holding may "
		                              "be mapped or held by one of them");
	return TRUE;
}

gboolean mem_sys_explain_read(MemSource *src, gboolean once, MemSysExplainInput *in, GError **error)
{
	g_autoptr(MemFds) fds = NULL;
	g_autoptr(GHashTable) mapped = g_hash_table_new_full(key_hash, key_equal, g_free, g_free);
	ReadCtx c = { in, NULL, mem_source_kind(src) != MEM_SOURCE_LIVE, mem_source_is_live_proc(src), mapped, 0, FALSE };
	guint32 want = MEM_FILE_SYSVIPC_SHM | MEM_FILE_MAPS;

	memset(in, 0, sizeof *in);
	in->problems = g_ptr_array_new_with_free_func(g_free);
	if (once) {
		in->shm_files_note = g_strdup("/dev/shm not listed: a tar on standard input is read once");
		return TRUE;
	}
	if (!(fds = mem_source_fds_open(src, error)))
		return FALSE;
	if (c.recorded) {
		c.fds = fds;
		want |= mem_fds_wanted(fds);
	}
	if (!mem_source_scan(src, want, 0, NULL, 0, on_file, &c, error))
		return FALSE;
	return list_files(&c, fds, error);
}

void mem_sys_explain_input_clear(MemSysExplainInput *in)
{
	g_clear_pointer(&in->shm, g_free);
	g_clear_pointer(&in->shm_files, g_array_unref);
	g_clear_pointer(&in->shm_files_note, g_free);
	g_clear_pointer(&in->problems, g_ptr_array_unref);
}
