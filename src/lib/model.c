/* model.c: builds MemSnapshot from a proc source by merging each file into its process (model layer) */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <unistd.h>
#include <string.h>

#include "error.h"
#include "model.h"
#include "parse-util.h"
#include "parse.h"

/* What the loader learnt about one process, before its state is decided. */
typedef struct {
	MemProcess p;
	MemCounters mem;      /* smaps_rollup figures, else the sum over smaps (packed into p when released) */
	/* per-file outcome: 0 read and parsed, else the errno (or -1: garbled) */
	int stat_err, status_err, rollup_err, smaps_err, cgroup_err;
	gboolean have_stat, have_status, have_rollup, have_smaps, smaps_empty;
	gboolean rollup_manifest, smaps_manifest, stat_manifest; /* that error is the recorder's word */
	gboolean truncated;
	gboolean skipped;     /* resident above the bound: not walked, figures ignored */
	guint64 stat_flags;
	gboolean status_kthread;
	gboolean has_status_uid, has_owner;
	guint32 owner_uid;
	const char *status_name; /* interned in the snapshot */
	gint64 status_ppid;
	gboolean has_status_vss;
	guint64 status_vss;
	guint32 seen;         /* MemFileId bits delivered so far (a second one is a duplicate) */
	gboolean has_smaps_size;
	guint64 smaps_size;   /* Σ smaps Size: the VSS of last resort */
	gboolean finished;    /* its state is decided (and its mappings handed over) */
	gboolean remapped;    /* live: a record superseded mappings already handed over in a batch */
	gboolean handed_void; /* a tar: the recorder's manifest voided smaps after its batches went */
	gboolean live;        /* from a live source (--proc-root included): ENOENT means it went */
} Loading;

G_STATIC_ASSERT(G_STRUCT_OFFSET(Loading, p) == 0); /* a Loading* is its MemProcess* */

/* What one reading thread builds (MEM_SCAN_THREADS): every pid's files come on one thread. */
typedef struct {
	GHashTable *by_pid;   /* pid -> Loading* (in-order sources: only at the end, for the last one) */
	Loading *spare_loading; /* a released Loading, reused for the next process */
	GStringChunk *strings; /* names and job paths this thread interned (the snapshot keeps them) */
	Loading *current;     /* in-order sources: the process whose files are coming */
	GArray *spare;        /* with a mappings function: a handed-over process's array, emptied for the next */
	Loading *handed;      /* the process whose first batches went to the mappings function (its DONE or
	                       * DROP is owed); NULL when none.  A tar's stays until the end of the stream
	                       * (a later member can still change its verdict): one process at a time is
	                       * batched there, the first big one; the others are kept whole as before. */
	GArray *values;       /* guint64: the packed counters of the mappings being parsed (MemMapping.cv) */
	GPtrArray *done;      /* in-order sources: MemProcess* released as soon as their files are all in */
	GString *cgroup;      /* the last cgroup file parsed whole, and what it gave: the next process is */
	const char *cgroup_job; /* mostly in the same cgroup, and a byte compare is ~20x cheaper than */
	MemJobHierarchy cgroup_hierarchy; /* parsing and interning the path again */
} LoaderThread;

typedef struct {
	MemSnapshot *snap;
	LoaderThread threads[MEM_SCAN_MAX_THREADS];
	gboolean mappings;    /* keep per-mapping records */
	guint64 max_rss;      /* MemLoadOptions.max_rss */
	gboolean details;     /* ... with their VmFlags and unknown fields */
	guint32 fields;       /* MemLoadOptions.fields (MEM_FIELDS_ALL when it is 0) */
	guint32 map_fields;   /* MemLoadOptions.map_fields (MEM_FIELDS_ALL when it is 0) */
	guint64 page_size;    /* live: this machine's (stat counts pages) */
	gboolean in_order;    /* live and directory sources: a pid is complete when the next one begins */
	MemMappingsFunc mappings_func;
	gpointer mappings_data;
	pthread_mutex_t lock; /* snap->problems */
} Loader;

#define MAX_KEPT_PROBLEMS 100

static void process_free(gpointer data)
{
	MemProcess *p = data;

	if (p->cmdline)
		g_ptr_array_unref(p->cmdline);
	if (p->maps)
		g_array_unref(p->maps);
	g_free(p->map_values);
	g_free(p);
}

void mem_process_pack_counters(MemProcess *p, const MemCounters *c, guint32 fields, guint64 *values)
{
	guint64 *dst = values;

	p->mem_known = c->known & fields;
	p->mem_read = c->known;
	for (guint32 rest = p->mem_known; rest; rest &= rest - 1)
		*dst++ = c->v[__builtin_ctz(rest)];
	p->mem_values = p->mem_known ? values : NULL;
}

void mem_process_counters(const MemProcess *p, MemCounters *out)
{
	const guint64 *src = p->mem_values;

	memset(out, 0, sizeof *out);
	out->known = p->mem_known;
	for (guint32 rest = p->mem_known; rest; rest &= rest - 1)
		out->v[__builtin_ctz(rest)] = *src++;
}

gboolean mem_process_value(const MemProcess *p, MemField f, guint64 *v)
{
	if (!(p->mem_known & MEM_FIELD_BIT(f)))
		return FALSE;
	*v = p->mem_values[__builtin_popcount(p->mem_known & (MEM_FIELD_BIT(f) - 1))];
	return TRUE;
}

/* Drops what only the loader needed: the record that stays is the MemProcess with the figures asked for
 * packed behind it (~170 bytes for memps's default columns instead of the loader's ~500).  The figures
 * of a process without them (not OK) are not kept. */
static MemProcess *loading_release(Loader *ld, LoaderThread *t, Loading *l)
{
	guint32 keep = l->p.state == MEM_PROC_OK ? l->mem.known & ld->fields : 0;
	MemProcess *p = g_malloc(sizeof(MemProcess) + (gsize)__builtin_popcount(keep) * sizeof(guint64));

	*p = l->p;
	mem_process_pack_counters(p, &l->mem, keep, (guint64 *)(p + 1));
	p->mem_read = l->p.state == MEM_PROC_OK ? l->mem.known : 0;
	if (!t->spare_loading)
		t->spare_loading = l;
	else
		g_free(l);
	return p;
}

/* The Loading of pid: a new one, or (not in order: a tar's files of one pid may come apart) the one
 * its earlier files made.  In order, a pid's files come together: no table is needed. */
static Loading *loader_get(LoaderThread *t, guint32 pid, gboolean in_order)
{
	Loading *l = in_order ? NULL : g_hash_table_lookup(t->by_pid, GUINT_TO_POINTER(pid));
	if (!l) {
		l = t->spare_loading ? t->spare_loading : g_new(Loading, 1);
		t->spare_loading = NULL;
		memset(l, 0, sizeof *l);
		l->p.pid = pid;
		l->p.ppid = -1;
		l->p.tgid = -1;
		l->status_ppid = -1;
		if (!in_order)
			g_hash_table_insert(t->by_pid, GUINT_TO_POINTER(pid), l);
	}
	return l;
}

