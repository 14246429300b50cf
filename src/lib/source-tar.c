/* source-tar.c: the proc source for snapshot tar streams, through libarchive opened on demand (source layer) */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "dl.h"
#include "error.h"
#include "source-private.h"

/* libarchive is never linked: each function is resolved by mem_dl_open into one of these pointers. The
 * headers serve for the types and constants only. */
#define MEM_AR_FUNC(name) static typeof(name) *p_##name
MEM_AR_FUNC(archive_read_new);
MEM_AR_FUNC(archive_read_support_filter_all);
MEM_AR_FUNC(archive_read_support_format_tar);
MEM_AR_FUNC(archive_read_support_format_gnutar);
MEM_AR_FUNC(archive_read_open_fd);
MEM_AR_FUNC(archive_read_next_header);
MEM_AR_FUNC(archive_read_data);
MEM_AR_FUNC(archive_read_free);
MEM_AR_FUNC(archive_error_string);
MEM_AR_FUNC(archive_entry_pathname);
MEM_AR_FUNC(archive_entry_filetype);
MEM_AR_FUNC(archive_entry_hardlink);
MEM_AR_FUNC(archive_entry_uid);
MEM_AR_FUNC(archive_entry_size);
MEM_AR_FUNC(archive_entry_size_is_set);
MEM_AR_FUNC(archive_entry_sparse_count);

#define MEM_AR_SYMBOL(name) { #name, (gpointer *)&p_##name }
static const MemDlSymbol archive_symbols[] = {
	MEM_AR_SYMBOL(archive_read_new),
	MEM_AR_SYMBOL(archive_read_support_filter_all),
	MEM_AR_SYMBOL(archive_read_support_format_tar),
	MEM_AR_SYMBOL(archive_read_support_format_gnutar),
	MEM_AR_SYMBOL(archive_read_open_fd),
	MEM_AR_SYMBOL(archive_read_next_header),
	MEM_AR_SYMBOL(archive_read_data),
	MEM_AR_SYMBOL(archive_read_free),
	MEM_AR_SYMBOL(archive_error_string),
	MEM_AR_SYMBOL(archive_entry_pathname),
	MEM_AR_SYMBOL(archive_entry_filetype),
	MEM_AR_SYMBOL(archive_entry_hardlink),
	MEM_AR_SYMBOL(archive_entry_uid),
	MEM_AR_SYMBOL(archive_entry_size),
	MEM_AR_SYMBOL(archive_entry_size_is_set),
	MEM_AR_SYMBOL(archive_entry_sparse_count),
	{ NULL, NULL },
};

MemSource *mem_source_tar_open(const char *path, int fd, GError **error)
{
	gboolean is_stdin = fd == STDIN_FILENO;
	MemSource *src;

	if (!mem_dl_open(MEM_LIBARCHIVE_SONAME, "libarchive13", archive_symbols, error)) {
		if (!is_stdin)
			close(fd);
		return NULL;
	}
	src = mem_source_new(MEM_SOURCE_TAR, &mem_source_tar_ops, path, is_stdin ? "stdin" : path);
	src->tarfd = fd;
	src->is_stdin = is_stdin;
	return src;
}

/* A directory's files as the stream told of them: a pid's (bits are MemFileId) or the top level's
 * (bit i is mem_source_top_files[i]).  A manifest line wins over its file (source.h): read first, it
 * stands for the member; read after a member, its reason follows the content as a second delivery. */
typedef struct {
	guint32 seen;         /* files delivered */
	guint32 empty;        /* 0-byte members held back until the manifest (EMPTY) or the end */
	gboolean has_manifest;
	int man[MAX(MEM_SOURCE_N_PID_FILES, MEM_SOURCE_N_TOP_FILES)];
} TarFiles;

/* What the stream told us about one selected pid. */
typedef struct {
	TarFiles f;
	gboolean has_uid;     /* a "<pid>/" directory member gave the process owner */
	guint32 uid;
} TarPid;

typedef struct {
	MemSource *src;
	struct archive *ar;
	guint32 want;
	MemScanFlags flags;
	const guint32 *pids;
	guint n_pids;
	MemFileFunc func;
	gpointer user_data;
	GHashTable *seen_pids;   /* pid -> TarPid */
	TarFiles top;
	gboolean recording;      /* a pid entry, meminfo or "proc/" was seen: this is a recording */
	gboolean archive_failed; /* the error set is libarchive's (a cut or garbled stream) */
	guint n_members;         /* members handled (read, or skipped unread) */
} TarScan;

static void set_archive_error(TarScan *ts, GError **error)
{
	const char *msg = p_archive_error_string(ts->ar);

	ts->archive_failed = TRUE;
	g_set_error(error, MEM_ERROR, MEM_ERROR_PARSE, "%s: cannot read the archive: %s", ts->src->display,
	            msg ? msg : "unknown libarchive error");
}

/* Absolute names and names with a ".." component could mean "outside the snapshot". */
static gboolean member_name_is_safe(const char *name)
{
	const char *p = name;

	if (name[0] == '/')
		return FALSE;
	for (;;) {
		const char *slash = strchr(p, '/');
		gsize len = slash ? (gsize)(slash - p) : strlen(p);

		if (len == 2 && p[0] == '.' && p[1] == '.')
			return FALSE;
		if (!slash)
			return TRUE;
		p = slash + 1;
	}
}

static const char *skip_dot_slashes(const char *name)
{
	for (;;) {
		if (name[0] == '.' && name[1] == '/')
			name += 2;
		else if (name[0] == '/')
			name++;
		else
			return name;
	}
}

/* "./proc/123/smaps" -> "123/smaps"; "proc" or "proc/" -> "". */
static const char *normalise_name(const char *name)
{
	name = skip_dot_slashes(name);
	if (strncmp(name, "proc", 4) == 0 && (name[4] == '/' || name[4] == '\0'))
		name = skip_dot_slashes(name + 4);
	return name;
}

static TarPid *tar_pid(TarScan *ts, guint32 pid)
{
	TarPid *tp = g_hash_table_lookup(ts->seen_pids, GUINT_TO_POINTER(pid));

	if (!tp) {
		tp = g_new0(TarPid, 1);
		g_hash_table_insert(ts->seen_pids, GUINT_TO_POINTER(pid), tp);
	}
	return tp;
}

/* Reads the current member's data into the reusable buffer, bounded. */
static gboolean read_member(TarScan *ts, struct archive_entry *entry, const char *name, gsize *len_out,
                            GError **error)
{
	MemSource *src = ts->src;
	gsize max = mem_source_max_file_size();
	gsize len = 0, size = 0;

	*len_out = 0;
	if (p_archive_entry_size_is_set(entry)) {
		la_int64_t n = p_archive_entry_size(entry);

		if (n > 0 && (guint64)n > max)
			goto too_large;
		if (n > 0)
			mem_source_reserve(src, size = (gsize)n);
	}
	for (;;) {
		gsize room = mem_source_buffer_room(src, len);
		la_ssize_t n = p_archive_read_data(ts->ar, src->buf + len, room);
		if (n < 0) {
			set_archive_error(ts, error);
			return FALSE;
		}
		if (n == 0)
			break;
		len += (gsize)n;
		if (len > max)
			goto too_large;
	}
	/* A GNU sparse member whose data ends in a hole (or is all hole, as a sparse 64 MiB cmdline of NULs
	 * recorded with tar --sparse): libarchive hands over the data blocks and not the trailing zeros.
	 * The member is its recorded size; a cut archive fails in archive_read_data instead. */
	if (len < size && p_archive_entry_sparse_count(entry) > 0) {
		mem_source_reserve(src, size);
		memset(src->buf + len, 0, size - len);
		len = size;
	}
	src->buf[len] = '\0';
	*len_out = len;
	return TRUE;

too_large:
	g_set_error(error, MEM_ERROR, MEM_ERROR_TOO_LARGE, "%s:%s: member larger than %" G_GSIZE_FORMAT
	            " bytes", src->display, name, max);
	return FALSE;
}