static void add_problem_text(Loader *ld, const char *path, const char *text)
{
	MemSnapshot *snap = ld->snap;

	pthread_mutex_lock(&ld->lock);
	snap->n_problems++;
	if (snap->problems->len < MAX_KEPT_PROBLEMS)
		g_ptr_array_add(snap->problems, g_strdup_printf("%s: %s", path, text));
	pthread_mutex_unlock(&ld->lock);
}

static void add_problem(Loader *ld, const char *path, const GError *err)
{
	add_problem_text(ld, path, err->message);
}

/* Errors that a recording cannot legitimately hold: a symbolic link (refused, it could lead out of
 * the snapshot), a directory, device or FIFO where a file belongs, a file above the size bound. */
static gboolean is_bad_input_errno(int e)
{
	return e == ELOOP || e == EXDEV || e == EISDIR || e == ENOTDIR || e == EINVAL || e == EFBIG;
}

/* A garbled file: in a snapshot it is bad input; in a live read a cut record means the process exited. */
static void file_failed(Loader *ld, Loading *l, const MemFile *f, const GError *err)
{
	if (ld->snap->live && g_error_matches(err, MEM_ERROR, MEM_ERROR_TRUNCATED)) {
		l->truncated = TRUE;
		return;
	}
	l->p.malformed = TRUE;
	add_problem(ld, mem_file_path(f), err);
}

static gboolean is_gone_errno(int e)
{
	return e == ENOENT || e == ESRCH;
}

/* A file that could not be read (f->err): what it says about the process. */
const char *mem_snapshot_bad_input_reason(int err)
{
	if (!is_bad_input_errno(err))
		return NULL;
	return err == ELOOP ? "symbolic link refused (it could lead out of the snapshot)"
	       : err == EFBIG ? "file too large"
	                      : "not a regular file";
}

static void note_file_error(Loader *ld, Loading *l, const MemFile *f)
{
	/* (a recorder's manifest saying "EFBIG" is its reason, not a file of ours to refuse) */
	if (!ld->snap->live && !f->from_manifest && is_bad_input_errno(f->err)) {
		add_problem_text(ld, mem_file_path(f), mem_snapshot_bad_input_reason(f->err));
		l->p.malformed = TRUE;
	}
	switch (f->file) {
	case MEM_FILE_STAT:
		l->stat_err = f->err;
		l->stat_manifest = f->from_manifest;
		break;
	case MEM_FILE_STATUS: l->status_err = f->err; break;
	case MEM_FILE_SMAPS_ROLLUP:
		l->rollup_err = f->err;
		l->rollup_manifest = f->from_manifest;
		break;
	case MEM_FILE_SMAPS:
		l->smaps_err = f->err;
		l->smaps_manifest = f->from_manifest;
		/* live, the process went while its mappings were read: whatever the rollup said, it vanished */
		if (ld->snap->live && ld->mappings && is_gone_errno(f->err))
			l->truncated = TRUE;
		break;
	case MEM_FILE_CGROUP: l->cgroup_err = f->err; break;
	default: break;
	}
}

/* The errno behind a failed read reported through a stream's more(), or 0 for garbled content. */
static int read_errno(const GError *err)
{
	if (err->domain != MEM_ERROR)
		return 0;
	switch (err->code) {
	case MEM_ERROR_VANISHED: return ESRCH;
	case MEM_ERROR_PERMISSION: return EACCES;
	case MEM_ERROR_TOO_LARGE: return EFBIG;
	case MEM_ERROR_IO: return EIO;
	default: return 0;
	}
}

/* Handing a process's mappings over in batches while its smaps is parsed (a mappings function, a source
 * that delivers the files of a pid together). */
typedef struct {
	Loader *ld;
	LoaderThread *t;
	guint thread;
	Loading *l;
	guint n;              /* mappings handed over */
	guint64 end;          /* the end of the last one */
	MemCounters sum;      /* Σ of their counters */
} Batches;

typedef struct {
	GStringChunk *strings;
	MemCounters *sum;
	GArray *maps;         /* NULL: sums only */
	GArray *values;       /* with maps: their packed counters, in mapping order */
	gboolean details;     /* keep VmFlags and unknown fields */
	guint32 keep;         /* the MemField bits of each mapping's counters to keep */
	gboolean live;        /* a live read: a record overlapping the ones before is newer than they are */
	gboolean repaired;    /* some older records were dropped for a newer one (sum to recompute) */
	guint n;              /* mappings seen */
	const char *last_name; /* the previous mapping's interned name: the mappings of one file come together */
	gsize last_len;
	gboolean vmflags;     /* a record had VmFlags */
	Batches *batches;     /* NULL: every mapping stays in maps */
	gboolean lost;        /* live: a record superseded mappings already handed over */
	/* sums only (add_vma): the last record's range and the sum before it */
	guint64 last_start, last_end;
	MemCounters before_last;
} VmaSink;

/* The sums-only path (memps): a record must start at or after the end of the one before it.  Live, a
 * record that overlaps only the last one is the process as it is now (drop_superseded's case): the
 * last one's figures are taken out again; one that reaches further back has no consistent view
 * (lost, as when batches went).  In a recording an overlap is bad input: counted twice it would
 * inflate every sum (smem keeps one record per start address; memobjs refuses overlaps). */
static gboolean add_vma(const MemVma *vma, gpointer user_data, GError **error)
{
	VmaSink *k = user_data;

	if (k->n > 0 && vma->map.start < k->last_end) {
		if (!k->live) {
			mem_parse_fail(error, MEM_ERROR_PARSE, vma->line,
			               "mapping %" G_GINT64_MODIFIER "x-%" G_GINT64_MODIFIER
			               "x overlaps the one before it, which ends at %" G_GINT64_MODIFIER "x",
			               vma->map.start, vma->map.end, k->last_end);
			return FALSE;
		}
		if (vma->map.start < k->last_start)
			k->lost = TRUE;
		else
			*k->sum = k->before_last;
		k->repaired = TRUE;
	} else {
		k->n++;
	}
	k->before_last = *k->sum;
	k->last_start = vma->map.start;
	k->last_end = vma->map.end;
	mem_counters_add(k->sum, &vma->c);
	return TRUE;
}

/* Interns a name (names repeat across mappings and processes: libc, ...). */
static const char *intern_len(GStringChunk *strings, const char *s, gsize len)
{
	if (memchr(s, '\0', len))
		return g_string_chunk_insert_len(strings, s, (gssize)len);
	{
		char stackbuf[256];
		g_autofree char *heap = len < sizeof stackbuf ? NULL : g_strndup(s, len);
		char *tmp = heap ? heap : stackbuf;
		if (!heap) {
			memcpy(stackbuf, s, len);
			stackbuf[len] = '\0';
		}
		return g_string_chunk_insert_const(strings, tmp);
	}
}

/* `interned`: the name, interned already (NULL: intern it). */
static void mapping_from_line(GStringChunk *strings, const char *interned, MemMapping *m, const MemMapsLine *l)
{
	memset(m, 0, sizeof *m);
	m->start = l->start;
	m->end = l->end;
	m->offset = l->offset;
	m->inode = l->inode;
	m->dev_major = l->dev_major;
	m->dev_minor = l->dev_minor;
	memcpy(m->perms, l->perms, sizeof m->perms);
	m->kind = mem_map_classify(l);
	m->name = interned ? interned : intern_len(strings, l->name, l->name_len);
	m->name_len = (guint32)l->name_len; /* a line is bounded far below 4 GiB (256 MiB per file) */
}

/* A live smaps is read in several read() calls; when the process merges or moves mappings meanwhile,
 * the kernel resumes at the address it had reached and prints the mapping now there, which may start
 * before the end of one printed already (two merged into one: [a,c) then [a,d)).  The newer record is
 * the process as it is: the older ones it overlaps are dropped (in a snapshot an overlap is bad input,
 * which the reports check). */
static void drop_superseded(VmaSink *k, guint64 start)
{
	while (k->maps->len) {
		MemMapping *last = &g_array_index(k->maps, MemMapping, k->maps->len - 1);

		if (last->end <= start)
			break;
		g_array_set_size(k->values, k->values->len - (guint)__builtin_popcount(last->known));
		g_array_set_size(k->maps, k->maps->len - 1); /* the clear func frees its VmFlags and fields */
		k->last_name = NULL;
		k->repaired = TRUE;
	}
	if (!k->maps->len && k->batches && k->batches->n && start < k->batches->end)
		k->lost = TRUE; /* the older records are gone to the mappings function: cannot be undone */
}

/* Points each mapping's cv at its values in `values` (the fields in `known`, in mapping order). */
static void point_values(GArray *maps, const guint64 *values)
{
	for (guint i = 0; i < maps->len; i++) {
		MemMapping *m = &g_array_index(maps, MemMapping, i);

		m->cv = m->known ? values : NULL;
		values += __builtin_popcount(m->known);
	}
}

/* Hands the mappings parsed so far to the mappings function as a MORE batch and empties the arrays. */
static void hand_batch(VmaSink *k)
{
	Batches *b = k->batches;
	const MemMapping *maps = (const MemMapping *)(gconstpointer)k->maps->data;

	point_values(k->maps, (const guint64 *)(gconstpointer)k->values->data);
	if (!k->repaired)
		b->sum = *k->sum; /* every record read so far is handed over: their sum is the running one */
	else
		for (guint i = 0; i < k->maps->len; i++)
			mem_counters_add_mapping(&b->sum, &maps[i]);
	b->n += k->maps->len;
	b->end = maps[k->maps->len - 1].end;
	b->t->handed = b->l;
	b->ld->mappings_func(b->thread, b->l->p.pid, maps, k->maps->len, MEM_MAPPINGS_MORE, b->ld->mappings_data);
	g_array_set_size(k->maps, 0);
	g_array_set_size(k->values, 0);
}

static gboolean keep_vma(const MemVma *vma, gpointer user_data, GError **error)
{
	VmaSink *k = user_data;
	MemMapping m;

	mem_counters_add(k->sum, &vma->c);
	k->n++;
	if (k->last_name && vma->map.name_len == k->last_len && memcmp(vma->map.name, k->last_name, k->last_len) == 0) {
		mapping_from_line(k->strings, k->last_name, &m, &vma->map);
	} else {
		mapping_from_line(k->strings, NULL, &m, &vma->map);
		k->last_name = m.name;
		k->last_len = m.name_len;
	}
	if (k->live)
		drop_superseded(k, vma->map.start);
	if (k->lost)
		return TRUE; /* the process is dropped: what comes after does not matter */
	m.known = vma->c.known & k->keep;
	if (m.known) {
		/* one growth per mapping, not one append call per field (25 of them in a 6.x smaps) */
		guint at = k->values->len;
		guint64 *dst;

		g_array_set_size(k->values, at + (guint)__builtin_popcount(m.known));
		dst = &g_array_index(k->values, guint64, at);
		for (guint32 rest = m.known; rest; rest &= rest - 1)
			*dst++ = vma->c.v[__builtin_ctz(rest)];
	}
	m.line = vma->line;
	if (vma->vmflags) {
		m.kind = mem_map_classify_flags(m.kind, vma->vmflags, vma->vmflags_len);
		k->vmflags = TRUE;
	}
	if (k->details && (vma->vmflags || vma->n_extra)) {
		m.details = mem_map_details_new(vma->vmflags, vma->vmflags_len, vma->n_extra);
		for (guint i = 0; i < vma->n_extra; i++) {
			m.details->extra[i].key = intern_len(k->strings, vma->extra[i].key, vma->extra[i].key_len);
			m.details->extra[i].value = g_strndup(vma->extra[i].value, vma->extra[i].value_len);
		}
	}
	g_array_append_val(k->maps, m);
	if (k->batches && k->maps->len >= MEM_MAPPINGS_BATCH && !k->lost)
		hand_batch(k);
	return TRUE;
}

char *mem_kernel_release(const char *data, gsize len)
{
	/* "Linux version 6.1.0-13-amd64 (...) ..." -> "6.1.0-13-amd64" */
	static const char prefix[] = "Linux version ";
	const char *p = data, *end = data + len, *q;

	if (len > sizeof prefix - 1 && memcmp(data, prefix, sizeof prefix - 1) == 0)
		p += sizeof prefix - 1;
	for (q = p; q < end && *q != ' ' && *q != '\n' && *q != '\0'; q++)
		;
	return q > p ? g_strndup(p, (gsize)(q - p)) : NULL;
}

static gboolean on_top_file(Loader *ld, const MemFile *f)
{
	MemSnapshot *snap = ld->snap;
	g_autoptr(GError) err = NULL;

	if (f->err)
		return TRUE;
	switch (f->file) {
	case MEM_FILE_VERSION:
		g_free(snap->kernel);
		snap->kernel = mem_kernel_release(f->data, f->len);
		break;
	case MEM_FILE_MEMINFO:
		if (snap->meminfo)
			g_array_unref(snap->meminfo);
		snap->meminfo = mem_parse_meminfo(f->data, f->len, &err);
		if (!snap->meminfo)
			add_problem(ld, mem_file_path(f), err);
		break;
	case MEM_FILE_ZRAM:
		g_clear_pointer(&snap->zram, g_free);
		snap->zram = g_new0(MemZram, 1);
		if (!mem_parse_zram(f->data, f->len, snap->zram, &err)) {
			g_clear_pointer(&snap->zram, g_free);
			add_problem(ld, mem_file_path(f), err);
		}
		break;
	case MEM_FILE_MEMCAP_INFO:
		if (snap->live)
			break;
		if (!snap->recorded)
			snap->recorded = g_new0(MemRecInfo, 1);
		else
			mem_rec_info_clear(snap->recorded);
		if (!mem_parse_memcap_info(f->data, f->len, snap->recorded, &err)) {
			g_clear_pointer(&snap->recorded, g_free);
			add_problem(ld, mem_file_path(f), err);
		}
		break;
	case MEM_FILE_PASSWD:
		if (!snap->users)
			snap->users = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
		mem_parse_passwd(f->data, f->len, snap->users);
		break;
	default:
		break;
	}
	return TRUE;
}