static MemFileId top_file_from_name(const char *name)
{
	for (gsize i = 0; i < MEM_SOURCE_N_TOP_FILES; i++)
		if (strcmp(name, mem_source_file_name(mem_source_top_files[i])) == 0)
			return mem_source_top_files[i];
	return 0;
}

/* The TarFiles bit of a file id. */
static guint32 files_bit(guint32 pid, MemFileId file)
{
	return pid ? (guint32)file : 1u << mem_source_top_index(file);
}

/* The manifest index of a file id. */
static int files_index(guint32 pid, MemFileId file)
{
	return pid ? g_bit_nth_lsf(file, -1) : mem_source_top_index(file);
}

static gboolean deliver_reason(TarScan *ts, guint32 pid, MemFileId file, int reason, gboolean has_owner, guint32 owner,
                               GError **error)
{
	int err = mem_source_manifest_err(file, reason);
	gboolean ok;

	ts->src->manifest_files = err ? file : 0;
	ok = mem_source_deliver(ts->src, ':', pid, file, "", 0, err, has_owner, owner, ts->func, ts->user_data, error);
	ts->src->manifest_files = 0;
	return ok;
}

/* Delivers a member's content (data/len, or read_err for a member that cannot be the file), unless
 * the manifest read already gave the file its reason (then the member is skipped). */
static gboolean deliver_file(TarScan *ts, TarFiles *tf, guint32 pid, MemFileId file, const char *data, gsize len,
                             int read_err, gboolean has_owner, guint32 owner, GError **error)
{
	int reason = tf->has_manifest ? tf->man[files_index(pid, file)] : 0;

	if (reason)
		return (tf->seen & files_bit(pid, file)) ? TRUE
		       : (tf->seen |= files_bit(pid, file), deliver_reason(ts, pid, file, reason, has_owner, owner, error));
	if (!read_err && len == 0 && !tf->has_manifest && !(tf->empty & files_bit(pid, file))) {
		/* an empty member may be the recorder's EMPTY (then the figures are unknown, not an empty
		 * rollup): it waits for the manifest or the end; nothing is held but the bit */
		tf->empty |= files_bit(pid, file);
		return TRUE;
	}
	tf->empty &= ~files_bit(pid, file);
	tf->seen |= files_bit(pid, file);
	return mem_source_deliver(ts->src, ':', pid, file, read_err ? NULL : data, read_err ? 0 : len, read_err,
	                          has_owner, owner, ts->func, ts->user_data, error);
}

/* A directory's manifest (in the read buffer, len bytes): each reason is delivered now; a file
 * delivered already with content gets it after the content (the consumer lets it override; an EMPTY
 * for a file that had content is left), a member still to come is skipped.  A second manifest for the
 * same directory is ignored. */
static gboolean take_manifest(TarScan *ts, TarFiles *tf, guint32 pid, gsize len, gboolean has_owner,
                              guint32 owner, GError **error)
{
	guint n = pid ? MEM_SOURCE_N_PID_FILES : MEM_SOURCE_N_TOP_FILES;

	if (tf->has_manifest)
		return TRUE;
	mem_source_parse_manifest(ts->src->buf, len, pid == 0, tf->man);
	tf->has_manifest = TRUE;
	for (guint i = 0; i < n; i++) {
		MemFileId file = pid ? (MemFileId)(1u << i) : mem_source_top_files[i];
		guint32 bit = files_bit(pid, file);

		if (!tf->man[i] || !(ts->want & file))
			continue;
		if ((tf->seen & bit) && !mem_source_manifest_err(file, tf->man[i]))
			continue;
		tf->seen |= bit;
		tf->empty &= ~bit;
		if (!deliver_reason(ts, pid, file, tf->man[i], has_owner, owner, error))
			return FALSE;
	}
	return TRUE;
}