/* --max-rss: a process resident above the bound is not walked.  Its smaps_rollup, smaps and maps are
 * not read when the source can skip them (live, directory), and ignored when it cannot (a tar). */
static void check_resident(Loader *ld, Loading *l, const MemFile *f, guint64 resident)
{
	if (!ld->max_rss || resident <= ld->max_rss)
		return;
	l->skipped = TRUE;
	if (f->skip)
		*f->skip |= MEM_FILE_SMAPS_ROLLUP | MEM_FILE_SMAPS; /* maps needs no page walk: still read */
}

static void on_stat(Loader *ld, LoaderThread *t, Loading *l, const MemFile *f)
{
	MemStat st;
	g_autoptr(GError) err = NULL;

	/* The kernel never writes an empty stat: in a recording it is a file the recorder could not read
	 * (smemcap writes every failed open, such as a process that exited meanwhile, as 0 bytes). */
	if (f->len == 0 && !ld->snap->live) {
		l->stat_err = ENOENT;
		return;
	}
	if (!mem_parse_stat(f->data, f->len, &st, &err)) {
		l->stat_err = -1;
		file_failed(ld, l, f, err);
		return;
	}
	l->have_stat = TRUE;
	/* interned: one copy of "bash" for all the shells, and no allocation per process */
	l->p.name = (char *)intern_len(t->strings, st.comm, st.comm_len);
	l->p.ppid = st.ppid;
	l->p.stat_state = st.state;
	if (st.has_flags) {
		l->stat_flags = st.flags;
		l->p.has_vss = TRUE;
		l->p.vss = st.vsize;
		l->p.has_start_time = TRUE;
		l->p.start_time = st.starttime;
		if (st.rss_pages >= 0 && !l->p.has_status_rss) {
			/* stat counts pages; the page size of the recorded machine is unknown in a snapshot,
			 * so this is used only as a live fallback for status VmRSS. */
			if (ld->snap->live) {
				l->p.has_status_rss = TRUE;
				l->p.status_rss = (guint64)st.rss_pages * ld->page_size;
				check_resident(ld, l, f, l->p.status_rss);
			}
		}
	}
}

static void on_status(Loader *ld, LoaderThread *t, Loading *l, const MemFile *f)
{
	MemStatus s;
	g_autoptr(GError) err = NULL;

	if (!mem_parse_status(f->data, f->len, &s, &err)) {
		l->status_err = -1;
		file_failed(ld, l, f, err);
		return;
	}
	l->have_status = TRUE;
	if (s.known & MEM_STATUS_NAME) {
		l->status_name = intern_len(t->strings, s.name, s.name_len);
	}
	if (s.known & MEM_STATUS_UID) {
		l->has_status_uid = TRUE;
		l->p.has_uid = TRUE;
		l->p.uid = s.uid_real;
	}
	if (s.known & MEM_STATUS_PPID)
		l->status_ppid = s.ppid;
	if (s.known & MEM_STATUS_TGID)
		l->p.tgid = s.tgid;
	if (s.known & MEM_STATUS_VM_RSS) {
		l->p.has_status_rss = TRUE;
		l->p.status_rss = s.vm_rss;
		check_resident(ld, l, f, s.vm_rss);
	}
	if (s.known & MEM_STATUS_VM_SIZE) {
		l->has_status_vss = TRUE;
		l->status_vss = s.vm_size;
	}
	if ((s.known & MEM_STATUS_KTHREAD) && s.kthread)
		l->status_kthread = TRUE;
	if ((s.known & MEM_STATUS_STATE) && !l->p.stat_state)
		l->p.stat_state = s.state;
}

static void take_values(LoaderThread *t, MemProcess *p);

static void on_memory_file(Loader *ld, LoaderThread *t, Loading *l, const MemFile *f)
{
	g_autoptr(GError) err = NULL;

	if (f->file == MEM_FILE_SMAPS_ROLLUP) {
		MemCounters c = { 0 };
		if (!mem_parse_smaps_rollup(f->data, f->len, &c, &err)) {
			l->rollup_err = -1;
			file_failed(ld, l, f, err);
			return;
		}
		/* The rollup wins over smaps whatever the order the files came in. */
		l->have_rollup = TRUE;
		l->mem = c;
	} else {
		MemCounters sum = { 0 };
		/* With a mappings function the arrays come back after each process: one grown to the
		 * biggest process's size (at most a batch) is reused instead of fresh memory for every process. */
		g_autoptr(GArray) maps = !ld->mappings ? NULL : t->spare ? g_steal_pointer(&t->spare) : mem_mappings_new();
		/* Batches while parsing, for one undecided process at a time (a tar's pid is decided at its end,
		 * so there the first batched process holds the place until then) */
		Batches batches = { ld, t, (guint)(t - ld->threads), l, 0, 0, { { 0 }, 0 } };
		gboolean batching = maps && ld->mappings_func && !l->p.maps && t->handed == NULL;
		g_array_set_size(t->values, 0); /* what a failed parse left */
		VmaSink sink = { .strings = t->strings, .sum = &sum, .maps = maps, .values = t->values,
		                 .details = ld->details, .keep = ld->map_fields, .live = ld->snap->live,
		                 .batches = batching ? &batches : NULL };
		if (!mem_parse_smaps_more(f->data, f->len, f->more, f->more_data, maps ? keep_vma : add_vma, &sink,
		                          &err)) {
			int e = read_errno(err);
			if (e && f->more) {
				/* Read while parsed: a failed read is the file's error, not garbled content. */
				MemFile g = *f;
				g.err = e;
				note_file_error(ld, l, &g);
				return;
			}
			l->smaps_err = -1;
			file_failed(ld, l, f, err);
			return;
		}
		if (sink.lost)
			l->remapped = TRUE;
		if (maps) {
			if (l->p.maps)
				g_array_unref(l->p.maps);
			l->p.maps = g_steal_pointer(&maps);
			l->p.maps_from_smaps = TRUE;
			l->p.smaps_vmflags = sink.vmflags;
			take_values(t, &l->p);
			if (sink.repaired) {
				/* the sum over the mappings kept (handed over or not), not over every record read */
				sum = batches.sum;
				for (guint i = 0; i < l->p.maps->len; i++)
					mem_counters_add_mapping(&sum, &g_array_index(l->p.maps, MemMapping, i));
				sink.n = batches.n + l->p.maps->len;
			}
		}
		l->have_smaps = TRUE;
		l->smaps_empty = sink.n == 0;
		if (mem_counters_has(&sum, MEM_F_SIZE)) {
			l->has_smaps_size = TRUE;
			l->smaps_size = sum.v[MEM_F_SIZE];
		}
		if (!l->have_rollup)
			l->mem = sum;
	}
}

/* Gives the process its mappings' packed counters (one block of the exact size) and points each mapping
 * at its own; the thread's buffer is emptied for the next process. */
static void take_values(LoaderThread *t, MemProcess *p)
{
	guint64 *base;

	g_free(p->map_values);
	if (t->values->len > (1u << 12)) {
		/* a big process (over 32 KiB of values): take the buffer itself (shrinking it moves no bytes),
		 * not a copy of it in fresh pages (5225 mappings: 1 MB copied and 256 page faults) */
		gsize len = 0;
		guint64 *data = (guint64 *)(gpointer)g_array_steal(t->values, &len);

		g_array_unref(t->values);
		t->values = g_array_new(FALSE, FALSE, sizeof(guint64));
		base = g_realloc(data, len * sizeof(guint64));
	} else
		base = t->values->len ? g_memdup2(t->values->data, t->values->len * sizeof(guint64)) : NULL;
	p->map_values = base;
	point_values(p->maps, base);
	g_array_set_size(t->values, 0);
}

/* maps: addresses and names only, kept when smaps did not give the mappings (memobjs counts the
 * sharers of every object from everyone's maps, which is far cheaper to read than smaps). */
typedef struct {
	GStringChunk *strings;
	GArray *maps;
} MapsSink;

static gboolean keep_maps_line(const MemMapsLine *line, guint lineno, gpointer user_data, GError **error)
{
	MapsSink *k = user_data;
	MemMapping m;

	(void)error;
	mapping_from_line(k->strings, NULL, &m, line);
	m.line = lineno;
	g_array_append_val(k->maps, m);
	return TRUE;
}

static void on_maps(Loader *ld, LoaderThread *t, Loading *l, const MemFile *f)
{
	g_autoptr(GArray) maps = mem_mappings_new();
	g_autoptr(GError) err = NULL;
	MapsSink sink = { t->strings, maps };

	if (!ld->mappings || l->p.maps_from_smaps)
		return;
	if (!mem_parse_maps(f->data, f->len, keep_maps_line, &sink, &err)) {
		file_failed(ld, l, f, err);
		return;
	}
	if (l->p.maps)
		g_array_unref(l->p.maps);
	l->p.maps = g_steal_pointer(&maps);
}

static void loading_done(Loader *ld, guint thread, Loading *l);

/* Forgets what a memory file gave (its manifest line came after it: the content may be a cut read). */
static void void_memory_file(LoaderThread *t, Loading *l, MemFileId file)
{
	if (file == MEM_FILE_SMAPS_ROLLUP && l->have_smaps) {
		/* p->mem may hold the rollup's figures over the smaps sum: both are voided, never mixed */
		l->have_rollup = FALSE;
		void_memory_file(t, l, MEM_FILE_SMAPS);
	} else if (file == MEM_FILE_SMAPS_ROLLUP) {
		l->have_rollup = FALSE;
	} else if (file == MEM_FILE_SMAPS) {
		if (t->handed == l)
			l->handed_void = TRUE; /* the batches given count for nothing: dropped at the end */
		l->have_smaps = FALSE;
		l->smaps_empty = FALSE;
		l->has_smaps_size = FALSE;
		if (l->p.maps && l->p.maps_from_smaps)
			g_array_set_size(l->p.maps, 0);
	}
}

static gboolean on_file(const MemFile *f, gpointer user_data, GError **error)
{
	Loader *ld = user_data;
	LoaderThread *t = &ld->threads[f->thread < MEM_SCAN_MAX_THREADS ? f->thread : 0];
	Loading *l;

	if (f->pid == 0)
		return on_top_file(ld, f);

	if (ld->in_order && t->current && t->current->p.pid != f->pid) {
		/* The files of the last pid are all in: decide it now, so that its mappings can go, and keep
		 * only its record (the next pid's Loading takes the memory of this one). */
		loading_done(ld, f->thread, t->current);
		g_ptr_array_add(t->done, loading_release(ld, t, t->current));
		t->current = NULL;
	}
	l = t->current && t->current->p.pid == f->pid ? t->current : loader_get(t, f->pid, ld->in_order);
	l->live = ld->snap->live;
	t->current = l;
	if (!ld->snap->live && (l->seen & f->file) && !f->err) {
		add_problem_text(ld, mem_file_path(f), "duplicate entry for this file in the snapshot");
		l->p.malformed = TRUE;
	}
	if (f->err && f->from_manifest && (l->seen & f->file))
		void_memory_file(t, l, f->file); /* a tar's manifest after the file: the recorder's word wins */
	l->seen |= f->file;
	if (f->has_owner && !l->has_owner) {
		l->has_owner = TRUE;
		l->owner_uid = f->owner_uid;
	}
	if (f->err) {
		note_file_error(ld, l, f);
		return TRUE;
	}
	switch (f->file) {
	case MEM_FILE_STAT:
		on_stat(ld, t, l, f);
		break;
	case MEM_FILE_STATUS:
		on_status(ld, t, l, f);
		break;
	case MEM_FILE_COMM:
		/* MEM_SCAN_LAZY_STAT: the name stat would give (stat, if read, comes later with the same) */
		if (!l->have_stat)
			l->p.name = (char *)intern_len(t->strings, f->data, mem_parse_comm(f->data, f->len));
		break;
	case MEM_FILE_CMDLINE:
		if (l->p.cmdline)
			g_ptr_array_unref(l->p.cmdline);
		l->p.cmdline = mem_parse_cmdline(f->data, f->len, &l->p.cmdline_cut);
		break;
	case MEM_FILE_CGROUP: {
		g_autoptr(GError) err = NULL;
		char *job;

		if (t->cgroup_job && f->len == t->cgroup->len && memcmp(f->data, t->cgroup->str, f->len) == 0) {
			l->p.job = t->cgroup_job;
			l->p.job_hierarchy = t->cgroup_hierarchy;
			break;
		}
		job = mem_parse_cgroup_hierarchy(f->data, f->len, &l->p.job_hierarchy, &err);
		if (!job) {
			l->p.malformed = TRUE;
			add_problem(ld, mem_file_path(f), err);
		} else {
			l->p.job = g_string_chunk_insert_const(t->strings, job);
			g_free(job);
			g_string_truncate(t->cgroup, 0);
			g_string_append_len(t->cgroup, f->data, (gssize)f->len);
			t->cgroup_job = l->p.job;
			t->cgroup_hierarchy = l->p.job_hierarchy;
		}
		break;
	}
	case MEM_FILE_SMAPS_ROLLUP:
	case MEM_FILE_SMAPS:
		on_memory_file(ld, t, l, f);
		break;
	case MEM_FILE_MAPS:
		on_maps(ld, t, l, f);
		break;
	default:
		break;
	}
	return TRUE;
}