/* At the end: every wanted file not delivered yet, with the manifest's reason or absent. */
static gboolean deliver_rest(TarScan *ts, TarFiles *tf, guint32 pid, gboolean fallback, gboolean has_owner,
                             guint32 owner, GError **error)
{
	guint n = pid ? MEM_SOURCE_N_PID_FILES : MEM_SOURCE_N_TOP_FILES;
	gboolean had_rollup = pid && (tf->seen & MEM_FILE_SMAPS_ROLLUP);

	for (guint i = 0; i < n; i++) {
		MemFileId file = pid ? (MemFileId)(1u << i) : mem_source_top_files[i];

		if (!(ts->want & file) || (tf->seen & files_bit(pid, file)))
			continue;
		if (pid && file == MEM_FILE_SMAPS && fallback && had_rollup)
			continue;
		if (!deliver_file(ts, tf, pid, file, "", 0, (tf->empty & files_bit(pid, file)) ? 0 : ENOENT, has_owner,
		                  owner, error))
			return FALSE;
	}
	return TRUE;
}

/* A member's owner, when it fits a uid (a hostile header can say anything). */
static gboolean member_uid(struct archive_entry *entry, guint32 *uid)
{
	la_int64_t v = p_archive_entry_uid(entry);

	if (v < 0 || v > (la_int64_t)G_MAXUINT32)
		return FALSE;
	*uid = (guint32)v;
	return TRUE;
}

static gboolean is_plain_file(struct archive_entry *entry)
{
	return p_archive_entry_filetype(entry) == AE_IFREG && !p_archive_entry_hardlink(entry);
}

/* Why a member that is not a plain file cannot stand for a file, as the directory backend says for
 * the same tree: a symbolic link is refused (ELOOP), a directory is EISDIR, anything else (a hard
 * link, a FIFO, a device) is not a regular file (EINVAL). */
static int member_errno(struct archive_entry *entry)
{
	if (p_archive_entry_hardlink(entry))
		return EINVAL;
	switch (p_archive_entry_filetype(entry)) {
	case AE_IFLNK: return ELOOP;
	case AE_IFDIR: return EISDIR;
	default: return EINVAL;
	}
}

static gboolean pid_not_a_dir(TarScan *ts, TarPid *tp, guint32 pid, int err, GError **error)
{
	gboolean fallback = (ts->flags & MEM_SCAN_SMAPS_FALLBACK) && (ts->want & MEM_FILE_SMAPS_ROLLUP);

	for (guint i = 0; i < MEM_SOURCE_N_PID_FILES; i++) {
		MemFileId file = (MemFileId)(1u << i);

		if (!(ts->want & file) || (tp->f.seen & file) || (file == MEM_FILE_SMAPS && fallback))
			continue;
		tp->f.seen |= file;
		if (!mem_source_deliver(ts->src, ':', pid, file, NULL, 0, err, FALSE, 0, ts->func, ts->user_data,
		                        error))
			return FALSE;
	}
	return TRUE;
}

/* A member read through a moving window (stream.h) in src->buf: [off, off + len) of it is the window. */
typedef struct {
	TarScan *ts;
	gsize off, len;
	gboolean eof;
	GError *failure;      /* libarchive's error, for the scan once the consumer is back */
} TarWindow;

#define TAR_CHUNK ((gsize)64 * 1024)

static gboolean tar_window_more(gpointer data, gsize done, const char **buf, gsize *len, GError **error)
{
	TarWindow *w = data;
	MemSource *src = w->ts->src;

	g_return_val_if_fail(*len == w->len && done <= w->len, FALSE);
	if (w->failure) {
		g_set_error(error, MEM_ERROR, MEM_ERROR_VANISHED, "%s", w->failure->message);
		return FALSE;
	}
	mem_window_slide(src, &w->off, &w->len, done, w->eof ? 0 : TAR_CHUNK);
	if (!w->eof) {
		la_ssize_t n = p_archive_read_data(w->ts->ar, src->buf + w->len, TAR_CHUNK);

		if (n < 0) {
			/* The stream broke inside the member: to the consumer, a file that was not recorded whole
			 * (as when the member never came); the scan then ends with libarchive's error. */
			set_archive_error(w->ts, &w->failure);
			*buf = src->buf;
			*len = w->len;
			g_set_error(error, MEM_ERROR, MEM_ERROR_VANISHED, "%s", w->failure->message);
			return FALSE;
		}
		w->eof = n == 0;
		w->len += (gsize)n;
	}
	*buf = src->buf ? src->buf + w->off : "";
	*len = w->len;
	return TRUE;
}