static gboolean is_denied_errno(int e)
{
	return e == EACCES || e == EPERM;
}

/* Decides the state of a process from everything its files said. */
static void loading_finish(Loading *l)
{
	MemProcess *p = &l->p;
	gboolean dead = p->stat_state == 'X' || p->stat_state == 'x';
	gboolean live = l->live;

	if (l->finished)
		return;
	l->finished = TRUE;
	if (!p->name || !*p->name)
		p->name = (char *)(l->status_name ? l->status_name : "");
	if (p->ppid < 0)
		p->ppid = l->status_ppid;
	if (!p->has_uid && l->has_owner) {
		p->has_uid = TRUE;
		p->uid = l->owner_uid;
	}
	/* No cgroup file at all (kernels without cgroups, smemcap snapshots): the root job.  An unreadable
	 * one leaves the job unknown. */
	if (!p->job && l->cgroup_err == ENOENT)
		p->job = "/";
	if (!p->has_vss && l->has_status_vss) {
		p->has_vss = TRUE;
		p->vss = l->status_vss;
	}

	if ((l->have_stat && (l->stat_flags & MEM_PF_KTHREAD)) || l->status_kthread) {
		p->state = MEM_PROC_KERNEL;
		return;
	}
	if (!p->has_vss && l->has_smaps_size && !l->smaps_empty) {
		p->has_vss = TRUE;
		p->vss = l->smaps_size;
	}
	if (p->malformed) {
		/* a garbled or refused file: nothing of this process is trusted */
		p->state = MEM_PROC_UNREADABLE;
		p->err = 0;
		memset(&l->mem, 0, sizeof l->mem);
		return;
	}
	if (l->skipped) {
		/* not walked (--max-rss): whatever a tar held for it is ignored, status_rss says its size */
		p->state = MEM_PROC_SKIPPED;
		memset(&l->mem, 0, sizeof l->mem);
		if (p->maps && p->maps_from_smaps)
			g_array_set_size(p->maps, 0);
		return;
	}
	if (l->truncated) {
		/* a live read cut short: the process exited meanwhile, whatever the rollup said before (a zombie
		 * when stat said so before the read) */
		p->state = p->stat_state == 'Z' ? MEM_PROC_ZOMBIE : MEM_PROC_VANISHED;
		p->err = p->state == MEM_PROC_ZOMBIE ? 0 : ESRCH;
		memset(&l->mem, 0, sizeof l->mem);
		if (p->maps)
			g_array_set_size(p->maps, 0);
		return;
	}
	if (l->remapped) {
		/* live, a newer record superseded mappings already handed over in a batch (a process of more
		 * than MEM_MAPPINGS_BATCH mappings merging some while read): no consistent view of it; try again */
		p->state = MEM_PROC_UNREADABLE;
		p->err = EAGAIN;
		memset(&l->mem, 0, sizeof l->mem);
		if (p->maps)
			g_array_set_size(p->maps, 0);
		return;
	}
	if (l->have_rollup || (l->have_smaps && !l->smaps_empty)) {
		/* l->mem already holds the rollup, or else the smaps sum */
		p->state = MEM_PROC_OK;
		p->mem_from_rollup = l->have_rollup;
		return;
	}
	memset(&l->mem, 0, sizeof l->mem);
	/* No memory figures.  Say why, most specific first. */
	if (l->rollup_err > 0 && is_denied_errno(l->rollup_err)) {
		p->state = MEM_PROC_UNREADABLE;
		p->err = l->rollup_err;
	} else if (l->smaps_err > 0 && is_denied_errno(l->smaps_err)) {
		p->state = MEM_PROC_UNREADABLE;
		p->err = l->smaps_err;
	} else if (p->stat_state == 'Z') {
		/* exited, not reaped: no mm left (smaps empty, the rollup ESRCH) */
		p->state = MEM_PROC_ZOMBIE;
		p->err = 0;
	} else if (dead || (live && l->have_smaps && l->smaps_empty)) {
		/* dead (X), or past exit_mm() while being read */
		p->state = MEM_PROC_VANISHED;
		p->err = ESRCH;
	} else {
		/* The error of the memory files (the rollup's, else smaps's, else stat's).  A snapshot's file that
		 * is absent (or smemcap's empty smaps) was not recorded: only the recorder's manifest can say
		 * that the process went. */
		int e = l->rollup_err > 0 && !(is_gone_errno(l->rollup_err) && l->smaps_err > 0) ? l->rollup_err
		        : l->smaps_err > 0                                                       ? l->smaps_err
		        : l->stat_err > 0 && is_gone_errno(l->stat_err)                          ? l->stat_err
		                                                                                 : ENOENT;
		gboolean recorded = (e == l->rollup_err && l->rollup_manifest) ||
		                    (e == l->smaps_err && l->smaps_manifest) || (e == l->stat_err && l->stat_manifest);

		if (!live && !(is_gone_errno(e) && recorded) && (l->have_smaps || is_gone_errno(e))) {
			p->state = MEM_PROC_UNREADABLE;
			p->err = ENOENT;
			p->not_recorded = TRUE;
		} else {
			p->state = is_gone_errno(e) ? MEM_PROC_VANISHED : MEM_PROC_UNREADABLE;
			p->err = e;
		}
	}
}

/* Decides a process's state and, with a mappings function, hands its mappings over instead of keeping
 * them: the rest of them after the batches (DONE), or DROP when batches went and the process is not OK
 * (or its smaps failed after them). */
static void loading_done(Loader *ld, guint thread, Loading *l)
{
	LoaderThread *t = &ld->threads[thread];
	gboolean handed = t->handed == l;
	gboolean ok;

	loading_finish(l);
	if (!ld->mappings_func || (!l->p.maps && !handed))
		return;
	ok = l->p.state == MEM_PROC_OK && l->p.maps && (!handed || l->p.maps_from_smaps);
	if (handed)
		t->handed = NULL;
	/* Voided after its batches went (a tar's manifest): they are dropped, and what is left (the mappings
	 * after the void, none) comes as a process of its own, as when nothing had been batched. */
	if (handed && (!ok || l->handed_void))
		ld->mappings_func(thread, l->p.pid, NULL, 0, MEM_MAPPINGS_DROP, ld->mappings_data);
	if (ok)
		ld->mappings_func(thread, l->p.pid, (const MemMapping *)(gconstpointer)l->p.maps->data, l->p.maps->len,
		                  MEM_MAPPINGS_DONE, ld->mappings_data);
	if (!l->p.maps)
		return;
	g_array_set_size(l->p.maps, 0);
	g_clear_pointer(&l->p.map_values, g_free);
	if (!ld->threads[thread].spare)
		ld->threads[thread].spare = l->p.maps;
	else
		g_array_unref(l->p.maps);
	l->p.maps = NULL;
}

static gint compare_pid(gconstpointer a, gconstpointer b)
{
	const MemProcess *pa = *(MemProcess *const *)a, *pb = *(MemProcess *const *)b;
	return pa->pid < pb->pid ? -1 : pa->pid > pb->pid;
}

/* One scan of the source into snap->procs (unsorted). */
static gboolean scan_into(MemSnapshot *snap, MemSource *src, const MemLoadOptions *opts, guint32 want,
                          const guint32 *pids, guint n_pids, GError **error)
{
	Loader ld;
	MemScanFlags flags;
	guint n_threads;
	gboolean ok;

	memset(&ld, 0, sizeof ld);
	ld.snap = snap;
	ld.mappings = opts && opts->mappings;
	ld.details = opts && opts->details;
	ld.max_rss = opts ? opts->max_rss : 0;
	ld.fields = opts && opts->fields ? opts->fields : MEM_FIELDS_ALL;
	/* Size always: a mapping of smaps has some field known (0 says it came from maps) */
	ld.map_fields = (opts && opts->map_fields ? opts->map_fields : MEM_FIELDS_ALL) | MEM_FIELD_BIT(MEM_F_SIZE);
	ld.page_size = (guint64)sysconf(_SC_PAGESIZE);
	ld.mappings_func = ld.mappings ? opts->mappings_func : NULL;
	ld.mappings_data = opts ? opts->mappings_data : NULL;
	ld.in_order = snap->kind != MEM_SOURCE_TAR;
	pthread_mutex_init(&ld.lock, NULL);
	/* Live reads run on several threads (the kernel's page walks dominate); snapshots stay in order so
	 * that messages about them come out the same every time. */
	flags = (ld.mappings ? MEM_SCAN_STREAM : MEM_SCAN_SMAPS_FALLBACK) | (snap->live ? MEM_SCAN_THREADS : 0);
	if (opts && opts->lazy_stat && !ld.mappings && !ld.max_rss)
		flags |= MEM_SCAN_LAZY_STAT;
	n_threads = mem_source_threads(src, flags);
	for (guint t = 0; t < n_threads; t++) {
		ld.threads[t].by_pid = g_hash_table_new(g_direct_hash, g_direct_equal);
		ld.threads[t].values = g_array_new(FALSE, FALSE, sizeof(guint64));
		ld.threads[t].done = g_ptr_array_new();
		ld.threads[t].cgroup = g_string_new(NULL);
		if (t == 0)
			ld.threads[t].strings = snap->strings;
		else {
			ld.threads[t].strings = g_string_chunk_new(4096);
			g_ptr_array_add(snap->more_strings, ld.threads[t].strings);
		}
	}
	ok = mem_source_scan(src, want, flags, pids, n_pids, on_file, &ld, error);
	for (guint t = 0; t < n_threads; t++) {
		GHashTableIter it;
		gpointer value;

		if (ld.in_order && ld.threads[t].current) /* the last process, whose files were all in */
			g_hash_table_insert(ld.threads[t].by_pid, GUINT_TO_POINTER(ld.threads[t].current->p.pid),
			                    ld.threads[t].current);
		if (ok && ld.threads[t].handed) /* a tar's batched process: its calls end before another's begin */
			loading_done(&ld, t, ld.threads[t].handed);
		g_hash_table_iter_init(&it, ld.threads[t].by_pid);
		while (g_hash_table_iter_next(&it, NULL, &value)) {
			if (ok)
				loading_done(&ld, t, value);
			else {
				Loading *l = value;

				loading_finish(l);
				if (ld.threads[t].handed == l) /* the function forgets what it was given */
					ld.mappings_func(t, l->p.pid, NULL, 0, MEM_MAPPINGS_DROP, ld.mappings_data);
			}
			g_ptr_array_add(snap->procs, loading_release(&ld, &ld.threads[t], value));
		}
		g_free(ld.threads[t].spare_loading);
		g_ptr_array_extend_and_steal(snap->procs, ld.threads[t].done);
		g_hash_table_destroy(ld.threads[t].by_pid);
		if (ld.threads[t].spare)
			g_array_unref(ld.threads[t].spare);
		g_array_unref(ld.threads[t].values);
		g_string_free(ld.threads[t].cgroup, TRUE);
	}
	pthread_mutex_destroy(&ld.lock);
	return ok;
}

/* A thread of another process: a Tgid (1 .. 2^32-1) that is not its own pid. */
static gboolean is_thread(const MemProcess *p)
{
	return p->tgid > 0 && p->tgid <= G_MAXUINT32 && p->tgid != p->pid;
}

/* Selected pids that are threads (Tgid != pid): the thread is dropped and listed in snap->threads, its
 * process loaded in its place when it was not selected (a second scan; a tar stream cannot be read twice,
 * and holds no thread directories anyway). */
static gboolean resolve_threads(MemSnapshot *snap, MemSource *src, const MemLoadOptions *opts, guint32 want,
                                GError **error)
{
	g_autoptr(GArray) missing = g_array_new(FALSE, FALSE, sizeof(guint32));
	g_autoptr(GHashTable) loaded = g_hash_table_new(g_direct_hash, g_direct_equal);
	guint kept = 0;

	for (guint i = 0; i < snap->procs->len; i++) {
		MemProcess *p = g_ptr_array_index(snap->procs, i);
		if (!is_thread(p))
			g_hash_table_add(loaded, GUINT_TO_POINTER(p->pid));
	}
	for (guint i = 0; i < snap->procs->len; i++) {
		MemProcess *p = g_ptr_array_index(snap->procs, i);
		MemThreadOf t;

		if (!is_thread(p)) {
			snap->procs->pdata[kept++] = p;
			continue;
		}
		t.tid = p->pid;
		t.tgid = (guint32)p->tgid;
		g_array_append_val(snap->threads, t);
		if (!g_hash_table_contains(loaded, GUINT_TO_POINTER(t.tgid))) {
			g_hash_table_add(loaded, GUINT_TO_POINTER(t.tgid));
			g_array_append_val(missing, t.tgid);
		}
		process_free(p);
	}
	/* the dropped threads were freed above: shorten without the free function */
	g_ptr_array_set_free_func(snap->procs, NULL);
	g_ptr_array_set_size(snap->procs, kept);
	g_ptr_array_set_free_func(snap->procs, process_free);
	if (!missing->len || snap->kind == MEM_SOURCE_TAR)
		return TRUE;
	g_array_sort(missing, mem_pid_compare);
	return scan_into(snap, src, opts, want, (const guint32 *)(gconstpointer)missing->data, missing->len, error);
}