/* smaps, the one member that can be huge (4 million mappings are 250 MB), is handed over while it is
 * read, a chunk at a time (MemFile.more), to a consumer that takes it so (MEM_SCAN_STREAM or
 * MEM_SCAN_THREADS), when it can be: its size is known, within the bound and not 0 (an empty
 * member waits for the manifest), no manifest line stands for it and it is not sparse.  Memory is then a
 * chunk and the record being parsed, not the member.  FALSE in *streamed: read it whole. */
static gboolean stream_member(TarScan *ts, TarFiles *tf, struct archive_entry *entry, guint32 pid, MemFileId file,
                              gboolean has_owner, guint32 owner, gboolean *streamed, GError **error)
{
	TarWindow w = { ts, 0, 0, FALSE, NULL };
	la_int64_t size;
	gboolean ok;

	*streamed = FALSE;
	if (file != MEM_FILE_SMAPS || !(ts->flags & (MEM_SCAN_STREAM | MEM_SCAN_THREADS)) ||
	    !p_archive_entry_size_is_set(entry) || p_archive_entry_sparse_count(entry) > 0 ||
	    (tf->has_manifest && tf->man[files_index(pid, file)]))
		return TRUE;
	size = p_archive_entry_size(entry);
	if (size <= 0 || (guint64)size > mem_source_max_file_size())
		return TRUE;
	*streamed = TRUE;
	tf->empty &= ~files_bit(pid, file);
	tf->seen |= files_bit(pid, file);
	ok = mem_source_deliver_more(ts->src, ':', pid, file, "", 0, 0, has_owner, owner, tar_window_more, &w, ts->func,
	                             ts->user_data, error);
	if (w.failure) {
		if (ok)
			g_propagate_error(error, w.failure);
		else
			g_error_free(w.failure);
		return FALSE;
	}
	return ok;
}

static gboolean handle_pid_member(TarScan *ts, struct archive_entry *entry, guint32 pid, const char *rest,
                                  const char *name, GError **error)
{
	TarPid *tp = tar_pid(ts, pid);
	gsize rest_len = strlen(rest);
	gboolean has_owner, streamed;
	guint32 owner = 0;
	MemFileId file;
	gsize len;

	if (rest[0] == '\0') {
		/* smemcap keeps the process owner on the pid directory only. */
		if (p_archive_entry_filetype(entry) == AE_IFDIR) {
			tp->has_uid = member_uid(entry, &tp->uid);
			return TRUE;
		}
		/* Something else where a pid directory belongs: every file of it fails as the directory
		 * backend's would (ELOOP through a symbolic link, ENOTDIR for a file). */
		return pid_not_a_dir(ts, tp, pid, is_plain_file(entry) ? ENOTDIR : member_errno(entry), error);
	}
	if (rest[rest_len - 1] == '/')
		rest_len--;  /* a directory member "PID/NAME/" */
	if (memchr(rest, '/', rest_len))
		return TRUE;
	if ((has_owner = tp->has_uid))
		owner = tp->uid;
	else
		has_owner = member_uid(entry, &owner);
	file = mem_source_pid_file_from_name(rest, rest_len);
	if (!is_plain_file(entry)) {
		if (!file || !(ts->want & file))
			return TRUE;
		return deliver_file(ts, &tp->f, pid, file, NULL, 0, member_errno(entry), has_owner, owner, error);
	}
	if (strcmp(rest, "memcap.errors") == 0) {
		if (!read_member(ts, entry, name, &len, error))
			return FALSE;
		return take_manifest(ts, &tp->f, pid, len, has_owner, owner, error);
	}
	if (!file || !(ts->want & file))
		return TRUE;
	if (!stream_member(ts, &tp->f, entry, pid, file, has_owner, owner, &streamed, error))
		return FALSE;
	if (streamed)
		return TRUE;
	if (!read_member(ts, entry, name, &len, error))
		return FALSE;
	return deliver_file(ts, &tp->f, pid, file, ts->src->buf, len, 0, has_owner, owner, error);
}

static gboolean handle_member(TarScan *ts, struct archive_entry *entry, GError **error)
{
	const char *raw = p_archive_entry_pathname(entry);
	const char *name, *slash;
	g_autofree char *top = NULL;
	MemFileId file;
	guint32 pid, uid = 0;
	gboolean has_uid;
	gsize len;

	if (!raw)
		return TRUE;  /* a name libarchive cannot convert: we never open it, so just skip it */
	if (!member_name_is_safe(raw)) {
		/* Raw bytes: the front end escapes every message it prints. */
		g_set_error(error, MEM_ERROR, MEM_ERROR_UNSAFE,
		            "%s: unsafe member \"%s\" (absolute or with a \"..\" component)", ts->src->display, raw);
		return FALSE;
	}
	name = normalise_name(raw);
	if (name != skip_dot_slashes(raw))
		ts->recording = TRUE;  /* below "proc/" */
	slash = strchr(name, '/');
	if (mem_source_parse_pid(name, slash ? (gsize)(slash - name) : strlen(name), &pid)) {
		ts->recording = TRUE;
		if (!mem_source_pid_selected(pid, ts->pids, ts->n_pids))
			return TRUE;
		return handle_pid_member(ts, entry, pid, slash ? slash + 1 : "", name, error);
	}
	len = strlen(name);
	if (len > 0 && name[len - 1] == '/')
		name = top = g_strndup(name, len - 1);  /* a directory member "meminfo/" */
	file = top_file_from_name(name);
	if (file == MEM_FILE_MEMINFO || file == MEM_FILE_MEMCAP_INFO)
		ts->recording = TRUE;
	if (strcmp(name, "memcap.errors") == 0 && is_plain_file(entry)) {
		if (!read_member(ts, entry, name, &len, error))
			return FALSE;
		return take_manifest(ts, &ts->top, 0, len, FALSE, 0, error);
	}
	if (!file || !(ts->want & file))
		return TRUE;
	has_uid = member_uid(entry, &uid);
	if (!is_plain_file(entry))
		return deliver_file(ts, &ts->top, 0, file, NULL, 0, member_errno(entry), has_uid, uid, error);
	if (!read_member(ts, entry, name, &len, error))
		return FALSE;
	return deliver_file(ts, &ts->top, 0, file, ts->src->buf, len, 0, has_uid, uid, error);
}

static int compare_pids(gconstpointer a, gconstpointer b)
{
	guint32 x = GPOINTER_TO_UINT(*(const gpointer *)a), y = GPOINTER_TO_UINT(*(const gpointer *)b);

	return x < y ? -1 : x > y;
}

/* A stream cannot say what it lacks until it ends: then every wanted file not seen is reported
 * absent (or with its manifest's reason), as a directory source would, for each pid the stream
 * mentioned. */
static gboolean deliver_missing(TarScan *ts, GError **error)
{
	g_autoptr(GPtrArray) keys = NULL;
	gboolean fallback = (ts->flags & MEM_SCAN_SMAPS_FALLBACK) != 0;
	GHashTableIter iter;
	gpointer key;

	if (!deliver_rest(ts, &ts->top, 0, FALSE, FALSE, 0, error))
		return FALSE;
	keys = g_ptr_array_sized_new(g_hash_table_size(ts->seen_pids));
	g_hash_table_iter_init(&iter, ts->seen_pids);
	while (g_hash_table_iter_next(&iter, &key, NULL))
		g_ptr_array_add(keys, key);
	g_ptr_array_sort(keys, compare_pids);
	for (guint k = 0; k < keys->len; k++) {
		guint32 pid = GPOINTER_TO_UINT(keys->pdata[k]);
		TarPid *tp = g_hash_table_lookup(ts->seen_pids, keys->pdata[k]);

		if (!deliver_rest(ts, &tp->f, pid, fallback, tp->has_uid, tp->uid, error))
			return FALSE;
	}
	return TRUE;
}