MemSnapshot *mem_snapshot_load(MemSource *src, const MemLoadOptions *opts, GError **error)
{
	g_autoptr(MemSnapshot) snap = g_new0(MemSnapshot, 1);
	guint32 want = MEM_FILE_STAT | MEM_FILE_SMAPS_ROLLUP | MEM_FILE_SMAPS | MEM_FILE_VERSION |
	               MEM_FILE_PASSWD;

	snap->kind = mem_source_kind(src);
	snap->live = snap->kind == MEM_SOURCE_LIVE;
	if (!snap->live)
		want |= MEM_FILE_MEMCAP_INFO; /* a recorder's; /proc has none */
	snap->path = g_strdup(mem_source_path(src));
	snap->source = mem_source_ref(src);
	snap->problems = g_ptr_array_new_with_free_func(g_free);
	snap->strings = g_string_chunk_new(4096);
	snap->more_strings = g_ptr_array_new_with_free_func((GDestroyNotify)g_string_chunk_free);
	snap->procs = g_ptr_array_new_with_free_func(process_free);
	snap->threads = g_array_new(FALSE, FALSE, sizeof(MemThreadOf));
	if (opts)
		want |= opts->files;
	if (opts && opts->mappings && opts->no_rollup)
		want &= ~(guint32)MEM_FILE_SMAPS_ROLLUP;
	/* status: Tgid tells a thread from a process; VmRSS is what a skipped process shows */
	if (opts && (opts->pids || opts->max_rss))
		want |= MEM_FILE_STATUS;
	snap->wanted = want;

	if (!scan_into(snap, src, opts, want, opts ? opts->pids : NULL, opts ? opts->n_pids : 0, error))
		return NULL;
	if (mem_source_cut(src)) {
		/* a cut stream: what was whole is loaded, the cut is bad input */
		snap->n_problems++;
		g_ptr_array_add(snap->problems, g_strdup(mem_source_cut(src)));
	}
	if (opts && opts->pids && !resolve_threads(snap, src, opts, want, error))
		return NULL;
	g_ptr_array_sort(snap->procs, compare_pid);
	return g_steal_pointer(&snap);
}

void mem_snapshot_free(MemSnapshot *snap)
{
	if (!snap)
		return;
	g_free(snap->path);
	g_free(snap->kernel);
	mem_source_free(snap->source);
	if (snap->procs)
		g_ptr_array_unref(snap->procs);
	if (snap->users)
		g_hash_table_unref(snap->users);
	if (snap->meminfo)
		g_array_unref(snap->meminfo);
	g_free(snap->zram);
	if (snap->problems)
		g_ptr_array_unref(snap->problems);
	if (snap->more_strings)
		g_ptr_array_unref(snap->more_strings);
	if (snap->threads)
		g_array_unref(snap->threads);
	if (snap->strings)
		g_string_chunk_free(snap->strings);
	if (snap->recorded) {
		mem_rec_info_clear(snap->recorded);
		g_free(snap->recorded);
	}

	g_free(snap);
}

MemProcess *mem_snapshot_find(MemSnapshot *snap, guint32 pid)
{
	guint lo = 0, hi = snap->procs->len;

	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;
		MemProcess *p = g_ptr_array_index(snap->procs, mid);
		if (p->pid == pid)
			return p;
		if (p->pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *mem_snapshot_user_name(MemSnapshot *snap, guint32 uid)
{
	gpointer key = GUINT_TO_POINTER(uid);

	if (snap->users && g_hash_table_contains(snap->users, key))
		return g_hash_table_lookup(snap->users, key);
	/* Beyond the recording's own passwd: the source's user database (live only; cached there). */
	return snap->source ? mem_source_user_name(snap->source, uid) : NULL;
}

gboolean mem_snapshot_user_id(MemSnapshot *snap, const char *user, guint32 *uid)
{
	char *end = NULL;
	guint64 v;

	if (user[0] >= '0' && user[0] <= '9') {
		v = g_ascii_strtoull(user, &end, 10);
		if (*end == '\0' && v <= G_MAXUINT32) {
			*uid = (guint32)v;
			return TRUE;
		}
	}
	if (snap->users) {
		GHashTableIter it;
		gpointer key, value;
		g_hash_table_iter_init(&it, snap->users);
		while (g_hash_table_iter_next(&it, &key, &value))
			if (value && strcmp(value, user) == 0) {
				*uid = GPOINTER_TO_UINT(key);
				return TRUE;
			}
	}
	return snap->source && mem_source_user_id(snap->source, user, uid);
}

const char *mem_proc_state_note(const MemProcess *p)
{
	switch (p->state) {
	case MEM_PROC_KERNEL:
		return "[kernel]";
	case MEM_PROC_VANISHED:
		return "[vanished]";
	case MEM_PROC_ZOMBIE:
		return "[zombie]";
	case MEM_PROC_SKIPPED:
		return "[skipped]";
	case MEM_PROC_UNREADABLE:
		if (p->err == EACCES || p->err == EPERM)
			return "[unreadable: permission denied]";
		if (p->malformed)
			return "[unreadable: malformed]";
		if (p->not_recorded)
			return "[unreadable: not recorded]";
		if (p->err == ENODATA)
			return "[unreadable: empty]"; /* a recorder's EMPTY for a user process's memory files */
		if (p->err && mem_errno_name(p->err)) {
			/* a recorder's reason (memcap.errors) or an odd read error: a handful of distinct strings */
			g_autofree char *note = g_strdup_printf("[unreadable: %s]", mem_errno_name(p->err));
			return g_intern_string(note);
		}
		return "[unreadable]";
	case MEM_PROC_OK:
		break;
	}
	return NULL;
}

const char *mem_proc_error_name(const MemProcess *p)
{
	if (p->state != MEM_PROC_UNREADABLE && p->state != MEM_PROC_VANISHED)
		return NULL;
	if (p->malformed && p->state == MEM_PROC_UNREADABLE && !p->err)
		return "malformed";
	if (p->not_recorded && p->state == MEM_PROC_UNREADABLE)
		return "not_recorded";
	if (p->err == ENODATA)
		return "empty";
	return p->err ? mem_errno_name(p->err) : NULL;
}

const char *mem_proc_state_name(MemProcState state)
{
	switch (state) {
	case MEM_PROC_OK: return "ok";
	case MEM_PROC_UNREADABLE: return "unreadable";
	case MEM_PROC_VANISHED: return "vanished";
	case MEM_PROC_KERNEL: return "kernel";
	case MEM_PROC_ZOMBIE: return "zombie";
	case MEM_PROC_SKIPPED: return "skipped";
	}
	return "?";
}

const char *mem_job_hierarchy_name(MemJobHierarchy h)
{
	switch (h) {
	case MEM_JOB_V2: return "v2";
	case MEM_JOB_V1_SYSTEMD: return "v1:name=systemd";
	case MEM_JOB_V1_MEMORY: return "v1:memory";
	case MEM_JOB_NONE: break;
	}
	return NULL;
}

const char *mem_job_hierarchy_prefix(MemJobHierarchy h)
{
	switch (h) {
	case MEM_JOB_V1_SYSTEMD: return "v1:";
	case MEM_JOB_V1_MEMORY: return "v1-memory:";
	case MEM_JOB_V2:
	case MEM_JOB_NONE: break;
	}
	return "";
}