static guint tar_threads(const MemSource *src, MemScanFlags flags)
{
	(void)src;
	(void)flags;
	return 1;
}

/* The stream broke (ssh dropped, a file cut) after some members were read whole: what came is
 * delivered and the source remembers the cut (mem_source_cut); a stream that broke before its first
 * member, or that is no recording, fails as a whole. */
static gboolean cut_short(TarScan *ts, GError **error)
{
	if (ts->n_members == 0 || !ts->recording)
		return FALSE;
	g_free(ts->src->cut);
	ts->src->cut = g_strdup_printf("%s (the recording is cut short after %u member%s: what follows is missing)",
	                               (*error)->message, ts->n_members, ts->n_members == 1 ? "" : "s");
	g_clear_error(error);
	return TRUE;
}

static gboolean tar_scan(MemSource *src, guint32 want, MemScanFlags flags, const guint32 *pids, guint n_pids,
                         MemFileFunc func, gpointer user_data, GError **error)
{
	TarScan ts = {
		.src = src,
		.want = want,
		.flags = flags,
		.pids = pids,
		.n_pids = n_pids,
		.func = func,
		.user_data = user_data,
	};
	gboolean ok = FALSE;

	if (src->n_scans > 0 && (src->is_stdin || lseek(src->tarfd, 0, SEEK_SET) < 0)) {
		g_set_error(error, MEM_ERROR, MEM_ERROR_INVALID, "%s: a tar stream can be read only once",
		            src->display);
		return FALSE;
	}
	src->n_scans++;
	g_clear_pointer(&src->cut, g_free);
	ts.ar = p_archive_read_new();
	if (!ts.ar) {
		g_set_error(error, MEM_ERROR, MEM_ERROR_LIBRARY, "%s: libarchive could not start a reader",
		            src->display);
		return FALSE;
	}
	ts.seen_pids = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	/* Filters may warn (an external helper missing); only the tar formats are enabled. */
	p_archive_read_support_filter_all(ts.ar);
	if (p_archive_read_support_format_tar(ts.ar) < ARCHIVE_WARN ||
	    p_archive_read_support_format_gnutar(ts.ar) < ARCHIVE_WARN ||
	    p_archive_read_open_fd(ts.ar, src->tarfd, 64 * 1024) != ARCHIVE_OK) {
		set_archive_error(&ts, error);
		goto out;
	}
	for (;;) {
		struct archive_entry *entry;
		int r = p_archive_read_next_header(ts.ar, &entry);

		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN) {
			set_archive_error(&ts, error);
			if (!cut_short(&ts, error))
				goto out;
			break;
		}
		if (!handle_member(&ts, entry, error)) {
			if (!ts.archive_failed || !cut_short(&ts, error))
				goto out;
			break;
		}
		ts.n_members++;
	}
	if (!ts.recording) {
		/* As for a directory: an archive of something else (`memps -S etc.tar`) is not an empty system. */
		g_set_error(error, MEM_ERROR, MEM_ERROR_NOT_FOUND,
		            "%s: not a recording (no pid directory, meminfo or proc/ in it)", src->display);
		goto out;
	}
	ok = deliver_missing(&ts, error);
out:
	p_archive_read_free(ts.ar);
	g_hash_table_destroy(ts.seen_pids);
	return ok;
}

const MemSourceOps mem_source_tar_ops = {
	.name = "tar",
	.scan = tar_scan,
	.threads = tar_threads,
};
